"""Archive-scale figures: time and peak memory per archive size, the floor ratio, the -n speed-up.

Usage::

    python benchmarks/scale.py ARCHIVE.mbox … [--processes N] [--skip-pytest]

Build archives of several sizes by concatenating the mboxes of ../shared/corpus (outside the
repository), e.g. ``cat nf.mbox ltp.mbox i2c.mbox nf.mbox > /tmp/20k.mbox``. For each archive,
one after the other, side by side in one run (this machine is shared: compare ratios, not
absolute figures):

``floor``
    ``split_stream`` over the file in this process: the read-and-split floor.
``engine``
    ``patchlint check --summary-only`` in a subprocess (interpreter start-up included).
``-n N``
    the same with ``-n N``; ``speed-up`` is the engine's wall time over this one's, ``cpu``
    the workers' CPU time over the one process's (what sharding costs in work).
``pytest``
    ``patchlint check -q`` (the pytest path, one item per series).

Peak memory is the subprocess's maximum resident set (for ``-n``, the largest of the parent and
its workers). Each figure is the best of ``--repeat`` runs (the machine is shared: a slower run
is another tenant's work, not ours). The subprocesses import compiled bytecode, as an installed
patchlint does: it is written once into a temporary ``PYTHONPYCACHEPREFIX`` (also where
``PYTHONDONTWRITEBYTECODE`` is set, which would otherwise make every start-up compile the
sources again, ~0.1 s). Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from patchlint.readers.mbox import split_stream


@dataclass(frozen=True)
class Measured:
    seconds: float
    cpu: float  # user + system of the process and its children
    peak_mib: float
    code: int


def measure(command: list[str], bytecode: str, repeat: int = 1) -> Measured:
    """Run ``command`` ``repeat`` times, its output discarded; the best wall time, with its CPU
    time, and the smallest peak memory."""
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "XDG_CACHE_HOME": cache, "PYTHONPYCACHEPREFIX": bytecode}
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       cwd=tempfile.gettempdir(), env=env)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
        # ru_maxrss of wait4 is the largest of the process and the children it waited for (KiB).
        runs.append((seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)))
    seconds, cpu, _, code = min(runs)
    return Measured(seconds, cpu, min(r[2] for r in runs), code)


def floor(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    with path.open("rb") as stream:
        count = sum(1 for _ in split_stream(stream))
    return time.perf_counter() - start, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs="+", type=Path)
    parser.add_argument("--processes", type=int, default=2, help="the -n figure's processes (default 2)")
    parser.add_argument("--skip-pytest", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each figure, the best kept (default 3)")
    args = parser.parse_args(argv)
    check = [sys.executable, "-m", "patchlint", "check"]
    rows = []
    with tempfile.TemporaryDirectory() as bytecode:
        smallest = min(args.archives, key=lambda a: a.stat().st_size)
        measure([*check, "-q", "-pno:cacheprovider", str(smallest.resolve())], bytecode)  # compiles what runs import
        for path in args.archives:
            path = path.resolve()
            seconds, messages = floor(path)
            engine = measure([*check, "--summary-only", str(path)], bytecode, args.repeat)
            sharded = measure([*check, "--summary-only", "-n", str(args.processes), str(path)], bytecode, args.repeat)
            through = None
            if not args.skip_pytest:
                through = measure([*check, "-q", "-pno:cacheprovider", str(path)], bytecode, args.repeat)
            rows.append((path, path.stat().st_size / 2**20, messages, seconds, engine, sharded, through))
    header = ("archive", "MiB", "msgs", "floor s", "engine s", "MiB", "÷floor", f"-n{args.processes} s", "MiB",
              "speed-up", "cpu", "pytest s", "MiB", "÷engine", "µs/msg eng", "µs/msg pytest")
    print("  ".join(header))
    for path, size, messages, seconds, engine, sharded, through in rows:
        cells = [path.name, f"{size:.0f}", f"{messages:,}", f"{seconds:.2f}", f"{engine.seconds:.2f}",
                 f"{engine.peak_mib:.0f}", f"{engine.seconds / seconds:.1f}", f"{sharded.seconds:.2f}",
                 f"{sharded.peak_mib:.0f}", f"{engine.seconds / sharded.seconds:.2f}", f"{sharded.cpu / engine.cpu:.2f}"]
        if through is not None:
            cells += [f"{through.seconds:.2f}", f"{through.peak_mib:.0f}", f"{through.seconds / engine.seconds:.2f}"]
        else:
            cells += ["-", "-", "-"]
        cells.append(f"{engine.seconds / messages * 1e6:.0f}")
        cells.append(f"{through.seconds / messages * 1e6:.0f}" if through is not None else "-")
        print("  ".join(cells))
    print(f"\n(engine and -n include interpreter start-up; exit codes: "
          f"{', '.join(str(r[4].code) for r in rows)}; ru_maxrss of -n is the largest single process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
