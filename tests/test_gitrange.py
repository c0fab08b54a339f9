"""A git revision range as input: read through real git format-patch, named as its files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from patchlint.engine import Engine, Input
from patchlint.readers.gitrange import GitRange, is_revision_range, read_range

from git_helpers import GIT_ENV, SIGNED, commit, git, make_repo

LONG = "net: a summary long enough that format-patch has to cut it short in the name"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    commit(repo, "a.c", "net: add a (thing)/x" + SIGNED)
    commit(repo, "b.c", LONG + SIGNED)
    commit(repo, "c.c", "net: fix the third thing" + SIGNED)
    return repo


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


def written(repo: Path, *args: str) -> dict[str, bytes]:
    """What `git format-patch -o` writes: file name -> message (its From line dropped)."""
    out = repo.parent / "out"
    names = git(repo, "format-patch", "-o", str(out), *args).split()
    files = {}
    for name in names:
        data = Path(name).read_bytes()
        files[Path(name).name] = data.split(b"\n", 1)[1]
    return files


@pytest.mark.parametrize("args", [(), ("--cover-letter",), ("--reroll-count=2", "--cover-letter")])
def test_postings_are_format_patch_files(repo: Path, args: tuple[str, ...]) -> None:
    cover = "--cover-letter" in args
    reroll = "2" if "--reroll-count=2" in args else None
    read = list(read_range(GitRange("HEAD~3..", repo, cover, reroll), "HEAD~3.."))
    files = written(repo, *args, "HEAD~3..")
    assert [raw.source for raw in read] == list(files)
    for raw in read:
        assert raw.error is None
        # The file ends with the blank line that separates messages in --stdout.
        assert files[raw.source].rstrip(b"\n") == raw.data.rstrip(b"\n")


def test_detects_ranges_not_words(repo: Path) -> None:
    assert is_revision_range("HEAD~3..", repo)
    assert is_revision_range("main~1..main", repo)
    assert not is_revision_range("no-such-thing", repo)
    assert not is_revision_range("--help", repo)


def test_ids_stable_across_runs_and_series_judged(repo: Path) -> None:
    def outcomes() -> list[tuple]:
        run = Engine("default").run([Input.of_range(GitRange("HEAD~3..", repo, True))])
        return [(o.target.scope, o.target.source, o.target.subject, o.status, [v.message for v in o.violations])
                for o in run]

    first = outcomes()
    assert first == outcomes()
    sources = [source for _scope, source, *_ in first]
    assert sources[:4] == list(written(repo, "--cover-letter", "HEAD~3.."))
    assert str(first[-1][0]) == "series"  # one series of the cover letter and its three patches


def test_b4_prep_branch(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD").strip()
    tracking = {"series": {"revision": 2, "change-id": "20240301-thing-0123456789ab", "prefixes": []}}
    message = ("net: make the thing work\n\nThis series makes the thing work.\n\n"
               f"--- b4-submit-tracking ---\n# This section is used internally by b4 prep for tracking purposes.\n"
               f"{json.dumps(tracking, indent=2)}\n")
    git(repo, "commit", "-q", "--allow-empty", "-F", "-", stdin=message.encode())
    commit(repo, "d.c", "net: fourth" + SIGNED)
    commit(repo, "e.c", "net: fifth" + SIGNED)
    read = list(read_range(GitRange("HEAD~3..", repo), "HEAD~3.."))
    assert [raw.source for raw in read] == ["v2-0000-cover-letter.patch", "v2-0001-net-fourth.patch",
                                            "v2-0002-net-fifth.patch"]
    letter = read[0].data.decode()
    assert "Subject: [PATCH v2 0/2] net: make the thing work" in letter
    assert "This series makes the thing work." in letter
    assert f"base-commit: {base}\nchange-id: 20240301-thing-0123456789ab\n" in letter
    assert "b4-submit-tracking" not in letter
    assert "[PATCH v2 1/2] net: fourth" in read[1].data.decode()


def test_nothing_of_the_repository_runs(repo: Path, tmp_path: Path) -> None:
    """A textconv driver, an external diff and hooks of the checked repository never run."""
    ran = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {ran}\ncat \"$1\"\n")
    script.chmod(0o755)
    (repo / ".gitattributes").write_text("*.c diff=evil\n")
    git(repo, "config", "diff.evil.textconv", str(script))
    git(repo, "config", "diff.external", str(script))
    git(repo, "config", "core.hooksPath", str(tmp_path))
    git(repo, "config", "core.pager", str(script))
    commit(repo, "f.c", "net: one more" + SIGNED)
    read = list(read_range(GitRange("HEAD~1..", repo), "HEAD~1.."))
    assert read and read[0].error is None and b"+f.c" in read[0].data
    assert not ran.exists()


@pytest.mark.parametrize("spec, why", [("HEAD..HEAD", "no commits in HEAD..HEAD"), ("nope..HEAD", "git rev-list")])
def test_bad_range_is_reported(repo: Path, spec: str, why: str) -> None:
    read = list(read_range(GitRange(spec, repo), spec))
    assert len(read) == 1 and read[0].error is not None and why in read[0].error


def test_command_line(repo: Path, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "patchlint", "check", "HEAD~3..", "--cover-letter", "-q"],
                          cwd=repo, capture_output=True, env=env, timeout=120)
    text = done.stdout.decode() + done.stderr.decode()
    assert "4 messages read (3 patch, 1 cover)" in text
    # Findings name the file format-patch would write.
    assert f"{next(name for name in written(repo, 'HEAD~3..') if name.startswith('0002'))}:3: PL103" in text
    explicit = subprocess.run([sys.executable, "-m", "patchlint", "check", "--git-range", "HEAD~1..", "--summary-only"],
                              cwd=repo, capture_output=True, env=env, timeout=120)
    assert explicit.returncode == 0, explicit.stdout.decode() + explicit.stderr.decode()
    assert explicit.stdout.decode().startswith("1 message read (1 patch)")


def test_unedited_cover_letter_template_is_reported(repo: Path, tmp_path: Path) -> None:
    """What git format-patch --cover-letter writes, sent unedited (PL118)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "patchlint", "check", "HEAD~2..", "--cover-letter", "-k", "PL118"],
                          cwd=repo, capture_output=True, env=env, timeout=120)
    text = done.stdout.decode()
    assert done.returncode == 1, text
    letter = written(repo, "--cover-letter", "HEAD~2..")["0000-cover-letter.patch"].decode().splitlines()
    subject = next(i for i, line in enumerate(letter, 1) if line.startswith("Subject: "))
    blurb = letter.index("*** BLURB HERE ***") + 1
    assert f"0000-cover-letter.patch:{subject}: PL118 cover-letter-template: the subject is format-patch's template" in text
    assert f"0000-cover-letter.patch:{blurb}: PL118 cover-letter-template: the cover letter still holds" in text


def test_one_file_of_a_series_is_not_missing_its_cover_letter(repo: Path) -> None:
    """Part of a series says nothing about a cover letter; the whole series without one does."""
    out = repo.parent / "out"
    names = git(repo, "format-patch", "-o", str(out), "HEAD~3..").split()
    engine = Engine("qemu")  # a profile that asks for cover letters
    one = [v.code for v in engine.check([names[0]]).violations]
    assert "PL112" not in one and "PL111" in one
    whole = [v.code for v in engine.check([str(out)]).violations]
    assert whole.count("PL112") == 1 and "PL111" not in whole
