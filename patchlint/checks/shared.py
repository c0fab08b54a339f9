"""What the PL3xx rules share: judging commits only, from the posting's commit log
(:attr:`Posting.commit_log`: its sign-offs, author and sender). (The configured mailmap,
trailer registry and git repository are ``self.resources``: see :mod:`patchlint.resources.shared`.)"""

from __future__ import annotations

import functools

from patchlint.model.commitlog import CommitLog
from patchlint.model.kind import Kind
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
        if not isinstance(target, Posting) or not target.is_commit:
            return False
        # A commit is a patch: for a rule that judges patches with Rule's own applies() behind
        # this one, asking it would only test the scope and kind again (a run asks this some
        # 40,000 times a year's archive).
        if _judges_patches(type(self)):
            return True
        return super().applies(target)  # type: ignore[misc]

    def commit_log(self, posting: Posting) -> CommitLog:
        """The commit message of ``posting`` (:attr:`Posting.commit_log`, worked out once)."""
        return posting.commit_log


@functools.cache
def _judges_patches(rule: type) -> bool:
    """Whether ``rule`` (a :class:`JudgesCommits` rule) is a posting rule of patches whose next
    ``applies()`` after :meth:`JudgesCommits.applies` is :meth:`Rule.applies` itself."""
    from patchlint.rule import Rule, Scope

    mro = rule.__mro__
    after = next((klass for klass in mro[mro.index(JudgesCommits) + 1 :] if "applies" in vars(klass)), None)
    return after is Rule and rule.scope is Scope.POSTING and Kind.PATCH in rule.kinds


def plural(count: int, word: str) -> str:
    """``1 file``, ``2 files``: a count with its noun, as git's diffstat writes it."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def shorten(text: str, width: int = 72) -> str:
    """``text`` as a message quotes it: whole up to ``width`` characters, else cut with '…'."""
    return text if len(text) <= width else text[: width - 1] + "…"
