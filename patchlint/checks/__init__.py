"""The built-in rules, registered through the ``patchlint_rules`` hook like any plugin's."""

from __future__ import annotations

from patchlint import hookimpl
from patchlint.checks.changelog import VersionChangelog
from patchlint.checks.diffstat import CoverDiffstatMismatch, DiffstatMismatch, MalformedDiffstat
from patchlint.checks.message import UnparseableMessage
from patchlint.checks.commit import (
    BadCommitReference,
    CommitLogLongLine,
    DroppedCommitLines,
    MissingCommitDescription,
)
from patchlint.checks.signoff import (
    AgentSignOff,
    MailboxNameSignOff,
    SignedOffBy,
    SignOffMismatch,
    UnpairedCoDevelopedBy,
)
from patchlint.checks.series import (
    CoverShortlogMismatch,
    DuplicateSummary,
    IncompleteSeries,
    MissingCoverLetter,
    PullRequestFormat,
    SeriesNumbering,
    SeriesThreading,
    SeriesTooLong,
)
from patchlint.checks.subject import (
    ForbiddenSubjectWords,
    MissingTreeTag,
    SeriesPrefixMismatch,
    SubjectJunk,
    SubjectPrefix,
    SubsystemPrefix,
    SummaryLength,
    SummaryPunctuation,
    SummaryWhitespace,
)
from patchlint.checks.trailers import (
    BadFixesTag,
    ContributorNotInMailmap,
    DuplicateTrailer,
    ForbiddenTrailer,
    MalformedTrailer,
    MisplacedTrailer,
    MissingRequiredTrailer,
    ReportedByWithoutLink,
    TrailerOrder,
)
from patchlint.rule import Rule

BUILTIN_RULES: tuple[type[Rule], ...] = (
    UnparseableMessage,
    SubjectPrefix,
    SeriesPrefixMismatch,
    SummaryLength,
    SummaryPunctuation,
    SummaryWhitespace,
    SubsystemPrefix,
    ForbiddenSubjectWords,
    SubjectJunk,
    MissingTreeTag,
    SeriesNumbering,
    IncompleteSeries,
    MissingCoverLetter,
    CoverShortlogMismatch,
    DuplicateSummary,
    SeriesTooLong,
    SeriesThreading,
    PullRequestFormat,
    VersionChangelog,
    SignedOffBy,
    DiffstatMismatch,
    CoverDiffstatMismatch,
    MalformedDiffstat,
)


@hookimpl
def patchlint_rules() -> tuple[type[Rule], ...]:
    """The rules that ship with patchlint."""
    return BUILTIN_RULES
