"""PL1xx: subject lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from patchlint.checks.shared import plural, shorten
from patchlint.model.posting import Kind, Posting
from patchlint.options import option
from patchlint.rule import Rule, Scope, Severity, Violation
from patchlint.model.series import Series
from patchlint.model.subject import PATCH_WORDS, prefix_spacing, subsystem_and_rest

_PREFIX_WORDS = PATCH_WORDS | {"GIT PULL"}

CANONICAL_WORDS = {"PATCH": "PATCH", "RFC": "RFC", "RESEND": "RESEND", "PULL": "PULL", "GIT": "GIT"}
_GLUED = re.compile(r"\b(PATCH|RFC|RESEND)-?[vV]\d+\b", re.IGNORECASE)
_COUNTER = re.compile(r"^\d+/\d+$")
_VERSION = re.compile(r"^[vV]\d+$")


@dataclass(frozen=True)
class SubjectPrefixOptions:
    """Options of subject-prefix."""

    allow_v1: bool = option(False, 'accept an explicit ``v1``.')
    require_prefix: bool = option(
        True,
        'report a patch whose subject has no bracketed prefix, or whose prefix has no PATCH, '
        'RFC, RESEND or PULL word (``[net-next] …``).',
    )
    allow_commas: bool = option(
        False,
        "accept commas between the parts (``[PATCH nf-next,v2 1/3]``, as netfilter's "
        "maintainers write them). patchwork splits the prefix at commas and spaces; b4 splits "
        "it at spaces only, and reads ``nf-next,v2`` as one word (so the series as v1).",
    )
    allow_any_case: bool = option(
        False,
        "accept the prefix words and the version in any case (``[Patch V3]``, as the kernel's"
        ' submitting-patches itself writes ``[PATCH Vx RESEND]``); b4 and patchwork read them'
        ' all the same.',
    )
    allow_glued_version: bool = option(
        False,
        "accept the version glued to the prefix word (``[PATCHv4 net-next 03/14]``, common on"
        " netdev and netfilter-devel). b4 reads the version from it; patchwork does not (its"
        " version is a part of its own, ``v4``), so patchwork files such a series as v1.",
    )
    allow_any_order: bool = option(
        False,
        "accept the version and the counter anywhere among the parts (``[PATCH nft 1/2,v2]``,"
        " ``[PATCH 0/6 v2]``): patchwork and b4 look for them in every part; b4 does not split"
        " parts at commas (see allow-commas).",
    )


class SubjectPrefix(Rule):
    """The ``[PATCH vN M/N]`` prefix is well-formed.

    What it does:
        Checks the bracketed prefix of a patch, cover letter or pull request subject: it is
        present and closed; prefix words are in canonical case (``PATCH``, ``RFC``, ``RESEND``);
        the version is written ``vN`` apart from the word (not ``PATCHv2``, not ``V2``), is not
        ``v0`` and, by default, not ``v1``; the counter ``M/N`` comes last, with ``M`` no larger
        than ``N``, ``N`` at least 1, and ``M`` zero-padded to the width of ``N`` (``03/15``);
        parts are separated by spaces, not commas.

    Why it matters:
        Maintainers' tools (b4, patchwork, git am scripts) and people sort and pick patches by
        this prefix. ``git format-patch -v3 --cover-letter`` writes it correctly; hand-edited or
        home-made prefixes break threading views and series detection.

    Bad:
        ``[Patch v3 0/2] cgroup: …`` (case), ``[PATCHv2 3/7] …`` (glued version),
        ``[PATCH v2 3/12] …`` (counter not padded), ``[PATCH 4/3] …``, ``[PATCH v1 1/2] …``.

    Good:
        ``[PATCH v3 03/12] KVM: x86: …``, ``[RFC PATCH net-next 0/5] …``, ``[GIT PULL] …``.
    """

    code = "PL101"
    name = "subject-prefix"
    kinds = frozenset({Kind.PATCH, Kind.COVER, Kind.PULL})
    Options = SubjectPrefixOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        subject = target.subject
        line = target.line_of_header("Subject")
        if not subject.prefix_text:
            if subject.summary.startswith("[") and "]" not in subject.summary:
                yield self.violation(target, "the subject prefix has no closing ']'", line)
            elif self.options.require_prefix and subject.summary[:1] not in _LEFTOVER:
                # A summary starting with ']' is what is left of a broken prefix ('[ [PATCH]]'):
                # subject-junk reports that, with what git am commits. One defect, one report.
                yield self.violation(
                    target,
                    "no [PATCH] prefix: send with git format-patch/send-email "
                    "(or --subject-prefix) so the subject starts with [PATCH …]",
                    line,
                )
            return
        if self.options.require_prefix and not subject.words & _PREFIX_WORDS:
            yield self.violation(
                target,
                f"the prefix {subject.prefix_text!r} has no PATCH, RFC or PULL word: write e.g. "
                f"'[PATCH {' '.join(subject.prefixes)}]'".replace(" ]", "]"),
                line,
            )
        for message in self._problems(subject.prefix_text, subject):
            yield self.violation(target, f"{message} in {subject.prefix_text!r}", line)

    def _problems(self, prefix_text: str, subject) -> Iterator[str]:
        for glued in _GLUED.finditer(prefix_text) if not self.options.allow_glued_version else ():
            word = glued.group(1).upper()
            yield f"version glued to the prefix word: write '{word} v{subject.version}', not {glued.group(0)!r}"
        groups = re.findall(r"\[([^\]]*)\]", prefix_text)
        for group in groups:
            if "," in group and not self.options.allow_commas:
                yield "parts separated by a comma: separate them with spaces"
            tokens = group.replace(",", " ").split()
            for token in tokens if not self.options.allow_any_case else ():
                canonical = CANONICAL_WORDS.get(token.upper())
                if canonical and token != canonical:
                    yield f"prefix word {token!r} should be written {canonical!r}"
                if _VERSION.match(token) and token[0] == "V":
                    yield f"version {token!r} should be written 'v{token[1:]}'"
            if self.options.allow_any_order:
                continue
            counter_at = next((i for i, t in enumerate(tokens) if _COUNTER.match(t)), None)
            version_at = next((i for i, t in enumerate(tokens) if _VERSION.match(t)), None)
            # One misplacement, one report: a version after the counter is why the counter is
            # not last ("[PATCH 0/6 v2]"); anything else after it ("[PATCH 0/2 RESEND]") is.
            if counter_at is not None and version_at is not None and version_at > counter_at:
                yield "the version vN should come before the counter M/N"
            elif counter_at is not None and not _COUNTER.match(tokens[-1]):
                yield "the counter M/N should come last"
        if subject.version == 0:
            yield "version v0 does not exist: the first posting has no version, the second is v2"
        elif subject.version == 1 and not self.options.allow_v1:
            yield "v1 is implied: leave the version out of a first posting"
        if subject.total is not None:
            if subject.total < 1:
                yield f"total {subject.total_text} is not a number of patches"
            elif subject.counter is not None and subject.counter > subject.total:
                yield f"counter {subject.counter} is larger than the total {subject.total}"
            if len(subject.counter_text) != len(subject.total_text):
                padded = str(subject.counter).zfill(len(subject.total_text))
                yield (
                    f"counter {subject.counter_text!r} is not padded to the width of the total "
                    f"{subject.total_text!r}: write '{padded}/{subject.total_text}'"
                )


@dataclass(frozen=True)
class SeriesPrefixMismatchOptions:
    """Options of series-prefix-mismatch."""

    per_patch_words: tuple[str, ...] = option(
        ("RFC", "RFT"),
        "prefix words one patch may carry that its series does not (any case): asking for "
        "comments on (``[RFC PATCH 3/3]``) or for testing of (``[PATCH RFT 3/3]``) one patch "
        "of a series marks that patch, and is no mismatch.",
    )
    allow_pull_request_cover_version: bool = option(
        False,
        "accept a version on a cover letter that carries a pull request (git request-pull's "
        "text) when its patches carry another: the version counts the pull request, re-sent "
        "with only its cover letter renumbered (``[PATCH net 0/3,v2] Netfilter fixes for net`` "
        "with ``[PATCH net 1/3]`` …, as netfilter's maintainers send them).",
    )


class SeriesPrefixMismatch(Rule):
    """Every posting of a series carries the same prefix words and version.

    What it does:
        Compares the prefix words (case aside: see subject-prefix) and the version of each
        posting in a series with those of its cover letter (or, without one, with those most of
        the series carries) and reports each posting that differs (a counter not padded to the
        width of the total, as git pads it, is subject-prefix's report);
        when all the patches differ from the cover letter in the same way, it says so once,
        on the cover letter. Tags after the ``[PATCH …]`` group (``[PART 4]``, ``[TEMP]``) are
        the commit's or the cover letter's own subject, not prefix words. A word of
        ``per-patch-words`` (RFC, RFT) that one patch carries and the series does not marks
        that patch and is not reported; the series dropping it is.

    Why it matters:
        ``git format-patch`` gives every patch the same prefix. A patch that says ``v2`` in a v3
        series, or drops ``RFC``, was edited by hand or comes from another run, and tools that
        fetch a series by its version will miss or mix it.

    Bad:
        ``[PATCH v3 0/2]`` followed by ``[PATCH v2 1/2]`` and ``[PATCH v3 2/2]``;
        ``[RFC PATCH 0/3]`` followed by ``[PATCH 1/3]``.

    Good:
        ``[RFC PATCH v3 0/2]``, ``[RFC PATCH v3 1/2]``, ``[RFC PATCH v3 2/2]``;
        ``[PATCH 0/3]``, ``[PATCH 1/3]``, ``[PATCH 2/3]``, ``[PATCH RFT 3/3]``.
    """

    code = "PL102"
    name = "series-prefix-mismatch"
    scope = Scope.SERIES
    Options = SeriesPrefixMismatchOptions

    def applies(self, target: object) -> bool:
        return isinstance(target, Series) and len(target.postings) > 1

    def check(self, target: Series) -> Iterator[Violation]:
        postings = target.postings
        # A pull request's own prefix ([GIT PULL]) differs from its patches' by design.
        reference = target.cover if target.cover and target.cover.kind is Kind.COVER else None
        patches = [p for p in postings if p.kind is Kind.PATCH] or list(postings)
        words, version = self._expected(reference, patches)
        others = [p for p in postings if p is not reference and p.kind is not Kind.PULL]
        word_sets = {p.subject.words for p in others}
        versions = {p.subject.version or 1 for p in others}
        # One defect, one report: every patch differing from the cover letter the same way is
        # the cover letter's prefix written by hand (or the patches' run without -v).
        together = reference is not None and len(others) > 1
        words_on_cover = together and len(word_sets) == 1 and words not in word_sets
        version_on_cover = together and len(versions) == 1 and version not in versions
        if reference is not None and words_on_cover:
            yield self.violation(
                reference,
                f"the cover letter's prefix words {sorted(words)} differ from those of all "
                f"{len(others)} patches, {sorted(next(iter(word_sets)))}",
                reference.line_of_header("Subject"),
            )
        if reference is not None and version_on_cover:
            yield self.violation(
                reference,
                f"the cover letter says v{version}, all {len(others)} patches say "
                f"v{next(iter(versions))}: git format-patch -v<N> --cover-letter writes one version "
                "on every mail",
                reference.line_of_header("Subject"),
            )
        marks = frozenset(word.upper() for word in self.options.per_patch_words)
        for posting in others:
            line = posting.line_of_header("Subject")
            own = posting.subject.words
            # A marker this patch alone carries (RFC, RFT) is its own, not a mismatch.
            if not words_on_cover and (words - own or own - words - marks):
                yield self.violation(
                    posting, f"prefix words {sorted(own)} differ from the series' {sorted(words)}", line
                )
            if not version_on_cover and (posting.subject.version or 1) != version:
                yield self.violation(
                    posting, f"version v{posting.subject.version or 1} in a v{version} series", line
                )

    def _expected(self, reference: Posting | None, patches: list[Posting]) -> tuple[frozenset[str], int]:
        """The prefix words and version every posting should carry: the cover letter's, or
        without one what most patches carry; a pull request's cover may carry its own version
        (``allow-pull-request-cover-version``)."""
        usual_version = Counter(p.subject.version or 1 for p in patches).most_common(1)[0][0]
        if reference is None:
            return Counter(p.subject.words for p in patches).most_common(1)[0][0], usual_version
        if self.options.allow_pull_request_cover_version and reference.carries_pull_request:
            # The cover's version is the pull request's: the patches are judged among themselves.
            return reference.subject.words, usual_version
        return reference.subject.words, reference.subject.version or 1


# -- the summary (what becomes the commit subject) --------------------------------------------

_REVERT = re.compile(r'(?:Partially |Partial )?[Rr]evert(?:ing)? "')


class JudgesOwnSummary:
    """A rule about the summary its sender wrote: a stable backport's summary is the upstream
    commit's (:attr:`Posting.upstream_commit`), reviewed and applied upstream and kept verbatim,
    so it is not judged."""

    def applies(self, target: object) -> bool:
        if not super().applies(target):  # type: ignore[misc]
            return False
        return target.upstream_commit is None  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SummaryLengthOptions:
    """Options of summary-length."""

    max_length: int = option(75, 'the longest summary accepted.')
    min_length: int = option(10, 'the shortest summary accepted.')


class SummaryLength(JudgesOwnSummary, Rule):
    """The summary is neither too long nor too short.

    What it does:
        Measures the patch summary (the subject after the ``[PATCH …]`` prefix, as ``git am``
        will commit it, an in-body ``Subject:`` included) in characters and reports one longer
        than ``max-length`` or shorter than ``min-length``.

    Why it matters:
        The summary is the commit's one-line name in ``git log --oneline``, in shortlogs, in
        ``Fixes:`` tags and in e-mail subjects; the kernel's submitting-patches asks for 70-75
        characters at most. A two-word summary says nothing a reviewer can search for.

    Bad:
        ``[PATCH] netfilter: nf_tables: fix the handling of the NFT_SET_ELEM_INTERVAL_END flag when
        the set is anonymous and the element is added in the same transaction`` (too long);
        ``[PATCH] nft: fix`` (too short).

    Good:
        ``[PATCH] netfilter: nf_tables: reject interval end flag in anonymous sets``.
    """

    code = "PL103"
    name = "summary-length"
    judges_commit_message = True
    Options = SummaryLengthOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        summary = target.commit_summary.strip()
        line = target.line_of_header("Subject")
        if len(summary) > self.options.max_length:
            yield self.violation(
                target,
                f"the summary is {len(summary)} characters long; keep it within "
                f"{self.options.max_length}",
                line,
            )
        elif len(summary) < self.options.min_length:
            yield self.violation(
                target,
                f"the summary {summary!r} is {plural(len(summary), 'character')} long: say what the patch "
                f"does in at least {self.options.min_length}",
                line,
            )


@dataclass(frozen=True)
class SummaryPunctuationOptions:
    """Options of summary-punctuation."""

    characters: str = option(".,;:!", 'the characters a summary may not end with.')


class SummaryPunctuation(JudgesOwnSummary, Rule):
    """The summary does not end in a period or other punctuation.

    What it does:
        Reports a patch summary whose last character is one of ``characters`` (by default
        ``.,;:!``). A summary ending in an ellipsis or a closing quote or bracket is not
        reported.

    Why it matters:
        The summary is a title, not a sentence: the kernel, git and most projects ask for no
        trailing period, and it reads oddly in ``git log --oneline`` and in ``Fixes:`` tags.

    Bad:
        ``[PATCH] netfilter: conntrack: fix a race with the GC worker.``

    Good:
        ``[PATCH] netfilter: conntrack: fix a race with the GC worker``
    """

    code = "PL104"
    name = "summary-punctuation"
    judges_commit_message = True
    Options = SummaryPunctuationOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        summary = target.commit_summary.rstrip()
        if not summary or summary.endswith("..."):
            return
        last = summary[-1]
        if last in self.options.characters:
            yield self.violation(
                target,
                f"the summary ends with {last!r}: drop it, a summary is a title",
                target.line_of_header("Subject"),
            )


class SummaryWhitespace(Rule):
    """The subject has no stray whitespace: none leading or trailing, no doubles, no tabs.

    What it does:
        Reports, as information, a patch or cover letter subject with whitespace at its start
        or end, two or more spaces in a row, or a tab (after unfolding the header, so a folded
        long subject is fine).

    Why it matters:
        Little: git am (git mailinfo) trims the subject and collapses every run of whitespace
        to one space, so the commit is not affected; a cover letter is not committed at all
        (b4 shazam --merge titles its merge commit with the cover's subject, whitespace
        collapsed too). The archive, patchwork and the replies keep the subject as sent, where
        an exact search for it misses, and such whitespace usually comes from a subject typed
        or pasted by hand.

    Bad:
        ``[RFC] KVM: X86: implement Passthrough IPI `` (trailing space);
        ``[PATCH]  net:  fix it`` (double spaces).

    Good:
        ``[RFC] KVM: X86: implement Passthrough IPI``
    """

    code = "PL105"
    name = "summary-whitespace"
    judges_commit_message = True
    kinds = frozenset({Kind.PATCH, Kind.COVER})
    default_severity = Severity.INFO

    def check(self, target: Posting) -> Iterator[Violation]:
        raw = target.raw_subject
        line = target.line_of_header("Subject")
        problems = []
        if raw != raw.strip():
            problems.append("leading or trailing whitespace")
        if "  " in raw.strip():
            problems.append("two or more spaces in a row")
        if "\t" in raw:
            problems.append("a tab")
        if not problems:
            return
        found = f"the subject has {' and '.join(problems)}: {raw!r}"
        if target.kind is Kind.COVER:
            told = (
                f"{found}; git am does not commit a cover letter, and b4 shazam --merge, which "
                f"titles its merge commit with it, collapses the whitespace as well: only the "
                f"archive, patchwork and the replies keep it as sent"
            )
        else:
            committed = " ".join(target.commit_summary.split())
            told = (
                f"{found}; git am (git mailinfo) trims the subject and turns each run of "
                f"whitespace into one space, so the commit's subject is {committed!r}: only the "
                f"archive, patchwork and the replies keep it as sent"
            )
        yield self.violation(target, told, line)


@dataclass(frozen=True)
class SubsystemPrefixOptions:
    """Options of subsystem-prefix."""

    required: bool = option(
        True,
        'report a summary without a prefix; a badly spaced prefix, ``allowed``, ``pattern`` '
        'and ``first-word-case`` are judged either way.',
    )
    allowed: tuple[str, ...] = option((), 'prefixes the summary must start with (empty: any prefix).')
    pattern: str = option(
        "", "what the whole prefix, its final ``: `` included, must match (empty: any prefix).", regex=True
    )
    first_word_case: str = option(
        "any",
        "the case of the first letter after the prefix (``any``: either).",
        choices=("lower", "upper", "any"),
    )


class SubsystemPrefix(JudgesOwnSummary, Rule):
    """The summary starts with the subsystem it changes (``area: summary``).

    What it does:
        Reports a patch summary that does not start with a subsystem prefix such as
        ``netfilter: nf_tables:``, ``KVM: x86/mmu:``, ``driver core:``, ``hwmon (it87):`` or
        ``tpm, tpm_tis:`` (``Revert "…"`` and ``Partially revert "…"`` summaries are exempt),
        and a prefix spaced so that it reads as a typo (``i2c:octeon:Add``, ``netfilter :nf_tables:``).
        A prefix is one or more components each followed by ``: ``; a component is a path-like
        word (``net/sched``, ``ip[6]tables-translate``, ``{ip,nf}``), or a few joined by commas,
        `` / `` or spaces (``x86/amd_nb, x86/amd_node``, ``ACPI / PM``, ``mctp i2c``) as long as
        none of the space-joined words is a capitalised English word (``Fix the bug:`` is prose).
        With ``allowed``, the prefix must start with one of the listed prefixes; with
        ``pattern``, the whole prefix (including its final ``: ``) must match the regular
        expression. ``first-word-case`` (``lower``, ``upper`` or ``any``) sets the case of the first
        letter after the prefix.

    Why it matters:
        Maintainers route and search patches by this prefix, and projects that use one ask for
        the one their subsystem uses (``git log --oneline -- path`` shows it). Lists such as
        kvm-x86 prescribe exact scopes and capitalisation. Not every project asks for a prefix
        (LTP's summaries often have none): its profile sets ``required: false``.

    Bad:
        ``[PATCH] fix a crash on module unload``; ``[PATCH] i2c:octeon:Add block-mode r/w``;
        with the kvm-x86 profile, ``[PATCH] kvm: x86: fix the thing``.

    Good:
        ``[PATCH] netfilter: nft_counter: fix a crash on module unload``;
        ``[PATCH] driver core: make device_type.uevent() take a const *``;
        ``[PATCH] KVM: x86: Fix the thing``.
    """

    code = "PL106"
    name = "subsystem-prefix"
    judges_commit_message = True
    Options = SubsystemPrefixOptions

    def __init__(self, options=None, severity=None) -> None:
        super().__init__(options, severity)
        if self.options.first_word_case not in ("lower", "upper", "any"):
            raise ValueError("first-word-case must be lower, upper or any")
        self._pattern = re.compile(self.options.pattern) if self.options.pattern else None

    def check(self, target: Posting) -> Iterator[Violation]:
        summary = target.commit_summary.strip()
        line = target.line_of_header("Subject")
        if _REVERT.match(summary) or _SECOND_PREFIX.search(summary) or summary[:1] in _LEFTOVER:
            return  # a revert names the reverted commit; a broken [PATCH] prefix is subject-junk's
        prefix, rest = subsystem_and_rest(summary)
        if not prefix:
            spacing = prefix_spacing(summary)
            if spacing is not None:
                yield self.violation(target, spacing, line)
            elif self.options.required:
                yield self.violation(target, _no_prefix(target), line)
            return
        allowed = self.options.allowed
        if allowed and not any(prefix.startswith(a.rstrip() + (" " if a.endswith(":") else "")) for a in allowed):
            yield self.violation(
                target, f"the prefix {prefix.strip()!r} is not one of {', '.join(allowed)}", line
            )
        if self._pattern is not None and not self._pattern.fullmatch(prefix):
            yield self.violation(
                target,
                f"the prefix {prefix.strip()!r} does not match {self.options.pattern!r}",
                line,
            )
        first = rest[:1]
        case = self.options.first_word_case
        if first.isalpha() and (
            (case == "lower" and first.isupper()) or (case == "upper" and first.islower())
        ):
            yield self.violation(
                target,
                f"write the first word after {prefix.strip()!r} in {case} case: {rest.split()[0]!r}",
                line,
            )


def _no_prefix(posting: Posting) -> str:
    """The advice for a summary without a prefix, naming a file the patch changes."""
    files = [change.path for change in (posting.diff.files if posting.diff is not None else ()) if change.path]
    where = f"git log --oneline -- {files[0]}" if files else "git log --oneline on the files you change"
    return (
        "the summary has no subsystem prefix: start it with the area it changes, as "
        f"'area: what it does' ({where} shows the prefix its commits use)"
    )


@dataclass(frozen=True)
class ForbiddenSubjectWordsOptions:
    """Options of forbidden-subject-words."""

    patterns: tuple[str, ...] = option(
        (
            r"^(?:fixup|squash|amend)! ",
            r"\bWIP\b",
            r"\bDO NOT (?:MERGE|APPLY)\b",
            r"\bDNM\b",
        ),
        'regular expressions no summary may match.',
        regex=True,
    )


class ForbiddenSubjectWords(JudgesOwnSummary, Rule):
    """The summary carries no work-in-progress or tool markers.

    What it does:
        Reports a patch summary matching any of the ``patterns`` (regular expressions; by
        default ``fixup!``/``squash!``/``amend!`` from ``git commit --fixup``, ``WIP``, ``DO NOT
        MERGE``/``APPLY`` and ``DNM``).

    Why it matters:
        These mark commits that were meant to be squashed or never sent; once applied they stay
        in history forever. Projects add their own (ticket numbers, tool names) here.

    Bad:
        ``[PATCH 3/5] fixup! netfilter: nf_tables: add the set flag``

    Good:
        ``[PATCH 3/5] netfilter: nf_tables: add the set flag``
    """

    code = "PL107"
    name = "forbidden-subject-words"
    judges_commit_message = True
    Options = ForbiddenSubjectWordsOptions

    def __init__(self, options=None, severity=None) -> None:
        super().__init__(options, severity)
        self._patterns = [re.compile(p) for p in self.options.patterns]

    def check(self, target: Posting) -> Iterator[Violation]:
        summary = target.commit_summary
        for pattern in self._patterns:
            match = pattern.search(summary)
            if match:
                yield self.violation(
                    target,
                    f"the summary contains {match.group(0).strip()!r}, which is not for a posted patch",
                    target.line_of_header("Subject"),
                )


_PASTED_HEADER = re.compile(r"\b(?:Message-I[Dd]|In-Reply-To|References|Subject|Reply-To):\s*\S")
_SECOND_PREFIX = re.compile(r"\[(?:PATCH|RFC|RESEND)\b", re.IGNORECASE)
# What a broken prefix leaves at the start of the summary git commits ("[ [PATCH]] x: y" → "] x: y").
_LEFTOVER = frozenset("]),;|")


class SubjectJunk(Rule):
    """The subject is a patch subject, not text pasted from elsewhere.

    What it does:
        Reports a patch, cover letter or pull request subject whose summary holds a pasted
        header (``Message-Id: <…>``, ``In-Reply-To:``, ``Subject:``), a second ``[PATCH …]``
        prefix, what a broken prefix left in front of it (``[ [PATCH]] x: y``, which git am
        commits as ``] x: y``), or a patch word typed outside the brackets
        (``RFC:[PATCH v1] x: y``, which git am commits whole).

    Why it matters:
        Such subjects come from copying a previous mail's headers into a mail client by hand;
        they are committed as they are and make the posting hard to find and to thread.

    Bad:
        ``[RFC] KVM: X86: implement Passthrough IPI Message-Id: <0109A01C@example.com>``;
        ``[PATCH v2] [PATCH] net: fix it``; ``RFC:[PATCH v1] mmap: add a test``.

    Good:
        ``[RFC] KVM: X86: implement Passthrough IPI``; ``[RFC PATCH] mmap: add a test``.
    """

    code = "PL108"
    name = "subject-junk"
    judges_commit_message = True
    kinds = frozenset({Kind.PATCH, Kind.COVER, Kind.PULL})

    def check(self, target: Posting) -> Iterator[Violation]:
        summary = target.subject.summary
        line = target.line_of_header("Subject")
        pasted = _PASTED_HEADER.search(summary)
        if pasted:
            yield self.violation(
                target, f"the subject holds a pasted header ({pasted.group(0)}…): remove it", line
            )
        subject = target.subject
        if subject.stray_prefix:
            word = subject.stray_prefix.rstrip(":").strip()
            first = subject.prefix_text[1 : subject.prefix_text.index("]")]
            yield self.violation(
                target,
                f"{subject.stray_prefix!r} stands outside the [{first}] prefix: git am strips only the "
                f"bracketed prefix and commits {shorten(subject.stray_subject)!r}; write '[{word} {first}]'",
                line,
            )
        words = [word.upper() for word in subject.prefixes]
        if _SECOND_PREFIX.search(summary) or any(words.count(w) > 1 for w in ("PATCH", "RFC", "RESEND")):
            yield self.violation(target, "the subject carries a second [PATCH …] prefix", line)
        elif summary[:1] in _LEFTOVER:
            yield self.violation(
                target,
                f"the summary starts with {summary[:1]!r}, left over from a broken [PATCH …] prefix: "
                f"git am commits it as {summary[:40]!r}",
                line,
            )


@dataclass(frozen=True)
class MissingTreeTagOptions:
    """Options of missing-tree-tag."""

    trees: tuple[str, ...] = option((), 'tree names one of which the prefix must carry.')
    list_tag: str = option("", 'a tag the subject must start with, without brackets.')


class MissingTreeTag(Rule):
    """The prefix names the target tree (and the list tag) the list asks for.

    What it does:
        With ``trees`` set, reports a patch, cover letter or pull request whose prefix carries
        none of the listed tree names (``[PATCH net-next v2 0/5]``); with ``list-tag`` set,
        reports a subject without that bracketed tag in front (``[LTP] [PATCH]``). Off by
        default; the netdev profile requires ``net`` or ``net-next``.

    Why it matters:
        Lists that feed several trees (netdev, bpf, netfilter) need to know where a patch is
        meant to go: their CI picks the tree to test against from this tag.

    Bad:
        With ``trees: [net, net-next]``: ``[PATCH v2 1/3] net: dsa: fix the port setup``.

    Good:
        ``[PATCH net v2 1/3] net: dsa: fix the port setup``
    """

    code = "PL109"
    name = "missing-tree-tag"
    kinds = frozenset({Kind.PATCH, Kind.COVER, Kind.PULL})
    enabled_by_default = False
    Options = MissingTreeTagOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        subject = target.subject
        line = target.line_of_header("Subject")
        trees = self.options.trees
        if trees and not {t.lower() for t in trees} & {w.lower() for w in subject.prefixes}:
            yield self.violation(
                target,
                f"the prefix names no target tree: write e.g. '[PATCH {trees[0]} …]' "
                f"(one of {', '.join(trees)})",
                line,
            )
        tag = self.options.list_tag
        if tag and tag not in subject.list_tags:
            yield self.violation(target, f"the subject lacks the list tag '[{tag}]' in front", line)
