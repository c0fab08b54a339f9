"""What the PL3xx rules share: judging commits only, and the sign-offs of a patch as git keeps
them. (The configured mailmap, trailer registry and git repository are ``self.resources``: see
:mod:`patchlint.resources.shared`.)"""

from __future__ import annotations

from patchlint.model.commitlog import CommitLog, SignOff
from patchlint.model.headers import Person
from patchlint.model.posting import Posting


class JudgesCommits:
    """A rule about the commit a patch would make: it judges what :attr:`Posting.is_commit` says
    is one (a patch with a diff or a ``---``).

    What is not a commit is decided in the model (:mod:`patchlint.model.kind`): a reply that lost
    its ``Re:``, a bug report with a suggested diff, a robot's or a stable queue's notice, a
    patch that is only an attachment; its text is not a commit message, so judging its
    sign-offs or wrapping would be noise.
    """

    judges_commit_message = True  # what a commit-msg hook can judge too

    def applies(self, target: object) -> bool:
        if not super().applies(target):  # type: ignore[misc]
            return False
        posting: Posting = target  # type: ignore[assignment]
        return posting.is_commit

    def commit_log(self, posting: Posting) -> CommitLog:
        """The commit message of ``posting`` (:attr:`Posting.commit_log`, worked out once)."""
        return posting.commit_log


def sign_offs(posting: Posting, log: CommitLog | None = None) -> list[SignOff]:
    """The sign-offs in the commit message, wherever they are in it (as checkpatch counts them:
    a sign-off outside the trailer block still certifies; its placement is another rule's
    business). Indented and quoted lines are quotations, not sign-offs."""
    log = log or posting.commit_log
    return list(log.sign_offs)


def author_and_sender(posting: Posting, log: CommitLog | None = None) -> tuple[Person | None, Person | None]:
    """The patch author and the mail's sender, with a sender a list rewrote for DMARC
    (``Jane via list <list@…>``) unmasked; the author is the in-body ``From:`` if there is one,
    else that unmasked sender (see :meth:`CommitLog.of`; pass the posting's log to use the
    people it already worked out)."""
    log = log or posting.commit_log
    return log.author, log.sender
