"""A single message in a file of its own (.eml, .patch, .txt …), recognised by its content."""

from __future__ import annotations

import re
from collections.abc import Iterator

from patchlint import hookimpl
from patchlint.model.message import RawMessage
from patchlint.readers.source import Source

# An RFC 5322 header field at the start of the file (leading blank lines tolerated) …
_HEADER = re.compile(rb"\s*[!-9;-~]+:")
# … and, in the header block, a field every mail has: a YAML file also starts with "key:".
_MAIL_FIELD = re.compile(rb"(?im)^(from|subject|message-id|date|received|return-path):")
MAX_MESSAGE = 256 * 1024 * 1024


def looks_like_message(head: bytes) -> bool:
    """True when ``head`` starts with a header block that has a From/Subject/Date-like field."""
    if _HEADER.match(head) is None:
        return False
    block = head.lstrip().replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    return _MAIL_FIELD.search(block) is not None


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
    # Leading blank lines are not part of the message; keep line numbers honest about them.
    stripped = data.lstrip(b"\r\n")
    skipped = data[: len(data) - len(stripped)].count(b"\n")
    yield RawMessage(source.name, 0, stripped, 1 + skipped)
