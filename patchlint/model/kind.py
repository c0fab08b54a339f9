"""What kind of mail a message is: the one place that decides it, for ``patchlint show`` and every rule.

A list carries more than patches and their replies, and a subject is not enough to tell them
apart: a reviewer's answer sent with ``git send-email --in-reply-to`` keeps the patch's subject
without ``Re:``; a cover letter is sometimes numbered ``1/3`` instead of ``0/3``; a robot's
build report is numbered after the commit it is about; a bug report carries a suggested diff.
:func:`classify` looks at the subject first and at the body only when the subject and a cheap
byte search cannot decide, so a reply in an archive still costs a header scan.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from patchlint.model.cached import cached_property
from patchlint.model.subject import PATCH_WORDS, Subject

if TYPE_CHECKING:
    from patchlint.model.posting import Posting


class Kind(str, enum.Enum):
    """What a message is, as far as patch review is concerned.

    ``report`` is mail about code that is not a submission: a bug report with a suggested diff,
    a robot's build or test report, a stable-queue or patch-tracker notice, a maintainer's
    notice that a patch was committed (``[COMMITTED]``, ``[PUSHED]``).
    """

    PATCH = "patch"
    COVER = "cover"
    PULL = "pull-request"
    REPLY = "reply"
    REPORT = "report"
    OTHER = "other"
    UNPARSEABLE = "unparseable"

    def __str__(self) -> str:
        return self.value


POSTING_KINDS = frozenset({Kind.PATCH, Kind.COVER, Kind.PULL})


@dataclass(frozen=True)
class Classification:
    """A kind and why: ``reason`` is one line for a person (``patchlint show`` prints it)."""

    kind: Kind
    reason: str

    @property
    def lost_reply_prefix(self) -> bool:
        """A reply whose subject is a patch's, without ``Re:`` (git send-email --in-reply-to)."""
        return self.kind is Kind.REPLY and self.reason.startswith(_LOST_RE)


_LOST_RE = "a reply whose subject lost its 'Re:'"

# A tool's notice about a patch: stable-queue mails ('FAILED: patch "[PATCH] x: y" failed to apply
# to 6.1-stable tree', 'Patch "x: y" has been added to the 6.6-stable tree') and patch-tracker
# mails ('+ foo-fix.patch added to mm-hotfixes-unstable branch', 'foo.patch removed from -mm
# tree'). They quote the patch, diff and sign-offs included, but submit nothing.
_NOTICE = re.compile(
    r"""(?:[A-Z][\w-]*:\s+)?patch\s+["“].+["”]\s+(?:has\s+been\s+|was\s+|is\s+)?
        (?:added|applied|queued|dropped|removed|merged|failed)\b
      | (?:[+-]\s+)?\S+\.patch\s+(?:added\s+to|removed\s+from)\s""",
    re.IGNORECASE | re.VERBOSE,
)
# A robot's tag names a tree and a branch: '[linux-next:master] BUILD REGRESSION …',
# '[nf-next:testing 4/5] net/netfilter/x.c:252:30: warning: …' (about commit 4 of 5 there).
_TREE_BRANCH = re.compile(r"[\w.+-]+:[\w.+/-]+")
# A maintainer's notice that a change is already in the tree, shown to the list for the record:
# LTP's '[COMMITTED] [PATCH] ioctl01: Fix compilation' and '[PUSHED][PATCH 1/1] …', GCC's and
# binutils' '[committed] …' / '[pushed] …', '[PATCH applied] …'. Nothing in it can still be
# changed before it is applied, so it is not judged as a submission.
APPLIED_TAGS = frozenset({"COMMITTED", "PUSHED", "APPLIED"})
# A sender's mark on a patch carried in a series for context only, not offered for applying:
# '[IGNORE][PATCH 01/10] dt-bindings: …' (another author's patch, under review on its own
# thread, that the series builds on), '[PATCH DNM 3/5] …', '[DO NOT MERGE] …'. Its sender
# passes nothing on for inclusion, so it asks for no sign-off of theirs.
CONTEXT_TAGS = frozenset({"IGNORE", "DNM", "DO NOT MERGE", "DO NOT APPLY", "NOT FOR MERGE"})
_RAW_GIT_DIFF = b"\ndiff --git "
_PASTED_PATCH = re.compile(r"From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$|Subject: \[PATCH\b")
# The header git log and git show print above a commit ('Author: Name <addr>', then 'Date:'):
# a commit pasted from a terminal. git mailinfo knows no 'Author:' in-body header, so in a mail
# this is a quotation of a commit, not the commit the mail makes.
_LOG_AUTHOR = re.compile(r"Author: [^<>]*<[^<>@\s]+@[^<>\s]+>$")


def _has_raw_diff(data: bytes) -> bool:
    """A diff in the undecoded mail: the cheap test that decides most patches."""
    return _RAW_GIT_DIFF in data or (b"\n--- " in data and b"\n+++ " in data and b"\n@@ " in data)


def _robot_tag(subject: Subject) -> str | None:
    if subject.words & PATCH_WORDS or "GIT PULL" in subject.words:
        return None
    for tag in (*subject.list_tags, *subject.prefixes):
        for token in tag.split():
            if _TREE_BRANCH.fullmatch(token):
                return token
    return None


def applied_tag(subject: Subject) -> str | None:
    """The tag that says a patch is already applied (``COMMITTED``, ``PUSHED``, ``APPLIED``),
    as written, wherever it stands among the bracketed groups, or None."""
    for group in (*subject.list_tags, *subject.prefixes, *subject.commit_tags):
        for token in group.replace(",", " ").split():
            if token.upper() in APPLIED_TAGS:
                return token
    return None


def context_tag(subject: Subject) -> str | None:
    """The tag that marks a patch as carried for context, not for applying (``IGNORE``,
    ``DNM``, ``DO NOT MERGE`` …, :data:`CONTEXT_TAGS`), as written, wherever it stands among
    the bracketed groups, or None."""
    for group in (*subject.list_tags, *subject.prefixes, *subject.commit_tags):
        if " ".join(group.upper().split()) in CONTEXT_TAGS:
            return group
    return None


def notice_reason(subject: Subject) -> str | None:
    """Why a subject is a tool's or a maintainer's notice rather than a posting, or None."""
    tag = _robot_tag(subject)
    if tag is not None:
        return f"a robot's report about the tree and branch [{tag}], not a patch"
    if _NOTICE.match(subject.summary):
        return "a tool's notice about a patch (stable queue, patch tracker), not a submission"
    tag = applied_tag(subject)
    if tag is not None:
        return f"a notice that the patch is already applied ([{tag}]), not a submission"
    return None


@dataclass(frozen=True)
class _Shape:
    """What the decoded body looks like, for the mails the subject leaves open.

    Each fact is worked out when :func:`classify` first asks for it, then kept: a patch with a
    diff in answer to a mail needs its quotes and sign-off, not its shortlog or diffstat.
    """

    posting: Posting

    @cached_property
    def _message(self) -> list[str]:
        body = self.posting.body
        return body.lines[body.message_start : body.message_end]

    @cached_property
    def diff(self) -> bool:
        return self.posting.body.diff_start is not None

    @cached_property
    def attached_diff(self) -> bool:
        return any(part.diff for part in self.posting.transport.parts)

    @cached_property
    def separator(self) -> bool:
        return self.posting.body.separator is not None

    @cached_property
    def sign_off(self) -> bool:
        # Imported here: the commit log's module builds on the posting, which builds on this one.
        from patchlint.model.commitlog import SIGN_OFF

        return any(
            line[6:7] == "-" and (match := SIGN_OFF.match(line)) is not None and "@" in match.group(1)
            for line in self._message
        )

    @cached_property
    def quotes(self) -> int:
        return sum(1 for line in self._message if line.startswith(">"))

    @cached_property
    def cover_parts(self) -> bool:
        return self.posting.shortlog is not None or bool(self.posting.diffstats)

    @cached_property
    def pasted_patch(self) -> bool:
        # A format-patch mail, or git log / git show output, pasted below some prose: git am
        # would commit the prose, not it.
        message = self._message
        return any(_PASTED_PATCH.match(line) for line in message[1:] if line[:5] in ("From ", "Subje")) or any(
            line.startswith("Author: ") and following.startswith("Date: ") and _LOG_AUTHOR.match(line)
            for line, following in zip(message, message[1:])
        )


def _shape(posting: Posting) -> _Shape:
    return _Shape(posting)


def classify(posting: Posting) -> Classification:
    """The kind of ``posting``, and why.

    In order: a ``Re:`` subject is a reply; a robot's or a tool's notice, or a maintainer's
    ``[COMMITTED]`` one, is a report; ``[GIT
    PULL]`` is a pull request; ``0/N`` is a cover letter. A subject that names a patch (PATCH,
    RFC, RESEND, or a counter) with a diff is a patch. Without a diff it is: a reply that lost
    its ``Re:`` when it answers a mail and quotes it; a patch (an empty one) when it is shaped
    like ``git format-patch`` output (a ``---`` line or a sign-off); a cover letter numbered
    wrong when it is numbered and carries a shortlog or diffstat, or starts a thread; a reply
    that lost its ``Re:`` when it answers a mail; otherwise a question or announcement
    (other). A subject that names no patch makes a mail with a diff a patch when the diff is
    signed off, else a bug report with a suggested change (report); so is one that pastes a
    commit (a ``git format-patch`` mail, or ``git log`` / ``git show`` output: ``Author:`` then
    ``Date:``) below its prose, whose sign-off is the pasted commit's.
    """
    if posting.raw.error:
        return Classification(Kind.UNPARSEABLE, posting.raw.error)
    subject = posting.subject
    # A Subject field found in the header block proves there are headers (no parse error), so a
    # reply costs no further look at the header block.
    if subject.is_reply and posting._subject_as_written is not None:
        return Classification(Kind.REPLY, f"its subject starts with {subject.reply_prefix.strip()!r}")
    error = posting.error
    if error:
        return Classification(Kind.UNPARSEABLE, error)
    if subject.is_reply:
        return Classification(Kind.REPLY, f"its subject starts with {subject.reply_prefix.strip()!r}")
    notice = notice_reason(subject)
    if notice is not None:
        return Classification(Kind.REPORT, notice)
    if subject.is_pull_request:
        return Classification(Kind.PULL, "a pull request ([GIT PULL], or [PULL] without a counter)")
    if subject.counter == 0 and subject.total:
        return Classification(Kind.COVER, "numbered 0/N")
    raw_diff = _has_raw_diff(posting.raw.data)
    answers = bool(posting.in_reply_to or posting.references)
    if subject.is_patch_like:
        return _patch_subject(posting, subject, raw_diff, answers)
    if not raw_diff and not _may_hide_a_diff(posting._head[0]):
        return Classification(Kind.OTHER, "no patch prefix and no diff")
    shape = _shape(posting)
    if shape.diff:
        if shape.pasted_patch:
            return Classification(
                Kind.REPORT, "a report with a commit pasted into it (a git format-patch mail, git log or git show output)"
            )
        if shape.sign_off:
            return Classification(Kind.PATCH, "a signed-off diff under a subject without [PATCH]")
        return Classification(
            Kind.REPORT, "a diff without [PATCH] and without a sign-off: a report with a suggested change"
        )
    if shape.attached_diff:
        return Classification(Kind.PATCH, "a patch attached to a mail without [PATCH]")
    return Classification(Kind.OTHER, "no patch prefix and no diff")


def _may_hide_a_diff(head: bytes) -> bool:
    """Whether the byte search may have missed a diff: base64 or quoted-printable text, or a
    patch in an attachment."""
    head = head.lower()
    return b"base64" in head or b"quoted-printable" in head or b"multipart/" in head


def _patch_subject(posting: Posting, subject: Subject, raw_diff: bool, answers: bool) -> Classification:
    if raw_diff and not answers:
        return Classification(Kind.PATCH, "a patch subject and a diff")
    shape = _shape(posting)
    if shape.diff or shape.attached_diff:
        if answers and shape.quotes and not shape.sign_off:
            return Classification(Kind.REPLY, f"{_LOST_RE}: it answers a mail, quotes it and suggests a diff")
        where = "a diff" if shape.diff else "an attached diff"
        return Classification(Kind.PATCH, f"a patch subject and {where}")
    if answers and shape.quotes:
        return Classification(Kind.REPLY, f"{_LOST_RE}: it answers a mail, quotes it and carries no diff")
    if shape.separator or shape.sign_off:
        return Classification(Kind.PATCH, "shaped like git format-patch output, without a diff")
    if subject.counter and (shape.cover_parts or not answers):
        numbered = f"{subject.counter_text}/{subject.total_text}"
        return Classification(Kind.COVER, f"a cover letter numbered {numbered}: no diff, a shortlog or diffstat, or it starts the thread")
    if answers:
        return Classification(Kind.REPLY, f"{_LOST_RE}: it answers a mail and carries no diff")
    return Classification(Kind.OTHER, "a patch subject without a patch: a question or an announcement")
