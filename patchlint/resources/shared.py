"""What rules share, built once per engine configuration: the trailer registry, the
``.mailmap``, a git repository, and the memos rules keep across postings.

A rule reads them as ``self.resources`` (:attr:`patchlint.rule.Rule.resources`). The engine builds
one :class:`Resources` per loaded configuration (:meth:`Resources.load`) and hands it to every
rule of that configuration before :meth:`~patchlint.rule.Rule.configure`; a rule built outside an
engine gets :meth:`Resources.standalone` (the built-in registry, no mailmap, no repository).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from patchlint.model.identity import Mailmap, mailmap_for
from patchlint.resources.gitrepo import Repository, repository_for
from patchlint.resources.registry import BUILTIN_REGISTRY, Registry, load_registry, registry_for, registry_path

if TYPE_CHECKING:
    from patchlint.config import Config


@dataclass(eq=False)
class Memos:
    """What rules remember from posting to posting, in one declared place (not in each rule's
    ``__dict__``): named memos of one rule (``memo(rule.code, "judged")``), each living as long
    as its configuration. (A posting's commit log is the posting's own:
    :attr:`~patchlint.model.posting.Posting.commit_log`.)
    """

    _named: dict[tuple[str, str], dict[Any, Any]] = field(default_factory=dict)

    def memo(self, owner: str, name: str) -> dict[Any, Any]:
        """The memo ``name`` of ``owner`` (a rule code), empty the first time it is asked for."""
        found = self._named.get((owner, name))
        if found is None:
            found = self._named[(owner, name)] = {}
        return found


@dataclass(frozen=True, eq=False)
class Resources:
    """The shared resources of one configuration (see the module documentation)."""

    registry: Registry
    mailmap: Mailmap | None = None
    repository: Repository | None = None
    memos: Memos = field(default_factory=Memos)

    @classmethod
    def load(cls, config: Config) -> Resources:
        """Build them from ``config``'s settings (``trailer-registry``, ``mailmap``, ``git-dir``);
        a mistake there is a :class:`~patchlint.config.ConfigError` at its ``file:line``."""
        return cls(registry_for(config), mailmap_for(config), repository_for(config))

    @classmethod
    def standalone(cls) -> Resources:
        """For a rule built outside an engine: the built-in registry, no mailmap, no repository."""
        return cls(load_registry(registry_path(BUILTIN_REGISTRY)))
