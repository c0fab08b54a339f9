"""Series: the postings of one version of one patch series, grouped from threading and markers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from patchlint.model.posting import Kind, Posting

# Unthreaded patches join a series only when sent within this time of its other members.
UNTHREADED_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, eq=False)
class Series:
    """One version of one series as far as the input holds it.

    ``postings`` keeps input order. A series from an archive window or a single patch file is
    often incomplete; ``missing`` says what is absent without that being an error.
    """

    postings: tuple[Posting, ...]

    @cached_property
    def version(self) -> int:
        """The series version: the cover letter's, else the most common (1 when none is given)."""
        if self.cover is not None:
            return self.cover.subject.version or 1
        versions = Counter(p.subject.version or 1 for p in self.postings)
        return versions.most_common(1)[0][0]

    @cached_property
    def total(self) -> int | None:
        """The expected number of patches: the most common ``N`` of ``M/N`` (None for single patches)."""
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

    @property
    def missing(self) -> tuple[int, ...]:
        """Counters 1..N not present in the input."""
        if not self.total:
            return ()
        return tuple(n for n in range(1, self.total + 1) if n not in self.patches)

    @property
    def duplicates(self) -> tuple[int, ...]:
        """Counters present more than once."""
        return tuple(n for n, postings in self.patches.items() if len(postings) > 1)

    @property
    def complete(self) -> bool:
        """Every patch 1..N is present (the cover letter is not required)."""
        return bool(self.patches) and not self.missing

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
    """Whether ``child``, answering ``parent``, belongs to ``parent``'s series."""
    if child.kind is not Kind.PATCH or not parent.is_posting:
        return False
    if parent.kind is Kind.COVER:
        if child.subject.total == parent.subject.total or not child.subject.total:
            return True
        # Another total in answer to the cover of the same version, from the same sender, is a
        # numbering mistake inside the series, not another series.
        return (child.subject.version or 1) == (parent.subject.version or 1) and _same_sender(child, parent)
    if parent.kind is Kind.PULL:
        return bool(child.subject.total)
    # A chain (--chain-reply-to): patches answering patches of the same numbered series.
    return (
        bool(child.subject.total)
        and child.subject.total == parent.subject.total
        and (child.subject.version or 1) == (parent.subject.version or 1)
    )


def group_series(postings: Iterable[Posting]) -> list[Series]:
    """Group postings (patches, covers, pull requests) into series.

    Threading first: a patch joins the series of the nearest message it answers that is in the
    input and is its cover letter, pull request or an earlier patch of the same numbered series
    (so a v2 cover sent in reply to v1 starts its own series). Patches whose ancestors are not in
    the input group by thread root, version and, without ``M/N``, sender. Then unthreaded patches
    of a numbered series join the group with the same sender, version, total and prefix words,
    sent within an hour and not already holding their counter.
    """
    members = [p for p in postings if p.is_posting]
    by_id = {p.message_id: p for p in members if p.message_id}
    group_of: dict[int, list[Posting]] = {}
    groups: dict[tuple, list[Posting]] = {}
    unthreaded: list[Posting] = []
    visiting: set[int] = set()  # guards against reference cycles in hostile input

    def parent_group(posting: Posting) -> list[Posting] | None:
        refs = (posting.in_reply_to, *reversed(posting.references))
        for ref in dict.fromkeys(r for r in refs if r):
            parent = by_id.get(ref)
            if parent is not None and id(parent) not in visiting and _joins(posting, parent):
                return place(parent)
        return None

    def place(posting: Posting) -> list[Posting]:
        found = group_of.get(id(posting))
        if found is not None:
            return found
        visiting.add(id(posting))
        group = parent_group(posting)
        visiting.discard(id(posting))
        if group is None:
            subject = posting.subject
            threaded = bool(posting.in_reply_to or posting.references)
            if posting.kind is Kind.PATCH and subject.total and not threaded:
                unthreaded.append(posting)
                group = []  # placed later, by markers
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
        group_of[id(posting)] = group
        return group

    for posting in members:
        place(posting).append(posting)
    _adopt_siblings(members, groups, group_of)
    homes: dict[tuple, list[list[Posting]]] = {}
    for group in groups.values():
        homes.setdefault(_markers(group[0]), []).append(group)
    for posting in unthreaded:
        # Its placeholder group holds the posting itself and any patches chained to it.
        chained = group_of[id(posting)]
        target = _find_home(posting, homes.get(_markers(posting), []))
        if target is None:
            groups[("unthreaded", id(posting))] = chained
            homes.setdefault(_markers(posting), []).append(chained)
        else:
            target.extend(chained)
    series = [Series(tuple(sorted(g, key=_order))) for g in groups.values() if g]
    series.sort(key=lambda s: _order(s.postings[0]))
    return series


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


def _find_home(posting: Posting, candidates: list[list[Posting]]) -> list[Posting] | None:
    counter = posting.subject.counter
    for members in candidates:
        if any(m.subject.counter == counter for m in members):
            continue
        if all(_close(posting, member) for member in members):
            return members
    return None


def _close(a: Posting, b: Posting) -> bool:
    if a.date is None or b.date is None:
        return True
    return abs(a.date - b.date) <= UNTHREADED_WINDOW
