"""PL11x: series as a whole — numbering, cover letter, shortlog, threading, pull requests."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from patchlint.model.posting import Kind, Posting
from patchlint.options import option
from patchlint.rule import Rule, Scope, Severity, Violation
from patchlint.model.series import Series


def _normal(text: str) -> str:
    return " ".join(text.split())


def _subject_line(posting: Posting) -> int:
    return posting.line_of_header("Subject")


class SeriesNumbering(Rule):
    """Counters are used once each, with one total for the whole series.

    What it does:
        Reports a posting whose total ``N`` differs from the rest of its series (the total is
        the patches': a cover letter numbered for another length, kept from an earlier version
        or edited by hand, is reported as such, with what its patches and its shortlog say), a
        counter used by two patches of one series, and a cover letter numbered other than ``0/N`` (a
        mail without a diff whose body is a cover letter: a shortlog, a diffstat, or the
        patches answering it). Missing counters are not reported here (see
        incomplete-series); ``0/N`` is always read as the cover letter (one that shows an
        illustrative diff is still a cover letter). What is not a patch is not counted: a
        review reply whose subject lost its ``Re:``, or the same mail delivered twice by a
        relay (the run's summary counts those deliveries).

    Why it matters:
        Tools apply a series by its numbering; two patches numbered 3/7, or a 3/8 among 3/7s,
        mean a patch was resent or renumbered by hand and the series cannot be applied as sent.

    Bad:
        ``[PATCH 1/3]``, ``[PATCH 2/3]``, ``[PATCH 2/3]``, ``[PATCH 3/4]`` in one thread.

    Good:
        ``[PATCH 0/3]``, ``[PATCH 1/3]``, ``[PATCH 2/3]``, ``[PATCH 3/3]``.
    """

    code = "PL110"
    name = "series-numbering"
    scope = Scope.SERIES

    def applies(self, target: object) -> bool:
        return isinstance(target, Series) and bool(target.total)

    def check(self, target: Series) -> Iterator[Violation]:
        total = target.total
        cover = target.cover
        if cover is not None and cover.kind is Kind.COVER and cover.subject.counter:
            subject = cover.subject
            width = len(subject.total_text)
            yield self.violation(
                cover,
                f"the cover letter is numbered {subject.counter_text}/{subject.total_text}: "
                f"git format-patch --cover-letter numbers it {'0' * width}/{subject.total_text}",
                _subject_line(cover),
            )
        for posting in target.postings:
            subject = posting.subject
            if subject.total and subject.total != total:
                if posting is cover:
                    yield self.violation(cover, _stale_cover_total(target, cover, total), _subject_line(cover))
                    continue
                yield self.violation(
                    posting,
                    f"numbered {subject.counter}/{subject.total} in a series of {total}",
                    _subject_line(posting),
                )
        for counter in target.duplicates:
            for posting in target.patches[counter][1:]:
                yield self.violation(
                    posting, f"a second patch numbered {counter}/{total} in the series", _subject_line(posting)
                )


def _stale_cover_total(series: Series, cover: Posting, total: int) -> str:
    """What is wrong with a cover letter whose ``N`` is not the total its patches carry: it was
    numbered for another length of the series (a subject kept from an earlier version, a count
    edited by hand), and what git writes instead."""
    subject = cover.subject
    numbered = sum(len(ps) for ps in series.patches.values() if ps[0].subject.total == total)
    said = f"the cover letter is numbered {subject.counter_text}/{subject.total_text}"
    patches = f"{numbered} patch{'es' if numbered != 1 else ''} of its series"
    message = f"{said}, but the {patches} in the input {'are' if numbered != 1 else 'is'} numbered M/{total}"
    shortlog = cover.shortlog
    if shortlog is not None and shortlog.count == total:
        message += f" and its shortlog lists {total}"
    zero = "0" * len(str(total))
    return f"{message}: git format-patch --cover-letter numbers it {zero}/{total}"


class IncompleteSeries(Rule):
    """A series in the input lacks some of its patches (information, once per series).

    What it does:
        Reports, once per series and with severity ``info``, the counters 1..N that are not in
        the input. An archive window or a single patch file is normally incomplete, so this
        never fails a check unless configured to.

    Why it matters:
        A maintainer applying a series, or a CI job gating it, needs to know that what it was
        given is not the whole series before judging the rest.

    Bad:
        ``[PATCH 1/3]`` and ``[PATCH 3/3]`` without ``[PATCH 2/3]``.

    Good:
        All of ``[PATCH 1/3]`` to ``[PATCH 3/3]``.
    """

    code = "PL111"
    name = "incomplete-series"
    scope = Scope.SERIES
    default_severity = Severity.INFO

    def applies(self, target: object) -> bool:
        return isinstance(target, Series) and bool(target.missing)

    def check(self, target: Series) -> Iterator[Violation]:
        missing = target.missing
        listed = ", ".join(f"{n}/{target.total}" for n in missing[:10])
        more = f" and {target.missing_count - 10} more" if target.missing_count > 10 else ""
        yield self.violation(
            target.anchor,
            f"the input holds {len(target.patches)} of {target.total} patches; missing {listed}{more}",
            _subject_line(target.anchor),
        )


@dataclass(frozen=True)
class MissingCoverLetterOptions:
    """Options of missing-cover-letter."""

    min_patches: int = option(3, 'the smallest series that needs a cover letter.')
    allow_independent: bool = option(
        False,
        "say nothing of a batch of independent changes, one per component of one subsystem "
        "(``i2c: at91: …``, ``i2c: iproc: …``, each patch to files no other patch changes): "
        "the kernel's documents make a cover letter customary for a significant series, and "
        "kernel maintainers apply such batches sent without one.",
    )


class MissingCoverLetter(Rule):
    """A series of several patches comes with a cover letter.

    What it does:
        Reports a series of at least ``min-patches`` patches that was sent without a ``0/N``
        cover letter (patch 1 answers no other message) and is not part of a pull request.
        When patch 1 answers a message missing from the input, nothing is said: the cover
        letter may simply not be in the input. Nor is anything said of part of an unthreaded
        series (one ``git format-patch`` file of three, the one file git's sendemail-validate
        hook is given): such files answer nothing even when a cover letter comes with them
        (incomplete-series says what is missing). Nor of a series of stable backports (each
        patch opens with ``[ Upstream commit <id> ]`` or ``commit <id> upstream.``, as the
        AUTOSEL robot's ``[PATCH AUTOSEL 6.1 01/12]`` do): a selection of upstream commits for
        a stable tree, not a series written for the list. With ``allow-independent``, nor of
        a batch of independent changes (one per driver of one subsystem, no file changed by two
        patches: ``Series.independent``).

    Why it matters:
        The cover letter explains what the series does as a whole, carries the changelog and the
        shortlog, and is where reviewers answer about the series; netdev's CI requires one from
        three patches on, and ``git format-patch --cover-letter`` writes its skeleton.

    Bad:
        ``[PATCH 1/4]`` … ``[PATCH 4/4]``, patch 1 starting the thread.

    Good:
        ``[PATCH 0/4]`` first, patches 1 to 4 answering it.
    """

    code = "PL112"
    name = "missing-cover-letter"
    scope = Scope.SERIES
    Options = MissingCoverLetterOptions

    def applies(self, target: object) -> bool:
        return isinstance(target, Series) and target.cover is None and bool(target.total)

    def check(self, target: Series) -> Iterator[Violation]:
        if (target.total or 0) < self.options.min_patches or not target.sent_without_cover:
            return
        if target.backports:
            return
        if self.options.allow_independent and target.independent:
            return
        first = target.patches[1][0]
        yield self.violation(
            first,
            f"a series of {target.total} patches without a cover letter: send it with "
            "git format-patch --cover-letter and describe the series there",
            _subject_line(first),
        )


@dataclass(frozen=True)
class CoverShortlogMismatchOptions:
    """Options of cover-shortlog-mismatch."""

    require_shortlog: bool = option(
        False,
        'report a cover letter without a shortlog (many maintainers write their cover letters'
        ' by hand, without one).',
    )


class CoverShortlogMismatch(Rule):
    """The cover letter's shortlog lists exactly the patches sent.

    What it does:
        Reads the ``Author (count):`` shortlog of a cover letter (wrapped summaries joined; the
        sections of a series for several repositories together, a pasted ``git request-pull``
        repeat left out) and reports: a shortlog whose number of patches differs from ``N``; an
        author line whose count differs from the summaries under it; each patch in the input
        whose summary is not in the shortlog; and, when the whole series is in the input, each
        shortlog summary no patch carries. A patch matches its line by the subject of the
        sender's commit as well as by what git am commits (``[TEMP] foo: bar`` under
        ``[PATCH 3/5] [TEMP] foo: bar`` is listed as ``[TEMP] foo: bar``), and where the list
        rewrote the spacing after the Subject's commas (Mailman 2: ``fcntl{34, 36}`` for the
        sender's ``fcntl{34,36}``) that spacing is not held against the sender. A patch whose
        summary was edited after the shortlog was written is one defect, reported once at the
        shortlog's line for it: in a shortlog of one author, one line per patch (in patch
        order, as git writes it), the line at its place; otherwise the line most alike. With
        ``require-shortlog``, a cover letter without a shortlog is reported too.

    Why it matters:
        ``git format-patch --cover-letter`` writes the shortlog from the commits it formats. One
        that disagrees with the patches was written for another version of the series, or the
        series was edited after the cover letter was written.

    Bad:
        ``Jane Doe (3):`` over three summaries in a ``0/4`` cover letter; a shortlog line
        ``net: foo: fix it`` for a patch whose subject became ``net: foo: fix the frobnicator``.

    Good:
        The shortlog ``git format-patch --cover-letter`` wrote for exactly these patches.
    """

    code = "PL113"
    name = "cover-shortlog-mismatch"
    scope = Scope.SERIES
    Options = CoverShortlogMismatchOptions

    def applies(self, target: object) -> bool:
        return isinstance(target, Series) and target.cover is not None and target.cover.kind is Kind.COVER

    def check(self, target: Series) -> Iterator[Violation]:
        cover = target.cover
        assert cover is not None
        shortlog = cover.shortlog
        if shortlog is None:
            if self.options.require_shortlog:
                yield self.violation(
                    cover,
                    "the cover letter has no shortlog ('Author (N):' and one summary per patch), so "
                    "its patch count cannot be verified: keep the one git format-patch --cover-letter writes",
                    _subject_line(cover),
                )
            return
        line = cover.line
        for author in shortlog.authors:
            if author.count != len(author.summaries):
                yield self.violation(
                    cover,
                    f"'{author.name} ({author.count}):' lists {len(author.summaries)} summaries",
                    line(author.index),
                )
        total = target.total
        if total and shortlog.count != total:
            yield self.violation(
                cover,
                f"the shortlog lists {shortlog.count} patches, the series has {total}",
                line(shortlog.authors[0].index),
            )
        respaced = any(p.subject_commas_respaced for ps in target.patches.values() for p in ps)
        unmatched = Counter(_sent_text(s, respaced) for s, _ in shortlog.entries)
        missing: list[tuple[int, Posting, str]] = []
        for counter, postings in target.patches.items():
            posting = postings[0]
            names = (posting.commit_summary, posting.subject.commit_subject)
            found = next((k for k in (_sent_text(n, respaced) for n in names) if unmatched[k] > 0), None)
            if found is not None:
                unmatched[found] -= 1
                continue
            missing.append((counter, posting, _normal(posting.commit_summary)))
        extra: list[tuple[int, str, int]] = []  # (position in the shortlog, summary, body index)
        if target.complete:
            for position, (summary, index) in enumerate(shortlog.entries):
                key = _sent_text(summary, respaced)
                if unmatched[key] > 0:
                    unmatched[key] -= 1
                    extra.append((position, summary, index))
        in_order = len(shortlog.authors) == 1 and shortlog.count == total
        paired = _pair_edited(missing, extra, in_order)
        for counter, posting, summary in missing:
            if counter in paired:
                (_, listed, index), alike = paired[counter]
                how = f"lists it as {listed!r}" if alike else f"lists {listed!r} in its place"
                yield self.violation(
                    cover,
                    f"patch {counter}/{total or '?'} is {summary!r}, but the cover letter's shortlog "
                    f"{how}: write the shortlog for the patches sent (git format-patch --cover-letter)",
                    line(index),
                )
                continue
            yield self.violation(
                posting,
                f"patch {counter}/{total or '?'} ({summary!r}) is not in the cover letter's shortlog",
                _subject_line(posting),
            )
        taken = {entry[0] for entry, _ in paired.values()}
        for position, summary, index in extra:
            if position not in taken:
                yield self.violation(
                    cover, f"the shortlog lists {summary!r}, which no patch of the series has", line(index)
                )


# How alike an edited summary and the shortlog's line for it are (difflib's ratio): 'fix read
# transfers in polled mode' and '… in polling mode' are 0.95, unrelated summaries below 0.5.
_ALIKE = 0.6


def _pair_edited(
    missing: list[tuple[int, Posting, str]], extra: list[tuple[int, str, int]], in_order: bool
) -> dict[int, tuple[tuple[int, str, int], bool]]:
    """Which shortlog line each unlisted patch was listed as, when it can be told: one edited
    summary is one defect, reported once. In a shortlog that lists the series in patch order
    (``in_order``: one author, one line per patch) the line at the patch's place is its own;
    otherwise the line most alike. Returns, per patch counter, the shortlog entry and whether
    the two are alike."""
    paired: dict[int, tuple[tuple[int, str, int], bool]] = {}
    if not missing or not extra:
        return paired

    def alike(summary: str, listed: str) -> float:
        return SequenceMatcher(None, summary.lower(), _normal(listed).lower()).ratio()

    used: set[int] = set()
    if in_order:
        at = {entry[0]: entry for entry in extra}
        for counter, _, summary in missing:
            entry = at.get(counter - 1)
            if entry is not None:
                paired[counter] = (entry, alike(summary, entry[1]) >= _ALIKE)
                used.add(entry[0])
    scores = sorted(
        (
            (alike(summary, entry[1]), counter, entry)
            for counter, _, summary in missing
            if counter not in paired
            for entry in extra
            if entry[0] not in used
        ),
        key=lambda item: -item[0],
    )
    for ratio, counter, entry in scores:
        if ratio < _ALIKE:
            break
        if counter in paired or entry[0] in used:
            continue
        paired[counter] = (entry, True)
        used.add(entry[0])
    return paired


def _sent_text(text: str, respaced: bool) -> str:
    """A summary as the sender wrote it, as far as can be told: whitespace runs are one space,
    and none after a comma where the list rewrote that spacing."""
    text = _normal(text)
    return re.sub(r", ", ",", text) if respaced else text


class DuplicateSummary(Rule):
    """No two patches of a series share a summary.

    What it does:
        Reports a patch whose summary another patch of the same series already uses; when the
        patches are not in the input, the cover letter's shortlog is checked instead.

    Why it matters:
        Two commits with one summary cannot be told apart in ``git log --oneline``, in
        ``Fixes:`` tags or in review replies; usually one of them was copied and not edited.

    Bad:
        ``KVM: x86: hyper-v: Honor HV_FEATURE_GUEST_CRASH_MSR_AVAILABLE privilege bit`` twice
        in one series.

    Good:
        Each patch says what it alone does.
    """

    code = "PL114"
    name = "duplicate-summary"
    scope = Scope.SERIES

    def check(self, target: Series) -> Iterator[Violation]:
        seen: set[str] = set()
        reported = False
        for counter, postings in target.patches.items():
            summary = _normal(postings[0].commit_summary)
            if summary in seen:
                reported = True
                yield self.violation(
                    postings[0],
                    f"patch {counter} repeats the summary {summary!r} of an earlier patch",
                    _subject_line(postings[0]),
                )
            seen.add(summary)
        cover = target.cover
        if reported or cover is None or cover.shortlog is None:
            return
        listed: set[str] = set()
        for summary, index in cover.shortlog.entries:
            key = _normal(summary)
            if key in listed:
                yield self.violation(
                    cover, f"the shortlog lists the summary {key!r} twice", cover.line(index)
                )
            listed.add(key)


@dataclass(frozen=True)
class SeriesTooLongOptions:
    """Options of series-too-long."""

    max_patches: int = option(15, 'the longest series accepted.')


class SeriesTooLong(Rule):
    """A series stays within the list's limit on patches.

    What it does:
        Reports a series numbered beyond ``max-patches`` (off by default; netdev's profile sets
        15, as netdev's rules ask).

    Why it matters:
        Lists with a limit will not review longer series; split it into parts that each make
        sense and send them one after the other.

    Bad:
        ``[PATCH net-next 00/22]`` on netdev.

    Good:
        ``[PATCH net-next 00/12]``, the rest in a follow-up series.
    """

    code = "PL115"
    name = "series-too-long"
    scope = Scope.SERIES
    enabled_by_default = False
    Options = SeriesTooLongOptions

    def check(self, target: Series) -> Iterator[Violation]:
        if (target.total or 0) > self.options.max_patches:
            yield self.violation(
                target.anchor,
                f"a series of {target.total} patches; this list takes at most "
                f"{self.options.max_patches}: split it",
                _subject_line(target.anchor),
            )


class SeriesThreading(Rule):
    """Patches answer the cover letter (or patch 1), not each other, and nothing is unthreaded.

    What it does:
        Reports a series whose patches each answer the previous one (a chain, as
        ``--chain-reply-to`` makes: two links in a row at least, since a series sent in two
        ``git send-email`` runs has its later patches answer the first of their run), a patch
        that starts a thread of its own while the rest of its series is threaded, and two
        different mails of a series with the same Message-ID (the same mail delivered again by
        a relay is one mail, and is not reported).

    Why it matters:
        ``git send-email`` threads every patch under the cover letter by default; chains nest
        deeper with every patch and unthreaded patches fall out of the series in mail readers,
        lore and patchwork. A repeated Message-ID makes archives drop one of the mails.

    Bad:
        ``[PATCH 3/5]`` in reply to ``[PATCH 2/5]``; ``[PATCH 4/5]`` with no In-Reply-To.

    Good:
        Patches 1 to 5 each in reply to ``[PATCH 0/5]``.
    """

    code = "PL116"
    name = "series-threading"
    scope = Scope.SERIES

    def applies(self, target: object) -> bool:
        return isinstance(target, Series) and len(target.postings) > 1

    def check(self, target: Series) -> Iterator[Violation]:
        ids = {p.message_id: p for p in target.postings if p.message_id}
        root = target.cover or (target.patches.get(1, (None,))[0])
        chained = target.chained
        if chained:
            first = target.patches[chained[0]][0]
            yield self.violation(
                first,
                f"patches {', '.join(map(str, chained))} each answer the previous patch (a chain): "
                "send with git send-email --thread --no-chain-reply-to so all answer the cover letter",
                first.line_of_header("In-Reply-To"),
            )
        threaded = any(p.in_reply_to in ids for p in target.postings if p.in_reply_to)
        if threaded and root is not None:
            for posting in target.postings:
                if posting is root or posting.in_reply_to or posting.references:
                    continue
                answered = sum(1 for p in target.postings if p.in_reply_to == posting.message_id)
                which = f"patch {posting.subject.counter}" if posting.subject.counter else "this posting"
                also = f", and {answered} more patches answer it (a second git send-email run?)" if answered else ""
                head = "the cover letter" if target.cover else "patch 1"
                yield self.violation(
                    posting,
                    f"{which} starts a thread of its own{also}, while the rest of the series answers "
                    f"{head}: send a later part with --in-reply-to=<{head}'s Message-ID>",
                    _subject_line(posting),
                )
        # The same mail delivered twice never gets here (the series keeps one copy): these are
        # different mails with one Message-ID.
        sharing: dict[str, list[Posting]] = {}
        for posting in target.postings:
            if posting.message_id:
                sharing.setdefault(posting.message_id, []).append(posting)
        for message_id, mails in sharing.items():
            if len(mails) > 1:
                posting = mails[1]
                yield self.violation(
                    posting,
                    f"Message-ID <{message_id}> is used by {len(mails)} different postings of the "
                    "series (another Date or subject): archives keep only one of them",
                    posting.line_of_header("Message-ID"),
                )


_SINCE = re.compile(r"The following changes since commit ([0-9a-f]{7,40})")
_REPOSITORY = re.compile(r"(?:^|\s)(?:(?:git|https?|ssh)://\S+|[\w.-]+@[\w.-]+:\S+\.git)")


class PullRequestFormat(Rule):
    """A pull request carries what ``git request-pull`` writes.

    What it does:
        For a ``[GIT PULL]`` (or ``[PULL]`` without a patch counter) posting, reports each
        missing part: the "The following changes since commit …" line, the repository URL to
        fetch from, the shortlog, and the diffstat.

    Why it matters:
        The maintainer pulls from the URL and checks the base commit, the shortlog and the
        diffstat against what arrives; a pull request written by hand tends to miss one.

    Bad:
        ``[GIT PULL] KVM/arm64 fixes`` whose body only says "please pull my branch".

    Good:
        The output of ``git request-pull v6.8-rc1 https://git.kernel.org/… tags/kvmarm-fixes``,
        with a few lines of description above it.
    """

    code = "PL117"
    name = "pull-request-format"
    kinds = frozenset({Kind.PULL})

    def check(self, target: Posting) -> Iterator[Violation]:
        body = target.body
        text = "\n".join(body.lines[body.message_start :])
        line = _subject_line(target)
        missing = []
        if not _SINCE.search(text):
            missing.append("the 'The following changes since commit …' line")
        if not _REPOSITORY.search(text):
            missing.append("the repository URL to pull from")
        if target.shortlog is None:
            missing.append("the shortlog")
        if not target.diffstats:
            missing.append("the diffstat")
        for part in missing:
            yield self.violation(
                target, f"the pull request lacks {part}: generate it with git request-pull", line
            )
