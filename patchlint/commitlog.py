"""The commit message of a patch, as the trailer and commit-message rules read it.

Everything here is computed from what a :class:`~patchlint.posting.Posting` exposes (the body
lines, where the message starts and ends, the trailer block git finds): tag lines wherever they
are (git sees only those in the last paragraph), paragraphs, the description without the
trailers, and the stack dumps checkpatch exempts from its line checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from patchlint.posting import Posting
from patchlint.registry import Registry, TrailerSpec
from patchlint.trailers import TrailerBlock

# A tag line as people write it: a key (which, unlike git's, may contain spaces, as DPDK's
# "Bugzilla ID:" does), optional spaces, a colon. Checked against the registry before use.
_TAG = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9 _-]{0,40}?)(?P<before>[ \t]*):(?P<after>[ \t]*)(?P<value>.*)$")

# checkpatch's markers of a stack dump (a kernel oops or WARNING quoted in the log): from such a
# line to the next blank line, long lines and hex numbers are expected.
_STACK_DUMP = (
    re.compile(
        r"^\s*(?:WARNING:|BUG:|Oops|Call Trace:|RIP:|Unable to handle|KASAN:|UBSAN:|general protection"
        r"|CPU: \d+ |Hardware name:|Modules linked in:|kernel BUG at|-+\[ cut here \]-+|==\d+==)"
    ),
    re.compile(r"^\s*\[\s*\d+\.\d{6}\s*\]"),  # [   12.345678] timestamps
    re.compile(r"^\s*\[<[0-9a-fA-F]{8,}>\]"),
    re.compile(r"^(?:\s+\w+:\s+[0-9a-fA-F]+){3}"),  # register dumps
    re.compile(r"^\s*#\d+\s*\[[0-9a-fA-F]+\]\s*\w+ at [0-9a-fA-F]+"),
    re.compile(r"^\s*=+\s*$"),  # KASAN/lockdep banners
)


@dataclass(frozen=True)
class Tag:
    """A ``Key: value`` line whose key the registry knows (or nearly knows), wherever it is.

    ``spec`` is the registry entry (None when the key is only a likely misspelling of one, in
    which case ``suggestion`` is that entry); ``in_block`` tells whether git sees it as a trailer.
    """

    key: str
    value: str
    index: int
    line: str
    spec: TrailerSpec | None
    suggestion: TrailerSpec | None
    in_block: bool

    @property
    def canonical(self) -> str:
        """The registry's spelling of the key (the suggestion for a misspelling)."""
        entry = self.spec or self.suggestion
        return entry.key if entry else self.key


@dataclass(frozen=True, eq=False)
class CommitLog:
    """A patch's commit message: body ``lines`` from ``start`` to ``end`` (exclusive)."""

    lines: tuple[str, ...]
    start: int
    end: int
    block: TrailerBlock

    @classmethod
    def of(cls, posting: Posting) -> CommitLog:
        """The commit message of ``posting`` (after a stable-review preamble, if there is one)."""
        body = posting.body
        preamble = stable_review_preamble(posting)
        start = preamble[0] if preamble else body.message_start
        return cls(body.lines, start, body.message_end, posting.trailers)

    def in_block(self, index: int) -> bool:
        """Whether body line ``index`` is inside git's trailer block."""
        return bool(self.block.trailers) and self.block.start <= index < self.block.end

    @cached_property
    def paragraph_of(self) -> dict[int, int]:
        """Body index → paragraph number (blank lines separate paragraphs)."""
        numbers: dict[int, int] = {}
        number, previous_blank = 0, True
        for index in range(self.start, self.end):
            blank = not self.lines[index].strip()
            if not blank:
                if previous_blank and numbers:
                    number += 1
                numbers[index] = number
            previous_blank = blank
        return numbers

    def description(self) -> list[int]:
        """Indexes of the non-blank lines that are not trailers (nor git comment lines)."""
        found = []
        for index in range(self.start, self.end):
            line = self.lines[index]
            if line.strip() and not self.in_block(index) and not line.startswith("#"):
                found.append(index)
        return found

    def tags(self, registry: Registry) -> list[Tag]:
        """Every unindented line of the message that starts with a known (or misspelled) key."""
        found = []
        for index in range(self.start, self.end):
            tag = self.tag_at(index, registry)
            if tag is not None:
                found.append(tag)
        return found

    def tag_at(self, index: int, registry: Registry) -> Tag | None:
        """The tag on body line ``index``, if the line is one."""
        line = self.lines[index]
        match = _TAG.match(line)
        if match is None:
            return None
        key = match.group("key")
        spec = registry.get(key)
        suggestion = None if spec else registry.suggest(key)
        if spec is None and suggestion is None:
            return None
        return Tag(key, match.group("value").strip(), index, line, spec, suggestion, self.in_block(index))

    @cached_property
    def stack_dump_lines(self) -> frozenset[int]:
        """Indexes of lines inside quoted stack dumps (from a marker to the next blank line)."""
        inside: set[int] = set()
        active = False
        for index in range(self.start, self.end):
            line = self.lines[index]
            if not line.strip():
                active = False
                continue
            if not active and any(p.match(line) for p in _STACK_DUMP):
                active = True
            if active:
                inside.add(index)
        return frozenset(inside)

    def prose(self) -> Iterator[int]:
        """Indexes of description lines outside stack dumps: what a reader reads as text."""
        dumps = self.stack_dump_lines
        for index in self.description():
            if index not in dumps:
                yield index


_PREAMBLE_RULE = re.compile(r"^-{10,}\s*$")
_PREAMBLE_FROM = re.compile(r"^From:\s*(\S.*)$")


def stable_review_preamble(posting: Posting) -> tuple[int, str] | None:
    """Where the commit message starts after a stable-review preamble, and the author it names.

    The stable maintainers post each queued patch as ``4.19-stable review patch.  If anyone has
    any objections, please let me know.``, a line of dashes, then ``From: <author>`` and the
    upstream commit message. The preamble is not part of the commit, and the ``From:`` below it
    is the author (git am looks for in-body headers only at the top, so the model does not
    see it). Returns (body index of the message, the ``From:`` value) or None.
    """
    body = posting.body
    lines = body.lines
    for index in range(body.message_start, min(body.message_start + 6, body.message_end)):
        if not _PREAMBLE_RULE.match(lines[index]):
            continue
        cursor = index + 1
        while cursor < body.message_end and not lines[cursor].strip():
            cursor += 1
        match = _PREAMBLE_FROM.match(lines[cursor]) if cursor < body.message_end else None
        if match is None:
            return None
        cursor += 1
        while cursor < body.message_end and not lines[cursor].strip():
            cursor += 1
        return cursor, match.group(1)
    return None
