"""The diff of a patch, as per-file records.

Each file of a git diff is first counted straight from its hunks, and the count is accepted only
when it agrees with every hunk header (lines added, removed and kept, on both sides). Anything
else -- binary files, pure renames and mode changes, non-git diffs, a hunk that does not add up --
is parsed with unidiff, which also reports corrupt diffs. Most patches thus never build unidiff's
per-line objects, which dominated the cost of checking an archive.
"""

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


_GIT_FILE = re.compile(r"^diff --git ", re.MULTILINE)
_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@", re.MULTILINE)
_OLD_NAME = re.compile(r"^--- (\S+)$", re.MULTILINE)
_NEW_NAME = re.compile(r"^\+\+\+ (\S+)$", re.MULTILINE)
_HUNK_LINE_STARTS = (" ", "+", "-", "\\")


def parse_diff(text: str) -> Diff:
    """Parse unified diff text; a corrupt diff gives a Diff with ``error`` set and no files."""
    if not text.startswith("diff --git "):
        return _parse_with_unidiff(text)
    starts = [match.start() for match in _GIT_FILE.finditer(text)]
    files: list[FileChange] = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(text)
        section = text[start:end]
        counted = _count_file(section)
        if counted is None:
            parsed = _parse_with_unidiff(section)
            if parsed.error:
                return _parse_with_unidiff(text)  # report the error as unidiff sees the whole diff
            files.extend(parsed.files)
        else:
            files.append(counted)
    return Diff(tuple(files))


def _count_file(section: str) -> FileChange | None:
    """Count one file's git diff from its hunks; None when it is not plain enough to trust."""
    first_hunk = section.find("\n@@ ")
    if first_hunk == -1:
        return None
    header, hunks = section[: first_hunk + 1], _trim_tail(section[first_hunk + 1 :])
    old_name, new_name = _OLD_NAME.search(header), _NEW_NAME.search(header)
    if old_name is None or new_name is None:
        return None
    old, new = old_name.group(1), new_name.group(1)
    if not (old.startswith("a/") or old == "/dev/null") or not (new.startswith("b/") or new == "/dev/null"):
        return None
    old_total = new_total = heads = 0
    for match in _HUNK.finditer(hunks):
        old_total += int(match.group(1) or 1)
        new_total += int(match.group(2) or 1)
        heads += 1
    lead = "\n" + hunks
    added, removed = lead.count("\n+"), lead.count("\n-")
    lines = hunks.count("\n") - heads - lead.count("\n\\")
    context = old_total - removed
    if heads != lead.count("\n@@") or context < 0 or context != new_total - added:
        return None
    if lines != context + added + removed:
        return None  # wrapped, lost or extra lines: let unidiff say what is wrong
    modes = dict(_MODE.findall(header))
    status = "modified"
    if old == "/dev/null":
        status = "added"
    elif new == "/dev/null":
        status = "deleted"
    elif "\ncopy from " in header:
        status = "copied"
    elif "\nrename from " in header:
        status = "renamed"
    old_path, new_path = _strip_prefix(old), _strip_prefix(new)
    return FileChange(
        path=old_path if status == "deleted" else new_path,
        old_path=old_path,
        new_path=new_path,
        added=added,
        removed=removed,
        status=status,
        binary=False,
        old_mode=modes.get("old") or modes.get("deleted file"),
        new_mode=modes.get("new") or modes.get("new file"),
    )


def _trim_tail(hunks: str) -> str:
    """Drop what follows the last hunk line (``base-commit:``, blank lines), ending in a newline."""
    end = len(hunks)
    while end > 0:
        start = hunks.rfind("\n", 0, end - 1) + 1
        if hunks.startswith(_HUNK_LINE_STARTS, start):
            return hunks[:end] if hunks[end - 1 : end] == "\n" else hunks[:end] + "\n"
        end = start
    return ""


def _parse_with_unidiff(text: str) -> Diff:
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
