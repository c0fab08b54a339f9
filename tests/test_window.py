"""The series window: series closed as an archive streams by, memory held to a window of mail."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from model_helpers import patch_mail, posting
from patchlint.engine import Engine, Input, Scope
from patchlint.model.posting import Posting
from patchlint.model.window import SETTLE, SeriesWindow

START = datetime(2023, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=1)))


class Archive:
    """Postings in input order, one archive: what SeriesWindow and the engine are fed."""

    def __init__(self) -> None:
        self.postings: list[Posting] = []
        self.mails: list[str] = []

    def add(self, subject: str, message_id: str, when: datetime, **fields: object) -> Posting:
        if "0/" in subject.split("]")[0]:
            fields.setdefault("diff", "")
        mail = patch_mail(subject, message_id=message_id, date=format_datetime(when), **fields)  # type: ignore[arg-type]
        self.mails.append(mail)
        new = posting(mail, source="archive.mbox", index=len(self.postings))
        self.postings.append(new)
        return new

    def fillers(self, count: int, first: datetime, step: timedelta, tag: str = "f") -> None:
        """Single patches by other people, one every ``step``: the traffic of a busy list."""
        for n in range(count):
            self.add(f"[PATCH] netfilter: fix number {tag}{n}", f"{tag}{n}@example.net", first + n * step,
                     sender=f"Dev {n} <dev{n}@example.net>")


def stream(archive: Archive, window: SeriesWindow) -> tuple[list[list[int]], int]:
    """Feed the archive through ``window``: every series closed (as input indexes, in closing
    order) and the most postings it held at once."""
    closed: list[list[int]] = []
    most = 0
    for each in archive.postings:
        window.add(each)
        most = max(most, window.pending)
        closed += [[p.raw.index for p in s.postings] for s in window.closed()]
    closed += [[p.raw.index for p in s.postings] for s in window.rest()]
    return closed, most


def _series_of(closed: list[list[int]], index: int) -> list[int]:
    return next(s for s in closed if index in s)


def test_memory_holds_a_window_of_the_archive_not_the_archive() -> None:
    archive = Archive()
    archive.fillers(2000, START, timedelta(hours=1))  # 83 days of mail
    closed, most = stream(archive, SeriesWindow(timedelta(days=2)))
    assert sorted(i for s in closed for i in s) == list(range(2000))  # every posting judged once
    assert most < 2 * 24 * 2 + 2 * SETTLE  # two days of mail plus what waits for the clock to settle
    closed, most = stream(archive, SeriesWindow(None))
    assert most == 2000 and len(closed) == 2000


def test_a_series_sent_within_the_window_stays_whole() -> None:
    archive = Archive()
    archive.add("[PATCH 0/2] netfilter: two fixes", "cover@x", START)
    archive.add("[PATCH 1/2] netfilter: one", "p1@x", START + timedelta(minutes=1), in_reply_to="cover@x")
    # Three hundred mails in five hours come between its patches (a relay held patch 2 back).
    archive.fillers(300, START + timedelta(minutes=2), timedelta(minutes=1))
    archive.add("[PATCH 2/2] netfilter: two", "p2@x", START + timedelta(minutes=3), in_reply_to="cover@x")
    closed, _ = stream(archive, SeriesWindow(timedelta(days=2)))
    assert _series_of(closed, 0) == [0, 1, 302]


def test_a_pause_longer_than_the_window_cuts_a_series_in_two() -> None:
    """What a window too small costs: the parts are judged as series of their own."""
    archive = Archive()
    # Both answer a message that is not in the archive (the thread root of a discussion).
    archive.add("[PATCH 1/2] netfilter: one", "p1@x", START, in_reply_to="discussion@x")
    archive.fillers(400, START + timedelta(hours=1), timedelta(hours=1))
    archive.add("[PATCH 2/2] netfilter: two", "p2@x", START + timedelta(days=17), in_reply_to="discussion@x")
    small, _ = stream(archive, SeriesWindow(timedelta(days=3)))
    assert _series_of(small, 0) == [0] and _series_of(small, 401) == [401]
    large, _ = stream(archive, SeriesWindow(timedelta(days=30)))
    assert _series_of(large, 0) == [0, 401]


def test_one_wrong_date_does_not_move_the_clock() -> None:
    archive = Archive()
    archive.add("[PATCH 0/2] netfilter: two fixes", "cover@x", START)
    archive.add("[PATCH 1/2] netfilter: one", "p1@x", START + timedelta(minutes=1), in_reply_to="cover@x")
    # A sender whose clock says 2037, then enough mail for the window to look many times.
    archive.add("[PATCH] netfilter: from the future", "future@x", datetime(2037, 1, 1, tzinfo=timezone.utc))
    archive.fillers(3 * SETTLE, START + timedelta(minutes=2), timedelta(seconds=10))
    archive.add("[PATCH 2/2] netfilter: two", "p2@x", START + timedelta(minutes=5), in_reply_to="cover@x")
    closed, _ = stream(archive, SeriesWindow(timedelta(days=2)))
    assert _series_of(closed, 0) == [0, 1, len(archive.postings) - 1]


def test_archives_of_other_years_one_after_the_other() -> None:
    """2024's archive, then 2023's: the clock follows the jump back, a series at the start of the
    second archive stays whole, and 2024's series are closed rather than held to the end."""
    archive = Archive()
    archive.fillers(300, START.replace(year=2024), timedelta(hours=1), tag="a")
    archive.add("[PATCH 0/2] netfilter: two fixes", "cover@x", START)
    archive.add("[PATCH 1/2] netfilter: one", "p1@x", START + timedelta(minutes=1), in_reply_to="cover@x")
    archive.fillers(2 * SETTLE, START + timedelta(minutes=2), timedelta(minutes=1), tag="b")
    archive.add("[PATCH 2/2] netfilter: two", "p2@x", START + timedelta(minutes=4), in_reply_to="cover@x")
    archive.fillers(300, START + timedelta(hours=5), timedelta(hours=1), tag="c")
    closed, most = stream(archive, SeriesWindow(timedelta(days=2)))
    assert _series_of(closed, 300) == [300, 301, 302 + 2 * SETTLE]
    assert most < 300


def test_engine_findings_do_not_depend_on_the_window_when_series_are_short(tmp_path) -> None:
    archive = Archive()
    archive.add("[PATCH 0/3] netfilter: three fixes", "cover@x", START)
    for n in (1, 3):  # patch 2 never arrived: the series is incomplete whatever the window
        archive.add(f"[PATCH {n}/3] netfilter: fix {n}", f"p{n}@x", START + timedelta(minutes=n), in_reply_to="cover@x")
    archive.fillers(300, START + timedelta(hours=1), timedelta(hours=1))
    archive.add("[PATCH 0/2] nf: other", "cover2@x", START + timedelta(days=20))
    archive.add("[PATCH 1/2] nf: other one", "q1@x", START + timedelta(days=20, minutes=1), in_reply_to="cover2@x")
    path = tmp_path / "archive.mbox"
    path.write_text("\n".join(archive.mails), encoding="utf-8")
    runs = [Engine("default", series_window=w).run([path]) for w in (timedelta(days=2), None)]
    series = [[o.target.members for o in run if o.target.scope is Scope.SERIES] for run in runs]
    reports = [run.report for run in runs]
    assert [v.format() for v in reports[0].violations] == [v.format() for v in reports[1].violations]
    assert reports[0].summary_lines() == reports[1].summary_lines()
    assert sorted(series[0]) == sorted(series[1])
    src = Input.of(path).label
    # With the window, the first series is judged long before the input ends, the last at the end.
    assert series[0][0] == ((src, 0), (src, 1), (src, 2))
    assert series[0][-1] == ((src, 303), (src, 304))
    outcomes = [(o.target.scope, o.target.index) for o in Engine("default", series_window=timedelta(days=2)).run([path])]
    assert outcomes.index((Scope.SERIES, 0)) < outcomes.index((Scope.POSTING, 300))


def test_a_repeated_delivery_within_the_window_is_judged_once(tmp_path) -> None:
    archive = Archive()
    archive.add("[PATCH] netfilter: fix it", "once@x", START)
    archive.fillers(20, START + timedelta(minutes=1), timedelta(minutes=1))
    archive.mails.append(archive.mails[0])  # a second list delivers it again
    path = tmp_path / "archive.mbox"
    path.write_text("\n".join(archive.mails), encoding="utf-8")
    report = Engine("default").check([path])
    assert report.repeats == 1 and report.messages == 22


def _patchlint(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "patchlint", *args], capture_output=True, cwd=cwd, timeout=300, text=True)


def test_check_series_window_option(tmp_path) -> None:
    """``patchlint check --series-window DAYS``: a pause longer than DAYS cuts the series in two."""
    archive = Archive()
    archive.add("[PATCH 1/2] netfilter: one", "p1@x", START, in_reply_to="discussion@x")
    archive.fillers(200, START + timedelta(hours=1), timedelta(hours=1))
    archive.add("[PATCH 2/2] netfilter: two", "p2@x", START + timedelta(days=9), in_reply_to="discussion@x")
    (tmp_path / "archive.mbox").write_text("\n".join(archive.mails), encoding="utf-8")
    counts = {}
    for days in ("1", "0", "30"):
        done = _patchlint("check", "--summary-only", "--series-window", days, "archive.mbox", cwd=tmp_path)
        assert done.returncode in (0, 1), done.stderr
        counts[days] = done.stdout.splitlines()[0]
    assert "; 202 series" in counts["1"] and "; 201 series" in counts["0"] and "; 201 series" in counts["30"]
    bad = _patchlint("check", "--series-window", "a week", "archive.mbox", cwd=tmp_path)
    assert bad.returncode == 2 and "not a number of days: 'a week'" in bad.stderr
