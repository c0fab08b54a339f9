"""What the rules say git does, checked with git itself on the rules' example mails.

Every message that tells a contributor what git am, git mailinfo, git apply, git commit or git
format-patch will do with their mail is a claim this file runs the real tool on (in a
temporary directory): the example mail is handed to git mailinfo / git apply / git am, and the
test asserts what git did (and that the rule's message says it).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from git_helpers import GIT_ENV, am, apply_check, git, mailinfo, make_repo
from model_helpers import read_postings
from paths import RULE_EXAMPLES
from patchlint.engine import Engine
from patchlint.model.posting import Posting

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def messages(path: Path, code: str) -> list[str]:
    """The messages the default rules print for ``code`` on the example at ``path``."""
    return [v.message for v in Engine().check([path]).violations if v.code == code]


def example(rule: str, name: str, line: int = 0) -> Posting:
    """The message of an example file that holds file line ``line`` (the first one with 0)."""
    postings = read_postings(RULE_EXAMPLES / rule / name)
    return ([p for p in postings if p.raw.line <= line] or postings[:1])[-1]


# -- summary-whitespace (PL105) ----------------------------------------------------------------

def test_git_am_commits_the_subject_trimmed_with_whitespace_collapsed() -> None:
    path = RULE_EXAMPLES / "summary-whitespace" / "bad-whitespace.mbox"
    said = messages(path, "PL105")
    postings = read_postings(path)
    assert len(said) == len(postings) == 3
    for found, message in zip(postings, said):
        info, _, _ = mailinfo(found.raw.data)
        subject = next(line[9:] for line in info.splitlines() if line.startswith("Subject: "))
        assert "  " not in subject and "\t" not in subject and subject == subject.strip()
        assert f"so the commit's subject is {subject!r}" in message


def test_git_am_does_not_commit_a_cover_letter(tmp_path: Path) -> None:
    path = RULE_EXAMPLES / "summary-whitespace" / "bad-cover-whitespace.patch"
    (message,) = messages(path, "PL105")
    assert "git am does not commit a cover letter" in message
    repo = make_repo(tmp_path / "repo")
    head = git(repo, "rev-parse", "HEAD")
    done = am(repo, path.read_bytes())
    assert done.returncode != 0 and b"Patch is empty" in done.stdout + done.stderr
    assert git(repo, "rev-parse", "HEAD") == head


def test_b4_collapses_the_whitespace_of_the_cover_subject_it_titles_a_merge_with() -> None:
    b4 = pytest.importorskip("b4")
    found = example("summary-whitespace", "bad-cover-whitespace.patch")
    assert "  " in found.raw_subject
    # b4 shazam --merge writes 'Merge patch series "${seriestitle}"' from the cover's subject.
    assert b4.LoreSubject(found.raw_subject).subject == "netfilter: nft_counter: dump-and-reset fixes"


# -- missing-charset (PL507) -------------------------------------------------------------------

def test_git_mailinfo_passes_undeclared_8bit_text_through(tmp_path: Path) -> None:
    """git am does not guess a charset: what the mail holds is what git commits."""
    for name in ("bad-no-content-type.patch", "bad-latin1-no-content-type.patch"):
        data = (RULE_EXAMPLES / "missing-charset" / name).read_bytes()
        _, msg, _ = mailinfo(data)
        body = data.split(b"\n\n", 1)[1]
        assert msg.strip() and msg.strip() in body  # byte for byte: nothing re-coded
    (utf8,) = messages(RULE_EXAMPLES / "missing-charset" / "bad-no-content-type.patch", "PL507")
    assert "git am passes them through unchanged" in utf8 and "committed as written" in utf8


def test_git_commit_reads_an_undeclared_latin1_message_as_latin1(tmp_path: Path) -> None:
    path = RULE_EXAMPLES / "missing-charset" / "bad-latin1-no-content-type.patch"
    (message,) = messages(path, "PL507")
    assert "commit message did not conform to UTF-8" in message and "as Latin-1" in message
    _, msg, _ = mailinfo(path.read_bytes())
    assert not _is_utf8(msg)
    repo = make_repo(tmp_path / "repo")
    # What git am does with the message mailinfo wrote: commit it (commit_tree() checks it).
    done = subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-F", "-"], input=msg,
        capture_output=True, env={**__import__("os").environ, **GIT_ENV}, check=True,
    )
    assert b"commit message did not conform to UTF-8" in done.stderr
    committed = subprocess.run(
        ["git", "-C", str(repo), "log", "-1", "--format=%B"], capture_output=True, check=True,
    ).stdout
    assert committed.strip() == msg.decode("latin-1").encode("utf-8").strip()


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# -- corrupt-hunk (PL404) ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["bad-gmail-wrapped.eml", "bad-outlook-lost-spaces.eml"])
def test_git_am_rejects_a_wrapped_or_unspaced_hunk_as_corrupt(tmp_path: Path, name: str) -> None:
    path = RULE_EXAMPLES / "corrupt-hunk" / name
    said = messages(path, "PL404")
    assert said and all("git am rejects the patch as corrupt" in m for m in said)
    _, _, patch = mailinfo(path.read_bytes())
    done = apply_check(tmp_path, patch)
    assert done.returncode != 0 and b"corrupt patch at line" in done.stderr


def test_git_applies_the_good_corrupt_hunk_example(tmp_path: Path) -> None:
    _, _, patch = mailinfo((RULE_EXAMPLES / "corrupt-hunk" / "good-no-newline-binary-rename.patch").read_bytes())
    done = apply_check(tmp_path, patch)
    assert done.returncode == 0, done.stderr


# -- empty-patch (PL406) -----------------------------------------------------------------------

def test_git_am_stops_at_a_patch_without_a_diff(tmp_path: Path) -> None:
    path = RULE_EXAMPLES / "empty-patch" / "bad-empty-commit.patch"
    (message,) = messages(path, "PL406")
    assert "'Patch is empty'" in message
    done = am(make_repo(tmp_path / "repo"), path.read_bytes())
    assert done.returncode != 0 and b"Patch is empty" in done.stdout + done.stderr


# -- format-flowed (PL501): see tests/test_flowed.py -------------------------------------------

# -- non-git-diff (PL405) ----------------------------------------------------------------------

def test_git_cannot_apply_a_context_diff(tmp_path: Path) -> None:
    path = RULE_EXAMPLES / "non-git-diff" / "bad-context-diff.patch"
    (message,) = messages(path, "PL405")
    assert "git am cannot apply it" in message
    _, _, patch = mailinfo(path.read_bytes())
    done = apply_check(tmp_path, patch)
    assert done.returncode != 0 and b"No valid patches in input" in done.stderr


def test_git_am_looks_for_a_file_without_a_leading_directory_at_the_top(tmp_path: Path) -> None:
    path = RULE_EXAMPLES / "non-git-diff" / "bad-no-leading-directory.patch"
    (message,) = messages(path, "PL405")
    assert "looks for 'nft_counter.c'" in message
    _, _, patch = mailinfo(path.read_bytes())
    done = apply_check(tmp_path, patch)
    assert done.stdout.decode().split()[2:] == ["nft_counter.c"]
    # In a tree where the file lives in net/netfilter, git am does not find it.
    repo = make_repo(tmp_path / "repo")
    (repo / "net" / "netfilter").mkdir(parents=True)
    (repo / "net" / "netfilter" / "nft_counter.c").write_text("x\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "add the file")
    done = am(repo, path.read_bytes())
    assert done.returncode != 0 and b"nft_counter.c: does not exist in index" in done.stderr


def test_git_applies_a_quilt_diff_with_p1(tmp_path: Path) -> None:
    _, _, patch = mailinfo((RULE_EXAMPLES / "non-git-diff" / "good-quilt.patch").read_bytes())
    done = apply_check(tmp_path, patch)
    assert done.returncode == 0 and done.stdout.decode().split()[2:] == ["net/netfilter/nft_counter.c"]


# -- charset-mismatch (PL506) ------------------------------------------------------------------

@pytest.mark.parametrize(("name", "charset"), [("bad-send-email-answered-y.patch", "y"), ("bad-us-ascii.eml", "us-ascii")])
def test_git_am_stops_at_a_charset_it_cannot_convert_from(tmp_path: Path, name: str, charset: str) -> None:
    path = RULE_EXAMPLES / "charset-mismatch" / name
    (message,) = messages(path, "PL506")
    assert f"cannot convert from {charset} to UTF-8" in message
    done = am(make_repo(tmp_path / "repo"), path.read_bytes())
    assert done.returncode != 0
    assert f"cannot convert from {charset} to UTF-8".encode() in done.stderr


# -- crlf-line-endings (PL505) -----------------------------------------------------------------

def test_git_mailinfo_keeps_the_crs_of_an_encoded_body_and_warns(tmp_path: Path) -> None:
    path = RULE_EXAMPLES / "crlf-line-endings" / "bad-outlook-base64-crlf.eml"
    (message,) = messages(path, "PL505")
    assert "git am keeps the CRs ('quoted CRLF detected')" in message
    done = subprocess.run(
        ["git", "mailinfo", str(tmp_path / "msg"), str(tmp_path / "patch")],
        input=path.read_bytes(), capture_output=True, check=True,
    )
    assert b"quoted CRLF detected" in done.stderr
    assert b"\r\n" in (tmp_path / "patch").read_bytes()


def test_git_am_strips_the_crs_of_a_plain_body(tmp_path: Path) -> None:
    path = RULE_EXAMPLES / "crlf-line-endings" / "bad-crlf.patch"
    (message,) = messages(path, "PL505")
    assert "git am strips the CRs" in message
    # git am splits the mailbox with git mailsplit, which drops the CR of each CR LF.
    out = tmp_path / "split"
    out.mkdir()
    subprocess.run(["git", "mailsplit", f"-o{out}", str(path)], capture_output=True, check=True)
    (one,) = out.iterdir()
    _, msg, patch = mailinfo(one.read_bytes())
    assert b"\r" not in msg + patch and patch


# -- misplaced-trailer (PL308), signed-off-by below '---' -------------------------------------

def test_git_am_drops_a_trailer_below_the_separator() -> None:
    path = RULE_EXAMPLES / "misplaced-trailer" / "bad-placement.mbox"
    said = [m for m in messages(path, "PL308") if "below '---', where git am drops it" in m]
    assert said
    found = example("misplaced-trailer", "bad-placement.mbox", 124)
    line = found.raw.data.decode().split("\n")[124 - found.raw.line]
    _, msg, _ = mailinfo(found.raw.data)
    assert line.strip() and line.strip().encode() not in msg


# -- cover-letter-template (PL118) and signature-separator (PL510): what format-patch writes -----

def _format_patch(tmp_path: Path, *options: str) -> list[str]:
    repo = make_repo(tmp_path / "repo")
    for number in (1, 2):
        (repo / f"file{number}").write_text(f"line {number}\n")
        git(repo, "add", f"file{number}")
        git(repo, "commit", "-q", "-m", f"area: change {number}\n\nWhy.\n\nSigned-off-by: Ada Tester <ada@example.org>")
    out = tmp_path / "out"
    git(repo, "format-patch", "-q", "-o", str(out), *options, "HEAD~2")
    return [p.read_text() for p in sorted(out.iterdir())]


def test_format_patch_writes_the_cover_letter_template_placeholders(tmp_path: Path) -> None:
    path = RULE_EXAMPLES / "cover-letter-template" / "bad-unedited-template.patch"
    said = messages(path, "PL118")
    assert any("format-patch's template (*** SUBJECT HERE ***)" in m for m in said)
    assert any("format-patch's *** BLURB HERE ***" in m for m in said)
    cover = _format_patch(tmp_path, "--cover-letter")[0]
    assert "Subject: [PATCH 0/2] *** SUBJECT HERE ***" in cover and "*** BLURB HERE ***" in cover


def test_format_patch_writes_a_signature_separator_with_its_space(tmp_path: Path) -> None:
    (message,) = messages(RULE_EXAMPLES / "signature-separator" / "bad-bare-separator.patch", "PL510")
    assert "git format-patch writes '-- '" in message
    for mail in _format_patch(tmp_path):
        assert "\n-- \n" in mail


def test_format_patch_indents_and_pads_its_diffstat(tmp_path: Path) -> None:
    """malformed-diffstat's claims: one space before each row, the '|' in one column, the
    summary worded as git_summary() words it."""
    from patchlint.checks.diffstat import git_summary

    repo = make_repo(tmp_path / "repo")
    (repo / "a").write_text("1\n")
    (repo / "deeper").mkdir()
    (repo / "deeper" / "longer-name.c").write_text("1\n2\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "area: two files")
    mail = git(repo, "format-patch", "--stdout", "-1")
    rows = [line for line in mail.splitlines() if "|" in line]
    assert [row.index("|") for row in rows] == [len(" deeper/longer-name.c ")] * 2
    assert rows[1] == " deeper/longer-name.c | 2 ++" and rows[0].startswith(" a ")
    assert f" {git_summary(2, 3, 0)}" in mail.splitlines()
