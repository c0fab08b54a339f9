"""Test items planned from a run's outcomes: which items, named how, reporting what.

A plain layer between the engine and the pytest plugin (:mod:`patchlint.pytest_plugin`): it
knows outcomes and granularities, nothing of pytest. :func:`plan_items` plans a whole run;
:class:`ItemPlanner` plans the same items stretch by stretch while the outcomes stream, so an
archive's items need not all exist at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from patchlint.engine import Outcome, RuleRef, Target
from patchlint.model.posting import POSTING_KINDS
from patchlint.rule import Scope, Severity, Violation

GRANULARITIES = ("auto", "rule", "posting", "series")
# Files holding more postings than this are archives: one item per series (pytest costs about a
# millisecond an item, and a patch meets some forty rules).
AUTO_LIMIT = 100
# Node names longer than this are cut (ids stay unique: they hold the message index).
NAME_LIMIT = 90


@dataclass(frozen=True)
class ItemSpec:
    """One test item to be: where it hangs, what it is called, what it reports.

    ``names`` are the node names below its source's node: ``(target, rule)`` at rule
    granularity, ``(target,)`` otherwise. ``title`` is the failure header (it names the posting
    once); ``keywords`` are the names ``-k`` matches besides the node names (the rules' codes and
    names, and the postings a series item covers).
    """

    source: str
    names: tuple[str, ...]
    line: int
    title: str
    rules: tuple[RuleRef, ...]
    violations: tuple[Violation, ...]
    keywords: frozenset[str] = frozenset()

    @property
    def warned(self) -> bool:
        """Passes, but with violations of severity warning."""
        severities = {v.severity for v in self.violations}
        return Severity.WARNING in severities and Severity.ERROR not in severities


def node_name(text: str) -> str:
    """``text`` made safe for a node name: on one line, no ``::`` (pytest's separator), no square
    brackets (pytest and JUnit writers read ``[…]`` as parameters and mangle the name), cut to
    :data:`NAME_LIMIT` characters."""
    text = " ".join(text.replace("::", ":").replace("[", "(").replace("]", ")").split())
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…"


def target_name(target: Target) -> str:
    """The node name of a message (``#3 (PATCH v2 1/2) summary``) or of a series (``series #0
    (PATCH v2 0/2) title``, named after its anchor); the message index keeps names unique."""
    if target.scope is Scope.SERIES:
        return node_name(f"series #{target.index} {target.subject or '(no subject)'}")
    if not target.subject and target.kind not in POSTING_KINDS:
        return f"#{target.index} {target.kind}"
    return node_name(f"#{target.index} {target.subject or '(no subject)'}")


def _title(target: Target, rule: RuleRef | None = None) -> str:
    what = "series " if target.scope is Scope.SERIES else ""
    title = f"{target.source}#{target.index}: {what}{target.subject or target.kind}"
    return f"{title} · {rule.code} {rule.name}" if rule else title


def file_modes(outcomes: Iterable[Outcome], granularity: str, auto_limit: int | None = None) -> dict[str, str]:
    """The granularity of each source: as asked, or for ``auto`` per series when the source holds
    more than ``auto_limit`` postings (default :data:`AUTO_LIMIT`), else per rule."""
    postings: Counter[str] = Counter()
    for outcome in outcomes:
        target = outcome.target
        if target.scope is Scope.POSTING:
            postings[target.source] += target.kind in POSTING_KINDS
    return {source: _mode(n, granularity, auto_limit) for source, n in postings.items()}


def _mode(postings: int, granularity: str, auto_limit: int | None) -> str:
    """The granularity of a source holding ``postings`` postings."""
    if granularity != "auto":
        return granularity
    return "series" if postings > (AUTO_LIMIT if auto_limit is None else auto_limit) else "rule"


def plan_items(
    outcomes: Sequence[Outcome], granularity: str = "auto", auto_limit: int | None = None,
    modes: Mapping[str, str] | None = None,
) -> list[ItemSpec]:
    """The test items for a run's outcomes, in input order.

    A message outcome with rules becomes, by its file's granularity, one item per rule, one item,
    or a part of its series' item; a series outcome becomes items under the file of its anchor
    (its cover letter or first patch), placed right after the anchor's own. Skipped messages
    (replies, other mail) make no item: the summary accounts for them. ``modes`` gives each
    source's granularity when it was decided over more outcomes than these (see
    :class:`ItemPlanner`).
    """
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {GRANULARITIES}, not {granularity!r}")
    if modes is None:
        modes = file_modes(outcomes, granularity, auto_limit)
    messages = [o for o in outcomes if o.target.scope is Scope.POSTING]
    series_at: dict[tuple[str, int], list[Outcome]] = defaultdict(list)
    series_of: dict[tuple[str, int], Outcome] = {}
    for outcome in outcomes:
        if outcome.target.scope is Scope.SERIES:
            series_at[outcome.target.key].append(outcome)
            for member in outcome.target.members:
                series_of[member] = outcome
    by_key = {o.target.key: o for o in messages}
    specs: list[ItemSpec] = []

    def per_rule(outcome: Outcome) -> None:
        name = target_name(outcome.target)
        for rule in outcome.rules:
            found = tuple(v for v in outcome.violations if v.code == rule.code)
            specs.append(ItemSpec(
                outcome.target.source, (name, f"{rule.code}-{rule.name}"), outcome.target.line,
                _title(outcome.target, rule), (rule,), found,
            ))

    def whole(outcome: Outcome, extra: Sequence[Outcome] = ()) -> None:
        rules = [*outcome.rules, *(r for o in extra for r in o.rules)]
        found = [*outcome.violations, *(v for o in extra for v in o.violations)]
        if rules:
            keywords = frozenset(target_name(o.target) for o in extra)
            specs.append(ItemSpec(
                outcome.target.source, (target_name(outcome.target),), outcome.target.line,
                _title(outcome.target), tuple(dict.fromkeys(rules)), tuple(found), keywords,
            ))

    def series_item(series: Outcome, source: str, members: Sequence[Outcome], with_rules: bool) -> None:
        parts = [*members, series] if with_rules else list(members)
        rules = tuple(dict.fromkeys(r for o in parts for r in o.rules))
        if not rules:
            return
        found = tuple(v for o in parts for v in o.violations)
        keywords = frozenset(target_name(o.target) for o in members)
        specs.append(ItemSpec(
            source, (target_name(series.target),), series.target.line if with_rules else members[0].target.line,
            _title(series.target), rules, found, keywords,
        ))

    placed: set[int] = set()
    for outcome in messages:
        target = outcome.target
        mode = modes.get(target.source, "rule")
        series = series_of.get(target.key)
        anchored = [s for s in series_at.get(target.key, ()) if id(s) not in placed]
        in_series_item = mode == "series" and series is not None
        if not in_series_item:
            if mode == "rule":
                per_rule(outcome)
            else:
                merged = [s for s in anchored if mode == "posting"]
                whole(outcome, merged)
                placed.update(id(s) for s in merged)
        # A series that spans files: postings of archive files (series granularity) are
        # reported by a series item in the first such file, when the anchor's file is not one.
        if in_series_item and series is not None and modes.get(series.target.source, "rule") != "series":
            members = [by_key[m] for m in series.target.members if m in by_key and modes.get(m[0]) == "series"]
            if members and members[0] is outcome:
                series_item(series, target.source, members, with_rules=False)
        for series_outcome in anchored:
            if id(series_outcome) in placed:
                continue
            placed.add(id(series_outcome))
            _place_series(series_outcome, modes, by_key, per_rule, whole, series_item)
    for group in series_at.values():  # series whose anchor was not among the messages
        for series_outcome in group:
            if id(series_outcome) not in placed:
                _place_series(series_outcome, modes, by_key, per_rule, whole, series_item)
    return _unique(specs)


def _place_series(
    series: Outcome,
    modes: Mapping[str, str],
    by_key: dict[tuple[str, int], Outcome],
    per_rule: Callable[[Outcome], None],
    whole: Callable[[Outcome], None],
    series_item: Callable[[Outcome, str, Sequence[Outcome], bool], None],
) -> None:
    mode = modes.get(series.target.source, "rule")
    if mode == "rule":
        per_rule(series)
    elif mode == "posting":
        whole(series)  # the anchor had no item of its own to carry the series' rules
    else:
        members = [by_key[m] for m in series.target.members if m in by_key and modes.get(m[0]) == "series"]
        series_item(series, series.target.source, members, True)


def _unique(specs: list[ItemSpec]) -> list[ItemSpec]:
    """Guarantee unique ids (the planner's names already are; this guards the unforeseen)."""
    seen: Counter[tuple[str, tuple[str, ...]]] = Counter()
    unique = []
    for spec in specs:
        key = (spec.source, spec.names)
        seen[key] += 1
        if seen[key] > 1:
            names = (*spec.names[:-1], f"{spec.names[-1]} ({seen[key]})")
            spec = ItemSpec(spec.source, names, spec.line, spec.title, spec.rules, spec.violations, spec.keywords)
        unique.append(spec)
    return unique


@dataclass
class ItemPlanner:
    """Plans the items of outcomes as they stream, a stretch at a time, so that a run's items
    need not all exist at once: the same items :func:`plan_items` plans for all the outcomes.

    A stretch ends where plan_items could not tell it from the whole run: no posting held for
    its series waits for the series' outcome, no series named a member still to come (with
    ``-n``, a shard's series comes before its lead-out's postings), and every source in it has
    its granularity decided (``auto`` needs a file's count of postings: decided once it passes
    the limit or the next file begins). Then the items are also in the whole run's order; a
    run of a few files ends so, or in :meth:`finish`. Outcomes that make no item and that no
    series names (replies, other mail) are not kept.

    In an archive some series is nearly always open (the engine's window closes a series only
    after 64 more postings): once ``most`` outcomes are kept, the stretch is cut anyway and
    what waits (the open series' postings, a series whose postings are still to come) is
    carried into the next one. The items are the same; those postings' items, and the items
    of series anchored before the cut, come later than in the whole run's order. Memory holds
    ``most`` outcomes and what the window holds open.
    """

    granularity: str = "auto"
    auto_limit: int | None = None
    most: int = 1000
    _kept: list[Outcome] = field(default_factory=list)
    _waiting: set[tuple[str, int]] = field(default_factory=set)  # held postings, no series yet
    _late: set[tuple[str, int]] = field(default_factory=set)  # members named, not yet seen
    _modes: dict[str, str] = field(default_factory=dict)
    _postings: Counter[str] = field(default_factory=Counter)
    _current: str | None = None  # the source messages come from now

    def __post_init__(self) -> None:
        if self.granularity not in GRANULARITIES:
            raise ValueError(f"granularity must be one of {GRANULARITIES}, not {self.granularity!r}")

    @property
    def kept(self) -> int:
        """How many outcomes wait to be planned."""
        return len(self._kept)

    def add(self, outcome: Outcome) -> list[ItemSpec]:
        """Take the next outcome; returns the items of a stretch when one is complete."""
        target = outcome.target
        if target.scope is Scope.SERIES:
            for member in target.members:
                if member in self._waiting:
                    self._waiting.discard(member)
                else:
                    self._late.add(member)
            self._kept.append(outcome)
        else:
            self._count(target)
            if target.key in self._late:
                self._late.discard(target.key)
                self._kept.append(outcome)
            elif outcome.held:
                self._waiting.add(target.key)
                self._kept.append(outcome)
            elif outcome.rules:
                self._kept.append(outcome)
        if self._current is not None and self._current not in self._modes:
            return []  # the file's granularity is not known yet (it has at most auto_limit postings)
        if not self._waiting and not self._late:
            return self._plan(self._kept)
        if len(self._kept) >= self.most:
            return self._plan([o for o in self._kept if not self._waits(o)])
        return []

    def finish(self) -> list[ItemSpec]:
        """The items of what is left, once the run has ended."""
        for source in self._postings:
            self._modes.setdefault(source, self._mode(source))
        return self._plan(self._kept) if self._kept else []

    def _waits(self, outcome: Outcome) -> bool:
        target = outcome.target
        if target.scope is Scope.SERIES:
            return any(member in self._late for member in target.members)
        return target.key in self._waiting

    def _count(self, target: Target) -> None:
        source = target.source
        if source != self._current:
            if self._current is not None:  # inputs are read one after another: that one is done
                self._modes.setdefault(self._current, self._mode(self._current))
            self._current = source
        self._postings[source] += target.kind in POSTING_KINDS
        if self._mode(source) == "series" or self.granularity != "auto":
            # Decided: asked for, or past the limit (a later posting cannot take it back).
            self._modes.setdefault(source, self._mode(source))

    def _mode(self, source: str) -> str:
        return _mode(self._postings[source], self.granularity, self.auto_limit)

    def _plan(self, ready: list[Outcome]) -> list[ItemSpec]:
        if len(ready) == len(self._kept):
            self._kept = []
        else:
            planned = {id(o) for o in ready}
            self._kept = [o for o in self._kept if id(o) not in planned]
        return plan_items(ready, self.granularity, self.auto_limit, self._modes)
