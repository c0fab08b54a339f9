"""Declared charsets, decoded without trusting whatever codec Python has under the name.

A mail names its charset; Python looks the name up among all its codecs, and some of those are
not character sets of mail text at all: ``undefined`` raises on any input, ``punycode`` and
``idna`` raise UnicodeError (and punycode takes quadratic time), ``unicode_escape`` warns and
makes lone surrogates, which no output can encode. A name with a NUL byte makes the lookup
raise ValueError. :func:`decode` turns all of that into a stated error.
"""

from __future__ import annotations

import codecs
import re

# Python codecs whose names a mail may declare but that do not decode mail text.
NOT_MAIL_CHARSETS = frozenset({
    "undefined", "punycode", "idna", "unicode-escape", "raw-unicode-escape", "mbcs", "oem",
})
# Decoders that can only give well-formed text (no lone surrogates): the common ones.
_CLEAN_CODECS = frozenset({"utf-8", "ascii", "iso8859-1", "cp1252", "utf-8-sig"})
_SURROGATE = re.compile("[\ud800-\udfff]")


def mail_codec(charset: str) -> str | None:
    """The name of the Python codec that decodes text declared as ``charset``, or None when
    Python has none fit for mail text (unknown, not a text encoding, or listed in
    :data:`NOT_MAIL_CHARSETS`)."""
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_MAIL_CHARSETS:
        return None
    return info.name


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (they cannot be written out as UTF-8)."""
    if text.isascii():
        return text
    return _SURROGATE.sub("\ufffd", text)


class CharsetError(ValueError):
    """Why bytes could not be decoded with a declared charset (the message says it to a user)."""


def decode(payload: bytes, charset: str, errors: str = "strict") -> str:
    """``payload`` decoded as ``charset``; :class:`CharsetError` says why it cannot be.

    A codec is code that may raise anything on bytes it was not written for, so every failure
    of one becomes a CharsetError; text a decoder gives with lone surrogates (UTF-7) has them
    replaced.
    """
    codec = mail_codec(charset)
    if codec is None:
        raise CharsetError(f"unknown charset {charset!r}")
    try:
        text = payload.decode(codec, errors)
    except UnicodeDecodeError as exc:
        raise CharsetError(
            f"declared charset {charset!r} does not decode the body: {exc.reason} at byte {exc.start}"
        ) from None
    except Exception as exc:  # the codec's own failure, whatever its type
        raise CharsetError(f"declared charset {charset!r} does not decode the body: {exc}") from None
    return text if codec in _CLEAN_CODECS else without_surrogates(text)
