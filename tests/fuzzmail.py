"""Hypothesis strategies for damaged mail: the repository's own example mails, mutated.

The seeds are every mail the tests already hold (the rule examples, the model fixtures, the
bundled series), so a mutation starts from real ``git format-patch`` / send-email output, a
multipart, a quoted-printable or base64 body, an mbox. A mutated mail is a seed with up to a few
mutations applied: byte flips, truncation, shuffled lines, MIME re-wrapping (nested, re-encoded,
in a charset that may not exist), bidi, zero-width, surrogate and control bytes, another mail
spliced in, numbers replaced by ones at the limits, lines repeated, headers added, CR LF line
ends, a byte-order mark, mbox quoting. tests/test_fuzz.py runs a modest number of them in the
test suite; benchmarks/fuzz.py runs many more and prints what it found.
"""

from __future__ import annotations

import base64
import functools
import quopri
import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st

TESTS = Path(__file__).parent
ROOT = TESTS.parent
MAX_SIZE = 256 * 1024
Draw = Callable[[st.SearchStrategy], object]


@functools.lru_cache(maxsize=1)
def seeds() -> tuple[bytes, ...]:
    """Every example mail of the repository (in a stable order)."""
    paths = [
        *sorted((TESTS / "rules").glob("*/*")),
        *sorted((TESTS / "data" / "model").rglob("*")),
        *sorted((ROOT / "examples").rglob("*")),
    ]
    found = [path.read_bytes() for path in paths if path.is_file() and path.suffix not in (".yaml", ".gitattributes")]
    return tuple(data for data in found if data.strip())


INJECTIONS: tuple[bytes, ...] = tuple(
    text.encode("utf-8") if isinstance(text, str) else text
    for text in (
        "\u202e", "\u2066", "\u200b", "\u2060", "\ufeff", "\u0085", "\u2028",
        b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff", b"\xc3", b"\x00", b"\x1b[31m", b"\r", b"\x0c",
        "=?utf-8?b?A?=", "=?undefined?q?x?=", "=?\xe9?q?x?=", "=?utf-7?q?+2AA-?=",
        "Re: " * 64, "[PATCH v2 3/7] ", "[PATCH " + "9" * 30 + "/" + "9" * 30 + "] ",
        "\n\n", "\n--\n", "\n-- \n", "\n---\n", "\ndiff --git a/x b/x\n", "\n@@ -1,2 +1,3 @@\n",
        "\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\n", "\n>From nobody\n", "\n```\n", "\n#### [PATCH] x\n",
        "Signed-off-by: ", "<" + "@" * 64, " " * 300, "[a " * 40, "{" * 50 + " => ", "(" * 300,
    )
)
CHARSETS = ("utf-8", "us-ascii", "iso-8859-1", "windows-1252", "koi8-r", "shift_jis", "utf-16", "utf-7",
            "undefined", "punycode", "idna", "utf-8\x00", "x-unknown", "", "unicode_escape")
NUMBERS = (b"0", b"00", b"1", b"4294967296", b"9" * 19, b"9" * 5000, b"-1")


def _position(draw: Draw, data: bytes) -> int:
    return draw(st.integers(0, len(data))) if data else 0


def flip_bytes(draw: Draw, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    if not data:
        return data
    buffer = bytearray(data)
    for at in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=8)):
        buffer[at] ^= draw(st.integers(1, 255))
    return bytes(buffer)


def truncate(draw: Draw, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    return data[: _position(draw, data)]


def shuffle_lines(draw: Draw, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    lines = data.split(b"\n")
    start = draw(st.integers(0, max(len(lines) - 1, 0)))
    window = lines[start : start + draw(st.integers(2, 24))]
    lines[start : start + len(window)] = draw(st.permutations(window))
    return b"\n".join(lines)


def inject(draw: Draw, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    at = _position(draw, data)
    if draw(st.booleans()):  # at the start of a line, where markers matter
        at = data.rfind(b"\n", 0, at) + 1
    return data[:at] + draw(st.sampled_from(INJECTIONS)) + data[at:]


def splice(draw: Draw, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    other = draw(st.sampled_from(pool))
    return data[: _position(draw, data)] + other[_position(draw, other) :]


def replace_number(draw: Draw, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    runs = [match.span() for match in re.finditer(rb"\d+", data[:65536])]
    if not runs:
        return data
    start, end = draw(st.sampled_from(runs))
    return data[:start] + draw(st.sampled_from(NUMBERS)) + data[end:]


def repeat_line(draw: Draw, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    lines = data.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    times = draw(st.sampled_from((2, 10, 200, 2000)))
    line = lines[index][:200]
    lines[index : index + 1] = [line] * min(times, MAX_SIZE // (len(line) + 1))
    return b"\n".join(lines)


def add_header(draw: Draw, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    name = draw(st.sampled_from((b"Subject", b"From", b"Content-Type", b"Content-Transfer-Encoding",
                                 b"Date", b"In-Reply-To", b"References", b"Message-ID", b"X-Fuzz")))
    value = draw(st.sampled_from((
        b"", b"[PATCH 1/2] x", b"=?utf-8?q?=C3=A9?=", b"text/plain; charset=" + draw(st.sampled_from(CHARSETS)).encode(),
        b"multipart/mixed; boundary=b", b"base64", b"quoted-printable", b"Fri, 31 Dec 9999 23:59:59 -2359",
        b"<a@b>", b"<" + b"x" * 2000 + b">", b"a" * 100 + b"\n " + b"b" * 100, b"\xff\xfe",
    )))
    at = data.find(b"\n") + 1 if draw(st.booleans()) else 0
    return data[:at] + name + b": " + value + b"\n" + data[at:]


def mime_wrap(draw: Draw, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    """The mail's body as the first part of a multipart (nested, re-encoded, in some charset)."""
    cut = data.find(b"\n\n")
    head, body = (data, b"") if cut == -1 else (data[:cut], data[cut + 2 :])
    charset = draw(st.sampled_from(CHARSETS)).encode()
    encoding = draw(st.sampled_from((b"8bit", b"base64", b"quoted-printable")))
    if encoding == b"base64":
        body = base64.encodebytes(body)
    elif encoding == b"quoted-printable":
        body = quopri.encodestring(body)
    part = (b"Content-Type: text/plain; charset=\"" + charset + b"\"\nContent-Transfer-Encoding: " + encoding
            + b"\n\n" + body)
    depth = draw(st.integers(1, 6))
    for level in range(depth):
        boundary = b"=_b%d_" % level + draw(st.sampled_from((b"", b"x" * 70, b" spaced", b"\xe9")))
        closing = b"--" + boundary + b"--\n" if draw(st.integers(0, 4)) else b""
        part = (b"Content-Type: multipart/" + draw(st.sampled_from((b"mixed", b"alternative", b"signed")))
                + b"; boundary=\"" + boundary + b"\"\n\n--" + boundary + b"\n" + part + b"\n" + closing)
    wrapped_head, _, wrapped_body = part.partition(b"\n\n")
    return head + b"\nMIME-Version: 1.0\n" + wrapped_head + b"\n\n" + wrapped_body


def reformat(draw: Draw, data: bytes, pool: tuple[bytes, ...]) -> bytes:
    how = draw(st.sampled_from(("crlf", "bom", "blank", "mbox-quote", "separator", "cr")))
    if how == "crlf":
        return data.replace(b"\n", b"\r\n")
    if how == "cr":
        return data.replace(b"\n", b"\r")
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    if how == "blank":
        return b"\n" * draw(st.integers(1, 3)) + data
    if how == "mbox-quote":
        return re.sub(rb"(?m)^From ", b">From ", data)
    return b"From fuzz@example.org Mon Sep 17 00:00:00 2001\n" + data


MUTATIONS = (flip_bytes, truncate, shuffle_lines, inject, splice, replace_number, repeat_line,
             add_header, mime_wrap, reformat)


@st.composite
def mutated_mail(draw: Draw, pool: tuple[bytes, ...] | None = None, max_mutations: int = 4) -> bytes:
    """A mail of ``pool`` (default: :func:`seeds`) with up to ``max_mutations`` mutations, at
    most :data:`MAX_SIZE` bytes."""
    pool = pool or seeds()
    data = draw(st.sampled_from(pool))
    for _ in range(draw(st.integers(0, max_mutations))):
        data = draw(st.sampled_from(MUTATIONS))(draw, data, pool)[:MAX_SIZE]
    return data


@st.composite
def inputs(draw: Draw, pool: tuple[bytes, ...] | None = None) -> tuple[list[bytes], list[bytes]]:
    """What a run is given: some mails as files of their own, some in one mbox."""
    files = draw(st.lists(mutated_mail(pool), min_size=0, max_size=3))
    archived = draw(st.lists(mutated_mail(pool), min_size=0 if files else 1, max_size=4))
    return files, archived


def mbox_of(mails: list[bytes]) -> bytes:
    """Mails joined into an mboxrd as public-inbox writes it."""
    out = []
    for data in mails:
        body = re.sub(rb"(?m)^(>*From )", rb">\1", data)
        out.append(b"From mboxrd@z Thu Jan  1 00:00:00 1970\n" + body + (b"" if body.endswith(b"\n") else b"\n"))
    return b"\n".join(out)
