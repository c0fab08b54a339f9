"""Series grouped as postings stream by: a window of time after which a series is closed.

An archive is in time order and a series is sent within minutes or days, so the postings of a
series that has seen nothing new for a while are done: they are grouped, judged and forgotten,
and memory holds a window of mail instead of the whole archive.

Time here is the archive's clock: the median Date of the last :data:`CLOCK_SAMPLES` postings.
One posting's Date (a wrong clock on the sender's machine, a spam date in 2037) does not move
it, and it follows the archive when the input jumps to another period (archives of several years
or lists given one after the other). A series is closed when its newest member is more than the
window away from the clock (before or after it) and at least :data:`SETTLE` postings came after
that member (so the clock has settled after a jump).

What a window too small costs: a series with a pause longer than the window (a patch of a
series sent a week after the rest, a resend in answer to its cover letter) is cut in two, and
both parts are judged as series of their own (missing patches, no cover letter). The same
mail judged twice (a repeated delivery) is recognised only within the window. ``None`` keeps
every posting until the input ends: the grouping of the whole input, and memory in proportion
to its postings.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from patchlint.model.posting import Posting
from patchlint.model.series import Series, delivery_key, group_series

# The default window: a series whose newest patch is two weeks old is done.
DEFAULT_WINDOW = timedelta(days=14)
CLOCK_SAMPLES = 31
SETTLE = 64


@dataclass(eq=False)
class _Clock:
    """The median Date of the last postings (the mutable state of one stream)."""

    recent: list[datetime] = field(default_factory=list)  # arrival order
    ordered: list[datetime] = field(default_factory=list)  # the same, sorted

    def note(self, date: datetime | None) -> None:
        if date is None:
            return
        if len(self.recent) == CLOCK_SAMPLES:
            self.ordered.remove(self.recent.pop(0))
        self.recent.append(date)
        insort(self.ordered, date)

    @property
    def now(self) -> datetime | None:
        return self.ordered[len(self.ordered) // 2] if self.ordered else None


@dataclass(eq=False)
class SeriesWindow:
    """The postings of the series still open, and the deliveries seen within the window.

    :meth:`add` takes each posting (in input order) once its own rules ran; :meth:`closed`
    gives the series that are done, each once; :meth:`rest` the remaining ones at the end.
    ``window=None`` closes nothing before the end.
    """

    window: timedelta | None = DEFAULT_WINDOW
    _pending: list[tuple[Posting, int, datetime | None]] = field(default_factory=list)
    _seen: dict[tuple[str, str, str, bytes], datetime | None] = field(default_factory=dict)
    _clock: _Clock = field(default_factory=_Clock)
    _arrivals: int = 0
    _since_flush: int = 0

    def repeat(self, posting: Posting) -> bool:
        """Whether ``posting`` is a mail delivered before (within the window), recording it if not."""
        key = delivery_key(posting)
        if key is None:
            return False
        if key in self._seen:
            return True
        self._seen[key] = posting.date
        return False

    def add(self, posting: Posting) -> None:
        """Keep ``posting`` for its series."""
        self._arrivals += 1
        self._since_flush += 1
        date = posting.date
        self._clock.note(date)
        self._pending.append((posting, self._arrivals, date if date is not None else self._clock.now))

    def closed(self) -> Iterator[Series]:
        """The series that are done (none unless enough came in since the last look)."""
        if self.window is None or self._since_flush < max(SETTLE, len(self._pending) // 4):
            return iter(())
        self._since_flush = 0
        return self._flush(final=False)

    def rest(self) -> Iterator[Series]:
        """Every series still open (the input has ended)."""
        return self._flush(final=True)

    def holds(self, wanted: Callable[[Posting], bool]) -> bool:
        """Whether a posting held for a series still open is ``wanted``."""
        return any(wanted(p) for p, _, _ in self._pending)

    @property
    def pending(self) -> int:
        """Postings held for series still open."""
        return len(self._pending)

    def _flush(self, final: bool) -> Iterator[Series]:
        pending, self._pending = self._pending, []
        if not pending:
            return
        now = self._clock.now
        arrival = {id(p): (n, date) for p, n, date in pending}
        done: list[Series] = []
        kept: set[int] = set()
        for series in group_series((p for p, _, _ in pending), dedupe=False):
            if final or self._done(series, arrival, now):
                done.append(series)
            else:
                kept.update(id(p) for p in series.postings)
        self._pending = [entry for entry in pending if id(entry[0]) in kept]
        if not final and now is not None and self.window is not None:
            # Deliveries far from the clock cannot come again within the window.
            reach = 2 * self.window
            self._seen = {k: d for k, d in self._seen.items() if d is None or abs(now - d) <= reach}
        yield from done

    def _done(self, series: Series, arrival: dict[int, tuple[int, datetime | None]], now: datetime | None) -> bool:
        assert self.window is not None
        last_arrival = max(arrival[id(p)][0] for p in series.postings)
        if self._arrivals - last_arrival < SETTLE or now is None:
            return False
        dates = [d for d in (arrival[id(p)][1] for p in series.postings) if d is not None]
        if not dates:
            return True  # no member has a date: nothing to wait for
        return min(abs(now - d) for d in dates) > self.window
