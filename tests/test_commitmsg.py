"""A bare commit message (patchlint check --commit-msg, a commit-msg hook): cleaned up as real
git cleans it up, judged by the rules that judge a commit message, reported at its file lines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from patchlint.engine import Engine, Input
from patchlint.readers.commitmsg import CommitMessage, cleanup, committed_text, effective_mode, read_commit_message

from git_helpers import GIT_ENV, SIGNED, git, make_repo

# What a contributor writes in the editor: trailing spaces, runs of blank lines, a '#include'
# between two paragraphs (git drops it), trailers.
WRITTEN = (
    "i2c: demo: read the bus frequency   \n\n\n"
    "The controller runs at 100 kHz whatever the firmware says; read\n"
    "clock-frequency from the device properties instead.  \n"
    "#include <linux/property.h> is what it needs\n\n\n"
    "Signed-off-by: Ada Tester <ada@example.org>\n\n"
)
SEMICOLON = WRITTEN.replace("#include", ";include")


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GIT_EDITOR", raising=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def hooked_commit(repo: Path, written: str, *args: str, editor: bool = True) -> tuple[str, str, str]:
    """Commit with real git as a user would: an editor writes ``written`` above git's help (or
    ``-F`` gives it, without an editor); a commit-msg hook keeps the file git hands it and the
    GIT_EDITOR git runs it with. Returns (hook's file, hook's GIT_EDITOR, the committed message)."""
    kept, env_file, text = repo.parent / "hook-file", repo.parent / "hook-editor", repo.parent / "written"
    text.write_text(written)
    hooks = repo.parent / "hooks"
    hooks.mkdir(exist_ok=True)
    hook = hooks / "commit-msg"
    hook.write_text(f'#!/bin/sh\ncp "$1" {kept}\nprintf %s "$GIT_EDITOR" > {env_file}\n')
    hook.chmod(0o755)
    editor_script = repo.parent / "editor.sh"
    editor_script.write_text(f'#!/bin/sh\ncat {text} "$1" > "$1.new" && mv "$1.new" "$1"\n')
    editor_script.chmod(0o755)
    (repo / "file.c").write_text(f"{len(list(repo.iterdir()))}\n{written}")
    git(repo, "add", "file.c")
    options = ["-c", f"core.hooksPath={hooks}", "-c", f"core.editor={editor_script}"]
    if editor:
        git(repo, *options, "commit", "-q", *args)
    else:
        git(repo, *options, "commit", "-q", "-F", str(text), *args)
    # The message exactly as recorded (git log's %B adds a line of its own).
    recorded = git(repo, "cat-file", "commit", "HEAD").split("\n\n", 1)[1]
    return kept.read_text(), env_file.read_text(), recorded


@pytest.mark.parametrize(
    "config, args, editor",
    [
        ((), (), True),  # git's default for an edited message: strip
        ((), ("-v",), True),  # the diff below the scissors line
        (("commit.cleanup=scissors",), ("-v",), True),
        (("commit.cleanup=whitespace",), (), True),
        (("commit.cleanup=verbatim",), (), True),
        (("core.commentChar=;",), ("-v",), True),
        ((), (), False),  # -F: not edited, whitespace
        (("commit.cleanup=strip",), (), False),
    ],
    ids=["strip", "strip-verbose", "scissors", "whitespace", "verbatim", "comment-char", "file", "file-strip"],
)
def test_cleanup_is_gits(repo: Path, config: tuple[str, ...], args: tuple[str, ...], editor: bool) -> None:
    for setting in config:
        git(repo, "config", *setting.split("=", 1))
    written = SEMICOLON if "core.commentChar=;" in config else WRITTEN
    hook_file, hook_editor, committed = hooked_commit(repo, written, *args, editor=editor)
    mode = next((s.split("=")[1] for s in config if s.startswith("commit.cleanup")), "default")
    comment = ";" if "core.commentChar=;" in config else "#"
    os.environ["GIT_EDITOR"] = hook_editor  # as git ran the hook
    try:
        assert committed_text(cleanup(hook_file, effective_mode(mode), comment)) == committed
        # The reader finds the same settings in the repository's configuration.
        raw = next(read_commit_message(CommitMessage(str(repo.parent / "hook-file"), repo), "msg"))
    finally:
        del os.environ["GIT_EDITOR"]
    assert raw.error is None and raw.commit_message


def test_inner_comment_lines_are_reported_where_written(repo: Path) -> None:
    """git drops the '#include' line of the edited message: PL317 says so, at its file line."""
    hook_file, _editor, committed = hooked_commit(repo, WRITTEN)
    assert "#include" not in committed
    path = repo.parent / "COMMIT_EDITMSG"
    path.write_text(hook_file)
    run = Engine("default").check([Input.of_commit_message(CommitMessage(str(path), repo))])
    found = {(v.code, v.line) for v in run.violations}
    assert found == {("PL317", 6)}, run.violations
    assert run.series == 0


def cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "patchlint", "check", *args], cwd=repo,
                          capture_output=True, timeout=120, env={**os.environ, "XDG_CACHE_HOME": str(repo.parent / "cache")})


def test_commit_msg_command_line(repo: Path) -> None:
    message = repo.parent / "msg"
    message.write_text(
        "i2c: demo: fix the frequency.\n\nReviewed-By: Bob Reviewer <bob@example.org>\n"
        "# Please enter the commit message for your changes. Lines starting\n"
        "# with '#' will be ignored, and an empty message aborts the commit.\n"
    )
    done = cli(repo, "--commit-msg", str(message))
    out = done.stdout.decode()
    assert done.returncode == 1, out + done.stderr.decode()
    assert f"{message}:1: PL104 summary-punctuation" in out
    assert f"{message}:3: PL306 malformed-trailer" in out
    assert f"{message}:3: PL301 signed-off-by" in out  # Ada Tester, git's author, did not sign off
    assert "PL315 missing-commit-description" in out
    assert "PL406" not in out and "PL101" not in out  # nothing about a mail that is not one
    assert "test session starts" not in out and "=====" not in out  # no pytest started
    good = repo.parent / "good"
    good.write_text("i2c: demo: read the bus frequency" + SIGNED)
    done = cli(repo, "--commit-msg", str(good))
    assert done.returncode == 0, done.stdout.decode()
    assert "no violations" in done.stdout.decode()


def test_empty_and_unreadable_messages_are_reported(repo: Path) -> None:
    empty = repo.parent / "empty"
    empty.write_text("\n# only git's help\n#\n")
    done = cli(repo, "--commit-msg", str(empty))
    assert done.returncode == 1
    assert "PL001 unparseable-message" in done.stdout.decode() and "git aborts the commit" in done.stdout.decode()
    done = cli(repo, "--commit-msg", str(repo.parent / "nothing"))
    assert done.returncode == 4 and "no such commit message file" in done.stderr.decode()


def test_as_a_commit_msg_hook(repo: Path) -> None:
    """The hook git runs: a bad message stops the commit (its file named as git names it), a
    good one is committed; git's message file given as a path is sniffed as one."""
    hook = repo / ".git" / "hooks" / "commit-msg"
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m patchlint check "$1"\n')
    hook.chmod(0o755)
    (repo / "x.c").write_text("x\n")
    git(repo, "add", "x.c")
    env = {**os.environ, **GIT_ENV, "XDG_CACHE_HOME": str(repo.parent / "cache"),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    bad = subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", "i2c: fix it."], capture_output=True,
                         env=env, timeout=120)
    assert bad.returncode != 0
    assert ".git/COMMIT_EDITMSG:1: PL104 summary-punctuation" in bad.stdout.decode() + bad.stderr.decode()
    good = subprocess.run(["git", "-C", str(repo), "commit", "-q", "-F", "-"], capture_output=True, env=env,
                          timeout=120, input=("i2c: demo: add x" + SIGNED).encode())
    assert good.returncode == 0, good.stdout.decode() + good.stderr.decode()
    assert git(repo, "log", "-1", "--format=%s") == "i2c: demo: add x\n"
