"""The Posting: one e-mail, parsed lazily into everything a rule may ask about.

Only the header block is scanned up front. The body is decoded the first time a rule asks for
anything below the headers, and the diff is parsed only when a rule asks for it, so a reply in an
archive costs a header scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from patchlint.model.cached import cached_property
from typing import TYPE_CHECKING

from patchlint.model.body import Body, split_body
from patchlint.model.changelog import ChangelogEntry, find_changelog, find_prose_changelog
from patchlint.model.diff import Diff, parse_diff
from patchlint.model.delivery import Delivery, list_software
from patchlint.model.diffstat import Diffstat, find_diffstats
from patchlint.model.headers import (
    Headers,
    Person,
    decode_words,
    find_subject,
    message_ids,
    parse_list_id,
    parse_people,
    parse_person,
    split_head,
    unmask_sender,
)
from patchlint.model.hunks import HunkProblem, diagnose
from patchlint.model.kind import POSTING_KINDS, Classification, Kind, classify
from patchlint.model.message import RawMessage
from patchlint.model.shortlog import Shortlog, find_shortlog
from patchlint.model.subject import Subject, parse_subject
from patchlint.model.trailers import TrailerBlock, find_trailers
from patchlint.model.transport import Transport, decode_body

if TYPE_CHECKING:
    from patchlint.model.commitlog import CommitLog

# The line a stable backport opens its message with: '[ Upstream commit 2ece0930ac56… ]' (the
# AUTOSEL robot and Sasha Levin's stable tools), 'commit 2ece0930ac56… upstream.' (Greg
# Kroah-Hartman's stable review series and most hand-made backports).
_UPSTREAM = re.compile(r"\[\s*[Uu]pstream commit ([0-9a-f]{12,40})\s*\]|commit ([0-9a-f]{12,40}) upstream\.?")
# How far into the message the line is looked for: after an in-body From: and a blank line.
_UPSTREAM_LINES = 4


# What git request-pull writes (patchwork recognises a pull request by the same two lines):
# "The following changes since commit <id>:" ... "are available in the Git repository at:".
# Two searches, the second from where the first matched: linear in the body, whatever it holds.
_PULL_BASE = re.compile(r"^The following changes since commit [0-9a-f]{7,40}\b", re.MULTILINE)
_PULL_FROM = re.compile(r"^are available in the [Gg]it repository at", re.MULTILINE)

_SEND_EMAIL_ID = re.compile(
    r"^(?:(?P<run>\d{14}\.\d+)-\d+-|(?P<old_run>\d+-\d+)-\d+-git-send-email-)(?P<address>[^@\s]+@[^@\s]+)$"
)


@dataclass(frozen=True, eq=False)
class Posting:
    """A parsed message. Every attribute below ``raw`` is computed on first use and then kept."""

    raw: RawMessage

    # -- headers (cheap) ------------------------------------------------------------------------

    @cached_property
    def _head(self) -> tuple[bytes, int, int]:
        return split_head(self.raw.data)

    @cached_property
    def headers(self) -> Headers:
        """The header fields, unfolded, undecoded; see :meth:`Headers.decoded`."""
        return Headers(self._head[0])

    @cached_property
    def error(self) -> str | None:
        """Why this message cannot be parsed, or None."""
        if self.raw.error:
            return self.raw.error
        data = self.raw.data
        if not data or data.isspace():  # (what strip() would find, without copying the message)
            return "unparseable: empty message"
        if not self.headers.present:
            first = self.raw.data.lstrip().split(b"\n", 1)[0][:60].decode("utf-8", "replace")
            return f"unparseable: no header fields (it starts with {first!r})"
        if self.headers.get("From") is None and self.headers.get("Subject") is None:
            return "unparseable: neither a From: nor a Subject: header"
        return None

    @cached_property
    def subject(self) -> Subject:
        """The Subject header, decoded and parsed into prefix fields and summary."""
        value = self._fast_subject
        if value is None:
            value = self.headers.decoded("Subject") or ""
        return parse_subject(value)

    @property
    def raw_subject(self) -> str:
        """The Subject as written, decoded and unfolded, its stray whitespace kept."""
        found = self._subject_as_written
        return found if found is not None else (self.headers.decoded("Subject") or "")

    @cached_property
    def _subject_as_written(self) -> str | None:
        # Found by a byte search: a reply in an archive needs nothing else from its headers.
        return find_subject(self._head[0])

    @property
    def _fast_subject(self) -> str | None:
        found = self._subject_as_written
        return None if found is None else found.strip()

    @cached_property
    def subject_commas_respaced(self) -> bool:
        """Whether the list, not the sender, wrote the spacing after the Subject's commas.

        Mailman 2 re-encodes the Subject of every post it tags (``[LTP] …``), and Python 2's
        header folding it uses splits a long subject at its commas and joins the parts again
        with ``", "``: the sender's ``fcntl{34,36}`` arrives as ``fcntl{34, 36}`` (folded after
        the comma or not), while the cover letter's shortlog, in the body, keeps
        ``fcntl{34,36}``. git am then commits the list's spacing.
        """
        if "," not in self.subject.summary:
            return False  # (asked first: a header field that is not a common one is dearer)
        return (self.headers.get("X-Mailman-Version") or "").strip().startswith("2.")

    @cached_property
    def delivery(self) -> Delivery:
        """What the list that delivered this copy changed in it (its footer, the MIME wrapping
        and re-encoding that came with it, a refolded Subject, a DMARC-rewritten From:): the
        rules judge what the sender sent (see :mod:`patchlint.model.delivery`)."""
        transport = self.transport
        ids = self.list_ids
        return Delivery(
            list_id=ids[0] if ids else None,
            software=list_software(self.headers),
            footer=transport.list_footer,
            wrapped=transport.list_wrapped,
            reencoded=transport.list_reencoded,
            from_rewritten=self.original_sender != self.sender,
            subject_respaced=self.subject_commas_respaced,
        )

    @cached_property
    def sender(self) -> Person | None:
        """Who sent the mail (the ``From:`` header)."""
        value = self.headers.get("From")
        return parse_person(value) if value else None

    @cached_property
    def send_email_address(self) -> str | None:
        """The address git send-email wrote into the Message-ID, or None.

        send-email makes its Message-IDs from the time, its process id, a counter and the
        sender it was configured with (``<20230112024547.4121-1-wegao@suse.com>``; before git
        2.21 ``<1678169395-4584-1-git-send-email-xuyang@fujitsu.com>``); a relay that rewrites
        ``From:`` to its account (Gmail's SMTP) leaves the Message-ID as it was.
        """
        match = _SEND_EMAIL_ID.match(self.message_id or "")
        return match.group("address") if match else None

    @cached_property
    def sent_with_send_email(self) -> str | None:
        """The header that says git send-email sent the mail: ``X-Mailer`` (it writes
        ``git-send-email <version>``), else ``Message-ID`` when it has the form send-email makes
        (which survives a gateway, such as Exchange Online, that drops ``X-Mailer``); None when
        neither does."""
        if (self.headers.get("X-Mailer") or "").startswith("git-send-email"):
            return "X-Mailer"
        return "Message-ID" if self.send_email_address else None

    @cached_property
    def send_email_run(self) -> str | None:
        """Which run of git send-email sent the mail, from its Message-ID (the time and process
        id before the counter: ``20240208125447.272965`` in
        ``<20240208125447.272965-2-pablo@netfilter.org>``, with the address), or None. The
        mails of one run are one sending: a series, whatever their subjects say."""
        match = _SEND_EMAIL_ID.match(self.message_id or "")
        if match is None:
            return None
        return f"{match.group('run') or match.group('old_run')}-{match.group('address').lower()}"

    @cached_property
    def recipients(self) -> tuple[Person, ...]:
        """Everyone the mail was addressed to: the ``To:`` addresses, then the ``Cc:`` ones, in
        the order written (names decoded; duplicates kept once, at their first place)."""
        people: dict[str, Person] = {}
        for name in ("To", "Cc"):
            for field in self.headers.get_all(name):
                for person in parse_people(field.value):
                    people.setdefault(person.email_key, person)
        return tuple(people.values())

    @cached_property
    def list_ids(self) -> tuple[str, ...]:
        """The identifiers of the mailing lists that delivered this copy (``List-Id:``, however
        its name is capitalised, folded or not, display name dropped), in the order written. Other
        fields that quote a list id
        (``X-PR-Tracked-List-Id:``) are not the delivering list's and are not counted."""
        found = (parse_list_id(field.value) for field in self.headers.get_all("List-Id"))
        return tuple(dict.fromkeys(i for i in found if i))

    @cached_property
    def message_id(self) -> str | None:
        """The Message-ID without angle brackets."""
        ids = message_ids(self.headers.get("Message-ID"))
        return ids[0] if ids else None

    @cached_property
    def in_reply_to(self) -> str | None:
        """The Message-ID this mail answers directly, if any."""
        ids = message_ids(self.headers.get("In-Reply-To"))
        return ids[-1] if ids else None

    @cached_property
    def references(self) -> tuple[str, ...]:
        """The References chain, oldest first."""
        return message_ids(self.headers.get("References"))

    @cached_property
    def date(self) -> datetime | None:
        """The Date header as an aware datetime, or None if missing or unreadable."""
        value = self.headers.get("Date")
        if not value:
            return None
        try:
            parsed = parsedate_to_datetime(value)
            # A date whose time in UTC is out of datetime's range (year 9999 at -23:59, year 1
            # at +23:59) would raise OverflowError in every comparison that converts it.
            parsed.astimezone(timezone.utc)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        return parsed if parsed.tzinfo else None

    @cached_property
    def classification(self) -> Classification:
        """What kind of mail this is, and why (see :func:`patchlint.model.kind.classify`)."""
        return classify(self)

    @cached_property  # asked by every rule: kept once worked out
    def kind(self) -> Kind:
        """Patch, cover letter, pull request, reply, report, other or unparseable."""
        return self.classification.kind

    @cached_property  # asked by every rule: kept once worked out
    def is_posting(self) -> bool:
        """True for patches, cover letters and pull requests: what rules judge."""
        return self.kind in POSTING_KINDS

    @cached_property  # asked by every rule: kept once worked out
    def is_commit(self) -> bool:
        """A patch whose text is a commit message git am would commit: it has a diff or a
        ``---`` line (a patch whose diff was cut off, as in some archive exports, keeps its
        ``---``). A patch whose only diff is an attachment is not: its text is a note."""
        if self.kind is not Kind.PATCH:
            return False
        body = self.body
        return body.diff_start is not None or body.separator is not None

    def line_of_header(self, name: str) -> int:
        """The message line of a header (1 when it is missing)."""
        return self.headers.line_of(name) or 1

    # -- body (decoded on demand) ---------------------------------------------------------------

    @property
    def body_bytes(self) -> bytes:
        """The raw body, as transferred (no decoding)."""
        offset = self._head[1]
        return self.raw.data[offset:] if offset >= 0 else b""

    @cached_property
    def _decoded(self) -> tuple[str, Transport]:
        _, offset, _ = self._head
        return decode_body(self.headers, self.raw.data, offset)

    @property
    def body_text(self) -> str:
        """The decoded body as one string (line ends normalised to LF): what a rule searches with
        one regular expression before it looks at lines."""
        return self._decoded[0]

    @property
    def transport(self) -> Transport:
        """Charset, transfer encoding, MIME structure and related facts."""
        return self._decoded[1]

    @cached_property
    def body(self) -> Body:
        """The decoded body split into in-body headers, message, notes, diff and signature."""
        text, transport = self._decoded
        return split_body(text, self._head[2] or 1, transport.lines_exact, transport.line_map)

    def line(self, index: int) -> int:
        """The message line of body line ``index``."""
        return self.body.line_number(index)

    @cached_property
    def original_sender(self) -> Person | None:
        """Who sent the mail, with a list's DMARC rewriting undone: ``Jane Doe via dev-list
        <list@…>`` is Jane, from ``X-Original-From:`` or ``Reply-To:`` (see
        :func:`~patchlint.model.identity.unmask_sender`); any other sender as it is."""
        return unmask_sender(self.headers, self.sender)

    @cached_property
    def replaced_from(self) -> Person | None:
        """The ``From:`` the sender wrote, when their own mail server put another one in its
        place and kept theirs as ``X-Google-Original-From:`` (Gmail's SMTP server does so for
        an address the account may not send as); None otherwise. Unlike a list's DMARC
        rewriting this is what the commit's author becomes, so the rules report it, saying why."""
        written = self.headers.get("X-Google-Original-From")
        person = parse_person(written) if written else None
        if person is None or self.sender is None or person.email.lower() == self.sender.email.lower():
            return None
        return person

    @cached_property
    def stable_preamble(self) -> tuple[int, Person | None] | None:
        """A stable-review preamble: the body index where the commit message starts after it,
        and the author its ``From:`` names; None when there is none (see
        :func:`stable_review_preamble`)."""
        found = stable_review_preamble(self.body)
        if found is None:
            return None
        return found[0], parse_person(found[1])

    @cached_property
    def author(self) -> Person | None:
        """The patch author: the ``From:`` of a stable-review preamble, else the in-body
        ``From:`` (what git am takes), else the sender with a list's DMARC rewriting undone
        (:attr:`original_sender`). ``patchlint show`` and the rules read this one answer."""
        preamble = self.stable_preamble
        if preamble is not None and preamble[1] is not None:
            return preamble[1]
        inbody = self.body.inbody_header("From")
        if inbody:
            person = parse_person(inbody[0])
            # parseaddr() turns "From: the maintainer" into the address "the"; git mailinfo
            # takes no author from a line without "@", so neither do we. An in-body From: that
            # repeats the header is the sender, unmasked like it.
            if person and "@" in person.email and person != self.sender:
                return person
        return self.original_sender

    @cached_property
    def commit_summary(self) -> str:
        """The summary git am would commit: an in-body Subject wins over the mail subject."""
        inbody = self.body.inbody_header("Subject")
        if inbody:
            return parse_subject(decode_words(inbody[0])).summary
        return self.subject.summary

    @cached_property
    def _upstream(self) -> tuple[int, str] | None:
        body = self.body
        lines = body.lines
        seen = 0
        for index in range(body.message_start, body.message_end):
            line = lines[index].strip()
            if not line:
                continue
            match = _UPSTREAM.fullmatch(line)
            if match:
                return index, match.group(1) or match.group(2)
            seen += 1
            if seen == _UPSTREAM_LINES:
                break
        return None

    @cached_property
    def carries_pull_request(self) -> bool:
        """The message text holds what ``git request-pull`` writes (the base commit and the
        repository to pull from): a pull request, whether sent alone (``[GIT PULL]``) or as the
        cover letter of the patches it pulls (``[PATCH net 0/3] Netfilter fixes for net``)."""
        body = self.body
        text = "\n".join(body.lines[body.message_start :])
        base = _PULL_BASE.search(text)
        return base is not None and _PULL_FROM.search(text, base.end()) is not None

    @property
    def upstream_commit(self) -> str | None:
        """The upstream commit a stable backport says it is (``[ Upstream commit <id> ]`` or
        ``commit <id> upstream.`` at the top of its message), or None: its text is that
        commit's, already reviewed and applied upstream."""
        found = self._upstream
        return found[1] if found else None

    @property
    def upstream_line(self) -> int | None:
        """The body index of the line naming :attr:`upstream_commit`, or None: the text below
        it is carried from upstream (see :attr:`CommitLog.carried
        <patchlint.model.commitlog.CommitLog.carried>`)."""
        found = self._upstream
        return found[0] if found else None

    @cached_property
    def commit_log(self) -> CommitLog:
        """The commit message as the rules read it (see :class:`~patchlint.model.commitlog.CommitLog`):
        its lines, trailer block, sign-offs (those git am drops below ``---`` too), the text a
        backport carries; worked out once per posting, for every rule and configuration."""
        from patchlint.model.commitlog import CommitLog  # (it builds on this module)

        return CommitLog.of(self)

    @cached_property
    def trailers(self) -> TrailerBlock:
        """The commit message's trailer block (``git interpret-trailers`` semantics)."""
        body = self.body
        return find_trailers(body.message_lines, body.message_start)

    @cached_property
    def diffstats(self) -> tuple[Diffstat, ...]:
        """Every diffstat below ``---`` (patches) or in the text (cover letters, pull requests)."""
        body = self.body
        start, end = body.notes_range
        if body.separator is None:
            start, end = body.message_start, body.message_end
        return find_diffstats(body.lines, start, end)

    @property
    def diffstat(self) -> Diffstat | None:
        """The diffstat closest to the diff (the last one), or None."""
        stats = self.diffstats
        return stats[-1] if stats else None

    @cached_property
    def diff(self) -> Diff | None:
        """The diff parsed per file, or None when the mail carries no diff."""
        text = self.body.diff_text
        return parse_diff(text) if text else None

    @cached_property
    def hunk_problems(self) -> tuple[HunkProblem, ...]:
        """What is wrong with the diff's hunks (wrapped lines, lost lines …); walked line by line
        only when the cheap count of :attr:`diff` could not vouch for them."""
        diff = self.diff
        if diff is None or not (diff.suspect or diff.error):
            return ()
        body = self.body
        source_line = self.raw.source_line

        def label(index: int) -> str:
            if body.placed(index):
                return f"line {source_line(body.line_number(index))}"
            return f"line {index + 1} of the decoded body"

        flowed = self.transport.flowed
        if flowed is None:
            return diagnose(body.lines, body.diff_start or 0, body.diff_end, label)
        return diagnose(
            body.lines, body.diff_start or 0, body.diff_end, label,
            frozenset(flowed.joined), frozenset(flowed.unstuffed),
        )

    @cached_property
    def _changelog(self) -> tuple[tuple[ChangelogEntry, ...], bool]:
        body = self.body
        version = self.subject.version or 1
        lines = body.lines
        start, end = body.notes_range
        entries = find_changelog(lines, start, end, version)
        if entries:
            return entries, False
        entries = find_changelog(lines, body.message_start, body.message_end, version)
        if entries:
            return entries, self.is_commit
        if self.is_commit:  # the notes, not the commit message, may hold one without a heading
            return find_prose_changelog(lines, start, end, version, notes=True), False
        # A bare '--' near a cover letter's end ('---' mistyped, or '-- ' that lost its space)
        # is taken for the signature separator; a changelog under it is still the letter's.
        signature = body.signature
        if signature is not None and lines[signature] == "--":
            entries = find_changelog(lines, signature + 1, len(lines), version)
            if entries:
                return entries, False
        # A cover letter's text below "---" is its shortlog: its prose is above, or below.
        entries = find_prose_changelog(lines, body.message_start, body.message_end, version)
        return entries or find_prose_changelog(lines, start, end, version), False

    @property
    def changelog(self) -> tuple[ChangelogEntry, ...]:
        """Version changelog entries (see :mod:`patchlint.model.changelog`): the headings below
        ``---`` and, failing those, in the message; failing both, a changelog written without a
        heading (the notes of a patch, a cover letter's prose about this version)."""
        return self._changelog[0]

    @property
    def changelog_in_commit_message(self) -> bool:
        """Whether :attr:`changelog` stands in a patch's commit message, above ``---``: git am
        commits it with the rest of the message."""
        return self._changelog[1]

    @cached_property
    def shortlog(self) -> Shortlog | None:
        """The ``Author (N):`` shortlog of a cover letter or pull request, or None."""
        body = self.body
        return find_shortlog(body.lines, body.message_start, len(body.lines))

    # -- output -----------------------------------------------------------------------------------

    def to_json(self) -> dict[str, object]:
        """The stable JSON form printed by ``patchlint show`` (documented in the README)."""
        raw = self.raw
        record: dict[str, object] = {
            "source": raw.source,
            "index": raw.index,
            "line": raw.line,
            "error": self.error,
        }
        if self.error:
            record.update(message_id=None, kind=str(Kind.UNPARSEABLE), kind_reason=self.error, subject=None, author=None,
                          sender=None, date=None, trailers=[], diffstat=None, diff=None,
                          changelog=[], transport=None, upstream_commit=None, delivery=None)
            return record
        author = self.author
        sender = self.original_sender  # who sent it, as the rules see them
        stat = self.diffstat
        diff = self.diff
        record.update(
            message_id=self.message_id,
            in_reply_to=self.in_reply_to,
            kind=str(self.kind),
            kind_reason=self.classification.reason,
            subject=self.subject.to_json(),
            author=_person_json(author),
            sender=_person_json(sender),
            date=self.date.isoformat() if self.date else None,
            trailers=[[t.key, t.value] for t in self.trailers.trailers],
            diffstat=stat.to_json() if stat else None,
            diff=diff.to_json() if diff else None,
            changelog=[[e.version, e.heading] for e in self.changelog],
            transport=self.transport.to_json(),
            upstream_commit=self.upstream_commit if self.is_commit else None,
            delivery=self.delivery.to_json(),
        )
        return record


def _person_json(person: Person | None) -> dict[str, str] | None:
    return {"name": person.name, "email": person.email} if person else None


_PREAMBLE_RULE = re.compile(r"^-{10,}\s*$")
_PREAMBLE_FROM = re.compile(r"^From:\s*(\S.*)$")


def stable_review_preamble(body: Body) -> tuple[int, str] | None:
    """Where the commit message starts after a stable-review preamble, and the author it names.

    The stable maintainers post each queued patch as ``4.19-stable review patch.  If anyone has
    any objections, please let me know.``, a line of dashes, then ``From: <author>`` and the
    upstream commit message. The preamble is not part of the commit, and the ``From:`` below it
    is the author (git am looks for in-body headers only at the top, so the body does not
    see it). Returns (body index of the message, the ``From:`` value) or None.
    """
    lines = body.lines
    for index in range(body.message_start, min(body.message_start + 6, body.message_end)):
        if not lines[index].startswith("-" * 10) or not _PREAMBLE_RULE.match(lines[index]):
            continue  # (the cheap test first: nearly every message has no preamble)
        cursor = index + 1
        while cursor < body.message_end and not lines[cursor].strip():
            cursor += 1
        match = _PREAMBLE_FROM.match(lines[cursor]) if cursor < body.message_end else None
        if match is None:
            return None
        cursor += 1
        while cursor < body.message_end and not lines[cursor].strip():
            cursor += 1
        return cursor, match.group(1)
    return None
