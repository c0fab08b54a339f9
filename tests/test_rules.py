"""Every rule's good and bad example mails (tests/rules/<rule-name>/) are its tests.

A bad example declares what it must produce with ``X-Patchlint-Expect: CODE LINE fragment``
headers: the rule must report exactly those (code, source line) pairs, each with a message
containing the fragment. A good example must produce nothing under the default rules. An
``X-Patchlint-Options: {…}`` header (YAML) sets the options the rule under test runs with, for
rules that judge nothing with their defaults (a tree list, a series limit). A rule whose examples
need settings (a ``.mailmap``, a project's trailer registry) keeps them in
``tests/rules/<rule-name>/patchlint.yaml``: all its examples run under that configuration.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from patchlint.checks import BUILTIN_RULES
from patchlint.engine import Engine
from patchlint.rule import Severity

from paths import RULE_EXAMPLES

_EXPECT = re.compile(r"^X-Patchlint-Expect: (PL\d+) (\d+) (.+)$", re.MULTILINE)
_OPTIONS = re.compile(r"^X-Patchlint-Options: (.+)$", re.MULTILINE)


def _examples(prefix: str) -> list[Path]:
    return sorted(p for p in RULE_EXAMPLES.glob(f"*/{prefix}-*") if p.is_file())


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def folder_config(path: Path) -> Path | None:
    """The configuration of the example's rule folder, if it has one."""
    config = path.parent / "patchlint.yaml"
    return config if config.is_file() else None


def rule_engine(path: Path, engine_for) -> Engine:
    """An engine running only the rule the example is for, with the options it declares."""
    rule = next(r for r in BUILTIN_RULES if r.name == path.parent.name)
    options = _OPTIONS.search(path.read_text(encoding="utf-8", errors="replace"))
    extra = f"rules:\n  {rule.name}:\n    options: {options.group(1)}\n" if options else ""
    config = folder_config(path)
    if config is not None:
        extra = f"extends: {config}\n{extra}"
    return engine_for(rule.code, extra=extra)


def expectations(path: Path) -> list[tuple[str, int, str]]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return [(code, int(line), fragment.strip()) for code, line, fragment in _EXPECT.findall(text)]


@pytest.mark.parametrize("path", _examples("bad"), ids=_id)
def test_bad_example_reports_exactly_what_it_declares(path: Path, engine_for) -> None:
    rule = next(r for r in BUILTIN_RULES if r.name == path.parent.name)
    expected = expectations(path)
    if rule.code != "PL001":
        assert expected, f"{path} declares no X-Patchlint-Expect header"
    else:  # a mail without headers cannot carry the header: the rule reports line 1
        expected = expected or [(rule.code, 1, "unparseable")]
    report = rule_engine(path, engine_for).check([path])
    found = [(v.code, v.line, v.message) for v in report.violations]
    assert Counter((c, ln) for c, ln, _ in found) == Counter((c, ln) for c, ln, _ in expected), found
    for code, line, fragment in expected:
        messages = [m for c, ln, m in found if (c, ln) == (code, line)]
        assert any(fragment in m for m in messages), (fragment, messages)


@pytest.mark.parametrize("path", _examples("good"), ids=_id)
def test_good_example_passes_every_default_rule(path: Path, engine_for) -> None:
    for engine in (Engine(folder_config(path)), rule_engine(path, engine_for)):
        report = engine.check([path])
        assert report.messages >= 1
        # Information (an example holding part of a series) is not a finding against it.
        assert [v.format() for v in report.violations if v.severity is not Severity.INFO] == []


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.name)
def test_every_rule_has_good_and_bad_examples(rule) -> None:
    folder = RULE_EXAMPLES / rule.name
    assert list(folder.glob("good-*")), f"no good example for {rule.name} in {folder}"
    assert list(folder.glob("bad-*")), f"no bad example for {rule.name} in {folder}"
