"""patchlint as a pytest plugin: mail files become test files, rule checks become test items.

Inert unless ``--patchlint`` is given or the ini key ``patchlint = true`` is set, so installing
patchlint never changes another project's test run. Follows pytest's documented example of
collecting non-Python test files: ``pytest_collect_file`` → a :class:`MailFile` → items whose
``runtest`` raises :class:`PatchlintFailure` and whose ``repr_failure`` prints
``source:line: CODE name: message``.

Granularity: ``rule`` makes one item per (posting, rule) and per (series, rule), so ``-k`` selects
a rule or a posting and CI reports name the rule; ``posting`` makes one item per posting (a cover
letter's item also runs its series' rules), some forty times fewer items; ``series`` makes one
item per series, running the rules of all its postings and of the series, about three times
fewer again. The default, ``auto``, decides per file: ``rule`` for a file of up to
:data:`AUTO_LIMIT` postings (a series, a patch), ``series`` for an archive.
"""

from __future__ import annotations

import argparse
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from patchlint.config import ConfigError
from patchlint.engine import Engine, repeated_deliveries
from patchlint.model.posting import Kind, Posting
from patchlint.rule import Rule, Severity, Violation
from patchlint.model.series import Deliveries, Series, group_series
from patchlint.readers.source import path_source, read_source

GRANULARITIES = ("auto", "rule", "posting", "series")
# Files holding more postings than this are archives: one item per posting (pytest costs about a
# millisecond an item, and a patch meets some forty rules).
AUTO_LIMIT = 100
# Files that are never mail, whatever their first line looks like.
NEVER_MAIL = frozenset({".py", ".pyc", ".yaml", ".yml", ".toml", ".json", ".cfg", ".ini", ".md", ".rst"})
MAIL_SUFFIXES = frozenset({".eml", ".patch", ".mbox", ".mbx", ".mbx", ".msg"})


class PatchlintWarning(UserWarning):
    """A violation whose severity is ``warning``: shown, but the check passes."""


class PatchlintFailure(Exception):
    """Raised by an item whose checks found violations of severity ``error``."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(f"{len(violations)} violation(s)")
        self.violations = violations


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("patchlint", "patch posting checks (patchlint)")
    group.addoption(
        "--patchlint", action="store_true", default=None,
        help="check patch postings (mail files, mboxes, Maildirs, patchwork exports) with patchlint",
    )
    group.addoption("--patchlint-config", metavar="FILE", help="patchlint YAML rule configuration")
    group.addoption(
        "--patchlint-granularity", choices=GRANULARITIES, default=None,
        help="one test item per (posting, rule), per posting, per series, or auto [default]: per "
        f"rule for files of up to {AUTO_LIMIT} postings, per series for larger ones",
    )
    group.addoption("--patchlint-name", action="append", default=[], metavar="PATH=LABEL",
                    help=argparse.SUPPRESS)  # internal: `patchlint check -` names its spool file <stdin>
    parser.addini("patchlint", type="bool", default=False, help="enable patchlint checks")
    parser.addini("patchlint_config", default="", help="patchlint YAML rule configuration")
    parser.addini("patchlint_granularity", default="auto", help="auto, rule, posting or series")


def pytest_configure(config: pytest.Config) -> None:
    enabled = config.getoption("patchlint") or config.getini("patchlint")
    if not enabled:
        return
    config_file = config.getoption("patchlint_config") or config.getini("patchlint_config") or None
    if config_file and not config.getoption("patchlint_config"):
        # The ini key is relative to the ini file; a bare name that is no file there is a profile.
        beside = Path(str(config.inipath or ".")).parent / config_file
        config_file = str(beside) if beside.exists() else config_file
    granularity = config.getoption("patchlint_granularity") or config.getini("patchlint_granularity")
    if granularity not in GRANULARITIES:
        raise pytest.UsageError(f"patchlint_granularity must be one of {GRANULARITIES}, not {granularity!r}")
    try:
        engine = Engine(config_file)
    except ConfigError as exc:
        raise pytest.UsageError(f"patchlint configuration: {exc}") from None
    names = dict(item.split("=", 1) for item in config.getoption("patchlint_name"))
    config.pluginmanager.register(PatchlintPlugin(config, engine, granularity, names), "patchlint-session")


class PatchlintPlugin:
    """The per-session state: the engine, what was read, and the series built from it."""

    def __init__(self, config: pytest.Config, engine: Engine, granularity: str, names: dict[str, str]) -> None:
        self.config = config
        self.engine = engine
        self.granularity = granularity
        self.names = names
        self.kinds: Counter[Kind] = Counter()
        self.deliveries = Deliveries()
        self.repeats = 0
        self.postings: list[tuple[Posting, MailFile]] = []
        self.series_count = 0
        self.violations: list[Violation] = []
        self.posting_items: dict[int, CheckItem] = {}

    def label(self, path: Path) -> str:
        """How a source is named in reports: relative to where pytest was started, if possible."""
        if str(path) in self.names:
            return self.names[str(path)]
        return _relative(path, self.config.invocation_params.dir)

    @pytest.hookimpl
    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> MailFile | None:
        suffix = file_path.suffix.lower()
        if suffix in NEVER_MAIL or file_path.name.startswith("."):
            return None
        if _inside_maildir_tmp(file_path):
            return None
        try:
            source = path_source(self.engine.manager.hook, file_path, self.label(file_path))
        except OSError:
            source = None
        recognised = source is not None and self.engine.manager.hook.patchlint_read_source(source=source) is not None
        if recognised or suffix in MAIL_SUFFIXES:
            return MailFile.from_parent(parent, path=file_path)
        return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session: pytest.Session, items: list[pytest.Item]) -> None:
        # Series span files: build them once every file is collected, before -k/-m deselect.
        file_of = {id(p): node for p, node in self.postings}
        all_series = group_series(p for p, _ in self.postings)
        self.series_count = len(all_series)
        posting_rules = self.engine.posting_rules
        for series in all_series:
            node = file_of[id(series.anchor)]
            rules = [r for r in self.engine.series_rules if r.applies(series)]
            # Series granularity: the postings of archive files are checked by their series' item.
            pending = [
                (rule, posting)
                for posting in series.postings
                if file_of[id(posting)].mode == "series"
                for rule in posting_rules
                if rule.applies(posting)
            ]
            name = f"series {_clean(series.label)}"
            if node.mode == "series":
                checks = pending + [(rule, series) for rule in rules]
                if checks:
                    items.append(CheckItem.from_parent(node, name=name, target=series, checks=checks))
                continue
            if pending:  # an archive's postings in a series anchored in a smaller file
                holder = file_of[id(pending[0][1])]
                items.append(CheckItem.from_parent(holder, name=name, target=series, checks=pending))
            if not rules:
                continue
            item = self.posting_items.get(id(series.anchor))
            if item is not None:
                # Posting granularity: the series is checked by its cover letter's item.
                item.checks.extend((rule, series) for rule in rules)
                continue
            collector = TargetNode.from_parent(node, name=name, target=series, rules=rules, mode=node.mode)
            items.extend(collector.collect())

    def pytest_terminal_summary(self, terminalreporter, exitstatus: int) -> None:
        reporter = terminalreporter
        reporter.section("patchlint")
        total = sum(self.kinds.values())
        kinds = ", ".join(f"{self.kinds[k]} {k}" for k in Kind if self.kinds[k]) or "none"
        reporter.write_line(
            f"{total} messages read ({kinds}); {self.series_count} series" + repeated_deliveries(self.repeats)
        )
        by_rule = Counter((v.code, v.rule, str(v.severity)) for v in self.violations)
        for (code, name, severity), count in sorted(by_rule.items()):
            reporter.write_line(f"  {code} {name} ({severity}): {count}")
        if not by_rule:
            reporter.write_line("  no violations")


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def _inside_maildir_tmp(path: Path) -> bool:
    parent = path.parent
    return parent.name == "tmp" and (parent.parent / "cur").is_dir() and (parent.parent / "new").is_dir()


def _clean(text: str, limit: int = 90) -> str:
    # "::" separates node names; keep ids on one line and of readable length.
    text = " ".join(text.replace("::", ":").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plugin(node: pytest.Node) -> PatchlintPlugin:
    return node.config.pluginmanager.get_plugin("patchlint-session")


class MailFile(pytest.File):
    """A file of mail: one message, an mbox, a patchwork export."""

    mode: str = "rule"

    def collect(self) -> Iterator[pytest.Node]:
        plugin = _plugin(self)
        engine = plugin.engine
        source = path_source(engine.manager.hook, self.path, plugin.label(self.path))
        postings = [Posting(raw) for raw in read_source(engine.manager.hook, source)]
        self.mode = plugin.granularity
        if self.mode == "auto":
            count = sum(1 for posting in postings if posting.is_posting)
            self.mode = "series" if count > AUTO_LIMIT else "rule"
        for posting in postings:
            raw = posting.raw
            plugin.kinds[posting.kind] += 1
            if posting.is_posting and plugin.deliveries.repeat_of(posting) is not None:
                plugin.repeats += 1  # the same mail again: judged once
                continue
            rules = [r for r in engine.posting_rules if r.applies(posting)]
            if posting.is_posting:
                plugin.postings.append((posting, self))
            if not rules:
                continue
            if posting.error:
                name = f"#{raw.index} unparseable"
            else:
                name = f"#{raw.index} {_clean(posting.subject.raw or '(no subject)')}"
            if self.mode == "series" and posting.is_posting:
                continue  # checked with its series, once all files are collected
            if self.mode in ("posting", "series"):
                # One item straight under the file: a collector per posting would double the
                # nodes pytest has to set up, report and tear down in an archive audit.
                item = CheckItem.from_parent(self, name=name, target=posting, rules=rules)
                plugin.posting_items[id(posting)] = item
                yield item
            else:
                yield TargetNode.from_parent(self, name=name, target=posting, rules=rules, mode=self.mode)


class TargetNode(pytest.Collector):
    """A posting, or a series, with the rules that judge it; ``mode`` is its file's granularity.

    A posting's node is collected by pytest; a series' node is made once all files are
    collected, and its items are added to the session directly.
    """

    def __init__(self, *, target: Posting | Series, rules: list[Rule], mode: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.rules = rules
        self.mode = mode

    def collect(self) -> list[pytest.Item]:
        if self.mode == "posting":
            return [CheckItem.from_parent(self, name="all rules", target=self.target, rules=self.rules)]
        return [
            CheckItem.from_parent(self, name=f"{rule.code}-{rule.name}", target=self.target, rules=[rule])
            for rule in self.rules
        ]


class CheckItem(pytest.Item):
    """Runs one rule (or, with posting granularity, all of them) on one posting or series.

    With posting granularity the item of a series' cover letter (or first patch) also runs the
    series rules, added to ``checks`` once all files are collected.
    """

    def __init__(
        self,
        *,
        target: Posting | Series,
        rules: list[Rule] = (),  # type: ignore[assignment]
        checks: list[tuple[Rule, Posting | Series]] = (),  # type: ignore[assignment]
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.checks: list[tuple[Rule, Posting | Series]] = [(rule, target) for rule in rules]
        self.checks.extend(checks)
        for rule, _ in self.checks:
            self.extra_keyword_matches.update((rule.code, rule.name))

    def runtest(self) -> None:
        plugin = _plugin(self)
        found: list[Violation] = []
        for rule, target in self.checks:
            found.extend(plugin.engine.run_rule(rule, target).violations)
        plugin.violations.extend(found)
        for violation in found:
            self.user_properties.append(("violation", violation.format()))
            if violation.severity is Severity.WARNING:
                warnings.warn(PatchlintWarning(violation.format()), stacklevel=1)
        errors = [v for v in found if v.severity is Severity.ERROR]
        if errors:
            raise PatchlintFailure(errors)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, PatchlintFailure):
            return "\n".join(v.format() for v in excinfo.value.violations)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        posting = self.target.anchor if isinstance(self.target, Series) else self.target
        line = posting.raw.line - 1
        return self.path, line, f"{self.name}: {_clean(posting.subject.raw or posting.raw.source)}"
