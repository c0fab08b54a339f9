"""How a message travelled: MIME structure, encodings and charsets, and the decoded body text."""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import quopri
from dataclasses import dataclass

from patchlint.headers import Headers


@dataclass(frozen=True)
class Transport:
    """Transport facts of a message, as declared and as found.

    ``lines_exact`` says whether body line *i* is message line ``body_line + i`` (true for a
    single 7bit/8bit part); after quoted-printable or base64 decoding line numbers are approximate.
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
            return payload.decode(charset), None
        except LookupError:
            error = f"unknown charset {charset!r}"
        except UnicodeDecodeError as exc:
            error = f"declared charset {charset!r} does not decode the body: {exc.reason} at byte {exc.start}"
        return payload.decode("utf-8", "replace"), error
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


def decode_body(headers: Headers, data: bytes, offset: int) -> tuple[str, Transport]:
    """Return the message's text body (git am's view of it) and its transport facts."""
    ctype, params = _params(headers.get("Content-Type") or "text/plain")
    encoding = (headers.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    raw = data[offset:] if offset >= 0 else b""
    crlf = b"\r\n" in raw[:4096]
    if ctype.startswith("multipart/"):
        return _multipart(data, encoding, crlf)
    payload, error = _transfer_decode(raw, encoding)
    text, charset_error = decode_text(payload, params.get("charset"))
    if crlf:
        text = text.replace("\r\n", "\n")
    return text, Transport(
        content_type=ctype,
        charset=params.get("charset"),
        transfer_encoding=encoding,
        multipart=False,
        format_flowed=params.get("format", "").lower() == "flowed",
        crlf=crlf,
        html=ctype == "text/html",
        attachments=(),
        decode_error=error or charset_error,
        lines_exact=encoding in ("7bit", "8bit", "binary"),
    )


def _multipart(data: bytes, encoding: str, crlf: bool) -> tuple[str, Transport]:
    # Rare in patch mail and complex: the stdlib parser earns its cost here.
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    texts: list[str] = []
    attachments: list[str] = []
    html = flowed = False
    charset: str | None = None
    part_encoding = encoding
    errors: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        filename = part.get_filename()
        if disposition == "attachment" or filename:
            attachments.append(filename or ctype)
        if ctype == "text/html":
            html = True
            continue
        if not ctype.startswith("text/"):
            continue
        payload = part.get_payload(decode=True) or b""
        text, error = decode_text(payload, part.get_content_charset())
        if error:
            errors.append(error)
        if not texts:
            charset = part.get_content_charset()
            part_encoding = (part.get("Content-Transfer-Encoding") or "7bit").lower()
            flowed = (part.get_param("format") or "").lower() == "flowed"
        texts.append(text.replace("\r\n", "\n"))
    return "\n".join(texts), Transport(
        content_type=message.get_content_type(),
        charset=charset,
        transfer_encoding=part_encoding,
        multipart=True,
        format_flowed=flowed,
        crlf=crlf,
        html=html,
        attachments=tuple(attachments),
        decode_error="; ".join(errors) or None,
        lines_exact=False,
    )
