"""What each report writer costs on one mbox; prints a table, never asserts on timing.

Usage::

    nice -n 10 python benchmarks/reports.py MBOX [--repeat N]

The engine runs once (its outcomes kept, as ``--format`` keeps them); each writer then formats
those results into memory, best of ``--repeat`` runs (default 3), CPU time of this process. The
last rows are the command users run, ``patchlint check --format NAME=FILE MBOX`` against
``--summary-only``, in a subprocess (wall time, interpreter start-up included), one run each.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from patchlint.engine import Engine  # noqa: E402
from patchlint.report import FormatRequest, Results, formats, write_reports  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mbox")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = Engine()
    started = time.process_time()
    run = engine.run([args.mbox])
    outcomes = list(run)
    engine_s = time.process_time() - started
    results = Results.of(engine, outcomes, run.report)
    print(f"{args.mbox}: {run.report.messages:,} messages, {len(results.violations):,} violations")
    print(f"| measurement | CPU s | output |\n|---|---|---|\n| engine (outcomes kept) | {engine_s:.2f} | |")
    for name in sorted(formats(engine.manager)):
        best, size = float("inf"), 0
        for _ in range(args.repeat):
            out = io.StringIO()
            started = time.process_time()
            write_reports(engine.manager, results, [FormatRequest(name)], out)
            best = min(best, time.process_time() - started)
            size = len(out.getvalue().encode())
        print(f"| writer `{name}` | {best:.3f} | {size / 1024:,.0f} KiB |")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    env.pop("GITHUB_ACTIONS", None)
    with tempfile.TemporaryDirectory() as folder:
        for label, extra in (("--summary-only", ["--summary-only"]),
                             ("--summary-only --format json=FILE", ["--summary-only", "--format", f"json={folder}/r.json"]),
                             ("--format sarif=FILE (with pytest)", ["-q", "--format", f"sarif={folder}/r.sarif"]),
                             ("--format compact (no pytest)", ["--format", "compact"])):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "patchlint", "check", *extra, args.mbox], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"| `patchlint check {label}` (wall) | {time.perf_counter() - started:.2f} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
