"""What the html report costs: file size, time and peak memory, beside the JSON report and no report.

Usage::

    python benchmarks/html_report.py ARCHIVE.mbox … [--ledger LEDGER.tsv …]

For each archive, one after the other, each in a subprocess (interpreter start-up included):
``patchlint check --summary-only`` alone, with ``--format json=FILE``, and with ``--format
html=FILE`` (and the ledgers given, when they are); wall time, CPU time, peak resident memory
and the report's size. Then the html writer alone, in this process, on the outcomes of one run
(CPU seconds, best of 2). Nothing is asserted: the figures are printed (this machine is
shared: compare within a row).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import measure  # noqa: E402

from patchlint.engine import Engine  # noqa: E402
from patchlint.report import FormatRequest, Results, write_reports  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs="+")
    parser.add_argument("--ledger", action="append", default=[])
    args = parser.parse_args()
    ledgers = [arg for path in args.ledger for arg in ("--ledger", str(Path(path).resolve()))]
    command = [sys.executable, "-m", "patchlint", "check", "--summary-only"]
    print("| archive | run | wall s | CPU s | peak MiB | report |\n|---|---|---|---|---|---|")
    for archive in args.archives:
        name = Path(archive).name
        with tempfile.TemporaryDirectory() as folder:
            for label, extra, out in (
                ("`--summary-only`", [], None),
                ("`--format json=FILE`", ["--format", f"json={folder}/r.json"], Path(folder, "r.json")),
                ("`--format html=FILE`" + (" `--ledger …`" if ledgers else ""),
                 ["--format", f"html={folder}/r.html", *ledgers], Path(folder, "r.html")),
            ):
                got = measure([*command, *extra, str(Path(archive).resolve())])
                size = f"{out.stat().st_size / 1024:,.0f} KiB" if out is not None and out.is_file() else ""
                print(f"| {name} | {label} | {got.seconds:.2f} | {got.cpu:.2f} | {got.peak_mib:.0f} | {size} |",
                      flush=True)
    engine = Engine()
    run = engine.run([args.archives[0]])
    results = Results.of(engine, list(run), run.report, options={"ledger": tuple(args.ledger)})
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        write_reports(engine.manager, results, [FormatRequest("html")], io.StringIO())
        best = min(best, time.process_time() - started)
    print(f"\nhtml writer alone on {Path(args.archives[0]).name}: {best:.2f} CPU s "
          f"({run.report.messages:,} messages, {run.report.series:,} series)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
