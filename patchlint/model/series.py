"""Series: the postings of one version of one patch series, grouped from threading and markers."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from patchlint.model.cached import cached_property

from patchlint.model.posting import Kind, Posting
from patchlint.model.subject import subsystem_and_rest

# Unthreaded patches join a series only when sent within this time of its other members.
UNTHREADED_WINDOW = timedelta(hours=1)
# How many groups an unthreaded patch is tried against: far more than one sender has open at
# once, and a bound on the work of an archive of thousands of unthreaded patches.
MAX_HOME_CANDIDATES = 1000
# How many missing counters a series lists (its count is exact whatever the total).
MISSING_LISTED = 1000


@dataclass(frozen=True, eq=False)
class Series:
    """One version of one series as far as the input holds it.

    ``postings`` keeps input order. A series from an archive window or a single patch file is
    often incomplete; ``missing`` says what is absent without that being an error.
    """

    postings: tuple[Posting, ...]
    repeats: tuple[Posting, ...] = ()
    """Further deliveries of these postings (the same mail again, from a relay or a second list):
    counted, never judged."""

    @cached_property
    def version(self) -> int:
        """The series version: the cover letter's, else the most common (1 when none is given)."""
        if self.cover is not None:
            return self.cover.subject.version or 1
        versions = Counter(p.subject.version or 1 for p in self.postings)
        return versions.most_common(1)[0][0]

    @cached_property
    def total(self) -> int | None:
        """The expected number of patches: the most common ``N`` of the patches' ``M/N`` (None
        for single patches). The cover letter's ``0/N`` counts only when no patch has one: the
        patches are what the series is, and a cover letter kept from an earlier version (or
        numbered by hand) says another number."""
        totals = Counter(p.subject.total for p in self.postings if p.subject.total and p.kind is Kind.PATCH)
        if not totals:
            totals = Counter(p.subject.total for p in self.postings if p.subject.total)
        return totals.most_common(1)[0][0] if totals else None

    @cached_property
    def cover(self) -> Posting | None:
        """The cover letter (``0/N``) or, for a pull request, the request itself."""
        for posting in self.postings:
            if posting.kind in (Kind.COVER, Kind.PULL):
                return posting
        return None

    @cached_property
    def patches(self) -> dict[int, tuple[Posting, ...]]:
        """Patches by counter (a single patch without ``M/N`` is number 1)."""
        found: dict[int, list[Posting]] = {}
        for posting in self.postings:
            if posting.kind is Kind.PATCH:
                found.setdefault(posting.subject.counter or 1, []).append(posting)
        return {counter: tuple(found[counter]) for counter in sorted(found)}

    @cached_property
    def missing(self) -> tuple[int, ...]:
        """Counters 1..N not present in the input: the first :data:`MISSING_LISTED` of them
        (a subject may claim a total of a trillion; :attr:`missing_count` counts them all)."""
        if not self.total:
            return ()
        found: list[int] = []
        number = 1
        # Each step finds a missing counter or passes a present one: the loop is bounded by
        # the listing and the patches, not by the total.
        while number <= self.total and len(found) < MISSING_LISTED:
            if number not in self.patches:
                found.append(number)
            number += 1
        return tuple(found)

    @cached_property
    def missing_count(self) -> int:
        """How many counters 1..N are not present in the input."""
        if not self.total:
            return 0
        return self.total - sum(1 for number in self.patches if 1 <= number <= self.total)

    @property
    def duplicates(self) -> tuple[int, ...]:
        """Counters present more than once."""
        return tuple(n for n, postings in self.patches.items() if len(postings) > 1)

    @property
    def complete(self) -> bool:
        """Every patch 1..N is present (the cover letter is not required)."""
        return bool(self.patches) and not self.missing

    @property
    def sent_without_cover(self) -> bool:
        """No cover letter was sent: patch 1 is in the input and answers no mail, and that says
        so: it was threaded (it has a Message-ID, and a cover letter would be its parent), or
        the whole series is in the input.

        Unthreaded files (``git format-patch`` output before git send-email numbers the
        thread, the one file the sendemail-validate hook is given) answer nothing whether or
        not there is a cover letter: part of such a series cannot tell, since its cover
        letter may be among what the input does not hold."""
        if self.cover is not None:
            return False
        first = self.patches.get(1, ())
        if not first or first[0].in_reply_to or first[0].references:
            return False
        return first[0].message_id is not None or self.complete

    @property
    def backports(self) -> bool:
        """Every patch is a stable backport of an upstream commit (:attr:`Posting.upstream_commit`):
        a selection of commits for a stable tree (the AUTOSEL robot's, a stable review), not a
        series written for this list."""
        return bool(self.patches) and all(p.upstream_commit for ps in self.patches.values() for p in ps)

    @cached_property
    def independent(self) -> bool:
        """A batch of independent changes, one per component of one subsystem: the whole series
        is in the input, each patch's summary names a component of the same subsystem that no
        other patch names (``i2c: at91:``, ``i2c: iproc:``, ``i2c: pxa:`` …), and no file is
        changed by two patches. Such a batch (one cleanup or conversion per driver) has nothing
        to tie together that its commit messages do not say; a series building one thing
        (``dt-bindings: …``, ``i2c: foo: add …``, ``i2c: foo: use …``) is none."""
        if not self.complete or len(self.patches) < 2:
            return False
        areas: set[str] = set()
        subsystems: set[str] = set()
        files: set[str] = set()
        for group in self.patches.values():
            if len(group) != 1:
                return False
            patch = group[0]
            area, _ = subsystem_and_rest(patch.subject.summary)
            parts = [part for part in area.split(": ") if part.strip()]
            if len(parts) < 2 or area in areas or patch.diff is None or not patch.diff.files:
                return False
            areas.add(area)
            subsystems.add(parts[0])
            for change in patch.diff.files:
                for path in {change.old_path, change.new_path} - {"/dev/null", ""}:
                    if path in files:
                        return False
                    files.add(path)
        return len(subsystems) == 1

    @cached_property
    def chained(self) -> tuple[int, ...]:
        """Counters of the patches that answer the patch before them, where the series is a chain
        (``git send-email --chain-reply-to``): at least two links in a row, ``k`` answering
        ``k-1`` and ``k+1`` answering ``k``. A single link is what a series sent in two runs
        looks like (the second run's patches answer its first patch), so it is not a chain."""
        by_id = {p.message_id: p for p in self.postings if p.message_id}
        links = set()
        for counter, postings in self.patches.items():
            parent = by_id.get(postings[0].in_reply_to or "")
            if parent is not None and parent.kind is Kind.PATCH and parent.subject.counter == counter - 1:
                links.add(counter)
        return tuple(sorted(k for k in links if k - 1 in links or k + 1 in links))

    @property
    def label(self) -> str:
        """A readable name: the cover letter's subject, else the first patch's."""
        first = self.cover or self.postings[0]
        return first.subject.raw or f"{first.raw.source}#{first.raw.index}"

    @property
    def anchor(self) -> Posting:
        """The posting a series-wide violation is reported against."""
        return self.cover or next(iter(self.patches.values()))[0]


def _markers(posting: Posting) -> tuple:
    subject = posting.subject
    sender = posting.sender.email_key if posting.sender else ""
    return (sender, subject.version or 1, subject.total, tuple(sorted(subject.words)))


def _same_sender(a: Posting, b: Posting) -> bool:
    return a.sender is not None and b.sender is not None and a.sender.email_key == b.sender.email_key


def _joins(child: Posting, parent: Posting) -> bool:
    """Whether ``child``, answering ``parent``, belongs to ``parent``'s series.

    Only a patch sent with its parent does: a patch answering a cover letter a day later (a
    revised patch, a new revision of the whole series sent with ``--in-reply-to``) is a
    posting of its own.
    """
    if child.kind is not Kind.PATCH or not parent.is_posting or not _close(child, parent):
        return False
    if parent.kind is Kind.COVER:
        if child.subject.total == parent.subject.total or not child.subject.total:
            return True
        # Another total in answer to the cover of the same version, from the same sender, is a
        # numbering mistake inside the series, not another series.
        return (child.subject.version or 1) == (parent.subject.version or 1) and _same_sender(child, parent)
    if parent.kind is Kind.PULL:
        return bool(child.subject.total)
    # Patches answering a patch of the same numbered series: a chain (--chain-reply-to), or
    # a series sent without a cover letter (each patch answers the first). One run of git
    # send-email sends one series, so a patch of that run whose prefix lost the version the
    # others carry ('[PATCH nft 2/2]' answering '[PATCH,v2 nft 1/2]') is still of it.
    if not child.subject.total or child.subject.total != parent.subject.total:
        return False
    if (child.subject.version or 1) == (parent.subject.version or 1):
        return True
    run = child.send_email_run
    return run is not None and run == parent.send_email_run and child.subject.counter != parent.subject.counter


def delivery_key(posting: Posting) -> tuple[str, str, str, bytes] | None:
    """What makes two copies in the input one mail: the same Message-ID, Date, subject and text.

    A relay or a second list delivers a mail again with other ``Received:`` headers, perhaps a
    list tag (``[LTP]``) in front of the subject, another transfer encoding and a footer below
    the signature; the Date its sender gave it, the subject's prefix and summary and the text
    down to the sender's signature stay. Two different mails that share a Message-ID (a
    reused ``format-patch`` file, an edited resend) differ in one of them. None for a mail
    without a Message-ID.
    """
    if not posting.message_id:
        return None
    date = posting.date
    subject = posting.subject
    # Whitespace aside: a list that refolds a long Subject adds a space after a comma.
    written = "".join(f"{subject.prefix_text}{subject.summary}".split())
    body = posting.body
    lines = body.lines
    # Down to the sender's signature (a list's footer may follow), hashed in one call.
    end = min(_index_of(lines, "-- ", body.message_start), _index_of(lines, "--", body.message_start))
    text = "\n".join(map(str.rstrip, lines[body.message_start : end]))
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return (posting.message_id, date.isoformat() if date else "", written, digest)


def _index_of(lines: tuple[str, ...], line: str, start: int) -> int:
    """The index of the first ``line`` in ``lines`` from ``start`` on, else ``len(lines)``."""
    try:
        return lines.index(line, start)
    except ValueError:
        return len(lines)


@dataclass(eq=False)
class Deliveries:
    """Remembers the postings seen, to tell a repeated delivery from a new mail.

    One per run: the engine asks :meth:`repeat_of` as messages stream by and judges only the
    first copy of each mail.
    """

    seen: dict[tuple[str, str, str, bytes], Posting] = field(default_factory=dict)

    def repeat_of(self, posting: Posting) -> Posting | None:
        """The earlier copy of ``posting``, or None if this is the first (recording it)."""
        key = delivery_key(posting)
        if key is None:
            return None
        first = self.seen.setdefault(key, posting)
        return None if first is posting else first


def group_series(postings: Iterable[Posting], dedupe: bool = True) -> list[Series]:
    """Group postings (patches, covers, pull requests) into series.

    Threading first: a patch joins the series of the nearest message it answers that is in the
    input and is its cover letter, pull request or an earlier patch of the same numbered series
    (so a v2 cover sent in reply to v1 starts its own series; a patch of the same git send-email
    run as the one it answers is of its series even when its prefix gives another version). Patches whose ancestors are not in
    the input group by thread root, version and, without ``M/N``, sender. Then unthreaded patches
    of a numbered series join the group with the same sender, version, total and prefix words,
    sent within an hour and not already holding their counter.

    ``dedupe=False``: the postings are known to hold no repeated delivery (the engine judged
    only first copies), so none is looked for.
    """
    members: list[Posting] = []
    repeats: dict[int, list[Posting]] = {}
    deliveries = Deliveries()
    for posting in postings:
        if not posting.is_posting:
            continue
        first = deliveries.repeat_of(posting) if dedupe else None
        if first is None:
            members.append(posting)
        else:
            repeats.setdefault(id(first), []).append(posting)
    by_id = {p.message_id: p for p in members if p.message_id}
    group_of: dict[int, list[Posting]] = {}
    groups: dict[tuple, list[Posting]] = {}
    unthreaded: list[Posting] = []

    def parent(posting: Posting, visiting: set[int]) -> Posting | None:
        refs = (posting.in_reply_to, *reversed(posting.references))
        for ref in dict.fromkeys(r for r in refs if r):
            found = by_id.get(ref)
            if found is not None and id(found) not in visiting and _joins(posting, found):
                return found
        return None

    def place(posting: Posting) -> list[Posting]:
        # Up the chain of parents to one already placed or one that starts a group, then the
        # whole chain joins that group: a loop, not a recursion (a chain of thousands of
        # patches answering each other, listed newest first, is thousands of levels deep).
        # Postings on the chain are not parents again (reference cycles in hostile input).
        chain = [posting]
        visiting = {id(posting)}
        group = group_of.get(id(posting))
        while group is None:
            above = parent(chain[-1], visiting)
            if above is None:
                group = start_group(chain[-1])
                break
            group = group_of.get(id(above))
            if group is None:
                chain.append(above)
                visiting.add(id(above))
        for member in chain:
            group_of[id(member)] = group
        return group

    def start_group(posting: Posting) -> list[Posting]:
        """The group a posting joins when it answers no posting of its series."""
        subject = posting.subject
        threaded = bool(posting.in_reply_to or posting.references)
        if posting.kind is Kind.PATCH and subject.total and not threaded:
            unthreaded.append(posting)
            group: list[Posting] = []  # placed later, by markers
        else:
            root = None
            if posting.kind is Kind.PATCH and subject.total:
                root = posting.references[0] if posting.references else posting.in_reply_to
            # An unnumbered patch that answers no cover letter is a series of its own: two
            # of them in one thread (backports for two stable trees, fixes posted in a
            # discussion) are separate postings.
            root = root or posting.message_id or f"{posting.raw.source}#{posting.raw.index}"
            sender = "" if subject.total else (posting.sender.email_key if posting.sender else "")
            # The kind keeps a cover letter's or pull request's own group (keyed by its
            # Message-ID) apart from the thread-root group of patches answering it: a patch
            # that _joins() turned away (another total, no M/N under a pull request) must not
            # slip into that series through the key.
            is_patch = posting.kind is Kind.PATCH
            key = (root, subject.version or 1, bool(subject.total), sender, is_patch)
            group = groups.setdefault(key, [])
        return group

    for posting in members:
        place(posting).append(posting)
    _adopt_siblings(members, groups, group_of)
    homes: dict[tuple, _Homes] = {}
    for group in groups.values():
        homes.setdefault(_markers(group[0]), _Homes()).add(group)
    for posting in unthreaded:
        # Its placeholder group holds the posting itself and any patches chained to it.
        chained = group_of[id(posting)]
        candidates = homes.setdefault(_markers(posting), _Homes())
        target = candidates.find(posting)
        if target is None:
            groups[("unthreaded", id(posting))] = chained
            candidates.add(chained)
        else:
            candidates.extend(target, chained)
    series = []
    for group in groups.values():
        for run in _runs(sorted(group, key=_order)):
            again = tuple(copy for p in run for copy in repeats.get(id(p), ()))
            series.append(Series(tuple(run), again))
    series.sort(key=lambda s: _order(s.postings[0]))
    return series


def _runs(group: list[Posting]) -> list[list[Posting]]:
    """Split a group without a cover letter where its numbering starts again with patches of
    other summaries: several series sent in one git send-email run, all answering its first
    mail. (A patch sent twice keeps its summary, and stays a duplicate of its series.)"""
    if any(p.kind is not Kind.PATCH for p in group):
        return [group]
    runs: list[list[Posting]] = [[]]
    for posting in group:
        run = runs[-1]
        counter = posting.subject.counter
        previous = run[-1].subject.counter if run else None
        if counter is not None and previous is not None and counter < previous:
            same = [p for p in run if p.subject.counter == counter]
            if not any(_summary(p) == _summary(posting) for p in same):
                runs.append([])
        runs[-1].append(posting)
    return runs


def _summary(posting: Posting) -> str:
    return " ".join(posting.commit_summary.split())


def _adopt_siblings(
    members: list[Posting], groups: dict[tuple, list[Posting]], group_of: dict[int, list[Posting]]
) -> None:
    """Give a cover letter the patches sent beside it rather than under it.

    ``git send-email --in-reply-to=<message>`` without threading under the cover puts the cover
    letter and every patch in answer to the same earlier message: the patches then share that
    thread root with the cover letter instead of answering it.
    """
    for cover in members:
        if cover.kind is not Kind.COVER or not (cover.references or cover.in_reply_to):
            continue
        root = cover.references[0] if cover.references else cover.in_reply_to
        key = (root, cover.subject.version or 1, True, "", True)
        siblings = groups.get(key)
        own = group_of[id(cover)]
        if not siblings or siblings is own:
            continue
        if all(_same_sender(p, cover) and p.subject.total == cover.subject.total for p in siblings):
            own.extend(siblings)
            for posting in siblings:
                group_of[id(posting)] = own
            del groups[key]


def _order(posting: Posting) -> tuple[str, int]:
    return (posting.raw.source, posting.raw.index)


@dataclass(eq=False)
class _Homes:
    """The groups an unthreaded patch with given markers may join, in the order they were made
    (the mutable state of one grouping, never stored).

    A patch joins the first group that does not hold its counter and whose every member was
    sent within :data:`UNTHREADED_WINDOW` of it. Each group keeps its counters and the span of
    its dates, and each counter where the groups that may lack it begin (a group never loses a
    counter), so an archive of thousands of unthreaded patches is not a comparison of each
    with every earlier one. At most :data:`MAX_HOME_CANDIDATES` groups are tried per patch.
    """

    groups: list[list[Posting]] = field(default_factory=list)
    counters: list[set[int | None]] = field(default_factory=list)
    spans: list[tuple[datetime, datetime] | None] = field(default_factory=list)
    first_without: dict[int | None, int] = field(default_factory=dict)

    def add(self, members: list[Posting]) -> None:
        self.groups.append(members)
        self.counters.append(set())
        self.spans.append(None)
        self._note(len(self.groups) - 1, members)

    def extend(self, index: int, members: list[Posting]) -> None:
        self.groups[index].extend(members)
        self._note(index, members)

    def find(self, posting: Posting) -> int | None:
        """The index of the group ``posting`` joins, or None."""
        counter = posting.subject.counter
        start = self.first_without.get(counter, 0)
        while start < len(self.groups) and counter in self.counters[start]:
            start += 1
        self.first_without[counter] = start
        for index in range(start, min(len(self.groups), start + MAX_HOME_CANDIDATES)):
            if counter not in self.counters[index] and self._close(posting, index):
                return index
        return None

    def _note(self, index: int, members: list[Posting]) -> None:
        counters = self.counters[index]
        span = self.spans[index]
        for member in members:
            counters.add(member.subject.counter)
            date = member.date
            if date is not None:
                span = (date, date) if span is None else (min(span[0], date), max(span[1], date))
        self.spans[index] = span

    def _close(self, posting: Posting, index: int) -> bool:
        """Whether ``posting`` was sent within the window of every dated member of the group
        (what :func:`_close` says of each pair)."""
        date, span = posting.date, self.spans[index]
        if date is None or span is None:
            return True
        earliest, latest = span
        return latest - UNTHREADED_WINDOW <= date <= earliest + UNTHREADED_WINDOW


def _close(a: Posting, b: Posting) -> bool:
    if a.date is None or b.date is None:
        return True
    return abs(a.date - b.date) <= UNTHREADED_WINDOW
