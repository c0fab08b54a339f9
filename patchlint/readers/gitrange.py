"""A git revision range, read as the mail ``git send-email`` would send: ``git format-patch
--stdout`` over the range, streamed, each posting named as ``format-patch -o`` names its file
(``v2-0001-subsystem-summary.patch``, ``0000-cover-letter.patch``).

b4's prep branches are recognised: when the first commit of the range is b4's cover commit (an
empty commit whose message carries the ``--- b4-submit-tracking ---`` section), that message is
the cover letter, its parent the base (``base-commit:``), its ``change-id`` and ``revision``
carried into the cover letter and the file names, as ``b4 send`` does.

Nothing in the checked repository is executed: git runs with hooks pointed at /dev/null, no
pager, no external diff or textconv drivers, no fsmonitor, and only built-in commands are
called (an alias cannot shadow a built-in).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from patchlint.model.message import RawMessage

B4_MARKER = "--- b4-submit-tracking ---"
# format-patch's separator: the commit id and a fixed date (git's own "magic" timestamp).
_SEPARATOR = re.compile(rb"From ([0-9a-f]{40,64}) Mon Sep 17 00:00:00 2001\r?\n")
_TIMEOUT = 300
# git options that keep the checked repository's configuration from running anything.
SAFE_OPTIONS = (
    "-c", "core.hooksPath=/dev/null", "-c", "core.pager=cat", "-c", "core.fsmonitor=false",
    "-c", "diff.external=", "--no-pager",
)


@dataclass(frozen=True)
class GitRange:
    """A revision range (anything ``git format-patch``/``git rev-list`` takes: ``HEAD~3..``,
    ``origin/main..topic``; a single revision means "since", as format-patch reads it) of the
    repository at ``repo``, with or without a cover letter (None: as the repository's
    ``format.coverLetter`` says)."""

    spec: str
    repo: Path
    cover_letter: bool | None = None
    reroll_count: str | None = None


@dataclass(frozen=True)
class B4Cover:
    """b4's cover commit: its id, the letter (subject, body) and the tracking data."""

    sha: str
    subject: str
    body: str
    change_id: str | None
    revision: int | None


def git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a built-in git command in ``repo`` with nothing of the repository's executed."""
    return subprocess.run(
        ["git", "-C", str(repo), *SAFE_OPTIONS, *args],
        input=stdin, capture_output=True, check=False, timeout=_TIMEOUT, env=_environment(),
    )


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    for key in ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_EDITOR"):
        env.pop(key, None)
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def is_revision_range(spec: str, repo: Path) -> bool:
    """Whether ``spec`` names revisions of the repository ``repo`` is in (``HEAD~3..``,
    ``main..topic``, ``v6.8``); an option-like word never does."""
    if not spec or spec.startswith("-"):
        return False
    try:
        done = git(repo, "rev-parse", "--revs-only", spec, "--")
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and bool(done.stdout.strip())


def revision_args(spec: str) -> list[str]:
    """The rev-list arguments ``spec`` stands for: a single revision means "since it", up to
    HEAD, as ``git format-patch origin/main`` reads it."""
    if ".." in spec or spec.startswith("^"):
        return [spec]
    return [f"{spec}..HEAD"]


def read_range(item: GitRange, name: str) -> Iterator[RawMessage]:
    """The postings of the range, streamed from ``git format-patch --stdout``; a range git
    refuses or one without commits is one reported message, never an exception."""
    try:
        yield from _read(item, name)
    except (OSError, subprocess.TimeoutExpired) as exc:
        yield RawMessage(name, 0, b"", error=f"unparseable: git could not be run: {exc}")


def _read(item: GitRange, name: str) -> Iterator[RawMessage]:
    revs = revision_args(item.spec)
    listed = git(item.repo, "rev-list", "--reverse", "--no-merges", *revs, "--")
    if listed.returncode != 0:
        yield RawMessage(name, 0, b"", error=f"unparseable: git rev-list {item.spec}: {_stderr(listed)}")
        return
    commits = listed.stdout.decode().split()
    b4 = _b4_cover(item.repo, commits[0]) if commits else None
    options: list[str] = []
    reroll = item.reroll_count
    if b4 is not None:
        commits = commits[1:]
        revs = [*revs, f"^{b4.sha}"]
        options.append(f"--base={b4.sha}^")
        if reroll is None and b4.revision and b4.revision > 1:
            reroll = str(b4.revision)
    if not commits:
        yield RawMessage(name, 0, b"", error=f"unparseable: no commits in {item.spec}: nothing would be sent")
        return
    cover = b4 is not None or _wants_cover(item, len(commits))
    options.append("--cover-letter" if cover else "--no-cover-letter")
    if reroll is not None:
        options.append(f"--reroll-count={reroll}")
    names = _file_names(item.repo, commits, reroll)
    process = subprocess.Popen(
        ["git", "-C", str(item.repo), *SAFE_OPTIONS, "format-patch", "--stdout", "--no-ext-diff",
         "--no-textconv", *options, *revs, "--"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=_environment(),
    )
    assert process.stdout is not None
    count = 0
    try:
        for sha, data in _split(process.stdout):
            if cover and count == 0:
                label = f"{_prefix(reroll)}0000-cover-letter{names.suffix}"
                if b4 is not None:
                    data = _b4_letter(data, b4)
            else:
                label = names.by_sha.get(sha, f"{sha[:12]}{names.suffix}")
            yield RawMessage(label, 0, data)
            count += 1
    finally:
        process.stdout.close()
        error = process.stderr.read() if process.stderr is not None else b""
        if process.stderr is not None:
            process.stderr.close()
        status = process.wait(timeout=_TIMEOUT)
    if status != 0:
        text = error.decode("utf-8", "replace").strip() or f"exit status {status}"
        yield RawMessage(name, count, b"", error=f"unparseable: git format-patch {item.spec}: {text}")


def _split(stream) -> Iterator[tuple[str, bytes]]:
    """``(commit id, message)`` per message of format-patch's output, read line by line; the
    blank line before the next separator belongs to the stream, not to the message."""
    sha: str | None = None
    lines: list[bytes] = []
    for line in stream:
        match = _SEPARATOR.fullmatch(line)
        if match is not None:
            if sha is not None:
                yield sha, _finish(lines)
            sha, lines = match.group(1).decode(), []
            continue
        lines.append(line)
    if sha is not None:
        yield sha, _finish(lines)


def _finish(lines: list[bytes]) -> bytes:
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines.pop()
    return b"".join(lines)


def _stderr(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"


def _wants_cover(item: GitRange, commits: int) -> bool:
    """Asked for, or what the repository's ``format.coverLetter`` makes format-patch do."""
    if item.cover_letter is not None:
        return item.cover_letter
    done = git(item.repo, "config", "--get", "format.coverLetter")
    value = done.stdout.decode().strip().lower() if done.returncode == 0 else ""
    if value == "auto":
        return commits > 1
    return value in ("true", "yes", "on", "1")


@dataclass(frozen=True)
class _Names:
    by_sha: dict[str, str]
    suffix: str


def _prefix(reroll: str | None) -> str:
    return f"v{reroll}-" if reroll is not None else ""


def _file_names(repo: Path, commits: Sequence[str], reroll: str | None) -> _Names:
    """The names ``git format-patch -o`` gives each commit's file: the number, git's own
    sanitised subject (``%f``), cut to ``format.filenameMaxLength`` with the suffix."""
    suffix = _config(repo, "format.suffix", ".patch")
    try:
        limit = int(_config(repo, "format.filenameMaxLength", "64"))
    except ValueError:
        limit = 64
    done = git(repo, "log", "--no-walk=unsorted", "--format=%H %f", *commits, "--")
    sanitised = dict(line.split(" ", 1) for line in done.stdout.decode("utf-8", "replace").splitlines() if " " in line)
    names = {}
    for number, sha in enumerate(commits, start=1):
        stem = f"{_prefix(reroll)}{number:04d}-{sanitised.get(sha, '')}"
        # The limit counts one byte more than git writes (checked against format-patch -o in tests).
        names[sha] = stem[: max(limit - len(suffix) - 1, 0)] + suffix
    return _Names(names, suffix)


def _config(repo: Path, key: str, default: str) -> str:
    done = git(repo, "config", "--get", key)
    return done.stdout.decode().strip() if done.returncode == 0 else default


def _b4_cover(repo: Path, sha: str) -> B4Cover | None:
    """b4's cover commit, when ``sha`` is one: an empty commit carrying b4's tracking section."""
    done = git(repo, "log", "-1", "--format=%T %P%n%B", sha, "--")
    if done.returncode != 0:
        return None
    head, _, message = done.stdout.decode("utf-8", "replace").partition("\n")
    if B4_MARKER not in message:
        return None
    tree, *parents = head.split()
    if len(parents) != 1:
        return None
    parent_tree = git(repo, "log", "-1", "--format=%T", parents[0], "--").stdout.decode().strip()
    if parent_tree != tree:
        return None  # b4 keeps its cover letter in a commit that changes nothing
    letter, _, tracking = message.partition(B4_MARKER)
    subject, _, body = letter.strip("\n").partition("\n")
    data = _tracking(tracking)
    series = data.get("series", {}) if isinstance(data.get("series"), dict) else {}
    change_id = series.get("change-id")
    revision = series.get("revision")
    return B4Cover(
        sha, subject.strip(), body.strip("\n"),
        change_id if isinstance(change_id, str) else None,
        revision if isinstance(revision, int) else None,
    )


def _tracking(text: str) -> dict:
    """The JSON of b4's tracking section (its ``#`` comment lines dropped); {} when unreadable."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    try:
        data = json.loads("\n".join(lines))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _b4_letter(data: bytes, b4: B4Cover) -> bytes:
    """format-patch's cover letter template filled in as b4 fills it: the cover commit's subject
    and body, and ``change-id:`` after ``base-commit:``."""
    text = data.decode("utf-8", "surrogateescape")
    text = text.replace("*** SUBJECT HERE ***", b4.subject, 1).replace("*** BLURB HERE ***", b4.body, 1)
    if b4.change_id:
        text = re.sub(r"^(base-commit: .*)$", lambda m: f"{m.group(1)}\nchange-id: {b4.change_id}", text,
                      count=1, flags=re.MULTILINE)
    return text.encode("utf-8", "surrogateescape")
