"""The diff, diffstat and transport rules (PL4xx, PL5xx) and the model under them: what the kvm
seeds must produce, how hunks are diagnosed, how git scales diffstat bars, which characters are
mojibake, and the transport facts the rules read."""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest
from model_helpers import patch_mail, posting
from paths import SEEDS

from patchlint.checks.diffstat import git_summary, scaled_bar
from patchlint.checks.transport import unmangle
from patchlint.model.diff import parse_diff
from patchlint.engine import Engine
from patchlint.model.hunks import diagnose
from patchlint.model.series import group_series

SEED_WITH_DAMAGE = "004_271b2fddaf384f67.txt"

# -- the seeds -----------------------------------------------------------------------------------


def test_apple_mail_mojibake_is_explained() -> None:
    # "[RFC] KVM: X86: implement Passthrough IPI": "VCPUâ€™s" on line 941.
    report = Engine().check([SEEDS / SEED_WITH_DAMAGE])
    (mojibake,) = [v for v in report.violations if v.code == "PL508"]
    assert "'VCPUâ€™s' is mojibake" in mojibake.message and "'’'" in mojibake.message


# -- hunks ---------------------------------------------------------------------------------------


def _diagnose(text: str):
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return diagnose(lines, 0, len(lines), lambda index: f"line {index + 1}")


HEAD = "diff --git a/x.c b/x.c\nindex 1111111..2222222 100644\n--- a/x.c\n+++ b/x.c\n"


@pytest.mark.parametrize(
    ("text", "kinds", "fragment"),
    [
        pytest.param(
            HEAD + "@@ -1,3 +1,3 @@ int main(void)\n a\n-\tpr_info(\"this line is long enough for a mailer to break it\n"
            "in two\");\n+\tb;\n c\n",
            ["wrapped"], "line 8 was wrapped by the mailer: it continues line 7", id="wrapped",
        ),
        pytest.param(
            HEAD + "@@ -1,3 +1,3 @@\n a\n-b\n+c\nd\n", ["lost-space"], "line 9 is not a diff line",
            id="lost-leading-space",
        ),
        pytest.param(
            HEAD + "@@ -1,3 +1,3 @@\n a\n-b\n+c\n", ["truncated"], "the diff ends inside hunk 1 of x.c",
            id="truncated",
        ),
        pytest.param(
            HEAD + "@@ -1,4 +1,4 @@\n a\n-b\n+c\n d\n" + HEAD + "@@ -1 +1 @@\n-a\n+b\n", ["short"],
            "ends early at line 10", id="short-hunk",
        ),
        pytest.param(
            HEAD + "@@ -1,2 +1,2 @@\n a\n-b\n+c\n+d\n", ["extra-lines"], "goes on for 1 line",
            id="extra-lines",
        ),
        pytest.param(
            HEAD + "@@ -1,3 +1,3 @@\n-a\n\\ No newline at end of file\n b\n+c\n c\n", ["no-newline-marker"],
            "goes on after a '\\ No newline", id="marker-in-the-middle",
        ),
        pytest.param(
            HEAD + "@@ -1 +1 @@\n\\ No newline at end of file\n-a\n+b\n", ["no-newline-marker"],
            "follows the hunk header", id="marker-first",
        ),
        pytest.param(
            HEAD + "@@ -1 +1 @@\n-a\n\\ oops\n+b\n", ["no-newline-marker"], "is not the", id="marker-too-short",
        ),
        pytest.param(HEAD + "@@ -1,2 +1,2 @@\n a\n b\n", ["no-change"], "changes nothing", id="no-change"),
        pytest.param(HEAD + "@@ -1,x +1 @@\n-a\n+b\n", ["bad-header"], "not a hunk header", id="bad-header"),
        pytest.param(
            "diff --git a/net/netfilter/nft_counter.c\nb/net/netfilter/nft_counter.c\n--- a/x.c\n+++ b/x.c\n"
            "@@ -1 +1 @@\n-a\n+b\n",
            ["wrapped-header"], "the end of the 'diff --git' line", id="wrapped-diff-header",
        ),
    ],
)
def test_hunk_problems(text: str, kinds: list[str], fragment: str) -> None:
    problems = _diagnose(text)
    assert [p.kind for p in problems] == kinds
    assert fragment in problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(HEAD + "@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n", id="blank-context-line-without-its-space"),
        pytest.param(HEAD + "@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n",
                     id="no-newline-on-both-sides"),
        pytest.param(HEAD + "@@ -1,2 +1,2 @@\n a\n-b\n+c\nbase-commit: 0123456789abcdef\n", id="trailing-text"),
        pytest.param("--- linux.orig/x.c\n+++ linux/x.c\n@@ -1 +1 @@\n-a\n+b\n", id="quilt"),
    ],
)
def test_sound_hunks(text: str) -> None:
    assert _diagnose(text) == ()


def test_hunks_are_walked_only_when_the_count_fails() -> None:
    clean = posting(patch_mail("[PATCH] x86: kvm: assert the lock", message_id="a@x"))
    assert clean.diff is not None and not clean.diff.suspect
    assert clean.hunk_problems == ()
    wrapped = patch_mail(
        "[PATCH] x86: kvm: assert the lock", message_id="b@x",
        diff=HEAD + "@@ -1,3 +1,3 @@ static int kvm_set_tsc_khz(struct kvm_vcpu *vcpu, u32\nuser_tsc_khz)\n"
        " a\n-b\n+c\n d\n",
    )
    damaged = posting(wrapped)
    assert damaged.diff is not None and damaged.diff.suspect
    (problem,) = damaged.hunk_problems
    assert problem.kind == "wrapped" and problem.message.startswith("line 22 was wrapped by the mailer")


# -- the diff and the diffstat ---------------------------------------------------------------------


def test_quoted_file_names_and_binary_sizes() -> None:
    diff = parse_diff(
        'diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"\nindex 1..2 100644\n'
        '--- "a/caf\\303\\251.txt"\t\n+++ "b/caf\\303\\251.txt"\t\n@@ -1 +1 @@\n-a\n+b\n'
        "diff --git a/logo.png b/logo.png\nnew file mode 100644\nindex 0000000..1111111\n"
        "GIT binary patch\nliteral 300\nzcmV+{0n`4aP0AQ0FuNUX\n\nliteral 0\nHcmV?d00001\n\n"
    )
    assert [(c.path, c.added, c.removed) for c in diff.files] == [("café.txt", 1, 1), ("logo.png", 0, 0)]
    assert diff.files[1].binary_sizes == (0, 300)


@pytest.mark.parametrize(
    ("added", "removed", "width", "max_change", "bar"),
    [
        # Figures from git format-patch output (git 2.39).
        (0, 28, 61, 282, (0, 6)),
        (64, 23, 61, 282, (14, 5)),
        (1, 1, 18, 20, (1, 1)),
        (20, 0, 18, 20, (18, 0)),
        (3, 2, 40, 40, (3, 2)),
        (5, 5, 10, 5, (5, 5)),  # no scaling when the widest change fits
    ],
)
def test_scaled_bars_are_git_s(added: int, removed: int, width: int, max_change: int, bar) -> None:
    assert scaled_bar(added, removed, width, max_change) == bar


@pytest.mark.parametrize(
    ("files", "insertions", "deletions", "line"),
    [
        (1, 1, 0, "1 file changed, 1 insertion(+)"),
        (2, 0, 3, "2 files changed, 3 deletions(-)"),
        (3, 0, 0, "3 files changed, 0 insertions(+), 0 deletions(-)"),
        (1, 2, 1, "1 file changed, 2 insertions(+), 1 deletion(-)"),
        (0, 0, 0, "0 files changed"),
    ],
)
def test_git_summary_wording(files: int, insertions: int, deletions: int, line: str) -> None:
    assert git_summary(files, insertions, deletions) == line


def _cover(stat: str, message_id: str = "cover@x", subject: str = "[PATCH 0/1] x86: kvm: locking") -> str:
    return patch_mail(subject, message_id=message_id, message=f"Two repositories.\n\n{stat}\n", stat="", diff="")


def test_pull_request_diffstat_is_compared_with_its_patches(engine_for) -> None:
    pull = patch_mail(
        "[GIT PULL 0/1] x86: kvm: locking", message_id="pull@x", stat="", diff="",
        message="Please pull.\n\n arch/x86/kvm/x86.c | 2 ++\n 1 file changed, 2 insertions(+)\n",
    )
    patch = patch_mail("[PATCH 1/1] x86: kvm: assert the lock", message_id="p1@x", in_reply_to="pull@x")
    series = group_series([posting(pull), posting(patch, index=1)])
    (found,) = [s for s in series if s.cover is not None]
    rule = next(r for r in engine_for("PL402").rules if r.code == "PL402")
    messages = [v.message for v in rule.check(found)]
    assert messages == ["arch/x86/kvm/x86.c: the cover letter says 2, the patch changes 1",
                        "the cover letter says 2+ 0-, the patches add up to 1+ 0-"]


def test_a_diffstat_repeated_in_a_pull_request_text_counts_once(engine_for) -> None:
    stat = " arch/x86/kvm/x86.c | 1 +\n 1 file changed, 1 insertion(+)\n"
    cover = _cover(stat + "\nPlease pull:\n\n .../kvm/x86.c | 1 +\n 1 file changed, 1 insertion(+)")
    patch = patch_mail("[PATCH 1/1] x86: kvm: assert the lock", message_id="p1@x", in_reply_to="cover@x")
    (series,) = [s for s in group_series([posting(cover), posting(patch, index=1)]) if s.cover]
    rule = next(r for r in engine_for("PL402").rules if r.code == "PL402")
    assert list(rule.check(series)) == []


# -- transport facts and characters ----------------------------------------------------------------


def test_quoted_printable_lines_keep_their_numbers() -> None:
    text = "Fix the caf\u00e9 comment, " + "which is long " * 8 + "enough.\n\nSigned-off-by: A <a@x>\n"
    encoded = quopri.encodestring(text.encode("utf-8")).decode("ascii")
    mail = (
        "From: A <a@x>\nSubject: [PATCH] x: y\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: quoted-printable\n\n{encoded}"
    )
    patch = posting(mail)
    raw_lines = mail.split("\n")
    signoff = patch.body.lines.index("Signed-off-by: A <a@x>")
    assert raw_lines[patch.line(signoff) - 1] == "Signed-off-by: A <a@x>"
    assert patch.transport.eight_bit is True


def test_base64_lines_point_at_the_start_of_the_body() -> None:
    body = "Fix it.\r\n\r\nSigned-off-by: A <a@x>\r\n"
    mail = (
        "From: A <a@x>\nSubject: [PATCH] x: y\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(body.encode()).decode()
    )
    patch = posting(mail)
    assert patch.transport.encoded_cr is True
    assert patch.body.lines == ("Fix it.", "", "Signed-off-by: A <a@x>")
    assert patch.line(2) == 6  # the body's first line: decoded lines have no place in the raw text


def test_multipart_parts_know_their_lines() -> None:
    mail = (
        "From: A <a@x>\nSubject: [PATCH] x: y\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n'
        "--b\nContent-Type: text/plain; charset=utf-8\n\nSee the patch.\n\n"
        "--b\nContent-Type: text/x-patch; charset=utf-8\n"
        'Content-Disposition: attachment; filename="0001-x.patch"\n\n'
        "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n--b--\n"
    )
    patch = posting(mail)
    text, attached = patch.transport.parts
    assert (text.line, text.attachment, text.diff) == (7, False, False)
    assert (attached.line, attached.filename, attached.diff) == (12, "0001-x.patch", True)
    assert patch.line(0) == 9  # "See the patch." keeps its place


def test_a_signed_quoted_printable_part_keeps_its_line_numbers() -> None:
    """A PGP/MIME-signed patch travels quoted-printable (RFC 3156): its lines are found in the
    raw part, soft line breaks and all."""
    text = "Fix the caf\u00e9 comment, " + "which is long " * 8 + "enough.\n\nSigned-off-by: A <a@x>\n"
    encoded = quopri.encodestring(text.encode("utf-8")).decode("ascii")
    mail = (
        "From: A <a@x>\nSubject: [PATCH] x: y\nMIME-Version: 1.0\n"
        'Content-Type: multipart/signed; protocol="application/pgp-signature"; boundary="s"\n\n'
        "--s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        f"{encoded}\n--s\nContent-Type: application/pgp-signature\n\nsig\n--s--\n"
    )
    patch = posting(mail)
    raw_lines = mail.split("\n")
    signoff = patch.body.lines.index("Signed-off-by: A <a@x>")
    assert raw_lines[patch.line(signoff) - 1] == "Signed-off-by: A <a@x>"
    assert raw_lines[patch.line(0) - 1].startswith("Fix the caf=C3=A9 comment")


def test_a_removed_dash_line_is_not_a_signature() -> None:
    diff = HEAD + "@@ -1,2 +1 @@\n a\n--\n"
    patch = posting(patch_mail("[PATCH] x86: kvm: drop a line", message_id="d@x", diff=diff, stat=""))
    assert patch.body.lines[patch.body.signature] == "-- "
    assert patch.hunk_problems == ()


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("â€™", "’"),
        ("Ã©", "é"),
        ("Ã¶", "ö"),
        ("â€œ", "“"),
        ("Â\u00a0", "\u00a0"),
        ("Ã\u0178", "ß"),
        ("à\u00a0«", None),  # French "à « …": decodes to a Samaritan letter, not mojibake
        ("Ã", None),  # a lead byte alone
    ],
)
def test_unmangle(text: str, meant: str | None) -> None:
    assert unmangle(text) == meant


@pytest.fixture
def write_mail(tmp_path: Path):
    """Write a mail into a temporary file and return its path."""

    def write(mail: str) -> Path:
        path = tmp_path / "mail.patch"
        path.write_text(mail, encoding="utf-8")
        return path

    return write


def test_mojibake_in_a_removed_line_is_the_file_s(engine_for, write_mail) -> None:
    diff = HEAD + "@@ -1 +1 @@\n-/* the counterâ€™s value */\n+/* the counter’s value */\n"
    mail = patch_mail("[PATCH] x86: kvm: fix a comment", message_id="m@x", diff=diff, stat="")
    report = Engine.check(engine_for("PL508"), [write_mail(mail)])
    assert report.violations == []


def test_bidi_controls_are_reported_in_added_lines_only(engine_for, write_mail) -> None:
    diff = HEAD + "@@ -1 +1 @@\n-int a; /* \u202e */\n+int a; /* \u2066 */\n"
    mail = patch_mail("[PATCH] x86: kvm: fix a comment", message_id="c@x", diff=diff, stat="")
    report = Engine.check(engine_for("PL509"), [write_mail(mail)])
    assert [v.message.split(":")[0] for v in report.violations] == [
        "a Unicode bidi control (U+2066 LEFT-TO-RIGHT ISOLATE)"
    ]


def test_a_hunk_quoted_in_the_notes_stops_git_am(engine_for, write_mail) -> None:
    notes = "This fixes the test output:\n\n@@ -50,2 +50,2 @@ ip6 test-ip6 output\n-  [ a ]\n+  [ b ]\n"
    mail = patch_mail("[PATCH] x86: kvm: assert the lock", message_id="n@x", notes=notes)
    report = Engine.check(engine_for("PL404"), [write_mail(mail)])
    assert [(v.line, v.message.split(":")[0]) for v in report.violations] == [
        (16, "a hunk header in the notes, with no file header above it")
    ]


def test_options_are_read_from_yaml(engine_for, write_mail) -> None:
    diff = HEAD + "@@ -1 +1 @@\n-a\n+int a; /* \x0c */\n"
    mail = write_mail(patch_mail("[PATCH] x86: kvm: fix a comment", message_id="o@x", diff=diff, stat=""))
    assert Engine.check(engine_for("PL509"), [mail]).violations == []
    strict = engine_for("PL509", extra="rules:\n  control-character:\n    options:\n      allow-form-feed: false\n")
    assert [v.code for v in Engine.check(strict, [mail]).violations] == ["PL509"]
    lenient = engine_for("PL512", extra="rules:\n  long-line:\n    options:\n      max-length: 200\n")
    assert Engine.check(lenient, [mail]).violations == []


def test_quoted_printable_tabs_are_trailing_whitespace_only_at_a_line_end() -> None:
    """'=09' is 'trailing whitespace' where quoted-printable must escape it (before a line
    break, hard or soft), and 'tabs' where a mailer escapes every tab (Exchange)."""
    from patchlint.checks.transport import _qp_escapes

    assert _qp_escapes(b"a=09\nb=20=\nc\n")[0] == ["'=09' for trailing whitespace", "'=20' for trailing whitespace", "long lines broken with '='"]
    assert _qp_escapes(b"=09x =3D 1;=09/* y */\n")[0] == ["'=09' for tabs", "'=3D' for '='"]
