"""A single message in a file of its own (.eml, .patch, .txt …), recognised by its content."""

from __future__ import annotations

import re
from collections.abc import Iterator

from patchlint import hookimpl
from patchlint.model.message import RawMessage
from patchlint.readers.mbox import BOM
from patchlint.readers.source import HEAD_SIZE, Source

# An RFC 5322 header field at the start of the file (a byte-order mark and leading blank lines
# tolerated) …
_HEADER = re.compile(rb"\s*[!-9;-~]+:")
# … and, in the header block, a field every mail has: a YAML file also starts with "key:".
_MAIL_FIELD = re.compile(rb"(?im)^(from|subject|message-id|date|received|return-path):")
# A line of a header block: a field, or the continuation of one.
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:|[ \t]")
MAX_MESSAGE = 256 * 1024 * 1024


def looks_like_message(head: bytes) -> bool:
    """True when ``head`` starts with a header block that has a From/Subject/Date-like field,
    or with a header block that runs past the end of ``head`` (a mail may carry more than the
    head's 8 KiB of Received/DKIM/ARC fields before its From: and Subject:)."""
    head = head.removeprefix(BOM)
    if _HEADER.match(head) is None:
        return False
    block, blank, _ = head.lstrip().replace(b"\r\n", b"\n").partition(b"\n\n")
    if _MAIL_FIELD.search(block) is not None:
        return True
    if blank or len(head) < HEAD_SIZE:
        return False  # the whole header block is in view, and it has none of those fields
    # Every whole line in view a field or a continuation: a long header block, not a file
    # that merely starts with "key:". (Its fields are judged when the message is read.)
    lines = block.split(b"\n")[:-1]
    return len(lines) > 1 and all(_HEADER_LINE.match(line) for line in lines)


@hookimpl(trylast=True)
def patchlint_read_source(source: Source) -> Iterator[RawMessage] | None:
    """Any file that starts with a header field is one message."""
    if source.is_dir or not looks_like_message(source.head):
        return None
    return _read(source)


def _read(source: Source) -> Iterator[RawMessage]:
    stream = source.open()
    try:
        data = stream.read(MAX_MESSAGE + 1)
    finally:
        if source.path is not None:
            stream.close()
    if len(data) > MAX_MESSAGE:
        yield RawMessage(source.name, 0, b"", error="unparseable: larger than 256 MiB")
        return
    # A byte-order mark and leading blank lines are not part of the message; keep line
    # numbers honest about them.
    stripped = data.removeprefix(BOM).lstrip(b"\r\n")
    skipped = data[: len(data) - len(stripped)].count(b"\n")
    yield RawMessage(source.name, 0, stripped, 1 + skipped)
