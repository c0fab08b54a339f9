"""PL1xx: subject lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from patchlint.posting import Kind, Posting
from patchlint.rule import Rule, Scope, Violation
from patchlint.series import Series

CANONICAL_WORDS = {"PATCH": "PATCH", "RFC": "RFC", "RESEND": "RESEND", "PULL": "PULL", "GIT": "GIT"}
_GLUED = re.compile(r"\b(PATCH|RFC|RESEND)-?[vV]\d+\b", re.IGNORECASE)
_COUNTER = re.compile(r"^\d+/\d+$")
_VERSION = re.compile(r"^[vV]\d+$")


@dataclass(frozen=True)
class SubjectPrefixOptions:
    """Options of subject-prefix."""

    allow_v1: bool = False
    require_prefix: bool = True


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

    Options:
        allow-v1 (bool, default false): accept an explicit ``v1``.
        require-prefix (bool, default true): report a patch whose subject has no bracketed prefix.
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
            elif self.options.require_prefix:
                yield self.violation(
                    target,
                    "no [PATCH] prefix: send with git format-patch/send-email "
                    "(or --subject-prefix) so the subject starts with [PATCH …]",
                    line,
                )
            return
        for message in self._problems(subject.prefix_text, subject):
            yield self.violation(target, f"{message} in {subject.prefix_text!r}", line)

    def _problems(self, prefix_text: str, subject) -> Iterator[str]:
        for glued in _GLUED.finditer(prefix_text):
            word = glued.group(1).upper()
            yield f"version glued to the prefix word: write '{word} v{subject.version}', not {glued.group(0)!r}"
        groups = re.findall(r"\[([^\]]*)\]", prefix_text)
        for group in groups:
            if "," in group:
                yield "parts separated by a comma: separate them with spaces"
            tokens = group.replace(",", " ").split()
            for token in tokens:
                canonical = CANONICAL_WORDS.get(token.upper())
                if canonical and token != canonical:
                    yield f"prefix word {token!r} should be written {canonical!r}"
                if _VERSION.match(token) and token[0] == "V":
                    yield f"version {token!r} should be written 'v{token[1:]}'"
            if any(_COUNTER.match(t) for t in tokens) and not _COUNTER.match(tokens[-1]):
                yield "the counter M/N should come last"
            counter_at = next((i for i, t in enumerate(tokens) if _COUNTER.match(t)), None)
            version_at = next((i for i, t in enumerate(tokens) if _VERSION.match(t)), None)
            if counter_at is not None and version_at is not None and version_at > counter_at:
                yield "the version vN should come before the counter M/N"
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


class SeriesPrefixMismatch(Rule):
    """Every posting of a series carries the same prefix words and version.

    What it does:
        Compares the prefix words (case aside: see subject-prefix) and the version of each
        posting in a series with those of its cover letter (or, without one, with those most of
        the series carries) and reports each posting that differs.

    Why it matters:
        ``git format-patch`` gives every patch the same prefix. A patch that says ``v2`` in a v3
        series, or drops ``RFC``, was edited by hand or comes from another run, and tools that
        fetch a series by its version will miss or mix it.

    Bad:
        ``[PATCH v3 0/2]`` followed by ``[PATCH v2 1/2]`` and ``[PATCH v3 2/2]``;
        ``[RFC PATCH 0/3]`` followed by ``[PATCH 1/3]``.

    Good:
        ``[RFC PATCH v3 0/2]``, ``[RFC PATCH v3 1/2]``, ``[RFC PATCH v3 2/2]``.

    Options:
        None.
    """

    code = "PL102"
    name = "series-prefix-mismatch"
    scope = Scope.SERIES

    def applies(self, target: object) -> bool:
        return isinstance(target, Series) and len(target.postings) > 1

    def check(self, target: Series) -> Iterator[Violation]:
        postings = target.postings
        # A pull request's own prefix ([GIT PULL]) differs from its patches' by design.
        reference = target.cover if target.cover and target.cover.kind is Kind.COVER else None
        if reference is not None:
            words, version = reference.subject.words, reference.subject.version or 1
        else:
            patches = [p for p in postings if p.kind is Kind.PATCH] or list(postings)
            words = Counter(p.subject.words for p in patches).most_common(1)[0][0]
            version = Counter(p.subject.version or 1 for p in patches).most_common(1)[0][0]
        for posting in postings:
            if posting is reference or posting.kind is Kind.PULL:
                continue
            line = posting.line_of_header("Subject")
            if posting.subject.words != words:
                yield self.violation(
                    posting,
                    f"prefix words {sorted(posting.subject.words)} differ from the series' "
                    f"{sorted(words)}",
                    line,
                )
            if (posting.subject.version or 1) != version:
                yield self.violation(
                    posting,
                    f"version v{posting.subject.version or 1} in a v{version} series",
                    line,
                )
