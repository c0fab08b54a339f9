"""PL0xx: the input itself."""

from __future__ import annotations

from collections.abc import Iterator

from patchlint.model.posting import Kind, Posting
from patchlint.rule import Rule, Violation


class UnparseableMessage(Rule):
    """A message that could not be read or parsed is reported, never dropped.

    What it does:
        Reports every input that patchlint could not turn into a message: a file that is not
        mail, an empty message, a header block with no header fields, an archive that could not be
        read to its end. The message says why.

    Why it matters:
        A checker that skips what it cannot read gives a clean report on a broken input. An
        archive audit must account for every message it was given.

    Bad:
        A ``.patch`` file holding only ``git diff`` output (no mail headers), or a truncated mbox.

    Good:
        ``git format-patch`` output, an mbox or Maildir written by a mail program.
    """

    code = "PL001"
    name = "unparseable-message"
    kinds = frozenset({Kind.UNPARSEABLE})

    def check(self, target: Posting) -> Iterator[Violation]:
        yield self.violation(target, target.error or "unparseable", line=1)
