"""The engine: read sources, build postings and series, run the configured rules."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from patchlint.config import Config, load_config
from patchlint.plugins import collect_rules, make_plugin_manager
from patchlint.plugins import patchlint_run_rule as builtin_run_rule
from patchlint.model.posting import Kind, Posting
from patchlint.rule import Rule, Scope, Severity, Violation
from patchlint.model.series import Deliveries, Series, group_series
from patchlint.readers.source import read_path


@dataclass(frozen=True)
class Result:
    """The outcome of one rule on one target (a posting or a series)."""

    rule: Rule
    target: Posting | Series
    violations: tuple[Violation, ...]

    @property
    def failed(self) -> bool:
        """True when a violation has severity error."""
        return any(v.severity is Severity.ERROR for v in self.violations)


@dataclass
class Report:
    """Everything one run found, with the counts that account for every message read.

    ``results`` holds only the results that found something.
    """

    results: list[Result] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    series: int = 0
    repeats: int = 0
    """Postings delivered again (same Message-ID, Date and subject): counted, not judged."""

    @property
    def messages(self) -> int:
        """Messages read, whatever their kind."""
        return sum(self.kinds.values())

    @property
    def violations(self) -> list[Violation]:
        """Every violation, in the order found."""
        return [v for result in self.results for v in result.violations]

    def summary_lines(self) -> list[str]:
        """A short account a person can read: what was read, what was found."""
        kinds = ", ".join(f"{self.kinds[k]} {k}" for k in Kind if self.kinds[k])
        lines = [f"{self.messages} messages read ({kinds or 'none'}); {self.series} series"
                 + repeated_deliveries(self.repeats)]
        by_rule = Counter((v.code, v.rule, v.severity) for v in self.violations)
        for (code, name, severity), count in sorted(by_rule.items()):
            lines.append(f"  {code} {name} ({severity}): {count}")
        if not by_rule:
            lines.append("  no violations")
        return lines


def repeated_deliveries(count: int) -> str:
    """The summary's note on mails delivered more than once ('' when none were)."""
    if not count:
        return ""
    return f"; {count} repeated deliver{'y' if count == 1 else 'ies'} of a posting (judged once)"


class Engine:
    """One configured patchlint: its plugins, its rules, its configuration.

    ``config`` is a YAML file (None: the built-in default profile); ``plugins`` are extra plugin
    objects registered before the built-ins.
    """

    def __init__(self, config: str | Path | None = None, plugins: Iterable[object] = ()) -> None:
        self.manager = make_plugin_manager(plugins)
        self.rule_classes = collect_rules(self.manager)
        self.config: Config = load_config(config, self.rule_classes)
        self.manager.hook.patchlint_configure.call_historic(kwargs={"config": self.config})
        self.rules = self.config.instantiate(self.rule_classes)
        self.posting_rules = [r for r in self.rules if r.scope is Scope.POSTING]
        self.series_rules = [r for r in self.rules if r.scope is Scope.SERIES]

    def read(self, paths: Iterable[str | Path]) -> Iterator[Posting]:
        """Every message of every path, as a (lazily parsed) Posting."""
        for path in paths:
            for raw in read_path(self.manager.hook, path):
                yield Posting(raw)

    def run_rule(self, rule: Rule, target: Posting | Series) -> Result:
        """Run one rule on one target through the ``patchlint_run_rule`` hook."""
        return Result(rule, target, self._violations(rule, target))

    def _violations(self, rule: Rule, target: Posting | Series) -> tuple[Violation, ...]:
        return tuple(self.manager.hook.patchlint_run_rule(rule=rule, target=target) or ())

    def check(self, paths: Iterable[str | Path]) -> Report:
        """Check everything in ``paths``: posting rules as messages stream by, then series rules.

        Only postings (patches, covers, pull requests) are kept for the series step; replies and
        other mail are counted and let go, so an archive costs memory in proportion to its patches.
        """
        report = Report()
        kept: list[Posting] = []
        deliveries = Deliveries()
        run = self._runner()
        # Most messages of an archive are replies that no rule judges: look rules up by kind
        # rather than asking each one.
        by_kind = {kind: [r for r in self.posting_rules if kind in r.kinds] for kind in Kind}
        with _fewer_collections():
            for posting in self.read(paths):
                report.kinds[posting.kind] += 1
                if posting.is_posting and deliveries.repeat_of(posting) is not None:
                    report.repeats += 1  # the same mail again: judged once
                    continue
                for rule in by_kind[posting.kind]:
                    if rule.applies(posting):
                        found = run(rule, posting)
                        if found:
                            report.results.append(Result(rule, posting, tuple(found)))
                if posting.is_posting:
                    kept.append(posting)
            all_series = group_series(kept)
            report.series = len(all_series)
            for series in all_series:
                for rule in self.series_rules:
                    if rule.applies(series):
                        found = run(rule, series)
                        if found:
                            report.results.append(Result(rule, series, tuple(found)))
        return report

    def _runner(self) -> Callable[[Rule, Posting | Series], Sequence[Violation]]:
        """How :meth:`check` runs a rule: through the hook, unless nothing but the built-in
        implementation is registered, in which case it is called directly (the hook call costs
        more than most rules on most postings)."""
        implementations = self.manager.hook.patchlint_run_rule.get_hookimpls()
        if len(implementations) == 1 and implementations[0].function is builtin_run_rule:
            return builtin_run_rule
        return self._violations


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
