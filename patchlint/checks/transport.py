"""PL5xx: how the mail travelled (MIME, encodings, charsets, whitespace and invisible damage).

Each rule says what to do instead; most of the time that is "send the output of git format-patch
with git send-email", which writes plain 8-bit UTF-8 text and touches nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from patchlint.model.posting import Kind, Posting
from patchlint.options import option
from patchlint.rule import Rule, Severity, Violation

POSTINGS = frozenset({Kind.PATCH, Kind.COVER, Kind.PULL})
T = TypeVar("T")
# A mangled mail repeats its defect on many lines: report the first few and count the rest.
MAX_LINES = 3


def _diff_region(posting: Posting) -> tuple[int, int]:
    body = posting.body
    if body.diff_start is None:
        return (body.diff_end, body.diff_end)
    return (body.diff_start, body.diff_end)


def _added_or_text(posting: Posting, index: int) -> bool:
    """Whether body line ``index`` is the contributor's own text: anything outside the diff, or
    a line the diff adds. Removed and context lines are the file as it was; a defect there is
    not the patch's."""
    start, end = _diff_region(posting)
    if not start <= index < end:
        return True
    line = posting.body.lines[index]
    return line.startswith("+") and not line.startswith("+++ ")


def _line_index(text: str, position: int, cache: dict[int, int]) -> int:
    """The body line index of ``text[position]``, counted on from the previous answer, which
    ``cache`` keeps (key 0: its position, key 1: its line index). Positions come in order, as a
    search finds them, so each call counts only the text since the last: 200 KB of control
    characters cost one pass, not one per character found."""
    last, index = cache.get(0, 0), cache.get(1, 0)
    if position < last:
        last, index = 0, 0
    index += text.count("\n", last, position)
    cache[0], cache[1] = position, index
    return index


class FormatFlowed(Rule):
    """A patch sent as format=flowed text survives git's decoding of it.

    What it does:
        Reads a patch declared ``format=flowed`` (RFC 3676) as git mailinfo (git am) reads it:
        a line ending in a space is joined with the next one (a "soft" line break), one leading
        space is removed from every line ("space-stuffing"), ``DelSp=yes`` drops the space at
        each soft break. Reports the hunks that decoding breaks: a diff line that ended in a
        space (trailing whitespace the patch adds or keeps), which git joins with the line after
        it; a line whose one leading space was not stuffing (a mailer that declares flowed text
        without stuffing it), which loses the space a context line needs. A flowed patch that
        git's decoding gives back intact is not reported.

    Why it matters:
        Such a patch does not apply: git am stops with "corrupt patch". A mailer sending flowed
        text marks each soft break with a trailing space and stuffs the lines that start with a
        space; git undoes both, but it cannot tell a diff line that ends in a space from a soft
        break, nor a context line's own space from the stuffing a mailer left out.

    Bad:
        ``Content-Type: text/plain; charset=UTF-8; format=flowed`` over a hunk whose
        ``+	return 0; `` line ends in a space.

    Good:
        ``git send-email``, which sends plain (fixed) text; in Thunderbird set
        ``mailnews.send_plaintext_flowed`` to false and ``mailnews.wraplength`` to 0, as the
        kernel's Documentation/process/email-clients.rst says.
    """

    code = "PL501"
    name = "format-flowed"

    def check(self, target: Posting) -> Iterator[Violation]:
        if target.transport.flowed is None:
            return
        damaged = [problem for problem in target.hunk_problems if problem.flowed]
        if not damaged:
            return  # git's decoding gives the diff back as it was written
        first = damaged[0]
        more = len(damaged) - 1
        rest = f" ({more} more place{'s' if more > 1 else ''} like it)" if more else ""
        yield self.violation(
            target,
            f"{first.message}{rest}: send the patch with git send-email, or turn flowed text off "
            f"(Thunderbird: mailnews.send_plaintext_flowed = false)",
            target.line(first.index),
        )


@dataclass(frozen=True)
class EncodedPatchBodyOptions:
    """Options of encoded-patch-body."""

    allow_signed: bool = option(
        True,
        'accept an encoded text part in a ``multipart/signed`` mail: PGP/MIME signing (RFC 3156)'
        ' requires it.',
    )


class EncodedPatchBody(Rule):
    """A patch is sent as plain 8-bit text, not quoted-printable or base64.

    What it does:
        Reports a patch whose text the sender sent quoted-printable or base64 encoded
        (``Content-Transfer-Encoding``). An encoding the delivering list chose is not the
        sender's and is not reported: Mailman decodes a post to append its footer to the text
        and writes it out again as it likes (base64 for UTF-8). Neither is the encoding of a
        PGP/MIME-signed mail (``multipart/signed``), which RFC 3156 requires, unless
        ``allow-signed`` is false. Quoted-printable that escapes nothing (the stored mail is the
        patch, byte for byte) is not reported. When the mail says ``git send-email`` sent it
        (its ``X-Mailer``, or a Message-ID of the form send-email makes, which survives a gateway
        such as Exchange Online that drops ``X-Mailer`` and re-encodes the text),
        quoted-printable is reported only if nothing made git send-email pick it (its ``auto``
        encoding does for a line over 998 characters or a CR), and the message says what did:
        ``sendemail.transferEncoding`` (or ``--transfer-encoding``), or a mail gateway on the
        way that re-encodes.

    Why it matters:
        ``git am`` decodes both and the patch applies. But the mail as it is stored (the
        archive's raw message, a saved ``.eml``) is not the patch: base64 cannot be read at
        all, and quoted-printable writes ``=3D`` for every ``=``, ``=20`` for trailing spaces
        and breaks long lines with a ``=`` at the end, so ``git apply`` on the saved mail and
        scripts that read raw mail fail. The kernel's process documents ask for plain text
        patches. ``git send-email`` sends 8bit, and picks quoted-printable only for a line
        longer than 998 characters, which SMTP cannot carry.

    Bad:
        ``Content-Transfer-Encoding: base64`` (Outlook, some web mailers);
        ``Content-Transfer-Encoding: quoted-printable``.

    Good:
        ``Content-Transfer-Encoding: 8bit`` (or ``7bit``) as ``git send-email`` writes it.
    """

    code = "PL502"
    name = "encoded-patch-body"
    # git am decodes both: the patch applies, review suffers.
    default_severity = Severity.WARNING
    Options = EncodedPatchBodyOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        transport = target.transport
        encoding = transport.transfer_encoding
        if encoding not in ("base64", "quoted-printable"):
            return
        if transport.list_reencoded:
            return  # the list rewrote the body to append its footer: its encoding, not the sender's
        if transport.signed and self.options.allow_signed:
            return
        escapes, in_diff = _qp_escapes(target.body_bytes) if encoding == "quoted-printable" else ([], True)
        if encoding == "quoted-printable" and not escapes:
            return  # quoted-printable that escapes nothing: the stored mail is the patch
        line = target.line_of_header("Content-Transfer-Encoding")
        part = _first_text_part_line(target)
        if encoding == "base64":
            harm = "the stored mail (the archive's raw message, a saved .eml) cannot be read"
        else:
            harm = f"the stored mail is not the text it encodes ({', '.join(escapes)})"
        if in_diff:
            harm += ", and git apply or a script that reads it fails"
        told_by = {"X-Mailer": "X-Mailer", "Message-ID": "its Message-ID"}.get(target.sent_with_send_email or "")
        if told_by and encoding == "quoted-printable":
            if _needs_encoding(target):
                return  # git send-email had to: a line over 998 characters, or a CR
            message = (
                f"the patch arrived quoted-printable, though git send-email sent it ({told_by}), "
                f"which encodes so only when sendemail.transferEncoding (or --transfer-encoding) "
                f"says so or a line is over 998 characters (none is): git am decodes it, but "
                f"{harm}; set sendemail.transferEncoding = auto, or find the mail gateway that "
                f"re-encodes"
            )
        else:
            message = (
                f"the patch is {encoding}-encoded: git am decodes it, but {harm}; send it as 8bit "
                f"text with git send-email (which picks quoted-printable only for lines over 998 "
                f"characters)"
            )
        yield self.violation(target, message, part or line)


_QP_ESCAPE = re.compile(rb"=(?:[0-9A-Fa-f]{2}|\r?\n)")
_DIFF_IN_RAW = re.compile(rb"^(?:diff --git |--- \S|@@ -)", re.MULTILINE)


def _qp_escapes(raw: bytes) -> tuple[list[str], bool]:
    """What quoted-printable made of a body, said for the reader ('=3D' for '=', '=20' for a
    trailing space, '=09' for tabs where a mailer escapes every tab, non-ASCII text as escapes,
    long lines broken with '='), and whether any of it is in the diff, where git apply on the
    stored mail then fails."""
    found: dict[str, None] = {}
    in_diff = False
    diff = _DIFF_IN_RAW.search(raw)
    for match in _QP_ESCAPE.finditer(raw):
        code = match.group(0)[1:3].upper()
        if code[:1] in (b"\r", b"\n"):
            found.setdefault("long lines broken with '='", None)
        elif code == b"3D":
            found.setdefault("'=3D' for '='", None)
        elif code in (b"20", b"09"):
            # Quoted-printable must escape only a space or tab at a line's end; a mailer that
            # escapes every tab (Exchange) writes '=09' inside lines as well.
            at_end = raw.startswith((b"\n", b"\r", b"=\n", b"=\r\n"), match.end()) or match.end() == len(raw)
            what = "trailing whitespace" if at_end else ("tabs" if code == b"09" else "spaces")
            found.setdefault(f"'={code.decode()}' for {what}", None)
        elif code >= b"80":
            found.setdefault("non-ASCII text as '=XX' escapes", None)
        else:
            found.setdefault(f"'={code.decode()}' escapes", None)
        if diff is not None and match.start() > diff.start():
            in_diff = True
    return list(found), in_diff


def _needs_encoding(posting: Posting) -> bool:
    """Whether git send-email's ``auto`` transfer encoding picks quoted-printable for the
    patch: a line over SMTP's 998 characters, or a CR."""
    if posting.transport.encoded_cr or posting.transport.crlf:
        return True
    return any(len(line.encode("utf-8")) > SMTP_LINE_LIMIT for line in posting.body_text.split("\n"))


def _first_text_part_line(posting: Posting) -> int:
    for part in posting.transport.parts:
        if part.content_type.startswith("text/") and not part.attachment:
            return part.line
    return 0


@dataclass(frozen=True)
class MimeStructureOptions:
    """Options of mime-structure."""

    allow_signed: bool = option(
        True,
        'accept a ``multipart/signed`` mail whose parts are the text and its PGP signature.',
    )


class MimeStructure(Rule):
    """A posting is one plain-text part: no HTML, no multipart wrapping.

    What it does:
        Reports a patch, cover letter or pull request with an HTML part (``text/html``, alone or
        as the alternative of the text) or wrapped in a multipart container. Attachments are
        ``attached-patch``'s business; a PGP/MIME signature (``multipart/signed``) is accepted
        unless ``allow-signed`` is false. The container a mailing list wraps around a post to
        append its footer as a part of its own (Mailman's ``multipart/mixed`` with a
        ``===============…==`` boundary, when it cannot append the footer to the text) is the
        list's: the sender's mail is what is inside, and that is what is judged.

    Why it matters:
        vger.kernel.org and many other lists reject HTML mail outright; archives and review
        tools show the text part, or the HTML source, and reviewers reply to plain text. Every
        MIME layer is one more chance for a tool to pick the wrong part.

    Bad:
        ``Content-Type: multipart/alternative`` with ``text/plain`` and ``text/html`` parts
        (Gmail's and Outlook's default).

    Good:
        ``Content-Type: text/plain; charset=UTF-8`` as ``git send-email`` writes it.
    """

    code = "PL503"
    name = "mime-structure"
    kinds = POSTINGS
    Options = MimeStructureOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        transport = target.transport
        line = target.line_of_header("Content-Type")
        if transport.html:
            html = next((p.line for p in transport.parts if p.content_type == "text/html"), 0)
            yield self.violation(
                target,
                "the mail has an HTML part: mailing lists such as vger.kernel.org reject HTML "
                "mail; send plain text only (git send-email, or switch the mailer to plain text)",
                html or line,
            )
            return
        if not transport.sender_multipart:
            return  # a single part, as sent (a list may have wrapped it to add its footer)
        if transport.signed and self.options.allow_signed:
            return
        if any(part.attachment and not _is_signature(part.content_type) for part in transport.parts):
            return  # attached-patch reports the attachment
        sent = transport.sender_content_type or transport.content_type
        yield self.violation(
            target,
            f"the mail is {sent}: a patch mail is a single text/plain part; "
            f"send it with git send-email",
            line,
        )


def _is_signature(content_type: str) -> bool:
    return content_type in ("application/pgp-signature", "application/pkcs7-signature",
                            "application/x-pkcs7-signature")


class AttachedPatch(Rule):
    """The patch is inline, not an attachment.

    What it does:
        Reports a patch or cover letter with a MIME attachment that carries a diff (or is
        named ``*.patch`` / ``*.diff``). Signatures are not attachments in this sense.

    Why it matters:
        Reviewers answer a patch by quoting the lines they comment on; an attachment cannot be
        quoted, patchwork and many review tools ignore it, and some lists drop attachments.
        Documentation/process/submitting-patches.rst: "No MIME, no links, no compression, no
        attachments. Just plain text."

    Bad:
        A mail saying "patch attached" with ``0001-netfilter-fix.patch`` as
        ``Content-Disposition: attachment``.

    Good:
        ``git send-email 0001-netfilter-fix.patch``: the patch is the mail.
    """

    code = "PL504"
    name = "attached-patch"
    kinds = frozenset({Kind.PATCH, Kind.COVER})

    def check(self, target: Posting) -> Iterator[Violation]:
        for part in target.transport.parts:
            if not part.attachment or _is_signature(part.content_type):
                continue
            name = part.filename or part.content_type
            if part.diff or name.endswith((".patch", ".diff")):
                yield self.violation(
                    target,
                    f"the patch is attached ({name}) instead of inline: reviewers cannot quote "
                    f"it and tools skip it; send it as the mail itself with git send-email",
                    part.line or target.line_of_header("Content-Type"),
                )


class CrlfLineEndings(Rule):
    """A patch's lines end in LF, not CR LF.

    What it does:
        Reports a patch whose body lines end in CR LF, in the mail as stored or inside its
        quoted-printable or base64 payload.

    Why it matters:
        CR LF in a mail means a Windows tool or ``core.autocrlf`` converted the patch. git am
        strips the CRs of a plain body (so a change to a file that has CR LF endings no longer
        applies) but keeps them in an encoded one, where it warns "quoted CRLF detected" and the
        patch no longer applies to files with LF endings.

    Bad:
        A ``.patch`` file saved with CR LF line ends; an Outlook mail whose base64 body decodes
        to CR LF lines.

    Good:
        ``git format-patch`` output sent unchanged with ``git send-email``.
    """

    code = "PL505"
    name = "crlf-line-endings"

    def check(self, target: Posting) -> Iterator[Violation]:
        transport = target.transport
        if transport.encoded_cr:
            yield self.violation(
                target,
                f"the {transport.transfer_encoding} body decodes to CR LF line ends: git am keeps "
                f"the CRs ('quoted CRLF detected') and the patch does not apply; send it with git "
                f"send-email",
                target.line_of_header("Content-Transfer-Encoding"),
            )
        elif transport.crlf:
            yield self.violation(
                target,
                "the mail's lines end in CR LF: a Windows tool or core.autocrlf converted the "
                "patch; git am strips the CRs, which breaks changes to files with CR LF endings. "
                "Send git format-patch output unchanged with git send-email",
                target.body.line_number(0),
            )


_SEND_EMAIL_ANSWERS = frozenset({"y", "yes", "n", "no"})


class CharsetMismatch(Rule):
    """The declared charset is one that decodes the body.

    What it does:
        Reports a posting whose ``Content-Type`` charset is unknown, or does not decode the
        body's bytes (``us-ascii`` over UTF-8 text, ``utf-8`` over Latin-1 bytes). Bytes inside
        the diff's hunks are the patched file's own and are not held against the mail: a
        Latin-1 source file's removed and context lines must stay byte for byte for the patch
        to apply, and git am (whose mailinfo converts only the commit message) applies them as
        they are.

    Why it matters:
        Readers and archives garble every non-ASCII character. ``git am`` converts the commit
        message to UTF-8 from the declared charset: a charset iconv does not know, or one that
        does not fit the bytes (``us-ascii`` over 8-bit text), stops it ("cannot convert from
        y to UTF-8"); ``utf-8`` over other bytes is not converted, and git commit reads them as
        Latin-1. ``charset=y`` is git send-email's question "Which 8bit encoding should I
        declare [UTF-8]?" answered with "y".

    Bad:
        ``Content-Type: text/plain; charset=y``;
        ``charset=us-ascii`` over ``Signed-off-by: Jörg Weiß``.

    Good:
        ``Content-Type: text/plain; charset=UTF-8`` over UTF-8 text.
    """

    code = "PL506"
    name = "charset-mismatch"
    kinds = POSTINGS

    def check(self, target: Posting) -> Iterator[Violation]:
        transport = target.transport
        error = transport.charset_error
        if not error:
            return
        charset = (transport.charset or "").strip().lower()
        if charset in _SEND_EMAIL_ANSWERS:
            advice = (
                f"git send-email asked 'Which 8bit encoding should I declare [UTF-8]?' and was "
                f"answered {charset!r}; answer UTF-8 (or press Enter), or set "
                f"sendemail.assume8bitEncoding = UTF-8"
            )
        else:
            advice = "declare the charset the text is written in (UTF-8)"
        if charset.replace("-", "") == "utf8":
            # git mailinfo converts nothing from UTF-8 to UTF-8: the bytes reach git as sent.
            if _eight_bit_message(target, "\ufffd"):
                git = (
                    "git am passes the bytes through and git commit, finding a message that is "
                    "not UTF-8, reads them as Latin-1"
                )
            else:
                git = "git am applies the diff's bytes as they are"
        else:
            git = f"git am stops at it (git mailinfo: 'cannot convert from {charset} to UTF-8')"
        yield self.violation(
            target, f"{error}: mail readers garble its non-ASCII text and {git}; {advice}",
            target.line_of_header("Content-Type"),
        )


class MissingCharset(Rule):
    """A body with 8-bit characters declares its charset.

    What it does:
        Reports a posting whose body holds bytes outside ASCII while its ``Content-Type``
        declares no charset (or is missing), and says what git am makes of them.

    Why it matters:
        Without a charset a mail reader or an archive must guess (often Latin-1) and shows
        the author's name, a ``Signed-off-by`` or a quoted log line garbled. git am does not
        guess: git mailinfo converts only from a declared charset, so it passes the bytes
        through. UTF-8 text is then committed as written; other bytes in the commit message make
        git commit warn "commit message did not conform to UTF-8" and read them as Latin-1. git
        send-email asks which encoding to declare when it sees 8-bit text; a mail written by
        hand or by a script may not.

    Bad:
        ``Signed-off-by: Jörg Weiß`` in a mail with no ``Content-Type`` header.

    Good:
        ``MIME-Version: 1.0``, ``Content-Type: text/plain; charset=UTF-8``,
        ``Content-Transfer-Encoding: 8bit`` as git send-email writes them.
    """

    code = "PL507"
    name = "missing-charset"
    kinds = POSTINGS
    # git am commits UTF-8 (and Latin-1) text right without a charset: readers suffer.
    default_severity = Severity.WARNING

    def check(self, target: Posting) -> Iterator[Violation]:
        transport = target.transport
        if not transport.undeclared_8bit or transport.charset_error:
            return
        line = target.line_of_header("Content-Type") if target.headers.get("Content-Type") else (
            target.body.line_number(0)
        )
        utf8 = transport.decode_error is None
        found = "the body has 8-bit characters but no declared charset" + (
            "" if utf8 else ", and they are not UTF-8"
        )
        if not target.is_commit:
            git = ""
        elif utf8:
            git = (
                "git am passes them through unchanged (git mailinfo converts only from a "
                "declared charset), so this UTF-8 text is committed as written, but "
            )
        elif _eight_bit_message(target):
            git = (
                "git am passes them through unchanged and git commit, finding a message that is "
                "not UTF-8, warns 'commit message did not conform to UTF-8' and reads the bytes "
                "as Latin-1 (right only for Latin-1 text); "
            )
        else:
            git = "git am applies the diff's bytes as they are, but "
        yield self.violation(
            target,
            f"{found}: {git}mail readers and archives have to guess the charset; declare "
            f"'Content-Type: text/plain; charset=UTF-8' (git send-email does when asked)",
            line,
        )


def _eight_bit_message(posting: Posting, mark: str = "") -> bool:
    """Whether 8-bit text stands where git am takes the commit from: the message (with its
    in-body headers), the subject or the author. With ``mark``, whether that character (the
    replacement character a failed decoding left) stands in the message."""
    body = posting.body
    lines = body.lines[: body.message_end]
    if mark:
        return any(mark in line for line in lines)
    if any(not line.isascii() for line in lines):
        return True
    author = posting.author
    return not posting.raw_subject.isascii() or bool(author and not author.name.isascii())


# UTF-8 read as Windows-1252 (or Latin-1) and written out again: a lead byte's character, then
# the characters its continuation bytes became.
_CONTINUATION = "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
# (Written as one lead-byte class first, each length then chosen by a lookbehind: a pattern that
# starts with a class is scanned for it at C speed, an alternation of classes is tried whole at
# every character, four times slower on a non-ASCII body.)
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00f4](?:(?<=[\u00c2-\u00df])[{_CONTINUATION}]|(?<=[\u00e0-\u00ef])[{_CONTINUATION}]{{2}}"
    f"|(?<=[\u00f0-\u00f4])[{_CONTINUATION}]{{3}})"
)
# Where the characters mojibake stands for are found: Latin, Greek, Cyrillic, punctuation,
# symbols, CJK, emoji. A match that decodes to anything else is more likely real text.
_PLAUSIBLE = (
    (0x00A0, 0x052F), (0x2000, 0x22FF), (0x2300, 0x27BF), (0x2E80, 0x9FFF), (0xAC00, 0xD7AF),
    (0xFF00, 0xFFEF), (0x1F300, 0x1FAFF),
)


def unmangle(text: str) -> str | None:
    """What mojibake ``text`` stood for (``'â€™'`` -> ``'’'``), or None if it is not mojibake."""
    raw = bytearray()
    for char in text:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return None
            raw.append(ord(char))  # Latin-1 for the five bytes cp1252 leaves undefined
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not all(any(low <= ord(c) <= high for low, high in _PLAUSIBLE) for c in decoded):
        return None
    return decoded


class Mojibake(Rule):
    """The text is not mojibake (UTF-8 read as Latin-1 or Windows-1252 and encoded again).

    What it does:
        Looks for the characters UTF-8 turns into when a program reads it as Windows-1252 or
        Latin-1 and writes it out again (``â€™`` for ``’``, ``Ã©`` for ``é``, ``Â`` before a
        non-breaking space) in the subject, the author's name, the commit message and notes, and
        the lines the diff adds; reports each line with what it should read.

    Why it matters:
        The garbled text goes into the commit: a name in ``Signed-off-by`` that no longer
        matches its owner, a quote in a comment that reads ``â€™``. It means a program on the
        way (Apple Mail with a wrong default encoding, an editor, a copy through a terminal)
        took the wrong charset, and other characters may be damaged as well.

    Bad:
        ``the PIR of destination VCPUâ€™s PI_DESC``; ``Signed-off-by: JÃ¶rg WeiÃŸ``.

    Good:
        ``the PIR of destination VCPU’s PI_DESC`` (or a plain ASCII ``'``).
    """

    code = "PL508"
    name = "mojibake"
    kinds = POSTINGS

    def check(self, target: Posting) -> Iterator[Violation]:
        for name, value in (("Subject", target.subject.raw), ("From", self._author(target))):
            if not value or value.isascii():
                continue
            mangled = _first_mojibake(value)
            if mangled:
                yield self.violation(
                    target, f"the {name} header is mojibake: {_explain(*mangled)}",
                    target.line_of_header(name),
                )
        text = target.body_text
        if text.isascii():
            return  # most patches: one C-speed test instead of a regular expression
        found: dict[int, tuple[str, str, str]] = {}
        positions: dict[int, int] = {}
        for match in _MOJIBAKE.finditer(text):
            meant = unmangle(match.group(0))
            if meant is None:
                continue
            index = _line_index(text, match.start(), positions)
            if index not in found and _added_or_text(target, index):
                found[index] = (_word(text, match.start(), match.end()), match.group(0), meant)
        yield from _per_line(
            self, target, found, lambda seen: f"{seen[0]!r} is mojibake: {_explain(*seen[1:])}"
        )

    @staticmethod
    def _author(posting: Posting) -> str:
        sender = posting.sender
        return sender.name if sender else ""


def _word(text: str, start: int, end: int) -> str:
    """The whitespace-delimited word around ``text[start:end]``, for the reader to find it."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start), text.rfind("\t", 0, start))
    right = min((i for i in (text.find(" ", end), text.find("\n", end), text.find("\t", end)) if i != -1),
                default=len(text))
    word = text[left + 1 : right]
    return word if len(word) <= 40 else text[start:end]


def _first_mojibake(value: str) -> tuple[str, str] | None:
    for match in _MOJIBAKE.finditer(value):
        meant = unmangle(match.group(0))
        if meant is not None:
            return match.group(0), meant
    return None


def _explain(seen: str, meant: str) -> str:
    return (
        f"{seen!r} is {meant!r} in UTF-8 read as Windows-1252/Latin-1 and encoded again; fix "
        f"the text (and the program that mangled it) and send it as UTF-8"
    )


def _per_line(
    rule: Rule, posting: Posting, found: Mapping[int, T], say: Callable[[T], str]
) -> Iterator[Violation]:
    """One violation per line in ``found`` (body index -> what was seen), the first
    :data:`MAX_LINES` of them, then one that counts the rest."""
    indexes = sorted(found)
    for index in indexes[:MAX_LINES]:
        yield rule.violation(posting, say(found[index]), posting.line(index))
    if len(indexes) > MAX_LINES:
        yield rule.violation(
            posting, f"and {len(indexes) - MAX_LINES} more lines like it",
            posting.line(indexes[MAX_LINES]),
        )


@dataclass(frozen=True)
class ControlCharacterOptions:
    """Options of control-character."""

    allow_form_feed: bool = option(True, 'accept the form feed (``^L``) some sources use as a page break.')


_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\u200b\u2060\ufeff"
_ASCII_CONTROLS = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0C, 0x0D)) + b"\x7f"
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f{_BIDI}{_INVISIBLE}]")


class ControlCharacter(Rule):
    """The text has no Unicode bidi controls, invisible characters or control characters.

    What it does:
        Reports, in the commit message, the notes and the lines the diff adds: Unicode
        bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), invisible
        characters (zero-width space U+200B, word joiner U+2060, a byte-order mark U+FEFF inside
        the text), ASCII control characters other than tab and newline (a form feed is accepted
        unless ``allow-form-feed`` is false), C1 controls (U+0080-U+009F), and ANSI colour codes.

    Why it matters:
        Bidi controls reorder how code is displayed without changing what the compiler reads:
        the "Trojan Source" attack (CVE-2021-42574) hides logic from the reviewer that way.
        Invisible characters make identifiers and strings differ from how they look. Colour
        codes mean the patch was made with colour on and will not apply.

    Bad:
        ``+	/* check access \\u202e } \\u2066 if (is_admin) \\u2069 \\u2066 */``;
        ``+\\x1b[32mstatic int x;\\x1b[m``.

    Good:
        Plain text; ``git format-patch`` (which never colours its output).
    """

    code = "PL509"
    name = "control-character"
    kinds = POSTINGS
    Options = ControlCharacterOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        text = target.body_text
        if text.isascii():
            # Most bodies: bytes.translate deletes the few suspects at C speed, 6x faster than
            # a regular expression; only a body that shrank is searched.
            raw = text.encode("ascii")
            suspects = _ASCII_CONTROLS if self.options.allow_form_feed else _ASCII_CONTROLS + b"\x0c"
            if len(raw.translate(None, suspects)) == len(raw):
                return
        elif _CONTROL.search(text) is None:
            return
        found: dict[int, str] = {}
        positions: dict[int, int] = {}
        for match in _CONTROL.finditer(text):
            char = match.group(0)
            if char == "\x0c" and self.options.allow_form_feed:
                continue
            index = _line_index(text, match.start(), positions)
            if index not in found and _added_or_text(target, index):
                found[index] = char
        yield from _per_line(self, target, found, _describe_control)


def _describe_control(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char == "\x1b":
        return (
            f"an escape character ({code}), the start of an ANSI colour code: the patch was made "
            f"with colour on (color.ui = always, --color); make it with git format-patch"
        )
    name = unicodedata.name(char, "")
    if char in "\u061c\u200e\u200f" or "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return (
            f"a Unicode bidi control ({code} {name}): it reorders how the line is displayed "
            f"without changing what it means (the Trojan Source attack); remove it, or write "
            f"it as an escape sequence if a string needs it"
        )
    if char in _INVISIBLE:
        return f"an invisible character ({code} {name}): remove it, or write it as an escape"
    if "\x80" <= char <= "\x9f":
        return (
            f"a C1 control character ({code}): usually Windows-1252 text declared as "
            f"ISO-8859-1; send UTF-8"
        )
    return f"a control character ({code}): remove it, or write it as an escape sequence"


# git's version: "2.43.0", "2.39.3 (Apple Git-145)", "2.44.0.rc1-37-gdeadbeef". (Written
# without a "(?:\.\d+)*" before the suffix: the suffix already takes ".0", and the two could
# share a long ".1.1.1…" in every way, each tried when the line does not end as it should.)
_GIT_VERSION = re.compile(r"\d+\.\d+(?:[.-]\S+)?(?: \(Apple Git-\d+\))?$")


class SignatureSeparator(Rule):
    """The signature separator is ``-- `` with its trailing space.

    What it does:
        Reports a posting whose signature separator is a bare ``--``: the ``-- `` git
        format-patch writes above its version, with the trailing space stripped. A ``--`` is
        taken for a signature separator when git's version follows it, or when it comes after
        the diff; one that sets off a changelog in a cover letter is left alone.

    Why it matters:
        A mailer or editor that strips trailing whitespace did it to the whole mail: lines of
        the diff that end in a space no longer match the file, and readers no longer see where
        the signature starts. It is the fingerprint of Thunderbird, Apple Mail and web mailers
        that re-flow text; the diff above it deserves suspicion.

    Bad:
        ``--`` followed by ``2.43.0``.

    Good:
        ``-- `` followed by ``2.43.0``, as git format-patch writes it.
    """

    code = "PL510"
    name = "signature-separator"
    kinds = POSTINGS
    # A symptom: the damage it points at, if any, is corrupt-hunk's error.
    default_severity = Severity.WARNING

    def check(self, target: Posting) -> Iterator[Violation]:
        body = target.body
        index = body.signature
        if index is None or body.lines[index] != "--":
            return
        after = next((line for line in body.lines[index + 1 :] if line.strip()), "")
        below_diff = body.diff_start is not None and index > body.diff_start
        if not (_GIT_VERSION.match(after) or below_diff):
            return  # a "--" typed to set off a changelog in a cover letter: not a signature
        yield self.violation(
            target,
            "the signature separator is '--' without its trailing space: a mailer or editor "
            "stripped trailing whitespace (from the diff as well?), or it was typed by hand; "
            "git format-patch writes '-- ', send its output unchanged with git send-email",
            target.line(index),
        )


class TrailingWhitespace(Rule):
    """The commit message and notes have no trailing whitespace.

    What it does:
        Reports lines of the commit message and of the notes below ``---`` (not the diff, not
        the ``-- `` signature separator) that end in spaces or tabs: the first one, and how many
        there are.

    Why it matters:
        A line ending in a space is a "soft" line break to a reader that understands
        format=flowed, which joins it with the next; trailing whitespace in a commit message is
        invisible noise that ``git log`` keeps. It often comes from a mailer or an editor that
        re-wrapped the text.

    Bad:
        ``Read the counters once, report them, then clear them ``.

    Good:
        ``Read the counters once, report them, then clear them``.
    """

    code = "PL511"
    name = "trailing-whitespace"
    kinds = POSTINGS
    enabled_by_default = False
    default_severity = Severity.WARNING

    def check(self, target: Posting) -> Iterator[Violation]:
        body = target.body
        lines = body.lines
        end = body.diff_start if body.diff_start is not None else body.diff_end
        found = [
            index
            for index in range(body.message_start, end)
            if lines[index][-1:] in (" ", "\t") and lines[index].strip()
        ]
        if found:
            others = len(found) - 1
            more = f" (and {others} more line{'s' if others > 1 else ''})" if others else ""
            yield self.violation(
                target,
                f"this line ends in whitespace{more}: remove it, or let your editor do it",
                target.line(found[0]),
            )


@dataclass(frozen=True)
class LongLineOptions:
    """Options of long-line."""

    max_length: int = option(78, 'the longest line accepted (Gmail wraps at 78).')
    include_diff: bool = option(True, 'also judge the lines the diff adds.')


SMTP_LINE_LIMIT = 998


class LongLine(Rule):
    """No line is so long that a mailer would wrap it.

    What it does:
        Reports lines longer than ``max-length`` columns (tabs count to the next multiple of 8)
        in the notes below ``---``, in a cover letter's or pull request's text and, with
        ``include-diff``, among the lines the diff adds; a patch's commit message is
        ``commit-log-long-line``'s. A diff line longer than 998 bytes, which SMTP cannot carry
        unencoded, is always reported. Diffstat rows are left alone.

    Why it matters:
        Mailers that wrap (Gmail, Outlook, Thunderbird unless told otherwise) break long lines,
        which damages a diff beyond repair; this rule says, before sending, which lines would
        not survive such a mailer. With ``git send-email`` nothing is wrapped, so the rule is
        off by default. Lines over 998 bytes force git send-email into quoted-printable.

    Bad:
        ``+	pr_info("nft_counter: resetting %llu packets and %llu bytes on cpu %d\\n", ...``
        sent from a mailer that wraps at 78 columns.

    Good:
        The same patch sent with ``git send-email``, or code kept within 78 columns.
    """

    code = "PL512"
    name = "long-line"
    kinds = POSTINGS
    enabled_by_default = False
    default_severity = Severity.WARNING
    Options = LongLineOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        body = target.body
        lines = body.lines
        limit = self.options.max_length
        start, end = _diff_region(target)
        found: dict[int, int] = {}
        # Diffstat rows are as wide as git made them (80 columns in a cover letter).
        skip = {row.index for stat in target.diffstats for row in stat.rows}
        first = body.message_end if target.kind is Kind.PATCH else body.message_start
        for index in range(first, len(lines)):
            line = lines[index]
            if (len(line) <= limit and "\t" not in line) or index in skip:
                continue
            in_diff = start <= index < end
            size = len(line.encode("utf-8"))
            if in_diff and size > SMTP_LINE_LIMIT:
                found[index] = -size
                continue
            if in_diff and not (self.options.include_diff and line.startswith("+")):
                continue
            width = len(line.expandtabs(8))
            if width > limit:
                found[index] = width
        yield from _per_line(self, target, found, self._say)

    def _say(self, width: int) -> str:
        if width < 0:
            return (
                f"this diff line is {-width} bytes long, over SMTP's {SMTP_LINE_LIMIT}: it "
                f"cannot travel as 8bit text and will be encoded or broken"
            )
        return (
            f"this line is {width} columns long, over {self.options.max_length}: a mailer "
            f"that wraps would break it; send with git send-email, or shorten it"
        )
