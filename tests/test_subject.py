"""Subject lines: reply markers, list tags, prefix words, version, counter and summary."""

from __future__ import annotations

import pytest

from patchlint.model.subject import parse_subject

# Each row: subject, then the fields expected (reply marker, list tags, prefixes, version, counter,
# total, summary).
CASES = [
    pytest.param("[PATCH] KVM: SVM: Add tracepoint for cr_interception",
                 "", (), ("PATCH",), None, None, None,
                 "KVM: SVM: Add tracepoint for cr_interception", id="plain-patch"),
    pytest.param("[PATCHv2] vfio/pci: Fix the BAR sizing",
                 "", (), ("PATCH",), 2, None, None, "vfio/pci: Fix the BAR sizing", id="PATCHv2-glued"),
    pytest.param("[PATCH-v4] vfio/pci: Fix the BAR sizing",
                 "", (), ("PATCH",), 4, None, None, "vfio/pci: Fix the BAR sizing", id="PATCH-v4-dash"),
    pytest.param("[PATCH v2,3/7] KVM: arm64: Drop the vgic lock",
                 "", (), ("PATCH",), 2, 3, 7, "KVM: arm64: Drop the vgic lock", id="comma-separated"),
    pytest.param("[Patch v3 0/2] cgroup: KVM: New Encryption IDs cgroup controller",
                 "", (), ("Patch",), 3, 0, 2, "cgroup: KVM: New Encryption IDs cgroup controller",
                 id="Patch-capitalised-cover"),
    pytest.param("[RFC PATCH v8 00/19] virtio/vsock: introduce SOCK_SEQPACKET support",
                 "", (), ("RFC", "PATCH"), 8, 0, 19,
                 "virtio/vsock: introduce SOCK_SEQPACKET support", id="rfc-v8-padded-cover"),
    pytest.param("[RFCv3 PATCH 2/2] KVM: x86: Tweak the hypercall page",
                 "", (), ("RFC", "PATCH"), 3, 2, 2, "KVM: x86: Tweak the hypercall page", id="RFCv3-glued"),
    pytest.param("[PATCH RESEND v2] KVM: x86: Fix a comment",
                 "", (), ("PATCH", "RESEND"), 2, None, None, "KVM: x86: Fix a comment", id="resend"),
    pytest.param("[PATCH net-next v3 02/15] net: stmmac: Add the TBS offload",
                 "", (), ("PATCH", "net-next"), 3, 2, 15, "net: stmmac: Add the TBS offload",
                 id="net-next-tree-word"),
    pytest.param("[PATCH bpf] bpf: Fix a verifier bug",
                 "", (), ("PATCH", "bpf"), None, None, None, "bpf: Fix a verifier bug", id="bpf-tree"),
    pytest.param("[PATCH 5.10 012/130] KVM: x86: Fix an SRCU leak",
                 "", (), ("PATCH", "5.10"), None, 12, 130, "KVM: x86: Fix an SRCU leak",
                 id="stable-review"),
    pytest.param("[qemu-web PATCH] Add a blog post about TCG plugins",
                 "", (), ("qemu-web", "PATCH"), None, None, None,
                 "Add a blog post about TCG plugins", id="project-word-first"),
    pytest.param("[PATCH v2 2/3] [RESEND] KVM: x86: Fix a comment",
                 "", (), ("PATCH", "RESEND"), 2, 2, 3, "KVM: x86: Fix a comment", id="two-groups"),
    pytest.param("[GIT PULL] KVM/arm64 fixes for 5.9",
                 "", (), ("GIT PULL",), None, None, None, "KVM/arm64 fixes for 5.9", id="git-pull"),
    pytest.param("[PULL 03/10] target/arm: Fix the SVE width",
                 "", (), ("PULL",), None, 3, 10, "target/arm: Fix the SVE width", id="qemu-pull-patch"),
    pytest.param("[PULL 00/10] target-arm queue",
                 "", (), ("PULL",), None, 0, 10, "target-arm queue", id="qemu-pull-cover"),
    pytest.param("Re: [PATCH] KVM: s390: Correct a comment",
                 "Re: ", (), ("PATCH",), None, None, None, "KVM: s390: Correct a comment", id="Re"),
    pytest.param("RE: [PATCH v2 1/3] vfio: Add a helper",
                 "RE: ", (), ("PATCH",), 2, 1, 3, "vfio: Add a helper", id="RE-outlook"),
    pytest.param("AW: [PATCH] KVM: s390: Correct a comment",
                 "AW: ", (), ("PATCH",), None, None, None, "KVM: s390: Correct a comment", id="AW-german"),
    pytest.param("Fwd: [PATCH] KVM: s390: Correct a comment",
                 "Fwd: ", (), ("PATCH",), None, None, None, "KVM: s390: Correct a comment", id="Fwd"),
    pytest.param("答复: [PATCH] KVM: x86: Fix a typo",
                 "答复: ", (), ("PATCH",), None, None, None, "KVM: x86: Fix a typo", id="chinese-reply"),
    pytest.param("回复：[PATCH] KVM: x86: Fix a typo",
                 "回复：", (), ("PATCH",), None, None, None, "KVM: x86: Fix a typo",
                 id="chinese-reply-fullwidth-colon"),
    pytest.param("Re[2]: [PATCH] KVM: x86: Fix a typo",
                 "Re[2]: ", (), ("PATCH",), None, None, None, "KVM: x86: Fix a typo", id="Re-counted"),
    pytest.param("Re: Re: [PATCH] KVM: x86: Fix a typo",
                 "Re: Re: ", (), ("PATCH",), None, None, None, "KVM: x86: Fix a typo", id="Re-Re"),
    pytest.param("[LTP] Re: [PATCH] syscalls/ioctl: Add a test",
                 "Re: ", ("LTP",), ("PATCH",), None, None, None, "syscalls/ioctl: Add a test",
                 id="reply-behind-list-tag"),
    pytest.param("Re: [LTP] [PATCH] syscalls/ioctl: Add a test",
                 "Re: ", ("LTP",), ("PATCH",), None, None, None, "syscalls/ioctl: Add a test",
                 id="reply-before-list-tag"),
    pytest.param("[dpdk-dev] [PATCH v5 3/4] net/ice: Fix the RSS hash",
                 "", ("dpdk-dev",), ("PATCH",), 5, 3, 4, "net/ice: Fix the RSS hash", id="list-tag"),
    pytest.param("KVM: x86: Drop the unused parameter",
                 "", (), (), None, None, None, "KVM: x86: Drop the unused parameter", id="no-prefix"),
    pytest.param("[PATCH v2 1/3 KVM: x86: unclosed bracket",
                 "", (), (), None, None, None, "[PATCH v2 1/3 KVM: x86: unclosed bracket",
                 id="unclosed-bracket"),
    pytest.param("  [PATCH]   KVM: x86: Spaces  ",
                 "", (), ("PATCH",), None, None, None, "KVM: x86: Spaces", id="surrounding-space"),
    pytest.param("", "", (), (), None, None, None, "", id="empty"),
]


@pytest.mark.parametrize(
    ("raw", "reply", "tags", "prefixes", "version", "counter", "total", "summary"), CASES
)
def test_parse_subject(
    raw: str,
    reply: str,
    tags: tuple[str, ...],
    prefixes: tuple[str, ...],
    version: int | None,
    counter: int | None,
    total: int | None,
    summary: str,
) -> None:
    subject = parse_subject(raw)
    assert subject.raw == raw
    assert subject.reply_prefix == reply
    assert subject.is_reply is bool(reply)
    assert subject.list_tags == tags
    assert subject.prefixes == prefixes
    assert (subject.version, subject.counter, subject.total) == (version, counter, total)
    assert subject.summary == summary


@pytest.mark.parametrize(
    ("raw", "patch_like", "pull"),
    [
        pytest.param("[PATCH] x: y", True, False, id="patch"),
        pytest.param("[RFC] KVM: X86: implement Passthrough IPI", True, False, id="rfc-alone"),
        pytest.param("[GIT PULL] KVM/arm64 fixes for 5.9", False, True, id="git-pull"),
        pytest.param("[git pull] kvm fixes", False, True, id="git-pull-lower"),
        pytest.param("[PULL] QEMU fixes", True, True, id="pull-without-counter"),
        pytest.param("[PULL 03/10] target/arm: x", True, False, id="pull-patch-is-not-a-request"),
        pytest.param("[PULL 00/10] target-arm queue", True, True, id="pull-cover-is-a-request"),
        pytest.param("[3/7] KVM: x86: counter only", True, False, id="counter-only"),
        pytest.param("[v2] KVM: x86: version only", False, False, id="version-only"),
        pytest.param("[LTP] syscalls: no patch word", False, False, id="list-tag-only"),
        pytest.param("KVM: x86: no prefix", False, False, id="no-prefix"),
    ],
)
def test_patch_like_and_pull_request(raw: str, patch_like: bool, pull: bool) -> None:
    subject = parse_subject(raw)
    assert subject.is_patch_like is patch_like
    assert subject.is_pull_request is pull


def test_padding_and_prefix_text_are_kept() -> None:
    subject = parse_subject("[RFC PATCH net-next v3 03/15] net: foo")
    assert (subject.counter_text, subject.total_text) == ("03", "15")
    assert subject.version_text == "v3"
    assert subject.prefix_text == "[RFC PATCH net-next v3 03/15]"
    assert subject.words == frozenset({"RFC", "PATCH", "NET-NEXT"})
    glued = parse_subject("[PATCHv2 1/2] x")
    assert glued.version_text == "v2"
    assert glued.prefix_text == "[PATCHv2 1/2]"


def test_first_version_and_counter_win_and_later_ones_stay_visible() -> None:
    subject = parse_subject("[PATCH v2 1/3] [v3 2/4] x")
    assert (subject.version, subject.counter, subject.total) == (2, 1, 3)
    # The second version and counter are kept as prefix words, for a rule to complain about.
    assert subject.prefixes == ("PATCH", "v3", "2/4")


def test_reply_marker_after_the_prefix_is_summary_text() -> None:
    subject = parse_subject("[PATCH] Re: the previous discussion")
    assert subject.is_reply is False
    assert subject.summary == "Re: the previous discussion"


def test_summary_words_that_start_like_reply_markers() -> None:
    assert parse_subject('Revert "KVM: x86: Fix a comment"').is_reply is False
    assert parse_subject("[PATCH] Fwd-port the fix").is_reply is False


def test_to_json() -> None:
    assert parse_subject("[LTP] Re: [PATCH v2 1/3] syscalls: x").to_json() == {
        "raw": "[LTP] Re: [PATCH v2 1/3] syscalls: x",
        "reply": "Re:",
        "list_tags": ["LTP"],
        "prefixes": ["PATCH"],
        "version": 2,
        "counter": 1,
        "total": 3,
        "summary": "syscalls: x",
    }
    assert parse_subject("x").to_json()["reply"] is None
