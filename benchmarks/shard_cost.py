"""Where the extra work of ``-n 2`` goes, measured in this process (no interpreter start-up).

Usage::

    python benchmarks/shard_cost.py ARCHIVE.mbox … [--repeat 3]

For each archive, best of ``--repeat`` (CPU time: the machine is shared, wall time is noise):

``one``
    ``Engine().check`` in this process.
``-n 2``
    ``Engine(workers=2).check``: wall, the parent's CPU and the workers' CPU.
``serial shards``
    every shard's ``run_shard`` one after the other in this process: the work of sharding
    (lead-ins, lead-outs, planning) without any concurrency.
``forked, one at a time`` / ``forked, together``
    the shards in forked children, run in turn, then at the same time: what running two
    processes at once costs on this machine, which no change to the shards can remove.
Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

from patchlint.engine import Engine
from patchlint.shards import plan, run_shard


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _timed(work: Callable[[], object]) -> tuple[float, float, float]:
    """(wall, this process's CPU, the waited-for children's CPU) of ``work()``."""
    before, start = _cpu(), time.perf_counter()
    work()
    after = _cpu()
    return time.perf_counter() - start, after[0] - before[0], after[1] - before[1]


def _forked(engine: Engine, shards: list, together: bool) -> None:
    pids = []
    for shard in shards:
        pid = os.fork()
        if pid == 0:
            try:
                for _ in run_shard(engine, shard):
                    pass
            finally:
                os._exit(0)
        if together:
            pids.append(pid)
        else:
            os.waitpid(pid, 0)
    for pid in pids:
        os.waitpid(pid, 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    for path in args.archives:
        label = str(path)
        shards = plan(label, label, 2) or []
        rows: dict[str, tuple[float, float, float]] = {}
        for _ in range(args.repeat):
            engine = Engine(workers=2)
            measured = {
                "one": _timed(lambda: Engine().check([label])),
                "-n 2": _timed(lambda: engine.check([label])),
                "serial shards": _timed(lambda: [list(run_shard(Engine(workers=2), s)) for s in shards]),
                "forked, one at a time": _timed(lambda: _forked(engine, shards, together=False)),
                "forked, together": _timed(lambda: _forked(engine, shards, together=True)),
            }
            for name, figures in measured.items():
                best = rows.get(name)
                if best is None or sum(figures[1:]) < sum(best[1:]):
                    rows[name] = figures
        one_cpu = sum(rows["one"][1:])
        print(f"{path.name}: {len(shards)} shards")
        for name, (wall, own, children) in rows.items():
            cpu = own + children
            print(f"  {name:22} wall {wall:6.2f} s  cpu {cpu:6.2f} s (parent {own:5.2f})  "
                  f"cpu/one {cpu / one_cpu:5.2f}  speed-up {rows['one'][0] / wall:4.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
