"""Maildir folders: the messages in ``new/`` and ``cur/`` (``tmp/`` holds deliveries in flight),
then the folder's other entries: Maildir++ subfolders (``.Sent/``), plain subdirectories
(``lists/``) and loose files, each read through the readers again."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from patchlint import hookimpl
from patchlint.model.message import RawMessage
from patchlint.readers.source import Source, describe_special

MAILDIR_PARTS = ("new", "cur", "tmp")


def is_maildir(path: Path) -> bool:
    """A directory with ``cur/`` and ``new/`` subdirectories."""
    return (path / "cur").is_dir() and (path / "new").is_dir()


@hookimpl(trylast=True)
def patchlint_read_source(source: Source) -> Iterator[RawMessage] | None:
    """Maildir folders, in file-name order (delivery time order for conforming writers)."""
    if not source.is_dir or source.path is None or not is_maildir(source.path):
        return None
    return _read(source)


def _read(source: Source) -> Iterator[RawMessage]:
    assert source.path is not None
    root = source.path
    entries: list[Path] = []
    for sub in ("new", "cur"):
        try:
            entries.extend((root / sub).iterdir())
        except OSError as exc:
            yield RawMessage(str(root / sub), 0, b"", error=f"cannot read: {exc.strerror or exc}")
    for entry in sorted(entries, key=lambda entry: entry.name):
        if entry.name.startswith("."):
            continue  # the Maildir convention: readers leave dot files alone
        if entry.is_dir():
            yield from source.read_nested(entry)  # not Maildir's, but its mail is still read
        else:
            yield from _message(entry)
    try:
        others = sorted(root.iterdir(), key=lambda entry: (entry.is_dir(), entry.name))
    except OSError as exc:
        yield RawMessage(str(root), 0, b"", error=f"cannot read: {exc.strerror or exc}")
        return
    for entry in others:
        if entry.name in MAILDIR_PARTS:
            continue
        # Hidden entries are passed over as everywhere else, but for Maildir++ subfolders
        # (".Sent", ".lists.netdev"), which are where a mail program keeps its other folders.
        if entry.name.startswith(".") and not (entry.is_dir() and is_maildir(entry)):
            continue
        yield from source.read_nested(entry)


def _message(entry: Path) -> Iterator[RawMessage]:
    """One file of ``new/`` or ``cur/``: a message whatever it looks like; anything that is
    not a regular file is reported, never opened (a named pipe would block the run)."""
    try:
        mode = entry.stat().st_mode
        if not stat.S_ISREG(mode):
            yield RawMessage(
                str(entry), 0, b"", error=f"unparseable: {describe_special(mode)} in a Maildir, not a message: not read"
            )
            return
        data = entry.read_bytes()
    except OSError as exc:
        target = f" (a symbolic link to {os.readlink(entry)})" if entry.is_symlink() else ""
        yield RawMessage(str(entry), 0, b"", error=f"cannot read{target}: {exc.strerror or exc}")
        return
    yield RawMessage(str(entry), 0, data)
