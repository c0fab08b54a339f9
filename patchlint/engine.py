"""The engine: the one place that reads, counts, chooses rules, groups series and runs rules.

:meth:`Engine.run` returns a :class:`Run`: iterating it reads every input (each with the label
reports use), classifies and counts every message, picks the rules that judge it (the user's
configuration, or the profile :func:`~patchlint.config.choose_profile` names for the posting),
runs them, groups the postings into series and runs the series rules, yielding one light
:class:`Outcome` per message and per series. Every front end is an adapter over a Run:
:meth:`Engine.check` keeps the :class:`Report`, the pytest plugin turns outcomes into test items,
``patchlint check --summary-only`` prints the report's summary.

A fault barrier stands around each message and each series: whatever raises while judging one
becomes a result for that one, saying what failed, and the run goes on.
"""

from __future__ import annotations

import dataclasses
import enum
import gc
import io
import os
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

import yaml

from patchlint.audit import Audit
from patchlint.config import DEFAULT_PROFILE, Config, builtin_profiles, choose_profile, load_config, plugin_entries
from patchlint.model.message import RawMessage
from patchlint.model.posting import POSTING_KINDS, Kind, Posting
from patchlint.model.series import Series
from patchlint.model.window import DEFAULT_WINDOW, SeriesWindow
from patchlint.plugins import collect_rules, load_plugins, make_plugin_manager
from patchlint.plugins import patchlint_run_rule as builtin_run_rule
from patchlint.readers.commitmsg import CommitMessage, read_commit_message
from patchlint.readers.gitrange import GitRange, read_range
from patchlint.readers.source import HEAD_SIZE, STDIN, Source, read_path, read_source
from patchlint.rule import Rule, Scope, Severity, Violation

STDIN_LABEL = "<stdin>"
# Why a posting seen before is not judged again (the same mail delivered twice, by a relay).
REPEATED = "repeated delivery"
# The rule that reports unreadable messages; a message that makes the model raise is reported
# under it too (see Run._fault).
UNPARSEABLE_CODE, UNPARSEABLE_NAME = "PL001", "unparseable-message"


# -- what a run reads ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """One thing a run reads: a file or directory path, or standard input (``-``).

    ``label`` is how reports name it: the path relative to the current directory when it lies
    inside it, else as given; ``<stdin>`` for standard input. ``stream`` is standard input's
    stream when a front end holds it open elsewhere (pytest redirects file descriptor 0 while it
    collects); None means ``sys.stdin``. ``git`` set: the input is that revision range, its
    postings named as ``git format-patch`` names its files. ``commit`` set: the input is a bare
    commit message, judged as the commit git will make of it.
    """

    path: str
    label: str
    stream: BinaryIO | None = field(default=None, compare=False, repr=False)
    git: GitRange | None = None  # a revision range, read through git format-patch
    commit: CommitMessage | None = None  # a commit message file (a commit-msg hook's)

    @classmethod
    def of_commit_message(cls, message: CommitMessage, cwd: Path | None = None) -> Input:
        """The input for a commit message file, labelled as a path is."""
        return cls(message.path, label_for(message.path, cwd), commit=message)

    @classmethod
    def of_range(cls, git: GitRange) -> Input:
        """The input for a git revision range, labelled by the range as written."""
        return cls(git.spec, git.spec, git=git)

    @classmethod
    def of(cls, path: str | Path | Input, cwd: Path | None = None) -> Input:
        """The input for ``path`` (an Input is returned unchanged)."""
        if isinstance(path, Input):
            return path
        text = str(path)
        if text == STDIN:
            return cls(STDIN, STDIN_LABEL)
        return cls(text, label_for(text, cwd))


def label_for(path: str | Path, cwd: Path | None = None) -> str:
    """``path`` relative to ``cwd`` (default: the current directory) when it lies inside it,
    else as given; always with ``/`` separators. Symbolic links are not resolved: the label is
    the name the user gave."""
    given = Path(path)
    base = Path(cwd) if cwd is not None else Path.cwd()
    absolute = given if given.is_absolute() else base / given
    try:
        relative = Path(os.path.normpath(absolute)).relative_to(os.path.normpath(base))
    except ValueError:
        return given.as_posix()
    return relative.as_posix() if relative.parts else "."


# -- what a run yields --------------------------------------------------------------------------


class Status(str, enum.Enum):
    """What became of one message: judged by rules, passed over with a reason, or unreadable."""

    CHECKED = "checked"
    SKIPPED = "skipped"
    UNPARSEABLE = "unparseable"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class RuleRef:
    """A rule that ran, by code and name (what reports and ``-k`` use)."""

    code: str
    name: str


@dataclass(frozen=True)
class Target:
    """What an outcome is about: one message, or one series (named by its anchor: the cover
    letter or first patch). ``members`` lists a series' postings as ``(source, index)``;
    ``lines`` is how many lines of its file a message spans (0 for a series)."""

    scope: Scope
    source: str
    index: int
    line: int
    subject: str
    message_id: str | None
    kind: Kind
    members: tuple[tuple[str, int], ...] = ()
    sender: str = ""  # the author's address (the in-body From: or, unmasked, the sender's)
    month: str = ""  # of its Date: 2024-03
    missing: tuple[int, ...] = ()  # a series' patches not in the input
    lines: int = 0  # how many lines of its file a message spans (0 for a series)
    version: int = 0  # a series' version (its cover letter's, else its patches' most common; 0 for a message)

    @property
    def key(self) -> tuple[str, int]:
        """``(source, index)``: which message this is (for a series, its anchor)."""
        return (self.source, self.index)


@dataclass(frozen=True)
class Outcome:
    """What the run did with one target: its status (and why, unless checked), the profile that
    judged it, the rules that ran and the violations they found."""

    target: Target
    status: Status
    reason: str = ""
    profile: str | None = None
    rules: tuple[RuleRef, ...] = ()
    violations: tuple[Violation, ...] = ()
    held: bool = False
    """A posting kept for the series step: the outcome of its series follows (a front end that
    plans items as outcomes stream, like the pytest plugin's, waits for it)."""

    @property
    def failed(self) -> bool:
        """True when a violation has severity error."""
        return any(v.severity is Severity.ERROR for v in self.violations)


@dataclass
class Report:
    """Everything one run found, with counts that account for every message read.

    Each message is ``checked``, ``skipped`` (with a reason: replies and other mail no rule
    judges) or ``unparseable``; the three add up to :attr:`messages`. ``results`` keeps the
    outcomes that found something, in the order found, unless ``keep_results`` is False (a run
    whose outcomes no report writer reads, like an archive's summary: then ``results`` stays
    empty, the counts per rule and severity are kept, and of each outcome only its warnings,
    for the summary to print); ``profiles`` counts the postings each profile judged.
    """

    results: list[Outcome] = field(default_factory=list)
    keep_results: bool = True
    rule_counts: Counter[tuple[str, str, Severity]] = field(default_factory=Counter)
    """Violations per (code, rule name, severity)."""
    severities: Counter[Severity] = field(default_factory=Counter)
    _warned: list[Outcome] = field(default_factory=list)  # keep_results False: outcomes cut to their warnings
    kinds: Counter[Kind] = field(default_factory=Counter)
    statuses: Counter[Status] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    profiles: Counter[str] = field(default_factory=Counter)
    series: int = 0
    judged: int = 0  # outcomes (messages and series) on which at least one rule ran
    repeats: int = 0
    """Postings delivered again (same Message-ID, Date and subject): counted, not judged."""
    audit: Audit = field(default_factory=Audit)
    configuration: ConfigUsed | None = None
    """The configuration every posting was judged with, when one was given or found (None: each
    posting's profile was chosen from its list)."""

    def add(self, outcome: Outcome) -> None:
        """Account for one outcome (a message's or a series')."""
        self.audit.add(outcome)
        if outcome.target.scope is Scope.POSTING:
            self.kinds[outcome.target.kind] += 1
            self.statuses[outcome.status] += 1
            if outcome.status is Status.SKIPPED:
                self.skipped[outcome.reason] += 1
                self.repeats += outcome.reason == REPEATED
            if outcome.profile is not None and outcome.target.kind in POSTING_KINDS and outcome.reason != REPEATED:
                self.profiles[outcome.profile] += 1
        else:
            self.series += 1
        if outcome.rules:
            self.judged += 1
        if not outcome.violations:
            return
        for violation in outcome.violations:
            self.rule_counts[violation.code, violation.rule, violation.severity] += 1
            self.severities[violation.severity] += 1
        if self.keep_results:
            self.results.append(outcome)
            return
        warnings = tuple(v for v in outcome.violations if v.severity is Severity.WARNING)
        if warnings:
            self._warned.append(dataclasses.replace(outcome, violations=warnings))

    @property
    def messages(self) -> int:
        """Messages read, whatever their kind."""
        return sum(self.kinds.values())

    @property
    def violations(self) -> list[Violation]:
        """Every violation: the messages' in input order, then the series', ordered by their
        first posting (the order does not depend on when the series window closed each)."""
        if not self.keep_results:
            raise RuntimeError("this report kept no violations (keep_results=False): see warnings()")
        return _in_order(self.results)

    def warnings(self) -> list[Violation]:
        """The violations of severity warning, in the order of :attr:`violations` (kept whether
        or not the results are)."""
        found = _in_order(self.results if self.keep_results else self._warned)
        return [v for v in found if v.severity is Severity.WARNING]

    @property
    def failed(self) -> bool:
        """True when some violation has severity error."""
        return self.severities[Severity.ERROR] > 0

    def summary_lines(self) -> list[str]:
        """A short account a person can read: what was read, what became of it, what was found."""
        kinds = ", ".join(f"{self.kinds[k]:,} {k}" for k in Kind if self.kinds[k])
        lines = [
            f"{self.messages:,} message{'s' if self.messages != 1 else ''} read ({kinds or 'none'}); "
            f"{self.series:,} series"
            + repeated_deliveries(self.repeats)
        ]
        skipped = ", ".join(f"{n:,} {why}" for why, n in sorted(self.skipped.items(), key=lambda i: -i[1]))
        lines.append(
            f"  {self.statuses[Status.CHECKED]:,} checked, {self.statuses[Status.SKIPPED]:,} skipped"
            + (f" ({skipped})" if skipped else "")
            + f", {self.statuses[Status.UNPARSEABLE]:,} unparseable"
        )
        if self.profiles:
            judged = ", ".join(
                f"{name} {n:,} posting{'s' if n != 1 else ''}" for name, n in self.profiles.most_common()
            )
            lines.append(f"  profiles: {judged}")
        if self.configuration is not None:
            lines.append(self.configuration.line())
        for (code, name, severity), count in sorted(self.rule_counts.items()):
            lines.append(f"  {code} {name} ({severity}): {count:,}")
        if not self.rule_counts:
            lines.append("  no violations")
        return lines


def repeated_deliveries(count: int) -> str:
    """The summary's note on mails delivered more than once ('' when none were)."""
    if not count:
        return ""
    return f"; {count:,} repeated deliver{'y' if count == 1 else 'ies'} of a posting (judged once)"


@dataclass(frozen=True)
class ConfigUsed:
    """The configuration a run judged every posting with, as the summary and the reports name
    it: the file (relative to the working directory when inside it; ``pyproject.toml
    [tool.patchlint]`` for the table) or built-in profile, and how it was chosen."""

    name: str
    origin: str  # --config, found, --patchlint-config …
    passed_over: tuple[str, ...] = ()  # configuration files beside a found one, not read

    @classmethod
    def of(cls, config: str | Path, origin: str, passed_over: Sequence[str] = ()) -> ConfigUsed:
        """The record of ``config`` chosen by ``origin``."""
        name = _config_name(config)
        table = f"{name} [tool.patchlint]" if Path(name).name == "pyproject.toml" else name
        return cls(table, origin, tuple(passed_over))

    def line(self) -> str:
        """The summary's line (``configuration: .patchlint.yaml (found; --isolated ignores it)``)."""
        how = "found; --isolated ignores it" if self.origin == FOUND else self.origin
        if self.passed_over:
            how += f"; not read: {', '.join(self.passed_over)} beside it"
        return f"  configuration: {self.name} ({how})"

    def to_json(self) -> dict[str, object]:
        """The JSON report's ``configuration`` object."""
        return {"name": self.name, "origin": self.origin}


# How a configuration found by discovery is said to be chosen (see patchlint.discovery).
FOUND = "found"


# -- rules per profile ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSet:
    """One configuration with its rules built: what judges the postings of one profile."""

    name: str
    config: Config
    rules: tuple[Rule, ...]
    by_kind: Mapping[Kind, tuple[Rule, ...]]
    series_rules: tuple[Rule, ...]
    refs: Mapping[Rule, RuleRef]  # each rule's record, built once (not once per posting)
    commit_rules: tuple[Rule, ...] = ()  # what judges a bare commit message
    # What the run loop walks: (rule, its record, whether its applies() must be asked).
    dispatch_by_kind: Mapping[Kind, tuple[Dispatch, ...]] = field(default_factory=dict)
    dispatch_series: tuple[Dispatch, ...] = ()
    dispatch_commit: tuple[Dispatch, ...] = ()

    @classmethod
    def build(cls, name: str, config: Config, rule_classes: Sequence[type[Rule]]) -> RuleSet:
        """Instantiate ``config``'s rules and index the posting rules by the kinds they judge."""
        rules = tuple(config.instantiate(rule_classes))
        posting = [r for r in rules if r.scope is Scope.POSTING]
        by_kind = {kind: tuple(r for r in posting if kind in r.kinds) for kind in Kind}
        series = tuple(r for r in rules if r.scope is Scope.SERIES)
        commit = tuple(r for r in posting if r.judges_commit_message)
        refs = {r: RuleRef(r.code, r.name) for r in rules}

        def dispatch(chosen: Iterable[Rule], indexed: bool) -> tuple[Dispatch, ...]:
            return tuple((r, refs[r], not indexed or _asks_applies(r)) for r in chosen)

        return cls(
            name, config, rules, by_kind, series, refs, commit,
            {kind: dispatch(chosen, True) for kind, chosen in by_kind.items()},
            dispatch(series, True), dispatch(commit, False),
        )

    @property
    def unparseable_rule(self) -> Rule | None:
        """The rule reporting unreadable messages, when this configuration enables it."""
        return next((r for r in self.by_kind[Kind.UNPARSEABLE] if r.code == UNPARSEABLE_CODE), None)


# A rule as the run loop calls it: the rule, its record, and whether its applies() must be asked.
Dispatch = tuple[Rule, RuleRef, bool]


def _asks_applies(rule: Rule) -> bool:
    """Whether ``rule.applies()`` can say more than the index it was found in already says.

    :meth:`Rule.applies` itself checks only the scope and the kind: a posting rule indexed under
    a posting's kind, or a series rule given a series, applies. A rule (or plugin rule) with an
    ``applies()`` of its own is asked."""
    return type(rule).applies is not Rule.applies or "applies" in vars(rule)


# Chooses which (target, rule) pairs run: the pytest plugin evaluates ``-k`` with it.
Selector = Callable[[Target, Rule], bool]


class Engine:
    """One configured patchlint: its plugins, its rules, its configuration.

    ``config`` is a YAML file or a built-in profile name; None lets each posting's profile be
    chosen from its List-Id and recipients (:func:`~patchlint.config.choose_profile`), the
    default profile judging unreadable messages. ``plugins`` are extra plugin objects registered
    before the built-ins. ``settings`` override the configuration's ``settings:`` for this
    engine (``patchlint check --git-dir`` sets ``git-dir``), named ``settings_origin`` in errors.
    ``series_window``: a series with nothing new for this long is judged and forgotten (see
    :mod:`patchlint.model.window`); None keeps every posting until the input ends.
    ``workers`` > 1: mbox files are cut into shards judged by that many processes
    (:mod:`patchlint.shards`), with the same outcomes as one process.
    The configuration's own ``plugins:`` are loaded and registered too, unless ``trust_plugins``
    is False (a configuration found in the checked tree, not named by the user: see
    :func:`~patchlint.plugins.load_plugins`). ``origin`` says how ``config`` was chosen
    (``--config``, ``found``, ``patchlint_config in pytest.ini`` …): the summary and the reports
    then name the configuration (:attr:`used`); ``passed_over`` are the
    configuration files beside a found one that lose to it (named in the summary).
    """

    def __init__(
        self,
        config: str | Path | None = None,
        plugins: Iterable[object] = (),
        settings: Mapping[str, str] | None = None,
        settings_origin: str = "command line",
        series_window: timedelta | None = DEFAULT_WINDOW,
        workers: int = 1,
        trust_plugins: bool = True,
        origin: str = "",
        passed_over: Sequence[str] = (),
    ) -> None:
        self.series_window = series_window
        self.workers = workers
        # The smallest file cut into shards and the largest shard (None: patchlint.shards' defaults).
        self.shard_sizes: tuple[int | None, int | None] = (None, None)
        if config is not None and Path(str(config)).exists():  # a file, not a built-in profile
            plugins = [*plugins, *load_plugins(plugin_entries(config), trusted=trust_plugins)]
        self.manager = make_plugin_manager(plugins)
        self.rule_classes = collect_rules(self.manager)
        self.settings = dict(settings or {})
        self.settings_origin = settings_origin
        self.chooses_profiles = config is None
        self._rulesets: dict[str, RuleSet] = {}
        self._chosen_by_list: dict[tuple[str, ...], str] = {}  # profiles chosen by List-Id alone
        if config is None:
            self.fallback = self._ruleset(DEFAULT_PROFILE)
        else:
            self.fallback = self._build(_config_name(config), config)
        self.config: Config = self.fallback.config
        self.used = ConfigUsed.of(config, origin, passed_over) if config is not None and origin else None
        self.rules = list(self.fallback.rules)
        self.posting_rules = [r for r in self.rules if r.scope is Scope.POSTING]
        self.series_rules = list(self.fallback.series_rules)

    # -- configurations --------------------------------------------------------------------------

    def _ruleset(self, profile: str) -> RuleSet:
        """The rule set of a built-in profile, built the first time a posting needs it."""
        found = self._rulesets.get(profile)
        if found is None:
            found = self._build(profile, profile)
        return found

    def _build(self, name: str, source: str | Path) -> RuleSet:
        config = load_config(source, self.rule_classes)
        if self.settings:
            config = _with_settings(config, self.settings, self.settings_origin)
        self.manager.hook.patchlint_configure.call_historic(kwargs={"config": config})
        ruleset = RuleSet.build(name, config, self.rule_classes)
        self._rulesets[name] = ruleset
        return ruleset

    def ruleset_for(self, posting: Posting) -> RuleSet:
        """The rules that judge ``posting``: the user's configuration, or its chosen profile."""
        if not self.chooses_profiles:
            return self.fallback
        list_ids = tuple(posting.list_ids)
        known = self._chosen_by_list.get(list_ids)
        if known is not None:
            return self._ruleset(known)
        # The addresses are parsed only if the chooser reads them (parsing every posting's To/Cc
        # costs a third of an archive run). An answer given without them depends on the List-Id
        # alone, so it holds for every posting of that list: archives hold one or two lists.
        addresses = _Lazily(lambda: [person.email for person in posting.recipients])
        profile = choose_profile(list_ids, addresses)
        if not addresses.used:
            self._chosen_by_list[list_ids] = profile
        return self._ruleset(profile)

    # -- reading and running ----------------------------------------------------------------------

    def inputs(self, paths: Iterable[str | Path | Input], cwd: Path | None = None) -> list[Input]:
        """The inputs for ``paths``, labelled, each read once (a path given twice is read once)."""
        seen: set[str] = set()
        found = []
        for path in paths:
            item = Input.of(path, cwd)
            if item.git is not None:
                key = f"git:{item.git.repo}:{item.git.spec}"
            elif item.commit is not None:
                key = f"commit:{os.path.abspath(item.path)}"
            elif item.path == STDIN:
                key = item.label
            else:
                key = os.path.normcase(os.path.abspath(item.path))
            if key not in seen:
                seen.add(key)
                found.append(item)
        return found

    def raw_messages(self, inputs: Iterable[Input]) -> Iterator[RawMessage]:
        """Every message of every input as the readers hand it over, named by its label."""
        hook = self.manager.hook
        for item in inputs:
            if item.git is not None:
                yield from read_range(item.git, item.label)
                continue
            if item.commit is not None:
                yield from read_commit_message(item.commit, item.label)
                continue
            if item.path != STDIN:
                # Read by the label (relative to the current directory when possible), so every
                # message of a directory is named as the user would name it.
                yield from read_path(hook, item.label)
                continue
            stream = item.stream if item.stream is not None else sys.stdin.buffer
            buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
            source = Source(
                name=item.label, path=None, is_dir=False, head=buffered.peek(HEAD_SIZE)[:HEAD_SIZE],
                opener=lambda b=buffered: b, nested=lambda member: read_path(hook, member),
            )
            yield from read_source(hook, source)

    def read(self, paths: Iterable[str | Path | Input]) -> Iterator[Posting]:
        """Every message of every path, as a (lazily parsed) Posting."""
        for raw in self.raw_messages(self.inputs(paths)):
            yield Posting(raw)

    def run(self, paths: Iterable[str | Path | Input], select: Selector | None = None) -> Run:
        """A run over ``paths`` (``-`` is standard input); ``select`` may veto (target, rule)
        pairs before they run. Nothing is read until the run is iterated."""
        return Run(self, self.inputs(paths), select)

    def run_raw(self, messages: Iterable[RawMessage], owned: tuple[int, int]) -> Run:
        """A run over raw messages of one source of which it reports only those numbered
        ``owned[0]`` up to (not including) ``owned[1]`` (-1: to the end), and the series
        whose first posting is one of them; the others (a shard's lead-in and lead-out) are
        only grouped into series. It stops reading once its last series is closed."""
        return Run(self, (), None, messages=messages, owned=owned)

    def check(self, paths: Iterable[str | Path | Input]) -> Report:
        """Check everything in ``paths`` and return the report."""
        run = self.run(paths)
        for _ in run:
            pass
        return run.report

    def run_rule(self, rule: Rule, target: Posting | Series) -> tuple[Violation, ...]:
        """Run one rule on one target through the ``patchlint_run_rule`` hook."""
        return tuple(self.manager.hook.patchlint_run_rule(rule=rule, target=target) or ())

    def runner(self) -> Callable[[Rule, Posting | Series], Sequence[Violation]]:
        """How a run calls a rule: through the hook, unless nothing but the built-in
        implementation is registered, in which case it is called directly (the hook call costs
        more than most rules on most postings)."""
        implementations = self.manager.hook.patchlint_run_rule.get_hookimpls()
        if len(implementations) == 1 and implementations[0].function is builtin_run_rule:
            return builtin_run_rule
        return self.run_rule


class _RuleFailed(Exception):
    """Something raised while one rule judged a target (outside the rule's own check)."""

    def __init__(self, rule: Rule, error: Exception) -> None:
        super().__init__(f"{rule.code}: {error}")
        self.rule, self.error = rule, error


class _Lazily(Iterable[str]):
    """An iterable whose items are computed when it is first iterated (then kept)."""

    def __init__(self, compute: Callable[[], Iterable[str]]) -> None:
        self._compute = compute
        self._items: tuple[str, ...] | None = None

    @property
    def used(self) -> bool:
        """Whether anyone iterated it."""
        return self._items is not None

    def __iter__(self) -> Iterator[str]:
        if self._items is None:
            self._items = tuple(self._compute())
        return iter(self._items)


class Run:
    """One pass of an engine over its inputs; iterate it once for the outcomes.

    Posting rules run as messages stream by; only postings (patches, cover letters, pull
    requests) are kept for the series step, and only until their series is closed by the
    engine's series window, so memory holds a window of the archive, not the archive. Message
    outcomes come in input order; a series' outcome comes once it is closed (after its last
    member, before later messages once the window has passed, else at the end). ``report``
    accounts for everything yielded so far.
    """

    def __init__(
        self,
        engine: Engine,
        inputs: Sequence[Input],
        select: Selector | None = None,
        messages: Iterable[RawMessage] | None = None,
        owned: tuple[int, int] | None = None,
        shard: bool = True,
    ) -> None:
        self.engine = engine
        self.inputs = tuple(inputs)
        self.select = select
        self.messages = messages
        self.owned = owned
        # -k (a selector) is a function of the pytest session: it is not sent to workers.
        self.shard = shard and engine.workers > 1 and select is None and messages is None
        self.report = Report(configuration=engine.used)
        self._started = False

    def __iter__(self) -> Iterator[Outcome]:
        if self._started:
            raise RuntimeError("a Run is iterated once; ask the engine for another")
        self._started = True
        return self._outcomes()

    def _outcomes(self) -> Iterator[Outcome]:
        if self.shard:
            yield from self._sharded()
            return
        run_rule = self.engine.runner()
        window = SeriesWindow(self.engine.series_window)
        judged_by: dict[int, RuleSet] = {}
        first: RawMessage | None = None
        owned = self._owns
        after = False  # past the range this run reports (a shard's lead-out)
        messages = self.messages if self.messages is not None else self.engine.raw_messages(self.inputs)
        with _fewer_collections():
            for raw in messages:
                posting = Posting(raw)
                if owned is not None and not owned(raw):
                    after = after or raw.index >= self.owned[0]  # type: ignore[index]
                    if after and not window.holds(lambda p: owned(p.raw)):
                        break  # every series begun in the range is judged
                    _keep_foreign(posting, window)
                    yield from self._closed(window.closed, judged_by, run_rule, first)
                    continue
                outcome, ruleset = self._message(posting, run_rule, window)
                self.report.add(outcome)
                yield outcome
                if ruleset is None:
                    continue
                first = first or raw
                judged_by[id(posting)] = ruleset
                window.add(posting)
                yield from self._closed(window.closed, judged_by, run_rule, first)
            yield from self._closed(window.rest, judged_by, run_rule, first)

    @property
    def _owns(self) -> Callable[[RawMessage], bool] | None:
        if self.owned is None:
            return None
        start, stop = self.owned
        return lambda raw: start <= raw.index and (stop < 0 or raw.index < stop)

    def _sharded(self) -> Iterator[Outcome]:
        """The outcomes of worker processes over the shards of a lone mbox input, in input
        order. Several inputs are read here as one process reads them: a series may run from
        one input file into the next (format-patch files given one by one, two mbox files), and
        only one series window over all of them groups it as one process does."""
        from patchlint.shards import plan, run_shards

        engine = self.engine
        shards = None
        if len(self.inputs) == 1 and self.inputs[0].git is None and self.inputs[0].path != STDIN:
            item = self.inputs[0]
            shards = plan(item.label, item.label, engine.workers, *engine.shard_sizes)
        outcomes: Iterable[Outcome]
        if shards is None or len(shards) < 2:
            outcomes = Run(engine, self.inputs, shard=False)
        else:
            outcomes = run_shards(engine, shards, engine.workers)
        for outcome in outcomes:
            self.report.add(outcome)
            yield outcome

    def _closed(
        self,
        series_of: Callable[[], Iterator[Series]],
        judged_by: dict[int, RuleSet],
        run_rule: Callable[[Rule, Posting | Series], Sequence[Violation]],
        first: RawMessage | None,
    ) -> Iterator[Outcome]:
        """Judge the series the window closed, then forget their postings."""
        try:
            closed = list(series_of())
        except Exception as exc:  # noqa: BLE001 - the barrier: report, then go on without these series
            if first is not None:
                outcome = _as_series(self._fault(first, "grouping the postings into series", exc))
                self.report.add(outcome)
                yield outcome
            return
        owned = self._owns
        for series in closed:
            reported = owned is None or owned(series.postings[0].raw)
            outcome = self._series(series, judged_by, run_rule) if reported else None
            for posting in series.postings:
                judged_by.pop(id(posting), None)
            if outcome is None:
                continue  # begun before this shard: another worker's
            self.report.add(outcome)
            yield outcome

    def _message(
        self,
        posting: Posting,
        run_rule: Callable[[Rule, Posting | Series], Sequence[Violation]],
        window: SeriesWindow,
    ) -> tuple[Outcome, RuleSet | None]:
        """Judge one message; also returns its rule set when the posting is kept for series."""
        engine = self.engine
        if posting.raw.skipped is not None:
            # Not a message to judge (a removal record of an archive): counted with the
            # reader's reason, never parsed.
            raw = posting.raw
            target = Target(Scope.POSTING, raw.source, raw.index, raw.line, "", None, Kind.OTHER)
            return Outcome(target, Status.SKIPPED, raw.skipped), None
        step = "classifying it"
        try:
            kind = posting.kind
            if kind is Kind.UNPARSEABLE:
                ruleset = engine.fallback
            elif kind in POSTING_KINDS:
                step = "comparing it with the postings before it"
                if window.repeat(posting):  # the same mail again: judged once
                    return Outcome(_posting_target(posting, kind), Status.SKIPPED, REPEATED), None
                step = "choosing its profile"
                ruleset = engine.ruleset_for(posting)
            else:
                step = "reading its subject"
                return Outcome(_posting_target(posting, kind), Status.SKIPPED, _SKIP_REASONS.get(kind, str(kind))), None
            step = "reading its subject"
            target = _posting_target(posting, kind)
            step = "judging it"
            # A commit message is judged by the rules that judge one, and as no series' part.
            commit = posting.raw.commit_message
            rules = ruleset.dispatch_commit if commit else ruleset.dispatch_by_kind[kind]
            refs, found = self._judge(rules, target, posting, posting.raw, run_rule)
        except _RuleFailed as failed:
            return self._fault(posting.raw, f"running {failed.rule.code} {failed.rule.name}", failed.error), None
        except Exception as exc:  # noqa: BLE001 - the barrier: one message never stops the run
            return self._fault(posting.raw, step, exc), None
        if kind is Kind.UNPARSEABLE:
            status, reason = Status.UNPARSEABLE, posting.error or "unparseable"
        elif refs:
            status, reason = Status.CHECKED, ""
        else:
            status, reason = Status.SKIPPED, "no rule applies"
        held = kind in POSTING_KINDS and not commit
        outcome = Outcome(target, status, reason, ruleset.name, tuple(refs), tuple(found), held)
        return outcome, (ruleset if held else None)

    def _series(
        self,
        series: Series,
        judged_by: Mapping[int, RuleSet],
        run_rule: Callable[[Rule, Posting | Series], Sequence[Violation]],
    ) -> Outcome:
        """Judge one series with the rule set of its anchor (its cover letter or first patch)."""
        step = "finding its anchor"
        try:
            anchor = series.anchor
            # An anchor in a shard's lead-out was judged by the next worker: its rules are chosen again.
            ruleset = judged_by.get(id(anchor)) or self.engine.ruleset_for(anchor)
            step = "naming it"
            who, month = _who_and_when(anchor)
            target = Target(
                Scope.SERIES, anchor.raw.source, anchor.raw.index, anchor.raw.line, series.label,
                anchor.message_id, anchor.kind, _members(series),
                who, month, series.missing, version=series.version,
            )
            step = "judging it"
            refs, found = self._judge(ruleset.dispatch_series, target, series, anchor.raw, run_rule)
        except _RuleFailed as failed:
            step = f"running {failed.rule.code} {failed.rule.name}"
            return _as_series(self._fault(series.postings[0].raw, f"judging its series ({step})", failed.error), series)
        except Exception as exc:  # noqa: BLE001 - the barrier: one series never stops the run
            return _as_series(self._fault(series.postings[0].raw, f"judging its series ({step})", exc), series)
        status = Status.CHECKED if refs else Status.SKIPPED
        return Outcome(target, status, "" if refs else "no rule applies", ruleset.name, tuple(refs), tuple(found))

    def _judge(
        self,
        rules: Sequence[Dispatch],
        target: Target,
        judged: Posting | Series,
        raw: RawMessage,
        run_rule: Callable[[Rule, Posting | Series], Sequence[Violation]],
    ) -> tuple[list[RuleRef], list[Violation]]:
        """Run the selected ``rules`` that apply to ``judged``; the hot loop of a run.

        ``rules`` come from the rule set's index (:class:`RuleSet`): a rule whose ``applies()``
        could only repeat what the index says is not asked. A rule whose ``applies()`` raises is
        an internal error of that rule; anything else that raises (the hook, a plugin's
        wrapper) comes out as :class:`_RuleFailed` naming the rule.
        """
        refs: list[RuleRef] = []
        found: list[Violation] = []
        select = self.select
        for rule, ref, asks in rules:
            try:
                if select is not None and not select(target, rule):
                    continue
                if asks:
                    try:
                        applies = rule.applies(judged)
                    except Exception as exc:  # noqa: BLE001 - a rule's fault, not the message's
                        refs.append(ref)
                        found.append(_internal_error(rule, raw, exc, "applies()"))
                        continue
                    if not applies:
                        continue
                refs.append(ref)
                found.extend(run_rule(rule, judged))
            except Exception as exc:  # noqa: BLE001 - named, then reported by the barrier
                raise _RuleFailed(rule, exc) from exc
        return refs, found

    def _fault(self, raw: RawMessage, step: str, exc: BaseException) -> Outcome:
        """The outcome of a message whose judging raised: unparseable, saying what failed.

        Built from the raw message alone (its parsed state is what failed), and reported under
        PL001 with that rule's severity when the configuration enables it.
        """
        reason = f"unparseable: {step} failed: {type(exc).__name__}: {exc}"
        target = Target(Scope.POSTING, raw.source, raw.index, raw.line, "", None, Kind.UNPARSEABLE)
        rule = self.engine.fallback.unparseable_rule
        if rule is None:
            return Outcome(target, Status.UNPARSEABLE, reason, self.engine.fallback.name)
        violation = Violation(
            rule.code, rule.name, reason, rule.severity, raw.source, raw.line, f"message {raw.index}"
        )
        return Outcome(
            target, Status.UNPARSEABLE, reason, self.engine.fallback.name,
            (RuleRef(rule.code, rule.name),), (violation,),
        )


# Why a message no rule judges is passed over (the summary counts them by these words).
_SKIP_REASONS = {Kind.REPLY: "reply", Kind.OTHER: "other mail", Kind.REPORT: "report (not a submission)"}


def _keep_foreign(posting: Posting, window: SeriesWindow) -> None:
    """A posting another worker reports, kept only for the series of this one's."""
    if posting.raw.skipped is not None:
        return
    try:
        if posting.kind in POSTING_KINDS and not window.repeat(posting):
            window.add(posting)
    except Exception:  # noqa: BLE001 - the worker that reports it reports the fault
        return


def _series_order(outcome: Outcome) -> tuple[str, int]:
    target = outcome.target
    return target.members[0] if target.members else target.key


def _in_order(outcomes: Sequence[Outcome]) -> list[Violation]:
    """The violations of ``outcomes``: the messages' in input order, then the series', ordered
    by their first posting."""
    messages = [r for r in outcomes if r.target.scope is Scope.POSTING]
    series = sorted((r for r in outcomes if r.target.scope is not Scope.POSTING), key=_series_order)
    return [v for result in (*messages, *series) for v in result.violations]


def _members(series: Series) -> tuple[tuple[str, int], ...]:
    """A series' postings as its target names them: ``(source, index)`` each."""
    return tuple((p.raw.source, p.raw.index) for p in series.postings)


def _as_series(outcome: Outcome, series: Series | None = None) -> Outcome:
    """A fault outcome reported for a series (counted as a series, not as a message), naming the
    series' postings as its members when the series is known (its postings' outcomes wait for it)."""
    members = _members(series) if series is not None else ()
    return dataclasses.replace(outcome, target=dataclasses.replace(outcome.target, scope=Scope.SERIES, members=members))


def _posting_target(posting: Posting, kind: Kind) -> Target:
    raw = posting.raw
    subject = "" if kind is Kind.UNPARSEABLE else posting.subject.raw
    message_id = None if kind is Kind.UNPARSEABLE else posting.message_id
    who, month = _who_and_when(posting) if kind in POSTING_KINDS else ("", "")
    return Target(Scope.POSTING, raw.source, raw.index, raw.line, subject, message_id, kind, (), who, month,
                  lines=raw.data.count(b"\n"))


def _who_and_when(posting: Posting) -> tuple[str, str]:
    """The author's address and the month of the Date, for the audit ('' where unreadable:
    the audit never makes a message unparseable)."""
    try:
        author = posting.author
        date = posting.date
    except Exception:  # noqa: BLE001 - the rules report what is wrong with the mail
        return "", ""
    # Formatted by hand: strftime costs a C call into the platform's strftime per posting
    # (glibc's %Y does not pad years below 1000 either).
    return (author.email_key if author else ""), (f"{date.year}-{date.month:02d}" if date else "")


def _internal_error(rule: Rule, raw: RawMessage, exc: BaseException, during: str) -> Violation:
    """A rule's internal error as a violation of that rule, built without the parsed message."""
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" ({where.filename}:{where.lineno})" if where else ""
    return Violation(
        rule.code, rule.name,
        f"internal error in rule ({during}): {type(exc).__name__}: {exc}{at}; please report it",
        rule.severity, raw.source, raw.line, f"message {raw.index}",
    )


def _config_name(config: str | Path) -> str:
    """How reports name a configuration the user gave: a built-in profile by name, a file by
    its label."""
    text = str(config)
    if not Path(text).exists() and text in builtin_profiles():
        return text
    return label_for(text)


def _with_settings(config: Config, settings: Mapping[str, str], origin: str) -> Config:
    """``config`` with ``settings`` set over its own, as if ``origin`` had written them."""
    mark = yaml.Mark(origin, 0, 0, 0, None, None)
    nodes = {key: (origin, yaml.ScalarNode("tag:yaml.org,2002:str", str(value), mark, mark)) for key, value in settings.items()}
    return dataclasses.replace(
        config,
        settings={**config.settings, **settings},
        setting_nodes={**config.setting_nodes, **nodes},
    )


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run with the cyclic garbage collector triggered less often, then restore it.

    An archive run allocates millions of small acyclic objects (lines, headers, records); with the
    default threshold the collector keeps walking them for nothing (15-20% of the run time).
    """
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], 50_000), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
