"""Sources: where raw messages come from, and the one place that asks the readers for them."""

from __future__ import annotations

import errno
import io
import os
import stat
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


def read_path(
    hook: pluggy.HookRelay, path: str | Path, ancestors: frozenset[tuple[int, int]] = frozenset()
) -> Iterator[RawMessage]:
    """Yield every message of ``path`` (``-`` is standard input), asking the reader hooks.

    Nothing is lost: a path no reader recognises, a file that cannot be opened, or a reader that
    fails part-way each yields a RawMessage whose ``error`` says why. ``ancestors`` are the
    directories (as ``(device, inode)``) a directory walk is inside: a directory among them is
    a symbolic link loop, reported once and not walked again. A named pipe, socket or device
    found in a directory is reported and never opened (a pipe would block the run); one named
    on the command line is read as a stream, as standard input is.
    """
    if str(path) == STDIN:
        yield from read_source(hook, _stdin_source(hook))
        return
    path = Path(path)
    try:
        status = path.stat()
    except OSError as exc:
        yield RawMessage(str(path), 0, b"", error=_unreadable(path, exc))
        return
    if stat.S_ISDIR(status.st_mode) and (status.st_dev, status.st_ino) in ancestors:
        yield RawMessage(
            str(path), 0, b"",
            error=f"unparseable: a symbolic link loop: {path} leads back to a directory it is inside; not read again",
        )
        return
    if not (stat.S_ISDIR(status.st_mode) or stat.S_ISREG(status.st_mode)):
        if ancestors or not (stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode)):
            yield RawMessage(str(path), 0, b"", error=f"unparseable: {describe_special(status.st_mode)}, not a file: not read")
            return
        yield from read_source(hook, _stream_source(hook, path, ancestors))
        return
    try:
        source = path_source(hook, path, ancestors=ancestors)
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
            source.name, count, b"", error=f"reading stopped after {count} message{'s' if count != 1 else ''}: {exc!r}"
        )


def path_source(
    hook: pluggy.HookRelay,
    path: Path,
    name: str | None = None,
    ancestors: frozenset[tuple[int, int]] = frozenset(),
) -> Source:
    """A Source for a file or directory; its head is read now (raises OSError if unreadable).

    The members of a directory are read with the directory among their ``ancestors`` (see
    :func:`read_path`)."""
    status = path.stat()
    is_dir = stat.S_ISDIR(status.st_mode)
    head = b""
    inside = ancestors
    if is_dir:
        inside = ancestors | {(status.st_dev, status.st_ino)}
    else:
        with path.open("rb") as stream:
            head = stream.read(HEAD_SIZE)
    return Source(
        name=name or str(path),
        path=path,
        is_dir=is_dir,
        head=head,
        opener=lambda: path.open("rb"),
        nested=lambda member: read_path(hook, member, inside),
    )


def _stream_source(hook: pluggy.HookRelay, path: Path, ancestors: frozenset[tuple[int, int]]) -> Source:
    """A named pipe or character device named on the command line (``<(git format-patch
    --stdout)`` is one): opened once and read as a stream, like standard input."""
    buffered = io.BufferedReader(path.open("rb", buffering=0))
    head = buffered.peek(HEAD_SIZE)[:HEAD_SIZE]
    return Source(
        name=str(path),
        path=None,
        is_dir=False,
        head=head,
        opener=lambda: buffered,
        nested=lambda member: read_path(hook, member, ancestors),
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


def _unreadable(path: Path, exc: OSError) -> str:
    """Why ``path`` cannot be read: a dangling symbolic link says where it points."""
    if path.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        if isinstance(exc, FileNotFoundError):
            return f"unparseable: a symbolic link to {target}, which does not exist"
        if exc.errno == errno.ELOOP:
            return f"unparseable: a symbolic link loop ({path} -> {target})"
    return f"cannot read: {exc.strerror or exc}"


def leads_back(path: Path) -> bool:
    """True when ``path`` is a symbolic link to a directory that ``path`` itself is inside.

    A walk that follows it reaches the same files again at every level (until the kernel's
    limit of some forty links): for walks this module does not make itself (pytest's, in
    ``pytest --patchlint``), which can only be told to leave such a link alone. Mutual loops
    (``a/to-b -> ../b``, ``b/to-a -> ../a``) are caught at the link that closes them, since the
    path's own ancestors are compared, not the target's."""
    try:
        if not path.is_symlink():
            return False
        target = path.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(target.st_mode):
        return False
    for parent in path.absolute().parents:
        try:
            status = parent.stat()
        except OSError:
            continue
        if (status.st_dev, status.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def describe_special(mode: int) -> str:
    """What kind of special file ``mode`` is, for a message."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"


def _unrecognised(source: Source) -> str:
    if source.is_dir:
        return "unparseable: no reader recognises this directory"
    if not source.head.strip():
        return "unparseable: empty file, no message in it"
    first = source.head.lstrip().splitlines()[0][:60].decode("utf-8", "replace")
    return f"unparseable: not a mail message or archive (it starts with {first!r})"
