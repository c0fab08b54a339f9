"""Mail headers: a fast scan of the header block, decoded only when asked.

The stdlib's full parser costs more than everything else patchlint does to a reply, so the header
block is split and unfolded by hand; RFC 2047 words are decoded per field, on demand.
"""

from __future__ import annotations

import email.base64mime
import email.quoprimime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.charset import Charset
from email.utils import getaddresses, parseaddr
from patchlint.model.cached import cached_property

from patchlint.model import charsets

_FIELD = re.compile(r"([!-9;-~]+)[ \t]*:[ \t]?(.*)")
# The fields every posting is asked for, found without walking the other (Received, DKIM …) ones.
COMMON = frozenset({
    "from", "subject", "date", "message-id", "in-reply-to", "references",
    "content-type", "content-transfer-encoding",
    "list-id",  # asked for every posting, to choose its profile
})
_COMMON_ALTERNATIVES = "|".join(sorted(COMMON, key=len, reverse=True)).encode()
_COMMON_VALUE = rb")[ \t]*:[ \t]?([^\n]*(?:\n[ \t][^\n]*)*)"
_COMMON_NAME = re.compile(rb"\n(" + _COMMON_ALTERNATIVES + _COMMON_VALUE)
_COMMON_AT_START = re.compile(rb"(" + _COMMON_ALTERNATIVES + _COMMON_VALUE)
_BLOCK_FIELD = re.compile(r"^([!-9;-~]+)[ \t]*:[ \t]?([^\n]*(?:\n[ \t][^\n]*)*)", re.MULTILINE)


@dataclass(frozen=True)
class Header:
    """One header field: its name as written, its unfolded raw value and its first line."""

    name: str
    value: str
    line: int


@dataclass(frozen=True)
class Person:
    """A name and an address, the name decoded from RFC 2047."""

    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else f"<{self.email}>"

    @property
    def email_key(self) -> str:
        """The address in the form used to compare identities (case-folded)."""
        return self.email.strip().lower()


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words (``=?utf-8?b?…?=``); plain text comes back unchanged.

    The result is the standard library's ``str(make_header(decode_header(value)))``, step for
    step, with two differences: the words are found by a forward scan (the stdlib's pattern
    rescans the rest of the value from every ``=?``: quadratic on a long subject), and nothing
    raises. A value with a word in an unknown charset (or one that does not decode it), broken
    base64, or raw 8-bit text beside the words comes back as written rather than guessed at.
    """
    if "=?" not in value:
        return value
    words: list[tuple[str, str | None, str | None]] = []  # (text, encoding, charset)
    for line in value.splitlines():
        at, first = 0, True
        while True:
            word = _next_word(line, at)
            unencoded = line[at:] if word is None else line[at : word[0]]
            if first:
                unencoded, first = unencoded.lstrip(), False
            if unencoded:
                words.append((unencoded, None, None))
            if word is None:
                break
            _start, at, charset, encoding, payload = word
            words.append((payload, encoding, charset))
    if not any(encoding for _, encoding, _ in words):
        return value
    # Blanks between two encoded words are not text (RFC 2047 6.2).
    dropped = {
        number - 1 for number, word in enumerate(words)
        if number > 1 and word[1] and words[number - 2][1] and words[number - 1][0].isspace()
    }
    collapsed: list[tuple[bytes, str | None]] = []
    for number, (text, encoding, charset) in enumerate(words):
        if number in dropped:
            continue
        if encoding == "b":
            try:
                raw = email.base64mime.decode(text + "==="[: (4 - len(text) % 4) % 4])
            except ValueError:  # binascii.Error: broken base64
                return value
        else:
            raw = bytes(email.quoprimime.header_decode(text) if encoding == "q" else text, "raw-unicode-escape")
        if collapsed and collapsed[-1][1] == charset:
            joiner = b" " if charset is None else b""
            collapsed[-1] = (collapsed[-1][0] + joiner + raw, charset)
        else:
            collapsed.append((raw, charset))
    chunks: list[tuple[str, str]] = []
    for raw, charset in collapsed:
        try:
            declared = Charset(charset if charset is not None else "us-ascii")
        except Exception:  # CharsetError, UnicodeError: a charset name that is not ASCII
            return value
        name, codec = str(declared), declared.input_codec or "us-ascii"
        if codec == "unknown-8bit":
            text = raw.decode("ascii", "replace")
        else:
            try:
                text = charsets.decode(raw, codec)
            except charsets.CharsetError:
                return value
        if chunks and chunks[-1][1] == name:
            chunks[-1] = (f"{chunks[-1][0]} {text}", name)
        else:
            chunks.append((text, name))
    return _join_chunks(chunks)


def _next_word(line: str, at: int) -> tuple[int, int, str, str, str] | None:
    """The next encoded word ``=?charset?q|b?payload?=`` at or after ``at``: (start, end,
    charset in lower case, encoding in lower case, payload), or None when there is none."""
    while True:
        start = line.find("=?", at)
        if start == -1:
            return None
        mark = line.find("?", start + 2)
        if mark == -1:
            return None
        encoding = line[mark + 1 : mark + 2]
        if encoding in ("q", "Q", "b", "B") and line.startswith("?", mark + 2):
            close = line.find("?=", mark + 3)
            if close == -1:
                return None  # no word can end after this point, from this start or a later one
            return start, close + 2, line[start + 2 : mark].lower(), encoding.lower(), line[mark + 3 : close]
        at = start + 1


def _join_chunks(chunks: list[tuple[str, str]]) -> str:
    """Decoded chunks joined as ``email.header.Header.__str__`` joins them: a space between an
    encoded word and plain text that has no blank (or parenthesis) between them."""
    out: list[str] = []
    last: str | None = None
    last_space = False
    for text, charset in chunks:
        current: str | None = charset
        if out:
            has_space = bool(text) and _blank(text[0])
            if last not in (None, "us-ascii"):
                if current in (None, "us-ascii") and not has_space:
                    out.append(" ")
                    current = None
            elif current not in (None, "us-ascii") and not last_space:
                out.append(" ")
        last_space = bool(text) and _blank(text[-1])
        last = current
        out.append(text)
    return "".join(out)


def _blank(char: str) -> bool:
    return char.isspace() or char in ("(", ")", "\\")


def parse_person(value: str) -> Person | None:
    """Parse one ``Name <address>`` (raw header text); None when there is no address at all."""
    plain = _plain_person(value)
    if plain:  # the common case, without the stdlib's general (and slow) address parser
        return Person(decode_words(plain[0]).strip(), plain[1])
    try:
        name, email = parseaddr(value)
    except RecursionError:  # the stdlib recurses once per nested "(" comment or ":" group
        return None
    if not email and not name:
        return None
    return Person(decode_words(name).strip(), email.strip())


def parse_people(value: str) -> tuple[Person, ...]:
    """Parse an address list (To, Cc) into people, names decoded (none when the list nests
    comments or groups deeper than the stdlib's parser can recurse)."""
    try:
        pairs = getaddresses([value])
    except RecursionError:
        return ()
    return tuple(Person(decode_words(name).strip(), email.strip()) for name, email in pairs if email)


def _plain_person(value: str) -> tuple[str, str] | None:
    """``(name, address)`` of ``Name <user@host>`` or ``"Name" <user@host>`` with nothing the
    full RFC 5322 grammar is needed for; None otherwise.

    Cut at the first ``<`` rather than matched by one pattern: blanks around an optional quote
    around a name that may itself hold blanks can be split in many ways, and a pattern that
    tries them takes quadratic time on a long run of blanks.
    """
    at = value.find("<")
    if at == -1:
        return None
    name = value[:at].strip()
    if name.startswith('"'):
        name = name[1:]
    if name.endswith('"'):
        name = name[:-1]
    if _NOT_IN_PLAIN_NAME.search(name):
        return None
    address = _PLAIN_ADDRESS.fullmatch(value, at)
    return (name, address.group(1)) if address else None


def split_head(data: bytes) -> tuple[bytes, int, int]:
    """Split a raw message into ``(header bytes, body offset, body's first line number)``.

    The body offset is -1 when the message has no blank line (headers only).
    """
    end = data.find(b"\n\n")
    # A CRLF blank line can only come first if it ends before the first LF one does. (Most
    # messages have no CR at all: one byte search, at memchr speed, tells them.)
    limit = end + 2 if end != -1 else len(data)
    crlf = data.find(b"\r\n\r\n", 0, limit) if data.find(b"\r", 0, limit) != -1 else -1
    if crlf != -1 and (end == -1 or crlf < end):
        head, offset = data[:crlf], crlf + 4
    elif end != -1:
        head, offset = data[:end], end + 2
    elif data.startswith(b"\n") or data.startswith(b"\r\n"):
        return b"", data.find(b"\n") + 1, 2
    else:
        return data, -1, 0
    return head, offset, head.count(b"\n") + 3


# Where one common field stands in a header block: its name's start and end, its value's start
# and end (byte offsets), and its line.
_Span = tuple[int, int, int, int, int]


def _common_spans(data: bytes) -> dict[str, list[_Span]]:
    """Where the :data:`COMMON` fields of a header block are, in one pass over its bytes (the
    fields themselves are built when asked for: a reply needs its Message-ID alone)."""
    lowered = data.lower()  # ASCII-only lowering keeps every offset: values are cut from data
    found: dict[str, list[_Span]] = {}
    first = _COMMON_AT_START.match(lowered)
    matches = [first] if first else []
    matches.extend(_COMMON_NAME.finditer(lowered))
    lineno, counted = 1, 0
    for match in matches:
        start = match.start(1)
        lineno += data.count(b"\n", counted, start)  # matches come in order: count on from the last
        counted = start
        found.setdefault(match.group(1).decode("ascii"), []).append((start, match.end(1), *match.span(2), lineno))
    return found


def _common_field(data: bytes, span: _Span) -> Header:
    """The field of ``data`` at ``span`` (see :func:`_common_spans`), unfolded."""
    start, name_end, value_start, value_end, lineno = span
    value = data[value_start:value_end]
    if b"\n" in value:  # unfolding removes only the line breaks (RFC 5322 2.2.3)
        value = value.replace(b"\r", b"").replace(b"\n", b"")
    return Header(data[start:name_end].decode("ascii"), decode_header_bytes(value).strip(), lineno)


def find_subject(head: bytes) -> str | None:
    """The first ``Subject:`` field of a header block, unfolded and decoded, found without
    parsing the other fields (what classifying a reply needs); None when it is not written in
    the usual case, so the caller falls back to :class:`Headers`. Only the one space after the
    colon is removed: stray whitespace stays, to be judged (or stripped by the caller)."""
    if head.startswith(b"Subject:"):
        start = 8
    else:
        at = head.find(b"\nSubject:")
        if at == -1:
            return None
        start = at + 9
    end = head.find(b"\n", start)
    while end != -1 and head[end + 1 : end + 2] in (b" ", b"\t"):
        end = head.find(b"\n", end + 1)
    value = head[start:] if end == -1 else head[start:end]
    if b"\n" in value:
        value = value.replace(b"\r", b"").replace(b"\n", b"")
    text = decode_header_bytes(value)
    text = text[1:] if text.startswith(" ") else text
    return decode_words(text.rstrip("\r"))


def decode_header_bytes(head: bytes) -> str:
    """Header bytes as text: UTF-8 if valid (raw 8-bit headers are common), else Latin-1."""
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError:
        return head.decode("latin-1")


@dataclass(frozen=True)
class Headers:
    """The header fields of a message, with case-insensitive lookup.

    Built from the header block's bytes. The fields a posting always needs (:data:`COMMON`) are
    found by one targeted search; the full list of fields, and the defects of a damaged block,
    are worked out only when asked for, since a lore mail carries some seventy header lines.
    """

    data: bytes

    @classmethod
    def parse(cls, text: str) -> Headers:
        """The headers of a header block given as text (no trailing blank line)."""
        return cls(text.encode("utf-8", "surrogatepass"))

    @cached_property
    def text(self) -> str:
        """The header block as text (UTF-8, or Latin-1 when it is not valid UTF-8)."""
        return decode_header_bytes(self.data)

    @cached_property
    def fields(self) -> tuple[Header, ...]:
        """Every field in order, unfolded."""
        return tuple(self._headers(_BLOCK_FIELD.finditer(self.text)))

    @cached_property
    def defects(self) -> tuple[str, ...]:
        """A description of each line that is neither a field nor a continuation line."""
        covered = 0
        for match in _BLOCK_FIELD.finditer(self.text):
            if match.start() != covered:
                return self._defects(self.text)
            covered = match.end() + 1
        return () if covered >= len(self.text) else self._defects(self.text)

    @cached_property
    def _common(self) -> dict[str, list[_Span]]:
        # One pass of a bytes pattern anchored on line breaks, instead of walking every
        # (Received, DKIM …) field: most postings need nothing else.
        return _common_spans(self.data)

    @cached_property
    def _common_built(self) -> dict[str, list[Header]]:
        return {}

    @cached_property
    def _index(self) -> dict[str, list[Header]]:
        index: dict[str, list[Header]] = {}
        for field in self.fields:
            index.setdefault(field.name.lower(), []).append(field)
        return index

    def _headers(self, matches: Iterable[re.Match[str]]) -> Iterator[Header]:
        text = self.text
        lineno, previous = 1, 0
        for match in matches:
            start = match.start()
            lineno += text.count("\n", previous, start)
            previous = start
            value = match.group(2)
            if "\n" in value:  # unfolding removes only the line breaks (RFC 5322 2.2.3)
                value = value.replace("\r", "").replace("\n", "")
            yield Header(match.group(1), value.strip(), lineno)

    def _lookup(self, name: str) -> list[Header]:
        key = name.lower()
        if key not in COMMON:
            return self._index.get(key, [])
        built = self._common_built
        found = built.get(key)
        if found is None:
            data = self.data
            found = built[key] = [_common_field(data, span) for span in self._common.get(key, ())]
        return found

    @property
    def present(self) -> bool:
        """True when the block has at least one header field."""
        return bool(self._lookup("from") or self._lookup("subject")) or bool(self.fields)

    @staticmethod
    def _defects(text: str) -> tuple[str, ...]:
        defects: list[str] = []
        in_field = False
        for lineno, line in enumerate(text.split("\n"), 1):
            line = line.rstrip("\r")
            if line[:1] in (" ", "\t"):
                if not in_field:
                    defects.append(f"line {lineno}: continuation line with no header before it")
                continue
            in_field = bool(line) and _FIELD.match(line) is not None
            if line and not in_field:
                defects.append(f"line {lineno}: not a header field: {line[:60]!r}")
        return tuple(defects)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The raw value of the first field called ``name``."""
        found = self._lookup(name)
        return found[0].value if found else default

    def get_all(self, name: str) -> list[Header]:
        """Every field called ``name``, in order."""
        return list(self._lookup(name))

    def line_of(self, name: str) -> int | None:
        """The message line of the first field called ``name``."""
        found = self._lookup(name)
        return found[0].line if found else None

    def decoded(self, name: str) -> str | None:
        """The first field called ``name`` with RFC 2047 words decoded."""
        value = self.get(name)
        return None if value is None else decode_words(value)


# What _plain_person() accepts: a name without these characters, and an address in brackets
# whose first "@" after its first character splits it (a local part of "@"s, matched by a
# pattern that lets either side take them, would be tried at every "@").
_NOT_IN_PLAIN_NAME = re.compile(r'["<>(),;:\\@]')
_PLAIN_ADDRESS = re.compile(r'<([^<>\s()"\\,;:][^<>\s()"\\,;:@]*@[^<>\s()"\\,;:]+)>\s*')

_MSGID = re.compile(r"<([^<>\s]+)>")
_LIST_ID = re.compile(r"<\s*([^<>\s]+)\s*>")
_BARE_LIST_ID = re.compile(r"[\w.+-]+\.[\w.+-]+")


def parse_list_id(value: str) -> str | None:
    """The list identifier of a ``List-Id:`` value (RFC 2919), lower-cased: ``ltp.lists.linux.it``
    for ``Linux Test Project <ltp.lists.linux.it>``. The display name is dropped; a value without
    angle brackets counts when it is one dotted word (some list software writes it bare).
    None when the value names no list."""
    found = _LIST_ID.findall(value)
    if found:
        return found[-1].lower()
    bare = value.strip()
    return bare.lower() if _BARE_LIST_ID.fullmatch(bare) else None


def message_ids(value: str | None) -> tuple[str, ...]:
    """The ``<id>`` tokens of a Message-ID, In-Reply-To or References value, without brackets."""
    if not value:
        return ()
    found = _MSGID.findall(value)
    if found:
        return tuple(found)
    bare = value.strip()
    return (bare,) if bare and " " not in bare else ()


# "Name via list": found where a run of blanks starts (lazily matched from the start of the
# name, a long run of blanks was rescanned from each of its positions).
_VIA = re.compile(r"(?<!\s)\s+via\s+\S", re.IGNORECASE)


def unmask_sender(headers: Headers, sender: Person | None) -> Person | None:
    """The real sender of a mail a list rewrote for DMARC (``Jane via list <list@…>``).

    Lists that rewrite ``From:`` (Mailman's ``from_is_list``, Google Groups, groups.io) name the
    sender ``Name via list`` and keep the original in ``X-Original-From:`` or ``Reply-To:``;
    without either, the name before ``via`` is kept with the list's address (names still match).
    A sender that was not rewritten comes back unchanged, without a look at the other headers.
    """
    if sender is None:
        return None
    via = _VIA.search(sender.name)
    if via is None:
        return sender
    for field in ("X-Original-From", "Reply-To"):
        value = headers.get(field)
        original = parse_person(value) if value else None
        if original is not None and original.email and original.email.lower() != sender.email.lower():
            return original
    return Person(sender.name[: via.start()].strip(" '\""), sender.email)
