"""Maildir folders: the messages in ``new/`` and ``cur/`` (``tmp/`` holds deliveries in flight)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from patchlint import hookimpl
from patchlint.model.message import RawMessage
from patchlint.readers.source import Source


def is_maildir(path: Path) -> bool:
    """A directory with ``cur/`` and ``new/`` subdirectories."""
    return (path / "cur").is_dir() and (path / "new").is_dir()


@hookimpl(trylast=True)
def patchlint_read_source(source: Source) -> Iterator[RawMessage] | None:
    """Maildir folders, in file-name order (delivery time order for conforming writers)."""
    if not source.is_dir or source.path is None or not is_maildir(source.path):
        return None
    return _read(source.path)


def _read(root: Path) -> Iterator[RawMessage]:
    entries = sorted(
        (entry for sub in ("new", "cur") for entry in (root / sub).iterdir()),
        key=lambda entry: entry.name,
    )
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_file():
            continue
        try:
            data = entry.read_bytes()
        except OSError as exc:
            yield RawMessage(str(entry), 0, b"", error=f"cannot read: {exc.strerror or exc}")
            continue
        yield RawMessage(str(entry), 0, data)
