"""Sources: where raw messages come from, and the one place that asks the readers for them."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pluggy

from patchlint.model.message import RawMessage

HEAD_SIZE = 8192
STDIN = "-"


@dataclass(frozen=True)
class Source:
    """Something a reader may recognise: a file, a directory or standard input.

    ``head`` holds the first bytes of a file (empty for a directory) so readers sniff content
    rather than trust a suffix. ``open()`` gives a fresh binary stream from the start.
    """

    name: str
    path: Path | None
    is_dir: bool
    head: bytes
    opener: Callable[[], BinaryIO]
    nested: Callable[[Path], Iterator[RawMessage]]

    def open(self) -> BinaryIO:
        """Open the source for reading from its first byte."""
        return self.opener()

    def read_nested(self, path: Path) -> Iterator[RawMessage]:
        """Read a member of a container source (a file in a directory) through the readers."""
        return self.nested(path)


def read_path(hook: pluggy.HookRelay, path: str | Path) -> Iterator[RawMessage]:
    """Yield every message of ``path`` (``-`` is standard input), asking the reader hooks.

    Nothing is lost: a path no reader recognises, a file that cannot be opened, or a reader that
    fails part-way each yields a RawMessage whose ``error`` says why.
    """
    if str(path) == STDIN:
        source = _stdin_source(hook)
    else:
        try:
            source = path_source(hook, Path(path))
        except OSError as exc:
            yield RawMessage(str(path), 0, b"", error=f"cannot read: {exc.strerror or exc}")
            return
    yield from read_source(hook, source)


def read_source(hook: pluggy.HookRelay, source: Source) -> Iterator[RawMessage]:
    """Yield every message of an already built :class:`Source` (see :func:`read_path`)."""
    messages = hook.patchlint_read_source(source=source)
    if messages is None:
        yield RawMessage(source.name, 0, source.head, error=_unrecognised(source))
        return
    count = 0
    try:
        for message in messages:
            count += 1
            yield message
    except Exception as exc:  # a reader bug or an I/O error must not lose what follows
        yield RawMessage(
            source.name, count, b"", error=f"reading stopped after {count} messages: {exc!r}"
        )


def path_source(hook: pluggy.HookRelay, path: Path, name: str | None = None) -> Source:
    """A Source for a file or directory; its head is read now (raises OSError if unreadable)."""
    is_dir = path.is_dir()
    head = b""
    if not is_dir:
        with path.open("rb") as stream:
            head = stream.read(HEAD_SIZE)
    return Source(
        name=name or str(path),
        path=path,
        is_dir=is_dir,
        head=head,
        opener=lambda: path.open("rb"),
        nested=lambda member: read_path(hook, member),
    )


def _stdin_source(hook: pluggy.HookRelay) -> Source:
    stream = sys.stdin.buffer
    # Standard input cannot be re-opened: peek at its head and hand out the same stream once.
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)
    head = buffered.peek(HEAD_SIZE)[:HEAD_SIZE]
    return Source(
        name="<stdin>",
        path=None,
        is_dir=False,
        head=head,
        opener=lambda: buffered,
        nested=lambda member: read_path(hook, member),
    )


def _unrecognised(source: Source) -> str:
    if source.is_dir:
        return "unparseable: no reader recognises this directory"
    if not source.head.strip():
        return "unparseable: empty file, no message in it"
    first = source.head.lstrip().splitlines()[0][:60].decode("utf-8", "replace")
    return f"unparseable: not a mail message or archive (it starts with {first!r})"
