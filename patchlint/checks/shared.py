"""What the PL3xx rules share: judging commits only, from the posting's commit log
(:attr:`Posting.commit_log`: its sign-offs, author and sender). (The configured mailmap,
trailer registry and git repository are ``self.resources``: see :mod:`patchlint.resources.shared`.)"""

from __future__ import annotations

from patchlint.model.commitlog import CommitLog
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


def plural(count: int, word: str) -> str:
    """``1 file``, ``2 files``: a count with its noun, as git's diffstat writes it."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def shorten(text: str, width: int = 72) -> str:
    """``text`` as a message quotes it: whole up to ``width`` characters, else cut with '…'."""
    return text if len(text) <= width else text[: width - 1] + "…"
