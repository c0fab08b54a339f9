"""What the PL3xx rules share: the configured mailmap, trailer registry and git repository, and
the sign-offs of a patch as git keeps them.

The three resources come from the configuration's ``settings:`` (``mailmap``, ``trailer-registry``,
``git-dir``), read once per rule when the engine configures it (:meth:`Rule.configure`).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from patchlint.model.commitlog import SIGN_OFF, CommitLog, Recurring, SignOff
from patchlint.config import Config
from patchlint.resources.gitrepo import Repository, repository_for
from patchlint.model.headers import Person
from patchlint.model.identity import Mailmap, mailmap_for
from patchlint.model.posting import Posting
from patchlint.resources.registry import (
    BUILTIN_REGISTRY,
    Registry,
    load_registry,
    registry_for,
    registry_path,
)


class JudgesCommits:
    """A rule about the commit a patch would make: it judges what :attr:`Posting.is_commit` says
    is one (a patch with a diff or a ``---``).

    What is not a commit is decided in the model (:mod:`patchlint.model.kind`): a reply that lost
    its ``Re:``, a bug report with a suggested diff, a robot's or a stable queue's notice, a
    patch that is only an attachment; its text is not a commit message, so judging its
    sign-offs or wrapping would be noise.
    """

    _logs: WeakKeyDictionary[Posting, CommitLog] | None = None
    _recurring: Recurring | None = None

    def applies(self, target: object) -> bool:
        if not super().applies(target):  # type: ignore[misc]
            return False
        posting: Posting = target  # type: ignore[assignment]
        return posting.is_commit

    def configure(self, config: Config) -> None:
        # One CommitLog per posting, shared by every rule of the engine (a dozen read it), and
        # what recurs from patch to patch parsed once for all of them.
        self._logs = config.derived("commit-logs", WeakKeyDictionary)
        self._recurring = config.derived("commit-log-recurring", Recurring)
        super().configure(config)  # type: ignore[misc]

    def commit_log(self, posting: Posting) -> CommitLog:
        """The commit message of ``posting``, worked out once for all the rules."""
        if self._logs is None or self._recurring is None:
            self._logs, self._recurring = WeakKeyDictionary(), Recurring()
        log = self._logs.get(posting)
        if log is None:
            log = self._logs[posting] = CommitLog.of(posting, self._recurring)
        return log


class UsesMailmap:
    """A rule that maps people through the configured ``.mailmap`` before comparing them."""

    mailmap: Mailmap | None = None

    def configure(self, config: Config) -> None:
        self.mailmap = config.derived("mailmap", lambda: mailmap_for(config))
        super().configure(config)  # type: ignore[misc]


class UsesRegistry:
    """A rule that looks trailers up in the configured registry (the built-in one by default)."""

    _registry: Registry | None = None

    @property
    def registry(self) -> Registry:
        """The configured registry; the built-in one for a rule built outside an engine."""
        if self._registry is None:
            self._registry = load_registry(registry_path(BUILTIN_REGISTRY))
        return self._registry

    def configure(self, config: Config) -> None:
        self._registry = config.derived("trailer-registry", lambda: registry_for(config))
        super().configure(config)  # type: ignore[misc]


class UsesRepository:
    """A rule that resolves commit ids in the configured repository, when there is one."""

    repository: Repository | None = None

    def configure(self, config: Config) -> None:
        self.repository = config.derived("git-dir", lambda: repository_for(config))
        super().configure(config)  # type: ignore[misc]


def sign_offs(posting: Posting, log: CommitLog | None = None) -> list[SignOff]:
    """The sign-offs in the commit message, wherever they are in it (as checkpatch counts them:
    a sign-off outside the trailer block still certifies; its placement is another rule's
    business). Indented and quoted lines are quotations, not sign-offs."""
    log = log or CommitLog.of(posting)
    return list(log.sign_offs)


def dropped_sign_offs(posting: Posting, kept: list[SignOff] | None = None) -> list[int]:
    """Body indexes of ``Signed-off-by:`` lines below ``---``, where git am drops them, other
    than repeats of a sign-off in ``kept`` (the ones above: a repeat loses nothing)."""
    start, end = posting.body.notes_range
    lines = posting.body.lines
    # maybe_sign_off(), inlined: it runs over every line of the notes and the diffstat
    found = [
        (i, match) for i in range(start, end) if lines[i][6:7] == "-" and (match := SIGN_OFF.match(lines[i]))
    ]
    if not found:
        return []
    above = {"".join(s.value.split()).casefold() for s in kept or ()}
    return [i for i, match in found if "".join(match.group(1).split()).casefold() not in above]


def author_and_sender(posting: Posting, log: CommitLog | None = None) -> tuple[Person | None, Person | None]:
    """The patch author and the mail's sender, with a sender a list rewrote for DMARC
    (``Jane via list <list@…>``) unmasked; the author is the in-body ``From:`` if there is one,
    else that unmasked sender (see :meth:`CommitLog.of`; pass the posting's log to use the
    people it already worked out)."""
    log = log or CommitLog.of(posting)
    return log.author, log.sender
