"""The diff of a patch, as per-file records.

Each file of a git diff is first counted straight from its hunks, and the count is accepted only
when it agrees with every hunk header (lines added, removed and kept, on both sides). Anything
else -- binary files, pure renames and mode changes, non-git diffs, a hunk that does not add up --
is parsed with unidiff, which also reports corrupt diffs. Most patches thus never build unidiff's
per-line objects, which dominated the cost of checking an archive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal


from patchlint.model.diffstat import unquote_path
from patchlint.model.numbers import parse_number, parse_optional

_MODE = re.compile(r"(old|new|new file|deleted file) mode (\d{6})")


@dataclass(frozen=True)
class FileChange:
    """What a diff does to one file.

    ``status`` is ``added``, ``deleted``, ``renamed``, ``copied`` or ``modified``; ``old_mode`` and
    ``new_mode`` are set when the diff header names them (new/deleted files, mode changes);
    ``binary_sizes`` are a binary file's sizes (old, new) when its ``GIT binary patch`` says them.
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
    binary_sizes: tuple[int, int] | None = None

    @property
    def changed(self) -> int:
        """Lines added plus lines removed: what a diffstat row counts."""
        return self.added + self.removed


@dataclass(frozen=True)
class Diff:
    """The files a diff touches, in order; ``error`` says why the diff could not be parsed.

    ``suspect`` is true when the cheap count could not vouch for every hunk (a hunk that does not
    add up with its header, a diff that is not a git diff, an error): only then is it worth
    walking the hunks line by line to say what is wrong (:mod:`patchlint.model.hunks`).
    """

    files: tuple[FileChange, ...]
    error: str | None = None
    suspect: bool = False

    @property
    def insertions(self) -> int:
        """Lines added over all files."""
        return sum(change.added for change in self.files)

    @property
    def deletions(self) -> int:
        """Lines removed over all files."""
        return sum(change.removed for change in self.files)

    def to_json(self) -> dict[str, object]:
        """The fields ``patchlint show`` prints: one ``[path, added, removed]`` per file section
        of the diff, in order (a file the diff touches twice is two entries), with ``"-"`` for
        the counts of a binary file, as ``git apply --numstat`` writes them."""
        return {
            "files": [
                [c.path, "-", "-"] if c.binary else [c.path, c.added, c.removed] for c in self.files
            ],
            "error": self.error,
        }


def _strip_prefix(name: str) -> str:
    name = unquote_path(name)
    if name.startswith(("a/", "b/")):
        return name[2:]
    return name


def _strip_one_directory(name: str) -> str:
    """``name`` as ``git apply -p1`` (what git am runs) takes it from a ``---``/``+++`` line of
    a diff without git headers: everything up to the first ``/`` goes (``linux-6.6.orig/``,
    ``a/``, the ``/`` of ``/tmp/x``); a name without one is kept whole."""
    name = unquote_path(name)
    _, slash, rest = name.partition("/")
    if slash and rest:
        name = rest
    # git squashes runs of "/" after stripping: 'old//x//k.c' is '/x/k.c'.
    while "//" in name:
        name = name.replace("//", "/")
    return name


def traditional_names(old: str, new: str) -> tuple[str, str]:
    """``(old, new)`` paths git apply -p1 gives a file of a diff without git headers (quilt,
    ``diff -u``), from its ``---`` and ``+++`` names: ``/dev/null`` on one side for a created or
    deleted file; otherwise one name for both sides, since such a diff cannot rename: the
    ``+++`` one, unless the ``---`` one is shorter and begins it (``x.c`` against ``x.c.new``),
    as ``find_name_traditional()`` in git's apply.c chooses."""
    if old == "/dev/null" or new == "/dev/null":
        return (
            old if old == "/dev/null" else _strip_one_directory(old),
            new if new == "/dev/null" else _strip_one_directory(new),
        )
    first, second = _strip_one_directory(old), _strip_one_directory(new)
    name = first if len(first) < len(second) and second.startswith(first) else second
    return name, name


_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@", re.MULTILINE)
_OLD_NAME = re.compile(r"^--- (\S+)$", re.MULTILINE)
_NEW_NAME = re.compile(r"^\+\+\+ (\S+)$", re.MULTILINE)
_HUNK_LINE_STARTS = (" ", "+", "-", "\\")


def parse_diff(text: str) -> Diff:
    """Parse unified diff text; a corrupt diff gives a Diff with ``error`` set and no files."""
    if not text.startswith("diff --git "):
        parsed = _parse_with_unidiff(text)
        # unidiff stops reading a hunk where its header says, as git apply does: lines left over
        # go unseen, so the text's own count of + and - lines must agree with what it read.
        suspect = parsed.error is not None or not _signs_agree(text, parsed)
        return Diff(parsed.files, parsed.error, suspect=suspect)
    files: list[FileChange] = []
    suspect = False
    start = 0
    while start != -1:
        end = text.find("\ndiff --git ", start)
        end = len(text) if end == -1 else end + 1
        counted = _count_file(text, start, end)
        if counted is None or counted is False:
            suspect = suspect or counted is False
            parsed = _parse_with_unidiff(text[start:end])
            if parsed.error:
                whole = _parse_with_unidiff(text)  # report the error as unidiff sees the whole diff
                return Diff(whole.files, whole.error, suspect=True)
            files.extend(_with_binary_sizes(change, text, start, end) for change in parsed.files)
        else:
            files.append(counted)
        start = end if end < len(text) else -1
    return Diff(tuple(files), suspect=suspect)


def _signs_agree(text: str, parsed: Diff) -> bool:
    """Whether the ``+`` and ``-`` lines of ``text``, less the ``+++``/``---`` file headers, are
    the lines ``parsed`` counted."""
    text = "\n" + text
    plus = text.count("\n+") - text.count("\n+++ ")
    minus = text.count("\n-") - text.count("\n--- ")
    return (plus, minus) == (parsed.insertions, parsed.deletions)


_BINARY = re.compile(r"(literal|delta) (\d+)\n")


def _with_binary_sizes(change: FileChange, text: str, start: int, end: int) -> FileChange:
    """Fill in the sizes a ``GIT binary patch`` gives: the forward ``literal`` is the new
    content, the reverse one (after a blank line) the old; ``delta`` sizes are not file sizes."""
    if not change.binary:
        return change
    at = text.find("\nGIT binary patch\n", start - 1 if start else 0, end)
    if at == -1:
        return change
    forward = _BINARY.match(text, at + 18, end)
    gap = text.find("\n\n", at, end) if forward else -1
    reverse = _BINARY.match(text, gap + 2, end) if gap != -1 else None
    if forward is None or reverse is None or "delta" in (forward.group(1), reverse.group(1)):
        return change
    return replace(change, binary_sizes=(parse_number(reverse.group(2)), parse_number(forward.group(2))))


def _count_file(text: str, start: int, end: int) -> FileChange | Literal[False] | None:
    """Count the git diff of one file, ``text[start:end]``, from its hunks; None when it is not
    plain enough to trust, False when its hunks do not add up with their headers (works on
    offsets: these diffs add up to megabytes in an archive)."""
    first_hunk = text.find("\n@@ ", start, end)
    if first_hunk == -1:
        return None
    header = text[start : first_hunk + 1]
    old_name, new_name = _OLD_NAME.search(header), _NEW_NAME.search(header)
    if old_name is None or new_name is None:
        return None
    old, new = old_name.group(1), new_name.group(1)
    if not (old.startswith("a/") or old == "/dev/null") or not (new.startswith("b/") or new == "/dev/null"):
        return None
    begin, stop = first_hunk + 1, _hunks_end(text, first_hunk + 1, end)
    old_total = new_total = heads = 0
    at = begin
    while at != -1:
        match = _HUNK.match(text, at, stop)
        if match is None:
            return False  # a malformed hunk header
        old_total += parse_optional(match.group(1), 1)
        new_total += parse_optional(match.group(2), 1)
        heads += 1
        at = text.find("\n@@", at, stop)
        at = -1 if at == -1 else at + 1
    added, removed = text.count("\n+", begin, stop), text.count("\n-", begin, stop)
    lines = text.count("\n", begin, stop) - heads - text.count("\n\\", begin, stop)
    context = old_total - removed
    if context < 0 or context != new_total - added or lines != context + added + removed:
        return False  # wrapped, lost or extra lines: let unidiff count, hunks.py say what is wrong
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


def _hunks_end(text: str, begin: int, end: int) -> int:
    """Where the hunks of ``text[begin:end]`` end: after the last line that can belong to a hunk
    (dropping ``base-commit:``, blank lines …); ``text[end - 1]`` is taken as a line end."""
    while end > begin:
        line = text.rfind("\n", begin, end - 1) + 1
        if line <= begin or text.startswith(_HUNK_LINE_STARTS, line):
            return end
        end = line
    return end


def _parse_with_unidiff(text: str) -> Diff:
    # Imported when first needed: most diffs are counted without it (see the module's notes).
    import unidiff

    try:
        patch = unidiff.PatchSet(text)
    except unidiff.UnidiffParseError as exc:
        return Diff((), f"the diff cannot be parsed: {exc}")
    except Exception as exc:  # unidiff on hostile input (int() of a 5,000-digit count …)
        return Diff((), f"the diff cannot be parsed: {type(exc).__name__}: {exc}")
    files = []
    for patched in patch:
        info = "\n" + str(patched.patch_info)
        modes = dict(_MODE.findall(info))
        if "\ndiff --git " in info:
            old_path = _strip_prefix(patched.source_file)
            new_path = _strip_prefix(patched.target_file)
            path = unquote_path(patched.path)
        else:
            old_path, new_path = traditional_names(patched.source_file, patched.target_file)
            path = old_path if patched.is_removed_file else new_path
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
                path=path,
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
