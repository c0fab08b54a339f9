"""What the rules say git does, checked with git itself on the rules' example mails.

Every message that tells a contributor what git am, git mailinfo, git apply, git commit or git
format-patch will do with their mail is a claim this file runs the real tool on (in a
temporary directory): the example mail is handed to git mailinfo / git apply / git am, and the
test asserts what git did (and that the rule's message says it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from git_helpers import GIT_ENV, SIGNED, am, am_repo, apply_check, commit, git, mailinfo, make_repo
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

@pytest.mark.parametrize("name", ["bad-gmail-wrapped.eml", "bad-outlook-lost-spaces.eml", "bad-outlook-no-break-spaces.eml"])
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


def test_git_am_passes_bytes_declared_utf8_through_and_git_commit_reads_them_as_latin1(tmp_path: Path) -> None:
    path = RULE_EXAMPLES / "charset-mismatch" / "bad-utf8-over-latin1.eml"
    (message,) = messages(path, "PL506")
    assert "git am passes the bytes through" in message and "reads them as Latin-1" in message
    _, msg, _ = mailinfo(path.read_bytes())
    assert "Jörg Weiß".encode("latin-1") in msg  # not converted
    repo = make_repo(tmp_path / "repo")
    done = subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-F", "-"], input=msg,
        capture_output=True, env={**__import__("os").environ, **GIT_ENV}, check=True,
    )
    assert b"commit message did not conform to UTF-8" in done.stderr
    assert "Jörg Weiß" in git(repo, "log", "-1", "--format=%B")


# -- corrupt-hunk (PL404): the model's other claims, on diffs written for them -----------------

def test_git_apply_drops_lines_after_a_complete_hunk(tmp_path: Path) -> None:
    """'git am ignores them, so the patch would apply without them' (corrupt-hunk's example:
    a new file's hunk counts 20 lines and 21 follow)."""
    path = RULE_EXAMPLES / "corrupt-hunk" / "bad-edited-by-hand.patch"
    assert any("git am ignores them" in m for m in messages(path, "PL404"))
    _, _, patch = mailinfo(path.read_bytes())
    text = patch.decode()
    start = text.index("diff --git a/tools/testing/selftests/net/netfilter/nft_counter_reset.sh")
    end = text.index("diff --git", start + 1)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "apply", stdin=text[start:end].encode())
    script = (repo / "tools/testing/selftests/net/netfilter/nft_counter_reset.sh").read_text()
    assert script.endswith("exit $ret\n") and "vim" not in script


HUNK_DIFFS = {
    # kind the model reports: (diff, what git apply says)
    "no-change": ("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n b\n", b"corrupt patch"),
    "no-newline-marker": (
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ x\n+c\n", b"corrupt patch"
    ),
    # Outlook's no-break space where a context line's space was: not context to git apply.
    "no-break-space": (
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n\u00a0a\n-b\n+c\n\u00a0d\n",
        b"corrupt patch",
    ),
    # A context line that lost its space after a long added line: the hunk adds up with it
    # counted as context, so it is no wrapped second half of that line.
    "lost-space": (
        "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n"
        "+	if (!(enabled & DW_IC_ENABLE_ENABLE) || !(stat & ~DW_IC_INTR_ACTIVITY))\n"
        "	return IRQ_NONE;\n",
        b"corrupt patch",
    ),
    "wrapped-header": (
        "diff --git a/some/long/path/f.c\nb/some/long/path/f.c\nindex 1111111..2222222 100644\n"
        "--- a/some/long/path/f.c\n+++ b/some/long/path/f.c\n@@ -1 +1 @@\n-a\n+b\n",
        b"lacks filename information",
    ),
}


@pytest.mark.parametrize("kind", list(HUNK_DIFFS))
def test_git_apply_rejects_what_the_hunk_model_says_it_rejects(tmp_path: Path, kind: str) -> None:
    from patchlint.model.hunks import diagnose

    diff, said = HUNK_DIFFS[kind]
    lines = diff.splitlines()
    problems = [p for p in diagnose(lines, 0, len(lines), lambda i: f"line {i + 1}") if p.kind == kind]
    assert problems
    assert any(
        w in problems[0].message
        for w in ("git apply rejects it", "git am cannot read the file names", "rejects the patch as corrupt")
    )
    done = apply_check(tmp_path, diff.encode())
    assert done.returncode != 0 and said in done.stderr


# -- what git send-email does (PL502's and PL116's advice) -------------------------------------

def _send_email(tmp_path: Path, patches: list[Path], *options: str) -> list[bytes]:
    """The mails git send-email hands to its sendmail program, in order (nothing is sent)."""
    spool = tmp_path / "spool"
    spool.mkdir(exist_ok=True)
    sendmail = tmp_path / "sendmail"
    sendmail.write_text(f'#!/bin/sh\nn=$(ls {spool} | wc -l)\ncat > {spool}/$n.eml\n')
    sendmail.chmod(0o755)
    done = subprocess.run(
        ["git", "send-email", "--confirm=never", "--quiet", f"--smtp-server={sendmail}",
         "--to=list@example.org", *options, *map(str, patches)],
        capture_output=True, env={**__import__("os").environ, **GIT_ENV}, cwd=tmp_path, timeout=60,
    )
    if done.returncode != 0:
        pytest.skip(f"git send-email does not run here: {done.stderr.decode()[-200:]}")
    return [p.read_bytes() for p in sorted(spool.iterdir(), key=lambda p: int(p.stem))]


def _patches(tmp_path: Path, lines: list[str], *options: str) -> list[Path]:
    repo = make_repo(tmp_path / "repo")
    for number, text in enumerate(lines, 1):
        (repo / f"file{number}").write_text(text + "\n")
        git(repo, "add", f"file{number}")
        git(repo, "commit", "-q", "-m", f"area: change {number}\n\nWhy.\n\nSigned-off-by: Ada Tester <ada@example.org>")
    out = tmp_path / "out"
    git(repo, "format-patch", "-q", "-o", str(out), *options, f"HEAD~{len(lines)}")
    return sorted(out.iterdir())


def test_send_email_picks_quoted_printable_only_for_lines_over_998_characters(tmp_path: Path) -> None:
    (message,) = messages(RULE_EXAMPLES / "encoded-patch-body" / "bad-quoted-printable.eml", "PL502")
    assert "picks quoted-printable only for lines over 998 characters" in message
    short, long = _send_email(tmp_path, _patches(tmp_path, ["x" * 990, "y" * 1000]))
    head = short.split(b"\n\n", 1)[0]
    assert b"quoted-printable" not in head and b"base64" not in head
    assert b"Content-Transfer-Encoding: quoted-printable" in long.split(b"\n\n", 1)[0]


def test_send_email_thread_no_chain_reply_to_makes_every_patch_answer_the_cover(tmp_path: Path) -> None:
    said = messages(RULE_EXAMPLES / "series-threading" / "bad-chain.mbox", "PL116")
    assert any("--thread --no-chain-reply-to so all answer the cover letter" in m for m in said)
    mails = _send_email(
        tmp_path, _patches(tmp_path, ["a", "b", "c"], "--cover-letter"), "--thread", "--no-chain-reply-to",
        "--force",  # the cover letter keeps format-patch's template: sent to the spool only
    )
    from model_helpers import posting

    cover, *patches = [posting(m) for m in mails]
    assert len(patches) == 3 and all(p.in_reply_to == cover.message_id for p in patches)


# -- sign-off-mismatch (PL302): a From: the sender's mail server replaced -----------------------

def test_git_am_takes_the_replaced_from_and_send_email_from_the_account_writes_the_author_in_body(tmp_path: Path) -> None:
    """Gmail's server puts the account's address in From: (keeping the one written as
    X-Google-Original-From:): git am makes that the author. With --from the account's address,
    git send-email writes the author as an in-body From: line, which git am takes instead."""
    path = RULE_EXAMPLES / "sign-off-mismatch" / "bad-gmail-replaced-from.eml"
    (message,) = messages(path, "PL302")
    assert "which Gmail's server replaced" in message
    assert "git send-email writes one when --from, sendemail.from, is the account's address" in message
    info, _, _ = mailinfo(path.read_bytes())
    assert "Email: ada.lovelace@gmail.example" in info
    repo = make_repo(tmp_path / "repo")
    (repo / "file").write_text("change\n")
    git(repo, "add", "file")
    git(repo, "commit", "-q", "--author=Ada Lovelace <ada@corp.example>", "-m",
        "area: change\n\nWhy.\n\nSigned-off-by: Ada Lovelace <ada@corp.example>")
    git(repo, "format-patch", "-q", "-o", str(tmp_path / "out"), "-1")
    (sent,) = _send_email(tmp_path, sorted((tmp_path / "out").iterdir()), "--from=Ada Lovelace <ada.lovelace@gmail.example>")
    head, body = sent.split(b"\n\n", 1)
    assert b"From: Ada Lovelace <ada.lovelace@gmail.example>" in head.split(b"\n")
    info, _, _ = mailinfo(sent)
    assert "Email: ada@corp.example" in info, (body[:200], info)


# -- what git format-patch writes (PL110's and PL509's advice) ---------------------------------

def test_format_patch_numbers_a_cover_letter_zero_padded_to_the_total(tmp_path: Path) -> None:
    said = messages(RULE_EXAMPLES / "series-numbering" / "bad-misnumbered-cover.mbox", "PL110")
    assert any("git format-patch --cover-letter numbers it 0/3" in m for m in said)
    names = [p.read_text().split("\nSubject: ", 1)[1].split("]", 1)[0] for p in _patches(tmp_path, [str(n) for n in range(10)], "--cover-letter")]
    assert names[0] == "[PATCH 00/10" and names[1] == "[PATCH 01/10"


def test_format_patch_never_colours_its_output(tmp_path: Path) -> None:
    said = messages(RULE_EXAMPLES / "control-character" / "bad-trojan-source.patch", "PL509")
    assert said
    repo = make_repo(tmp_path / "repo")
    (repo / "README").write_text("changed\n")
    git(repo, "commit", "-q", "-am", "area: change")
    mail = git(repo, "-c", "color.ui=always", "-c", "color.diff=always", "format-patch", "--stdout", "-1")
    assert "\x1b" not in mail


# -- dropped-commit-lines (PL317) and signed-off-by (PL301) ------------------------------------

def test_git_am_ends_the_commit_message_where_it_sees_a_diff() -> None:
    path = RULE_EXAMPLES / "dropped-commit-lines" / "bad-dropped.mbox"
    (message,) = [m for m in messages(path, "PL317") if "git am ends the commit message" in m]
    found = example("dropped-commit-lines", "bad-dropped.mbox", 48)
    lines = found.raw.data.decode().split("\n")
    cut = lines[48 - found.raw.line]
    _, msg, patch = mailinfo(found.raw.data)
    assert cut.encode() not in msg and patch.startswith(cut.encode())
    assert b"Signed-off-by" not in msg  # the sign-offs after it are lost with it


def test_a_quoted_tool_diff_is_one_defect_git_takes_for_the_patch(tmp_path: Path) -> None:
    """Test output quoted as a diff (``--- /tmp/…``) above the sign-off: git am ends the message
    there (so the sign-off is lost) and takes the quoted diff into the patch, where it cannot
    place ``tmp/…`` and fails. Indenting the quote mends all of it, so dropped-commit-lines says
    so and neither signed-off-by nor non-git-diff reports a consequence of it again."""
    path = RULE_EXAMPLES / "dropped-commit-lines" / "bad-quoted-test-output.patch"
    found = Engine().check([path]).violations
    assert [v.code for v in found] == ["PL317"] and "indent the quoted diff" in found[0].message
    mail = path.read_bytes()
    _, msg, patch = mailinfo(mail)
    assert b"Signed-off-by" not in msg and patch.startswith(b"--- /tmp/tmp.Qx81sZ/expected")
    # Indented, the quote is text: it stays in the message with the sign-off, and the patch applies.
    indented = mail.replace(b"\n--- /tmp/", b"\n  --- /tmp/").replace(b"\n+++ /tmp/", b"\n  +++ /tmp/")
    repo = am_repo(tmp_path / "repo", indented)
    done = am(repo, mail)
    assert done.returncode != 0 and b"tmp/tmp.Qx81sZ/actual: does not exist in index" in done.stderr
    assert am(repo, b"", "--abort").returncode == 0
    assert am(repo, indented).returncode == 0
    assert "Signed-off-by: Ada Lovelace" in git(repo, "log", "-1", "--format=%B")


def test_git_commit_s_adds_a_sign_off_in_the_form_the_rule_asks_for(tmp_path: Path) -> None:
    said = messages(RULE_EXAMPLES / "signed-off-by" / "bad-signoffs.mbox", "PL301")
    assert any("(git commit -s)" in m and "'Signed-off-by: Your Name <you@example.org>'" in m for m in said)
    repo = make_repo(tmp_path / "repo")
    git(repo, "commit", "-q", "-s", "--allow-empty", "-m", "area: change")
    assert git(repo, "log", "-1", "--format=%B").strip().endswith("Signed-off-by: Ada Tester <ada@example.org>")


# -- pull-request-format (PL117) and cover-shortlog-mismatch (PL113): what git writes ----------

def test_git_request_pull_writes_every_part_pull_request_format_asks_for(tmp_path: Path) -> None:
    said = messages(RULE_EXAMPLES / "pull-request-format" / "bad-hand-written.eml", "PL117")
    assert said and all(m.endswith("generate it with git request-pull") for m in said)
    repo = make_repo(tmp_path / "repo")
    git(repo, "tag", "v1")
    (repo / "f").write_text("x\n")
    git(repo, "add", "f")
    git(repo, "commit", "-q", "-m", "area: add f")
    text = git(repo, "request-pull", "v1", str(repo), "main")
    # request-pull prints the URL it is given; a real one is public (https://, git://).
    text = text.replace(f"  {repo} main", "  https://git.example.org/demo.git main")
    mail = tmp_path / "pull.eml"
    mail.write_text(
        "From: Ada Tester <ada@example.org>\nTo: list@example.org\nDate: Mon, 4 Mar 2024 09:12:00 +0100\n"
        "Subject: [GIT PULL] area: one change\nMessage-Id: <pull.1@example.org>\n\n"
        f"Please pull.\n\n{text}"
    )
    assert messages(mail, "PL117") == []


def test_format_patch_cover_letter_writes_the_shortlog_the_rules_read(tmp_path: Path) -> None:
    cover = _format_patch(tmp_path, "--cover-letter")[0]
    assert "Ada Tester (2):\n  area: change 1\n  area: change 2\n" in cover


def test_git_am_drops_a_sign_off_below_the_separator(tmp_path: Path) -> None:
    from model_helpers import patch_mail

    text = patch_mail(
        "[PATCH] KVM: x86: fix it", message_id="below@example.org",
        message="Fix it.\n\n", notes="Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>\n",
    )
    path = tmp_path / "below.patch"
    path.write_text(text)
    (message,) = messages(path, "PL301")
    assert "below '---', where git am drops it" in message
    _, msg, _ = mailinfo(text.encode())
    assert b"Signed-off-by" not in msg


# -- misplaced-trailer (PL308) and dropped-commit-lines (PL317): what git reads of a message ------

def test_git_sees_no_trailer_an_empty_line_separates_from_the_block() -> None:
    path = RULE_EXAMPLES / "misplaced-trailer" / "bad-placement.mbox"
    assert any("so git does not see it as a trailer" in m for m in messages(path, "PL308"))
    found = example("misplaced-trailer", "bad-placement.mbox", 14)
    flagged = found.raw.data.decode().split("\n")[14 - found.raw.line].strip()
    assert flagged.startswith("Fixes: ")
    _, msg, _ = mailinfo(found.raw.data)
    parsed = subprocess.run(
        ["git", "interpret-trailers", "--parse"], input=msg, capture_output=True, check=True,
    ).stdout.decode()
    assert "Signed-off-by:" in parsed and "Fixes:" not in parsed


def test_git_drops_comment_lines_when_the_message_is_edited(tmp_path: Path) -> None:
    path = RULE_EXAMPLES / "dropped-commit-lines" / "bad-dropped.mbox"
    said = [m for m in messages(path, "PL317") if "git drops lines starting with '#'" in m]
    assert said and all("when the message is edited" in m for m in said)
    found = example("dropped-commit-lines", "bad-dropped.mbox", 11)
    comment = found.raw.data.decode().split("\n")[11 - found.raw.line]
    assert comment.startswith("# ")
    _, msg, _ = mailinfo(found.raw.data)
    assert comment.encode() in msg  # git am itself keeps it ...
    repo = make_repo(tmp_path / "repo")
    subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-e", "-F", "-"], input=msg,
        capture_output=True, check=True, env={**__import__("os").environ, **GIT_ENV, "GIT_EDITOR": "true"},
    )
    # ... and an edit of the message (git commit -e, --amend, rebase -i reword) drops it.
    assert comment not in git(repo, "log", "-1", "--format=%B")


# -- diffstat-mismatch (PL401): "for the diff's N+ M- git draws …" ------------------------------

def test_git_draws_scaled_bars_as_diffstat_mismatch_computes_them(tmp_path: Path) -> None:
    from patchlint.checks.diffstat import scaled_bar

    assert any("git draws" in m for m in messages(RULE_EXAMPLES / "diffstat-mismatch" / "bad-summary-lines-and-bars.patch", "PL401"))
    repo = make_repo(tmp_path / "repo")
    changes = {"big.c": (300, 0), "mixed.c": (37, 11), "small.c": (3, 1), "one.c": (1, 0)}
    for name, (_, removed) in changes.items():
        (repo / name).write_text("".join(f"old {n}\n" for n in range(removed)))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "area: the old files")
    for name, (added, _) in changes.items():
        (repo / name).write_text("".join(f"new {n}\n" for n in range(added)))
    git(repo, "commit", "-q", "-am", "area: the new files")
    mail = git(repo, "format-patch", "--stdout", "-1")
    bars = {}
    for line in mail.splitlines():
        if " | " in line:
            name, _, tail = line.strip().partition(" | ")
            bars[name.strip()] = tail.split()[1] if len(tail.split()) > 1 else ""
    width = len(bars["big.c"])
    assert width < 300  # git scaled them
    for name, (added, removed) in changes.items():
        plus, minus = scaled_bar(added, removed, width, 300)
        assert (bars[name].count("+"), bars[name].count("-")) == (plus, minus), name


def test_git_apply_counts_the_edited_hunk_the_diffstat_does_not(tmp_path: Path) -> None:
    """diffstat-mismatch's example: the patch's diffstat (and the cover letter's) say 7 changed
    lines in demo.c, git apply counts the 8 the edited hunk adds."""
    path = RULE_EXAMPLES / "diffstat-mismatch" / "bad-edited-after-format-patch.mbox"
    mail = path.read_bytes()
    patch_mail = mail[mail.index(b"\nFrom 85e6") + 1 :]
    _, _, patch = mailinfo(patch_mail)
    done = apply_check(tmp_path, patch)
    assert done.returncode == 0 and b"8\t0\tdemo.c" in done.stdout
    assert any("the diffstat says 7 changed lines, the diff changes 8" in m for m in messages(path, "PL401"))


def test_git_takes_an_indented_changelog_after_the_sign_off_for_the_trailer_block(tmp_path: Path) -> None:
    """'Changelog:' with indented entries, after the sign-off: git reads the key and takes the
    indented lines for its value, so the paragraph is a trailer block to git, without the
    sign-off; 'git sees no trailer block' would be untrue."""
    from model_helpers import patch_mail

    text = patch_mail(
        "[PATCH v3] hwmon: (pmbus/ltc4286) add a driver", message_id="changelog@example.org",
        message=(
            "Add a driver for the LTC4286 hot-swap controller.\n\n"
            "Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>\n\n"
            "Changelog:\n  v3 - Use dev_err_probe()\n  v2 - Add the vrange property\n"
        ),
    )
    path = tmp_path / "changelog.patch"
    path.write_text(text)
    (message,) = [m for m in messages(path, "PL308") if "Signed-off-by" in m]
    assert "git takes that paragraph for the trailer block ('Changelog:'), without this line" in message
    _, msg, _ = mailinfo(text.encode())
    parsed = subprocess.run(
        ["git", "interpret-trailers", "--parse"], input=msg, capture_output=True, check=True,
    ).stdout.decode()
    assert parsed.startswith("Changelog: v3 - Use dev_err_probe()") and "Signed-off-by" not in parsed


# -- bad-commit-reference (PL318) --------------------------------------------------------------

def test_git_pretty_reference_writes_title_and_date_in_parentheses(tmp_path: Path) -> None:
    """PL318 says '(title, date)' is git's --pretty=reference form and offers the title without
    the date: git log writes that form for a real commit, and the offer is its subject alone."""
    repo = make_repo(tmp_path / "repo")
    sha = commit(repo, "xt_socket.c", "netfilter: xt_socket: add revision 1" + SIGNED)
    reference = git(repo, "log", "-1", "--abbrev=12", "--pretty=reference", sha).strip()
    assert reference.startswith(f"{sha[:12]} (netfilter: xt_socket: add revision 1, ") and reference.endswith(")")
    path = RULE_EXAMPLES / "bad-commit-reference" / "bad-references.mbox"
    written = next(line for line in path.read_text().splitlines() if line.startswith("commit a31e1ffd2231 ("))
    # The example's line has the form git writes: the id, then (subject, YYYY-MM-DD).
    undated = re.compile(r", \d{4}-\d\d-\d\d\)$")
    assert undated.search(reference) and undated.search(written)
    assert undated.sub(")", written.split(" ", 2)[2]) == undated.sub(")", reference.split(" ", 1)[1])
    said = [m for m in messages(path, "PL318") if "a31e1ffd2231" in m]
    assert said == ["commit a31e1ffd2231: this is git's --pretty=reference form (title, date); "
                    "the kernel's is the title alone, in double quotes: '(\"netfilter: xt_socket: add revision 1\")'"]
