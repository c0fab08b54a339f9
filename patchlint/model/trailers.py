"""Trailers (``Signed-off-by: …``) found the way ``git interpret-trailers`` finds them.

The trailer block is the last paragraph of the commit message when every line in it is a trailer
or a continuation, or when it has a git-recognised line (``Signed-off-by: ``, ``(cherry picked
from commit …``) and trailers make up at least a quarter of it. A trailer is ``Token: value`` with
the token made of letters, digits and ``-`` (whitespace before the colon is tolerated);
continuation lines start with whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"([A-Za-z0-9-]+)\s*:(.*)")
_GIT_PREFIXES = ("Signed-off-by: ", "(cherry picked from commit ")


@dataclass(frozen=True)
class Trailer:
    """One trailer: key and value as written (continuations joined by a space), and its line."""

    key: str
    value: str
    index: int

    @property
    def normalized_key(self) -> str:
        """The key in lower case, for comparisons."""
        return self.key.lower()


@dataclass(frozen=True)
class TrailerBlock:
    """The trailers of a message and the body indexes of the block that holds them.

    ``other_lines`` are lines inside the block that are not trailers (``[ tglx: fixed typo ]``).
    """

    trailers: tuple[Trailer, ...]
    start: int
    end: int
    other_lines: tuple[tuple[str, int], ...] = ()

    def values(self, key: str) -> list[str]:
        """Every value of trailers named ``key`` (case-insensitive), in order."""
        key = key.lower()
        return [t.value for t in self.trailers if t.normalized_key == key]


EMPTY = TrailerBlock((), 0, 0)


def find_trailers(lines: Sequence[str], offset: int = 0) -> TrailerBlock:
    """Find the trailer block of a commit message given as lines.

    ``offset`` is added to every index so they point into the enclosing body.
    """
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    start = end
    while start > 0 and lines[start - 1].strip():
        start -= 1
    if start == end:
        return EMPTY
    trailer_lines = non_trailer_lines = 0
    recognised = False
    # As in git's trailer.c, a continuation line belongs to the line above it: it is not counted
    # after a trailer, and counts as a non-trailer line after anything else (prose, a comment,
    # the top of the block). Counting it with the line below gets the 25% rule wrong.
    after_trailer = False
    for line in lines[start:end]:
        if line.startswith("#"):
            after_trailer = False
            continue
        if line[:1] in (" ", "\t"):
            if not after_trailer:
                non_trailer_lines += 1
            continue
        if line.startswith(_GIT_PREFIXES):
            recognised = True
        after_trailer = bool(_TOKEN.match(line)) or line.startswith(_GIT_PREFIXES[1])
        if after_trailer:
            trailer_lines += 1
        else:
            non_trailer_lines += 1
    is_block = (trailer_lines and not non_trailer_lines) or (
        recognised and trailer_lines * 3 >= non_trailer_lines
    )
    if not is_block:
        return TrailerBlock((), offset + end, offset + end)
    trailers: list[Trailer] = []
    others: list[tuple[str, int]] = []
    continues_trailer = False
    for index in range(start, end):
        line = lines[index]
        if line.startswith("#"):
            continue
        if line[:1] in (" ", "\t"):
            if continues_trailer:
                last = trailers[-1]
                # (git joins with one space, and none after an empty first line: "Fixes:" over
                # an indented line is "Fixes: <that line>".)
                value = f"{last.value} {line.strip()}" if last.value else line.strip()
                trailers[-1] = Trailer(last.key, value, last.index)
            else:
                others.append((line, offset + index))
            continue
        match = _TOKEN.match(line)
        continues_trailer = match is not None
        if match:
            trailers.append(Trailer(match.group(1), match.group(2).strip(), offset + index))
        else:
            others.append((line, offset + index))
    return TrailerBlock(tuple(trailers), offset + start, offset + end, tuple(others))
