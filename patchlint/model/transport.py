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
    flowed: Flowed | None = None

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
            return _multipart(data, offset, encoding, crlf)
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
        text, charset_error = decode_text(flowed_bytes, charset)
        if encoding == "quoted-printable" or (lines_exact and flowed.joined):
            line_map, lines_exact = flowed.starts, False
    else:
        text, charset_error = decode_text(payload, charset)
    encoded = encoding in ("quoted-printable", "base64")
    encoded_cr = encoded and b"\r\n" in payload
    if crlf or encoded_cr:
        text = text.replace("\r\n", "\n")
    if encoding == "quoted-printable" and not format_flowed:
        line_map = _qp_line_map(raw, _line_count(text))
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


def _multipart(data: bytes, offset: int, encoding: str, crlf: bool) -> tuple[str, Transport]:
    # Rare in patch mail and complex: the stdlib parser earns its cost here.
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    starts = _part_lines(data, message)
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
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            continue
        line = starts[number - 1] if 0 < number <= len(starts) else 0
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
        text, error = decode_text(payload, part_charset)
        if error:
            errors.append(error)
            if part_charset:
                charset_errors.append(error)
        if not payload.isascii():
            eight_bit = True
        cte = (_header_text(part, "Content-Transfer-Encoding") or "7bit").strip().lower()
        if cte in ("quoted-printable", "base64") and b"\r\n" in payload:
            encoded_cr = True
        # git mailinfo decodes each part by its own Content-Type's format= and delsp=.
        part_flowed, delsp = flowed_params(_params(_header_text(part, "Content-Type"))[1])
        part_facts: Flowed | None = None
        if part_flowed:
            encoded_payload = _guarded(lambda: part.get_payload(decode=False), "")
            if isinstance(encoded_payload, str):
                chunks, encoded_lines = _git_chunks(
                    encoded_payload.encode("ascii", "surrogateescape"), cte
                )
                flowed_bytes, part_facts = unflow_chunks(chunks, delsp, encoded_lines)
                text, _ = decode_text(flowed_bytes, part_charset)
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
        signed=message.get_content_type() == "multipart/signed",
        flowed=flowed,
    )


def _blank_line_after(data: bytes, line: int) -> int:
    """The message line of the first blank line at or after message line ``line`` (0: none)."""
    at = 0
    for _ in range(line - 1):
        at = data.find(b"\n", at) + 1
        if at == 0:
            return 0
    blank = re.compile(rb"^\r?$", re.MULTILINE).search(data, at)
    return data.count(b"\n", 0, blank.start()) + 1 if blank else 0
