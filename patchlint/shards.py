"""All cores: an mbox cut into shards of consecutive messages, each judged by a worker process.

A shard is a byte range of the file that starts at a message separator. Each worker reads its
own range only, plus a lead-in before it (the series window's length, plus a day, of the
archive's time, measured either way) and, after it, as much as the series begun in it still
need: the lead-in tells it which postings at its start belong to a series begun before (those
are the previous worker's), the lead-out completes its own last series. A worker reports the messages of its
range and the series whose first posting is in its range, so every message and every series is
reported once, by one worker, as one process would report it.

The parent only finds the separators where shards begin (a regular-expression scan, no message
is built) and merges the outcomes the workers send in chunks as they judge, in input order. A
worker that fails or dies ends the run with :class:`WorkerError`: the run is incomplete, and
says so.

Limits: only an mbox file of :data:`MIN_SHARD` bytes or more given alone is cut; several inputs
are read by the parent in one pass, as one process reads them (a series may run from one input
file into the next, and only one series window over them all groups it so). A ``-k`` selection
runs in one process (the selection is a function of the pytest session).
"""

from __future__ import annotations

import gc
import itertools
import mmap
import multiprocessing
import os
import queue
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from patchlint.model.message import RawMessage
from patchlint.model.posting import Posting
from patchlint.readers.mbox import leading_junk, looks_like_mbox, split_stream

if TYPE_CHECKING:
    from patchlint.engine import Engine, Outcome, Run

# How long the parent waits for a worker's outcomes before it looks whether the workers live.
POLL = 1.0
# Smaller inputs are not worth a process.
MIN_SHARD = 4 << 20
# Larger shards are cut again, so the parent holds a few shards' outcomes at a time.
MAX_SHARD = 48 << 20
# How much of a mapped file is scanned before its pages are given back.
WINDOW = 8 << 20
# How far back a worker steps at a time looking for the start of its lead-in.
STEP = 1 << 20
# A separator as the mbox reader sees one: a ``From `` line with a time of day after a blank line.
_SEPARATOR = re.compile(rb"\n\r?\n(?=From \S+ [^\n]*\d\d:\d\d)")


@dataclass(frozen=True)
class Shard:
    """Messages ``first`` … ``stop - 1`` of an mbox, at bytes ``start`` … ``end``."""

    path: str
    label: str
    start: int
    end: int
    first: int  # index of its first message in the file
    stop: int  # index after its last message
    line: int  # line of the file on which its first message's separator is
    mboxrd: bool


class WorkerError(RuntimeError):
    """A worker process failed (raised, or ended without finishing its shard): the run is
    incomplete, and says so instead of waiting for outcomes that will not come."""

    def explained(self) -> str:
        """The one line a user is shown."""
        return f"patchlint: -n: {self}; the run is incomplete (without -n, one process judges it all)"


def workers(asked: str | int) -> int:
    """``auto`` (every core this process may use) or a count of at least 1."""
    if asked == "auto":
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not on Linux
            return os.cpu_count() or 1
    count = int(asked)
    if count < 1:
        raise ValueError(f"a number of processes must be at least 1, not {count}")
    return count


def plan(path: str, label: str, parts: int, smallest: int | None = None, largest: int | None = None) -> list[Shard] | None:
    """The shards of the mbox at ``path`` for ``parts`` workers, each at most ``largest``
    bytes (default :data:`MAX_SHARD`), or None when it is no mbox worth cutting (smaller than
    ``smallest``, default :data:`MIN_SHARD`; not an mbox; not a regular file)."""
    smallest = MIN_SHARD if smallest is None else smallest
    largest = MAX_SHARD if largest is None else largest
    try:
        size = os.path.getsize(path)
        if not Path(path).is_file() or size < smallest:
            return None
        with open(path, "rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            head = data[:8192]
            if not looks_like_mbox(head):
                return None
            begin = leading_junk(head)
            mboxrd = data[begin : begin + 12] == b"From mboxrd@"
            count = max(parts, -(-size // largest))
            count += -count % parts  # a multiple of the workers: each gets the same share
            cuts = [0]
            for n in range(1, count):
                found = _SEPARATOR.search(data, max(size * n // count, cuts[-1] + 1))
                if found is None:
                    break
                cuts.append(found.end())
            shards = []
            first, line = 0, 1
            for start, end in zip(cuts, [*cuts[1:], size]):
                separators, lines = _count(data, start, end)
                stop = first + 1 + separators
                shards.append(Shard(path, label, start, end, first, stop, line, mboxrd))
                first, line = stop, line + lines
            return shards
    except (OSError, ValueError):
        return None


def _separators(data: mmap.mmap | bytes, start: int, end: int) -> int:
    """Messages that begin in ``data[start:end]`` after its first (separators other than a
    separator at ``start``)."""
    return _count(data, start, end)[0]


def _count(data: mmap.mmap | bytes, start: int, end: int) -> tuple[int, int]:
    """Separators and newlines in ``data[start:end]``, a window at a time: the pages of a mapped
    file are given back after each window (else the whole archive would count as this process's
    memory while it is scanned)."""
    separators = lines = 0
    at = start
    while at < end:
        stop = min(end, at + WINDOW)
        # A separator whose blank line starts in this window is counted here; its From_ line
        # may run into the next window, hence the longer end for the search.
        separators += sum(1 for hit in _SEPARATOR.finditer(data, at, min(end, stop + 4096)) if hit.start() < stop)
        lines += data[at:stop].count(b"\n")
        if isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
            page = at - at % mmap.PAGESIZE
            data.madvise(mmap.MADV_DONTNEED, page, stop - page)
        at = stop
    return separators, lines


def _messages(shard: Shard, at: int, index: int, line: int) -> Iterator[RawMessage]:
    """The messages of the file from byte ``at`` (a separator) on, numbered from ``index``."""
    with open(shard.path, "rb") as stream:
        stream.seek(at)
        line = line if at else 1
        for number, (first_line, data) in enumerate(split_stream(stream, first_line=line, mboxrd=shard.mboxrd), index):
            yield RawMessage(shard.label, number, data, first_line)


def lead_in(shard: Shard, window: timedelta | None) -> tuple[int, int, int]:
    """Where a worker starts reading: ``(byte, index, line)`` of a separator a window and a day
    of the archive's time before the shard (the file's start at the latest).

    Time is a distance either way, as the series window measures it: where archives of years
    or lists are given one after the other, the mail before a shard's start may be later than
    it (last December's, before this January's), and a series of that other period is closed
    by the window, not continued here; stepping back until an earlier date would read the whole
    previous period again."""
    if shard.start == 0:
        return 0, 0, 1
    own = _date_at(shard, shard.start)
    reach = (window or timedelta(days=14)) + timedelta(days=1)
    with open(shard.path, "rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        at = shard.start
        while at > 0:
            back = max(0, at - STEP)
            found = _SEPARATOR.search(data, back, at) if back > 0 else None
            at = found.end() if found is not None and found.end() < at else (0 if back == 0 else back)
            if found is None and back > 0:
                continue  # a megabyte without a separator: step further back
            date = _date_at(shard, at)
            if own is None or date is None or abs(own - date) > reach:
                break
        if at == 0:
            return 0, 0, 1
        index = shard.first - 1 - _separators(data, at, shard.start)
        line = shard.line - _count(data, at, shard.start)[1]
    return at, index, line


# Messages whose median Date is the archive's time at a point (see _date_at).
PROBE = 5


def _date_at(shard: Shard, at: int) -> datetime | None:
    """The archive's time at byte ``at`` (a separator): the median Date of the few messages from
    there, so that one wrong clock (a spam date in 2037, a machine set to 1970) neither stops a
    lead-in short nor sends it back to the file's start."""
    found = (Posting(raw).date for raw in itertools.islice(_messages(shard, at, 0, 1), PROBE))
    dates = sorted(date for date in found if date is not None)
    return dates[len(dates) // 2] if dates else None


def run_shard(engine: Engine, shard: Shard) -> Run:
    """What one worker reports for ``shard``: its messages' outcomes and its series' (a run to
    iterate; its report accounts for what was yielded)."""
    at, index, line = lead_in(shard, engine.series_window)
    return engine.run_raw(_messages(shard, at, index, line), (shard.first, shard.stop))


# Outcomes a worker sends at a time: the parent takes them in (and runs pytest items for them)
# while the worker goes on, instead of unpickling a whole shard after the last worker is done.
CHUNK = 256


def _work(engine: Engine, tasks, results) -> None:
    """A worker process: judge shards until told to stop (None), sending the outcomes of each
    in chunks as they come, the last chunk marked."""
    while True:
        task = tasks.get()
        if task is None:
            return
        number, shard = task
        try:
            chunk: list[Outcome] = []
            for outcome in run_shard(engine, shard):
                chunk.append(outcome)
                if len(chunk) == CHUNK:
                    results.put((number, chunk, False, None))
                    chunk = []
            results.put((number, chunk, True, None))
        except BaseException as exc:  # noqa: BLE001 - reported by the parent, which stops
            results.put((number, [], True, f"{type(exc).__name__}: {exc}"))


# Messages the parent judges (and throws away) before forking, from the start of each shard.
WARM = 8


def _warm(engine: Engine, shards: list[Shard]) -> None:
    """Pay once, in the parent, what every worker would pay on its first messages: the rule
    and model modules imported lazily, their patterns compiled, the rule sets of the profiles
    these postings choose, first-use caches. Then freeze what exists, so the collector of a
    forked worker does not write to (and so copy) every page of the objects it shares."""
    for shard in shards:
        for _ in engine.run_raw(itertools.islice(_messages(shard, shard.start, shard.first, shard.line), WARM), (0, -1)):
            pass
    gc.collect()
    gc.freeze()


def _next(results, pool: list) -> tuple:
    """The next chunk a worker sent. A worker ends only when told to, after the last shard, so
    one that has ended while outcomes are awaited died (killed by the kernel's out-of-memory
    killer, a signal, a crash in C code): its shard will never come."""
    while True:
        try:
            return results.get(timeout=POLL)
        except queue.Empty:
            ended = [p for p in pool if p.exitcode is not None]
            if ended:
                how = ", ".join(_ending(p.exitcode) for p in ended)
                who = "a worker process" if len(ended) == 1 else f"{len(ended)} worker processes"
                raise WorkerError(f"{who} ended before the shards were judged ({how})") from None


def _ending(code: int) -> str:
    """How a process ended, from its exit code (negative: the signal that killed it)."""
    return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


def run_shards(engine: Engine, shards: list[Shard], processes: int) -> Iterator[Outcome]:
    """The outcomes of every shard, in input order, judged by ``processes`` worker processes.

    Workers are forked from this process (they share its built engine: no configuration is
    loaded again); at most two shards per worker are in flight, so memory holds a few shards'
    outcomes whatever the archive's size.
    """
    _warm(engine, shards)
    context = multiprocessing.get_context("fork")
    tasks, results = context.Queue(), context.Queue()
    pool = [context.Process(target=_work, args=(engine, tasks, results), daemon=True) for _ in range(processes)]
    for process in pool:
        process.start()
    sent, done = 0, 0
    waiting: dict[int, list[Outcome]] = {}  # outcomes of later shards, until their turn
    ended: set[int] = set()  # shards whose last chunk came
    try:
        while done < len(shards):
            while sent < len(shards) and sent - done < 2 * processes:
                tasks.put((sent, shards[sent]))
                sent += 1
            number, outcomes, last, error = _next(results, pool)
            if error is not None:
                raise WorkerError(f"a worker failed on {shards[number].label} bytes {shards[number].start}-{shards[number].end}: {error}")
            if number == done:
                yield from outcomes  # the shard whose turn it is streams
            else:
                waiting.setdefault(number, []).extend(outcomes)
            if last:
                ended.add(number)
            while done in ended:
                ended.discard(done)
                done += 1
                yield from waiting.pop(done, ())
    finally:
        for _ in pool:
            tasks.put(None)
        for process in pool:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
