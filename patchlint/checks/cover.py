"""Rules about the cover letter's own text (its shortlog and diffstat are judged with the series)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from patchlint.model.posting import Kind, Posting
from patchlint.options import option
from patchlint.rule import Rule, Violation

# What git format-patch --cover-letter writes for the sender to replace.
SUBJECT_PLACEHOLDER = "*** SUBJECT HERE ***"
BLURB_PLACEHOLDER = "*** BLURB HERE ***"


@dataclass(frozen=True)
class CoverLetterTemplateOptions:
    """Options of cover-letter-template."""

    require_description: bool = option(
        True,
        "report a cover letter with no text of its own (only the shortlog and diffstat git "
        "generated). Off, only the template's placeholders are reported: for lists whose "
        "series explain themselves in their patches and whose maintainers send such covers.",
    )


class CoverLetterTemplate(Rule):
    """A cover letter says what the series is: not format-patch's template, not nothing.

    What it does:
        Reports a cover letter whose subject still holds ``*** SUBJECT HERE ***`` or whose body
        still holds ``*** BLURB HERE ***`` (what ``git format-patch --cover-letter`` writes for
        the sender to replace), and a cover letter with no text of its own before its shortlog,
        diffstat or ``---``: nothing but what git generated (unless ``require-description``
        is off).

    Why it matters:
        The cover letter is where a series is explained and where reviewers answer about it;
        git send-email sends the template as it is when it was not edited, and the list then
        reads a series called ``*** SUBJECT HERE ***``.

    Bad:
        ``Subject: [PATCH 0/3] *** SUBJECT HERE ***`` with ``*** BLURB HERE ***`` above the
        shortlog.

    Good:
        ``Subject: [PATCH 0/3] netfilter: nf_tables: fix set element timeouts`` with a
        paragraph on what the series fixes and how, above the shortlog.
    """

    code = "PL118"
    name = "cover-letter-template"
    kinds = frozenset({Kind.COVER})
    Options = CoverLetterTemplateOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        if SUBJECT_PLACEHOLDER in target.raw_subject:
            yield self.violation(
                target,
                f"the subject is format-patch's template ({SUBJECT_PLACEHOLDER}): write what the series does",
                target.line_of_header("Subject"),
            )
        body = target.body
        lines = body.lines
        end = _generated_start(target)
        for index in range(body.message_start, min(end, len(lines))):
            if lines[index].strip() == BLURB_PLACEHOLDER:
                yield self.violation(
                    target,
                    f"the cover letter still holds format-patch's {BLURB_PLACEHOLDER}: replace it with "
                    "what the series does and why",
                    target.line(index),
                )
                return
        if self.options.require_description and not any(
            line.strip() for line in lines[body.message_start : end]
        ):
            yield self.violation(
                target,
                "the cover letter has no text of its own, only what git generated: say what the "
                "series does and why above the shortlog",
                target.line(min(body.message_start, max(len(lines) - 1, 0))),
            )


def _generated_start(posting: Posting) -> int:
    """Where what git generates begins: the shortlog, the diffstat, the ``---`` line or the
    signature, whichever comes first (the end of the message without any of them)."""
    body = posting.body
    starts = [body.message_end, len(body.lines)]
    shortlog = posting.shortlog
    if shortlog is not None and shortlog.authors:
        starts.append(shortlog.authors[0].index)
    starts.extend(stat.summary_index - len(stat.rows) for stat in posting.diffstats if stat.rows)
    for where in (body.separator, body.signature):
        if where is not None:
            starts.append(where)
    return min(starts)
