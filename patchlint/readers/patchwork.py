"""The patchwork export format: Markdown headings, then the raw message in a fenced block.

::

    #### [PATCH v3 0/2] subsystem: summary
    ##### From: Name <address>

    ```c
    From patchwork Tue Apr 21 07:53:26 2020
    <headers and body>
    ```

One fenced block can hold several messages: a ``From patchwork …`` line starts the next one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from patchlint import hookimpl
from patchlint.model.message import RawMessage
from patchlint.readers.mbox import BOM, split_messages
from patchlint.readers.source import Source

_FENCE = re.compile(rb"```[\w+-]*\s*$")


def looks_like_export(head: bytes) -> bool:
    """A file whose first non-blank line is a ``#### `` heading and that holds a fence."""
    return head.removeprefix(BOM).lstrip().startswith(b"#### ") and b"\n```" in head


@hookimpl(trylast=True)
def patchlint_read_source(source: Source) -> Iterator[RawMessage] | None:
    """Patchwork export files (as in a patchwork "download series as Markdown")."""
    if source.is_dir or not looks_like_export(source.head):
        return None
    return _read(source)


def _read(source: Source) -> Iterator[RawMessage]:
    stream = source.open()
    try:
        index = 0
        for first_line, block in _fenced_blocks(stream):
            for line, data in split_messages(block, first_line):
                yield RawMessage(source.name, index, data, line)
                index += 1
    finally:
        if source.path is not None:
            stream.close()


def _fenced_blocks(stream: BinaryIO) -> Iterator[tuple[int, list[bytes]]]:
    """Yield ``(line number of the block's first line, its lines)`` for each fenced block.

    A ```` ``` ```` line closes the block only when the next line that is not blank is the next
    message's ``#### `` heading, or the file ends: a mail may hold such a line itself (a
    Markdown snippet in a commit message, a diff of a README).
    """
    block: list[bytes] | None = None
    pending: list[bytes] = []  # a possible closing fence and the blank lines after it
    start = 0
    for lineno, line in enumerate(stream, 1):
        if block is None:
            if _FENCE.match(line):
                block, start = [], lineno + 1
            continue
        if pending:
            if not line.strip():
                pending.append(line)
                continue
            if line.startswith(b"#### "):
                yield start, block
                block, pending = None, []
                continue
            block.extend(pending)
            pending = []
        if line.rstrip(b"\r\n") == b"```":
            pending = [line]
        else:
            block.append(line)
    if block:  # closed by the end of the file, or an unterminated last block: it holds messages
        yield start, block
