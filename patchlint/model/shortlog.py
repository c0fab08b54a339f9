"""The shortlog ``git format-patch --cover-letter`` and ``git request-pull`` write::

    Jane Doe (2):
      net: foo: fix the frobnicator
      net: foo: make the frobnicator handle a very long name that git wraps
        onto a second line

    John Roe (1):
      net: bar: add a selftest
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from patchlint.model.numbers import parse_number

_CREDIT = re.compile(r"^\([\w. -]{1,16}\)\s+")
_AUTHOR = re.compile(r"(\S.*?) \((\d+)\):\s*")


@dataclass(frozen=True)
class ShortlogAuthor:
    """One author block: the name, the count git wrote, and the summaries (wrapped lines joined)."""

    name: str
    count: int
    summaries: tuple[str, ...]
    index: int
    summary_indexes: tuple[int, ...]


@dataclass(frozen=True)
class Shortlog:
    """Every author block of a shortlog, in order."""

    authors: tuple[ShortlogAuthor, ...]

    @property
    def count(self) -> int:
        """The number of patches the shortlog lists (summaries, not the counts git wrote)."""
        return sum(len(a.summaries) for a in self.authors)

    @property
    def entries(self) -> list[tuple[str, int]]:
        """``(summary, body index)`` for every listed patch, in order."""
        return [
            (summary, index)
            for author in self.authors
            for summary, index in zip(author.summaries, author.summary_indexes)
        ]


def find_shortlog(lines: Sequence[str], start: int, end: int) -> Shortlog | None:
    """The shortlog in ``lines[start:end]``, or None when there is none.

    Author blocks separated only by blank lines belong to one shortlog section; text after them
    ends the section. A later section is part of the shortlog too when it lists other patches
    (a series for two repositories, libnftnl and nft, has a shortlog and diffstat for each), and
    is left out when it repeats patches already listed (a cover letter that also pastes ``git
    request-pull`` output repeats the shortlog there).
    """
    authors: list[ShortlogAuthor] = []
    listed: set[str] = set()
    index = start
    while index < end:
        section, index = _section(lines, index, end)
        if not section:
            break
        summaries = [_credited(summary) for author in section for summary in author.summaries]
        if authors and all(summary in listed for summary in summaries):
            # A repeat of the shortlog (request-pull output), or the credits some maintainers
            # add to a pull request: "with much appreciated quality assurance from" and the
            # reviewers' names over "(Rev.) i2c: …" lines.
            continue
        authors += section
        listed.update(summaries)
    return Shortlog(tuple(authors)) if authors else None


def _credited(summary: str) -> str:
    """A summary without the "(Rev.) " / "(Test) " tag a credits list puts in front of it."""
    return _CREDIT.sub("", summary, count=1)


def _section(lines: Sequence[str], index: int, end: int) -> tuple[list[ShortlogAuthor], int]:
    """The next shortlog section from ``index`` on, and where the search goes on after it."""
    authors: list[ShortlogAuthor] = []
    while index < end:
        line = lines[index]
        match = _AUTHOR.fullmatch(line.strip()) if line.rstrip().endswith("):") else None
        if match is None:
            if authors and line.strip():
                break
            index += 1
            continue
        author_indent = len(line) - len(line.lstrip())
        summaries: list[str] = []
        indexes: list[int] = []
        cursor = index + 1
        # Summaries are indented (2 spaces by format-patch, 6 by request-pull); a long one
        # wraps onto lines indented deeper.
        indent = len(lines[cursor]) - len(lines[cursor].lstrip()) if cursor < end else 0
        if indent <= author_indent:  # "Name (3):" in prose, not followed by a list
            index += 1
            continue
        while cursor < end and lines[cursor][:1].isspace() and lines[cursor].strip():
            line = lines[cursor]
            depth = len(line) - len(line.lstrip())
            if depth > indent and summaries:
                summaries[-1] = f"{summaries[-1]} {line.strip()}"
            else:
                summaries.append(line.strip())
                indexes.append(cursor)
            cursor += 1
        if summaries:
            authors.append(
                ShortlogAuthor(match.group(1), parse_number(match.group(2)), tuple(summaries), index, tuple(indexes))
            )
        index = cursor
    return authors, index
