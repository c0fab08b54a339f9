"""A long fuzzing campaign over the model and whole runs; prints cases, time and what failed.

Usage::

    python benchmarks/fuzz.py [--cases N] [--runs N] [--corpus ARCHIVE.mbox --sample K] [--save DIR]

The mutated mails are tests/fuzzmail.py's (the repository's example mails, damaged in a dozen
ways); ``--corpus`` adds K messages sampled from a real archive to the seeds. Every case runs
the whole model (every property, the JSON of ``patchlint show``, series grouping); every run
writes a few mails as files and an mbox and checks them with the default rules, then verifies
the accounting (every message read is in the report once, one per mail of the mbox). A case
that raises, breaks the accounting or takes more than the budget is reported (and, with
``--save``, written to DIR to reproduce it); the campaign goes on.

It prints figures only; nothing here gates CI on a wall-clock number.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fuzzmail import inputs, mbox_of, mutated_mail, seeds  # noqa: E402
from test_adversarial import exercise  # noqa: E402

from patchlint.engine import Engine  # noqa: E402
from patchlint.model.message import RawMessage  # noqa: E402
from patchlint.model.posting import Posting  # noqa: E402
from patchlint.model.series import group_series  # noqa: E402
from patchlint.readers.mbox import split_stream  # noqa: E402
from patchlint.readers.source import read_path  # noqa: E402

BUDGET = {"model": 2.0, "run": 6.0}


class Campaign:
    """What the campaign saw: per kind of case, how many, their times, and the failures."""

    def __init__(self, save: Path | None) -> None:
        self.times: dict[str, list[float]] = {"model": [], "run": []}
        self.failures: list[tuple[str, str, bytes]] = []
        self.save = save

    def record(self, kind: str, spent: float, problem: str | None, data: bytes) -> None:
        self.times[kind].append(spent)
        if problem is None and spent > BUDGET[kind]:
            problem = f"took {spent:.2f} s of CPU (budget {BUDGET[kind]} s)"
        if problem is not None:
            self.failures.append((kind, problem, data))
            if self.save is not None:
                self.save.mkdir(parents=True, exist_ok=True)
                (self.save / f"{kind}-{len(self.failures):04d}.bin").write_bytes(data)

    def print(self, out=sys.stdout) -> None:
        for kind, times in self.times.items():
            if not times:
                continue
            times = sorted(times)
            print(
                f"{kind:6} {len(times):7,} cases  {sum(times):8.1f} s CPU  "
                f"median {times[len(times) // 2] * 1000:6.1f} ms  p99 {times[int(len(times) * 0.99)] * 1000:7.1f} ms  "
                f"max {times[-1] * 1000:7.1f} ms",
                file=out,
            )
        print(f"failures: {len(self.failures)}", file=out)
        for kind, problem, data in self.failures[:20]:
            print(f"  {kind}: {problem.splitlines()[-1][:200]} ({len(data):,} bytes)", file=out)


def model_case(campaign: Campaign, data: bytes) -> None:
    started = time.process_time()
    problem = None
    try:
        posting = Posting(RawMessage("fuzz.eml", 0, data))
        exercise(posting)
        group_series([posting])
    except Exception:
        problem = traceback.format_exc()
    campaign.record("model", time.process_time() - started, problem, data)


def run_case(campaign: Campaign, engine: Engine, files: list[bytes], archived: list[bytes]) -> None:
    started = time.process_time()
    problem = None
    mbox = mbox_of(archived) if archived else b""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for number, data in enumerate(files):
            (root / f"{number:04d}.eml").write_bytes(data)
        if archived:
            (root / "archive.mbox").write_bytes(mbox)
        try:
            raws = list(read_path(engine.manager.hook, root))
            report = engine.check([root])
            sources = [raw.source for raw in raws]
            if report.messages != len(raws):
                problem = f"the report counts {report.messages} messages, the readers gave {len(raws)}"
            elif sources.count(str(root / "archive.mbox")) != len(archived):
                problem = f"the mbox of {len(archived)} mails gave {sources.count(str(root / 'archive.mbox'))}"
            elif any(str(root / f"{n:04d}.eml") not in sources for n in range(len(files))):
                problem = "a file gave no message"
        except Exception:
            problem = traceback.format_exc()
    campaign.record("run", time.process_time() - started, problem, b"\n\n=====\n\n".join([*files, mbox]))


def corpus_sample(path: Path, count: int, rng: random.Random) -> tuple[bytes, ...]:
    """``count`` messages of an mbox archive, sampled evenly at random (reservoir sampling)."""
    chosen: list[bytes] = []
    with path.open("rb") as stream:
        for seen, (_line, data) in enumerate(split_stream(stream)):
            if len(chosen) < count:
                chosen.append(data)
            elif (slot := rng.randrange(seen + 1)) < count:
                chosen[slot] = data
    return tuple(chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=5000, help="mutated mails through the model")
    parser.add_argument("--runs", type=int, default=1000, help="whole runs over a few mutated mails")
    parser.add_argument("--corpus", type=Path, action="append", default=[], help="an mbox to add seeds from")
    parser.add_argument("--sample", type=int, default=2000, help="messages sampled per --corpus archive")
    parser.add_argument("--seed", type=int, default=None, help="for the corpus sample")
    parser.add_argument("--save", type=Path, default=None, help="write failing cases here")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    pool = seeds()
    for archive in args.corpus:
        pool = pool + corpus_sample(archive, args.sample, rng)
    print(f"{len(pool):,} seed mails", flush=True)
    campaign = Campaign(args.save)
    engine = Engine()
    quiet = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
    wall = time.perf_counter()
    if args.cases:
        settings(quiet, max_examples=args.cases)(given(mutated_mail(pool))(lambda data: model_case(campaign, data)))()
    if args.runs:
        settings(quiet, max_examples=args.runs)(
            given(inputs(pool))(lambda case: run_case(campaign, engine, *case))
        )()
    campaign.print()
    print(f"wall time {time.perf_counter() - wall:.1f} s")
    return 1 if campaign.failures else 0


if __name__ == "__main__":
    sys.exit(main())
