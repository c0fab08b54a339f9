"""Version changelogs in cover letters and below ``---``: which version each entry describes.

A heading is recognised by a small grammar rather than a list of spellings. Its parts, in any
case, after an optional bullet (``-``/``*``/``#``) and lead words (``Main``, ``General``, ``The``)::

    NOUN     changes, changed, change, changelog, change log, revision history, updates, new …
    VERSION  v3, V3, version 3, rev 3, RFC, RFC v2 (an RFC's numbers are its own: see below)
    ARROW    ->, -->, =>, →, to, -, =

and the headings are these combinations of them (what each describes)::

    [NOUN] [from] VERSION ARROW VERSION     v2 -> v3:  v1-v2:  Changelog v2 => v3  RFC v1->v2   (v3)
    VERSION ARROW :                         v4 =>:                                               (v5)
    NOUN in|for|of VERSION                  Changes in v3:  Changes for V3:  New in v3:          (v3)
    [NOUN] since|from|vs|against VERSION    Changes since v2:  Changed from v2:  Since v2:       (v3)
    NOUN VERSION                            Changelog v3:  Changes v3:                           (v3)
    VERSION [NOUN|RESEND] : or -            v3:  v3 changes:  V3 -                               (v3)
    NOUN [since|to|in] [the] previous|last|this version
                                            Changes since last version:           (this version)
    changelog, changes, revision history alone
                                            Changelog:  Main changes:  Revision history:
                                                                   (this version, not exact)

A ``vN: <url>`` line is a link to an earlier posting, not an entry. A heading that names no
version stands for the posting's own version, and only counts when text follows it before the
next heading. A heading that names an RFC (``Changes since RFC:``, ``RFC v1->v2``) describes
this posting too, but its numbers are the RFC's, not this series' versions, so it is not
*exact*, and neither is a noun alone (``Key changes:`` may list what the series changes): it shows that a changelog is there without taking part in the version arithmetic
(newest entry, duplicates, gaps). Neither does prose that says what changed in this version
(``No code changes in v2.``, ``In this new version I made the changes you suggested:``) in a
cover letter or below ``---``, nor the notes text of a patch without a heading: the notes are
where a changelog goes (see :func:`find_prose_changelog`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from patchlint.model.diffstat import is_stat_line
from patchlint.model.numbers import parse_number

# The grammar's parts. (Runs of blanks are matched once wherever they may stand: "\s*:?\s*"
# would split a long run of blanks between its two halves in every way before giving up.)
_BULLET = r"^[\s\-*#>o\[(]*"
_LEAD = r"(?:(?:main|general|key|major|minor|other|notable|the|patch|series|summary\s+of)\s+){0,3}"
_NOUN = (
    r"(?:change\s?-?log|changes?|changed|revision\s+history|version\s+history|history"
    r"|updates?|updated|differences?|modifications?|new)"
)
# A version of this series, or an RFC (numbered apart); "v6.4" is a kernel release, not one.
_VERSION = r"(?:(?P<{0}rfc>rfc)\s*(?:v\s*)?(?P<{0}rfcn>\d+)?|(?:v|version\s*|rev\.?\s*|revision\s*)(?P<{0}n>\d+))(?!\.?\d)"
_ARROWS = r"(?:-+>|=+>|→|\bto\b|-|=)"


def _version(prefix: str) -> str:
    return _VERSION.format(prefix)


_RANGE = re.compile(
    _BULLET + _LEAD + rf"(?:{_NOUN}\s*(?::\s*)?(?:(?:from|between|for|in)\s+)?)?(?:from\s+)?"
    + _version("a") + rf"\s*{_ARROWS}\s*" + _version("b") + r"(?![\w.])",
    re.I,
)
_OPEN_RANGE = re.compile(_BULLET + rf"(?:{_NOUN}\s+)?" + _version("a") + r"\s*(?:-+>|=+>|→)\s*:?\s*$", re.I)
_IN = re.compile(_BULLET + _LEAD + rf"{_NOUN}\s+(?:in|for|of)\s+(?:this\s+)?" + _version("a") + r"\b", re.I)
_SINCE = re.compile(
    _BULLET + _LEAD + rf"(?:{_NOUN}\s+)?(?:since|from|vs\.?|versus|against|compared\s+(?:to|with)|relative\s+to)"
    r"\s+(?:the\s+)?(?:\(implicit\)\s+)?" + _version("a") + r"\b",
    re.I,
)
_NOUN_VERSION = re.compile(_BULLET + _LEAD + rf"{_NOUN}\s+" + _version("a") + r"\s*(?::|-(?:\s|$)|$)", re.I)
# "V3 -" may end the line: the dash needs a space after it only when text follows.
_BARE = re.compile(
    _BULLET + r"v(\d+)(?!\.?\d)(?:\s+(?:changes?|changelog|updates?))?\s*(?::|-(?:\s|$)|$)(.*)", re.I
)
_CURRENT = re.compile(
    _BULLET + _LEAD + rf"{_NOUN}\s+(?:(?:to|since|from|vs\.?|against|compared\s+to|in|over)\s+)?"
    r"(?:the\s+)?(?:previous|last|prior|this|former)\s+(?:version|revision|posting|series|spin|round|iteration)"
    r"\s*(?:[:=-]+\s*)?$",
    re.I,
)
# A noun alone ("Changelog:", "Main changes:") most likely heads a changelog, but may head a
# list of what the series changes ("Key Changes:"): it is not exact (see ChangelogEntry).
_ALONE = re.compile(
    _BULLET + _LEAD + r"(?:change\s?-?log|changes|(?:revision|version)\s+history)\s*(?:[:=-]+\s*)?$", re.I
)
_URL_ONLY = re.compile(r"\s*<?https?://\S+>?\s*$")
_BULLETED = re.compile(r"\s*(?:[-*+o]|\(?\d+[.)])\s")
# A heading's underline ("Changelog" then "========="): layout, not text of the entry.
_RULE = re.compile(r"\s*([=~\-^*_])\1{2,}\s*$")
COMPARE_MIN_CHARS = 15


@dataclass(frozen=True)
class ChangelogEntry:
    """One changelog entry: the version it describes and where its heading stands.

    ``from_version`` is the version the heading says it starts from (``v2 -> v3``: 2); ``reversed``
    is true for a heading written backwards (``from v11 to v10``), which still describes the
    higher version. ``text`` is the entry's content, whitespace-normalised. ``exact`` is false
    for an entry whose version is not a version of this series written in a heading: an RFC's
    (``Changes since RFC v2:``), prose (``No code changes in v2.``) or the heading-less notes of
    a patch; such an entry shows a changelog is there, and the checks of versions leave it out.
    """

    version: int
    from_version: int | None
    heading: str
    index: int
    text: str
    reversed: bool = False
    exact: bool = True


def _number(match: re.Match[str], prefix: str) -> tuple[int | None, bool]:
    """(the version a part names, whether it is one of this series'): an RFC's is not."""
    if match.group(f"{prefix}rfc"):
        return None, False
    return parse_number(match.group(f"{prefix}n")), True


def _heading(line: str, current: int) -> tuple[int, int | None, bool, str, bool] | None:
    """``(version described, from version, reversed, rest of line, exact)`` for a heading line."""
    if _CURRENT.match(line):
        return current, None, False, "", True
    if _ALONE.match(line):
        return current, None, False, "", False
    match = _RANGE.match(line)
    if match:
        old, old_exact = _number(match, "a")
        new, new_exact = _number(match, "b")
        rest = line[match.end() :]
        if old is None or new is None or not (old_exact and new_exact):
            return current, None, False, rest, False
        return max(old, new), min(old, new), old > new, rest, True
    match = _OPEN_RANGE.match(line)
    if match:
        old, exact = _number(match, "a")
        if old is None or not exact:
            return current, None, False, "", False
        return old + 1, old, False, "", True
    match = _IN.match(line)
    if match:
        number, exact = _number(match, "a")
        if number is None or not exact:
            return current, None, False, line[match.end() :], False
        return number, None, False, line[match.end() :], True
    match = _SINCE.match(line)
    if match:
        old, exact = _number(match, "a")
        if old is None or not exact:
            return current, None, False, line[match.end() :], False
        return old + 1, old, False, line[match.end() :], True
    match = _NOUN_VERSION.match(line)
    if match:
        number, exact = _number(match, "a")
        if number is None or not exact:
            return current, None, False, line[match.end() :], False
        return number, None, False, line[match.end() :], True
    match = _BARE.match(line)
    if match and not _URL_ONLY.fullmatch(match.group(2)):
        return parse_number(match.group(1)), None, False, match.group(2), True
    return None


def _entry_lines(lines: Sequence[str], start: int, stop: int, started: bool = False) -> list[str]:
    """The entry's lines: up to the next heading, the diffstat, or a blank line followed by
    unindented prose (the cover letter going on), whichever comes first.

    ``started`` says the heading line itself carried text (``v2: rebased``): then a blank line
    followed by prose ends the entry even when no line below the heading belongs to it.
    """
    taken: list[str] = []
    for index in range(start, stop):
        line = lines[index]
        if is_stat_line(line):
            break  # diffstat rows are indented like entry text but are not part of it
        if not line.strip():
            following = next((lines[i] for i in range(index + 1, stop) if lines[i].strip()), "")
            if (
                (taken or started)
                and following
                and not following[0].isspace()
                and not _BULLETED.match(following)
            ):
                break
            continue
        if not taken and _RULE.match(line):
            continue  # the heading's underline
        taken.append(line.strip())
    return taken


def find_changelog(
    lines: Sequence[str], start: int, end: int, current: int = 1
) -> tuple[ChangelogEntry, ...]:
    """Every changelog entry in ``lines[start:end]``, in the order written.

    ``current`` is the posting's version, described by headings that name none.
    """
    headings: list[tuple[int, tuple[int, int | None, bool, str, bool]]] = []
    for index in range(start, end):
        line = lines[index]
        if not _MAYBE_HEADING.search(line):
            continue
        found = _heading(line, current)
        if found is not None:
            headings.append((index, found))
    entries = []
    for position, (index, (version, old, backwards, rest, exact)) in enumerate(headings):
        stop = headings[position + 1][0] if position + 1 < len(headings) else end
        first = rest.strip(" :-")
        body = [first] + _entry_lines(lines, index + 1, stop, started=bool(first))
        text = " ".join(" ".join(body).split())
        if not text and (_CURRENT.match(lines[index]) or _ALONE.match(lines[index])):
            continue  # "Changelog:" introducing vN headings is not an entry of its own
        entries.append(
            ChangelogEntry(version, old, lines[index].strip(), index, text, backwards, exact)
        )
    return tuple(entries)


# Every heading has one of these (most lines have none: one search rules them out). The
# lookahead names the words' first letters: it lets the regular expression engine skip to a
# possible start instead of trying every alternative at every character (4x faster here).
_MAYBE_HEADING = re.compile(r"(?=[vrchudnm])(?:v\d|rfc|change|histor|update|new|differ|modif|version|rev)", re.I)

# Prose that says what changed in a version: a mention of this series' version (or of "this",
# "the new" or "the previous" one) and a word of change, in one line of a cover letter or of
# the notes below "---".
_VERSION_WORD = re.compile(
    r"\b(?:v(?P<n>\d+)(?!\.?\d)|(?:this|new|previous|last|earlier|prior|former|updated)\s+"
    r"(?:version|revision|iteration|spin|respin|round)|(?:version|revision|respin)\s+(?P<m>\d+))\b",
    re.I,
)
_CHANGE_WORD = re.compile(
    r"\b(?:chang|updat|rebas|drop|remov|add|fix|without|includ|address|rework|split|squash|renam|mov|same"
    r"|differ|replac|switch|simplif|improv|modif|incorporat|resen[dt]|feedback|comment|review|suggest)\w*",
    re.I,
)
# What only a revision of a posting says of itself, without naming a version: the posting is a
# rebase or a respin ("This is just a rebase and reposting …", "This needed rebase of patch 1 …
# and resulted in this series", a line opening with "Rebased …"), review comments were
# addressed, something changed since the last posting. A patch "rebased onto kvm/queue" in the
# middle of a sentence describes the series' base, not what changed: not a changelog.
_REVISION_OPENING = re.compile(r"\s*(?:(?P<bullet>[-*])\s*)?(?:re-?based|re-?spun|re-?spin)\b", re.I)
_REVISION_WORD = re.compile(
    r"\b(?:this|it)\s+(?:is|was|needed|needs|required)\s+(?:just\s+|only\s+|simply\s+|merely\s+)?(?:an?\s+)?"
    r"(?:re-?base|re-?spin|re-?post)"
    r"|\b(?:address|incorporat|integrat)\w*\s+(?:[\w'’-]+\s+){0,3}?(?:comments|feedback|reviews?|suggestions|remarks)\b"
    r"|\bsince\s+(?:the\s+)?(?:last|previous|first|earlier|prior|original)\s+(?:posting|submission|round|series|version|one)\b"
    # "I implemented again the changes requested for …", "made the changes you asked for"
    r"|\b(?:implement|appli|made|did|done)\w*\s+(?:\w+\s+){0,3}?(?:changes|fixes|suggestions)\s+"
    r"(?:(?:you|that\s+were|which\s+were|as)\s+)?(?:requested|suggested|asked\s+for)\b",
    re.I,
)
_NOT_NOTES = re.compile(
    r"\s*(?:(?:create|delete) mode \d+|rename \S|mode change \d+|copy \S|base-commit:|prerequisite-patch-id:"
    r"|change-id:|signed-off-by:|-+\s*$)",
    re.I,
)


# "v1: <url>", "Link to v2: <url>": where an earlier version is, not what changed.
_LINK_LINE = re.compile(r"\s*(?:[-*]\s*)?[^:\s][^:]{0,30}:\s*<?https?://\S+>?\s*$")


def find_prose_changelog(
    lines: Sequence[str], start: int, end: int, current: int, notes: bool = False
) -> tuple[ChangelogEntry, ...]:
    """A changelog written without a heading, as one inexact entry for ``current`` (or none).

    In a cover letter (``notes`` false), the first line that names a version of this series up
    to ``current`` (``v2``, ``this version``, ``the previous version``) and says what changed
    (``No code changes in v2.``, ``V1 was a tad too simple: …``), or that says what only a
    revision can say (``This needed rebase of patch 1 …``, ``Addressed the review comments``,
    ``… since the last posting``). Below a patch's ``---``
    (``notes`` true), any text other than the diffstat and what tools write there (mode lines,
    ``base-commit:``): the notes are where the changelog of a patch goes, and one written there
    without a heading (``Removed variants and use timer_delete``) is still one.
    """
    for index in range(start, end):
        line = lines[index]
        if not line.strip() or is_stat_line(line):
            continue
        if notes:
            if _NOT_NOTES.match(line) or _URL_ONLY.fullmatch(line) or _LINK_LINE.match(line):
                continue
            return (ChangelogEntry(current, None, line.strip(), index, line.strip(), exact=False),)
        if len(line) > 300:
            continue
        if current >= 2 and (_REVISION_WORD.search(line) or _opens_with_revision(lines, start, index)):
            return (ChangelogEntry(current, None, line.strip(), index, line.strip(), exact=False),)
        for mention in _VERSION_WORD.finditer(line):
            number = mention.group("n") or mention.group("m")
            if number is not None and not 1 <= parse_number(number) <= current:
                continue
            if _CHANGE_WORD.search(line):
                return (ChangelogEntry(current, None, line.strip(), index, line.strip(), exact=False),)
            break
    return ()


def _opens_with_revision(lines: Sequence[str], start: int, index: int) -> bool:
    """Whether ``lines[index]`` opens a sentence (or a list item) with "Rebased", "Respun": a
    line that only starts with the word because the sentence before it wrapped there ("…the
    actual patch / rebased onto kvm/queue") does not."""
    opening = _REVISION_OPENING.match(lines[index])
    if opening is None:
        return False
    if opening.group("bullet") or index == start:
        return True
    before = lines[index - 1].rstrip()
    return not before or before.endswith((".", ":", "!", "?"))
