"""The diff of a patch, parsed with unidiff into per-file records."""

from __future__ import annotations

import re
from dataclasses import dataclass

import unidiff

_MODE = re.compile(r"(old|new|new file|deleted file) mode (\d{6})")


@dataclass(frozen=True)
class FileChange:
    """What a diff does to one file.

    ``status`` is ``added``, ``deleted``, ``renamed``, ``copied`` or ``modified``; ``old_mode`` and
    ``new_mode`` are set when the diff header names them (new/deleted files, mode changes).
    """

    path: str
    old_path: str
    new_path: str
    added: int
    removed: int
    status: str
    binary: bool
    old_mode: str | None
    new_mode: str | None

    @property
    def changed(self) -> int:
        """Lines added plus lines removed: what a diffstat row counts."""
        return self.added + self.removed


@dataclass(frozen=True)
class Diff:
    """The files a diff touches, in order; ``error`` says why the diff could not be parsed."""

    files: tuple[FileChange, ...]
    error: str | None = None

    @property
    def insertions(self) -> int:
        """Lines added over all files."""
        return sum(change.added for change in self.files)

    @property
    def deletions(self) -> int:
        """Lines removed over all files."""
        return sum(change.removed for change in self.files)

    def to_json(self) -> dict[str, object]:
        """The fields ``patchlint show`` prints."""
        return {
            "files": [[c.path, c.added, c.removed] for c in self.files],
            "error": self.error,
        }


def _strip_prefix(name: str) -> str:
    if name.startswith(("a/", "b/")):
        return name[2:]
    return name


def parse_diff(text: str) -> Diff:
    """Parse unified diff text; a corrupt diff gives a Diff with ``error`` set and no files."""
    try:
        patch = unidiff.PatchSet(text)
    except unidiff.UnidiffParseError as exc:
        return Diff((), f"the diff cannot be parsed: {exc}")
    files = []
    for patched in patch:
        info = "\n" + str(patched.patch_info)
        modes = dict(_MODE.findall(info))
        old_path = _strip_prefix(patched.source_file)
        new_path = _strip_prefix(patched.target_file)
        if patched.is_added_file:
            status = "added"
        elif patched.is_removed_file:
            status = "deleted"
        # unidiff's is_rename is true whenever the two names differ: for copies, and for a
        # diff without git headers between differently named trees (linux.orig/ vs linux/).
        # The extended header lines say what git did.
        elif "\ncopy from " in info:
            status = "copied"
        elif "\nrename from " in info:
            status = "renamed"
        else:
            status = "modified"
        files.append(
            FileChange(
                path=patched.path,
                old_path=old_path,
                new_path=new_path,
                added=patched.added,
                removed=patched.removed,
                status=status,
                binary=patched.is_binary_file,
                old_mode=modes.get("old") or modes.get("deleted file"),
                new_mode=modes.get("new") or modes.get("new file"),
            )
        )
    return Diff(tuple(files))
