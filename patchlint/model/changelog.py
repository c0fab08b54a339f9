"""Version changelogs in cover letters and below ``---``: which version each entry describes.

Recognised headings (any case, after an optional bullet ``-``/``*``/``#``)::

    v2 -> v3:        v2->v3        v2 => v3        Changes v2 -> v3
    from v2 to v3:   Changes from v2 to v3
    Changes in v3:   Changes for v3
    Changes since v2:   Since v2:   Changes from v2:   Changes vs v2:    (these describe v3)
    v3:   v3 changes:   V3 -
    Changes to the previous version:   Changes since last version:   Changelog:   (this version)

A ``vN: <url>`` line is a link to an earlier posting, not an entry. A heading that names no
version stands for the posting's own version, and only counts when text follows it before the
next heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from patchlint.model.diffstat import is_stat_line
from patchlint.model.numbers import parse_number

# (Runs of blanks are matched once wherever they may stand: "\s*:?\s*" would split a long run
# of blanks between its two halves in every way before giving up.)
_BULLET = r"^[\s\-*#>o\[(]*"
_ARROW = re.compile(
    _BULLET + r"(?:changes?\s*(?::\s*)?)?(?:from\s+)?v(\d+)\s*(?:-+>|=>|→|\bto\b)\s*v(\d+)\b", re.I
)
_IN = re.compile(_BULLET + r"changes?\s+(?:in|for)\s+(?:version\s+|v)(\d+)\b", re.I)
_SINCE = re.compile(
    _BULLET + r"(?:changes?\s+)?(?:since|from|vs\.?|versus|compared\s+to)\s+v(\d+)\b(?!\s*(?:-+>|=>|to\b))",
    re.I,
)
# "V3 -" may end the line: the dash needs a space after it only when text follows.
_BARE = re.compile(_BULLET + r"v(\d+)(?:\s+changes)?\s*(?::|-(?:\s|$)|$)(.*)", re.I)
_CURRENT = re.compile(
    _BULLET + r"(?:(?:changes?|changelog)\s+(?:to|since|from|vs\.?|against|compared\s+to|in)\s+"
    r"(?:the\s+)?(?:previous|last|prior|this)\s+(?:version|revision|posting|series|spin|round)"
    r"|change\s*log|changes)\s*(?:[:=-]+\s*)?$",
    re.I,
)
_URL_ONLY = re.compile(r"\s*<?https?://\S+>?\s*$")
_BULLETED = re.compile(r"\s*(?:[-*+o]|\(?\d+[.)])\s")
COMPARE_MIN_CHARS = 15


@dataclass(frozen=True)
class ChangelogEntry:
    """One changelog entry: the version it describes and where its heading stands.

    ``from_version`` is the version the heading says it starts from (``v2 -> v3``: 2); ``reversed``
    is true for a heading written backwards (``from v11 to v10``), which still describes the
    higher version. ``text`` is the entry's content, whitespace-normalised.
    """

    version: int
    from_version: int | None
    heading: str
    index: int
    text: str
    reversed: bool = False


def _heading(line: str, current: int) -> tuple[int, int | None, bool, str] | None:
    """``(version described, from version, reversed, rest of line)`` for a heading line."""
    if _CURRENT.match(line):
        return current, None, False, ""
    match = _ARROW.match(line)
    if match:
        old, new = parse_number(match.group(1)), parse_number(match.group(2))
        return max(old, new), min(old, new), old > new, line[match.end() :]
    match = _IN.match(line)
    if match:
        return parse_number(match.group(1)), None, False, line[match.end() :]
    match = _SINCE.match(line)
    if match:
        old = parse_number(match.group(1))
        return old + 1, old, False, line[match.end() :]
    match = _BARE.match(line)
    if match and not _URL_ONLY.fullmatch(match.group(2)):
        return parse_number(match.group(1)), None, False, match.group(2)
    return None


def _entry_lines(lines: Sequence[str], start: int, stop: int, started: bool = False) -> list[str]:
    """The entry's lines: up to the next heading, the diffstat, or a blank line followed by
    unindented prose (the cover letter going on), whichever comes first.

    ``started`` says the heading line itself carried text (``v2: rebased``): then a blank line
    followed by prose ends the entry even when no line below the heading belongs to it.
    """
    taken: list[str] = []
    for index in range(start, stop):
        line = lines[index]
        if is_stat_line(line):
            break  # diffstat rows are indented like entry text but are not part of it
        if not line.strip():
            following = next((lines[i] for i in range(index + 1, stop) if lines[i].strip()), "")
            if (
                (taken or started)
                and following
                and not following[0].isspace()
                and not _BULLETED.match(following)
            ):
                break
            continue
        taken.append(line.strip())
    return taken


def find_changelog(
    lines: Sequence[str], start: int, end: int, current: int = 1
) -> tuple[ChangelogEntry, ...]:
    """Every changelog entry in ``lines[start:end]``, in the order written.

    ``current`` is the posting's version, described by headings that name none.
    """
    headings: list[tuple[int, tuple[int, int | None, bool, str]]] = []
    for index in range(start, end):
        line = lines[index]
        if "v" not in line and "V" not in line and "hange" not in line:
            continue
        found = _heading(line, current)
        if found is not None:
            headings.append((index, found))
    entries = []
    for position, (index, (version, old, backwards, rest)) in enumerate(headings):
        stop = headings[position + 1][0] if position + 1 < len(headings) else end
        first = rest.strip(" :-")
        body = [first] + _entry_lines(lines, index + 1, stop, started=bool(first))
        text = " ".join(" ".join(body).split())
        if not text and _CURRENT.match(lines[index]):
            continue  # "Changelog:" introducing vN headings is not an entry of its own
        entries.append(
            ChangelogEntry(version, old, lines[index].strip(), index, text, backwards)
        )
    return tuple(entries)
