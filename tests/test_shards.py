"""-n: an mbox cut into shards judged by worker processes, merged into what one process finds."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from test_window import START, Archive
from patchlint.engine import Engine, Scope
from patchlint.readers.mbox import split_stream
from patchlint import shards
from patchlint.shards import lead_in, plan, workers

import pytest


def busy_archive(days: int = 40) -> Archive:
    """Forty days of a list: threaded series with replies, an unthreaded series, single patches,
    and series sent across every hour, so that shard boundaries fall inside series."""
    archive = Archive()
    for day in range(days):
        when = START + timedelta(days=day)
        tag = f"d{day}"
        total = 2 + day % 3
        archive.add(f"[PATCH v{1 + day % 2} 0/{total}] netfilter: series {tag}", f"c{tag}@x", when)
        for n in range(1, total + 1):
            if day % 7 == 3 and n == 2:
                continue  # a patch that never arrived
            archive.add(f"[PATCH v{1 + day % 2} {n}/{total}] netfilter: {tag} part {n}", f"p{n}{tag}@x",
                        when + timedelta(minutes=n), in_reply_to=f"c{tag}@x")
            archive.add(f"Re: [PATCH v{1 + day % 2} {n}/{total}] netfilter: {tag} part {n}", f"r{n}{tag}@x",
                        when + timedelta(hours=2, minutes=n), in_reply_to=f"p{n}{tag}@x", diff="",
                        message="Looks right to me.\n\nReviewed-by: Ines Moreau <ines@example.com>\n")
        # An unthreaded pair (format-patch files mailed one by one), and a bare patch.
        for n in (1, 2):
            archive.add(f"[PATCH {n}/2] nft: loose {tag} {n}", f"u{n}{tag}@x", when + timedelta(hours=5, minutes=n),
                        sender="Kai Ostrowski <kai@example.net>")
        archive.add(f"[PATCH] netfilter: single {tag}", f"s{tag}@x", when + timedelta(hours=9), message="No sign-off.\n")
    return archive


@pytest.fixture
def archive_path(tmp_path):
    path = tmp_path / "list.mbox"
    path.write_text("\n".join(busy_archive().mails), encoding="utf-8")
    return path


def test_shards_begin_at_messages_and_number_them_as_the_whole_file(archive_path) -> None:
    shards = plan(str(archive_path), "list.mbox", 2, smallest=0, largest=20_000)
    assert shards is not None and len(shards) > 4 and len(shards) % 2 == 0
    with archive_path.open("rb") as stream:
        whole = list(split_stream(stream))
    assert shards[0].first == 0 and shards[-1].stop == len(whole)
    for shard, after in zip(shards, shards[1:]):
        assert shard.stop == after.first and shard.end == after.start
    data = archive_path.read_bytes()
    for shard in shards[1:]:
        assert data.startswith(b"From ", shard.start) and data[shard.start - 2 : shard.start] == b"\n\n"
        # The message a shard starts with is the one the whole file's reading numbers so.
        assert data.count(b"\n", 0, shard.start) + 2 == whole[shard.first][0]
        at, index, line = lead_in(shard, timedelta(days=2))
        assert at < shard.start and data.startswith(b"From ", at) and line + 1 == whole[index][0]


@pytest.mark.parametrize("chunk", [256, 3])
def test_sharded_run_finds_what_one_process_finds(archive_path, monkeypatch, chunk) -> None:
    """Also when the workers send their outcomes a few at a time, the chunks of several shards
    arriving interleaved: the parent still gives them in input order."""
    monkeypatch.setattr(shards, "CHUNK", chunk)  # the workers are forked: they see it too
    results = []
    for count in (1, 2, 3):
        engine = Engine("default", workers=count, series_window=timedelta(days=2))
        engine.shard_sizes = (0, 15_000)
        outcomes = list(engine.run([archive_path]))
        series = sorted(o.target.members for o in outcomes if o.target.scope is Scope.SERIES)
        messages = [(o.target.key, o.status, o.violations) for o in outcomes if o.target.scope is Scope.POSTING]
        results.append((series, messages, [v.format() for v in engine.check([archive_path]).violations],
                        engine.check([archive_path]).summary_lines()))
    assert results[0][1] and results[0][2]
    assert results[1] == results[0] and results[2] == results[0]


def test_workers_auto_and_counts() -> None:
    assert workers("auto") >= 1 and workers("3") == 3
    with pytest.raises(ValueError):
        workers("0")


def _patchlint(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "patchlint", *args], capture_output=True, cwd=cwd, timeout=300, text=True)


def test_check_n_gives_the_summary_of_one_process(archive_path, tmp_path) -> None:
    """Through the command: sixteen copies of the archive one after the other (the default cuts
    only files of megabytes); the copies come back in time, as archives of years given in turn."""
    big = tmp_path / "big.mbox"
    big.write_bytes(b"\n".join([archive_path.read_bytes()] * 16))
    assert len(plan(str(big), "big.mbox", 2) or ()) == 2
    one = _patchlint("check", "--summary-only", "-n", "1", "big.mbox", cwd=tmp_path)
    two = _patchlint("check", "--summary-only", "-n", "2", "big.mbox", cwd=tmp_path)
    assert one.returncode == two.returncode == 1 and one.stdout == two.stdout
    through_pytest = [_patchlint("check", "-q", "-pno:cacheprovider", "-n", n, "big.mbox", cwd=tmp_path) for n in ("1", "auto")]
    assert through_pytest[0].stdout.splitlines()[-1].split(" in ")[0] == through_pytest[1].stdout.splitlines()[-1].split(" in ")[0]
    bad = _patchlint("check", "-n", "none", "big.mbox", cwd=tmp_path)
    assert bad.returncode == 2 and "not a number of processes: 'none'" in bad.stderr


def test_check_n_judges_a_series_spread_over_input_files_as_one_process_does(tmp_path) -> None:
    """A series whose postings are in two files given together (a cover letter and its first
    patch in one, the second patch in the other) is one series, with or without -n."""
    archive = Archive()
    archive.add("[PATCH 0/2] netfilter: spread series", "c@x", START)
    for n in (1, 2):
        archive.add(f"[PATCH {n}/2] netfilter: spread part {n}", f"p{n}@x", START + timedelta(minutes=n), in_reply_to="c@x")
    (tmp_path / "first.mbox").write_text("\n".join(archive.mails[:2]), encoding="utf-8")
    (tmp_path / "second.mbox").write_text(archive.mails[2], encoding="utf-8")
    args = ("check", "--summary-only", "first.mbox", "second.mbox")
    one = _patchlint(*args, cwd=tmp_path)
    two = _patchlint(*args[:1], "-n", "2", *args[1:], cwd=tmp_path)
    assert "1 series" in one.stdout, one.stdout
    assert (two.returncode, two.stdout) == (one.returncode, one.stdout)


def test_lead_in_stops_at_mail_of_another_period(tmp_path, monkeypatch) -> None:
    """Archives of years given one after the other: before a shard early in the second copy lies
    the end of the first, later in time. The lead-in stops there (the window closes a series of
    another period) instead of reading the whole first copy again, and the shards still find
    what one process finds."""
    monkeypatch.setattr(shards, "STEP", 2_000)
    one_copy = "\n".join(busy_archive().mails)
    path = tmp_path / "years.mbox"
    path.write_text("\n".join([one_copy] * 3), encoding="utf-8")
    copy = len(one_copy.encode()) + 1
    cut = plan(str(path), "years.mbox", 2, smallest=0, largest=copy // 8)
    assert cut is not None
    early = [s for s in cut if copy < s.start < copy + copy // 4]
    assert early
    for shard in early:
        at, _, _ = lead_in(shard, timedelta(days=2))
        assert copy // 2 < at < shard.start  # the first copy's end, not its start
    results = []
    for count in (1, 2):
        engine = Engine("default", workers=count, series_window=timedelta(days=2))
        engine.shard_sizes = (0, copy // 8)
        report = engine.check([path])
        results.append(([v.format() for v in report.violations], report.summary_lines()))
    assert results[0][0] and results[1] == results[0]


@pytest.mark.parametrize("year", [1970, 2037])
def test_one_wrong_clock_does_not_move_a_lead_in(tmp_path, monkeypatch, year) -> None:
    """The time at each point of the step back is the median Date of a few messages: a message
    dated in another year just before a shard's start neither ends the lead-in there nor sends
    it back to the file's start."""
    mails = busy_archive().mails
    odd = Archive()
    odd.add("[PATCH] netfilter: a machine with a wrong clock", "clock@x", START.replace(year=year))
    middle = len(mails) // 2
    path = tmp_path / "list.mbox"
    path.write_text("\n".join([*mails[: middle - 1], odd.mails[0], *mails[middle - 1 :]]), encoding="utf-8")
    data = path.read_bytes()
    whole = list(split_stream(path.open("rb")))
    start = 0
    for _ in range(middle):  # the separator of message ``middle``, the one after the odd one
        start = data.index(b"\n\nFrom ", start) + 2
    line = data.count(b"\n", 0, start) + 1
    odd_start = data.rindex(b"\n\nFrom ", 0, start - 2) + 2
    monkeypatch.setattr(shards, "STEP", start - odd_start + 10)  # the first step lands on the odd one
    shard = shards.Shard(str(path), "list.mbox", start, len(data), middle, -1, line, False)
    assert b"wrong clock" in whole[middle - 1][1] and b"wrong clock" not in whole[middle][1]
    at, _, _ = lead_in(shard, timedelta(days=2))
    # Forty days a day apart: a window of two days and a day of margin lie within a tenth of them.
    assert start - len(data) // 10 < at < odd_start


def _dies(engine, tasks, results) -> None:
    tasks.get()
    os._exit(7)  # as a worker the kernel's out-of-memory killer ended would: no outcome, no word


def test_a_worker_that_dies_ends_the_run_with_an_error(archive_path, monkeypatch) -> None:
    """A worker that ends before its shard is judged makes the run fail at once, saying so; the
    parent does not wait for outcomes that will not come."""
    monkeypatch.setattr(shards, "_work", _dies)  # the workers are forked: they run it
    monkeypatch.setattr(shards, "POLL", 0.1)
    engine = Engine("default", workers=2, series_window=timedelta(days=2))
    engine.shard_sizes = (0, 15_000)
    with pytest.raises(shards.WorkerError, match=r"ended before the shards were judged \(exit code 7"):
        engine.check([archive_path])


def test_check_n_says_a_worker_died(archive_path, tmp_path) -> None:
    """Through the command: the error is one line on standard error and exit code 3 (an error of
    the tool, not of the mail). A plugin of the configuration has each worker send itself
    SIGKILL when it first runs a rule (the parent, which warms up before forking, is spared)."""
    (tmp_path / "killer.py").write_text(
        "import os, signal\n"
        "from patchlint import hookimpl\n"
        "PARENT = os.getpid()\n"
        "@hookimpl\n"
        "def patchlint_run_rule(rule, target):\n"
        "    if os.getpid() != PARENT:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n",
        encoding="utf-8",
    )
    big = tmp_path / "big.mbox"
    big.write_bytes(b"\n".join([archive_path.read_bytes()] * 16))
    (tmp_path / "patchlint.yaml").write_text("plugins: [killer.py]\n", encoding="utf-8")
    done = _patchlint("check", "--summary-only", "-n", "2", "--config", "patchlint.yaml", "big.mbox", cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert "killed by signal 9" in done.stderr and "the run is incomplete" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    through_pytest = _patchlint("check", "-q", "-pno:cacheprovider", "-n", "2", "--config", "patchlint.yaml", "big.mbox",
                                cwd=tmp_path)
    assert through_pytest.returncode == 3, through_pytest.stdout + through_pytest.stderr
    assert "killed by signal 9" in through_pytest.stdout and "INTERNALERROR" not in through_pytest.stdout + through_pytest.stderr
