"""mbox archives (mboxo and mboxrd), read as a stream, and git format-patch files.

A message starts at a ``From `` line that follows a blank line (or starts the file) and carries a
time of day, as mail programs write it (``From sender Thu Jan  1 00:00:00 1970``). Quoted body lines
are unquoted: in mboxrd every ``>+From `` line loses one ``>``; in mboxo only ``>From `` does. The
variant is taken from the first separator: public-inbox and lore write ``From mboxrd@z``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from patchlint import hookimpl
from patchlint.message import RawMessage
from patchlint.sources import Source

FROM_LINE = re.compile(rb"From \S+ .*\d\d:\d\d")
_MBOXRD_QUOTED = re.compile(rb">+From ")
_BLANK = (b"\n", b"\r\n")


def is_separator(line: bytes) -> bool:
    """True for an mbox ``From_`` separator line."""
    return line.startswith(b"From ") and FROM_LINE.match(line) is not None


def looks_like_mbox(head: bytes) -> bool:
    """True when ``head`` (the first bytes of a file) starts with an mbox separator."""
    first = head.split(b"\n", 1)[0]
    return is_separator(first)


def split_messages(
    lines: Iterable[bytes], first_line: int = 1, mboxrd: bool | None = None
) -> Iterator[tuple[int, bytes]]:
    """Split mbox lines into ``(line number of the first header, message bytes)``.

    Lines before the first separator form a message of their own (a fenced patchwork block may
    start without one). ``mboxrd=None`` decides the quoting from the first separator.
    """
    buffer: list[bytes] = []
    start = first_line
    prev_blank = True
    lineno = first_line - 1
    for line in lines:
        lineno += 1
        if prev_blank and line.startswith(b"From ") and FROM_LINE.match(line):
            if buffer:
                yield start, _finish(buffer)
            elif mboxrd is None:
                mboxrd = line.startswith(b"From mboxrd@")
            buffer = []
            start = lineno + 1
            prev_blank = False
            continue
        if line.startswith(b">"):
            line = _unquote(line, bool(mboxrd))
        buffer.append(line)
        prev_blank = line in _BLANK
    if buffer:
        yield start, _finish(buffer)


def _unquote(line: bytes, mboxrd: bool) -> bytes:
    if mboxrd:
        return line[1:] if _MBOXRD_QUOTED.match(line) else line
    return line[1:] if line.startswith(b">From ") else line


def _finish(buffer: list[bytes]) -> bytes:
    # The blank line before the next separator belongs to the mbox, not to the message.
    if buffer and buffer[-1] in _BLANK:
        buffer.pop()
    return b"".join(buffer)


def read_mbox(source: Source) -> Iterator[RawMessage]:
    """Stream the messages of an mbox source; memory stays at one message."""
    stream = source.open()
    try:
        for index, (line, data) in enumerate(split_messages(stream)):
            yield RawMessage(source.name, index, data, line)
    finally:
        if source.path is not None:
            stream.close()


@hookimpl(trylast=True)
def patchlint_read_source(source: Source) -> Iterator[RawMessage] | None:
    """mbox files, including single ``git format-patch`` outputs (they start ``From <sha> …``)."""
    if source.is_dir or not looks_like_mbox(source.head):
        return None
    return read_mbox(source)
