"""The commit message of a patch, as the trailer and commit-message rules read it.

Everything here is computed from what a :class:`~patchlint.model.posting.Posting` exposes (the body
lines, where the message starts and ends, the trailer block git finds): tag lines wherever they
are (git sees only those in the last paragraph), paragraphs, the description without the
trailers, and the stack dumps checkpatch exempts from its line checks.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from patchlint.model.cached import cached_property
from typing import NamedTuple

from patchlint.model.headers import Person
from patchlint.model.identity import Address, parse_address
from patchlint.model.posting import Posting
from patchlint.resources.registry import Registry, TrailerSpec, ValueType
from patchlint.model.trailers import Trailer, TrailerBlock

# A tag line as people write it: a key (which, unlike git's, may contain spaces, as DPDK's
# "Bugzilla ID:" does), optional spaces, a colon. Checked against the registry before use.
_TAG = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9 _-]{0,40}?)(?P<before>[ \t]*):(?P<after>[ \t]*)(?P<value>.*)$")

# checkpatch's markers of a stack dump (a kernel oops or WARNING quoted in the log): from such a
# line to the next blank line, long lines and hex numbers are expected. One alternation, so that
# a line is tried in one call rather than one per marker (every line of every log is tried).
_STACK_DUMP = re.compile(
    "|".join(
        f"(?:{pattern})"
        for pattern in (
            (
                r"^\s*(?:WARNING:|BUG:|Oops|Call Trace:|RIP:|Unable to handle|KASAN:|UBSAN:|general protection"
                r"|CPU: \d+ |Hardware name:|Modules linked in:|kernel BUG at|-+\[ cut here \]-+|==\d+==)"
            ),
            r"^\s*\[\s*\d+\.\d{6}\s*\]",  # [   12.345678] timestamps
            r"^\s*\[<[0-9a-fA-F]{8,}>\]",
            r"^(?:\s+\w+:\s+[0-9a-fA-F]+){3}",  # register dumps
            r"^\s*#\d+\s*\[[0-9a-fA-F]+\]\s*\w+ at [0-9a-fA-F]+",
            r"^\s*=+\s*$",  # KASAN/lockdep banners
            # lockdep's lock lines, each in a paragraph of its own under "but task is already
            # holding lock:": the lock's address, its name, its usage bits
            # ("ffff000011021100 (&adap->bus_lock){+.+.}-{3:3}, at: …").
            r"^\s*[0-9a-f]{8,16} \(.+?\)\{[-+.?]{2,}\}",
        )
    )
)

# A kernel log line printed just before the marker, in the same paragraph ("skbuff:
# skb_under_panic: text:ffffffff89b1d008 len:74 …" above "kernel BUG at"): it holds a 64-bit
# kernel address, which prose (whose commit ids are 12 or 40 digits) does not.
_KERNEL_ADDRESS = re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{16}(?![0-9a-fA-F])")

# A line of a kernel report's later paragraphs (KASAN's "Allocated by task", "The buggy address
# belongs to the physical page:", lockdep's chains): a stack frame ("func+0x3f/0x80"), a source
# position ("mm/slub.c:4069"), a 64-bit address, the page dump's fields or the task markers.
_REPORT_LINE = re.compile(
    rf"\b[\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+\b|\S+\.[chS]:\d+\b|{_KERNEL_ADDRESS.pattern}"
    r"|^\s*(?:</?TASK>|(?:raw|page|flags|page_type|page_owner|page dumped because)\b)"
)

# What starts a block of quoted tool output, to the next blank line: a command at a shell prompt
# ("$ make -C metadata", "% ip -d link") or the command lines a build echoes ("gcc -I… -c x.c",
# "as  -c -o x.o x.S"), a compiler's or tool's diagnostic ("x.c:72:4: error:",
# "x.c:12: warning:", "ld: …", "make[2]: *** …", "In file included from x.h:3,", a Python
# traceback, kbuild's "ERROR: modpost: …", a message on a build product such as dt-schema's
# "board.dtb: i2c@80058000: …"), a log line ("2023-06-19 11:35:30 ERROR …") or the header git
# log and git show print above a commit ("commit <40 hex digits> (HEAD -> master, …)", then
# "Author:", "Date:"), or a test result of the Linux Test Project ("nfs07 4 TINFO: …"). Tools
# wrap nothing: the lines after a diagnostic, up to the blank line, are the rest of it (the
# source line quoted, the caret, the note).
_TOOL_OUTPUT = re.compile(
    "|".join(
        f"(?:{pattern})"
        for pattern in (
            r"^[$%] \S",
            # (T… are the Linux Test Project's C library's results: "tst_test.c:1690: TPASS: …".)
            r"^\S+?:\d+(?::\d+)?:\s*(?:fatal error|error|warning|note|Error|Warning|ERROR|WARNING"
            r"|T(?:PASS|FAIL|BROK|CONF|WARN|INFO|DEBUG))\b",
            r"^(?:In file included from |In function |\S+: In function )",
            r"^(?:ld|ld\.lld|ld\.bfd|collect2|gcc|clang|cc1|cc|make|ninja|meson|cmake)(?:\[\d+\])?: ",
            r"^(?:\S*/)?(?:gcc|g\+\+|cc|clang|as|ld|ar|objcopy|nasm|make|ninja)(?:-[\d.]+)?\s+-",
            r"^Traceback \(most recent call last\):",
            r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\S*\s",
            r"^(?:ERROR|WARNING|FATAL): [\w.-]+: ",
            r"^[\w.,@+/-]+\.(?:dtbo?|dtsi?|ko|o): \S",
            r"^commit [0-9a-f]{40}(?: \([^)]*\))?$",
            # The Linux Test Project's shell library's result lines: "nfs07 4 TINFO: …".
            r"^\S+ \d+ T(?:PASS|FAIL|BROK|CONF|WARN|INFO|DEBUG):",
        )
    )
)
# The warning option a compiler diagnostic ends with: "… [-Wincompatible-function-pointer-types]".
_DIAGNOSTIC_END = re.compile(r"\s\[-W[\w=+-]+\]$")

# A Signed-off-by: line (the key in any case), wherever it is.
SIGN_OFF = re.compile(r"^signed-off-by[ \t]*:[ \t]*(.*)$", re.IGNORECASE)

# The fields of a mail's header that no trailer has: a paragraph with one of them is the header
# of a mail quoted in the text (a report, a stable-queue notice), and its To: and Cc: are that
# mail's recipients, not trailers (Outlook quotes "Sent:" for "Date:").
_MAIL_HEADER = re.compile(r"^(?:From|Subject|Date|Sent)[ \t]*:[ \t]", re.IGNORECASE)
# A line under a heading: indented, or an item of a list.
_LIST_ITEM = re.compile(r"^(?:[ \t]+\S|[-*+][ \t]+\S|\d+[.)][ \t]+\S)")
# A value that is a commit (or an issue a tracker closes), as a Fixes: line names one.
_COMMIT_VALUE = re.compile(r"^(?:commit\s+)?[0-9a-fA-F]{5,}\b|^#\d+|^https?://", re.IGNORECASE)


def maybe_sign_off(line: str) -> bool:
    """A cheap test every :data:`SIGN_OFF` line passes: the dash after ``signed`` is there.

    Under IGNORECASE a letter may match another case (even non-ASCII ones: ``ſ`` matches ``s``),
    but a dash matches only itself; most lines fail here without a regular expression.
    """
    return line[6:7] == "-"


def _value_fits(spec: TrailerSpec | None, value: str) -> bool:
    """Whether ``value`` is a value of ``spec``'s type at all (not whether it is well formed):
    a person has an address, a URL a scheme, a commit a hex id."""
    if spec is None:
        return True
    if spec.type is ValueType.PERSON:
        return "@" in value
    if spec.type is ValueType.URL:
        return "://" in value
    if spec.type is ValueType.COMMIT:
        return bool(_COMMIT_VALUE.match(value))
    return bool(value)


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


@dataclass(frozen=True)
class SignOff:
    """A ``Signed-off-by:`` line: its value, the address in it (None if there is none) and its
    body index; ``in_block`` is false for one git does not see as a trailer."""

    value: str
    address: Address | None
    index: int
    in_block: bool


class TagLine(NamedTuple):
    """What a tag line says, wherever it is: the :class:`Tag` less its place in a message (one
    is shared by every message with the same line)."""

    key: str
    value: str
    spec: TrailerSpec | None
    suggestion: TrailerSpec | None


def _read_tag_line(line: str, registry: Registry) -> TagLine | None:
    match = _TAG.match(line)
    if match is None:
        return None
    key = match.group("key")
    spec = registry.get(key)
    suggestion = None if spec else registry.suggest(key)
    if spec is None and suggestion is None:
        return None
    return TagLine(key, match.group("value").strip(), spec, suggestion)


# How many answers a memo of what recurs from patch to patch keeps before it starts again empty:
# far more than the distinct sign-offs and trailer lines of a year of a busy list, and a bound
# on the memory of a run over any archive.
MEMO_LIMIT = 10_000


@dataclass(eq=False)
class Recurring:
    """What recurs in a commit log, parsed once: the key and value :data:`_TAG` finds on a
    line, and :func:`~patchlint.model.identity.parse_address` answers (several rules ask about
    the same sign-off). Each log has its own: sharing one across the postings of a
    5,000-message archive saved nothing measurable. Each memo
    starts again empty when it holds :data:`MEMO_LIMIT` answers.
    """

    # Per registry (keyed by id(); the registry is kept in the entry, so that the id cannot be
    # reused while the entry lives): line -> its tag's key, value, spec and suggestion, or None.
    _tag_lines: dict[int, tuple[Registry, dict[str, TagLine | None]]] = field(default_factory=dict, repr=False)
    _addresses: dict[str, Address | None] = field(default_factory=dict, repr=False)

    def tag_line(self, line: str, registry: Registry) -> TagLine | None:
        """What the tag ``line`` starts with says, or None when it starts with none."""
        entry = self._tag_lines.get(id(registry))
        if entry is None:
            entry = self._tag_lines[id(registry)] = (registry, {})
        memo = entry[1]
        try:
            return memo[line]
        except KeyError:
            pass
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        found = memo[line] = _read_tag_line(line, registry)
        return found

    def address(self, value: str) -> Address | None:
        """:func:`~patchlint.model.identity.parse_address` of ``value``."""
        try:
            return self._addresses[value]
        except KeyError:
            pass
        if len(self._addresses) >= MEMO_LIMIT:
            self._addresses.clear()
        found = self._addresses[value] = parse_address(value)
        return found


@dataclass(frozen=True, eq=False)
class CommitLog:
    """A patch's commit message: body ``lines`` from ``start`` to ``end`` (exclusive).

    ``author`` and ``sender`` are the patch author and the mail's sender as the sign-off rules
    compare them (see :meth:`of`). One log is built per posting and read by a dozen rules, so
    what they all need is worked out once and kept here, the lines every run reads (sign-offs,
    colon and comment lines) when the log is built, the rest (tags, stack dumps, paragraphs)
    on first use; a rule reads it from the log rather than from the lines again.
    ``recurring`` parses what recurs in the log (see :class:`Recurring`).
    """

    lines: tuple[str, ...]
    start: int
    end: int
    block: TrailerBlock
    author: Person | None = None
    sender: Person | None = None
    recurring: Recurring = field(default_factory=Recurring, repr=False)
    carried: range = range(0)
    """The body indexes of the text a stable backport carries from the commit it backports
    (empty for any other patch): from below its ``[ Upstream commit <id> ]`` (or ``commit <id>
    upstream.``) line to the end of the first paragraph of trailers with a sign-off, which holds
    upstream's trailers and the sign-offs the stable trees' tools add to them (AUTOSEL's, the
    stable queue's). That text was reviewed and applied upstream and is copied verbatim: it is
    not the backporter's to rewrap or respell, and the commit-message rules judge only what the
    backporter wrote around it (see :meth:`is_carried`)."""
    notes: tuple[int, int] = (0, 0)
    """The body indexes (start, end) of the notes below ``---``, which git am drops."""
    block_lines: range = field(init=False, repr=False)
    """The body indexes of git's trailer block (empty when git finds no trailers)."""
    trailer_keys: tuple[str, ...] = field(init=False, repr=False)
    """The ``normalized_key`` of each of ``block.trailers``, in the same order."""
    colon_lines: tuple[int, ...] = field(init=False, repr=False)
    """Indexes of the lines with a colon: the only ones that can be tags or sign-offs."""
    comment_lines: tuple[int, ...] = field(init=False, repr=False)
    """Indexes of the lines that start with ``#`` (git's comment lines)."""
    sign_offs: tuple[SignOff, ...] = field(init=False, repr=False)
    """The ``Signed-off-by:`` lines of the message, wherever they are in it (as checkpatch counts
    them: a sign-off outside the trailer block still certifies; its placement is another rule's
    business), with the value git joins with its continuation lines where git sees a trailer."""
    signers: tuple[SignOff, ...] = field(init=False, repr=False)
    """The sign-offs that have an address: the ones that certify."""
    # Tag lines per registry (keyed by id(); the registry is kept in the entry, so that the id
    # cannot be reused while the entry lives).
    _tags: dict[int, tuple[Registry, dict[int, TagLine]]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        lines, start, end, block = self.lines, self.start, self.end, self.block
        object.__setattr__(self, "block_lines", range(block.start, block.end) if block.trailers else range(0))
        object.__setattr__(self, "trailer_keys", tuple([trailer.key.lower() for trailer in block.trailers]))
        # One pass over the lines for both (reading every line of every message is the costly
        # part), then each from the few lines it found.
        marked = [index for index in range(start, end) if ":" in (line := lines[index]) or line[:1] == "#"]
        colon_lines = tuple([index for index in marked if ":" in lines[index]])
        object.__setattr__(self, "colon_lines", colon_lines)
        object.__setattr__(self, "comment_lines", tuple([index for index in marked if lines[index][:1] == "#"]))
        # A sign-off has a colon; maybe_sign_off(), inlined, leaves out most of those lines.
        sign_offs: list[SignOff] = []
        candidates = [index for index in colon_lines if lines[index][6:7] == "-"]
        address = self.recurring.address
        for index in candidates:
            match = SIGN_OFF.match(lines[index])
            if match is None:
                continue
            value = match.group(1).strip()
            if index in self.block_lines:  # a trailer: its value as git joins it
                for trailer, key in zip(block.trailers, self.trailer_keys):
                    if trailer.index == index:
                        if key == "signed-off-by":
                            value = trailer.value
                        break
            sign_offs.append(SignOff(value, address(value), index, index in self.block_lines))
        object.__setattr__(self, "sign_offs", tuple(sign_offs))
        object.__setattr__(self, "signers", tuple([s for s in sign_offs if s.address is not None]))

    @classmethod
    def of(cls, posting: Posting) -> CommitLog:
        """The commit message of ``posting`` (after a stable-review preamble, if there is one);
        :attr:`Posting.commit_log` is the one the rules read. Its author and sender are
        the posting's (:attr:`Posting.author`, :attr:`Posting.original_sender`): who they are
        is decided in the model, once, for ``patchlint show`` and the rules alike."""
        body = posting.body
        preamble = posting.stable_preamble
        start = preamble[0] if preamble else body.message_start
        return cls(
            body.lines, start, body.message_end, posting.trailers, posting.author,
            posting.original_sender, Recurring(),
            _carried(body.lines, posting.upstream_line, body.message_end), body.notes_range,
        )

    def addressed(self, keys: frozenset[str] | set[str]) -> Iterator[tuple[Trailer, Address]]:
        """The trailers named ``keys`` (lower case) that carry an address, with it parsed; a
        trailer without any address is malformed-trailer's to report, and one a backport carries
        from upstream (:attr:`carried`) is not the sender's."""
        for key, trailer in zip(self.trailer_keys, self.block.trailers):
            if key in keys and not self.is_carried(trailer.index):
                address = self.address(trailer.value)
                if address is not None:
                    yield trailer, address

    @cached_property
    def dropped_sign_offs(self) -> tuple[int, ...]:
        """Body indexes of ``Signed-off-by:`` lines below ``---``, where git am drops them,
        other than repeats of a sign-off of the message (a repeat loses nothing)."""
        start, end = self.notes
        lines = self.lines
        # maybe_sign_off(), inlined: it runs over every line of the notes and the diffstat
        found = [
            (i, match) for i in range(start, end) if lines[i][6:7] == "-" and (match := SIGN_OFF.match(lines[i]))
        ]
        if not found:
            return ()
        above = {"".join(s.value.split()).casefold() for s in self.sign_offs}
        return tuple(i for i, match in found if "".join(match.group(1).split()).casefold() not in above)

    def is_carried(self, index: int) -> bool:
        """Whether body line ``index`` is text a backport carries from upstream (:attr:`carried`):
        what the rules that judge how a message is written leave alone."""
        return index in self.carried

    def in_block(self, index: int) -> bool:
        """Whether body line ``index`` is inside git's trailer block."""
        return index in self.block_lines

    def address(self, value: str) -> Address | None:
        """:func:`~patchlint.model.identity.parse_address` of ``value`` (parsed once for all the rules,
        and for the patches that repeat it)."""
        return self.recurring.address(value)

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

    def is_description(self, index: int) -> bool:
        """Whether body line ``index`` is one of :meth:`description`'s (a rule that needs only a
        few lines asks about those, rather than about every line of the message)."""
        if not self.start <= index < self.end:
            return False
        line = self.lines[index]
        return bool(line.strip()) and not self.in_block(index) and not line.startswith("#")

    def description(self) -> list[int]:
        """Indexes of the non-blank lines that are not trailers (nor git comment lines)."""
        return [index for index in range(self.start, self.end) if self.is_description(index)]

    def has_description(self) -> bool:
        """Whether :meth:`description` has a line (found at the first one)."""
        for index in range(self.start, self.end):
            if self.is_description(index):
                return True
        return False

    def tags(self, registry: Registry) -> list[Tag]:
        """Every unindented line of the message that starts with a known (or misspelled) key,
        except, outside git's trailer block, lines that are text (see :meth:`tag_lines`)."""
        return [self.tag_from(index, found) for index, found in self.tag_lines(registry).items()]

    def tag_at(self, index: int, registry: Registry) -> Tag | None:
        """The tag on body line ``index``, if the line is one."""
        if self.start <= index < self.end:
            found = self.tag_lines(registry).get(index)
        else:
            found = self.recurring.tag_line(self.lines[index], registry)
        return self.tag_from(index, found) if found is not None else None

    def tag_lines(self, registry: Registry) -> dict[int, TagLine]:
        """Body index -> what the tag there says, in line order, for the lines of :meth:`tags`
        (a rule that wants few of them picks those before it makes a :class:`Tag` of them).

        Inside git's trailer block every ``Key: value`` line is a trailer, as git says. Outside
        it, a line that starts like a tag is text when it is a heading (``Fixes:`` with nothing
        after the colon, over indented or bulleted lines: buildroot's list of autobuild
        failures), when its key is a plain word (``To``, ``Cc``, ``Fixes``: no ``-``) and its
        value is not of the key's type (``To : build it again, …``: no address; a commit key
        without a hex id), or when it is in the header of a mail quoted in the text (a paragraph
        with a ``From:``, ``Subject:``, ``Date:`` or ``Sent:`` line). Such lines are not
        misplaced trailers.
        """
        entry = self._tags.get(id(registry))
        if entry is None:
            found = {}
            tag_line = self.recurring.tag_line
            for index in self.colon_lines:  # _TAG needs a colon: most lines are not tried
                tag = tag_line(self.lines[index], registry)
                if tag is not None and not self._reads_as_text(index, tag):
                    found[index] = tag
            entry = self._tags[id(registry)] = (registry, found)
        return entry[1]

    def is_text(self, index: int, registry: Registry) -> bool:
        """Whether body line ``index`` starts like a tag (``Key:``) but is text: what
        :meth:`tag_lines` leaves out (see there)."""
        tag = self.recurring.tag_line(self.lines[index], registry)
        return tag is not None and self._reads_as_text(index, tag)

    def _reads_as_text(self, index: int, tag: TagLine) -> bool:
        # Inside git's trailer block git decides: every "Key: value" there is a trailer.
        if self.in_block(index):
            return False
        lines = self.lines
        following = lines[index + 1] if index + 1 < self.end else ""
        if not tag.value and _LIST_ITEM.match(following):
            # "Fixes:" over a list of build-failure URLs (buildroot's habit): a heading of the
            # indented or bulleted lines below it, unless they are the commit id it lost to a
            # line break.
            spec = tag.spec or tag.suggestion
            wrapped = spec is not None and spec.type is ValueType.COMMIT and _COMMIT_VALUE.match(following.strip())
            if not wrapped:
                return True
            return self._in_quoted_header(index)
        if "-" not in tag.key and not _value_fits(tag.spec, tag.value):
            # A key that is also a word ("To :", "Cc:", "Fixes:") starting a sentence: a tag
            # line would carry a value of its type (an address, a commit id, a URL).
            return True
        return self._in_quoted_header(index)

    def _in_quoted_header(self, index: int) -> bool:
        """Whether line ``index`` is in a paragraph with a From:, Subject:, Date: or Sent: line:
        the header of a mail quoted in the text."""
        paragraphs = self.paragraph_of
        number = paragraphs.get(index)
        if number is None:
            return False
        lines = self.lines
        cursor = index
        while cursor > self.start and paragraphs.get(cursor - 1) == number:
            cursor -= 1
        while paragraphs.get(cursor) == number:
            if _MAIL_HEADER.match(lines[cursor]):
                return True
            cursor += 1
        return False

    def tag_from(self, index: int, found: TagLine) -> Tag:
        """The :class:`Tag` on body line ``index``, which says ``found``."""
        key, value, spec, suggestion = found
        return Tag(key, value, index, self.lines[index], spec, suggestion, self.in_block(index))

    @cached_property
    def stack_dump_lines(self) -> frozenset[int]:
        """Indexes of lines inside quoted stack dumps: from a marker to the next blank line, and
        the kernel log lines with an address just above the marker (the panic's own message).
        A report goes on after a blank line while the next paragraph is mostly report lines
        (frames, source positions, addresses: KASAN's "Allocated by task …" and "The buggy
        address belongs to …" paragraphs); the first paragraph of prose ends it."""
        inside: set[int] = set()
        active = False
        report = False  # a marker was seen and no paragraph of prose came since
        marker = _STACK_DUMP.match
        for index in range(self.start, self.end):
            line = self.lines[index]
            if not line.strip():
                active = False
                continue
            if not active and report:  # the first line of a paragraph after the report's
                active = report = self._mostly_report(index)
            if not active and marker(line):
                active = True
                above = index - 1
                while above >= self.start and _KERNEL_ADDRESS.search(self.lines[above]) and above not in inside:
                    inside.add(above)
                    above -= 1
            if active:
                report = True
                inside.add(index)
        return frozenset(inside)

    def _mostly_report(self, first: int) -> bool:
        """Whether at least half the lines of the paragraph from ``first`` are report lines."""
        lines = list(itertools.takewhile(str.strip, self.lines[first : self.end]))
        return 2 * sum(1 for line in lines if _REPORT_LINE.search(line)) >= len(lines)

    @cached_property
    def tool_output_lines(self) -> frozenset[int]:
        """Indexes of lines of quoted tool output: from a line that starts it (a command at a
        shell prompt, a compiler's or tool's diagnostic, a timestamped log line) to the next
        blank line, and any line ending in a compiler's ``[-Wwarning-option]``. Output is
        quoted as the tool wrote it, not wrapped."""
        inside: set[int] = set()
        active = False
        starts = _TOOL_OUTPUT.match
        for index in range(self.start, self.end):
            line = self.lines[index]
            if not line.strip():
                active = False
                continue
            if not active and starts(line):
                active = True
            if active or (line.endswith("]") and _DIAGNOSTIC_END.search(line)):
                inside.add(index)
        return frozenset(inside)

    @cached_property
    def quoted_output_lines(self) -> frozenset[int]:
        """Indexes of the lines quoted from a program rather than written: stack dumps and
        other tool output."""
        return self.stack_dump_lines | self.tool_output_lines

    def prose(self) -> Iterator[int]:
        """Indexes of description lines outside quoted output: what a reader reads as text."""
        dumps = self.quoted_output_lines
        for index in self.description():
            if index not in dumps:
                yield index


def _carried(lines: tuple[str, ...] | list[str], upstream: int | None, end: int) -> range:
    """:attr:`CommitLog.carried` of a message whose upstream line is at ``upstream`` (None: not
    a backport): to the end of the first paragraph with a ``Signed-off-by:`` line below it."""
    if upstream is None:
        return range(0)
    index = upstream + 1
    while index < end and not (maybe_sign_off(lines[index]) and SIGN_OFF.match(lines[index])):
        index += 1
    while index < end and lines[index].strip():
        index += 1
    return range(upstream + 1, index)
