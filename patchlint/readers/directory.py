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
    file that is not mail is reported rather than passed over.
    """
    if not source.is_dir or source.path is None:
        return None
    return _walk(source)


def _walk(source: Source) -> Iterator[RawMessage]:
    assert source.path is not None
    for entry in sorted(source.path.iterdir(), key=_order):
        if entry.name.startswith("."):
            continue
        yield from source.read_nested(entry)


def _order(entry: Path) -> tuple[int, str]:
    # format-patch names sort correctly (0000-cover-letter.patch, 0001-…); keep files before
    # subdirectories so a folder reads top-down.
    return (entry.is_dir(), entry.name)
