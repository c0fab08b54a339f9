"""The seed postings' findings, all of them, against one expectation file.

tests/data/seed-findings.txt lists every finding the default rules make on the real kvm postings
in tests/data/seeds, with why each is right; the run with the profile chosen from the postings
(kernel) must make the same findings except those marked as the default profile's alone. The
families' own tests check what the messages say; this file checks that nothing else is found.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from patchlint.engine import Engine
from patchlint.model.posting import Kind

from paths import SEEDS, SHARED_SEEDS, TESTS

EXPECTATIONS = TESTS / "data" / "seed-findings.txt"
LINE = re.compile(r"(?P<file>\S+):(?P<line>\d+) (?P<code>PL\d{3})(?: (?P<only>[a-z0-9-]+))?\s*(?:#.*)?")

Finding = tuple[str, int, str]


def expected(profile: str) -> set[Finding]:
    findings: set[Finding] = set()
    for number, text in enumerate(EXPECTATIONS.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip() or text.startswith("#"):
            continue
        match = LINE.fullmatch(text.strip())
        assert match, f"{EXPECTATIONS.name}:{number}: not 'FILE:LINE CODE [PROFILE] # why': {text!r}"
        if match["only"] in (None, profile):
            findings.add((match["file"], int(match["line"]), match["code"]))
    return findings


@pytest.mark.parametrize(("config", "profile"), [("default", "default"), (None, "kernel")])
def test_the_seed_findings_are_exactly_the_expected_ones(config: str | None, profile: str) -> None:
    report = Engine(config).check([SEEDS])
    assert report.messages == 28
    assert report.kinds == {Kind.COVER: 20, Kind.PATCH: 7, Kind.PULL: 1}
    assert dict(report.profiles) == {profile: 28}
    found = {(Path(v.source).name, v.line, v.code) for v in report.violations}
    want = expected(profile)
    assert sorted(found - want) == [], "found, not in tests/data/seed-findings.txt"
    assert sorted(want - found) == [], "in tests/data/seed-findings.txt, not found"


def test_the_expectation_file_names_only_seed_files() -> None:
    names = {path.name for path in SEEDS.iterdir()}
    assert {file for file, _, _ in expected("default")} <= names


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_the_shared_seeds_are_the_repository_s() -> None:
    # The repository's copies are ../shared/seeds verbatim, so the expectations hold for both.
    shared = Engine("default").check([SHARED_SEEDS])
    assert shared.messages == 28
    assert {(Path(v.source).name, v.line, v.code) for v in shared.violations} == expected("default")
