"""The precision ledger: sampled flags on real archives, each judged by reading the mail.

Usage::

    python benchmarks/precision/ledger.py sample ARCHIVE [--seed N] [--per-rule 3] [--total 100]
    python benchmarks/precision/ledger.py report LEDGER.tsv … [--corpus DIR]
    python benchmarks/precision/ledger.py topup LEDGER.tsv --seed N [--per-rule 3] [--total 100]
    python benchmarks/precision/ledger.py mail ARCHIVE MESSAGE-ID

``sample`` runs patchlint on ARCHIVE and prints a ledger skeleton (TSV) holding a seeded sample of
its flags: at least ``--per-rule`` of every rule that fires (all of them when fewer), filled up to
``--total`` in seeded order. A person then fills in each row's ``verdict`` after reading the mail:

``right``
    the claim is true of the mail, and the list would want it fixed;
``convention``
    literally true, but against the list's own accepted conventions (noise for that list);
``wrong``
    the claim is false, or the explanation misdescribes the mail or what git does;

and a one-line ``reason`` quoting the mail. ``report`` re-runs patchlint on each ledger's archive
(found by name in ``--corpus``, default ``../shared/corpus``), prints precision per rule and per
archive over the judged flags that are still raised, and lists the flags that are new (raised
now, not in the ledger: unjudged) or gone (in the ledger, no longer raised). ``topup`` appends
unjudged rows sampled from the new flags so that, after fixes, the rows still raised are again a
full sample (``--per-rule`` of each rule, ``--total`` in all). ``mail`` prints one
message of an archive, with file line numbers, for judging.

A flag is keyed by (code, Message-ID, file line, message): a flag whose message changed, or that
points at another line, is new, since it has to be judged again. The ledger's header records the archive, the seed and the
commit it was sampled at.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import patchlint.ledger
from patchlint.engine import Engine
from patchlint.ledger import COLUMNS, VERDICTS, Flag, Ledger, LedgerError, Precision, flag_of, precision

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def flags_of(archive: Path, config: str | None = None) -> list[Flag]:
    """Every flag patchlint raises on ``archive``, in the order found."""
    report = Engine(config).check([archive])
    return [flag_of(result.target, violation) for result in report.results for violation in result.violations]


def sample(
    flags: list[Flag], seed: int, per_rule: int, total: int, held: Counter[str] | None = None,
) -> list[Flag]:
    """A seeded sample: ``per_rule`` of each rule first, then the rest in seeded order, up to
    ``total``. ``held`` counts, per rule, flags a ledger already holds (a top-up): they count
    towards both ``per_rule`` and ``total``."""

    def rank(flag: Flag) -> str:
        return hashlib.sha1(f"{seed}|{'|'.join(map(str, flag.key))}".encode()).hexdigest()

    ordered = sorted(set(flags), key=rank)
    taken: list[Flag] = []
    per: Counter[str] = Counter(held or {})
    total -= sum(per.values())
    for flag in ordered:
        if per[flag.code] < per_rule:
            taken.append(flag)
            per[flag.code] += 1
    chosen = set(taken)
    for flag in ordered:
        if len(taken) >= total:
            break
        if flag not in chosen:
            taken.append(flag)
            chosen.add(flag)
    return sorted(taken, key=lambda f: (f.code, rank(f)))


def _commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
        cwd=Path(__file__).parent,
    ).stdout.strip() or "unknown"


def _rows(out, flags: Iterable[Flag]) -> None:
    for flag in flags:
        out.write("\t".join((flag.code, flag.message_id, "", "", str(flag.line), flag.message)) + "\n")


def write_ledger(out, archive: Path, seed: int, flags: Iterable[Flag]) -> None:
    out.write(f"# archive: {archive.name}\n# seed: {seed}\n# sampled at: {_commit()}\n")
    out.write("\t".join(COLUMNS) + "\n")
    _rows(out, flags)


def top_up(path: Path, corpus: Path, seed: int, per_rule: int, total: int, config: str | None) -> int:
    """Append to the ledger at ``path`` unjudged rows sampled (with ``seed``) from the flags
    raised now and not in it, so that the rows still raised hold ``per_rule`` of every rule that
    fires and ``total`` in all. Rows already there stay as they were judged: a flag that is gone
    keeps its row (the history of a fix); a flag whose message changed is a new flag, judged
    again."""
    found = _judged_and_raised(path, corpus, config)
    if found is None:
        return 2
    _, ledger, now = found
    entries = ledger.entries
    raised = {f.key for f in now}
    known = {e.flag.key for e in entries}
    held = Counter(e.flag.code for e in entries if e.flag.key in raised)
    added = sample([f for f in now if f.key not in known], seed, per_rule, total, held)
    with path.open("a", encoding="utf-8") as out:
        out.write(f"# topped up at: {_commit()}, seed {seed}: {len(added)} rows\n")
        _rows(out, added)
    print(f"{path}: {sum(held.values())} rows still raised, {len(added)} added to judge")
    return 0


def _judged_and_raised(path: Path, corpus: Path, config: str | None) -> tuple[Path, Ledger, list[Flag]] | None:
    """The ledger's archive, the ledger and the flags patchlint raises on the archive now; None
    (said on standard error) when the archive is not in ``corpus``. A bad row stops the
    program, naming its line."""
    try:
        ledger = patchlint.ledger.read_ledger(path)
    except LedgerError as exc:
        sys.exit(str(exc))
    archive = corpus / ledger.archive
    if not archive.is_file():
        print(f"{path}: archive {archive} not found; pass --corpus", file=sys.stderr)
        return None
    return archive, ledger, flags_of(archive, config)


def report(paths: list[Path], corpus: Path, config: str | None) -> int:
    totals: dict[str, Counter[str]] = {}
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    for path in paths:
        found = _judged_and_raised(path, corpus, config)
        if found is None:
            return 2
        archive, ledger, now = found
        entries = ledger.entries
        raised = {f.key for f in now}
        known = {e.flag.key for e in entries}
        counts: Counter[str] = Counter()
        for row in precision([ledger], now):  # the verdicts of the rows still raised, per rule
            counts.update(row.raised)
            if row.raised:
                per_rule[row.code].update(row.raised)
        gone = [e for e in entries if e.flag.key not in raised]
        new = [f for f in now if f.key not in known]
        totals[archive.name] = counts
        print(f"== {archive.name}: {len(now)} flags now; ledger {len(entries)} rows, "
              f"{len(gone)} gone, {len(new)} raised now and not in the ledger")
        for entry in gone:
            print(f"  gone  {entry.flag.code} {entry.flag.message_id} [{entry.verdict or 'unjudged'}] "
                  f"{entry.flag.message[:100]}")
        by_code = Counter(f.code for f in new)
        if by_code:
            print("  new (unjudged) by rule: " + ", ".join(f"{c} {n}" for c, n in sorted(by_code.items())))
        unjudged = sum(1 for e in entries if not e.verdict and e.flag.key in raised)
        if unjudged:
            print(f"  {unjudged} sampled rows still to judge")
    print()
    print(_table("archive", totals))
    print()
    print(_table("rule", dict(sorted(per_rule.items()))))
    return 0


def _table(what: str, rows: dict[str, Counter[str]]) -> str:
    lines = [f"| {what} | judged | right | convention | wrong | precision (right) |", "|---|---|---|---|---|---|"]
    all_counts: Counter[str] = Counter()
    for name, counts in rows.items():
        all_counts.update(counts)
        lines.append(_row(name, counts))
    lines.append(_row("**all**", all_counts))
    return "\n".join(lines)


def _row(name: str, counts: Counter[str]) -> str:
    judged = sum(counts[v] for v in VERDICTS)
    right = Precision.share(counts)
    share = f"{100 * right:.0f} %" if right is not None else "-"
    return f"| {name} | {judged} | {counts['right']} | {counts['convention']} | {counts['wrong']} | {share} |"


def print_mail(archive: Path, message_id: str) -> int:
    engine = Engine()
    for posting in engine.read([archive]):
        if posting.message_id == message_id or f"{archive.name}:{posting.raw.line}" == message_id:
            first = posting.raw.line
            for offset, line in enumerate(posting.raw.data.decode("utf-8", "replace").splitlines()):
                print(f"{first + offset:7d}  {line}")
            return 0
    print(f"no message {message_id!r} in {archive}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="print a ledger skeleton for ARCHIVE")
    s.add_argument("archive", type=Path)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--per-rule", type=int, default=3)
    s.add_argument("--total", type=int, default=100)
    s.add_argument("--config")
    r = sub.add_parser("report", help="precision of judged ledgers, and what changed since")
    r.add_argument("ledgers", nargs="+", type=Path)
    r.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    r.add_argument("--config")
    t = sub.add_parser("topup", help="append unjudged rows so the rows still raised are a full sample again")
    t.add_argument("ledger", type=Path)
    t.add_argument("--seed", type=int, required=True)
    t.add_argument("--per-rule", type=int, default=3)
    t.add_argument("--total", type=int, default=100)
    t.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    t.add_argument("--config")
    m = sub.add_parser("mail", help="print one message of an archive with file line numbers")
    m.add_argument("archive", type=Path)
    m.add_argument("message_id")
    args = parser.parse_args(argv)
    if args.command == "sample":
        flags = flags_of(args.archive, args.config)
        write_ledger(sys.stdout, args.archive, args.seed, sample(flags, args.seed, args.per_rule, args.total))
        return 0
    if args.command == "report":
        return report(args.ledgers, args.corpus, args.config)
    if args.command == "topup":
        return top_up(args.ledger, args.corpus, args.seed, args.per_rule, args.total, args.config)
    return print_mail(args.archive, args.message_id)


if __name__ == "__main__":
    sys.exit(main())
