"""Precision ledgers: sampled flags of a run on a real archive, each judged by a person.

A ledger is a tab-separated file (``benchmarks/precision/*.tsv`` are the project's own): ``#
key: value`` header lines (``archive``, ``seed``, ``sampled at``), a ``code message_id verdict
reason line message`` heading, and one row per sampled flag with its verdict: ``right`` (true,
and the list would want it fixed), ``convention`` (true, but against the list's accepted
practice) or ``wrong`` (false, or it misdescribes the mail or git), empty while unjudged.

``benchmarks/precision/ledger.py`` samples and reports ledgers; the HTML report shows a rule
precision table from the ledgers a user names (``patchlint check --ledger FILE``). Both read
them here and key a flag the same way (:func:`flag_of`), so they agree on what is judged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patchlint.engine import Target
    from patchlint.rule import Violation

VERDICTS = ("right", "convention", "wrong")
COLUMNS = ("code", "message_id", "verdict", "reason", "line", "message")


class LedgerError(ValueError):
    """A ledger file that cannot be read, or a row that is not a ledger row (named by file:line)."""


@dataclass(frozen=True)
class Flag:
    """One violation as a ledger sees it: a flag whose message changed, or that points at
    another line, is another flag (it has to be judged again)."""

    code: str
    message_id: str
    line: int
    message: str

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.code, self.message_id, self.line, self.message)


@dataclass(frozen=True)
class Entry:
    """One row of a ledger: a flag and its verdict (empty while unjudged) with the reason."""

    flag: Flag
    verdict: str
    reason: str


@dataclass(frozen=True)
class Ledger:
    """One ledger file: its header fields and rows."""

    path: str
    header: tuple[tuple[str, str], ...]
    entries: tuple[Entry, ...]

    @property
    def archive(self) -> str:
        """The archive it was sampled from, as its header names it ('' when it does not)."""
        return dict(self.header).get("archive", "")


def flag_of(target: Target, violation: Violation) -> Flag:
    """The ledger's key of one violation of an outcome about ``target`` (a posting, or a
    series named by its anchor): the target's Message-ID, else ``FILE:LINE`` of the target."""
    mid = target.message_id or f"{Path(violation.source).name}:{target.line}"
    return Flag(violation.code, mid, violation.line, one_line(violation.message))


def one_line(text: str) -> str:
    """A message as a ledger cell holds it: tabs and line breaks folded into single spaces."""
    return " ".join(text.replace("\t", " ").split())


def read_ledger(path: str | Path) -> Ledger:
    """Read one ledger file; :class:`LedgerError` names the file (and line) of what is wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LedgerError(f"cannot read the ledger {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise LedgerError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    header: list[tuple[str, str]] = []
    entries: list[Entry] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            header.append((key.strip(), value.strip()))
            continue
        if not line.strip() or line.startswith("code\t"):
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise LedgerError(f"{path}:{number}: expected {len(COLUMNS)} tab-separated columns "
                              f"({' '.join(COLUMNS)}), found {len(cells)}")
        code, mid, verdict, reason, where, message = cells
        if verdict and verdict not in VERDICTS:
            raise LedgerError(f"{path}:{number}: verdict {verdict!r}; use one of {', '.join(VERDICTS)}")
        if not where.isdigit():
            raise LedgerError(f"{path}:{number}: line {where!r} is not a line number")
        entries.append(Entry(Flag(code, mid, int(where), message), verdict, reason))
    return Ledger(str(path), tuple(header), tuple(entries))


@dataclass(frozen=True)
class Precision:
    """The verdicts on one rule's judged flags, and how many flags of it a run raised."""

    code: str
    flags: int  # raised in this run
    judged: Counter[str]  # every judged row of the ledgers, by verdict
    raised: Counter[str]  # the judged rows this run still raises, by verdict

    @staticmethod
    def share(counts: Counter[str]) -> float | None:
        """The share of ``right`` verdicts (None when nothing is judged)."""
        judged = sum(counts[v] for v in VERDICTS)
        return counts["right"] / judged if judged else None


def precision(ledgers: Iterable[Ledger], flags: Iterable[Flag]) -> list[Precision]:
    """Per rule (in code order), the ledgers' verdicts: over every judged row, and over the
    judged rows still raised among ``flags`` (a run's, as :func:`flag_of` keys them) — the
    figure ``ledger.py report`` prints; a rule the run flags but no ledger judges has a row too."""
    flags = list(flags)
    raised_now = {flag.key for flag in flags}
    per_code = Counter(flag.code for flag in flags)
    judged: dict[str, Counter[str]] = {}
    raised: dict[str, Counter[str]] = {}
    for ledger in ledgers:
        for entry in ledger.entries:
            if not entry.verdict:
                continue
            code = entry.flag.code
            judged.setdefault(code, Counter())[entry.verdict] += 1
            if entry.flag.key in raised_now:
                raised.setdefault(code, Counter())[entry.verdict] += 1
    codes = sorted(set(judged) | set(per_code))
    return [Precision(code, per_code[code], judged.get(code, Counter()), raised.get(code, Counter())) for code in codes]
