"""Header scanning: splitting the head, unfolding, RFC 2047 words, 8-bit headers, ids."""

from __future__ import annotations

import pytest

from model_helpers import MODEL_DATA, SERIES_DIR, load, posting, read_postings
from patchlint.model.headers import (
    Headers,
    Person,
    decode_header_bytes,
    decode_words,
    message_ids,
    parse_people,
    parse_person,
    split_head,
)

# -- splitting the header block off -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"From: a@x\nSubject: s\n\nbody\n", (b"From: a@x\nSubject: s", 22, 4), id="lf"),
        pytest.param(b"From: a@x\r\nSubject: s\r\n\r\nbody\r\n", (b"From: a@x\r\nSubject: s", 25, 4),
                     id="crlf"),
        pytest.param(b"From: a@x\nSubject: s\n", (b"From: a@x\nSubject: s\n", -1, 0), id="no-body"),
        pytest.param(b"\nbody only\n", (b"", 1, 2), id="no-headers"),
        pytest.param(b"From: a@x\nSubject: s\n \tfolded\n\n\nbody\n",
                     (b"From: a@x\nSubject: s\n \tfolded", 31, 5), id="folded-then-two-blanks"),
    ],
)
def test_split_head(data: bytes, expected: tuple[bytes, int, int]) -> None:
    head, offset, first_line = split_head(data)
    assert (head, offset, first_line) == expected
    if offset > 0 and first_line:
        # The body's first line number really is the line that starts at the offset.
        assert data[:offset].count(b"\n") + 1 == first_line


# -- parsing fields ----------------------------------------------------------------------------


def test_folded_subject_is_unfolded_with_its_line() -> None:
    path = next(SERIES_DIR.glob("v2-0001-*.patch"))
    (patch,) = read_postings(path)
    headers = patch.headers
    assert headers.get("Subject") == (
        "[PATCH v2 1/3] KVM: x86: Return -EINVAL when the TSC frequency cannot be set"
    )
    assert headers.line_of("Subject") == 6
    file_lines = path.read_text().splitlines()
    assert file_lines[patch.raw.source_line(6) - 1].startswith("Subject: [PATCH v2 1/3]")
    assert [field.name for field in headers.fields] == [
        "Message-Id", "In-Reply-To", "References", "From", "Date", "Subject",
    ]


def test_lookup_is_case_insensitive_and_keeps_every_field() -> None:
    headers = Headers.parse(
        "Received: from a by b\n\tid 1\n"
        "Received: from c by d; Mon, 13 Nov 2023 14:42:31 +0000\n"
        "message-id: <x@y>\n"
        "X-Mailer: git-send-email 2.42.0"
    )
    assert headers.get("MESSAGE-ID") == "<x@y>"
    assert headers.get("Message-Id") == headers.get("message-id")
    assert [(h.value, h.line) for h in headers.get_all("received")] == [
        ("from a by b\tid 1", 1),
        ("from c by d; Mon, 13 Nov 2023 14:42:31 +0000", 3),
    ]
    assert headers.get("Subject") is None
    assert headers.get("Subject", "") == ""
    assert headers.line_of("X-Mailer") == 5
    assert headers.line_of("Cc") is None
    assert headers.defects == ()


def test_defects_are_collected_not_raised() -> None:
    headers = Headers.parse(" orphan continuation\nFrom: a@x\nthis is not a header\nSubject: s")
    assert [h.name for h in headers.fields] == ["From", "Subject"]
    assert headers.defects == (
        "line 1: continuation line with no header before it",
        "line 3: not a header field: 'this is not a header'",
    )


def test_space_before_the_colon_is_tolerated() -> None:
    headers = Headers.parse("Subject : [PATCH] x: y\nX-Empty:")
    assert headers.get("subject") == "[PATCH] x: y"
    assert headers.get("X-Empty") == ""


def test_crlf_message_headers() -> None:
    patch = load("crlf.eml")
    assert patch.transport.crlf is True
    assert patch.headers.get("Subject") == "[PATCH v3] KVM: x86: Drop a stale comment about TSC scaling"
    assert not any("\r" in field.value for field in patch.headers.fields)
    assert patch.references == (
        "20231120080144.1207-1-oskar.brandt@example.net",
        "20231121080144.2203-1-oskar.brandt@example.net",
    )
    assert patch.in_reply_to == "20231121080144.2203-1-oskar.brandt@example.net"
    assert patch.headers.line_of("In-Reply-To") == 8


# -- RFC 2047 and 8-bit headers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        pytest.param("=?utf-8?b?6YKT5qGl?= <dengqiao.joey@bytedance.com>",
                     "邓桥 <dengqiao.joey@bytedance.com>", id="utf8-b-chinese"),
        pytest.param("=?UTF-8?q?Philippe_Mathieu-Daud=C3=A9?= <philmd@example.org>",
                     "Philippe Mathieu-Daudé <philmd@example.org>", id="utf8-q-upper"),
        pytest.param("=?iso-8859-1?Q?Fran=E7ois_Lef=E8vre?=", "François Lefèvre", id="latin1-q"),
        pytest.param("=?utf-8?q?=5BPATCH=5D_KVM=3A_x86=3A_Fix_the_?= =?utf-8?q?comment?=",
                     "[PATCH] KVM: x86: Fix the comment", id="adjacent-words-join"),
        pytest.param("Re: =?utf-8?b?5aSN5Yi2?= the patch", "Re: 复制 the patch", id="mixed-plain"),
        pytest.param("[PATCH] x: plain ascii", "[PATCH] x: plain ascii", id="plain"),
        pytest.param("=?x-unknown?q?abc?=", "=?x-unknown?q?abc?=", id="unknown-charset-kept"),
    ],
)
def test_decode_words(raw: str, decoded: str) -> None:
    assert decode_words(raw) == decoded


def test_encoded_sender_and_folded_subject_from_a_file() -> None:
    patch = load("quoted-printable.eml")
    assert patch.sender == Person("François Lefèvre", "francois.lefevre@example.fr")
    assert patch.subject.raw == (
        "[PATCH] KVM: selftests: Fix the TSC tolerance check in tsc_khz_test"
    )
    assert load("base64.eml").sender == Person("Jörg Weiß", "joerg.weiss@example.de")


def test_encoded_subject_word_split_over_a_fold() -> None:
    mail = (
        "From: =?utf-8?b?6YKT5qGl?= <dengqiao.joey@bytedance.com>\n"
        "Subject: =?UTF-8?q?=5BRFC=5D_KVM=3A_X86=3A_implement_Passthrough_IP?=\n"
        " =?UTF-8?q?I_for_guests?=\n"
        "Message-Id: <0109A01C-59D0@bytedance.com>\n\nbody\n"
    )
    p = posting(mail)
    assert p.subject.raw == "[RFC] KVM: X86: implement Passthrough IPI for guests"
    assert p.subject.prefixes == ("RFC",)
    assert p.sender == Person("邓桥", "dengqiao.joey@bytedance.com")


def test_raw_utf8_header_bytes() -> None:
    mail = (
        "From: 邓桥 <dengqiao.joey@bytedance.com>\n"
        "Subject: [PATCH] KVM: x86: 修复注释\n\nbody\n"
    ).encode("utf-8")
    p = posting(mail)
    assert p.sender == Person("邓桥", "dengqiao.joey@bytedance.com")
    assert p.subject.summary == "KVM: x86: 修复注释"


def test_latin1_header_bytes_fall_back() -> None:
    mail = b"From: Fran\xe7ois Lef\xe8vre <francois.lefevre@example.fr>\nSubject: [PATCH] x\n\nbody\n"
    p = posting(mail)
    assert p.error is None
    assert p.sender == Person("François Lefèvre", "francois.lefevre@example.fr")


def test_decode_header_bytes() -> None:
    assert decode_header_bytes("Jörg".encode()) == "Jörg"
    assert decode_header_bytes("Jörg".encode("latin-1")) == "Jörg"


# -- people and ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Sean Christopherson <seanjc@google.com>",
                     Person("Sean Christopherson", "seanjc@google.com"), id="plain"),
        pytest.param('"Borntraeger, Christian" <borntraeger@example.com>',
                     Person("Borntraeger, Christian", "borntraeger@example.com"), id="quoted-comma"),
        pytest.param("<kvm@vger.kernel.org>", Person("", "kvm@vger.kernel.org"), id="address-only"),
        pytest.param("maz@kernel.org (Marc Zyngier)", Person("Marc Zyngier", "maz@kernel.org"),
                     id="comment-name"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_person(value: str, expected: Person | None) -> None:
    assert parse_person(value) == expected


def test_person_str_and_key() -> None:
    person = Person("Marc Zyngier", " MAZ@Kernel.org ")
    assert person.email_key == "maz@kernel.org"
    assert str(Person("Marc Zyngier", "maz@kernel.org")) == "Marc Zyngier <maz@kernel.org>"
    assert str(Person("", "kvm@vger.kernel.org")) == "<kvm@vger.kernel.org>"


def test_parse_people_decodes_names_and_drops_groups_without_address() -> None:
    people = parse_people(
        "Sean Christopherson <seanjc@google.com>,\n"
        " =?utf-8?q?Radim_Kr=C4=8Dm=C3=A1=C5=99?= <rkrcmar@example.com>, kvm@vger.kernel.org,"
        " undisclosed-recipients:;"
    )
    assert people == (
        Person("Sean Christopherson", "seanjc@google.com"),
        Person("Radim Krčmář", "rkrcmar@example.com"),
        Person("", "kvm@vger.kernel.org"),
    )


@pytest.mark.parametrize(
    ("value", "ids"),
    [
        pytest.param("<20231113144210.88123-1-jonas.petersen@example.de>",
                     ("20231113144210.88123-1-jonas.petersen@example.de",), id="one"),
        pytest.param("<a@example.org>\n <b@example.org> <c@example.org>",
                     ("a@example.org", "b@example.org", "c@example.org"), id="references-chain"),
        pytest.param("<a@example.org> (Sean Christopherson's message of \"Tue, 14 Nov\")",
                     ("a@example.org",), id="with-comment"),
        pytest.param("a@example.org", ("a@example.org",), id="bare"),
        pytest.param("not an id at all", (), id="prose"),
        pytest.param("", (), id="empty"),
        pytest.param(None, (), id="missing"),
    ],
)
def test_message_ids(value: str | None, ids: tuple[str, ...]) -> None:
    assert message_ids(value) == ids


def test_threading_headers_of_a_reply_in_an_archive() -> None:
    raws = read_postings(MODEL_DATA / "lore-thread.mboxrd")
    patch, reply, answer = raws
    assert patch.message_id == "20231113144210.88123-1-jonas.petersen@example.de"
    assert patch.in_reply_to is None and patch.references == ()
    assert reply.in_reply_to == patch.message_id
    assert answer.references == (patch.message_id, reply.message_id)
    assert answer.in_reply_to == reply.message_id
    assert str(patch.date) == "2023-11-13 15:42:10+01:00"
    assert [person.email for person in parse_people(answer.headers.get("To") or "")] == [
        "borntraeger@example.com", "jonas.petersen@example.de", "kvm@vger.kernel.org",
    ]
