"""The Posting: kind, identity, lazily parsed parts and the JSON form ``patchlint show`` prints."""

from __future__ import annotations

import json

import pytest

from model_helpers import (
    DEFAULT_MESSAGE,
    MODEL_DATA,
    SEEDS,
    SERIES_DIR,
    load,
    patch_mail,
    posting,
    read_postings,
)
from patchlint.model.headers import Person
from patchlint.model.message import RawMessage
from patchlint.model.posting import Kind, Posting

# -- kind --------------------------------------------------------------------------------------

KIND_CASES = [
    pytest.param("[PATCH v2 1/3] KVM: x86: one", True, Kind.PATCH, id="numbered-patch"),
    pytest.param("[PATCH] KVM: x86: one", True, Kind.PATCH, id="single-patch"),
    pytest.param("[RFC] KVM: X86: implement Passthrough IPI", True, Kind.PATCH, id="rfc-only"),
    pytest.param("[PULL 03/10] target/arm: one", True, Kind.PATCH, id="qemu-pull-patch"),
    pytest.param("[PATCH v2 0/3] KVM: x86: cover", False, Kind.COVER, id="cover"),
    pytest.param("[RFC PATCH v8 00/19] virtio/vsock: cover", False, Kind.COVER, id="padded-cover"),
    pytest.param("[GIT PULL] KVM/arm64 fixes for 5.9", False, Kind.PULL, id="git-pull"),
    pytest.param("[PULL 00/10] target-arm queue", False, Kind.PULL, id="qemu-pull-cover"),
    pytest.param("Re: [PATCH v2 1/3] KVM: x86: one", True, Kind.REPLY, id="reply-quoting-a-diff"),
    pytest.param("[LTP] Re: [PATCH] syscalls: one", False, Kind.REPLY, id="reply-behind-list-tag"),
    pytest.param("KVM: x86: no prefix at all", True, Kind.PATCH, id="no-prefix-with-diff"),
    pytest.param("KVM Forum 2024: call for presentations", False, Kind.OTHER, id="announcement"),
    pytest.param("[ANNOUNCE] kvm-unit-tests release", False, Kind.OTHER, id="bracketed-announcement"),
    # A maintainer's record of what was pushed (LTP, GCC, binutils): not a submission.
    pytest.param("[LTP] [COMMITTED] [PATCH] ioctl01: Fix compilation", True, Kind.REPORT, id="committed-tag"),
    pytest.param("[LTP] [PATCH COMMITTED 1/1] ioctl01: cleanup", True, Kind.REPORT, id="committed-word"),
    pytest.param("[LTP] [PUSHED] zram01.sh: Workaround division by 0", True, Kind.REPORT, id="pushed-no-patch"),
    pytest.param("[committed] libstdc++: Fix std::format", True, Kind.REPORT, id="gcc-committed"),
    pytest.param("[PATCH] pushed: report the pushed refs", True, Kind.PATCH, id="pushed-in-the-summary"),
]


@pytest.mark.parametrize(("subject", "with_diff", "kind"), KIND_CASES)
def test_kind(subject: str, with_diff: bool, kind: Kind) -> None:
    mail = patch_mail(subject, message_id="kind@example.org", **({} if with_diff else {"diff": ""}))
    p = posting(mail)
    assert p.kind is kind
    assert p.is_posting is (kind in (Kind.PATCH, Kind.COVER, Kind.PULL))


@pytest.mark.parametrize(
    ("sign_off", "kind"),
    [pytest.param(True, Kind.PATCH, id="signed-off"), pytest.param(False, Kind.REPORT, id="bug-report")],
)
def test_kind_of_a_unified_diff_without_git_header(sign_off: bool, kind: Kind) -> None:
    """Without [PATCH], a signed-off diff is a patch; an unsigned one suggests a change in a report."""
    signed = "Signed-off-by: Imre Varga <imre.varga@example.com>\n" if sign_off else ""
    mail = (
        "From: Imre Varga <imre.varga@example.com>\nSubject: tsc_demo: fix the ratio\n\n"
        f"Fix.\n\n{signed}--- a/tsc_demo.c\n+++ b/tsc_demo.c\n@@ -1 +1 @@\n-a\n+b\n"
    )
    assert posting(mail).kind is kind


# Mails that look like patches by their subject and are not, and the other way round, each
# modelled on a kind of mail found on real lists (the reason says which).
REVIEW = "Would a lockdep assertion not say the same?\n\nThanks,\nOskar\n"
QUOTING = (
    "On Tue, Nov 14, 2023 at 10:21:05AM +0100, Mara Lindqvist wrote:\n"
    "> The helper is only called with the vCPU loaded; say so with a lockdep\n"
    "> assertion instead of a comment that nobody reads.\n\n" + REVIEW
)
COVER_BODY = (
    "Two fixes for the TSC scaling code.\n\nMara Lindqvist (3):\n"
    "  KVM: x86: one\n  KVM: x86: two\n  KVM: x86: three\n\n"
    " arch/x86/kvm/x86.c | 3 +++\n 1 file changed, 3 insertions(+)\n\n"
)
SUGGESTED = (
    "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n"
)
SHAPE_CASES = [
    pytest.param("[PATCH v2 3/3] KVM: x86: three", QUOTING, "", True, Kind.REPLY, "lost its 'Re:'",
                 id="review-reply-sent-with-in-reply-to"),
    pytest.param("[PATCH v2 3/3] KVM: x86: three", REVIEW, "", True, Kind.REPLY, "lost its 'Re:'",
                 id="unquoted-answer-with-the-patch-subject"),
    pytest.param("[PATCH v2 3/3] KVM: x86: three", QUOTING, SUGGESTED, True, Kind.REPLY, "suggests a diff",
                 id="answer-suggesting-a-diff"),
    pytest.param("[PATCH v2 2/3] KVM: x86: cover", COVER_BODY, "", False, Kind.COVER, "numbered 2/3",
                 id="misnumbered-cover"),
    pytest.param("[PATCH v2 1/3] KVM: x86: cover", COVER_BODY, "", True, Kind.COVER, "numbered 1/3",
                 id="misnumbered-cover-answering-v1"),
    pytest.param("[RFC] KVM: x86: should the TSC code be split?", REVIEW, "", False, Kind.OTHER,
                 "a question", id="question-under-rfc"),
    pytest.param("[kvm-x86:next 4/9] arch/x86/kvm/x86.c:30:6: warning: unused variable 'x'",
                 "kernel test robot noticed the following build warnings:\n\n", SUGGESTED, False,
                 Kind.REPORT, "robot", id="build-robot-report"),
    pytest.param("[linux-next:master] BUILD REGRESSION 0123abcd", "Build summary.\n", "", False,
                 Kind.REPORT, "robot", id="build-status"),
    pytest.param('FAILED: patch "[PATCH] KVM: x86: one" failed to apply to 6.1-stable tree',
                 "The patch below does not apply.\n\n" + DEFAULT_MESSAGE, SUGGESTED, False,
                 Kind.REPORT, "notice", id="stable-failed-notice"),
    pytest.param('Patch "KVM: x86: one" has been added to the 6.6-stable tree',
                 "This is a note to let you know.\n\n" + DEFAULT_MESSAGE, SUGGESTED, False,
                 Kind.REPORT, "notice", id="stable-added-notice"),
    pytest.param("PROBLEM: KVM: x86: TSC scaling breaks migration",
                 "Steps to reproduce below.\n\nFrom 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 "
                 "00:00:00 2001\nSubject: [PATCH] KVM: x86: one\n\n" + DEFAULT_MESSAGE, SUGGESTED, False,
                 Kind.REPORT, "pasted", id="bug-report-with-a-pasted-patch"),
    pytest.param("nft: inverted port matches are merged into one compare",
                 "Hi,\n\nthe ruleset below matches packets it should not:\n\n"
                 "# Warning: the legacy tables are present too\n\nThe patch below fixes it:\n\n"
                 "Author: Imre Varga <imre.varga@example.com>\nDate:   Fri Mar 8 10:06:30 2024 -0800\n\n"
                 "nft: do not merge inverted port matches\n\n"
                 "Signed-off-by: Imre Varga <imre.varga@example.com>\n\n", SUGGESTED, False,
                 Kind.REPORT, "git log or git show output", id="bug-report-with-git-show-output-pasted"),
]


@pytest.mark.parametrize(("subject", "message", "diff", "answers", "kind", "reason"), SHAPE_CASES)
def test_kind_from_the_body(subject: str, message: str, diff: str, answers: bool, kind: Kind, reason: str) -> None:
    """The kind is decided once, in the model, with the reason ``patchlint show`` prints."""
    p = posting(patch_mail(subject, message_id="k@example.org", message=message, diff="",
                           in_reply_to="v2p3@example.org" if answers else None) .replace("-- \n", diff + "-- \n", 1))
    assert p.kind is kind, p.classification
    assert reason in p.classification.reason
    assert p.to_json()["kind_reason"] == p.classification.reason
    assert p.is_commit is False
    assert p.classification.lost_reply_prefix is (reason == "lost its 'Re:'" or reason == "suggests a diff")


@pytest.mark.parametrize(
    ("message", "upstream"),
    [
        pytest.param("[ Upstream commit 2ece0930ac5662bccce0ba4c59b84c98d2437200 ]\n\nAdd the IDs.\n\n",
                     "2ece0930ac5662bccce0ba4c59b84c98d2437200", id="autosel"),
        pytest.param("commit 2ece0930ac56 upstream.\n\nAdd the IDs.\n\n", "2ece0930ac56", id="stable-review"),
        pytest.param("Add the IDs.\n\nAs commit 2ece0930ac56 upstream did.\n\n", None, id="in-prose"),
        pytest.param(DEFAULT_MESSAGE, None, id="not-a-backport"),
    ],
)
def test_upstream_commit_of_a_stable_backport(message: str, upstream: str | None) -> None:
    """The line a backport opens with names the upstream commit; one in the prose does not."""
    p = posting(patch_mail("[PATCH AUTOSEL 6.1 01/12] i2c: designware-pci: Add new PCI IDs",
                           message_id="b@example.org", message="From: Ana Example <ana@example.org>\n\n"
                           + message + "Signed-off-by: Ana Example <ana@example.org>\n"))
    assert p.kind is Kind.PATCH
    assert p.upstream_commit == upstream
    assert p.to_json()["upstream_commit"] == upstream


def test_a_patch_whose_diff_was_lost_is_still_a_patch() -> None:
    """Shaped like git format-patch output (a sign-off, '---'): empty-patch judges it."""
    p = posting(patch_mail("[PATCH 2/3] KVM: x86: two", message_id="e@example.org", stat="", diff="\n"))
    assert p.kind is Kind.PATCH and p.is_commit


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param(b"", "unparseable: empty message", id="empty"),
        pytest.param(b"\n\n  \n", "unparseable: empty message", id="blank"),
        pytest.param(b"Hello,\n\nthis was pasted without headers.\n",
                     "unparseable: no header fields (it starts with 'Hello,')", id="no-headers"),
        pytest.param(b"X-Mailer: git-send-email 2.43.0\nMIME-Version: 1.0\n\nbody\n",
                     "unparseable: neither a From: nor a Subject: header", id="no-from-no-subject"),
    ],
)
def test_unparseable(data: bytes, error: str) -> None:
    p = posting(data)
    assert p.error == error
    assert p.kind is Kind.UNPARSEABLE
    assert p.is_posting is False


def test_reader_error_wins() -> None:
    raw = RawMessage("a.mbox", 3, b"From: a@x\nSubject: s\n\n", error="cannot read: Input/output error")
    p = Posting(raw)
    assert p.error == "cannot read: Input/output error"
    assert p.kind is Kind.UNPARSEABLE


def test_kind_str() -> None:
    assert str(Kind.PULL) == "pull-request"
    assert [str(k) for k in Kind] == ["patch", "cover", "pull-request", "reply", "report", "other", "unparseable"]


# -- identity: sender, author, dates, ids --------------------------------------------------------


def test_author_from_inbody_from_and_summary_from_inbody_subject() -> None:
    p = load("inbody-from-stable.patch")
    assert p.sender == Person("Mara Lindqvist", "mara.lindqvist@example.org")
    assert p.author == Person("Imre Varga", "imre.varga@example.com")
    assert p.subject.prefixes == ("PATCH", "6.6.y")
    assert p.commit_summary == "KVM: x86: Return -EINVAL when the TSC frequency cannot be set"


def test_author_is_the_sender_without_inbody_from() -> None:
    p = read_postings(next(SERIES_DIR.glob("v2-0002-*.patch")))[0]
    assert p.author == p.sender == Person("Mara Lindqvist", "mara.lindqvist@example.org")
    assert p.commit_summary == "KVM: x86: Move the LAPIC timer helpers to lapic_timer.c"


def test_encoded_inbody_from_and_subject() -> None:
    mail = patch_mail(
        "[PATCH] KVM: x86: Forwarded",
        message_id="fwd@example.org",
        message="From: =?UTF-8?q?J=C3=B6rg_Wei=C3=9F?= <joerg.weiss@example.de>\n"
        "Subject: =?UTF-8?q?=5BPATCH=5D_KVM=3A_x86=3A_Fix_the_caf=C3=A9_comment?=\n\n"
        "Fix it.\n\nSigned-off-by: Jörg Weiß <joerg.weiss@example.de>\n",
    )
    p = posting(mail)
    assert p.author == Person("Jörg Weiß", "joerg.weiss@example.de")
    assert p.commit_summary == "KVM: x86: Fix the café comment"


def test_inbody_from_without_an_address_falls_back_to_the_sender() -> None:
    mail = patch_mail("[PATCH] x: y", message_id="a@x", message="From: the maintainer\n\nText.\n")
    assert posting(mail).author == posting(mail).sender


@pytest.mark.parametrize(
    ("date", "iso"),
    [
        pytest.param("Tue, 14 Nov 2023 10:21:05 +0100", "2023-11-14T10:21:05+01:00", id="rfc2822"),
        pytest.param("Fri,  4 Sep 2020 11:45:22 +0100", "2020-09-04T11:45:22+01:00", id="double-space"),
        pytest.param("Tue, 14 Nov 2023 10:21:05 +0100 (CET)", "2023-11-14T10:21:05+01:00", id="zone-comment"),
        pytest.param("Tue, 14 Nov 2023 10:21:05", None, id="no-zone"),
        pytest.param("Tue, 14 Nov 2023 10:21:05 -0000", None, id="unknown-zone"),
        pytest.param("yesterday", None, id="garbage"),
    ],
)
def test_date(date: str, iso: str | None) -> None:
    p = posting(patch_mail("[PATCH] x: y", message_id="d@x", date=date))
    assert (p.date.isoformat() if p.date else None) == iso


def test_missing_headers() -> None:
    p = posting("From: Imre Varga <imre.varga@example.com>\n\nno subject, no id\n")
    assert p.error is None
    assert (p.message_id, p.in_reply_to, p.references, p.date) == (None, None, (), None)
    assert p.subject.raw == ""
    assert p.line_of_header("Subject") == 1
    assert p.line_of_header("From") == 1


def test_in_reply_to_takes_the_last_id() -> None:
    p = posting("From: a@x\nSubject: Re: x\nIn-Reply-To: <a@x> <b@x>\n\nbody\n")
    assert p.in_reply_to == "b@x"


def test_seed_identities() -> None:
    pull = [p for p in read_postings(SEEDS / "004_271b2fddaf384f67.txt") if p.kind is Kind.PULL]
    (request,) = pull
    assert request.sender == Person("Marc Zyngier", "maz@kernel.org")
    assert request.message_id == "20200904104530.1082676-1-maz@kernel.org"
    assert request.date is not None and request.date.isoformat() == "2020-09-04T11:45:21+01:00"


# -- where it was sent: lists and recipients ---------------------------------------------------

# Header blocks modelled on real deliveries: Mailman 2 (display name), new vger (bare id in
# brackets), old vger (``List-ID``), a folded Mailman List-Id, pr-tracker-bot's quoted id.
LIST_ID_CASES = [
    pytest.param("List-Id: Linux Test Project <ltp.lists.linux.it>\n", ("ltp.lists.linux.it",),
                 id="mailman-display-name"),
    pytest.param("List-Id: <netfilter-devel.vger.kernel.org>\n", ("netfilter-devel.vger.kernel.org",),
                 id="vger-bare"),
    pytest.param("List-ID: <linux-i2c.vger.kernel.org>\n", ("linux-i2c.vger.kernel.org",),
                 id="old-vger-capitalised"),
    pytest.param("List-Id: Direct Rendering Infrastructure - Development\n"
                 " <dri-devel.lists.freedesktop.org>\n", ("dri-devel.lists.freedesktop.org",),
                 id="folded"),
    pytest.param("List-Id: <Linux-I2C.vger.kernel.org>\n", ("linux-i2c.vger.kernel.org",),
                 id="upper-case-id"),
    pytest.param("List-Id: u-boot.lists.denx.de\n", ("u-boot.lists.denx.de",), id="no-brackets"),
    pytest.param("X-PR-Tracked-List-Id: <fstests.vger.kernel.org>\n", (), id="pr-tracker-is-not-a-list"),
    pytest.param("List-Id: just some words\n", (), id="no-identifier"),
    pytest.param("", (), id="none"),
]


@pytest.mark.parametrize(("headers", "ids"), LIST_ID_CASES)
def test_list_ids(headers: str, ids: tuple[str, ...]) -> None:
    mail = patch_mail("[PATCH] i2c: one", message_id="lists@example.org", extra_headers=headers)
    assert posting(mail).list_ids == ids


def test_recipients_are_to_then_cc_in_order_each_once() -> None:
    headers = (
        "To: netfilter-devel@vger.kernel.org,\n =?utf-8?q?Bj=C3=B6rn_T?= <bjorn@example.org>\n"
        "Cc: netdev@vger.kernel.org, Pablo <pablo@example.org>\n"
        "Cc: NETDEV@vger.kernel.org, lkml <linux-kernel@vger.kernel.org>\n"
    )
    mail = patch_mail("[PATCH nf] netfilter: one", message_id="to@example.org", extra_headers=headers)
    people = posting(mail).recipients
    assert [p.email for p in people] == [
        "netfilter-devel@vger.kernel.org", "bjorn@example.org", "netdev@vger.kernel.org",
        "pablo@example.org", "linux-kernel@vger.kernel.org",
    ]
    assert people[1] == Person("Björn T", "bjorn@example.org")


def test_no_recipients() -> None:
    assert posting(patch_mail("[PATCH] one", message_id="none@example.org")).recipients == ()


# -- lazy parsing ------------------------------------------------------------------------------


def test_a_reply_is_classified_from_its_headers_alone() -> None:
    reply = read_postings(MODEL_DATA / "lore-thread.mboxrd")[1]
    assert reply.kind is Kind.REPLY
    assert reply.subject.summary == "KVM: s390: Correct the comment on interrupt injection"
    assert reply.message_id == "5b1f0e3c-77aa-4c2e-9d11-0c2f7e1a9b31@example.com"
    state = reply.__dict__
    assert "headers" in state
    assert "_decoded" not in state
    assert "body" not in state
    assert "diff" not in state


def test_a_patch_decodes_its_body_only_when_asked() -> None:
    patch = load("quoted-printable.eml")
    assert patch.kind is Kind.PATCH
    assert "_decoded" not in patch.__dict__
    assert patch.trailers.values("Signed-off-by")
    assert "_decoded" in patch.__dict__ and "body" in patch.__dict__
    # The diff is parsed on its own, later still.
    assert "diff" not in patch.__dict__
    assert patch.diff is not None
    assert "diff" in patch.__dict__


def test_parsed_parts_are_kept() -> None:
    patch = load("base64.eml")
    assert patch.body is patch.body
    assert patch.diff is patch.diff
    assert patch.transport is patch.transport


# -- JSON --------------------------------------------------------------------------------------

DOCUMENTED_KEYS = {
    "source", "index", "line", "error", "message_id", "in_reply_to", "kind", "kind_reason", "subject", "author",
    "sender", "date", "trailers", "diffstat", "diff", "changelog", "transport", "upstream_commit",
    "delivery",
}


def test_to_json_of_a_patch() -> None:
    path = next(SERIES_DIR.glob("v2-0001-*.patch"))
    record = read_postings(path)[0].to_json()
    assert set(record) == DOCUMENTED_KEYS
    assert record["source"] == str(path)
    assert (record["index"], record["line"], record["error"]) == (0, 2, None)
    assert record["message_id"] == (
        "c6046785cec252f923bbf1bc057c42cad02d5393.1699953665.git.mara.lindqvist@example.org"
    )
    assert record["in_reply_to"] == "cover.1699953665.git.mara.lindqvist@example.org"
    assert record["kind"] == "patch"
    subject = record["subject"]
    assert isinstance(subject, dict)
    assert {k: subject[k] for k in ("prefixes", "version", "counter", "total", "summary")} == {
        "prefixes": ["PATCH"],
        "version": 2,
        "counter": 1,
        "total": 3,
        "summary": "KVM: x86: Return -EINVAL when the TSC frequency cannot be set",
    }
    assert record["author"] == {"name": "Mara Lindqvist", "email": "mara.lindqvist@example.org"}
    assert record["sender"] == record["author"]
    assert record["date"] == "2023-11-14T10:21:05+01:00"
    assert record["trailers"] == [
        ["Fixes", '92a1f12d2598 ("KVM: x86: Add KVM_SET_TSC_KHZ ioctl")'],
        ["Reported-by", "Imre Varga <imre.varga@example.com>"],
        ["Closes", "https://lore.kernel.org/kvm/20231101100000.1234-1-imre.varga@example.com"],
        ["Reviewed-by", "Oskar Brandt <oskar.brandt@example.net>"],
        ["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"],
    ]
    assert record["diffstat"] == {
        "files": [["Documentation/virt/kvm/api.rst", 2], ["arch/x86/kvm/x86.c", 4]],
        "summary": [2, 3, 3],
    }
    assert record["diff"] == {
        "files": [["Documentation/virt/kvm/api.rst", 1, 1], ["arch/x86/kvm/x86.c", 2, 2]],
        "error": None,
    }
    assert record["changelog"] == [[2, "v1 -> v2:"]]
    assert record["transport"]["transfer_encoding"] == "7bit"  # type: ignore[index]
    json.dumps(record)  # plain JSON types only


def test_to_json_of_a_cover_letter_and_a_reply() -> None:
    cover = read_postings(SERIES_DIR / "v2-0000-cover-letter.patch")[0].to_json()
    assert cover["kind"] == "cover"
    assert cover["diff"] is None
    assert cover["diffstat"]["summary"] == [4, 27, 3]  # type: ignore[index]
    assert cover["trailers"] == []
    reply = read_postings(MODEL_DATA / "lore-thread.mboxrd")[1].to_json()
    assert set(reply) == DOCUMENTED_KEYS
    assert reply["kind"] == "reply"
    assert reply["diffstat"] is None and reply["diff"] is None
    assert reply["subject"]["reply"] == "Re:"  # type: ignore[index]
    assert reply["trailers"] == [["Reviewed-by", "Christian Borntraeger <borntraeger@example.com>"]]
    assert reply["transport"]["format_flowed"] is True  # type: ignore[index]


def test_to_json_of_an_unparseable_message() -> None:
    error = "unparseable: empty file, no message in it"
    record = Posting(RawMessage("inbox/notes.txt", 0, b"", error=error)).to_json()
    assert set(record) >= DOCUMENTED_KEYS - {"in_reply_to"}
    assert record["kind"] == "unparseable"
    assert record["error"] == "unparseable: empty file, no message in it"
    assert [record[key] for key in ("subject", "author", "diffstat", "diff")] == [None] * 4
    assert record["trailers"] == [] and record["changelog"] == []
    json.dumps(record)


def test_every_seed_serialises() -> None:
    for p in read_postings(SEEDS):
        record = p.to_json()
        assert record["error"] is None
        assert record["kind"] in ("cover", "patch", "pull-request")
        json.dumps(record)


# A stable-review posting as the stable queue sends it (names and ids made up): the preamble,
# a line of dashes, the author's From:, the upstream commit message.
STABLE_REVIEW = """\
From: Greg Kroah-Hartman <gregkh@linuxfoundation.example>
To: stable@vger.kernel.org
Date: Thu, 13 Jun 2024 13:33:29 +0200
Message-Id: <20240613113227.123456789@linuxfoundation.example>
Subject: [PATCH 6.1 012/085] netfilter: ipset: fix a race between namespace cleanup and gc

6.1-stable review patch.  If anyone has any objections, please let me know.

------------------

From: Jozsef Kadlec <kadlec@netfilter.example>

[ Upstream commit 4e7aaa6b82d63e8ddcbfb56b4fd3d014ca586f10 ]

Fix the race between the gc and the cleanup of the namespace.

Signed-off-by: Jozsef Kadlec <kadlec@netfilter.example>
Signed-off-by: Sasha Levin <sashal@kernel.example>
Signed-off-by: Greg Kroah-Hartman <gregkh@linuxfoundation.example>
---
 README | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/README b/README
--- a/README
+++ b/README
@@ -1 +1 @@
-base
+next
"""


def test_the_stable_preamble_names_the_author_for_show_and_rules() -> None:
    from patchlint.model.commitlog import CommitLog

    mail = posting(STABLE_REVIEW)
    jozsef = Person("Jozsef Kadlec", "kadlec@netfilter.example")
    assert mail.author == jozsef
    assert mail.to_json()["author"] == {"name": "Jozsef Kadlec", "email": "kadlec@netfilter.example"}
    assert mail.to_json()["sender"]["email"] == "gregkh@linuxfoundation.example"
    log = CommitLog.of(mail)
    assert (log.author, log.sender) == (jozsef, mail.sender)
    # The commit message starts after the preamble and its From: line.
    assert mail.body.lines[log.start].startswith("[ Upstream commit")
    start, author = mail.stable_preamble
    assert (start, author) == (log.start, jozsef)


def test_a_stable_preamble_needs_its_from_line() -> None:
    mail = posting(STABLE_REVIEW.replace("From: Jozsef Kadlec <kadlec@netfilter.example>\n\n", ""))
    assert mail.stable_preamble is None
    assert mail.author == mail.sender


def test_a_dmarc_rewritten_sender_is_one_answer() -> None:
    """Mailman's from_is_list: 'Jane via list' in From:, Jane in X-Original-From:. show's author
    and sender and the rules' are the same person."""
    from patchlint.model.commitlog import CommitLog

    mail = posting(patch_mail(
        "[PATCH] lib: check the commands strictly",
        message_id="20231120-8@example.org",
        sender='"Jane Doe via dev-list" <dev-list@lists.example.org>',
        extra_headers="X-Original-From: Jane Doe <jane@example.org>\n",
    ))
    jane = Person("Jane Doe", "jane@example.org")
    assert (mail.author, mail.original_sender) == (jane, jane)
    assert mail.to_json()["author"] == mail.to_json()["sender"] == {"name": "Jane Doe", "email": "jane@example.org"}
    log = CommitLog.of(mail)
    assert (log.author, log.sender) == (jane, jane)


def test_git_log_output_pasted_in_a_report_is_not_the_commit_git_am_makes(tmp_path) -> None:
    """git mailinfo takes no 'Author:' line as an in-body header: it would commit the report's
    prose, greeting and quoted output included, with the pasted commit inside it. That text is
    not a commit message, so no commit rule judges it (the mail is a report)."""
    import subprocess

    from git_helpers import GIT_ENV
    from paths import RULE_EXAMPLES

    path = RULE_EXAMPLES / "dropped-commit-lines" / "good-bug-report-with-pasted-commit.eml"
    subprocess.run(
        ["git", "mailinfo", str(tmp_path / "msg"), str(tmp_path / "patch")], stdin=path.open("rb"),
        capture_output=True, check=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
    )
    message = (tmp_path / "msg").read_text()
    assert message.startswith("Hi,\n") and "\nAuthor: Imre Varga <imre.varga@example.com>\n" in message
    (p,) = read_postings(path)
    assert p.kind is Kind.REPORT and not p.is_commit


def test_quoted_tool_output_is_not_prose() -> None:
    """A diagnostic and the lines after it (compilers wrap nothing), a command at a prompt and
    its output, a line ending in a warning option: quoted output, to the blank line."""
    from patchlint.model.commitlog import CommitLog

    message = (
        "clang 16 rejects the call:\n\n"
        "rpc_demo.c:72:4: error: incompatible function pointer types passing\n"
        "'bool_t (XDR *, int *)' to parameter of type 'xdrproc_t'\n\n"
        "The docs fail too:\n\n"
        "$ make -C metadata\n"
        "compilation error: file /etc/asciidoc/docbook-xsl/xhtml.xsl line 12 element import\n\n"
        "gcc agrees: passing argument 5 of 'registerrpc' from incompatible pointer type [-Wincompatible-pointer-types]\n"
        "Cast the filters.\n\n"
        "Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>\n"
    )
    p = posting(patch_mail("[PATCH] rpc: cast the XDR filters", message_id="t@example.org", message=message))
    log = CommitLog.of(p)
    quoted = {log.lines[i] for i in log.tool_output_lines}
    assert quoted == {
        "rpc_demo.c:72:4: error: incompatible function pointer types passing",
        "'bool_t (XDR *, int *)' to parameter of type 'xdrproc_t'",
        "$ make -C metadata",
        "compilation error: file /etc/asciidoc/docbook-xsl/xhtml.xsl line 12 element import",
        "gcc agrees: passing argument 5 of 'registerrpc' from incompatible pointer type [-Wincompatible-pointer-types]",
    }
    prose = {log.lines[i] for i in log.prose()}
    assert {"clang 16 rejects the call:", "The docs fail too:", "Cast the filters."} <= prose
    assert not prose & quoted
