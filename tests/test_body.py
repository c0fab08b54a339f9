"""Transport decoding (MIME, transfer encodings, charsets) and the split of a body into in-body
headers, commit message, notes, diff and signature, following git mailinfo."""

from __future__ import annotations

import pytest

from model_helpers import MODEL_DATA, SERIES_DIR, load, posting, read_postings
from patchlint.model.body import is_patch_break, split_body
from patchlint.model.headers import Headers
from patchlint.model.transport import decode_body, decode_text

# -- transfer encodings and charsets -----------------------------------------------------------


def test_quoted_printable_body_is_decoded() -> None:
    patch = load("quoted-printable.eml")
    transport = patch.transport
    assert (transport.transfer_encoding, transport.charset) == ("quoted-printable", "iso-8859-1")
    assert transport.decode_error is None
    assert transport.lines_exact is False
    lines = patch.body.lines
    # Soft line breaks are joined, =3D and =20 decoded, Latin-1 turned into text.
    assert lines[0].startswith("The tolerance is given in parts per million; the test divided by a thousand")
    assert lines[0].endswith("Use the same ")
    assert "Signed-off-by: François Lefèvre <francois.lefevre@example.fr>" in lines
    assert "-\ttolerance = khz / 1000;" in lines
    assert lines[patch.body.signature] == "-- "
    # The diff header was broken over two lines by a soft break; decoded, it parses.
    assert patch.diff is not None and patch.diff.error is None
    assert patch.diff.files[0].path == "tools/testing/selftests/kvm/x86_64/tsc_khz_test.c"


def test_base64_body_is_decoded() -> None:
    patch = load("base64.eml")
    assert patch.transport.transfer_encoding == "base64"
    assert patch.transport.decode_error is None
    assert patch.body.lines[0] == "The ratio is 48 bits wide on Intel and 40 on AMD; say which."
    assert patch.trailers.values("Signed-off-by") == ["Jörg Weiß <joerg.weiss@example.de>"]
    assert patch.diffstat is not None and patch.diffstat.files == 1


def test_multipart_with_text_part_and_attachment() -> None:
    mail = load("multipart-attachment.eml")
    transport = mail.transport
    assert transport.multipart is True
    assert transport.content_type == "multipart/mixed"
    assert (transport.charset, transport.transfer_encoding) == ("utf-8", "base64")
    assert transport.attachments == ("0001-KVM-x86-Fix-a-typo-in-a-comment.patch",)
    assert transport.html is False
    assert transport.lines_exact is False
    # Only the text part is the body: the attached patch is not read as the mail's diff.
    assert mail.body.lines[:3] == ("Hi,", "", "the patch is attached, our mail server breaks inline patches.")
    assert mail.diff is None
    assert mail.trailers.values("Signed-off-by") == ["Wei Zhang <wei.zhang@example.com>"]


def test_multipart_alternative_with_html_and_flowed_text() -> None:
    mail = (
        "From: A <a@example.org>\nSubject: [PATCH] x: y\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="b1"\n\n'
        "--b1\n"
        'Content-Type: text/plain; charset="utf-8"; format=flowed\n'
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "The caf=C3=A9 fix.\n\n"
        "--b1\n"
        'Content-Type: text/html; charset="utf-8"\n\n'
        "<p>The caf&eacute; fix.</p>\n"
        "--b1--\n"
    )
    transport = posting(mail).transport
    assert transport.html is True
    assert transport.format_flowed is True
    assert transport.transfer_encoding == "quoted-printable"
    assert posting(mail).body.lines[0] == "The café fix."


def test_format_flowed_reply_from_an_archive() -> None:
    reply = read_postings(MODEL_DATA / "lore-thread.mboxrd")[1]
    assert reply.transport.format_flowed is True
    assert reply.transport.charset == "UTF-8"
    assert read_postings(MODEL_DATA / "lore-thread.mboxrd")[0].transport.format_flowed is False


def test_wrong_declared_charset_is_reported() -> None:
    mail = (
        "From: A <a@example.org>\nSubject: [PATCH] x: y\n"
        "Content-Type: text/plain; charset=us-ascii\n\nFix the caf\u00e9 comment.\n"
    ).encode("utf-8")
    patch = posting(mail)
    error = patch.transport.decode_error
    assert error is not None
    assert error.startswith("declared charset 'us-ascii' does not decode the body")
    assert "at byte 11" in error
    # The text is still there (decoded as UTF-8) for the other rules.
    assert patch.body.lines[0] == "Fix the café comment."


def test_unknown_charset_is_reported() -> None:
    mail = b"From: A <a@x>\nSubject: [PATCH] x\nContent-Type: text/plain; charset=x-klingon\n\nqapla'\n"
    assert posting(mail).transport.decode_error == "unknown charset 'x-klingon'"


def test_8bit_body_without_charset() -> None:
    utf8 = posting("From: A <a@x>\nSubject: [PATCH] x\n\nSigned-off-by: Jörg Weiß <j@x>\n")
    assert utf8.transport.charset is None
    assert utf8.transport.decode_error is None
    assert utf8.body.lines == ("Signed-off-by: Jörg Weiß <j@x>",)
    latin1 = posting(b"From: A <a@x>\nSubject: [PATCH] x\n\nSigned-off-by: J\xf6rg Wei\xdf <j@x>\n")
    assert latin1.transport.decode_error == "8-bit bytes with no declared charset"
    assert latin1.body.lines == ("Signed-off-by: Jörg Weiß <j@x>",)


@pytest.mark.parametrize(
    ("payload", "charset", "text", "error"),
    [
        pytest.param("Jörg".encode(), "utf-8", "Jörg", None, id="utf8"),
        pytest.param("Jörg".encode("latin-1"), "ISO-8859-1", "Jörg", None, id="latin1-declared"),
        pytest.param("Jörg".encode("latin-1"), None, "Jörg", "8-bit bytes with no declared charset",
                     id="latin1-undeclared"),
        pytest.param(b"plain", None, "plain", None, id="ascii-undeclared"),
    ],
)
def test_decode_text(payload: bytes, charset: str | None, text: str, error: str | None) -> None:
    assert decode_text(payload, charset) == (text, error)


def test_crlf_body_is_normalised() -> None:
    patch = load("crlf.eml")
    assert patch.transport.crlf is True
    assert patch.transport.lines_exact is True
    assert not any("\r" in line for line in patch.body.lines)
    assert patch.body.lines[patch.body.signature] == "-- "
    assert patch.diff is not None and patch.diff.files[0].removed == 1


def test_decode_body_without_a_body() -> None:
    headers = Headers.parse("From: a@x\nSubject: s")
    text, transport = decode_body(headers, b"From: a@x\nSubject: s\n", -1)
    assert text == ""
    assert transport.content_type == "text/plain"
    assert transport.to_json() == {
        "content_type": "text/plain",
        "charset": None,
        "transfer_encoding": "7bit",
        "multipart": False,
        "format_flowed": False,
        "crlf": False,
        "html": False,
        "attachments": [],
        "decode_error": None,
    }


# -- git mailinfo's patch break ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "breaks"),
    [
        pytest.param("---", True, id="separator"),
        pytest.param("--- ", True, id="separator-trailing-space"),
        pytest.param("---\t", True, id="separator-trailing-tab"),
        pytest.param("--- a/arch/x86/kvm/x86.c", True, id="dash-filename"),
        pytest.param("--- linux-6.6.orig/drivers/foo.c", True, id="dash-quilt-filename"),
        pytest.param("diff --git a/x b/x", True, id="diff-git"),
        pytest.param("diff -urN a/x b/x", True, id="diff-urN"),
        pytest.param("Index: drivers/foo.c", True, id="cvs-index"),
        pytest.param("---a", False, id="no-space"),
        pytest.param("----", False, id="four-dashes"),
        pytest.param("----------------------------------------------------------------", False,
                     id="pull-request-rule"),
        pytest.param("--", False, id="two-dashes"),
        pytest.param("-- ", False, id="signature"),
        pytest.param("---  two spaces then text", False, id="dash-two-spaces"),
        pytest.param("diffstat follows", False, id="diff-word"),
    ],
)
def test_is_patch_break(line: str, breaks: bool) -> None:
    assert is_patch_break(line) is breaks


# -- splitting a body --------------------------------------------------------------------------


def test_format_patch_body_parts() -> None:
    patch = read_postings(next(SERIES_DIR.glob("v2-0001-*.patch")))[0]
    body = patch.body
    lines = body.lines
    assert body.inbody == ()
    assert body.first_line == 9 and body.exact is True
    assert lines[body.message_start] == "KVM_SET_TSC_KHZ reports every failure as -1, which userspace sees as"
    assert body.message_lines[-1] == "Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>"
    assert body.separator == body.message_end and lines[body.separator] == "---"
    start, end = body.notes_range
    assert lines[start:end] == (
        "v1 -> v2:",
        " - Update Documentation/virt/kvm/api.rst",
        " - Collect Oskar's Reviewed-by",
        "",
        " Documentation/virt/kvm/api.rst | 2 +-",
        " arch/x86/kvm/x86.c             | 4 ++--",
        " 2 files changed, 3 insertions(+), 3 deletions(-)",
        "",
    )
    assert end == body.diff_start
    assert lines[body.diff_start] == (
        "diff --git a/Documentation/virt/kvm/api.rst b/Documentation/virt/kvm/api.rst"
    )
    assert body.diff_end == body.signature
    assert lines[body.signature:] == ("-- ", "2.39.5")
    assert body.diff_text.startswith("diff --git a/Documentation/virt/kvm/api.rst")
    assert body.diff_text.endswith(" \tthresh_lo = adjust_tsc_khz(tsc_khz, -tsc_tolerance_ppm);\n")


def test_body_line_numbers_map_to_the_file() -> None:
    path = next(SERIES_DIR.glob("v2-0001-*.patch"))
    patch = read_postings(path)[0]
    file_lines = path.read_text().splitlines()
    for index in (patch.body.message_start, patch.body.separator, patch.body.diff_start):
        assert index is not None
        file_line = patch.raw.source_line(patch.line(index))
        assert file_lines[file_line - 1] == patch.body.lines[index]


def test_inbody_from_subject_and_date_with_a_folded_subject() -> None:
    patch = load("inbody-from-stable.patch")
    body = patch.body
    assert [(key, index) for key, _, index in body.inbody] == [("From", 0), ("Subject", 1), ("Date", 3)]
    assert body.inbody_header("from") == ("Imre Varga <imre.varga@example.com>", 0)
    assert body.inbody_header("Subject") == (
        "[PATCH] KVM: x86: Return -EINVAL when the TSC frequency cannot be set", 1,
    )
    assert body.inbody_header("Date") == ("Tue, 14 Nov 2023 10:21:05 +0100", 3)
    assert body.inbody_header("Cc") is None
    assert body.message_lines[0] == "commit c6046785cec252f923bbf1bc057c42cad02d5393 upstream."


def test_inbody_headers_must_be_followed_by_a_blank_line_or_the_end() -> None:
    alone = split_body("From: Imre Varga <imre.varga@example.com>\n", 10, True)
    assert alone.inbody == (("From", "Imre Varga <imre.varga@example.com>", 0),)
    leading_blank = split_body("\n\nFrom: Imre Varga <imre.varga@example.com>\n\nText.\n", 10, True)
    assert leading_blank.inbody_header("From") == ("Imre Varga <imre.varga@example.com>", 2)
    assert leading_blank.message_start == 4


def test_message_ends_at_a_separator_without_a_diff() -> None:
    text = "Cover text.\n\n---\nv2: rebased\n-- \n2.43.0\n"
    body = split_body(text, 5, True)
    assert body.message_lines == ("Cover text.", "")
    assert body.separator == 2
    assert body.diff_start is None and body.diff_text == ""
    assert body.notes_range == (3, 4)
    assert body.signature == 4


def test_dash_filename_starts_a_diff_without_a_separator() -> None:
    text = (
        "Old-style patch from a quilt series.\n\n"
        "Signed-off-by: Imre Varga <imre.varga@example.com>\n"
        "--- linux-6.6.orig/drivers/misc/tsc_demo.c\n"
        "+++ linux-6.6/drivers/misc/tsc_demo.c\n"
        "@@ -1 +1 @@\n-old\n+new\n"
    )
    body = split_body(text, 1, True)
    assert body.message_end == 3
    assert body.separator is None
    assert body.diff_start == 3
    assert body.notes_range == (3, 3)
    assert body.signature is None and body.diff_end == len(body.lines)


def test_separator_line_immediately_followed_by_the_diff() -> None:
    text = "Message.\n---\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n"
    body = split_body(text, 1, True)
    assert (body.message_end, body.separator, body.diff_start) == (1, 1, 2)
    assert body.notes_range == (2, 2)


def test_damaged_signature_separator_still_counts() -> None:
    text = (
        "Message.\n---\n x.c | 1 +\n 1 file changed, 1 insertion(+)\n\n"
        "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -0,0 +1 @@\n+a\n--\n2.43.0\n"
    )
    body = split_body(text, 1, True)
    assert body.signature == 10
    assert body.lines[body.signature] == "--"
    assert body.diff_text.endswith("+a\n")


def test_signature_is_only_looked_for_near_the_end() -> None:
    early = ["Message.", "-- ", "quoted signature of someone else"] + [f"line {n}" for n in range(20)]
    body = split_body("\n".join(early) + "\n", 1, True)
    assert body.signature is None
    assert body.message_end == len(early)


def test_cover_letter_has_no_separator_and_no_diff() -> None:
    cover = read_postings(SERIES_DIR / "v2-0000-cover-letter.patch")[0]
    body = cover.body
    assert body.separator is None and body.diff_start is None
    assert body.notes_range == (body.message_end, body.message_end)
    assert body.message_lines[-2:] == (
        " create mode 100644 tools/testing/selftests/kvm/x86_64/tsc_khz_test.c",
        "",
    )
    assert body.lines[body.signature] == "-- "


def test_pull_request_rules_are_not_separators() -> None:
    pull = load("pull-request.eml")
    assert pull.body.separator is None
    assert pull.body.message_lines[16] == "-" * 64
    assert pull.body.message_end == len(pull.body.lines)


def test_empty_and_blank_bodies() -> None:
    empty = split_body("", 5, True)
    assert (empty.lines, empty.message_start, empty.message_end, empty.signature) == ((), 0, 0, None)
    blank = split_body("\n\n\n", 5, True)
    assert blank.message_lines == ()
    assert blank.line_number(2) == 7
