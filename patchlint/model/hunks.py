"""What is wrong with a diff whose hunks do not add up, said the way a contributor understands it.

git apply reads a hunk by counting down the old and new line counts of its ``@@ -a,b +c,d @@``
header: a context line (a space, or an empty line) takes one from both, a ``-`` line from the old
count, a ``+`` line from the new one, a ``\\ No newline at end of file`` marker from neither. Any
other line before both counts reach zero makes the patch corrupt; lines left over after they
reach zero are ignored. This module walks the hunks the same way, and when something does not
fit, it says what most likely happened: a line the mailer wrapped, a context line that lost its
leading space or had it turned into a no-break space, a truncated mail, lines added or removed by hand, a misplaced ``\\ No newline``.

It is a line-by-line Python loop, so it runs only on diffs that the cheap count in
:mod:`patchlint.model.diff` could not vouch for (``Diff.suspect``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from patchlint.model.diff import traditional_names
from patchlint.model.numbers import parse_optional

_HEADER = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
# A mailer wraps lines near 72-80 columns; a line this long before a stray line is the first half.
WRAP_COLUMNS = 60
# What some mailers (Outlook among them) write for a space they mean to keep: in a diff, a
# context line that starts with it is not a context line to git apply.
NO_BREAK_SPACE = "\u00a0"
# Marker lines git writes in any language start with "\ " and are at least this long (git apply
# checks the same).
MARKER_MIN = 12


@dataclass(frozen=True)
class HunkProblem:
    """One thing wrong in a diff: ``kind`` (``wrapped``, ``lost-space``, ``no-break-space``,
    ``not-a-diff-line``,
    ``short``, ``truncated``, ``extra-lines``, ``no-newline-marker``, ``bad-header``,
    ``no-change``, ``wrapped-header``, ``flowed-joined``, ``flowed-unstuffed``), where
    (``index``, a body line) and what to tell the contributor (``message``).

    :attr:`flowed` names the part of git's format=flowed decoding that did the damage."""

    kind: str
    index: int
    message: str

    @property
    def flowed(self) -> str:
        """``joined`` (a diff line ended in a space, and git joined it with the next) or
        ``unstuffed`` (git took a context line's leading space for space-stuffing and removed
        it), from the ``flowed-…`` kinds; empty when format=flowed text is not the cause."""
        return self.kind.removeprefix("flowed-") if self.kind.startswith("flowed-") else ""


@dataclass
class _Hunk:
    """The hunk being read (mutable state of one walk, never stored)."""

    file: str
    number: int
    index: int
    header: str
    old: int
    new: int
    old_left: int
    new_left: int
    changes: int = 0
    ended: str = ""  # sides whose last line a "\ No newline" marker closed: "old", "new", both


def diagnose(
    lines: Sequence[str],
    start: int,
    end: int,
    line_of: Callable[[int], str],
    joined: frozenset[int] = frozenset(),
    unstuffed: frozenset[int] = frozenset(),
) -> tuple[HunkProblem, ...]:
    """Walk the hunks of ``lines[start:end]`` as git apply does and say what does not fit.

    ``line_of`` names the line at a body index for the contributor (``"line 57"``). ``joined``
    and ``unstuffed`` are the lines git's format=flowed decoding rejoined or took a leading
    space from (:class:`patchlint.model.flowed.Flowed`): a hunk they damaged is explained by
    them, not by a mailer's wrapping or a hand edit.
    """
    problems: list[HunkProblem] = []
    old_name = new_name = "?"
    git_header = False  # whether the file's names follow a 'diff --git' line
    numbers: dict[str, int] = {}
    index = start
    while index < end:
        line = lines[index]
        if line.startswith("diff --git "):
            if " b/" not in line and index + 1 < end and lines[index + 1].startswith("b/"):
                problems.append(HunkProblem(
                    "wrapped-header", index + 1,
                    f"{line_of(index + 1)} was wrapped by the mailer: it is the end of the "
                    f"'diff --git' line above it, and git am cannot read the file names",
                ))
            old_name = new_name = "?"
            git_header = True
            index += 1
            continue
        if line.startswith("--- ") and index + 1 < end and lines[index + 1].startswith("+++ "):
            if git_header:
                old_name, new_name = _name(line[4:]), _name(lines[index + 1][4:])
            else:  # quilt, diff -u: the file git am patches, as the diff model names it
                old_name, new_name = traditional_names(
                    line[4:].split("\t", 1)[0].rstrip(), lines[index + 1][4:].split("\t", 1)[0].rstrip()
                )
            git_header = False
            index += 2
            continue
        if not line.startswith("@@ "):
            index += 1
            continue
        file = new_name if new_name not in ("/dev/null", "?") else old_name
        match = _HEADER.match(line)
        if match is None:
            problems.append(HunkProblem(
                "bad-header", index,
                f"{line_of(index)} is not a hunk header git can read: {_clip(line)!r} "
                f"(of {file}); it was edited by hand or damaged by the mailer",
            ))
            index += 1
            continue
        numbers[file] = numbers.get(file, 0) + 1
        old = parse_optional(match.group(2), 1)
        new = parse_optional(match.group(4), 1)
        hunk = _Hunk(file, numbers[file], index, line, old, new, old, new)
        before = len(problems)
        index = _walk(lines, index + 1, end, hunk, problems, line_of)
        if (joined or unstuffed) and len(problems) > before:
            problems[before:] = _flowed_causes(
                problems[before:], hunk, range(hunk.index, index + 1), joined, unstuffed, line_of
            )
    return tuple(problems)


def _flowed_causes(
    found: list[HunkProblem],
    hunk: _Hunk,
    span: range,
    joined: frozenset[int],
    unstuffed: frozenset[int],
    line_of: Callable[[int], str],
) -> list[HunkProblem]:
    """The problems of one hunk, told by what git's format=flowed decoding did to it.

    A line git joined with the next one (it ended in a space, a soft line break in flowed
    text) makes every count of the hunk after it wrong: that one line is the whole story. A
    context line that lost its leading space to git's unstuffing is told as such."""
    rejoined = [index for index in span if index in joined and index != hunk.index]
    if rejoined:
        at = rejoined[0]
        return [HunkProblem(
            "flowed-joined", at,
            f"{line_of(at)} ends in a space, which in format=flowed text is a soft line break: "
            f"git mailinfo (git am) joins it with the line after it, so {_where(hunk, line_of)} "
            f"no longer adds up and git am rejects the patch as corrupt",
        )]
    # A line that lost its one leading space to unstuffing is no diff line (whether the walk
    # took it for a wrapped line or a context line that lost its space), and the counts that
    # then go wrong follow from it.
    stripped = [
        problem.index for problem in found
        if problem.kind in ("lost-space", "wrapped") and problem.index in unstuffed
    ]
    if not stripped:
        return found
    at = stripped[0]
    return [HunkProblem(
        "flowed-unstuffed", at,
        f"{line_of(at)} starts with one space, which in format=flowed text is space-stuffing: "
        f"git mailinfo (git am) removes it, so this context line of {_where(hunk, line_of)} "
        f"loses its leading space (the mailer declared flowed text without stuffing its lines) "
        f"and git am rejects the patch as corrupt",
    )]


def _walk(
    lines: Sequence[str],
    index: int,
    end: int,
    hunk: _Hunk,
    problems: list[HunkProblem],
    line_of: Callable[[int], str],
) -> int:
    """Read one hunk from ``index``; return where the walk goes on."""
    previous = ""  # the kind of the line before: " ", "-", "+", "\\" or "" at the start
    found_before = len(problems)
    while index < end and (hunk.old_left > 0 or hunk.new_left > 0):
        line = lines[index]
        first = line[:1]
        if first in (" ", "") or first == "-" or first == "+":
            kind = first or " "
            if _closed(hunk, kind):
                problems.append(_marker_misplaced(hunk, index, line_of))
                hunk.ended = ""  # said once
            if kind != "+":
                hunk.old_left -= 1
            if kind != "-":
                hunk.new_left -= 1
            if kind != " ":
                hunk.changes += 1
            previous = kind
        elif first == "\\":
            problem = _marker(hunk, index, line, previous, line_of)
            if problem:
                problems.append(problem)
            previous = "\\"
        elif line.startswith(("@@ ", "diff --git ")):
            break
        elif first == NO_BREAK_SPACE:
            # A context line whose leading space the mailer wrote as a no-break space: it still
            # takes its place in the counts, but git apply knows only U+0020 as context.
            problems.append(_no_break_space(hunk, index, line_of))
            hunk.old_left -= 1
            hunk.new_left -= 1
            previous = " "
            if len(problems) - found_before >= 3:
                return _skip_hunk(lines, index + 1, end)
        else:
            # A line after a long one may be its second half, wrapped by the mailer; but when
            # the hunk adds up with this line (and any like it) counted as context, it is a
            # context line that lost its leading space, however long the line before.
            wrapped = _display_width(lines[index - 1]) >= WRAP_COLUMNS and not _fits_as_context(
                lines, index, end, hunk.old_left, hunk.new_left
            )
            problems.append(_stray_line(hunk, index, wrapped, line_of))
            if not wrapped:
                # A context line that lost its leading space still takes its place in the counts.
                hunk.old_left -= 1
                hunk.new_left -= 1
                previous = " "
            if len(problems) - found_before >= 3:
                return _skip_hunk(lines, index + 1, end)
        index += 1
    if hunk.old_left > 0 or hunk.new_left > 0:
        problems.append(_short(hunk, index, index >= end, line_of))
        return index
    if hunk.old_left < 0 or hunk.new_left < 0:
        problems.append(_overrun(hunk, line_of))
    if index < end and lines[index].startswith("\\"):
        problem = _marker(hunk, index, lines[index], previous, line_of)
        if problem:
            problems.append(problem)
        index += 1
    if hunk.changes == 0 and len(problems) == found_before:
        problems.append(HunkProblem(
            "no-change", hunk.index,
            f"{_where(hunk, line_of)} changes nothing (it has only context lines): git apply "
            f"rejects it as corrupt; it was edited by hand",
        ))
    extra = _extra_lines(lines, index, end)
    if extra:
        problems.append(HunkProblem(
            "extra-lines", index,
            f"{_where(hunk, line_of)} goes on for {_lines(extra)} after the {hunk.old} old and "
            f"{hunk.new} new lines its header counts (from {line_of(index)}): git am "
            f"ignores them, so the patch would apply without them; the hunk was edited by hand "
            f"or a wrapped line begins with '+', '-' or a space. Regenerate it with git "
            f"format-patch",
        ))
        index += extra
    return index


def _closed(hunk: _Hunk, kind: str) -> bool:
    """Whether a line of ``kind`` comes after a marker that said its side of the file ended."""
    if not hunk.ended:
        return False
    if kind == " ":
        return True
    return ("old" in hunk.ended) if kind == "-" else ("new" in hunk.ended)


def _marker(
    hunk: _Hunk, index: int, line: str, previous: str, line_of: Callable[[int], str]
) -> HunkProblem | None:
    if len(line) < MARKER_MIN or not line.startswith("\\ "):
        return HunkProblem(
            "no-newline-marker", index,
            f"{line_of(index)} starts with '\\' but is not the '\\ No newline at end of "
            f"file' marker git writes ({_where(hunk, line_of)}): git apply rejects it",
        )
    if previous in ("", "\\"):
        what = "another marker" if previous == "\\" else "the hunk header"
        return HunkProblem(
            "no-newline-marker", index,
            f"{line_of(index)}: '\\ No newline at end of file' follows {what}, not the "
            f"last line of a file ({_where(hunk, line_of)}); it was moved or copied by hand",
        )
    hunk.ended = {"-": "old", "+": "new", " ": "old new"}[previous]
    return None


def _marker_misplaced(hunk: _Hunk, index: int, line_of: Callable[[int], str]) -> HunkProblem:
    return HunkProblem(
        "no-newline-marker", index,
        f"{line_of(index)} goes on after a '\\ No newline at end of file' marker that said "
        f"the file ended ({_where(hunk, line_of)}): the marker belongs after the file's last "
        f"line only; the hunk was edited by hand",
    )


def _fits_as_context(lines: Sequence[str], index: int, end: int, old_left: int, new_left: int) -> bool:
    """Whether the lines from ``index`` to the hunk's end (the next hunk or file header, the
    signature separator or the end of the diff) use up exactly ``old_left`` old and
    ``new_left`` new lines when every line that is neither ``+`` nor ``-`` is a context line."""
    while index < end:
        line = lines[index]
        if line.startswith(("@@ ", "diff --git ")) or line in ("--", "-- "):
            break
        if not line.startswith("\\"):
            first = line[:1]
            if first != "+":
                old_left -= 1
            if first != "-":
                new_left -= 1
            if old_left < 0 or new_left < 0:
                return False
        index += 1
    return old_left == 0 and new_left == 0


def _no_break_space(hunk: _Hunk, index: int, line_of: Callable[[int], str]) -> HunkProblem:
    return HunkProblem(
        "no-break-space", index,
        f"{line_of(index)} starts with a no-break space (U+00A0) where a context line's "
        f"leading space belongs ({_where(hunk, line_of)}): the mailer wrote the diff's spaces "
        f"as no-break spaces, git apply takes only a plain space for context, and git am "
        f"rejects the patch as corrupt; send it with git send-email, which does not touch "
        f"whitespace",
    )


def _stray_line(
    hunk: _Hunk, index: int, wrapped: bool, line_of: Callable[[int], str]
) -> HunkProblem:
    number = line_of(index)
    if wrapped:
        return HunkProblem(
            "wrapped", index,
            f"{number} was wrapped by the mailer: it continues {line_of(index - 1)} "
            f"({_where(hunk, line_of)}), and git am rejects the patch as corrupt; send it with "
            f"git send-email, or turn line wrapping off",
        )
    return HunkProblem(
        "lost-space", index,
        f"{number} is not a diff line ({_where(hunk, line_of)}): a context line lost its "
        f"leading space, or text was typed into the hunk, and git am rejects the patch as "
        f"corrupt; send it with git send-email, which does not touch whitespace",
    )


def _short(hunk: _Hunk, index: int, at_end: bool, line_of: Callable[[int], str]) -> HunkProblem:
    missing = max(hunk.old_left, 0) + max(hunk.new_left, 0)
    counted = f"its header counts {hunk.old} old and {hunk.new} new lines"
    if at_end:
        return HunkProblem(
            "truncated", hunk.index,
            f"the diff ends inside {_where(hunk, line_of)}: {counted}, only "
            f"{hunk.old - hunk.old_left} and {hunk.new - hunk.new_left} are there; the mail "
            f"was cut off (or lines were deleted by hand)",
        )
    return HunkProblem(
        "short", hunk.index,
        f"{_where(hunk, line_of)} ends early at {line_of(index)}: {counted}, "
        f"{missing} of them are missing; lines were deleted or the header edited by hand",
    )


def _overrun(hunk: _Hunk, line_of: Callable[[int], str]) -> HunkProblem:
    return HunkProblem(
        "short", hunk.index,
        f"{_where(hunk, line_of)} has {_lines(hunk.old - hunk.old_left, 'old')} and "
        f"{_lines(hunk.new - hunk.new_left, 'new')} where its header counts {hunk.old} and "
        f"{hunk.new}: the hunk was edited by hand",
    )


def _extra_lines(lines: Sequence[str], index: int, end: int) -> int:
    """How many diff-like lines follow a complete hunk before the next header: lines git apply
    skips without a word."""
    count = 0
    while index + count < end:
        line = lines[index + count]
        if line.startswith(("@@ ", "diff ", "Index: ", "--- ", "+++ ")) or line in ("--", "-- "):
            break
        if not line.startswith(("+", "-", " ")) or not line.strip():
            break
        count += 1
    return count


def _skip_hunk(lines: Sequence[str], index: int, end: int) -> int:
    while index < end and not lines[index].startswith(("@@ ", "diff --git ")):
        index += 1
    return index


def _where(hunk: _Hunk, line_of: Callable[[int], str]) -> str:
    return f"hunk {hunk.number} of {hunk.file} ({_clip(hunk.header)!r}, {line_of(hunk.index)})"


def _name(text: str) -> str:
    name = text.split("\t", 1)[0].rstrip()
    if name.startswith(("a/", "b/")):
        return name[2:]
    return name


def _lines(count: int, what: str = "") -> str:
    noun = f"{what} line" if what else "line"
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _clip(text: str, width: int = 40) -> str:
    header = re.match(r"@@ [^@]* @@", text)
    if header:
        # A header is quoted whole, up to a length no real one reaches (counts of 5,000 digits).
        text, width = header.group(0), 80
    return text if len(text) <= width else text[: width - 1] + "…"


def _display_width(line: str) -> int:
    return len(line.expandtabs(8))
