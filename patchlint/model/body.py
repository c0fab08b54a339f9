"""The parts of a patch mail body, found the way ``git am`` (mailinfo) finds them.

::

    From: Real Author <author@example.org>     in-body headers (optional)

    area: commit message ...                   the commit message, ending in its trailers
    Signed-off-by: Real Author <...>
    ---                                        separator: what follows is not committed
    v2 -> v3: ...                              notes (changelog), then the diffstat
     path/file.c | 3 ++-
     1 file changed, 2 insertions(+), 1 deletion(-)

    diff --git a/path/file.c b/path/file.c     the diff
    ...
    --                                         signature separator ("-- ")
    2.43.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INBODY = re.compile(r"(From|Subject|Date):\s*(.*)", re.IGNORECASE)
_SIGN_OFF_START = re.compile(r"^signed-off-by[ \t]*:", re.IGNORECASE)
SIGNATURE_MAX_LINES = 10
# Cheap first tests (str.startswith with a tuple runs in C) before the exact rules below.
_BREAK_STARTS = ("diff -", "Index: ", "---")
_DIFF_STARTS = ("diff -", "Index: ", "--- ")
_HUNK_LINE_STARTS = (" ", "+", "-", "\\", "@@ ")


def is_patch_break(line: str) -> bool:
    """git mailinfo's ``patchbreak()``: where the commit message ends."""
    if line.startswith("diff -") or line.startswith("Index: "):
        return True
    if len(line) < 3 or not line.startswith("---"):
        return False
    rest = line[3:]
    if rest.startswith(" ") and rest[1:2] and not rest[1:2].isspace():
        return True  # "--- filename": a diff without a git header
    return rest.strip() == ""


def _is_diff_start(lines: list[str], index: int) -> bool:
    line = lines[index]
    if line.startswith("diff -") or line.startswith("Index: "):
        return True
    return (
        line.startswith("--- ")
        and index + 1 < len(lines)
        and lines[index + 1].startswith("+++ ")
    )


@dataclass(frozen=True)
class Body:
    """A decoded body split into its parts; all positions are indexes into ``lines``.

    ``first_line`` is the message line of ``lines[0]``; with ``exact`` false (quoted-printable,
    base64, multipart) line numbers computed from it are approximate, unless ``line_map`` gives
    the offset from ``first_line`` of each line it covers (quoted-printable soft breaks).
    """

    lines: tuple[str, ...]
    first_line: int
    exact: bool
    inbody: tuple[tuple[str, str, int], ...]
    message_start: int
    message_end: int
    separator: int | None
    diff_start: int | None
    diff_end: int
    signature: int | None
    line_map: tuple[int, ...] | None = None

    def line_number(self, index: int) -> int:
        """The message line of body line ``index``.

        In a body whose lines the transfer encoding moved (base64) and that no ``line_map``
        places, this is the body's first line: decoded line numbers would point at the wrong
        text, or past the message into the next one of an archive.
        """
        if self.exact:
            return self.first_line + index
        line_map = self.line_map
        if line_map is not None and 0 <= index < len(line_map):
            return self.first_line + line_map[index]
        return self.first_line

    def placed(self, index: int) -> bool:
        """Whether :meth:`line_number` gives body line ``index``'s own line."""
        return self.exact or (self.line_map is not None and 0 <= index < len(self.line_map))

    def inbody_header(self, name: str) -> tuple[str, int] | None:
        """An in-body header's value and body index (``From``, ``Subject``, ``Date``)."""
        for key, value, index in self.inbody:
            if key.lower() == name.lower():
                return value, index
        return None

    @property
    def message_lines(self) -> tuple[str, ...]:
        """The commit message (or a cover letter's text) without in-body headers."""
        return self.lines[self.message_start : self.message_end]

    @property
    def notes_range(self) -> tuple[int, int]:
        """Where the notes between ``---`` and the diff are (empty when there is no ``---``)."""
        if self.separator is None:
            return (self.message_end, self.message_end)
        end = self.diff_start if self.diff_start is not None else self._end_of_text()
        return (self.separator + 1, end)

    @property
    def diff_text(self) -> str:
        """The diff as text (empty when the mail carries none)."""
        if self.diff_start is None:
            return ""
        return "\n".join(self.lines[self.diff_start : self.diff_end]) + "\n"

    @property
    def quoted_diff(self) -> range:
        """The lines ``git am`` takes for the patch although the sender's text goes on below
        them: a diff quoted in the commit message (or a line git reads as one's start, ``---
        a/x``, ``diff --git``, ``Index:``) with a sign-off after it. git ends the commit message
        where it starts and tries to apply all of it with the patch. The range runs from there
        to the first sign-off below it; empty when git's cut is the ``---`` line or no sign-off
        follows it (a diff at the end of the text is the patch)."""
        cut = self.message_end
        if cut >= len(self.lines) or self.separator == cut:
            return range(0)
        lines = self.lines
        for index in range(cut + 1, self._end_of_text()):
            # The dash first: most lines fail there without the regular expression.
            if lines[index][6:7] == "-" and _SIGN_OFF_START.match(lines[index]):
                return range(cut, index + 1)
        return range(0)

    def _end_of_text(self) -> int:
        return self.signature if self.signature is not None else len(self.lines)


def split_body(
    text: str, first_line: int, exact: bool, line_map: tuple[int, ...] | None = None
) -> Body:
    """Split decoded body text into in-body headers, message, notes, diff and signature.

    ``line_map`` (see :class:`Body`) places the lines of a body whose transfer encoding moved
    them."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    count = len(lines)
    index = 0
    while index < count and not lines[index].strip():
        index += 1
    inbody: list[tuple[str, str, int]] = []
    cursor = index
    while cursor < count:
        line = lines[cursor]
        if inbody and line[:1] in (" ", "\t") and line.strip():
            # A folded in-body header (a Subject copied from a format-patch file wraps at 78
            # columns): git mailinfo unfolds it, so the headers above are not lost.
            key, value, at = inbody[-1]
            inbody[-1] = (key, (value + line).strip(), at)
            cursor += 1
            continue
        match = _INBODY.match(line)
        if not match:
            break
        inbody.append((match.group(1), match.group(2).strip(), cursor))
        cursor += 1
    if inbody and (cursor == count or not lines[cursor].strip()):
        index = cursor
        while index < count and not lines[index].strip():
            index += 1
    else:
        inbody = []
    message_start = index
    signature = _find_signature(lines, message_start)
    text_end = signature if signature is not None else count
    message_end = text_end
    for cursor in range(message_start, text_end):
        line = lines[cursor]
        if line.startswith(_BREAK_STARTS) and is_patch_break(line):
            message_end = cursor
            break
    separator = None
    if message_end < text_end and lines[message_end].startswith("---") and not _is_diff_start(
        lines, message_end
    ):
        separator = message_end
    diff_start = None
    for cursor in range(message_end, text_end):
        if lines[cursor].startswith(_DIFF_STARTS) and _is_diff_start(lines, cursor):
            diff_start = cursor
            break
    return Body(
        lines=tuple(lines),
        first_line=first_line,
        exact=exact,
        inbody=tuple(inbody),
        message_start=message_start,
        message_end=message_end,
        separator=separator,
        diff_start=diff_start,
        diff_end=text_end,
        signature=signature,
        line_map=line_map,
    )


def _find_signature(lines: list[str], start: int) -> int | None:
    """The last ``-- `` line near the end.

    A bare ``--``, as mailers that strip trailing spaces leave it, counts too, unless a diff line
    follows it: then it is the removal of a line ``-`` from a file, and part of the diff.
    """
    lowest = max(start, len(lines) - SIGNATURE_MAX_LINES - 1)
    for index in range(len(lines) - 1, lowest - 1, -1):
        line = lines[index]
        if line == "-- ":
            return index
        if line == "--":
            after = lines[index + 1] if index + 1 < len(lines) else ""
            if not after.startswith(_HUNK_LINE_STARTS):
                return index
    return None
