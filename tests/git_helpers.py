"""Temporary git repositories for the tests that read commits, ranges and commit messages."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

# A fixed identity and dates: commit ids (and so file names and outcomes) repeat across runs.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Tester", "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada Tester", "GIT_COMMITTER_EMAIL": "ada@example.org",
    "GIT_AUTHOR_DATE": "2024-03-01T10:00:00+00:00", "GIT_COMMITTER_DATE": "2024-03-01T10:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=True,
        env={**os.environ, **GIT_ENV}, timeout=60,
    )
    return done.stdout.decode()


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    (path / "README").write_text("base\n")
    git(path, "add", "README")
    git(path, "commit", "-q", "-m", "base: the start")
    return path


def commit(repo: Path, name: str, message: str, content: str | None = None) -> str:
    """Commit ``content`` (default: a line naming the file) to ``name``; returns the commit id."""
    (repo / name).write_text(content if content is not None else f"{name}\n")
    git(repo, "add", name)
    git(repo, "commit", "-q", "-F", "-", stdin=message.encode())
    return git(repo, "rev-parse", "HEAD").strip()


SIGNED = "\n\nExplain the change: what was wrong and how this fixes it.\n\nSigned-off-by: Ada Tester <ada@example.org>\n"


def mailinfo(mail: bytes, *options: str) -> tuple[str, bytes, bytes]:
    """What ``git mailinfo`` (the first step of git am) makes of ``mail``: its header summary
    (``Author:``, ``Subject:`` …), the commit message and the patch, as git writes them."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            ["git", "mailinfo", *options, f"{scratch}/msg", f"{scratch}/patch"],
            input=mail, capture_output=True, check=True, env={**os.environ, **GIT_ENV}, timeout=60,
        )
        return (
            done.stdout.decode("utf-8", "replace"),
            Path(scratch, "msg").read_bytes(),
            Path(scratch, "patch").read_bytes(),
        )


def apply_check(repo: Path, patch: bytes) -> subprocess.CompletedProcess[bytes]:
    """``git apply --numstat`` on ``patch``: git reads every hunk (and says "corrupt patch at
    line N" for one it cannot read) without needing the files the patch changes."""
    return subprocess.run(
        ["git", "-C", str(repo), "apply", "--numstat"], input=patch, capture_output=True,
        env={**os.environ, **GIT_ENV}, timeout=60,
    )


def am(repo: Path, mail: bytes, *options: str) -> subprocess.CompletedProcess[bytes]:
    """``git am`` of ``mail`` in ``repo``, not raising: the test reads what git said."""
    return subprocess.run(
        ["git", "-C", str(repo), "am", *options], input=mail, capture_output=True,
        env={**os.environ, **GIT_ENV}, timeout=60,
    )


_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


def preimages(patch: bytes) -> dict[str, bytes]:
    """The files a patch applies to, rebuilt from its hunks: each hunk's context and removed
    lines at their old line numbers, filler lines between (git apply reads nothing else of a
    file, and a hunk with less context after it than before ends the file, as here)."""
    files: dict[str, list[bytes]] = {}
    current: list[bytes] | None = None
    lines = patch.split(b"\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.startswith(b"--- a/"):
            current = files.setdefault(line[6:].decode("utf-8", "surrogateescape"), [])
            continue
        match = _HUNK.match(line)
        if match is None or current is None:
            continue
        start, old = int(match.group(1)), int(match.group(2) or 1)
        while len(current) < start - 1:
            current.append(b"filler line %d" % (len(current) + 1))
        while old > 0 and index < len(lines):
            body = lines[index]
            index += 1
            if body[:1] in (b" ", b"-"):
                current.append(body[1:])
                old -= 1
            elif body == b"":
                current.append(b"")
                old -= 1
    return {name: b"".join(line + b"\n" for line in content) for name, content in files.items()}


def am_repo(path: Path, mail: bytes) -> Path:
    """A repository holding the files ``mail``'s patch applies to (see :func:`preimages`)."""
    make_repo(path)
    _, _, patch = mailinfo(mail)
    for name, content in preimages(patch).items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        git(path, "add", name)
    git(path, "commit", "-q", "-m", "preimage: the files the patch applies to")
    return path
