"""What the PL3xx rules share: the configured mailmap, trailer registry and git repository, and
the sign-offs of a patch as git keeps them.

The three resources come from the configuration's ``settings:`` (``mailmap``, ``trailer-registry``,
``git-dir``), read once per rule when the engine configures it (:meth:`Rule.configure`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from patchlint.commitlog import CommitLog
from patchlint.config import Config
from patchlint.gitrepo import Repository, repository_for
from patchlint.identity import Address, Mailmap, mailmap_for, parse_address
from patchlint.posting import Posting
from patchlint.registry import BUILTIN_REGISTRY, Registry, load_registry, registry_for, registry_path


class JudgesCommits:
    """A rule about the commit a patch would make: it judges patches that carry a diff.

    A "patch" without a diff is a reply that kept the subject, a report quoting a patch, or a
    posting whose diff got lost; its text is not a commit message, so judging its sign-offs
    or wrapping would be noise.
    """

    def applies(self, target: object) -> bool:
        return bool(super().applies(target)) and target.body.diff_start is not None  # type: ignore[misc, attr-defined]


class UsesMailmap:
    """A rule that maps people through the configured ``.mailmap`` before comparing them."""

    mailmap: Mailmap | None = None

    def configure(self, config: Config) -> None:
        self.mailmap = mailmap_for(config)
        super().configure(config)  # type: ignore[misc]


class UsesRegistry:
    """A rule that looks trailers up in the configured registry (the built-in one by default)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registry: Registry = load_registry(registry_path(BUILTIN_REGISTRY))

    def configure(self, config: Config) -> None:
        self.registry = registry_for(config)
        super().configure(config)  # type: ignore[misc]


class UsesRepository:
    """A rule that resolves commit ids in the configured repository, when there is one."""

    repository: Repository | None = None

    def configure(self, config: Config) -> None:
        self.repository = repository_for(config)
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


def dropped_sign_offs(posting: Posting) -> list[int]:
    """Body indexes of ``Signed-off-by:`` lines below ``---``, where git am drops them."""
    start, end = posting.body.notes_range
    return [i for i in range(start, end) if _SIGN_OFF.match(posting.body.lines[i])]
