"""public-inbox archives (what lore.kernel.org serves), read from their git repositories.

A v2 inbox is a directory of epoch repositories, ``git/0.git``, ``git/1.git`` … (an ``all.git``
beside them only borrows their objects); each commit of an epoch holds one message, the blob
``m`` in its tree, or, when the message was removed (spam, a purge request), the blob ``d``. A v1
inbox is one bare repository whose tree keeps every message at a path made of the SHA-1 of its
Message-ID (``ab/cdef…``); a removal deletes that path. A directory of inboxes is read through
the directory reader, inbox by inbox.

Messages are read with git itself: ``git log --reverse --raw`` of each epoch's head names the blob
each commit added, ``git cat-file --batch`` streams the blobs, one at a time. Nothing in the
repository is executed: hooks point at /dev/null, no pager, no signature checking, no fsmonitor,
and git is told the repository explicitly (never discovered from the current directory).

A removed message is passed over, with the reason, both where it was delivered and where it was
removed: a removal is a maintainer's decision that the message is not part of the archive.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from patchlint import hookimpl
from patchlint.model.message import RawMessage
from patchlint.readers.source import Source

# Why a removed message is not judged (the summary counts skipped messages by these words).
DELETED = "deleted from the archive"
REMOVAL = "removal record (the archive took a message out)"

_EPOCH = re.compile(r"(\d+)\.git")
_V1_PATH = re.compile(r"[0-9a-f]{2}/[0-9a-f]{38}")
_HEX = frozenset("0123456789abcdef")
# Configuration that could make git run something, or page, while it reads the archive.
_SAFE = (
    "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "log.showSignature=false",
    "-c", "core.pager=cat", "-c", "log.showRoot=true", "--no-pager", "--no-replace-objects",
)
_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_CONFIG_NOSYSTEM": "1", "GIT_PAGER": "cat"}


class InboxError(Exception):
    """git could not read an epoch (not a repository, no head, git missing …)."""


@dataclass(frozen=True)
class Window:
    """Which mail of an inbox to read: commit dates from ``since`` (inclusive) to ``until``
    (exclusive), and a state file remembering the last commit read of each epoch, so the next
    run reads only what came after it. None means no bound / no state."""

    since: datetime | None = None
    until: datetime | None = None
    state: Path | None = None

    def admits(self, when: int) -> bool:
        """Whether a commit made at ``when`` (Unix seconds) is inside the window."""
        if self.since is not None and when < self.since.timestamp():
            return False
        return self.until is None or when < self.until.timestamp()


def parse_date(text: str) -> datetime:
    """``2024-03-01`` or an ISO 8601 time (``2024-03-01T12:00:00+01:00``); a date without a zone
    is taken as UTC, as lore's archives are. Raises ValueError for anything else."""
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Epoch:
    """One git repository of an inbox: its directory and how reports name it."""

    git_dir: Path
    label: str
    v1: bool


@dataclass(frozen=True)
class Commit:
    """One commit of an epoch's history: the message blob it added, or the one it removed."""

    sha: str
    time: int
    added: str | None = None  # the message's blob
    removed: str | None = None  # the blob of a message taken out of the archive


def find_epochs(path: Path, label: str) -> list[Epoch] | None:
    """The epochs of the inbox at ``path`` in time order, or None when it is not an inbox.

    v2: ``git/N.git`` numerically (``all.git`` alone when there are none, as a mirror may keep);
    v1: ``path`` itself when it is a bare repository whose tree looks like one.
    """
    epochs_dir = path / "git"
    numbered: list[tuple[int, Path]] = []
    if epochs_dir.is_dir():
        try:
            for entry in epochs_dir.iterdir():
                match = _EPOCH.fullmatch(entry.name)
                if match and _is_bare_repository(entry):
                    numbered.append((int(match.group(1)), entry))
        except OSError:
            return None
    if numbered:
        return [Epoch(p, f"{label}/git/{p.name}", False) for _, p in sorted(numbered)]
    if _is_bare_repository(path / "all.git") and _has_head(path / "all.git"):
        return [Epoch(path / "all.git", f"{label}/all.git", False)]
    if _is_bare_repository(path):
        layout = _layout(path)
        if layout is not None:
            return [Epoch(path, label, layout == "v1")]
    return None


def _is_bare_repository(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def _git(git_dir: Path, *args: str) -> list[str]:
    return ["git", *_SAFE, f"--git-dir={git_dir}", *args]


def _env() -> dict[str, str]:
    return {**os.environ, **_ENV}


def _has_head(git_dir: Path) -> bool:
    done = _run(git_dir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    return done is not None and done.returncode == 0


def _layout(git_dir: Path) -> str | None:
    """``v1`` for a bare repository whose head's tree holds only two-hex-digit folders (ssoma's
    fan-out), ``v2`` for one epoch of a v2 inbox (its tree is ``m`` or ``d``), else None."""
    done = _run(git_dir, "ls-tree", "--name-only", "HEAD")
    if done is None or done.returncode != 0:
        return None
    names = done.stdout.decode("ascii", "replace").split()
    if names and all(len(n) == 2 and set(n) <= _HEX for n in names):
        return "v1"
    if len(names) == 1 and names[0] in ("m", "d"):
        return "v2"
    return None


def _run(git_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(
            _git(git_dir, *args), capture_output=True, stdin=subprocess.DEVNULL, env=_env(),
            check=False, timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def history(epoch: Epoch, after: str | None = None) -> Iterator[Commit]:
    """The commits of ``epoch`` oldest first (only those after commit ``after`` when given), each
    with the message blob it added or removed, streamed from one ``git log --raw``."""
    revisions = f"{after}..HEAD" if after else "HEAD"
    command = _git(
        epoch.git_dir, "log", "--reverse", "--no-abbrev", "--raw", "--no-renames", "--no-notes",
        "--no-show-signature", "--format=%x00%H %ct", revisions, "--",
    )
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=_env()
        )
    except OSError as exc:
        raise InboxError(f"cannot run git: {exc.strerror or exc}") from exc
    assert process.stdout is not None and process.stderr is not None
    try:
        current: Commit | None = None
        for line in process.stdout:
            if line.startswith(b"\0"):
                if current is not None:
                    yield current
                sha, time = line[1:].split()
                current = Commit(sha.decode("ascii"), int(time))
            elif line.startswith(b":") and current is not None:
                current = _with_change(current, line, epoch.v1)
        if current is not None:
            yield current
    finally:
        process.stdout.close()
        error = process.stderr.read().decode("utf-8", "replace").strip()
        process.stderr.close()
        if process.wait() != 0:
            raise InboxError(f"git log failed: {error or f'exit status {process.returncode}'}")


def _with_change(commit: Commit, line: bytes, v1: bool) -> Commit:
    """Fold one ``--raw`` line (``:old-mode new-mode old new STATUS\\tpath``) into ``commit``."""
    meta, _, path = line.rstrip(b"\n").partition(b"\t")
    parts = meta.split()
    if len(parts) < 5:
        return commit
    old, new, status = parts[2].decode(), parts[3].decode(), parts[4][:1]
    name = path.decode("utf-8", "replace")
    if v1:
        if not _V1_PATH.fullmatch(name):
            return commit
        if status in (b"A", b"M"):
            return Commit(commit.sha, commit.time, new, commit.removed)
        if status == b"D":
            return Commit(commit.sha, commit.time, commit.added, old)
        return commit
    # v2: the tree holds one file; each commit replaces the one before, so only the new side
    # says what this commit is.
    if status in (b"A", b"M") and name == "m":
        return Commit(commit.sha, commit.time, new, commit.removed)
    if status in (b"A", b"M") and name == "d":
        return Commit(commit.sha, commit.time, commit.added, new)
    return commit


class _Blobs:
    """One ``git cat-file --batch`` process, asked for one blob at a time."""

    def __init__(self, git_dir: Path) -> None:
        try:
            self.process = subprocess.Popen(
                _git(git_dir, "cat-file", "--batch"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, env=_env(),
            )
        except OSError as exc:
            raise InboxError(f"cannot run git: {exc.strerror or exc}") from exc
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests: IO[bytes] = self.process.stdin
        self.answers: IO[bytes] = self.process.stdout

    def read(self, oid: str) -> bytes | None:
        """The blob's bytes, or None when the repository lacks it."""
        self.requests.write(oid.encode("ascii") + b"\n")
        self.requests.flush()
        header = self.answers.readline().split()
        if len(header) != 3:  # "<oid> missing"
            return None
        size = int(header[2])
        data = self.answers.read(size)
        self.answers.read(1)  # the newline after the contents
        return data

    def close(self) -> None:
        self.requests.close()
        self.answers.close()
        self.process.wait()


@dataclass
class State:
    """The state file: per epoch (by absolute path), the last commit read and its time.

    Written after each epoch is read to its end (atomically: a new file renamed over the old),
    so an interrupted run reads again what it had not finished."""

    path: Path
    epochs: dict[str, dict[str, object]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> State:
        """The state in ``path`` (empty when the file does not exist yet); raises InboxError for a
        file that is not a state file."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise InboxError(f"cannot read the state file {path}: {exc.strerror or exc}") from exc
        try:
            data = json.loads(text)
            epochs = data["epochs"]
            if not isinstance(epochs, dict):
                raise TypeError("epochs is not a mapping")
        except (ValueError, KeyError, TypeError) as exc:
            raise InboxError(f"{path} is not a patchlint state file ({exc})") from exc
        return cls(path, epochs)

    def last(self, epoch: Epoch) -> tuple[str | None, int | None]:
        """The last commit read of ``epoch`` and its time, if any run recorded one."""
        entry = self.epochs.get(str(epoch.git_dir.resolve()), {})
        commit, time = entry.get("commit"), entry.get("time")
        return (commit if isinstance(commit, str) else None, time if isinstance(time, int) else None)

    def record(self, epoch: Epoch, commit: Commit) -> None:
        """Remember ``commit`` as the last one read of ``epoch`` and write the file."""
        self.epochs[str(epoch.git_dir.resolve())] = {"commit": commit.sha, "time": commit.time}
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps({"version": 1, "epochs": self.epochs}, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, self.path)


def _is_ancestor(git_dir: Path, commit: str) -> bool:
    done = _run(git_dir, "merge-base", "--is-ancestor", commit, "HEAD")
    return done is not None and done.returncode == 0


def removed_blobs(epochs: Sequence[Epoch]) -> set[str]:
    """The blobs of every message removed from the inbox (a removal may come in a later epoch
    than the delivery): one pass over the commits touching ``d`` (v2) or deleting a path (v1)."""
    removed: set[str] = set()
    for epoch in epochs:
        filters = ("--diff-filter=D",) if epoch.v1 else ("--diff-filter=AM",)
        paths = () if epoch.v1 else ("d",)
        done = _run(epoch.git_dir, "log", "--no-abbrev", "--raw", "--no-renames", "--format=", *filters, "HEAD", "--", *paths)
        if done is None or done.returncode != 0:
            continue  # the main pass reports what is wrong with the epoch
        for line in done.stdout.splitlines():
            change = _with_change(Commit("", 0), line, epoch.v1)
            if change.removed:
                removed.add(change.removed)
    return removed


def read_inbox(source: Source, epochs: Sequence[Epoch], window: Window) -> Iterator[RawMessage]:
    """Every message of the inbox's epochs inside ``window``; removed ones come as skipped."""
    try:
        state = State.load(window.state) if window.state is not None else None
    except InboxError as exc:
        yield RawMessage(source.name, 0, b"", error=f"unparseable: {exc}")
        return
    removed = removed_blobs(epochs)
    for epoch in epochs:
        yield from _read_epoch(epoch, window, state, removed)


def _read_epoch(epoch: Epoch, window: Window, state: State | None, removed: set[str]) -> Iterator[RawMessage]:
    if not _has_head(epoch.git_dir):
        return  # an epoch no mail has reached yet (public-inbox creates the next one early)
    after, after_time = state.last(epoch) if state is not None else (None, None)
    if after is not None and not _is_ancestor(epoch.git_dir, after):
        # The history was rewritten since (public-inbox-purge, -edit): read what is newer than
        # the last commit read, by time, rather than everything again.
        after = None
    else:
        after_time = None
    index = 0
    last: Commit | None = None
    blobs: _Blobs | None = None
    try:
        blobs = _Blobs(epoch.git_dir)
        for commit in history(epoch, after):
            last = commit
            if after_time is not None and commit.time <= after_time:
                continue
            if not window.admits(commit.time):
                continue
            yield _message(epoch, index, commit, blobs, removed)
            index += 1
    except InboxError as exc:
        yield RawMessage(epoch.label, index, b"", error=f"unparseable: {exc}")
        return
    finally:
        if blobs is not None:
            blobs.close()
    if state is not None and last is not None:
        state.record(epoch, last)


def _message(epoch: Epoch, index: int, commit: Commit, blobs: _Blobs, removed: set[str]) -> RawMessage:
    """The RawMessage of one commit: its message, or a skipped record of a removal."""
    if commit.added is None and commit.removed is not None:
        return RawMessage(epoch.label, index, b"", skipped=REMOVAL)
    if commit.added is None:
        return RawMessage(epoch.label, index, b"", error=f"unparseable: commit {commit.sha} holds no message")
    if commit.added in removed:
        return RawMessage(epoch.label, index, b"", skipped=DELETED)
    data = blobs.read(commit.added)
    if data is None:
        return RawMessage(
            epoch.label, index, b"",
            error=f"unparseable: blob {commit.added} of commit {commit.sha} is missing from the repository",
        )
    return RawMessage(epoch.label, index, data)


class PublicInboxReader:
    """The reader as a plugin object carrying its :class:`Window` (``patchlint check --since``,
    ``--until``, ``--state`` register one; the built-in reads whole inboxes)."""

    def __init__(self, window: Window | None = None) -> None:
        self.window = window or Window()

    @hookimpl(trylast=True)
    def patchlint_read_source(self, source: Source) -> Iterator[RawMessage] | None:
        """A public-inbox v2 inbox directory, a v2 epoch or a v1 repository."""
        if not source.is_dir or source.path is None:
            return None
        epochs = find_epochs(source.path, source.name)
        if epochs is None:
            return None
        return read_inbox(source, epochs, self.window)


@hookimpl(trylast=True)
def patchlint_read_source(source: Source) -> Iterator[RawMessage] | None:
    """public-inbox v1 and v2 inboxes, read whole (see :class:`PublicInboxReader`)."""
    return PublicInboxReader().patchlint_read_source(source)
