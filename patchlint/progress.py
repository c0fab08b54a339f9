"""Progress of a long run on a terminal: messages read, series judged, violations found."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from patchlint.rule import Scope

if TYPE_CHECKING:
    from patchlint.engine import Outcome


def wanted(stream: TextIO | None = None) -> bool:
    """Whether to show progress: standard output is a terminal (not a file, a pipe or a CI log)."""
    stream = sys.stdout if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def track(outcomes: Iterable[Outcome], show: bool) -> Iterator[Outcome]:
    """``outcomes`` unchanged; with ``show``, a tqdm bar on standard error counting the messages,
    with the series and violations so far, cleared when the run ends."""
    if not show:
        yield from outcomes
        return
    from tqdm import tqdm

    series = found = 0
    with tqdm(unit=" msgs", unit_scale=True, file=sys.stderr, leave=False, mininterval=0.5) as bar:
        for outcome in outcomes:
            if outcome.target.scope is Scope.POSTING:
                bar.update(1)
            else:
                series += 1
            if outcome.violations:
                found += len(outcome.violations)
                bar.set_postfix(series=series, violations=found, refresh=False)
            yield outcome
