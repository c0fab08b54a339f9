"""Throughput figures for patchlint on one mbox; prints a table, never asserts on timing.

Usage::

    python benchmarks/bench.py MBOX [--repeat N] [--skip-pytest]

Every figure is wall-clock time on one core (no multiprocessing). In-process figures are the best
of ``--repeat`` runs (default 3); the pytest figures are one run each, since every run starts a
fresh interpreter. ``msgs/s`` divides the number of messages by the time; ``postings/s`` divides
the number of postings (patch + cover letter + pull request, as the engine classifies them) by the
same time, so every row can be compared with the engine row on the same footing.

The figures, from cheapest to dearest:

``line loop (From_ count)``
    ``for line in f`` over the file opened in binary, counting lines that start with ``From ``.
    The floor of any line-based reader: Python's own line splitting and nothing else. Its count
    may exceed the message count (unquoted ``From `` lines in bodies).

``split_stream (reader)``
    ``patchlint.readers.mbox.split_stream`` over the same binary stream, as the mbox reader runs
    it: chunked separator search, ``>From`` unquoting and each message's bytes. This is the
    read-and-split floor of every engine figure below.

``stdlib parse policy=...``
    ``email.message_from_bytes`` on every message already split into memory (splitting is not
    timed). ``default`` is the modern ``EmailMessage`` API; ``compat32`` the legacy one. Header
    values are parsed by the stdlib only when accessed, which this figure does not do, so it
    understates a full parse: treat it as a reference for "what the stdlib would cost", not a
    ceiling.

``engine (default rules)``
    ``Engine().check([path])``: read, classify every message, run the posting rules, group series
    and run the series rules. Building the Engine (plugin and configuration loading) is not timed.

``patchlint check`` / ``patchlint check --summary-only``
    The command users run, in a subprocess: ``patchlint check -q MBOX`` (pytest, isolated, auto
    granularity: per series here) and ``--summary-only`` (the same run without pytest). Includes
    interpreter start-up.

``pytest --patchlint-granularity=...``
    ``python -m pytest --patchlint -p no:cacheprovider -q MBOX`` in a subprocess, with ``auto``
    (the default: per series for a file this large), ``series`` (one item per series),
    ``posting`` (one item per posting) and ``rule`` (one item per posting and rule) granularity.
    Includes
    interpreter and pytest start-up, collection, running and reporting; nothing is subtracted.
    ``items`` is the sum of the outcome counts of pytest's final summary line.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import patchlint
from patchlint.engine import Engine, Report
from patchlint.model.posting import POSTING_KINDS, Kind
from patchlint.readers.mbox import split_stream

T = TypeVar("T")

INTERNAL_ERROR = "internal error in rule"
PYTEST_TIMEOUT = 1800
_OUTCOME = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected)")


@dataclass
class Figure:
    """One row of the table: what was measured, how long it took and how much it handled."""

    name: str
    seconds: float
    messages: int
    runs: int
    note: str = ""


@dataclass
class EngineFacts:
    """What the engine run found, beyond its timing."""

    report: Report
    unparseable: list[str] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)

    @property
    def postings(self) -> int:
        """Patches, cover letters and pull requests."""
        return sum(self.report.kinds[k] for k in POSTING_KINDS)


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """The shortest wall time of ``repeat`` calls of ``run``, and the last call's result."""
    best = float("inf")
    result: T
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


# -- the measurements -------------------------------------------------------------------------


def count_from_lines(path: Path) -> int:
    """Lines starting with ``From `` in a plain binary line loop."""
    count = 0
    with path.open("rb") as stream:
        for line in stream:
            if line.startswith(b"From "):
                count += 1
    return count


def count_split(path: Path) -> int:
    """Messages produced by the mbox reader's splitter over a binary stream."""
    with path.open("rb") as stream:
        return sum(1 for _ in split_stream(stream))


def load_messages(path: Path) -> list[bytes]:
    """Every message's bytes, split the way the mbox reader splits them."""
    with path.open("rb") as stream:
        return [data for _, data in split_stream(stream)]


def stdlib_parse(messages: Iterable[bytes], policy: email.policy.Policy) -> int:
    """Parse every message with ``email.message_from_bytes``; return how many were parsed."""
    count = 0
    for data in messages:
        email.message_from_bytes(data, policy=policy)
        count += 1
    return count


def measure_engine(path: Path, repeat: int) -> tuple[float, Report]:
    """Best-of-``repeat`` engine time, building a fresh Engine outside the timed part each run."""
    best = float("inf")
    report = Report()
    for _ in range(repeat):
        engine = Engine()
        start = time.perf_counter()
        report = engine.check([path])
        best = min(best, time.perf_counter() - start)
    return best, report


def engine_facts(report: Report) -> EngineFacts:
    """Unparseable messages and rule crashes found in a report."""
    facts = EngineFacts(report)
    for result in report.results:
        for violation in result.violations:
            if violation.code == "PL001":
                facts.unparseable.append(f"{violation.source}:{violation.line}: {violation.message}")
            if violation.message.startswith(INTERNAL_ERROR):
                facts.internal_errors.append(violation.format())
    return facts


@dataclass
class PytestRun:
    """One pytest subprocess: its wall time, exit status and final outcome counts."""

    name: str  # what ran: "patchlint check", "pytest --patchlint-granularity=auto" …
    seconds: float
    returncode: int
    outcomes: dict[str, int]
    summary: str

    @property
    def items(self) -> int:
        """Items that ran (deselected ones excluded)."""
        return sum(n for kind, n in self.outcomes.items() if kind != "deselected")


def run_pytest(path: Path, granularity: str) -> PytestRun:
    """Run pytest on ``path`` in a subprocess, its output sent to a temporary file."""
    command = [
        sys.executable, "-m", "pytest", "--patchlint", "-p", "no:cacheprovider", "-q",
        f"--patchlint-granularity={granularity}", str(path),
    ]
    return _timed(command, f"pytest --patchlint-granularity={granularity}")


def run_check(path: Path, *options: str) -> PytestRun:
    """Run ``patchlint check -q`` (or with ``options``) on ``path`` in a subprocess."""
    command = [sys.executable, "-m", "patchlint", "check", *(options or ("-q",)), str(path)]
    return _timed(command, " ".join(["patchlint check", *options]))


def _timed(command: list[str], name: str) -> PytestRun:
    with tempfile.TemporaryFile("w+") as output, tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        done = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, cwd=tempfile.gettempdir(),
                              timeout=PYTEST_TIMEOUT, check=False, env={**os.environ, "XDG_CACHE_HOME": cache})
        seconds = time.perf_counter() - start
        output.seek(0)
        summary = final_summary(output.read())
    return PytestRun(name, seconds, done.returncode, parse_outcomes(summary), summary)


def final_summary(text: str) -> str:
    """The last line of pytest output that reports outcome counts."""
    for line in reversed(text.splitlines()):
        if _OUTCOME.search(line):
            return line.strip("= ").strip()
    return "(no summary line found)"


def parse_outcomes(summary: str) -> dict[str, int]:
    """``{"passed": N, "failed": M, ...}`` from a summary line such as ``3 failed, 9 passed in 1s``."""
    outcomes: dict[str, int] = {}
    for number, kind in _OUTCOME.findall(summary):
        key = "errors" if kind.startswith("error") else kind
        outcomes[key] = outcomes.get(key, 0) + int(number)
    return outcomes


# -- the report -------------------------------------------------------------------------------


def rate(count: int, seconds: float) -> str:
    """``count / seconds`` for the table."""
    return f"{count / seconds:,.0f}" if seconds > 0 else "-"


def print_table(figures: list[Figure], postings: int) -> None:
    """The figures as an aligned table."""
    header = ("measurement", "runs", "wall s", "msgs", "msgs/s", "postings/s", "note")
    rows = [
        (f.name, str(f.runs), f"{f.seconds:.3f}", f"{f.messages:,}", rate(f.messages, f.seconds),
         rate(postings, f.seconds) if postings else "-", f.note)
        for f in figures
    ]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    right = {1, 2, 3, 4, 5}

    def fmt(row: tuple[str, ...]) -> str:
        pairs = enumerate(zip(row, widths, strict=True))
        cells = (c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in pairs)
        return "  ".join(cells).rstrip()

    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(fmt(row))


def source_state() -> str:
    """patchlint's version and, in a git checkout, its commit and whether files are modified."""
    where = Path(patchlint.__file__).resolve().parent
    state = f"patchlint {patchlint.__version__} ({where})"
    try:
        head = _git(where, "rev-parse", "--short", "HEAD")
        dirty = _git(where, "status", "--porcelain", "--untracked-files=no", ".")
    except (OSError, subprocess.CalledProcessError):
        return state
    modified = len(dirty.splitlines())
    return f"{state}, git {head}" + (f" + {modified} modified file(s)" if modified else "")


def _git(where: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def print_environment(path: Path, repeat: int) -> None:
    """Python, platform, the code measured and the input size."""
    size = path.stat().st_size
    print(f"python   {platform.python_implementation()} {platform.python_version()} ({sys.executable})")
    print(f"platform {platform.platform()}")
    print(f"code     {source_state()}")
    print(f"input    {path} ({size:,} bytes, {size / 2**20:.1f} MiB)")
    print(f"repeat   best of {repeat} (in-process figures); single core")
    print()


def print_engine_facts(facts: EngineFacts, examples: int = 5) -> None:
    """Kinds, series, unparseable messages, rule crashes and violations per rule code."""
    report = facts.report
    print()
    print("engine run")
    kinds = ", ".join(f"{report.kinds[k]} {k}" for k in Kind if report.kinds[k]) or "none"
    print(f"  messages by kind: {kinds} (total {report.messages}); {report.series} series")
    print(f"  postings (patch + cover + pull-request): {facts.postings}")
    print(f"  unparseable: {len(facts.unparseable)}")
    for line in facts.unparseable[:examples]:
        print(f"    {line}")
    print(f"  rule crashes ({INTERNAL_ERROR!r} violations): {len(facts.internal_errors)}")
    for line in facts.internal_errors[:examples]:
        print(f"    {line}")
    print("  violations per rule code:")
    by_code = Counter((v.code, v.rule) for v in report.violations)
    for (code, name), count in sorted(by_code.items()):
        print(f"    {code} {name}: {count}")
    if not by_code:
        print("    none")


def print_pytest_runs(runs: list[PytestRun]) -> None:
    """Each pytest run's exit status and final summary line."""
    print()
    print("pytest runs")
    for run in runs:
        print(f"  {run.name}: exit {run.returncode}; {run.summary}")


# -- main -------------------------------------------------------------------------------------


def reading_figures(path: Path, repeat: int) -> list[Figure]:
    """The line-loop floor and the reader's splitter."""
    seconds, lines = best_of(repeat, lambda: count_from_lines(path))
    figures = [Figure("line loop (From_ count)", seconds, lines, repeat, "'From ' lines, not messages")]
    seconds, count = best_of(repeat, lambda: count_split(path))
    figures.append(Figure("split_stream (reader)", seconds, count, repeat))
    return figures


def stdlib_figures(path: Path, repeat: int) -> list[Figure]:
    """``email.message_from_bytes`` with the default and compat32 policies."""
    messages = load_messages(path)
    figures = []
    for name, policy in (("default", email.policy.default), ("compat32", email.policy.compat32)):
        seconds, count = best_of(repeat, partial(stdlib_parse, messages, policy))
        figures.append(Figure(f"stdlib parse policy={name}", seconds, count, repeat, "pre-split"))
    return figures


def pytest_figures(path: Path, messages: int) -> tuple[list[Figure], list[PytestRun]]:
    """``patchlint check`` and every pytest granularity, one subprocess each (``messages``: what
    the engine counted)."""
    runs = [run_check(path), run_check(path, "--summary-only")]
    runs += [run_pytest(path, granularity) for granularity in ("auto", "series", "posting", "rule")]
    figures = [
        Figure(r.name, r.seconds, messages, 1,
               f"exit {r.returncode}" if "--summary-only" in r.name else f"{r.items:,} items, exit {r.returncode}")
        for r in runs
    ]
    return figures, runs


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line: the mbox, --repeat and --skip-pytest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mbox", type=Path, help="the mbox file to measure")
    parser.add_argument("--repeat", type=int, default=3, help="runs per in-process figure (best is kept)")
    parser.add_argument("--skip-pytest", action="store_true", help="leave out the pytest subprocess runs")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.mbox.is_file():
        parser.error(f"{args.mbox} is not a file")
    return args


def main(argv: list[str] | None = None) -> int:
    """Measure everything, then print the table and what the engine found."""
    args = parse_args(argv)
    path: Path = args.mbox.resolve()
    print_environment(path, args.repeat)
    figures = reading_figures(path, args.repeat)
    figures += stdlib_figures(path, args.repeat)
    seconds, report = measure_engine(path, args.repeat)
    figures.append(Figure("engine (default rules)", seconds, report.messages, args.repeat))
    runs: list[PytestRun] = []
    if not args.skip_pytest:
        pytest_rows, runs = pytest_figures(path, report.messages)
        figures += pytest_rows
    facts = engine_facts(report)
    print_table(figures, facts.postings)
    print_engine_facts(facts)
    if runs:
        print_pytest_runs(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
