"""Diffstats as ``git diff --stat`` / ``format-patch`` print them.

::

     arch/x86/kvm/{svm.c => svm/svm.c}    | 12 +++++-----
     .../selftests/kvm/x86_64/smm_test.c  |  4 ++--
     tools/logo.png                       | Bin 0 -> 1234 bytes
     3 files changed, 8 insertions(+), 7 deletions(-)
     create mode 100644 tools/logo.png

Rows may be indented by a damaging mailer; bars are scaled when the widest change does not fit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from patchlint.model.cached import cached_property

from patchlint.model.numbers import parse_number, parse_optional

# What follows a row's "|": the count and its bar, or "Bin" and the sizes. The bar is one or
# more signs: an empty one after blanks would let those blanks match two ways.
_ROW_TAIL = re.compile(
    r"\s+(?:(?P<count>\d+)(?:\s+(?P<bar>[+-]+))?"
    r"|Bin(?:\s+(?P<old>\d+)\s+->\s+(?P<new>\d+)\s+bytes)?)\s*"
)
_SUMMARY = re.compile(
    r"\s*(?P<files>\d+) files? changed(?:, (?P<ins>\d+) insertions?\(\+\))?"
    r"(?:, (?P<dels>\d+) deletions?\(-\))?\s*"
)
_MODE = re.compile(
    r"\s*(?:(?P<kind>create|delete) mode (?P<mode>\d{6}) (?P<path>.+)"
    r"|(?P<rkind>rename|copy|rewrite) (?P<rpath>.+) \((?P<pct>\d+)%\)"
    r"|mode change (?P<from>\d{6}) => (?P<to>\d{6})(?: (?P<mpath>.+))?)\s*"
)


@dataclass(frozen=True)
class DiffstatRow:
    """One row. ``new_path`` is the file's path after the change (``old_path`` before it);
    ``shortened`` rows start with ``...`` and give only the end of the path (git cuts from the
    left, possibly inside a ``{old => new}`` rename or a file name). ``indent`` is the number of
    blanks before the path (git writes one), ``bar_column`` the column of the ``|`` and
    ``sizes`` a binary row's ``Bin old -> new bytes``."""

    text: str
    old_path: str
    new_path: str
    shortened: bool
    count: int | None
    bar: str
    binary: bool
    index: int
    indent: int = 1
    bar_column: int = 0
    sizes: tuple[int, int] | None = None

    @property
    def plus(self) -> int:
        """The number of ``+`` in the bar."""
        return self.bar.count("+")

    @property
    def minus(self) -> int:
        """The number of ``-`` in the bar."""
        return self.bar.count("-")

    @property
    def path(self) -> str:
        """The path after the change, as complete as the row gives it (``.../`` kept)."""
        return f"...{self.new_path}" if self.shortened else self.new_path

    def matches(self, path: str) -> bool:
        """True if this row stands for ``path`` (after or before the change)."""
        if self.shortened:
            return path.endswith(self.new_path) or path.endswith(self.old_path)
        return path in (self.new_path, self.old_path)

    def stands_for(self, old_path: str, new_path: str) -> bool:
        """True if this is the row git prints for a change from ``old_path`` to ``new_path``
        (the same path twice for a file that is not renamed): the row's text, or for a
        shortened row what is left after ``...``, is the end of :func:`stat_name`."""
        # A created or deleted file is named by the side that exists.
        if old_path == "/dev/null":
            old_path = new_path
        elif new_path == "/dev/null":
            new_path = old_path
        name = stat_name(old_path, new_path)
        if self.shortened:
            return name.endswith(self.text[3:])
        return name == self.text


@dataclass(frozen=True)
class ModeLine:
    """A ``create mode`` / ``delete mode`` / ``rename`` / ``copy`` / ``rewrite`` / ``mode change`` line.

    ``path`` is the file's path after the change (empty for the ``mode change`` git prints
    without a name right after a ``rename`` or ``copy`` line); ``old_path`` the path before a
    rename or copy; ``mode`` the mode a file is created or deleted with, or ``old => new``.
    """

    kind: str
    path: str
    index: int
    old_path: str = ""
    mode: str = ""
    indent: int = 1


@dataclass(frozen=True)
class Diffstat:
    """A diffstat block: its rows, its summary line and the mode lines after it."""

    rows: tuple[DiffstatRow, ...]
    files: int
    insertions: int
    deletions: int
    summary_index: int
    modes: tuple[ModeLine, ...]
    summary_text: str = ""

    @cached_property
    def scaled(self) -> bool:
        """True when the bars are scaled (git shrinks them when the widest does not fit)."""
        return any(
            not row.binary and row.count and len(row.bar) != row.count for row in self.rows
        )

    def to_json(self) -> dict[str, object]:
        """The fields ``patchlint show`` prints."""
        return {
            "files": [[row.path, "Bin" if row.binary else row.count] for row in self.rows],
            "summary": [self.files, self.insertions, self.deletions],
        }


_C_ESCAPE = re.compile(r'\\(?:([0-7]{1,3})|x([0-9a-fA-F]{2})|(.))', re.DOTALL)
_C_CHARACTERS = {"a": b"\a", "b": b"\b", "t": b"\t", "n": b"\n", "v": b"\v", "f": b"\f", "r": b"\r",
                 '"': b'"', "'": b"'", "\\": b"\\"}


def unquote_path(path: str) -> str:
    """Undo git's C-style quoting of unusual file names (``"a\\tb"``, ``"\\303\\251"``).

    The escapes give bytes, which are the name in UTF-8 (invalid UTF-8 is replaced, never
    an error); an escape git does not write is kept as written.
    """
    if len(path) < 2 or path[0] != '"' or path[-1] != '"':
        return path
    inner = path[1:-1]
    if "\\" not in inner:
        return inner
    out = bytearray()
    at = 0
    for match in _C_ESCAPE.finditer(inner):
        out += inner[at : match.start()].encode("utf-8", "surrogatepass")
        octal, hexa, char = match.groups()
        if octal is not None:
            out.append(int(octal, 8) & 0xFF)
        elif hexa is not None:
            out.append(int(hexa, 16))
        else:
            out += _C_CHARACTERS.get(char) or match.group(0).encode("utf-8", "surrogatepass")
        at = match.end()
    out += inner[at:].encode("utf-8", "surrogatepass")
    return out.decode("utf-8", "replace")


def split_rename(text: str) -> tuple[str, str]:
    """``(old, new)`` paths of a row's path text: ``a/{b => c}/d``, ``a => b`` or a plain path."""
    # The last "}", the last " => " before it and the last "{" before that: what the pattern
    # "(.*)\{(.*) => (.*)\}(.*)" finds, found by three searches (the pattern tries every
    # "{", every " => " and every "}": cubic on a row full of them).
    close = text.rfind("}")
    arrow = text.rfind(" => ", 0, close) if close != -1 else -1
    brace = text.rfind("{", 0, arrow) if arrow != -1 else -1
    if brace != -1:
        pre, post = text[:brace], text[close + 1 :]
        old = (pre + text[brace + 1 : arrow] + post).replace("//", "/")
        new = (pre + text[arrow + 4 : close] + post).replace("//", "/")
        return unquote_path(old), unquote_path(new)
    if " => " in text:
        old, new = text.split(" => ", 1)
        return unquote_path(old), unquote_path(new)
    return unquote_path(text), unquote_path(text)


# What git's cut can leave of a rename's " => " at the start of a shortened row: "...> b}",
# "...=> b}", "... b}" (the row's text is stripped, so a cut right before " => " leaves "=> ").
_ARROW_ENDS = ("=> ", "> ", " ")


def _split_shortened(tail: str) -> tuple[str, str]:
    """``(old, new)`` path ends of a shortened row, whose ``{`` git may have cut off.

    git cuts a long row from the left (``show_stats()`` in diff.c), anywhere: inside the old
    name of a ``{old => new}`` rename (``...t => new}``), inside its arrow (``...> new}``,
    ``... new}``), or inside the new name (``...ew}``). Whatever of the old name the cut left is
    its end; when nothing of it is left, the new name stands for both."""
    if "}" in tail and "{" not in tail:
        inside, _, after = tail.partition("}")
        if " => " in inside:
            old, new = inside.split(" => ", 1)
            return unquote_path(old + after), unquote_path(new + after)
        for end in _ARROW_ENDS:
            if inside.startswith(end):
                inside = inside[len(end) :]
                break
        return unquote_path(inside + after), unquote_path(inside + after)
    return split_rename(tail)


def quote_path(path: str) -> str:
    """``path`` as git writes it in a diffstat, with ``core.quotePath`` at its default: in
    double quotes with C escapes when it holds a control character, a ``"``, a backslash or a
    byte above 0x7f (as octal), as is otherwise (the inverse of :func:`unquote_path`)."""
    # Most paths: printable ASCII (0x20-0x7e) without a quote or backslash, told by C-speed tests.
    if path.isascii() and path.isprintable() and '"' not in path and "\\" not in path:
        return path
    raw = path.encode("utf-8", "surrogateescape")
    if not any(byte < 0x20 or byte >= 0x7F or byte in b'"\\' for byte in raw):
        return path
    out = []
    for byte in raw:
        char = chr(byte)
        if char in _QUOTED_BY_NAME:
            out.append(_QUOTED_BY_NAME[char])
        elif byte < 0x20 or byte >= 0x7F:
            out.append(f"\\{byte:03o}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# git quotes these characters by name, as unquote_path reads them (the single quote it leaves).
_QUOTED_BY_NAME = {byte.decode(): f"\\{name}" for name, byte in _C_CHARACTERS.items() if name != "'"}


def stat_name(old_path: str, new_path: str) -> str:
    """The name git's diffstat prints for a change from ``old_path`` to ``new_path``, before
    any shortening: the path itself; for a rename or copy the common leading directories and
    the common trailing path components around ``{old => new}`` (``a/{b => c}/d``), or
    ``old => new`` when they share neither; quoted names as ``"old" => "new"``."""
    if old_path == new_path:
        return quote_path(old_path)
    quoted_old, quoted_new = quote_path(old_path), quote_path(new_path)
    if quoted_old != old_path or quoted_new != new_path:
        return f"{quoted_old} => {quoted_new}"
    # The common prefix ends after a "/" the two share; the common suffix starts at a "/" the
    # two share, not inside that prefix (git's pprint_rename() in diff.c behaves so).
    shared = 0
    while shared < min(len(old_path), len(new_path)) and old_path[shared] == new_path[shared]:
        shared += 1
    prefix = old_path.rfind("/", 0, shared) + 1
    suffix = 0
    floor = max(prefix - 1, 0)
    at_old, at_new = len(old_path) - 1, len(new_path) - 1
    while at_old >= floor and at_new >= floor and old_path[at_old] == new_path[at_new]:
        if old_path[at_old] == "/":
            suffix = len(old_path) - at_old
        at_old -= 1
        at_new -= 1
    old_middle = old_path[prefix : max(len(old_path) - suffix, prefix)]
    new_middle = new_path[prefix : max(len(new_path) - suffix, prefix)]
    if prefix + suffix == 0:
        return f"{old_middle} => {new_middle}"
    return f"{old_path[:prefix]}{{{old_middle} => {new_middle}}}{old_path[len(old_path) - suffix :]}"


def _split_row(line: str) -> tuple[int, str, re.Match[str], int] | None:
    """``(indent, path text, match of the tail, column of the "|")`` of a diffstat row, or None.

    The "|" of a row is its last one (the count or "Bin" after it holds none, a path may), so
    the row is cut there rather than matched by one pattern whose path had to be tried at every
    length: quadratic on a long run of blanks."""
    bar = line.rfind("|")
    if bar == -1:
        return None
    left = line[:bar]
    path = left.strip()
    if not path or not left[-1:].isspace():
        return None
    tail = _ROW_TAIL.fullmatch(line, bar + 1)
    if tail is None:
        return None
    return len(left) - len(left.lstrip()), path, tail, bar


def _row(line: str, index: int) -> DiffstatRow | None:
    split = _split_row(line)
    if split is None:
        return None
    indent, text, match, bar_column = split
    shortened = text.startswith("...")
    if shortened:
        old, new = _split_shortened(text[3:])
    else:
        old, new = split_rename(text)
    binary = match.group("count") is None
    sizes = (parse_number(match.group("old")), parse_number(match.group("new"))) if match.group("new") else None
    return DiffstatRow(
        text=text,
        old_path=old,
        new_path=new,
        shortened=shortened,
        count=None if binary else parse_number(match.group("count")),
        bar=match.group("bar") or "",
        binary=binary,
        index=index,
        indent=indent,
        bar_column=bar_column,
        sizes=sizes,
    )


def is_stat_line(line: str) -> bool:
    """True for a diffstat row or summary line (where notes above a diffstat end)."""
    if "|" in line and _split_row(line) is not None:
        return True
    return "changed" in line and _SUMMARY.fullmatch(line) is not None


def find_diffstats(lines: Sequence[str], start: int, end: int) -> tuple[Diffstat, ...]:
    """Every diffstat block in ``lines[start:end]``: rows, then a summary line, then mode lines."""
    found: list[Diffstat] = []
    rows: list[DiffstatRow] = []
    index = start
    while index < end:
        line = lines[index]
        summary = _SUMMARY.fullmatch(line) if "changed" in line else None
        if summary:
            modes: list[ModeLine] = []
            cursor = index + 1
            while cursor < end:
                mode = _mode(lines[cursor], cursor)
                if mode is None:
                    break
                modes.append(mode)
                cursor += 1
            found.append(
                Diffstat(
                    rows=tuple(rows),
                    files=parse_number(summary.group("files")),
                    insertions=parse_optional(summary.group("ins"), 0),
                    deletions=parse_optional(summary.group("dels"), 0),
                    summary_index=index,
                    modes=tuple(modes),
                    summary_text=line,
                )
            )
            rows = []
            index = cursor
            continue
        row = _row(line, index) if "|" in line else None
        if row is not None:
            rows.append(row)
        else:
            rows = []
        index += 1
    return tuple(found)


def _mode(line: str, index: int) -> ModeLine | None:
    match = _MODE.fullmatch(line)
    if match is None:
        return None
    indent = len(line) - len(line.lstrip())
    if match.group("kind"):
        path = unquote_path(match.group("path"))
        return ModeLine(f"{match.group('kind')} mode", path, index, path, match.group("mode"), indent)
    if match.group("rkind"):
        old, new = split_rename(match.group("rpath"))
        return ModeLine(match.group("rkind"), new, index, old, "", indent)
    path = unquote_path(match.group("mpath")) if match.group("mpath") else ""
    mode = f"{match.group('from')} => {match.group('to')}"
    return ModeLine("mode change", path, index, path, mode, indent)
