"""A bare commit message (``patchlint check --commit-msg FILE``, a ``commit-msg`` hook's file),
read as git will commit it and mailed as ``git format-patch`` would mail that commit.

git hands a ``commit-msg`` hook the message as the editor left it: the text, git's commented
help (lines starting with ``core.commentChar``, ``#`` by default), and with ``commit -v`` a
scissors line followed by the diff. git cleans it up afterwards (``git commit --cleanup``):

* ``strip`` (git's default when the message was edited): everything from the scissors line on
  is cut, comment lines are dropped, trailing whitespace, leading and trailing blank lines and
  runs of blank lines go (``git stripspace --strip-comments``);
* ``whitespace`` (the default when it was not: ``-m``, ``-F``; git then runs the hook with
  ``GIT_EDITOR=:``): the same without dropping comments or cutting;
* ``scissors``: ``whitespace``, cut at the scissors line; ``verbatim``: nothing changes.

The mode is ``--cleanup``, else the repository's ``commit.cleanup``, else git's default. What is
left becomes the mail format-patch writes for the commit: the first paragraph, joined into one
line, is the subject (``[PATCH] summary``), the rest the body, then ``---``; the author is git's
(``git var GIT_AUTHOR_IDENT``). Reports point at the lines of FILE. Comment lines *inside* the
text (a ``#include`` written between two paragraphs) are kept in that mail, so the rule on
dropped lines (PL317) reports what git drops; git's own help before and after the text is not.

git runs only as ``git config`` and ``git var`` (see :mod:`patchlint.readers.gitrange`): nothing
of the repository is executed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

from patchlint.model.message import RawMessage
from patchlint.readers.gitrange import git

CLEANUP_MODES = ("strip", "whitespace", "verbatim", "scissors", "default")
SCISSORS = "------------------------ >8 ------------------------"
# The names git gives the message files it hands to hooks and editors.
GIT_MESSAGE_FILES = frozenset({"COMMIT_EDITMSG", "MERGE_MSG", "SQUASH_MSG", "TAG_EDITMSG", "EDIT_DESCRIPTION"})
# core.commentChar=auto: git picks the first of these that starts no line of the message.
_AUTO_CANDIDATES = "#;@!$%^&|:"
_MAX_SIZE = 16 * 1024 * 1024


@dataclass(frozen=True)
class CommitMessage:
    """A commit message file, judged in the repository ``repo`` (its ``core.commentChar``,
    ``commit.cleanup`` and author identity); ``cleanup`` None means as git would clean it."""

    path: str
    repo: Path
    cleanup: str | None = None


@dataclass(frozen=True)
class GitSettings:
    """What git's configuration says about a commit message: the comment string (None: auto),
    the cleanup mode, the author, and where the patch would be sent."""

    comment: str | None = "#"
    cleanup: str = "default"
    author: str | None = None
    to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    """One line of the cleaned message and the 1-based line of the file it came from."""

    number: int
    text: str


def looks_like_commit_message(path: str | Path) -> bool:
    """Whether ``path`` is a message file git wrote for a hook or an editor (by the names git
    gives them: ``COMMIT_EDITMSG``, ``MERGE_MSG`` …) holding text rather than mail. A file of
    another name is read as a commit message only when asked (``--commit-msg``)."""
    return Path(path).name in GIT_MESSAGE_FILES and os.path.isfile(path)


def read_commit_message(item: CommitMessage, name: str) -> Iterator[RawMessage]:
    """The one posting the commit would be, or a reported message saying why there is none."""
    try:
        with open(item.path, "rb") as stream:
            data = stream.read(_MAX_SIZE + 1)
    except OSError as exc:
        yield RawMessage(name, 0, b"", error=f"unparseable: cannot read the commit message: {exc.strerror or exc}")
        return
    if len(data) > _MAX_SIZE:
        yield RawMessage(name, 0, b"", error="unparseable: a commit message larger than 16 MiB")
        return
    if b"\0" in data:
        yield RawMessage(name, 0, b"", error="unparseable: a NUL byte: this is not a commit message (git refuses it)")
        return
    settings = git_settings(item.repo)
    text = data.decode("utf-8", "surrogateescape")
    mode = item.cleanup or settings.cleanup
    comment = settings.comment if settings.comment is not None else auto_comment(text)
    lines = cleanup(text, effective_mode(mode), comment, keep_inner_comments=comment == "#")
    if not any(line.text.strip() and not line.text.startswith(comment) for line in lines):
        yield RawMessage(
            name, 0, b"", error="unparseable: the commit message is empty once git has cleaned it up: git aborts the commit"
        )
        return
    mail, line_map = as_mail(lines, settings)
    yield RawMessage(name, 0, mail, commit_message=True, line_map=line_map)


def effective_mode(mode: str) -> str:
    """``default`` made concrete as git does: ``strip`` when the message was edited, else
    ``whitespace`` (git runs the hook with ``GIT_EDITOR=:`` when no editor was used)."""
    if mode != "default":
        return mode
    return "whitespace" if os.environ.get("GIT_EDITOR") == ":" else "strip"


def git_settings(repo: Path) -> GitSettings:
    """The comment string, cleanup mode, author and recipients the repository's git
    configuration gives (git's defaults outside a repository or without git)."""
    try:
        listed = git(repo, "config", "-z", "--list")
        ident = git(repo, "var", "GIT_AUTHOR_IDENT")
    except (OSError, subprocess.TimeoutExpired):
        return GitSettings()
    values: dict[str, list[str]] = {}
    if listed.returncode == 0:
        for entry in listed.stdout.decode("utf-8", "replace").split("\0"):
            key, _, value = entry.partition("\n")
            values.setdefault(key.lower(), []).append(value)
    comment: str | None = "#"
    # core.commentString (git 2.45) and core.commentChar set the same thing; the last one wins.
    for key in ("core.commentchar", "core.commentstring"):
        if key in values:
            comment = values[key][-1]
    if comment == "auto":
        comment = None
    elif not comment:
        comment = "#"
    cleanup = values.get("commit.cleanup", ["default"])[-1].lower()
    author = None
    if ident.returncode == 0:
        # "Name <email> 1709287200 +0000": the identity without its time.
        author = ident.stdout.decode("utf-8", "replace").strip().rsplit(" ", 2)[0]
    to = tuple(values.get("sendemail.to", []) + values.get("format.to", []))
    return GitSettings(comment, cleanup if cleanup in CLEANUP_MODES else "default", author, to)


def auto_comment(text: str) -> str:
    """The comment character ``core.commentChar=auto`` chose: git picked one that starts no line
    of the message before it added its help, so it is the one that starts its scissors line or its
    help; a message without either has no comments."""
    lines = text.splitlines()
    for line in lines:
        if line.endswith(SCISSORS) and len(line) > len(SCISSORS) + 1:
            return line[: -len(SCISSORS) - 1]
    tail = [line for line in lines if line.strip()][-1:]
    if tail and tail[0][:1] in _AUTO_CANDIDATES:
        return tail[0][:1]
    return "#"


def cleanup(text: str, mode: str, comment: str, keep_inner_comments: bool = False) -> list[Line]:
    """The message as ``git commit --cleanup=MODE`` commits it, line by line with file line
    numbers (``mode`` is concrete: not ``default``).

    With ``keep_inner_comments`` a comment line between two lines of text stays (git drops it in
    ``strip`` mode; it is kept so that a rule can say so); the comments before the first and
    after the last line of text (git's own help) go either way.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if mode in ("strip", "scissors"):
        cut = f"{comment} {SCISSORS}"
        for index, line in enumerate(lines):
            if line == cut:
                lines = lines[:index]
                break
    if mode == "verbatim":
        return [Line(number, line) for number, line in enumerate(lines, start=1)]
    strip_comments = mode == "strip"
    is_comment = [strip_comments and line.startswith(comment) for line in lines]
    text_lines = [i for i, line in enumerate(lines) if not is_comment[i] and line.strip()]
    first, last = (text_lines[0], text_lines[-1]) if text_lines else (0, -1)
    kept: list[Line] = []
    blanks = 0
    for index, line in enumerate(lines):
        if is_comment[index] and not (keep_inner_comments and first < index < last):
            continue  # a dropped comment is no blank line either (git's strbuf_stripspace)
        line = line.rstrip(" \t\r\v\f")
        if not line:
            blanks += 1
            continue
        if blanks and kept:
            kept.append(Line(index, ""))  # the run of blank lines before this one, as one
        blanks = 0
        kept.append(Line(index + 1, line))
    return kept


def committed_text(lines: Sequence[Line]) -> str:
    """The message text git records for ``lines`` (what ``git log --format=%B`` prints)."""
    return "".join(f"{line.text}\n" for line in lines)


def as_mail(lines: Sequence[Line], settings: GitSettings) -> tuple[bytes, tuple[int, ...]]:
    """The mail ``git format-patch`` writes for a commit with this message (without a diff), and
    for each of its lines the file line it stands for."""
    end = next((i for i, line in enumerate(lines) if not line.text), len(lines))
    title = lines[:end]
    # format-patch joins the first paragraph into one subject line, as git log's %s does.
    subject = " ".join(line.text.strip() for line in title)
    first = title[0].number if title else 1
    head = []
    if settings.author:
        head.append(f"From: {settings.author}")
    head.append(f"Date: {formatdate(localtime=False)}")
    head.append(f"Subject: [PATCH] {subject}")
    if settings.to:
        head.append(f"To: {', '.join(settings.to)}")
    body = lines[end + 1:]
    if not all(line.text.isascii() for line in lines):
        head += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit"]
    last = lines[-1].number if lines else 1
    mail = [*head, "", *(line.text for line in body), "---", ""]
    line_map = (*(first for _ in head), first, *(line.number for line in body), last, last)
    return "\n".join(mail).encode("utf-8", "surrogateescape"), line_map
