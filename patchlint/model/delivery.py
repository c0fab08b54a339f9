"""What the mailing list that delivered a copy (or a relay on its way) changed in it.

A list is not a pipe. Mailman, the most common list software outside vger, appends its footer
to every post: into the text itself when it can decode it (and then writes the body out again in
the encoding it prefers: base64 for UTF-8, quoted-printable for Latin-1), or, when it cannot (a
charset it does not know, bytes that are not the declared charset), by wrapping the post in a
``multipart/mixed`` container whose second part is the footer. It also tags and refolds the
Subject, and lists that protect their subscribers from DMARC rejections rewrite ``From:`` to
``Jane Doe via list <list@…>``. None of that is the sender's doing, and none of it is what
``git send-email`` sent: the rules judge the sender's mail, so the model says what the list did.

The list names itself in its ``List-*`` fields (RFC 2369: ``List-Post: <mailto:ltp@…>``,
``List-Subscribe: <https://lists.linux.it/listinfo/ltp>``); its footer names it the same way,
which is how the footer is told from the sender's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from patchlint.model.headers import Headers

# The RFC 2369 fields whose URLs and addresses a footer repeats.
_LIST_FIELDS = ("List-Post", "List-Subscribe", "List-Unsubscribe", "List-Help", "List-Archive", "List-Owner")
# One <…> of such a field: the address or the URL without its scheme and its query.
_REFERENCE = re.compile(r"<\s*(?:mailto:|https?://)?([^<>\s?]+)", re.IGNORECASE)
# The line a footer starts with: the signature separator, or a rule of dashes, underscores,
# equals signs (Mailman's "_______________________________________________", groups.io's
# "-=-=-=-=-=-=-=-=-=-=-=-").
_FOOTER_RULE = re.compile(r"^(?:-- ?|[-_=~*]{3,}(?:[-_=~*\s]*))$")
# A footer is a few lines; a paragraph longer than this is the sender's text.
FOOTER_MAX_LINES = 12
_DIFF_LINE = re.compile(r"^(?:diff --git |@@ -\d|\+\+\+ |--- a/)", re.MULTILINE)


def list_references(headers: Headers) -> tuple[str, ...]:
    """What the delivering list calls itself in its ``List-*`` fields, lower-cased: addresses
    (``ltp@lists.linux.it``) and URLs without scheme and query (``lists.linux.it/listinfo/ltp``);
    empty for a mail no list delivered (one without ``List-Id:``, which every list writes)."""
    if headers.get("List-Id") is None:
        return ()  # a cheap test first: the other fields need the full header index
    found: dict[str, None] = {}
    for name in _LIST_FIELDS:
        for field in headers.get_all(name):
            for reference in _REFERENCE.findall(field.value):
                reference = reference.rstrip("/").lower()
                # A bare host ("lists.linux.it") would match any mention of the host.
                if "/" in reference or "@" in reference:
                    found.setdefault(reference, None)
    return tuple(found)


def names_the_list(text: str, references: tuple[str, ...]) -> bool:
    """Whether ``text`` mentions one of the list's addresses or URLs."""
    if not references:
        return False
    lowered = text.lower()
    return any(reference in lowered for reference in references)


def is_footer_text(text: str, references: tuple[str, ...]) -> bool:
    """Whether a whole MIME part's text is a list footer: a few lines naming the list, no diff."""
    lines = [line for line in text.splitlines() if line.strip()]
    return (
        0 < len(lines) <= FOOTER_MAX_LINES
        and names_the_list(text, references)
        and _DIFF_LINE.search(text) is None
    )


def trailing_block(text: str) -> tuple[int, str] | None:
    """The last lines of ``text`` after its last separator line (``-- `` or a rule of ``_``,
    ``-`` or ``=``) within :data:`FOOTER_MAX_LINES` of its end, and the offset of that
    separator, when they could be a list's footer: they hold an address or a URL and no diff.
    None otherwise (git format-patch's own ``-- `` and version, most of the time)."""
    # The last lines only (the first item is the rest of the text, unsplit).
    lines = text.rstrip().rsplit("\n", FOOTER_MAX_LINES + 1)
    first = 0 if len(lines) <= FOOTER_MAX_LINES + 1 else 1
    for index in range(len(lines) - 1, first - 1, -1):
        if not _FOOTER_RULE.match(lines[index].rstrip("\r")):
            continue
        block = "\n".join(lines[index + 1 :])
        if ("@" not in block and "/" not in block) or _DIFF_LINE.search(block):
            return None
        return sum(len(line) + 1 for line in lines[:index]), block
    return None


def inline_footer_start(text: str, references: tuple[str, ...]) -> int | None:
    """The offset in ``text`` where a footer the list appended to the text itself begins (its
    separator line), or None: the lines after the last separator (see :func:`trailing_block`)
    name the list. git format-patch's own ``-- `` and version above it are the sender's; the
    list's footer comes after them."""
    found = trailing_block(text) if references else None
    if found is None or not names_the_list(found[1], references):
        return None
    return found[0]


@dataclass(frozen=True)
class Delivery:
    """What the list that delivered this copy changed in it; the rules judge the rest.

    ``list_id`` is the delivering list (``ltp.lists.linux.it``), ``software`` the list manager
    that says so (``Mailman 2.1.29``). ``footer`` is where the list put its footer: ``"part"``
    (a MIME part of its own), ``"inline"`` (appended to the text) or None. ``wrapped`` says the
    list wrapped the sender's single part in ``multipart/mixed`` to add that part;
    ``reencoded`` that it rewrote the body to append its footer, so the transfer encoding is the
    list's choice and the sender's is unknown; ``from_rewritten`` that ``From:`` names the list
    (``Jane via list``) and the sender was taken from ``X-Original-From:`` / ``Reply-To:``;
    ``subject_respaced`` that the list (Mailman 2) re-encoded a Subject with commas, so the
    spacing after them is the list's (see :attr:`Posting.subject_commas_respaced`).
    """

    list_id: str | None = None
    software: str | None = None
    footer: str | None = None
    wrapped: bool = False
    reencoded: bool = False
    from_rewritten: bool = False
    subject_respaced: bool = False

    @property
    def changes(self) -> tuple[str, ...]:
        """What the list did, one phrase each, for a reader (``patchlint show``)."""
        said = []
        if self.wrapped:
            said.append("wrapped the post in multipart/mixed to add its footer")
        elif self.footer == "part":
            said.append("added its footer as a MIME part")
        if self.footer == "inline":
            said.append("appended its footer to the text")
        if self.reencoded:
            said.append("re-encoded the body")
        if self.subject_respaced:
            said.append("re-encoded the Subject (Mailman 2 puts a space after a comma where it folds)")
        if self.from_rewritten:
            said.append("rewrote From: to its own address (DMARC)")
        return tuple(said)

    def to_json(self) -> dict[str, object]:
        """The fields ``patchlint show`` prints."""
        return {
            "list_id": self.list_id,
            "software": self.software,
            "footer": self.footer,
            "wrapped": self.wrapped,
            "reencoded": self.reencoded,
            "from_rewritten": self.from_rewritten,
            "subject_respaced": self.subject_respaced,
            "changes": list(self.changes),
        }


def list_software(headers: Headers) -> str | None:
    """The list manager that delivered the mail, as it names itself (``Mailman 2.1.29``), or
    None when none does."""
    version = (headers.get("X-Mailman-Version") or "").strip()
    if version:
        return f"Mailman {version}"
    return None
