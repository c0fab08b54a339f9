"""Build public-inbox repositories with git itself, as public-inbox lays them out, for tests and
benchmarks: ``git fast-import`` writes the commits (one message each) in one process."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*<?([^>\r\n]*)>?", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Mail:
    """One commit: a delivery of ``data`` at ``time`` (Unix seconds), or, with ``removal``, the
    removal of the message ``data`` delivered before (public-inbox keeps it as the blob ``d``)."""

    data: bytes
    time: int
    removal: bool = False


def v1_path(data: bytes) -> str:
    """Where public-inbox v1 (ssoma) keeps a message: the SHA-1 of its Message-ID, fanned out."""
    found = _MESSAGE_ID.search(data)
    digest = hashlib.sha1((found.group(1).strip() if found else b"")).hexdigest()
    return f"{digest[:2]}/{digest[2:]}"


def build_epoch(git_dir: Path, mails: Sequence[Mail], v1: bool = False) -> Path:
    """A bare repository at ``git_dir`` with one commit per mail, in order: v2 (the tree holds
    ``m``, or ``d`` for a removal) or v1 (every message at its Message-ID path)."""
    git_dir.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "master", str(git_dir)], check=True)
    stream = bytearray()
    for number, mail in enumerate(mails, 1):
        stream += b"blob\nmark :%d\ndata %d\n" % (number, len(mail.data)) + mail.data + b"\n"
        if mail.removal:
            change = f"D {v1_path(mail.data)}\n" if v1 else f"deleteall\nM 100644 :{number} d\n"
        else:
            change = f"M 100644 :{number} {v1_path(mail.data)}\n" if v1 else f"deleteall\nM 100644 :{number} m\n"
        stream += _commit(number, mail.time, b"removal" if mail.removal else b"message", change.encode())
    subprocess.run(["git", f"--git-dir={git_dir}", "fast-import", "--quiet"], input=bytes(stream), check=True)
    return git_dir


def _commit(number: int, time: int, subject: bytes, change: bytes) -> bytes:
    return (
        b"commit refs/heads/master\n"
        + f"committer list <list@example.org> {time} +0000\n".encode()
        + b"data %d\n%s\n" % (len(subject), subject)
        + change
    )


def build_v2(inbox: Path, epochs: Iterable[Sequence[Mail]]) -> Path:
    """A v2 inbox directory: ``git/0.git`` … one per sequence of mails, and an ``all.git``."""
    for number, mails in enumerate(epochs):
        build_epoch(inbox / "git" / f"{number}.git", mails)
    subprocess.run(["git", "init", "-q", "--bare", str(inbox / "all.git")], check=True)
    return inbox


def append(git_dir: Path, mails: Sequence[Mail]) -> None:
    """Deliver more mail to an existing v2 epoch (what a daily mirror update brings)."""
    head = subprocess.run(
        ["git", f"--git-dir={git_dir}", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    stream = bytearray(f"reset refs/heads/master\nfrom {head}\n\n".encode())
    for number, mail in enumerate(mails, 1):
        stream += b"blob\nmark :%d\ndata %d\n" % (number, len(mail.data)) + mail.data + b"\n"
        stream += _commit(number, mail.time, b"message", f"deleteall\nM 100644 :{number} m\n".encode())
    subprocess.run(["git", f"--git-dir={git_dir}", "fast-import", "--quiet"], input=bytes(stream), check=True)
