"""What the PL3xx rules share: the configured mailmap, trailer registry and git repository, and
the sign-offs of a patch as git keeps them.

The three resources come from the configuration's ``settings:`` (``mailmap``, ``trailer-registry``,
``git-dir``), read once per rule when the engine configures it (:meth:`Rule.configure`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar
from weakref import WeakKeyDictionary

from patchlint.commitlog import CommitLog, stable_review_preamble
from patchlint.config import Config
from patchlint.gitrepo import Repository, repository_for
from patchlint.headers import Person, parse_person
from patchlint.identity import (
    Address,
    Mailmap,
    mailmap_for,
    parse_address,
    unmask_sender,
)
from patchlint.posting import Posting
from patchlint.registry import (
    BUILTIN_REGISTRY,
    Registry,
    load_registry,
    registry_for,
    registry_path,
)


class JudgesCommits:
    """A rule about the commit a patch would make: it judges patches with a diff or a ``---``.

    A "patch" with neither is a reply that kept the subject or a report quoting a patch; its
    text is not a commit message, so judging its sign-offs or wrapping would be noise. (A
    posting whose diff was cut off, as in some archive exports, still has its ``---``.) A mail
    with a diff but neither a patch prefix nor a sign-off is a bug report with a suggested
    change: only the missing sign-off is worth saying (``judges_reports``).
    """

    judges_reports: ClassVar[bool] = False
    _logs: WeakKeyDictionary[Posting, CommitLog] | None = None

    def applies(self, target: object) -> bool:
        if not super().applies(target):  # type: ignore[misc]
            return False
        posting: Posting = target  # type: ignore[assignment]
        body = posting.body
        if body.diff_start is None and body.separator is None:
            return False
        if self.judges_reports or posting.subject.is_patch_like:
            return True
        return any(s.address is not None for s in sign_offs(posting, self.commit_log(posting)))

    def configure(self, config: Config) -> None:
        # One CommitLog per posting, shared by every rule of the engine (a dozen read it).
        self._logs = config.derived("commit-logs", WeakKeyDictionary)
        super().configure(config)  # type: ignore[misc]

    def commit_log(self, posting: Posting) -> CommitLog:
        """The commit message of ``posting``, worked out once for all the rules."""
        if self._logs is None:
            self._logs = WeakKeyDictionary()
        log = self._logs.get(posting)
        if log is None:
            log = self._logs[posting] = CommitLog.of(posting)
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


_SIGN_OFF = re.compile(r"^signed-off-by[ \t]*:[ \t]*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class SignOff:
    """A ``Signed-off-by:`` line: its value, the address in it (None if there is none) and its
    body index; ``in_block`` is false for one git does not see as a trailer."""

    value: str
    address: Address | None
    index: int
    in_block: bool


def sign_offs(posting: Posting, log: CommitLog | None = None) -> list[SignOff]:
    """The sign-offs in the commit message, wherever they are in it (as checkpatch counts them:
    a sign-off outside the trailer block still certifies; its placement is another rule's
    business). Indented and quoted lines are quotations, not sign-offs."""
    log = log or CommitLog.of(posting)
    joined = {t.index: t.value for t in log.block.trailers if t.normalized_key == "signed-off-by"}
    found = []
    for index in range(log.start, log.end):
        match = _SIGN_OFF.match(log.lines[index])
        if match is None:
            continue
        value = joined.get(index, match.group(1).strip())
        found.append(SignOff(value, parse_address(value), index, log.in_block(index)))
    return found


def dropped_sign_offs(posting: Posting, kept: list[SignOff] | None = None) -> list[int]:
    """Body indexes of ``Signed-off-by:`` lines below ``---``, where git am drops them, other
    than repeats of a sign-off in ``kept`` (the ones above: a repeat loses nothing)."""
    above = {"".join(s.value.split()).casefold() for s in kept or ()}
    start, end = posting.body.notes_range
    lines = posting.body.lines
    return [
        i for i in range(start, end)
        if (match := _SIGN_OFF.match(lines[i])) and "".join(match.group(1).split()).casefold() not in above
    ]


def author_and_sender(posting: Posting) -> tuple[Person | None, Person | None]:
    """The patch author and the mail's sender, with a sender a list rewrote for DMARC
    (``Jane via list <list@…>``) unmasked; the author is the in-body ``From:`` if there is one,
    else that unmasked sender."""
    sender = unmask_sender(posting.headers, posting.sender)
    author = posting.author
    if posting.body.inbody_header("From") is None or author == posting.sender:
        author = sender
    preamble = stable_review_preamble(posting)
    if preamble is not None:
        author = parse_person(preamble[1]) or author
    return author, sender
