"""patchlint as a pytest plugin: an adapter that turns the engine's run into test items.

Inert unless ``--patchlint`` is given or the ini key ``patchlint = true`` is set, so installing
patchlint never changes another project's test run.

The engine's :class:`~patchlint.engine.Run` executes during collection: every rule runs then,
and each item only reports the outcome stored for it, so the same input gives the same findings
and counts as :meth:`Engine.check <patchlint.engine.Engine.check>`, "collected N items" is what
runs, and ``-k`` is applied to each (target, rule) pair before the rule runs (``-k PL301``
selects that rule at every granularity). :mod:`patchlint.items` decides the items from the
outcomes. A quiet ``patchlint check -q`` streams instead: the run executes in the test loop, and
each stretch of items is made, collected and run as its outcomes come (see ``_streams``).

Two ways in:

* ``patchlint check`` (see :mod:`patchlint.cli`) hands pytest a :class:`CheckRequest`: the
  plugin then collects those inputs itself (pytest walks nothing, imports nothing from them).
* ``pytest --patchlint`` in a project: pytest walks its paths with the project's settings; the
  mail files it meets (recognised by content, a mail suffix, or named on the command line) are
  the run's inputs.

Granularity: ``rule`` makes one item per (posting or series, rule); ``posting`` one per posting
(a cover letter's item also reports its series' rules); ``series`` one per series, reporting the
rules of all its postings and of the series. ``auto`` decides per file: ``rule`` for a file of up
to :data:`AUTO_LIMIT` postings, ``series`` for an archive.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from patchlint.config import ConfigError
from patchlint.plugins import PluginError
from patchlint.engine import Engine, Input, Outcome, Report, Run, Selector, Target, label_for
from patchlint.items import AUTO_LIMIT, GRANULARITIES, ItemPlanner, ItemSpec, plan_items, target_name
from patchlint.progress import track
from patchlint.readers.source import leads_back, path_source
from patchlint.report import FailOn, FormatRequest, ReportError, Results, check_requests, with_automatic, write_reports
from patchlint.rule import Rule, Scope, Severity, Violation

# Files `pytest --patchlint` claims while walking a project even when no reader recognises them
# (then reported as unparseable); others are claimed when a reader recognises their content.
MAIL_SUFFIXES = frozenset({".eml", ".patch", ".mbox", ".mbx", ".msg"})


# -- -k before anything runs -------------------------------------------------------------------


def keyword_selector(expression: str, file_names: Callable[[str], Sequence[str]]) -> Selector | None:
    """A selector evaluating pytest's ``-k`` expression on each (target, rule) pair, with the
    names its item will carry: the file's node names, the target's, the rule's code and name.
    None when there is no expression (or pytest's expression module is not importable)."""
    if not expression.strip():
        return None
    try:
        from _pytest.mark.expression import Expression
    except ImportError:  # pytest's own -k on items still applies
        return None
    try:
        compiled = Expression.compile(expression)
    except SyntaxError:
        return None  # pytest reports the bad expression itself
    cache: dict[tuple[str, int, Scope], list[str]] = {}

    def select(target: Target, rule: Rule) -> bool:
        key = (target.source, target.index, target.scope)
        names = cache.get(key)
        if names is None:
            names = [n.lower() for n in (*file_names(target.source), target_name(target))]
            cache[key] = names
        candidates = [*names, rule.code.lower(), rule.name.lower(), f"{rule.code}-{rule.name}".lower()]

        def matcher(subname: str, /, **kwargs: object) -> bool:
            wanted = subname.lower()
            return not kwargs and any(wanted in name for name in candidates)

        return bool(compiled.evaluate(matcher))

    return select


# -- the pytest side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRequest:
    """What ``patchlint check`` hands to pytest (as a plugin object): an engine built from its
    options and the inputs to read. With it, the plugin collects the inputs itself."""

    engine: Engine
    inputs: tuple[Input, ...]
    granularity: str | None = None
    audit: bool = False  # print the audit after the summary (patchlint check --audit)
    progress: bool = False  # show progress while the run reads (standard output is a terminal)
    formats: tuple[FormatRequest, ...] = ()
    fail_on: FailOn = FailOn.ERROR
    options: Mapping[str, str] = field(default_factory=dict, compare=False)


class PatchlintFailure(Exception):
    """Raised by an item whose checks found violations of severity ``error``."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        super().__init__(f"{len(violations)} violation(s)")
        self.violations = list(violations)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("patchlint", "patch posting checks (patchlint)")
    group.addoption(
        "--patchlint", action="store_true", default=None,
        help="check patch postings (mail files, mboxes, Maildirs, patchwork exports) with patchlint",
    )
    group.addoption(
        "--patchlint-config", metavar="FILE",
        help="patchlint YAML rule configuration or profile name (default: the ini key patchlint_config, else "
        ".patchlint.yaml, patchlint.yaml or pyproject.toml's [tool.patchlint] found from the paths up to the "
        "repository's top, as patchlint check finds it)",
    )
    group.addoption(
        "--patchlint-isolated", action="store_true", default=False,
        help="use no patchlint configuration found in the tree (--patchlint-config and the ini key still apply)",
    )
    group.addoption(
        "--patchlint-granularity", choices=GRANULARITIES, default=None,
        help="one test item per (posting, rule), per posting, per series, or auto [default]: per "
        f"rule for files of up to {AUTO_LIMIT} postings, per series for larger ones",
    )
    group.addoption(
        "--patchlint-git-dir", metavar="REPO",
        help="a git repository to resolve Fixes: and commit references in (the git-dir setting)",
    )
    group.addoption(
        "--patchlint-format", metavar="NAME[=FILE]", action="append", default=[],
        help="also write the report NAME (json, sarif, checkpatch, github …) to FILE, or after "
        "pytest's report without FILE; may be given several times",
    )
    group.addoption(
        "--patchlint-fail-on", choices=[str(f) for f in FailOn], default=None,
        help="the least severity that fails: error [default], warning, or never",
    )
    parser.addini("patchlint", type="bool", default=False, help="enable patchlint checks")
    parser.addini("patchlint_config", default="", help="patchlint YAML rule configuration")
    parser.addini("patchlint_granularity", default="auto", help="auto, rule, posting or series")


def pytest_configure(config: pytest.Config) -> None:
    request = next((p for p in config.pluginmanager.get_plugins() if isinstance(p, CheckRequest)), None)
    granularity = config.getoption("patchlint_granularity") or config.getini("patchlint_granularity")
    if request is not None:
        granularity = request.granularity or granularity
    if granularity not in GRANULARITIES:
        raise pytest.UsageError(f"patchlint_granularity must be one of {GRANULARITIES}, not {granularity!r}")
    if request is not None:
        session = PatchlintSession(
            config, request.engine, granularity, request.inputs, request.formats, request.fail_on, request.options
        )
        session.audit = request.audit
        session.progress = request.progress
        config.pluginmanager.register(session, "patchlint-session")
        return
    if not (config.getoption("patchlint") or config.getini("patchlint")):
        return
    git_dir = config.getoption("patchlint_git_dir")
    settings = {"git-dir": str(Path(git_dir).resolve())} if git_dir else None
    try:
        engine = Engine(settings=settings, settings_origin="--patchlint-git-dir", **_configuration(config))
        requests = [FormatRequest.parse(text) for text in config.getoption("patchlint_format")]
        check_requests(engine.manager, requests)
    except ConfigError as exc:
        raise pytest.UsageError(f"patchlint configuration: {exc}") from None
    except ReportError as exc:
        raise pytest.UsageError(f"patchlint: {exc}") from None
    except PluginError as exc:
        raise pytest.UsageError(f"patchlint plugin: {exc}") from None
    fail_on = FailOn(config.getoption("patchlint_fail_on") or FailOn.ERROR)
    session = PatchlintSession(config, engine, granularity, None, with_automatic(requests), fail_on)
    config.pluginmanager.register(session, "patchlint-session")


def _configuration(config: pytest.Config) -> dict[str, object]:
    """The engine's configuration for ``pytest --patchlint``: ``--patchlint-config``, else the
    ini key ``patchlint_config`` (relative to the ini file), else, unless
    ``--patchlint-isolated``, the one ``patchlint check`` would find for the paths pytest was
    given (its plugins refused: it comes from the checked tree); else none."""
    from patchlint.discovery import DiscoveryError, discover, start_for_path

    named = config.getoption("patchlint_config")
    if named:
        return {"config": named, "origin": "--patchlint-config"}
    key = config.getini("patchlint_config")
    if key:
        # The ini key is relative to the ini file; a bare name that is no file there is a profile.
        ini = Path(str(config.inipath or "."))
        beside = ini.parent / key
        return {"config": str(beside) if beside.exists() else key, "origin": f"patchlint_config in {ini.name}"}
    if config.getoption("patchlint_isolated"):
        return {}
    cwd = config.invocation_params.dir
    paths = [str(arg).split("::", 1)[0] for arg in config.args] or ["."]
    try:
        found = discover([start_for_path(path, cwd) for path in paths], cwd)
    except DiscoveryError as exc:
        raise pytest.UsageError(f"patchlint: {exc}") from None
    if found is None:
        return {}
    return found.engine_settings()


class PatchlintSession:
    """The per-session state: the engine, the run's report and the planned items.

    ``inputs`` set (``patchlint check``): this plugin collects them itself. None (``pytest
    --patchlint``): the mail files pytest walks past are gathered, then run together.
    """

    def __init__(
        self, config: pytest.Config, engine: Engine, granularity: str, inputs: Sequence[Input] | None,
        formats: Sequence[FormatRequest] = (), fail_on: FailOn = FailOn.ERROR, options: Mapping[str, str] | None = None,
    ) -> None:
        self.config = config
        self.engine = engine
        self.granularity = granularity
        self.inputs = None if inputs is None else tuple(inputs)
        self.formats = tuple(formats)
        self.fail_on = fail_on
        self.options = dict(options or {})
        self.mail_files: list[MailFile] = []
        self.report: Report | None = None
        self.outcomes: tuple[Outcome, ...] = ()
        self.specs: dict[str, list[ItemSpec]] | None = None
        self.warned: set[str] = set()
        self.item_ids: set[str] = set()  # node ids of the items this plugin made
        self.audit = False
        self.progress = False
        self.streaming = False  # the items are made and run as the outcomes come (see _streams)
        self.stopped = False  # -x or --maxfail stopped a streaming run before its inputs' end

    # -- running the engine ---------------------------------------------------------------------

    def execute(self, inputs: Sequence[Input], file_names: Callable[[str], Sequence[str]]) -> list[str]:
        """Run the engine over ``inputs`` and plan the items; returns the sources in input order."""
        run = self._run(inputs, file_names)
        outcomes = list(track(run, self.progress))
        # Kept only for the report writers (an archive's outcomes are otherwise let go).
        self.outcomes = tuple(outcomes) if self.formats else ()
        specs = plan_items(outcomes, self.granularity)
        sources = list(dict.fromkeys(o.target.source for o in outcomes if o.target.scope is Scope.POSTING))
        del outcomes  # the items' specifications hold what is reported
        self.specs = defaultdict(list)
        for spec in specs:
            self.specs[spec.source].append(spec)
        return sources

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session: pytest.Session) -> bool | None:
        """``patchlint check``: collect the inputs without pytest walking (or importing) them.

        A quiet run (``-q``) that asks nothing of the whole collection streams instead: nothing
        is collected now, and :meth:`pytest_runtestloop` makes each stretch of items as the
        engine's outcomes come and runs it, so an archive's items never exist all at once."""
        if self.inputs is None:
            return None
        hook = session.config.hook
        session.items = []
        if _streams(session.config):
            self.streaming = True
            hook.pytest_collection_finish(session=session)
            return True
        try:
            with _worker_errors():
                sources = self.execute(self.inputs, lambda source: (source,))
            for source in sources:
                node = SourceNode.from_parent(session, name=source, nodeid=source, source=source)
                session.items.extend(session.genitems(node))
            hook.pytest_collection_modifyitems(session=session, config=session.config, items=session.items)
        finally:
            hook.pytest_collection_finish(session=session)
        session.testscollected = len(session.items)
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool | None:
        """A streaming run: make the items stretch by stretch and run each (one item of
        look-ahead, so pytest tears down only what the next item does not share)."""
        if not self.streaming:
            return None
        items = self._stream(session)
        try:
            with _worker_errors():
                previous: pytest.Item | None = None
                for item in items:
                    if previous is not None:
                        self._protocol(session, previous, item)
                    previous = item
                if previous is not None:
                    self._protocol(session, previous, None)
        finally:
            items.close()  # stopped early: the run's outcomes so far are the report's
        return True

    def _protocol(self, session: pytest.Session, item: pytest.Item, nextitem: pytest.Item | None) -> None:
        item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
        # Ids are kept only while their reports come (see pytest_runtest_logreport).
        self.item_ids.discard(item.nodeid)
        self.warned.discard(item.nodeid)
        # The terminal reporter keeps the id of every item it reported, for the progress style's
        # percentage, which a streaming run does not show (console_output_style=classic): a
        # set as large as the archive's items, let go item by item.
        reported = getattr(self._reporter, "_progress_nodeids_reported", None)
        if isinstance(reported, set) and not getattr(self._reporter, "_show_progress_info", False):
            reported.discard(getattr(item, "id", item.nodeid))
        if session.shouldfail or session.shouldstop:
            self.stopped = True
            if session.shouldfail:
                raise session.Failed(session.shouldfail)
            raise session.Interrupted(session.shouldstop)

    def _run(self, inputs: Sequence[Input], file_names: Callable[[str], Sequence[str]]) -> Run:
        """The engine's run of ``inputs`` with -k applied (``file_names`` gives a source's node
        names), its report this session's; it keeps outcomes only for report writers."""
        run = self.engine.run(inputs, keyword_selector(self.config.getoption("keyword") or "", file_names))
        run.report.keep_results = bool(self.formats)
        self.report = run.report
        return run

    def _stream(self, session: pytest.Session) -> Iterator[pytest.Item]:
        run = self._run(self.inputs or (), lambda source: (source,))
        planner = ItemPlanner(self.granularity)
        kept: list[Outcome] | None = [] if self.formats else None  # for the report writers only
        nodes: dict[str, SourceNode] = {}
        try:
            for outcome in run:
                if kept is not None:
                    kept.append(outcome)
                specs = planner.add(outcome)
                if specs:
                    yield from self._made(session, specs, nodes)
            specs = planner.finish()
            if specs:
                yield from self._made(session, specs, nodes)
        finally:
            self.outcomes = tuple(kept or ())

    def _made(self, session: pytest.Session, specs: Sequence[ItemSpec], nodes: dict[str, SourceNode]) -> list[pytest.Item]:
        """The items of one stretch, collected as pytest collects (the hooks that see each
        item and the stretch's list run, so -k, -m and --deselect apply)."""
        by_source: dict[str, list[ItemSpec]] = defaultdict(list)
        for spec in specs:
            by_source[spec.source].append(spec)
        items: list[pytest.Item] = []
        for source, group in by_source.items():
            node = nodes.get(source)
            if node is None:
                node = nodes[source] = SourceNode.from_parent(session, name=source, nodeid=source, source=source)
            # _children fills a target's node as it goes: collect the nodes once all are made.
            for child in list(_children(node, group, source)):
                items.extend([child] if isinstance(child, pytest.Item) else child.collect())
        hook = session.config.hook
        for item in items:
            hook.pytest_itemcollected(item=item)
        hook.pytest_collection_modifyitems(session=session, config=session.config, items=items)
        session.testscollected += len(items)
        return items

    @pytest.hookimpl
    def pytest_ignore_collect(self, collection_path: Path, config: pytest.Config) -> bool | None:
        """``pytest --patchlint``: leave a symbolic link back into the walk alone. pytest would
        follow it some forty levels deep, and every mail below it would be read once per level
        (one patch became 41 messages, 40 of them "repeated deliveries")."""
        if self.inputs is None and leads_back(collection_path):
            return True
        return None

    @pytest.hookimpl
    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> MailFile | None:
        """``pytest --patchlint``: claim the mail files pytest walks past."""
        if self.inputs is not None or file_path.name.startswith(".") or _inside_maildir_tmp(file_path):
            return None
        suffix = file_path.suffix.lower()
        if suffix in (".py", ".pyc"):  # pytest's own
            return None
        named = parent.session.isinitpath(file_path)
        if not (named or suffix in MAIL_SUFFIXES or self._recognised(file_path)):
            return None
        # Gathered when pytest collects it (MailFile.collect), not now: for a file argument
        # pytest makes nodes for every file of its directory, then keeps the one asked for.
        return MailFile.from_parent(parent, path=file_path)

    def _recognised(self, path: Path) -> bool:
        hook = self.engine.manager.hook
        try:
            return hook.patchlint_read_source(source=path_source(hook, path)) is not None
        except OSError:
            return False

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session: pytest.Session, items: list[pytest.Item]) -> None:
        """``pytest --patchlint``: run the engine over the gathered mail files, then collect them
        again, now with their items (reported to pytest as collected, so the count is right)."""
        if self.inputs is not None or not self.mail_files:
            return
        cwd = self.config.invocation_params.dir
        files = {label_for(node.path, cwd): node for node in self.mail_files}
        chains = {label: _chain_names(node) for label, node in files.items()}
        self.execute([Input(str(node.path), label) for label, node in files.items()], lambda s: chains.get(s, (s,)))
        for node in files.values():
            items.extend(session.genitems(node))

    # -- reporting ------------------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Forget the setup and teardown reports of this plugin's items once the terminal
        reporter has counted them (they passed and hold no teardown output).

        The terminal reporter keeps every report; for each failure it prints it scans the kept
        setup and teardown reports for that item's teardown output, a cost of failures × items
        on an archive (and memory in proportion to it). Our items have no fixtures: there is
        never any such output to find.
        """
        if report.nodeid not in self.item_ids:
            return
        if report.when == "call":
            if self.streaming:
                self._slim(report)
            return
        if not report.passed or any("teardown" in name for name, _ in report.sections):
            return
        kept = getattr(self._reporter, "stats", {}).get("", [])
        if kept and kept[-1] is report:
            kept.pop()

    @property
    def _reporter(self):
        return self.config.pluginmanager.get_plugin("terminalreporter")

    def _slim(self, report: pytest.TestReport) -> None:
        """A streaming run keeps of each call report only what pytest's summary prints: a
        failure's report without its keywords and properties (the report writers and JUnit
        have taken them), a pass as one shared counted placeholder unless -rP or -rp lists
        passes. Otherwise the reports are what grows with an archive's size."""
        report.keywords = {}
        report.user_properties = []
        reporter = self._reporter
        if not report.passed or reporter is None or reporter.hasopt("P") or reporter.hasopt("p"):
            return
        kept = reporter.stats.get("passed", [])
        if kept and kept[-1] is report:
            kept[-1] = COUNTED_PASS

    def pytest_report_teststatus(self, report: pytest.TestReport, config: pytest.Config):
        if report.when == "call" and report.passed and report.nodeid in self.warned:
            return "passed", "W", ("WARNING", {"yellow": True})
        return None

    def results(self) -> Results | None:
        """What the run found, for the report writers (None before it ran)."""
        if self.report is None:
            return None
        return Results.of(self.engine, self.outcomes, self.report, self.fail_on, self.options)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Write the report files; with ``--fail-on never`` violations do not fail the run."""
        if self.fail_on is FailOn.NEVER and session.exitstatus == pytest.ExitCode.TESTS_FAILED:
            session.exitstatus = pytest.ExitCode.OK
        files = [r for r in self.formats if not r.to_stdout]
        results = self.results()
        if not files or results is None:
            return
        try:
            write_reports(self.engine.manager, results, files)
        except ReportError as exc:
            sys.stderr.write(f"patchlint: {exc}\n")
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter, exitstatus: int, config: pytest.Config):
        # Quiet runs (an archive audit with -q) lead with the summary; others end with it.
        quiet = terminalreporter.verbosity < 0
        if quiet:
            self._write_summary(terminalreporter)
        try:
            return (yield)
        finally:
            if not quiet:
                self._write_summary(terminalreporter)
            self._write_stdout_reports(terminalreporter)

    def _write_stdout_reports(self, reporter) -> None:
        """The formats asked for without a file, after pytest's own report."""
        wanted = [r for r in self.formats if r.to_stdout]
        results = self.results()
        if not wanted or results is None:
            return
        text = io.StringIO()
        write_reports(self.engine.manager, results, wanted, text)
        reporter.write(text.getvalue())

    def _write_summary(self, reporter) -> None:
        if self.report is None:
            return
        reporter.section("patchlint")
        for line in self.report.summary_lines():
            reporter.write_line(line)
        if self.stopped:
            reporter.write_line("  stopped early (-x or --maxfail): the counts are of the messages read until then")
        if self.audit:
            for line in self.report.audit.lines():
                reporter.write_line(line)
        for violation in self.report.warnings():
            reporter.write_line(violation.format(), yellow=True)  # pytest drops colour for NO_COLOR


@dataclass(frozen=True)
class CountedPass:
    """Stands for a passed item's report in the terminal reporter's tally (see ``_slim``)."""

    when: str = "call"
    passed: bool = True
    failed: bool = False
    skipped: bool = False
    count_towards_summary: bool = True


COUNTED_PASS = CountedPass()


@contextlib.contextmanager
def _worker_errors() -> Iterator[None]:
    """A ``-n`` worker that failed ends the session with one line and exit code 3 (an error of
    the tool), not with pytest's internal-error traceback."""
    from patchlint.shards import WorkerError

    try:
        yield
    except WorkerError as exc:
        pytest.exit(exc.explained(), returncode=pytest.ExitCode.INTERNAL_ERROR)


def _streams(config: pytest.Config) -> bool:
    """Whether ``patchlint check`` may stream its items: a quiet run (``-q``) where nothing needs
    the whole collection first (listing it, reordering it by the cache, stepping through it, or
    handing it to xdist workers). Other runs collect everything, then run it."""
    if config.get_verbosity() >= 0 or config.getoption("dist", "no") != "no":
        return False
    wanted = ("collectonly", "lf", "failedfirst", "newfirst", "stepwise", "stepwise_skip")
    return not any(config.getoption(name, False) for name in wanted)


def _chain_names(node: pytest.Node) -> tuple[str, ...]:
    """The names ``-k`` matches for a file node: its own and its directories' (pytest leaves out
    the session and the root directory)."""
    names = []
    for each in node.listchain():
        if isinstance(each, pytest.Session) or (isinstance(each, pytest.Directory) and isinstance(each.parent, pytest.Session)):
            continue
        names.append(each.name)
    return tuple(names)


def _inside_maildir_tmp(path: Path) -> bool:
    parent = path.parent
    return parent.name == "tmp" and (parent.parent / "cur").is_dir() and (parent.parent / "new").is_dir()


def _plugin(node: pytest.Node) -> PatchlintSession:
    return node.config.pluginmanager.get_plugin("patchlint-session")


def _children(parent: pytest.Collector, specs: Sequence[ItemSpec], location: str) -> Iterator[pytest.Node]:
    """The nodes under a source's node: items, and a node per target at rule granularity."""
    grouped: dict[str, list[ItemSpec]] = {}
    for spec in specs:
        if len(spec.names) == 1:
            yield CheckItem.from_parent(parent, name=spec.names[0], spec=spec, location_path=location)
        elif spec.names[0] not in grouped:
            grouped[spec.names[0]] = [spec]
            yield TargetNode.from_parent(parent, name=spec.names[0], specs=grouped[spec.names[0]], location_path=location)
        else:
            grouped[spec.names[0]].append(spec)


class SourceNode(pytest.Collector):
    """One input file (or ``<stdin>``) of ``patchlint check``; its node id is its label."""

    def __init__(self, *, source: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source = source

    def collect(self) -> Iterable[pytest.Node]:
        specs = (_plugin(self).specs or {}).get(self.source, [])
        return list(_children(self, specs, self.source))


class MailFile(pytest.File):
    """A mail file pytest walked past (``pytest --patchlint``); it has items once the run is done."""

    def collect(self) -> Iterable[pytest.Node]:
        plugin = _plugin(self)
        if plugin.specs is None:
            plugin.mail_files.append(self)
            return []  # gathered now, run with the others once every file is known
        label = label_for(self.path, self.config.invocation_params.dir)
        return list(_children(self, plugin.specs.get(label, []), str(self.path)))


class TargetNode(pytest.Collector):
    """A posting or a series at rule granularity: one item per rule that judged it."""

    def __init__(self, *, specs: list[ItemSpec], location_path: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.specs = specs
        self.location_path = location_path

    def collect(self) -> list[pytest.Item]:
        return [
            CheckItem.from_parent(self, name=spec.names[1], spec=spec, location_path=self.location_path)
            for spec in self.specs
        ]


class CheckItem(pytest.Item):
    """Reports what the run found for one target (and one rule, at rule granularity).

    Errors fail the item; warnings and info are printed (captured: they reach a JUnit report's
    ``system-out`` with ``junit_logging = system-out``) and attached as ``violation`` user
    properties; an item with warnings shows ``W`` / ``WARNING``.
    """

    def __init__(self, *, spec: ItemSpec, location_path: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.location_path = location_path
        # -k matches rule codes and names and the postings' ids; the names are a few KiB per
        # item (a quarter of what a big archive's run holds), so they are added only for -k.
        if self.config.getoption("keyword", default=""):
            for rule in spec.rules:
                self.extra_keyword_matches.update((rule.code, rule.name))
            self.extra_keyword_matches.update(spec.keywords)
        plugin = _plugin(self)
        plugin.item_ids.add(self.nodeid)
        if spec.warned and not plugin.fail_on.fails(Severity.WARNING):
            plugin.warned.add(self.nodeid)

    def runtest(self) -> None:
        for violation in self.spec.violations:
            self.user_properties.append(("violation", violation.format()))
        # Errors fail the item, and so do warnings with --fail-on warning (with --fail-on never
        # errors still show as failures; the run's exit status says 0).
        fail_on = _plugin(self).fail_on
        failing = [v for v in self.spec.violations if v.severity is Severity.ERROR or fail_on.fails(v.severity)]
        notes = [v for v in self.spec.violations if v not in failing]
        if notes:
            print("\n".join(v.format() for v in notes))
        if failing:
            raise PatchlintFailure(failing)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, PatchlintFailure):
            return "\n".join(v.format() for v in excinfo.value.violations)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.location_path, self.spec.line - 1, self.spec.title
