"""format=flowed text is decoded as git mailinfo decodes it (patchlint.model.flowed), checked
against git itself: on bodies written to exercise each part of git's decoding, and on the rule
examples sent as flowed text. The rules then judge what git am sees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from git_helpers import apply_check, mailinfo
from model_helpers import posting
from paths import RULE_EXAMPLES
from patchlint.model.flowed import unflow

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

HEAD = (
    "From: Ada Lovelace <ada@example.org>\n"
    "Subject: [PATCH] flowed: a test\n"
    "Date: Mon, 4 Mar 2024 09:12:00 +0100\n"
    "MIME-Version: 1.0\n"
)

# Bodies as a flowed mailer sends them. Each starts with "---": git mailinfo then writes the
# whole decoded body to its patch file, which is what is compared.
BODIES = {
    "soft breaks": "---\nA long line broken at a \nspace, twice: here \nand here.\nA hard break.\n",
    "stuffing": "---\n  two spaces\n one space\n From a stuffed line\n>quoted\n \n",
    "signature": "---\ntext\n-- \n2.43.0\n",
    "soft break before the signature": "---\ntext that ends in a \n-- \n2.43.0\n",
    "soft break at the end": "---\nlast line \n",
    "no final newline": "---\nlast line",
    "stuffed soft break": "---\n  context ending in a \nspace\n",
    "spaces only": "---\n   \n  \n \nend\n",
    "lone CR": "---\n a line\rwith a CR in it \ngoes on\n",
    "diff": (
        "---\n  a.c | 2 +-\n\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n"
        "@@ -1,3 +1,3 @@ int main(int argc, \nchar **argv)\n  \tint x;\n-\tx = 1;\n+\tx = 2; \n"
        "\n  }\n-- \n2.43.0\n"
    ),
}


@pytest.mark.parametrize("delsp", [False, True], ids=["DelSp=no", "DelSp=yes"])
@pytest.mark.parametrize("body", list(BODIES.values()), ids=list(BODIES))
def test_flowed_text_decodes_as_git_mailinfo_decodes_it(body: str, delsp: bool) -> None:
    params = "; format=flowed" + ("; delsp=yes" if delsp else "")
    mail = f"{HEAD}Content-Type: text/plain; charset=UTF-8{params}\n\n{body}".encode()
    _, _, patch = mailinfo(mail)
    assert posting(mail).body_text == patch.decode()
    assert unflow(body, delsp)[0] == patch.decode()


@pytest.mark.parametrize("encoding", ["quoted-printable", "base64"])
def test_flowed_text_is_decoded_after_the_transfer_encoding(encoding: str) -> None:
    import base64
    import quopri

    body = BODIES["diff"].encode()
    payload = quopri.encodestring(body) if encoding == "quoted-printable" else base64.encodebytes(body)
    mail = (
        f"{HEAD}Content-Type: text/plain; charset=UTF-8; format=flowed\n"
        f"Content-Transfer-Encoding: {encoding}\n\n"
    ).encode() + payload
    _, _, patch = mailinfo(mail)
    assert posting(mail).body_text == patch.decode()


def test_a_flowed_part_of_a_multipart_mail_is_decoded_by_its_own_content_type() -> None:
    mail = (
        f"{HEAD}Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
        "Content-Type: text/plain; charset=UTF-8; format=flowed\n\n"
        f"{BODIES['diff']}--b--\n"
    ).encode()
    _, _, patch = mailinfo(mail)
    assert posting(mail).body_text.rstrip("\n") == patch.decode().rstrip("\n")


def test_text_that_is_not_flowed_is_not_decoded() -> None:
    mail = f"{HEAD}Content-Type: text/plain; charset=UTF-8\n\n{BODIES['stuffing']}".encode()
    _, _, patch = mailinfo(mail)
    assert posting(mail).body_text == patch.decode() == BODIES["stuffing"]


FLOWED_EXAMPLES = sorted(
    path for path in RULE_EXAMPLES.glob("*/*") if b"format=flowed" in path.read_bytes()
)


@pytest.mark.parametrize("path", FLOWED_EXAMPLES, ids=[f"{p.parent.name}/{p.name}" for p in FLOWED_EXAMPLES])
def test_flowed_examples_are_read_as_git_mailinfo_reads_them(path: Path) -> None:
    """The commit message and the patch git mailinfo writes are the parts of the body patchlint
    judges, line for line."""
    data = path.read_bytes()
    _, msg, patch = mailinfo(data)
    found = posting(data)
    body = found.body
    assert "\n".join(body.lines[body.message_start : body.message_end]).strip("\n") == msg.decode().strip("\n")
    assert "\n".join(body.lines[body.message_end :]) + "\n" == patch.decode()


def test_git_applies_the_flowed_example_it_can_decode(tmp_path: Path) -> None:
    """format-flowed's good example: Thunderbird wrapped the 'diff --git' line, a hunk header
    and a long added line at a space and stuffed every context line; git undoes both and reads
    every hunk (patchlint before this decoding reported the wrapped lines as corrupt hunks)."""
    _, _, patch = mailinfo((RULE_EXAMPLES / "format-flowed" / "good-thunderbird-rejoined.eml").read_bytes())
    done = apply_check(tmp_path, patch)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().split() == [
        "3", "0", "include/net/netfilter/nft_counter.h", "3", "2", "net/netfilter/nft_counter.c",
    ]


@pytest.mark.parametrize("name", ["bad-trailing-space.eml", "bad-not-stuffed.eml"])
def test_git_rejects_the_flowed_examples_format_flowed_reports(tmp_path: Path, name: str) -> None:
    """format-flowed's claim: after git's decoding the hunk no longer adds up, and git am
    rejects the patch as corrupt."""
    _, _, patch = mailinfo((RULE_EXAMPLES / "format-flowed" / name).read_bytes())
    done = apply_check(tmp_path, patch)
    assert done.returncode != 0
    assert b"corrupt patch at line" in done.stderr


def test_the_line_a_soft_break_joined_is_placed_at_its_first_line() -> None:
    data = (RULE_EXAMPLES / "format-flowed" / "good-thunderbird-rejoined.eml").read_bytes()
    found = posting(data)
    body = found.body
    index = next(i for i, line in enumerate(body.lines) if line.startswith("@@ -23,8"))
    raw = data.decode().split("\n")
    assert raw[found.line(index) - 1].startswith("@@ -23,8 +24,8 @@ static void nft_counter_eval(")
    after = next(i for i, line in enumerate(body.lines) if line.startswith(" \tpriv->packets++"))
    assert raw[found.line(after) - 1] == "  \tpriv->packets++;"
