"""The built-in rules, registered through the ``patchlint_rules`` hook like any plugin's."""

from __future__ import annotations

from patchlint import hookimpl
from patchlint.checks.changelog import VersionChangelog
from patchlint.checks.diff import CorruptHunk, EmptyPatch, NonGitDiff
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
from patchlint.checks.transport import (
    AttachedPatch,
    CharsetMismatch,
    ControlCharacter,
    CrlfLineEndings,
    EncodedPatchBody,
    FormatFlowed,
    LongLine,
    MimeStructure,
    MissingCharset,
    Mojibake,
    SignatureSeparator,
    TrailingWhitespace,
)
from patchlint.checks.cover import CoverLetterTemplate
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
    CoverLetterTemplate,
    VersionChangelog,
    SignedOffBy,
    SignOffMismatch,
    MailboxNameSignOff,
    UnpairedCoDevelopedBy,
    AgentSignOff,
    MalformedTrailer,
    DuplicateTrailer,
    MisplacedTrailer,
    ForbiddenTrailer,
    MissingRequiredTrailer,
    ReportedByWithoutLink,
    BadFixesTag,
    TrailerOrder,
    ContributorNotInMailmap,
    MissingCommitDescription,
    CommitLogLongLine,
    DroppedCommitLines,
    BadCommitReference,
    DiffstatMismatch,
    CoverDiffstatMismatch,
    MalformedDiffstat,
    CorruptHunk,
    NonGitDiff,
    EmptyPatch,
    FormatFlowed,
    EncodedPatchBody,
    MimeStructure,
    AttachedPatch,
    CrlfLineEndings,
    CharsetMismatch,
    MissingCharset,
    Mojibake,
    ControlCharacter,
    SignatureSeparator,
    TrailingWhitespace,
    LongLine,
)


@hookimpl
def patchlint_rules() -> tuple[type[Rule], ...]:
    """The rules that ship with patchlint."""
    return BUILTIN_RULES
