"""The engine and its hooks: third-party readers and rules, the run-rule wrapper, configure,
failing rules, and the default rules over the real seed postings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from patchlint import hookimpl
from patchlint.engine import Engine, Input, Status
from patchlint.model.message import RawMessage
from patchlint.model.posting import Kind, Posting
from patchlint.rule import Rule, Scope, Violation
from patchlint.readers.source import Source

from paths import EXAMPLES, RULE_EXAMPLES, SEEDS


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
        __doc__ = NoShouting.__doc__
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
    (tmp_path / "reply.eml").write_text(
        "From: Bob <bob@example.org>\nSubject: Re: [PATCH v2 1/2] netfilter: nft_counter: reset\n\nLooks good.\n"
    )
    report = Engine().check([tmp_path])
    assert report.messages == 5
    assert report.kinds[Kind.UNPARSEABLE] == 1
    assert [v.code for v in report.violations] == ["PL001"]
    assert report.summary_lines()[:3] == [
        "5 messages read (2 patch, 1 cover, 1 reply, 1 unparseable); 1 series",
        "  3 checked, 1 skipped (1 reply), 1 unparseable",
        "  profiles: netfilter 3 postings",  # chosen from the To: of the example series
    ]


def accounting_inputs() -> list[Path]:
    """Every fixture the repository has: the examples, each rule's example mails, the seeds."""
    return [*sorted(EXAMPLES.iterdir()), *sorted(p for p in RULE_EXAMPLES.iterdir() if p.is_dir()), SEEDS]


@pytest.mark.parametrize("folder", accounting_inputs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_message_is_checked_skipped_or_unparseable(folder: Path) -> None:
    engine = Engine()
    read = sum(1 for _ in engine.read([folder]))
    run = engine.run([folder])
    outcomes = list(run)
    report = run.report
    messages = [o for o in outcomes if o.target.scope is Scope.POSTING]
    assert len(messages) == read == report.messages
    assert sum(report.statuses.values()) == read
    assert report.statuses[Status.SKIPPED] == sum(report.skipped.values())
    assert len({o.target.key for o in messages}) == read  # each message accounted for once
    assert all(o.reason for o in messages if o.status is not Status.CHECKED)
    assert report.series == sum(1 for o in outcomes if o.target.scope is Scope.SERIES)
    assert report.violations == [v for o in outcomes for v in o.violations]


def test_accounting_on_generated_inputs(tmp_path: Path) -> None:
    (tmp_path / "empty.eml").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)))
    (tmp_path / "headers-only.eml").write_text("From: a@example.org\nSubject: [PATCH] x: y\n")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "archive.mbox").write_bytes(
        b"\n".join(p.read_bytes() for p in sorted((EXAMPLES / "series").iterdir()))
    )
    report = Engine().check([tmp_path])
    assert report.messages == 6
    assert sum(report.statuses.values()) == 6
    assert report.statuses[Status.UNPARSEABLE] == 2  # the empty file and the binary one


class FailsOnSecond:
    """Makes the model raise for the message at index 1 only (what a model bug on one hostile
    mail does), through a posting property the run asks for."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        original = Posting.__dict__[name]

        def broken(posting: Posting):
            if posting.raw.index == 1:
                raise ValueError("hostile input")
            return (original.func if hasattr(original, "func") else original.fget)(posting)

        monkeypatch.setattr(Posting, name, property(broken))


@pytest.mark.parametrize("name", ["kind", "subject"])
def test_a_message_that_makes_the_model_raise_is_reported_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    archive = tmp_path / "archive.mbox"
    archive.write_bytes(b"\n".join(p.read_bytes() for p in sorted((EXAMPLES / "series").iterdir())))
    FailsOnSecond(monkeypatch, name)
    report = Engine().check([archive])
    assert report.messages == 3
    assert report.statuses[Status.UNPARSEABLE] == 1 and report.statuses[Status.CHECKED] == 2
    (fault,) = [v for v in report.violations if v.code == "PL001"]
    # Reported where the message's headers start: after the first, a blank line and a From_ line.
    assert fault.line == archive.read_bytes().split(b"\nFrom ")[0].count(b"\n") + 3
    assert fault.message.startswith("unparseable: ")
    assert "failed: ValueError: hostile input" in fault.message


class RaisingApplies(NoShouting):
    """Its applies() raises.

    What it does:
        Raises in applies().

    Why it matters:
        Test rule: a rule that fails is reported, and the others still run.

    Bad:
        Anything.

    Good:
        Nothing.

    Options:
        limit (int, default 3).
    """

    code = "PL903"
    name = "raising-applies"

    def applies(self, target) -> bool:
        raise KeyError("no such field")


class RaisingSeries(Broken):
    """A series rule that raises.

    What it does:
        Raises on every series.

    Why it matters:
        Test rule: a rule that fails is reported, and the others still run.

    Bad:
        Anything.

    Good:
        Nothing.

    Options:
        None.
    """

    code = "PL904"
    name = "raising-series"
    scope = Scope.SERIES

    def check(self, target):
        raise RuntimeError("series boom")


def test_a_rule_that_raises_becomes_an_internal_error_of_that_rule(tmp_path: Path, write_config) -> None:
    class Plugin:
        @hookimpl
        def patchlint_rules(self):
            return [RaisingApplies, RaisingSeries]

    engine = Engine(write_config("select: [PL903, PL904, PL301]\n"), plugins=[Plugin()])
    report = engine.check([EXAMPLES / "series"])
    by_code = Counter(v.code for v in report.violations)
    assert by_code == {"PL903": 2, "PL904": 1}  # one per patch, one for the series; PL301 ran too
    outcomes = Engine(write_config("select: [PL903, PL904, PL301]\n"), plugins=[Plugin()]).run([EXAMPLES / "series"])
    patches = [o for o in outcomes if o.target.scope is Scope.POSTING and o.target.kind is Kind.PATCH]
    assert [sorted(r.code for r in o.rules) for o in patches] == [["PL301", "PL903"]] * 2
    assert all("internal error in rule" in v.message for v in report.violations)
    assert "(applies()): KeyError" in next(v.message for v in report.violations if v.code == "PL903")


def test_a_series_that_cannot_be_judged_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from patchlint.model.series import Series

    def broken(series):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(Series, "anchor", property(broken))
    report = Engine().check([EXAMPLES / "series"])
    assert report.series == 1 and report.messages == 3
    (fault,) = [v for v in report.violations if v.code == "PL001"]
    assert "judging its series (finding its anchor) failed: RecursionError" in fault.message

    def no_grouping(postings, dedupe=True):
        raise RecursionError("deep thread")

    monkeypatch.setattr("patchlint.model.window.group_series", no_grouping)
    report = Engine().check([EXAMPLES / "series"])
    assert report.messages == 3
    assert any("grouping the postings into series failed: RecursionError: deep thread" in v.message for v in report.violations)


# -- rule choice per posting ---------------------------------------------------------------------


def netdev_when_listed(list_ids, addresses) -> str:
    """A stand-in chooser: netdev for mail to the netdev list, the default otherwise."""
    listed = "netdev.vger.kernel.org" in list(list_ids) or "netdev@vger.kernel.org" in list(addresses)
    return "netdev" if listed else "default"


def test_each_posting_is_judged_by_its_chosen_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("patchlint.engine.choose_profile", netdev_when_listed)
    for item in sorted((EXAMPLES / "series").iterdir()):
        data = item.read_bytes()
        if b"0000-cover" in item.name.encode():
            # Only the cover letter went to netdev: the series is judged by its anchor's profile.
            data = data.replace(b"To: netfilter-devel@vger.kernel.org", b"To: netdev@vger.kernel.org")
        (tmp_path / item.name).write_bytes(data)
    outcomes = list(Engine().run([tmp_path]))
    profiles = {(o.target.scope, o.target.kind): o.profile for o in outcomes}
    assert profiles[(Scope.POSTING, Kind.COVER)] == "netdev"
    assert profiles[(Scope.POSTING, Kind.PATCH)] == "default"
    assert profiles[(Scope.SERIES, Kind.COVER)] == "netdev"
    codes = {(o.target.kind, v.code) for o in outcomes if o.target.scope is Scope.POSTING for v in o.violations}
    assert (Kind.COVER, "PL109") in codes and (Kind.PATCH, "PL109") not in codes
    report = Engine().check([tmp_path])
    assert "  profiles: default 2 postings, netdev 1 posting" in report.summary_lines()


def test_a_choice_made_by_list_id_alone_is_asked_once_per_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "archive.mbox"
    mails = [p.read_text() for p in sorted((EXAMPLES / "series").iterdir())]
    archive.write_text("\n".join(m.replace("\nTo: ", "\nList-Id: <netfilter-devel.vger.kernel.org>\nTo: ", 1) for m in mails))
    asked: list[tuple[str, ...]] = []

    def by_list(list_ids, addresses):
        asked.append(tuple(list_ids))
        return "netdev"

    monkeypatch.setattr("patchlint.engine.choose_profile", by_list)
    assert {o.profile for o in Engine().run([archive])} == {"netdev"}
    assert asked == [("netfilter-devel.vger.kernel.org",)]
    # A chooser that reads the addresses is asked for every posting: they may differ.
    monkeypatch.setattr("patchlint.engine.choose_profile", netdev_when_listed)
    asked.clear()
    monkeypatch.setattr("patchlint.engine.Posting.recipients", property(lambda p: asked.append(()) or ()))
    list(Engine().run([archive]))
    assert len(asked) == 3


def test_a_given_configuration_judges_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(list_ids, addresses):
        raise AssertionError("a configuration was given: no profile is chosen")

    monkeypatch.setattr("patchlint.engine.choose_profile", never)
    outcomes = list(Engine("netdev").run([EXAMPLES / "series"]))
    assert {o.profile for o in outcomes} == {"netdev"}


def test_posting_facts_for_the_profile_choice(tmp_path: Path) -> None:
    mail = tmp_path / "m.eml"
    mail.write_text(
        "From: Ada <ada@example.org>\nTo: Linux Test Project <ltp@lists.linux.it>,\n Bob <bob@example.org>\n"
        "Cc: =?utf-8?q?Ren=C3=A9?= <rene@example.org>\nList-Id: Linux Test Project <LTP.lists.linux.it>\n"
        "Subject: [LTP] [PATCH] x: y\n\nBody\n"
    )
    (posting,) = Engine().read([mail])
    assert posting.list_ids == ("ltp.lists.linux.it",)
    assert [(p.name, p.email) for p in posting.recipients] == [
        ("Linux Test Project", "ltp@lists.linux.it"), ("Bob", "bob@example.org"), ("René", "rene@example.org"),
    ]


# -- settings, labels, records ---------------------------------------------------------------------


def test_settings_are_set_for_the_run_without_a_file(tmp_path: Path) -> None:
    from patchlint.config import ConfigError

    with pytest.raises(ConfigError) as raised:
        Engine(settings={"git-dir": str(tmp_path)}, settings_origin="--git-dir")
    assert str(raised.value) == f"--git-dir:1: git-dir: {tmp_path} is not a git repository"


def test_labels_are_relative_to_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "bad.mbox"
    target.parent.mkdir()
    target.write_bytes((RULE_EXAMPLES / "signed-off-by" / "bad-signoffs.mbox").read_bytes())
    monkeypatch.chdir(tmp_path)
    for given in (target, "out/bad.mbox", "./out/bad.mbox", tmp_path / "out"):
        report = Engine().check([given])
        assert {v.source for v in report.violations} == {"out/bad.mbox"}
    assert Input.of(tmp_path.parent / "elsewhere.mbox").label == str(tmp_path.parent / "elsewhere.mbox")
    assert Input.of("-").label == "<stdin>"
    assert len(Engine().inputs([target, "out/bad.mbox", "out"])) == 2  # one file given twice: read once


def test_violations_carry_the_message_id() -> None:
    report = Engine().check([RULE_EXAMPLES / "signed-off-by" / "bad-signoffs.mbox"])
    signoff = next(v for v in report.violations if v.code == "PL301")
    assert signoff.message_id == "cc86c692c029f708055b8585a3f5466e5573e44c.1795239960.git.ada@example.org"
    assert signoff.to_json()["message_id"] == signoff.message_id


def test_a_mail_delivered_again_is_judged_once(tmp_path: Path) -> None:
    """A relay's copy of a patch is counted in the summary and yields no findings of its own."""
    patch = next((EXAMPLES / "series").glob("*0001*")).read_text()
    # Subject-prefix has something to say about a version v0: once, not twice. (The series
    # goes to netfilter-devel, whose profile accepts a glued "PATCHv2".)
    patch = patch.replace("[PATCH v2 ", "[PATCH v0 ", 1)
    copy = patch.replace("\nFrom: ", "\nReceived: from relay2.example.org by mx.example.org\nFrom: ", 1)
    box = tmp_path / "twice.mbox"
    box.write_text(patch.rstrip("\n") + "\n\n" + copy)
    report = Engine().check([box])
    assert report.messages == 2 and report.repeats == 1
    assert [v.code for v in report.violations if v.code == "PL101"] == ["PL101"]
    assert report.summary_lines()[0].endswith("; 1 repeated delivery of a posting (judged once)")


def test_a_report_that_keeps_no_results_keeps_its_counts_and_warnings(tmp_path) -> None:
    """An archive's summary needs the counts per rule and the warnings, not every outcome: a
    report with keep_results False says the same, and holds no outcome."""
    from test_shards import busy_archive

    archive = tmp_path / "list.mbox"
    archive.write_text("\n".join(busy_archive(days=12).mails), encoding="utf-8")
    inputs = [archive, *sorted(SEEDS.iterdir()), *sorted((EXAMPLES / "problems").iterdir())]
    reports = []
    for keep in (True, False):
        run = Engine("default").run(inputs)
        run.report.keep_results = keep
        for _ in run:
            pass
        reports.append(run.report)
    kept, counted = reports
    assert counted.results == [] and len(kept.results) > 50
    assert counted.summary_lines() == kept.summary_lines()
    assert counted.failed == kept.failed is True
    warnings = counted.warnings()
    assert warnings == kept.warnings() == [v for v in kept.violations if v.severity.value == "warning"]
    # Series' warnings among them, after the messages' (PL201 on the busy list's v2 series).
    assert any(v.code == "PL201" for v in warnings) and warnings[-1].code == "PL201"
    with pytest.raises(RuntimeError, match="keep_results"):
        counted.violations
