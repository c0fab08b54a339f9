"""Commit lookups in a local git repository, for the rules that check commit references.

A repository is given by the ``git-dir`` setting (or ``patchlint check --git-dir``); without one
those rules say nothing about whether a commit exists, so a shallow or missing tree never makes
noise. Lookups go through one ``git cat-file --batch-check`` per question and are remembered for
the life of the rule that asked.
"""

from __future__ import annotations

import enum
import subprocess
from dataclasses import dataclass
from pathlib import Path

from patchlint.config import Config, ConfigError, node_line

GIT_DIR_SETTING = "git-dir"


class Found(enum.Enum):
    """What a commit id turned out to be."""

    COMMIT = "commit"
    MISSING = "missing"
    AMBIGUOUS = "ambiguous"
    NOT_A_COMMIT = "not-a-commit"


@dataclass(frozen=True)
class Lookup:
    """The answer for one commit id: what it is and, for a commit, its full id and subject."""

    found: Found
    sha: str = ""
    subject: str = ""


class Repository:
    """A git repository (a work tree or a bare ``.git`` directory) to look commits up in.

    Answers are remembered: one repository object lives as long as the rule that opened it.
    """

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir
        self._cache: dict[str, Lookup] = {}

    def __repr__(self) -> str:
        return f"<Repository {self.git_dir}>"

    @classmethod
    def open(cls, path: Path) -> Repository | None:
        """The repository at ``path``, or None when it is not one."""
        try:
            done = subprocess.run(
                ["git", "-C", str(path), "rev-parse", "--absolute-git-dir"],
                capture_output=True, text=True, check=False, timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if done.returncode != 0 or not done.stdout.strip():
            return None
        return cls(Path(done.stdout.strip()))

    def _git(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            ["git", f"--git-dir={self.git_dir}", *args],
            input=stdin, capture_output=True, text=True, check=False, timeout=60,
            errors="replace",
        )
        return done.stdout

    def lookup(self, commit: str) -> Lookup:
        """Resolve an abbreviated or full commit id."""
        commit = commit.lower()
        cached = self._cache.get(commit)
        if cached is not None:
            return cached
        answer = self._git("cat-file", "--batch-check", stdin=f"{commit}\n").strip()
        if answer.endswith(" ambiguous"):
            result = Lookup(Found.AMBIGUOUS)
        elif answer.endswith(" missing") or not answer:
            result = Lookup(Found.MISSING)
        else:
            sha, kind, *_ = answer.split()
            if kind != "commit":
                result = Lookup(Found.NOT_A_COMMIT, sha)
            else:
                subject = self._git("log", "-1", "--format=%s", sha, "--").strip()
                result = Lookup(Found.COMMIT, sha, subject)
        self._cache[commit] = result
        return result


def repository_for(config: Config) -> Repository | None:
    """The repository of a configuration's ``git-dir`` setting, or None when there is none."""
    setting = config.setting_path(GIT_DIR_SETTING, "the path of a git repository")
    if setting is None:
        return None
    path, file, node = setting
    repository = Repository.open(path)
    if repository is None:
        raise ConfigError(file, node_line(node), f"git-dir: {path} is not a git repository")
    return repository
