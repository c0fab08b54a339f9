"""The engine and its hooks: third-party readers and rules, the run-rule wrapper, configure,
failing rules, and the default rules over the real seed postings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from patchlint import hookimpl
from patchlint.engine import Engine
from patchlint.model.message import RawMessage
from patchlint.model.posting import Kind, Posting
from patchlint.rule import Rule, Violation
from patchlint.readers.source import Source

from paths import EXAMPLES, SEEDS, SHARED_SEEDS


class JsonLinesReader:
    """A third-party reader: one message per line of a ``.msgs`` file, ``\\n`` escaped."""

    @hookimpl
    def patchlint_read_source(self, source: Source) -> Iterator[RawMessage] | None:
        if source.path is None or source.path.suffix != ".msgs":
            return None
        lines = source.path.read_text().splitlines()
        return (
            RawMessage(source.name, i, line.replace("\\n", "\n").encode(), i + 1)
            for i, line in enumerate(lines)
        )


@dataclass(frozen=True)
class ShoutOptions:
    limit: int = 3


class NoShouting(Rule):
    """Summaries are not written in capitals.

    What it does:
        Reports a summary with more than ``limit`` capitalised words.

    Why it matters:
        Test rule.

    Bad:
        ``[PATCH] FIX THE BUG``

    Good:
        ``[PATCH] fix the bug``

    Options:
        limit (int, default 3).
    """

    code = "PL901"
    name = "no-shouting"
    Options = ShoutOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        if sum(w.isupper() for w in target.subject.summary.split()) > self.options.limit:
            yield self.violation(target, "summary in capitals")


class Broken(Rule):
    """Always fails.

    What it does:
        Raises.

    Why it matters:
        Test rule.

    Bad:
        Anything.

    Good:
        Nothing.

    Options:
        None.
    """

    code = "PL902"
    name = "broken-rule"

    def check(self, target: Posting) -> Iterator[Violation]:
        raise RuntimeError("boom")


class RulesPlugin:
    def __init__(self) -> None:
        self.configured = None

    @hookimpl
    def patchlint_rules(self):
        return [NoShouting, Broken]

    @hookimpl
    def patchlint_configure(self, config) -> None:
        self.configured = config


class Suppressor:
    """Wraps patchlint_run_rule to drop violations of one rule (as a suppression plugin would)."""

    @hookimpl(wrapper=True)
    def patchlint_run_rule(self, rule, target):
        found = yield
        return [v for v in found if v.code != "PL101"]


def patch_text(subject: str) -> str:
    return (
        "From: Ada Lovelace <ada@example.org>\\nSubject: " + subject
        + "\\nMessage-ID: <1@example.org>\\n\\nBody.\\n\\nSigned-off-by: Ada Lovelace <ada@example.org>\\n"
    )


def test_third_party_reader_and_rules(tmp_path: Path, write_config) -> None:
    source = tmp_path / "inbox.msgs"
    source.write_text(patch_text("[PATCH] NET: FIX THE BIG BUG") + "\n" + patch_text("[PATCH] net: fix it") + "\n")
    plugin = RulesPlugin()
    engine = Engine(write_config("select: [PL901, PL902]\nrules:\n  no-shouting:\n    options: {limit: 2}\n"),
                    plugins=[JsonLinesReader(), plugin])
    assert plugin.configured is engine.config
    report = engine.check([source])
    assert report.kinds[Kind.PATCH] == 2
    by_rule = {}
    for v in report.violations:
        by_rule.setdefault(v.code, []).append(v)
    assert [v.subject for v in by_rule["PL901"]] == ["[PATCH] NET: FIX THE BIG BUG"]
    # the broken rule fails on both postings without stopping the other rule
    assert len(by_rule["PL902"]) == 2
    assert "internal error in rule: RuntimeError: boom" in by_rule["PL902"][0].message


def test_run_rule_wrapper_can_suppress(tmp_path: Path) -> None:
    bad = tmp_path / "bad.eml"
    bad.write_text(patch_text("[Patch] net: fix it").replace("\\n", "\n"))
    assert any(v.code == "PL101" for v in Engine().check([bad]).violations)
    assert not any(v.code == "PL101" for v in Engine(plugins=[Suppressor()]).check([bad]).violations)


def test_duplicate_rule_codes_are_refused() -> None:
    class Clash(NoShouting):
        name = "other-name"

    class ClashPlugin:
        @hookimpl
        def patchlint_rules(self):
            return [NoShouting, Clash]

    from patchlint.plugins import PluginError

    with pytest.raises(PluginError, match="PL901"):
        Engine(plugins=[ClashPlugin()])


def test_report_accounts_for_every_message(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("just some notes, not mail\n")
    for item in (EXAMPLES / "series").iterdir():
        (tmp_path / item.name).write_bytes(item.read_bytes())
    report = Engine().check([tmp_path])
    assert report.messages == 4
    assert report.kinds[Kind.UNPARSEABLE] == 1
    assert [v.code for v in report.violations] == ["PL001"]
    assert report.summary_lines()[0] == "4 messages read (2 patch, 1 cover, 1 unparseable); 1 series"


def _seed_report(folder: Path):
    return Engine().check([folder])


def test_default_rules_on_the_seed_postings() -> None:
    report = _seed_report(SEEDS)
    assert report.messages == 28
    assert report.kinds == {Kind.COVER: 20, Kind.PATCH: 7, Kind.PULL: 1}
    found = {(Path(v.source).name, v.line, v.code) for v in report.violations}
    # Every seed diffstat is consistent: no diffstat rule fires on real postings, except on the
    # rows Thunderbird space-stuffed (tests/test_transport_rules.py).
    assert [f for f in found if f[2].startswith("PL4")] == [("004_271b2fddaf384f67.txt", 684, "PL403")]
    # The sender-forwards-author patches sign off correctly (pvtime 1/9 and 2/9, v14 01/10).
    assert not [f for f in found if f[2] == "PL301"]
    assert ("002_5641c758d10ec94f.txt", 476, "PL101") in found  # [Patch v3 0/2]
    assert ("003_ac23d1e01071424b.txt", 1343, "PL201") in found  # identical v3 and v2 entries


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_default_rules_on_the_shared_seeds() -> None:
    report = _seed_report(SHARED_SEEDS)
    assert report.messages == 28
    assert not [v for v in report.violations if v.code in ("PL001", "PL301", "PL401", "PL402")]


def test_a_mail_delivered_again_is_judged_once(tmp_path: Path) -> None:
    """A relay's copy of a patch is counted in the summary and yields no findings of its own."""
    patch = next((EXAMPLES / "series").glob("*0001*")).read_text()
    # Subject-prefix has something to say about a glued version: once, not twice.
    patch = patch.replace("[PATCH v2 ", "[PATCHv2 ", 1)
    copy = patch.replace("\nFrom: ", "\nReceived: from relay2.example.org by mx.example.org\nFrom: ", 1)
    box = tmp_path / "twice.mbox"
    box.write_text(patch.rstrip("\n") + "\n\n" + copy)
    report = Engine().check([box])
    assert report.messages == 2 and report.repeats == 1
    assert [v.code for v in report.violations if v.code == "PL101"] == ["PL101"]
    assert report.summary_lines()[0].endswith("; 1 repeated delivery of a posting (judged once)")
