"""What the list did to a mail is a fact of the model, and the transport rules judge what the
sender sent: Mailman's base64 re-encoding and its footer (in the text, or as a part of its own
in a multipart/mixed wrapper), PGP/MIME's quoted-printable, the bytes of a Latin-1 file in a
UTF-8 mail's diff. Every claim the rules make about git is checked here against real git."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from patchlint.model.delivery import inline_footer_start, list_references
from patchlint.model.headers import Headers
from patchlint.model.message import RawMessage
from patchlint.model.posting import Posting

from git_helpers import GIT_ENV, am_repo, git, mailinfo, make_repo
from paths import RULE_EXAMPLES

MAILMAN_BASE64 = RULE_EXAMPLES / "encoded-patch-body" / "good-mailman-base64.mbox"
MAILMAN_WRAPPED = RULE_EXAMPLES / "mime-structure" / "good-mailman-footer-part.mbox"
LATIN1_FILE = RULE_EXAMPLES / "charset-mismatch" / "good-latin1-file-in-diff.patch"
SEND_EMAIL_QP = RULE_EXAMPLES / "encoded-patch-body" / "bad-send-email-quoted-printable.eml"
SIGNED_QP = RULE_EXAMPLES / "encoded-patch-body" / "good-pgp-signed-quoted-printable.eml"


def mail_bytes(path: Path) -> bytes:
    """The mail of an example file without its mbox separator and expectation headers."""
    lines = path.read_bytes().split(b"\n")
    while lines and (lines[0].startswith(b"From ") or lines[0].startswith(b"X-Patchlint-")):
        lines.pop(0)
    return b"\n".join(lines)


def posting_of(path: Path) -> Posting:
    return Posting(RawMessage(str(path), 0, mail_bytes(path)))


# -- the model ---------------------------------------------------------------------------------


def test_mailman_base64_is_the_list_s_encoding() -> None:
    posting = posting_of(MAILMAN_BASE64)
    delivery = posting.delivery
    assert delivery.list_id == "testsuite.lists.example.org"
    assert delivery.software == "Mailman 2.1.29"
    assert (delivery.footer, delivery.reencoded, delivery.wrapped) == ("inline", True, False)
    assert "re-encoded the body" in delivery.changes
    assert posting.to_json()["delivery"]["reencoded"] is True


def test_mailman_footer_part_is_left_out_of_the_sender_s_text() -> None:
    posting = posting_of(MAILMAN_WRAPPED)
    transport = posting.transport
    assert transport.multipart and transport.list_wrapped and not transport.sender_multipart
    assert transport.sender_content_type == "text/plain"
    assert [part.list_footer for part in transport.parts] == [False, True]
    assert "Mailing list info" not in posting.body_text
    assert posting.delivery.changes == ("wrapped the post in multipart/mixed to add its footer",)
    # The sender's part declares UTF-8; the Latin-1 bytes are the patched file's.
    assert transport.charset_error is None and transport.hunk_bytes


def test_a_mail_no_list_changed_says_so() -> None:
    posting = posting_of(SEND_EMAIL_QP)
    delivery = posting.delivery
    assert (delivery.footer, delivery.wrapped, delivery.reencoded) == (None, False, False)
    assert delivery.changes == ()


def test_dmarc_rewriting_is_a_change_of_the_list() -> None:
    mail = (
        b"From: Jane Doe via testsuite <testsuite@lists.example.org>\n"
        b"Reply-To: Jane Doe <jane@example.com>\nSubject: [PATCH] x: y\n"
        b"List-Id: <testsuite.lists.example.org>\n\nBody.\n"
    )
    delivery = Posting(RawMessage("x", 0, mail)).delivery
    assert delivery.from_rewritten
    assert "rewrote From: to its own address (DMARC)" in delivery.changes


def test_a_footer_names_the_list() -> None:
    headers = Headers.parse(
        "List-Id: <t.lists.example.org>\nList-Post: <mailto:t@lists.example.org>\n"
        "List-Subscribe: <https://lists.example.org/listinfo/t>,\n <mailto:t-request@lists.example.org>"
    )
    references = list_references(headers)
    assert references == ("t@lists.example.org", "lists.example.org/listinfo/t", "t-request@lists.example.org")
    text = "msg\n-- \n2.43.0\n\n-- \nMailing list info: https://lists.example.org/listinfo/t\n"
    start = inline_footer_start(text, references)
    assert start is not None and text[start:].startswith("-- \nMailing list info")
    mailman = "msg\n_______________________________________________\nt mailing list\nt@lists.example.org\n"
    assert inline_footer_start(mailman, references) == 4
    # git format-patch's own signature is the sender's, and so is text that names no list.
    assert inline_footer_start("msg\n-- \n2.43.0\n", references) is None
    assert inline_footer_start(text, ()) is None
    assert list_references(Headers.parse("List-Post: <mailto:t@lists.example.org>")) == ()


# -- what git does with these mails ------------------------------------------------------------


def _am(repo: Path, mail: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-C", str(repo), "am", "-q"], input=mail, capture_output=True,
        env={**os.environ, **GIT_ENV}, timeout=60,
    )


def test_git_am_decodes_mailman_base64_and_commits_no_footer(tmp_path: Path) -> None:
    mail = mail_bytes(MAILMAN_BASE64)
    repo = am_repo(tmp_path / "repo", mail)
    done = _am(repo, mail)
    assert done.returncode == 0, done.stderr
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("pipe15: check that both close() calls succeed\n")  # tags stripped
    assert "Suggested-by: Jörg Weiß <joerg.weiss@example.de>" in message
    assert "Mailing list" not in message
    assert "SAFE_CLOSE(fds[1]);" in (repo / "testcases/pipe/pipe15.c").read_text()


@pytest.mark.parametrize("example", [LATIN1_FILE, MAILMAN_WRAPPED], ids=["format-patch", "mailman-wrapped"])
def test_git_am_applies_a_latin1_file_s_lines_byte_for_byte(tmp_path: Path, example: Path) -> None:
    mail = mail_bytes(example)
    _, message, patch = mailinfo(mail)
    assert b"Ren\xe9 Lef\xe8vre" in patch  # mailinfo converts the message only, not the patch
    assert "Zoë" in message.decode("utf-8")
    repo = am_repo(tmp_path / "repo", mail)
    done = _am(repo, mail)
    assert done.returncode == 0, done.stderr
    applied = (repo / "testcases/chown/chown07.c").read_bytes()
    assert b"Ren\xe9 Lef\xe8vre" in applied and b'#include "tst_test.h"' in applied
    assert git(repo, "log", "-1", "--format=%an") == "Zoë Varga\n"


def test_git_am_decodes_quoted_printable_but_git_apply_on_the_stored_mail_fails(tmp_path: Path) -> None:
    mail = mail_bytes(SEND_EMAIL_QP)
    repo = am_repo(tmp_path / "repo", mail)
    stored = tmp_path / "stored.eml"
    stored.write_bytes(mail)
    check = subprocess.run(
        ["git", "-C", str(repo), "apply", "--check", str(stored)], capture_output=True,
        env={**os.environ, **GIT_ENV}, timeout=60,
    )
    assert check.returncode != 0  # the '=20' context lines are not the file's
    done = _am(repo, mail)
    assert done.returncode == 0, done.stderr


def test_git_am_applies_a_pgp_signed_quoted_printable_patch(tmp_path: Path) -> None:
    mail = mail_bytes(SIGNED_QP)
    repo = am_repo(tmp_path / "repo", mail)
    done = _am(repo, mail)
    assert done.returncode == 0, done.stderr


def _send_email_works() -> bool:
    if shutil.which("git") is None:
        return False
    # git-send-email is a separate package on Debian: without it, git answers "'send-email' is
    # not a git command" (and --help may exit 1 even when it is there, with no man page).
    exec_path = subprocess.run(["git", "--exec-path"], capture_output=True, text=True, timeout=60).stdout.strip()
    return bool(exec_path) and Path(exec_path, "git-send-email").is_file()


@pytest.mark.skipif(not _send_email_works(), reason="git send-email is not installed")
@pytest.mark.parametrize(
    ("option", "line", "encoding"),
    [
        pytest.param("auto", "b = 3;", "8bit", id="auto-short-lines"),
        pytest.param("auto", "b = " + "3" * 1000 + ";", "quoted-printable", id="auto-999-characters"),
        pytest.param("quoted-printable", "b = 3;", "quoted-printable", id="asked-for"),
    ],
)
def test_git_send_email_picks_quoted_printable_only_when_told_or_for_long_lines(
    tmp_path: Path, option: str, line: str, encoding: str
) -> None:
    """PL502 says git send-email encodes a patch quoted-printable only when
    sendemail.transferEncoding (or --transfer-encoding) says so or a line is over 998
    characters: what it sends, captured through a fake SMTP server."""
    repo = make_repo(tmp_path / "repo")
    (repo / "f.c").write_text("a = 1;\nb = 2;\n")
    git(repo, "add", "f.c")
    git(repo, "commit", "-q", "-m", "f: start")
    (repo / "f.c").write_text(f"a = 1;\n{line}\n")
    git(repo, "commit", "-q", "-a", "-m", "f: change b\n\nSigned-off-by: Ada Tester <ada@example.org>")
    git(repo, "format-patch", "-q", "-1", "-o", str(tmp_path / "out"))
    sent = tmp_path / "sent.eml"
    server = tmp_path / "smtp.sh"
    server.write_text(f"#!/bin/sh\ncat > '{sent}'\n")
    server.chmod(0o755)
    patches = sorted(str(p) for p in (tmp_path / "out").iterdir())
    git(repo, "send-email", "--quiet", "--confirm=never", "--to=list@example.org",
        "--from=Ada Tester <ada@example.org>", "--suppress-cc=all", f"--smtp-server={server}",
        f"--transfer-encoding={option}", "--no-validate", *patches)
    head = sent.read_bytes().split(b"\n\n", 1)[0].decode()
    assert f"Content-Transfer-Encoding: {encoding}" in head
    assert "X-Mailer: git-send-email" in head
    # PL502 knows git send-email by its Message-ID too, where a gateway dropped X-Mailer.
    sent_posting = Posting(RawMessage("sent.eml", 0, sent.read_bytes()))
    assert sent_posting.send_email_address == "ada@example.org"
    assert sent_posting.sent_with_send_email == "X-Mailer"
    without_mailer = sent.read_bytes().replace(b"X-Mailer: git-send-email", b"X-Gateway: none")
    assert Posting(RawMessage("sent.eml", 0, without_mailer)).sent_with_send_email == "Message-ID"
