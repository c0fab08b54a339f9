"""How a message travelled: MIME structure, encodings and charsets, and the decoded body text.

The facts are what the transport rules (PL5xx) judge: they are gathered while the body is decoded
once, with cheap C-level tests (``bytes.isascii``, ``in``), so a posting pays for nothing it does
not use.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import quopri
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import TypeVar

from patchlint.model import charsets
from patchlint.model.delivery import is_footer_text, list_references, names_the_list, trailing_block
from patchlint.model.flowed import Flowed, flowed_params, split_lines, unflow_chunks
from patchlint.model.headers import Headers

T = TypeVar("T")


@dataclass(frozen=True)
class MimePart:
    """One leaf part of a multipart message.

    ``line`` is the message line where the part's own headers start (0 when it could not be
    found); ``diff`` says whether its decoded payload holds a diff.
    """

    content_type: str
    filename: str | None
    attachment: bool
    diff: bool
    line: int
    list_footer: bool = False


@dataclass(frozen=True)
class Transport:
    """Transport facts of a message, as declared and as found.

    ``lines_exact`` says whether body line *i* is message line ``body_line + i`` (true for a
    single 7bit/8bit part); otherwise ``line_map``, when set, gives for each body line its offset
    in lines from the start of the message body (quoted-printable soft breaks, a multipart's
    first text part), and line numbers past it are approximate.

    ``charset_error`` says why the declared charset did not decode the body; ``eight_bit`` that
    the (transfer-decoded) body holds bytes outside ASCII; ``encoded_cr`` that a quoted-printable
    or base64 payload carries CR LF line ends, which git am keeps (and warns about).
    ``hunk_bytes`` says that lines of the diff's hunks hold bytes the declared charset does not
    decode, while the rest of the text is that charset: the patched file's own encoding (a
    Latin-1 source file), which git am applies byte for byte and does not convert.

    What the delivering list did (see :mod:`patchlint.model.delivery`): ``list_footer`` is
    ``"part"`` when the list added its footer as a MIME part (left out of the text, and marked
    in ``parts``), ``"inline"`` when it appended it to the text; ``list_wrapped`` that the list
    wrapped the sender's mail in ``multipart/mixed`` for that part, so the sender's own mail was
    ``sender_content_type``; ``list_reencoded`` that it rewrote the body to append its footer,
    so ``transfer_encoding`` is the list's choice, not the sender's.

    ``flowed`` says what decoding the format=flowed text did (see :mod:`patchlint.model.flowed`):
    the body text is then the text git mailinfo makes of it, soft line breaks rejoined and
    space-stuffing removed.
    """

    content_type: str
    charset: str | None
    transfer_encoding: str
    multipart: bool
    format_flowed: bool
    crlf: bool
    html: bool
    attachments: tuple[str, ...]
    decode_error: str | None
    lines_exact: bool
    charset_error: str | None = None
    eight_bit: bool = False
    encoded_cr: bool = False
    line_map: tuple[int, ...] | None = None
    parts: tuple[MimePart, ...] = ()
    signed: bool = False
    hunk_bytes: bool = False
    list_footer: str | None = None
    list_wrapped: bool = False
    list_reencoded: bool = False
    sender_content_type: str = ""
    flowed: Flowed | None = None

    @property
    def sender_multipart(self) -> bool:
        """Whether the mail was multipart as its sender sent it (not as the list wrapped it)."""
        return (self.sender_content_type or self.content_type).startswith("multipart/")

    @property
    def undeclared_8bit(self) -> bool:
        """8-bit bytes in a text body that declares no charset."""
        return self.eight_bit and not self.charset

    def to_json(self) -> dict[str, object]:
        """The fields ``patchlint show`` prints."""
        return {
            "content_type": self.content_type,
            "charset": self.charset,
            "transfer_encoding": self.transfer_encoding,
            "multipart": self.multipart,
            "format_flowed": self.format_flowed,
            "crlf": self.crlf,
            "html": self.html,
            "attachments": list(self.attachments),
            "decode_error": self.decode_error,
        }


def _params(value: str) -> tuple[str, dict[str, str]]:
    parts = value.split(";")
    params: dict[str, str] = {}
    for part in parts[1:]:
        key, _, val = part.partition("=")
        params[key.strip().lower()] = val.strip().strip('"')
    return parts[0].strip().lower(), params


def decode_text(payload: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode body bytes with the declared charset; say what went wrong instead of failing.

    Without a declared charset, UTF-8 is tried first (what git send-email writes), then Latin-1.
    """
    if charset:
        try:
            return charsets.decode(payload, charset), None
        except charsets.CharsetError as exc:
            return payload.decode("utf-8", "replace"), str(exc)
    try:
        return payload.decode("utf-8"), None
    except UnicodeDecodeError:
        return payload.decode("latin-1"), "8-bit bytes with no declared charset"


# (Counts of more than nine digits are no hunk's: int() of thousands of digits raises.)
_HUNK_HEADER = re.compile(rb"@@ -\d+(?:,(\d{1,9}))? \+\d+(?:,(\d{1,9}))? @@")


def _hunk_lines(lines: list[bytes]) -> set[int]:
    """The indexes of the lines that are hunks of a diff (context, removed, added lines and
    ``\\ No newline`` markers), counted from each ``@@`` header as git apply counts them."""
    found: set[int] = set()
    index, count = 0, len(lines)
    while index < count:
        match = _HUNK_HEADER.match(lines[index])
        index += 1
        if match is None:
            continue
        old = int(match.group(1)) if match.group(1) is not None else 1
        new = int(match.group(2)) if match.group(2) is not None else 1
        while index < count and (old > 0 or new > 0 or lines[index][:1] == b"\\"):
            kind = lines[index][:1]
            if kind == b"-":
                old -= 1
            elif kind == b"+":
                new -= 1
            elif kind in (b" ", b"\n", b"\r", b""):  # context (a blank one stripped by a mailer)
                old, new = old - 1, new - 1
            elif kind != b"\\":
                break
            found.add(index)
            index += 1
    return found


def _ascii_compatible(charset: str) -> bool:
    """Whether ``charset`` writes ASCII as ASCII (so a diff's lines can be found in its bytes)."""
    codec = charsets.mail_codec(charset)
    if codec is None:
        return False
    try:
        return "@@ -1 +1 @@\n".encode(codec) == b"@@ -1 +1 @@\n"
    except Exception:  # a codec that cannot encode: not one to judge line by line
        return False


def decode_declared(payload: bytes, charset: str | None) -> tuple[str, str | None, bool]:
    """Decode a text part as :func:`decode_text` does, except that bytes the declared charset
    does not decode inside the diff's hunks are the patched file's, not the mail's: git mailinfo
    converts only the commit message to UTF-8 and writes the patch out byte for byte, so a
    Latin-1 source file's removed or context lines in a UTF-8 mail apply as they are. Returns
    the text, the error (None when only hunk lines fail) and whether hunk lines held such bytes.
    """
    text, error = decode_text(payload, charset)
    if error is None or not charset or not _ascii_compatible(charset):
        return text, error, False
    lines = payload.split(b"\n")
    hunks = _hunk_lines(lines)
    if not hunks:
        return text, error, False
    for index, line in enumerate(lines):
        if index in hunks or line.isascii():
            continue
        try:
            charsets.decode(line, charset)
        except charsets.CharsetError:
            return text, error, False  # the text itself is not in its declared charset
    return charsets.decode(payload, charset, "replace"), None, True


def _transfer_decode(payload: bytes, encoding: str) -> tuple[bytes, str | None]:
    if encoding == "quoted-printable":
        return quopri.decodestring(payload), None
    if encoding == "base64":
        try:
            return base64.b64decode(payload, validate=False), None
        except (binascii.Error, ValueError) as exc:
            return payload, f"broken base64 body: {exc}"
    return payload, None


def _qp_line_map(raw: bytes, decoded_lines: int) -> tuple[int, ...] | None:
    """For each decoded line of a quoted-printable body, its raw line offset (soft line breaks
    ``=`` at the end of a raw line join it to the next); None when the two do not line up
    (an encoded ``=0A`` makes lines the raw text does not have)."""
    starts = [0]
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines[:-1], 1):
        if not line.rstrip(b" \t\r").endswith(b"="):
            starts.append(number)
    return tuple(starts) if len(starts) == decoded_lines else None


def decode_body(headers: Headers, data: bytes, offset: int) -> tuple[str, Transport]:
    """Return the message's text body (git am's view of it) and its transport facts."""
    ctype, params = _params(headers.get("Content-Type") or "text/plain")
    encoding = (headers.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    raw = data[offset:] if offset >= 0 else b""
    crlf = b"\r\n" in raw[:4096]
    if ctype.startswith("multipart/"):
        try:
            references = list_references(headers) if ctype == "multipart/mixed" else ()
            return _multipart(data, offset, encoding, crlf, references)
        except RecursionError:
            # The standard library's parser recurses once per nesting level.
            return _undecoded_multipart(ctype, raw, encoding, crlf, "MIME parts nested too deep to decode")
        except Exception as exc:  # the stdlib parser on hostile input: say so, keep the body
            why = f"the MIME structure cannot be decoded ({type(exc).__name__}: {exc})"
            return _undecoded_multipart(ctype, raw, encoding, crlf, why)
    payload, error = _transfer_decode(raw, encoding)
    charset = params.get("charset")
    format_flowed, delsp = flowed_params(params)
    flowed = None
    lines_exact = encoding in ("7bit", "8bit", "binary")
    line_map = None
    if format_flowed:
        # git mailinfo undoes flowed text line by line as the transfer encoding gives them.
        chunks, encoded_lines = _git_chunks(raw, encoding)
        flowed_bytes, flowed = unflow_chunks(chunks, delsp, encoded_lines)
        text, charset_error, hunk_bytes = decode_declared(flowed_bytes, charset)
        if encoding == "quoted-printable" or (lines_exact and flowed.joined):
            line_map, lines_exact = flowed.starts, False
    else:
        text, charset_error, hunk_bytes = decode_declared(payload, charset)
    encoded = encoding in ("quoted-printable", "base64")
    encoded_cr = encoded and b"\r\n" in payload
    if crlf or encoded_cr:
        text = text.replace("\r\n", "\n")
    if encoding == "quoted-printable" and not format_flowed:
        line_map = _qp_line_map(raw, _line_count(text))
    # A footer the list appended to the text: to append it, the list decoded the body and wrote
    # it out again (Mailman: base64 for UTF-8, quoted-printable for Latin-1), so an encoded
    # body's encoding is the list's.
    # (The list's addresses need every header field: they are read only for a text that ends
    # in a block a footer could be.)
    block = trailing_block(text)
    footer = block is not None and names_the_list(block[1], list_references(headers))
    return text, Transport(
        content_type=ctype,
        charset=charset,
        transfer_encoding=encoding,
        multipart=False,
        format_flowed=format_flowed,
        crlf=crlf,
        html=ctype == "text/html",
        attachments=(),
        decode_error=error or charset_error,
        lines_exact=lines_exact,
        charset_error=charset_error if charset else None,
        eight_bit=not payload.isascii(),
        encoded_cr=encoded_cr,
        line_map=line_map,
        hunk_bytes=hunk_bytes,
        list_footer="inline" if footer else None,
        list_reencoded=footer and encoded,
        sender_content_type=ctype,
        flowed=flowed,
    )


def _line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def _git_chunks(raw: bytes, encoding: str) -> tuple[list[bytes], bool]:
    """The body as git mailinfo reads it for its format=flowed decoding: one chunk per line of
    the mail, decoded from quoted-printable or base64 line by line as git decodes them
    (``decode_q_segment()``, ``decode_b_segment()``); and whether it was encoded."""
    lines = split_lines(raw.replace(b"\r\n", b"\n"))
    if encoding == "quoted-printable":
        return [_qp_chunk(line) for line in lines], True
    if encoding == "base64":
        return [_base64_chunk(line) for line in lines], True
    return lines, False


def _qp_chunk(line: bytes) -> bytes:
    """One line of quoted-printable, decoded: ``=XX`` is a byte, an ``=`` at the end of the
    line a soft line break (the line end is dropped), any other ``=`` stays."""
    soft = line.rstrip(b"\n")
    if soft.endswith(b"="):
        # git stops at "=" followed by the line end; spaces before it stay (as in git).
        return _QP_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), soft[:-1])
    return _QP_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), line)


def _base64_chunk(line: bytes) -> bytes:
    """One line of base64, decoded as git does: characters outside the alphabet (padding
    included) are skipped, and a group the line leaves incomplete gives what it has."""
    chars = _BASE64.sub(b"", line)
    if len(chars) % 4 == 1:
        chars = chars[:-1]  # six bits: no byte
    try:
        return binascii.a2b_base64(chars + b"=" * (-len(chars) % 4))
    except (binascii.Error, ValueError):
        return b""


def _undecoded_multipart(
    ctype: str, raw: bytes, encoding: str, crlf: bool, why: str
) -> tuple[str, Transport]:
    """A multipart message whose parts could not be taken apart: its body as one text, with
    ``why`` as the decode error."""
    text, _ = decode_text(raw, None)
    return text.replace("\r\n", "\n"), Transport(
        content_type=ctype,
        charset=None,
        transfer_encoding=encoding,
        multipart=True,
        format_flowed=False,
        crlf=crlf,
        html=False,
        attachments=(),
        decode_error=why,
        lines_exact=False,
        eight_bit=not raw.isascii(),
    )


def _guarded(call: Callable[[], T], fallback: T) -> T:
    """``call()`` (an accessor of the stdlib's Message), or ``fallback`` when it raises on a
    hostile header: an RFC 2231 parameter in a charset whose codec raises, a NUL in a charset
    name (ValueError), a parameter it cannot split."""
    try:
        return call()
    except Exception:
        return fallback


def _header_text(part: Message, name: str) -> str:
    """A part's header as text: an 8-bit byte makes the stdlib return a Header object."""
    value = part.get(name)
    return "" if value is None else _guarded(lambda: str(value), "")


_DIFF_MARKERS = (b"\ndiff --git ", b"\n+++ ", b"\n@@ -")
_DELIMITER = re.compile(rb"^--([^\n]*)", re.MULTILINE)


def _has_diff(payload: bytes) -> bool:
    payload = b"\n" + payload
    return any(marker in payload for marker in _DIFF_MARKERS)


def _part_lines(data: bytes, message: Message) -> list[int]:
    """The message line where each part after the root starts, in ``walk()`` order: the line
    after each opening boundary delimiter, in the order they appear in the raw bytes."""
    boundaries = {
        b.encode("utf-8", "replace")
        for part in message.walk()
        if part.is_multipart() and (b := _guarded(part.get_boundary, None))
    }
    if not boundaries:
        return []
    # Each line that starts with "--" is looked up in the set of boundaries (one alternation of
    # all of them would try every boundary on every such line).
    lines = []
    lineno, counted = 1, 0
    for match in _DELIMITER.finditer(data):
        if match.group(1).rstrip(b" \t\r") in boundaries:
            lineno += data.count(b"\n", counted, match.start())
            counted = match.start()
            lines.append(lineno + 1)
    return lines


def _list_footer_part(message: Message, references: tuple[str, ...]) -> Message | None:
    """The part a list added to ``message`` for its footer, or None: the last part of a
    ``multipart/mixed`` mail, inline text that names the list (its ``List-*`` addresses or
    URLs) in a few lines and carries no diff. Mailman adds it so when it cannot append the
    footer to the text (a charset it does not know, bytes that are not the declared charset,
    a post that is already multipart)."""
    if not references or message.get_content_type() != "multipart/mixed":
        return None
    children = _guarded(message.get_payload, None)
    if not isinstance(children, list) or len(children) < 2:
        return None
    last = children[-1]
    if not isinstance(last, Message) or last.is_multipart() or last.get_content_type() != "text/plain":
        return None
    if _guarded(last.get_filename, None) is not None:
        return None
    if _header_text(last, "Content-Disposition").split(";")[0].strip().lower() == "attachment":
        return None
    payload = _guarded(lambda: last.get_payload(decode=True), None)
    if not isinstance(payload, bytes):
        return None
    text, _ = decode_text(payload, _guarded(last.get_content_charset, None))
    return last if is_footer_text(text, references) else None


def _multipart(
    data: bytes, offset: int, encoding: str, crlf: bool, references: tuple[str, ...] = ()
) -> tuple[str, Transport]:
    # Rare in patch mail and complex: the stdlib parser earns its cost here.
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    starts = _part_lines(data, message)
    footer = _list_footer_part(message, references)
    children = _guarded(message.get_payload, None) if footer is not None else None
    # The list wrapped a mail of one part (text, or a signed text) to add its own.
    wrapped = isinstance(children, list) and len(children) == 2
    sender = children[0] if wrapped and isinstance(children, list) else message
    sender_type = _guarded(sender.get_content_type, "text/plain")
    body_line = data.count(b"\n", 0, offset) + 1 if offset >= 0 else 1
    texts: list[str] = []
    attachments: list[str] = []
    parts: list[MimePart] = []
    html = format_flowed = eight_bit = encoded_cr = False
    flowed: Flowed | None = None
    charset: str | None = None
    part_encoding = encoding
    errors: list[str] = []
    charset_errors: list[str] = []
    line_map: tuple[int, ...] | None = None
    hunk_bytes = False
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            continue
        line = starts[number - 1] if 0 < number <= len(starts) else 0
        if part is footer:
            # The list's footer is not the sender's text: it is left out of the body.
            parts.append(MimePart("text/plain", None, False, False, line, list_footer=True))
            continue
        ctype = _guarded(part.get_content_type, "text/plain")
        disposition = _header_text(part, "Content-Disposition").split(";")[0].strip().lower()
        filename = _guarded(part.get_filename, None)
        if filename is not None:
            filename = charsets.without_surrogates(str(filename))
        is_attachment = disposition == "attachment" or bool(filename)
        if is_attachment:
            attachments.append(filename or ctype)
        decoded = _guarded(lambda: part.get_payload(decode=True), None)
        payload = decoded if isinstance(decoded, bytes) else b""
        parts.append(MimePart(ctype, filename, is_attachment, _has_diff(payload), line))
        if ctype == "text/html":
            html = True
            continue
        if not ctype.startswith("text/"):
            continue
        part_charset = _guarded(
            part.get_content_charset, _params(_header_text(part, "Content-Type"))[1].get("charset")
        )
        cte = (_header_text(part, "Content-Transfer-Encoding") or "7bit").strip().lower()
        # git mailinfo decodes each part by its own Content-Type's format= and delsp=; the
        # charset is then judged on the text the rules read, as for a single-part body.
        part_flowed, delsp = flowed_params(_params(_header_text(part, "Content-Type"))[1])
        part_facts: Flowed | None = None
        text_bytes = payload
        if part_flowed:
            encoded_payload = _guarded(lambda: part.get_payload(decode=False), "")
            if isinstance(encoded_payload, str):
                chunks, encoded_lines = _git_chunks(
                    encoded_payload.encode("ascii", "surrogateescape"), cte
                )
                text_bytes, part_facts = unflow_chunks(chunks, delsp, encoded_lines)
        text, error, in_hunks = decode_declared(text_bytes, part_charset)
        hunk_bytes = hunk_bytes or in_hunks
        if error:
            errors.append(error)
            if part_charset:
                charset_errors.append(error)
        if not payload.isascii():
            eight_bit = True
        if cte in ("quoted-printable", "base64") and b"\r\n" in payload:
            encoded_cr = True
        text = text.replace("\r\n", "\n")
        part_map: tuple[int, ...] | None = None
        if not texts and line and cte in ("7bit", "8bit", "binary"):
            # The first text part's lines keep their place in the message: after the
            # part's headers and the blank line that ends them.
            head_end = _blank_line_after(data, line)
            if head_end:
                first = head_end + 1 - body_line
                if part_facts is not None:
                    part_map = tuple(first + start for start in part_facts.starts)
                else:
                    part_map = tuple(range(first, first + text.count("\n") + 1))
        if not texts:
            charset = part_charset
            part_encoding = cte
            format_flowed = part_flowed
            # The first text part starts the body: its line indexes are the body's.
            flowed = part_facts
            line_map = part_map
            if line_map is None and line and cte == "quoted-printable" and part_facts is None:
                # A PGP/MIME-signed patch is quoted-printable: its lines are found as those of
                # a quoted-printable body are, from the part's raw text.
                line_map = _qp_part_line_map(data, part, line, body_line, text)
        texts.append(text)
    return "\n".join(texts), Transport(
        content_type=message.get_content_type(),
        charset=charset,
        transfer_encoding=part_encoding,
        multipart=True,
        format_flowed=format_flowed,
        crlf=crlf,
        html=html,
        attachments=tuple(attachments),
        decode_error="; ".join(errors) or None,
        lines_exact=False,
        charset_error="; ".join(charset_errors) or None,
        eight_bit=eight_bit,
        encoded_cr=encoded_cr,
        line_map=line_map,
        parts=tuple(parts),
        signed=sender_type == "multipart/signed",
        hunk_bytes=hunk_bytes,
        list_footer="part" if footer is not None else None,
        list_wrapped=wrapped,
        sender_content_type=sender_type,
        flowed=flowed,
    )


def _qp_part_line_map(
    data: bytes, part: Message, line: int, body_line: int, text: str
) -> tuple[int, ...] | None:
    """For each line of a quoted-printable part's decoded ``text``, its offset in lines from
    the start of the message body (``line`` is the message line of the part's headers), or
    None when they cannot be told."""
    head_end = _blank_line_after(data, line)
    raw = _guarded(part.get_payload, None)
    if not head_end or not isinstance(raw, str):
        return None
    # compat32 keeps the raw payload as text decoded from ASCII with surrogateescape.
    encoded = raw.encode("ascii", "surrogateescape")
    offsets = _qp_line_map(encoded, _line_count(text))
    if offsets is None:
        return None
    first = head_end + 1 - body_line
    return tuple(first + offset for offset in offsets)


def _blank_line_after(data: bytes, line: int) -> int:
    """The message line of the first blank line at or after message line ``line`` (0: none)."""
    at = 0
    for _ in range(line - 1):
        at = data.find(b"\n", at) + 1
        if at == 0:
            return 0
    blank = re.compile(rb"^\r?$", re.MULTILINE).search(data, at)
    return data.count(b"\n", 0, blank.start()) + 1 if blank else 0
