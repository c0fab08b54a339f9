"""The audit: what a run found, per sender, per month, per series, and the patterns a rule flags.

Counts only, kept as outcomes stream by (a maintainer auditing years of a list reads the
totals, not every violation): memory grows with the number of senders, months, series with
findings and distinct patterns, not with the messages read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from patchlint.rule import Scope

if TYPE_CHECKING:
    from patchlint.engine import Outcome, Target

# Quoted text and numbers in a violation's message: the specifics of one posting.
_SPECIFIC = re.compile(r"'[^']*'|\"[^\"]*\"|\b\d+\b")
TOP = 10  # rows per table
EXAMPLES_KEPT = 1


def pattern(message: str) -> str:
    """A violation's message with its specifics (quoted text, numbers) replaced by ``…``: what
    many violations of a rule have in common."""
    return _SPECIFIC.sub("…", message)


def series_name(target: Target) -> str:
    """How the audit names a series (its tables and the incomplete list): ``SOURCE#INDEX subject``."""
    return f"{target.source}#{target.index} {target.subject}"


@dataclass
class Audit:
    """Counts of violations by rule, sender, month and series; the incomplete series."""

    by_rule: Counter[str] = field(default_factory=Counter)
    by_sender: Counter[str] = field(default_factory=Counter)
    by_month: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_series: Counter[str] = field(default_factory=Counter)
    patterns: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], str] = field(default_factory=dict)
    incomplete: list[str] = field(default_factory=list)
    # Violations of postings whose series is still open: added to the series when it closes.
    _open: dict[tuple[str, int], int] = field(default_factory=dict)
    # Members of a series already counted whose own outcome is still to come (under -n, a
    # shard's series may hold postings of the next shard, reported after it).
    _later: dict[tuple[str, int], str] = field(default_factory=dict)
    _last: dict[str, int] = field(default_factory=dict)  # the last message index seen per source

    def add(self, outcome: Outcome) -> None:
        """Count one outcome (a message's or a series')."""
        target = outcome.target
        found = len(outcome.violations)
        for violation in outcome.violations:
            self.by_rule[f"{violation.code} {violation.rule}"] += 1
            if target.sender:
                self.by_sender[target.sender] += 1
            self.by_month[(target.month or "undated", violation.code)] += 1
            key = (violation.code, pattern(violation.message))
            self.patterns[key] += 1
            self.examples.setdefault(key, violation.format())
        if target.scope is Scope.POSTING:
            self._last[target.source] = max(target.index, self._last.get(target.source, -1))
            series = self._later.pop(target.key, None)
            if series is not None:
                self.by_series[series] += found
            elif found:
                self._open[target.key] = found
            return
        name = series_name(target)
        for member in target.members:
            if member[1] > self._last.get(member[0], -1):
                self._later[member] = name
        total = found + sum(self._open.pop(member, 0) for member in target.members)
        if total:
            self.by_series[name] += total
        if target.missing:
            self.incomplete.append(f"{name}: missing {', '.join(map(str, target.missing))}")

    def per_month(self) -> list[tuple[str, int]]:
        """Violations per month (``2024-03``; ``undated`` last), every rule together."""
        totals: Counter[str] = Counter()
        for (month, _code), count in self.by_month.items():
            totals[month] += count
        return sorted(totals.items())

    def top_patterns(self, per_rule: int = 3) -> dict[str, list[tuple[int, str, str]]]:
        """Each rule's ``per_rule`` most common patterns, by code: ``(count, pattern, example)``."""
        found: dict[str, list[tuple[int, str, str]]] = {}
        for code in sorted({code for code, _ in self.patterns}):
            mine = sorted(((n, p) for (c, p), n in self.patterns.items() if c == code), reverse=True)[:per_rule]
            found[code] = [(count, text, self.examples[(code, text)]) for count, text in mine]
        return found

    def lines(self) -> list[str]:
        """The audit as text: the tables, TOP rows each."""
        out = ["audit"]
        out += _table("violations per rule", self.by_rule.most_common())
        out += _table("senders with the most violations", self.by_sender.most_common(TOP))
        out += _table("violations per month", self.per_month())
        out += _table("series with the most violations", self.by_series.most_common(TOP))
        out.append(f"  incomplete series: {len(self.incomplete):,}")
        out += [f"    {line}" for line in self.incomplete[:TOP]]
        if len(self.incomplete) > TOP:
            out.append(f"    … and {len(self.incomplete) - TOP:,} more")
        out.append("  most common patterns per rule (patchlint explain CODE names the options):")
        for code, patterns in self.top_patterns().items():
            for count, text, example in patterns:
                out.append(f"    {code} {count:,}×  {text}")
                out.append(f"      e.g. {example}")
        return out


def _table(title: str, rows: list[tuple[str, int]]) -> list[str]:
    if not rows:
        return [f"  {title}: none"]
    return [f"  {title}:"] + [f"    {count:7,}  {name}" for name, count in rows]
