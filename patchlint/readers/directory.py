"""Plain directories, read recursively: e.g. ``git format-patch -o out/ --cover-letter`` output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from patchlint import hookimpl
from patchlint.model.message import RawMessage
from patchlint.readers.source import Source


@hookimpl(trylast=True)
def patchlint_read_source(source: Source) -> Iterator[RawMessage] | None:
    """Every entry of a directory in name order, hidden ones (``.git``) excepted.

    Each entry goes through the readers again, so a Maildir or mbox inside is read as such, and a
    file that is not mail is reported rather than passed over. A symbolic link back to a
    directory the walk is inside is reported once (see ``read_path``), not walked forever.
    """
    if not source.is_dir or source.path is None:
        return None
    return _walk(source)


def _walk(source: Source) -> Iterator[RawMessage]:
    assert source.path is not None
    try:
        entries = sorted(source.path.iterdir(), key=_order)
    except OSError as exc:
        yield RawMessage(source.name, 0, b"", error=f"cannot read: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        yield from source.read_nested(entry)


def _order(entry: Path) -> tuple[bool, str]:
    # format-patch names sort correctly (0000-cover-letter.patch, 0001-…); keep files before
    # subdirectories so a folder reads top-down.
    return (entry.is_dir(), entry.name)
