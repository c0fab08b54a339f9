"""PL2xx: versions and their changelogs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from patchlint.model.changelog import COMPARE_MIN_CHARS, ChangelogEntry
from patchlint.model.posting import Posting
from patchlint.options import option
from patchlint.rule import Rule, Scope, Violation
from patchlint.model.series import Series


@dataclass(frozen=True)
class VersionChangelogOptions:
    """Options of version-changelog."""

    require_full_history: bool = option(
        True,
        'every version from v2 up needs an entry; false accepts a changelog that only covers '
        'the newest step.',
    )


class VersionChangelog(Rule):
    """From v2 on, a changelog says what changed, version by version.

    What it does:
        For a series at v2 or later, finds the changelog in the cover letter or, when the series
        was sent without one or its cover letter says nothing of the changes while its patches
        do, below the ``---`` line of its patches (a single patch carries its own; in a series
        where some patches carry one, a patch without one, or whose entries stop at an older
        version while a sibling's name this one, is taken to be unchanged or new in this
        version, and a series where none does is told so once). It reports: no changelog at
        all; a newest entry that is not for this version; an
        entry for a version newer than the posting; a missing step back to v1 (no entry for v3
        in a v4 posting); two entries for one version; a heading written backwards
        (``from v11 to v10``); and two versions with identical entries (copy-paste). When a
        patch's cover letter is not in the input, it says nothing rather than guess.

        Headings are recognised by their grammar (see :mod:`patchlint.model.changelog`):
        ``v2 -> v3``, ``v1-v2:``, ``Changes in v3``, ``Changes since v2``, ``Changed from v2``,
        ``Changelog v3``, ``Changes since version 2``, ``from v2 to v3``, ``v3:`` lists and
        more. ``v2: <link>`` lines are links, not entries. A changelog without a heading counts
        as one, for this version only: text below a patch's ``---`` other than the diffstat,
        or a line of a cover letter that says what changed in this version (``No code changes
        in v2.``) or what only a revision says of itself (``This is just a rebase …``,
        ``This needed a rebase of patch 1 …``, ``Addressed the review comments``); so does one
        under an RFC's heading (``Changes since RFC v1:``). The checks
        of versions (newest entry, duplicates, gaps) use only the headings that name a version
        of this series. A patch sent without a cover letter whose changelog is in the commit
        message, above ``---``, is told so: git am would commit it.
        Entries shorter than 15 characters (``rebased``, ``none``) are not compared.

    Why it matters:
        Reviewers re-read a new version by its changelog; the kernel's submitting-patches asks
        for one in every revised posting. A changelog that skips a version or repeats the last
        one hides what changed.

    Bad:
        ``[PATCH v3 0/4]`` with only ``v2: - fix typo`` (newest entry is not v3), or with
        ``v3:`` and ``v2:`` entries that are word for word the same.

    Good:
        ``[PATCH v3 0/4]`` with ``Changes in v3: …`` then ``Changes in v2: …``.
    """

    code = "PL201"
    name = "version-changelog"
    scope = Scope.SERIES
    Options = VersionChangelogOptions

    def applies(self, target: object) -> bool:
        return isinstance(target, Series) and target.version >= 2

    def check(self, target: Series) -> Iterator[Violation]:
        patches = [posting for postings in target.patches.values() for posting in postings]
        with_changelog = [posting for posting in patches if posting.changelog]
        if target.cover is not None:
            if target.cover.changelog or not with_changelog:
                yield from self._judge(target.cover, target.version, "the cover letter")
                return
            # A cover letter that says nothing of the changes while the patches do below their
            # '---': the changelog is kept per patch, a form reviewers accept. Judge those.
            yield from self._judge_notes(with_changelog, target.version)
            return
        # Without a cover letter sent, the notes carry the changelog; a cover letter that is
        # merely missing from the input may hold it, and then nothing can be said.
        if target.total and target.total > 1 and not target.sent_without_cover:
            return
        if not with_changelog and len(patches) > 1:
            # One defect, one report: the series says nowhere what changed.
            yield self.violation(
                target.patches[min(target.patches)][0],
                f"v{target.version} has no changelog in any of its {len(patches)} patches: say "
                f"what changed since v{target.version - 1} below the '---' of the patches it "
                f"changed, or in a cover letter (git format-patch --cover-letter)",
            )
            return
        # Siblings that say what changed, and a patch that says nothing: it is unchanged
        # since the last version, or new in this one; nothing to ask of it.
        yield from self._judge_notes(with_changelog or patches, target.version)

    def _judge_notes(self, patches: list[Posting], version: int) -> Iterator[Violation]:
        """Judge the changelogs patches carry below '---'. A patch whose history stops at an
        older version while a sibling's names this one was not changed since (as a patch that
        says nothing while its siblings do)."""
        current = any(e.exact and e.version == version for p in patches for e in p.changelog)
        for posting in patches:
            yield from self._judge(posting, version, "the notes below '---'", unchanged_ok=current)

    def _judge(self, posting: Posting, version: int, where: str, unchanged_ok: bool = False) -> Iterator[Violation]:
        found = posting.changelog
        if not found:
            yield self.violation(
                posting,
                f"v{version} has no changelog: say what changed since v{version - 1} in {where} "
                f"(e.g. 'Changes in v{version}:')",
            )
            return
        line = posting.line
        if posting.changelog_in_commit_message:
            yield self.violation(
                posting,
                f"the changelog ({found[0].heading!r}) is in the commit message, above '---': "
                "git am commits it with the message; move it below the '---' line",
                line(found[0].index),
            )
        entries = tuple(e for e in found if e.exact)
        if not entries:
            yield from self._copies(posting, found)
            return
        for entry in entries:
            if entry.reversed:
                yield self.violation(
                    posting,
                    f"changelog heading {entry.heading!r} runs backwards: write "
                    f"'v{entry.from_version} -> v{entry.version}'",
                    line(entry.index),
                )
            if entry.version > version:
                yield self.violation(
                    posting,
                    f"changelog entry {entry.heading!r} is for v{entry.version}, newer than this "
                    f"v{version} posting",
                    line(entry.index),
                )
        newest = max(entries, key=lambda e: e.version)
        # An entry under an RFC's heading describes this posting: it has its entry then.
        if newest.version < version and all(e.exact for e in found) and not unchanged_ok:
            yield self.violation(
                posting,
                f"the newest changelog entry is headed v{newest.version} ({newest.heading!r}) in "
                f"this v{version} posting: add the entry for v{version}, or correct that heading "
                f"if the entry is this version's",
                line(newest.index),
            )
        counts = Counter(e.version for e in entries if e.version <= version)
        for number, count in sorted(counts.items()):
            if count > 1 and number > 1:
                twice = [e for e in entries if e.version == number][1]
                yield self.violation(
                    posting, f"{count} changelog entries for v{number}", line(twice.index)
                )
        if self.options.require_full_history:
            # The versions from v2 on without an entry, found among the ones that have one
            # (a subject may claim v1000000000000: no list of every version before it).
            gaps, more = _gaps(counts, version)
            if gaps and newest.version >= version:
                listed = ", ".join(f"v{n}" for n in gaps) + (f" and {more} more" if more else "")
                yield self.violation(
                    posting,
                    f"the changelog skips {listed}: every version from v2 on should have an entry",
                    line(entries[0].index),
                )
        yield from self._copies(posting, entries)

    def _copies(self, posting: Posting, entries: tuple[ChangelogEntry, ...]) -> Iterator[Violation]:
        seen: dict[str, ChangelogEntry] = {}
        for entry in entries:
            if len(entry.text) < COMPARE_MIN_CHARS:
                continue
            earlier = seen.get(entry.text)
            if earlier is not None and earlier.version != entry.version:
                yield self.violation(
                    posting,
                    f"the entries for v{earlier.version} and v{entry.version} are identical "
                    "(copied?): each should say what that version changed",
                    posting.line(entry.index),
                )
            seen.setdefault(entry.text, entry)



def _gaps(present: Collection[int], version: int, listed: int = 20) -> tuple[list[int], int]:
    """The first ``listed`` of the versions v2 … v``version`` missing from ``present``, and
    how many more are missing: found from the versions present, so that a subject claiming
    v1000000000000 costs no list of every version before it."""
    first: list[int] = []
    more = 0
    expected = 2
    for number in sorted({n for n in present if 2 <= n <= version} | {version + 1}):
        if number > expected:
            take = min(number - expected, listed - len(first))
            first.extend(range(expected, expected + take))
            more += number - expected - take
        expected = number + 1
    return first, more
