"""Subject lines: reply markers, list tags, prefix words, version, counter and summary."""

from __future__ import annotations

import shutil

import pytest

from model_helpers import git_mailinfo_subject
from patchlint.model.subject import parse_subject, prefix_spacing, subsystem_and_rest

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


# -- the subsystem prefix grammar (PL106) ----------------------------------------------------------

PREFIXES = [
    # found on netfilter-devel, LTP, linux-i2c and the kernel lists of the precision samples
    ("driver core: make struct device_type.uevent() take a const *", "driver core: "),
    ("device property: document the reference counting", "device property: "),
    ("x86/amd_nb, x86/amd_node: move the root lookup", "x86/amd_nb, x86/amd_node: "),
    ("hwmon (it87): add the IT8792E", "hwmon (it87): "),
    ("tpm, tpm_tis: free the IRQ", "tpm, tpm_tis: "),
    ("mctp i2c: drop the lock", "mctp i2c: "),
    ("dt-bindings: i2c: add the LS2X controller", "dt-bindings: i2c: "),
    ("ACPI / PM: resume first", "ACPI / PM: "),
    ("{delete, finit, init}_module0[1-3]: Skip on SecureBoot", "{delete, finit, init}_module0[1-3]: "),
    ("syscalls/{, f}setxattr: Fix passing of value pointer", "syscalls/{, f}setxattr: "),
    ("ip[6]tables-translate: fix test failures", "ip[6]tables-translate: "),
    ("FILE_PRINTF|SCANF: change TWARN to TINFO", "FILE_PRINTF|SCANF: "),
    ("tst_netlink_check_acks(): report the error", "tst_netlink_check_acks(): "),
    ("qcom,i2c-geni: add the SM8650", "qcom,i2c-geni: "),
    ("net: ethernet: ti: am65-cpsw: fix the MTU", "net: ethernet: ti: am65-cpsw: "),
    # the prefix ends where prose begins
    ("i2c: wmt: Reduce redundant: bus busy check", "i2c: wmt: "),
    ("Fix the bug: details follow", ""),
    ("Add support for table's persist flag", ""),
    ("Refactor fork05 using new LTP API", ""),
    ("netfilter: ", ""),
    ("i2c:octeon:Add block-mode r/w", ""),
]


@pytest.mark.parametrize(("summary", "prefix"), PREFIXES, ids=[p[0][:40] for p in PREFIXES])
def test_subsystem_prefix_grammar(summary: str, prefix: str) -> None:
    found, rest = subsystem_and_rest(summary)
    assert found == prefix
    assert found + rest == summary


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("i2c:octeon:Add block-mode r/w", "the prefix 'i2c:octeon:' has no space after its colons: write 'i2c: octeon: Add…'"),
        ("netfilter :nf_flow_table_offload: Add", "a space before the colon in 'netfilter :'"),
        ("kernel/device-drivers/zram/zram01.sh : add a sync", "write 'kernel/device-drivers/zram/zram01.sh: add…'"),
        (": fix a2x: ERROR: missing --destination-dir", "the subsystem in front of it is missing"),
        ("Refactor fork05 using new LTP API", None),
    ],
)
def test_prefix_spacing(summary: str, message: str | None) -> None:
    found = prefix_spacing(summary)
    assert found == message if message is None else message in (found or "")


# -- what git am commits: the claims the subject rules make, checked with git itself ------------------

GIT_SUBJECTS = [
    # (Subject header as written, what git mailinfo commits)
    ("[PATCH v3 2/7] KVM: x86: fix it", "KVM: x86: fix it"),
    ("[LTP] [PATCH 1/2] syscalls/x: fix it", "syscalls/x: fix it"),
    ("[PATCH 3/5] [TEMP] foo: bar", "foo: bar"),  # a tag of the commit's own subject: stripped too
    ("[LTP] [ [PATCH]] cpuset/cpuset_memory_pressure_test: Fix free\n memory calculate",
     "] cpuset/cpuset_memory_pressure_test: Fix free memory calculate"),  # subject-junk's claim
    ("[PATCH]  net:  fix\tit ", "net: fix it"),  # summary-whitespace: git collapses the whitespace
    ("[LTP] [PATCH 2/2] fcntl{34,\n 36}: Use arch types", "fcntl{34, 36}: Use arch types"),  # a refold
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(("header", "commit"), GIT_SUBJECTS, ids=[g[1][:30] for g in GIT_SUBJECTS])
def test_summary_is_what_git_mailinfo_commits(header: str, commit: str) -> None:
    assert git_mailinfo_subject(header) == commit
    unfolded = header.replace("\n", "")
    assert " ".join(parse_subject(unfolded).summary.split()) == commit


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_am_keep_non_patch_keeps_the_commit_s_own_tag() -> None:
    """git am -b (--keep-non-patch) keeps '[TEMP]': it was part of the commit's subject."""
    assert git_mailinfo_subject("[PATCH 3/5] [TEMP] foo: bar", "-b") == "[TEMP] foo: bar"
    assert parse_subject("[PATCH 3/5] [TEMP] foo: bar").commit_subject == "[TEMP] foo: bar"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_format_patch_writes_one_version_on_every_mail(tmp_path) -> None:
    """series-prefix-mismatch's advice: git format-patch -v2 --cover-letter puts v2 on the
    cover letter and on each patch alike."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=Mara Lindqvist", "-c", "user.email=mara@example.org", *args],
            cwd=tmp_path, capture_output=True, text=True, check=True,
        ).stdout

    git("init", "-q")
    for name in ("one", "two"):
        (tmp_path / name).write_text(name + "\n")
        git("add", name)
        git("commit", "-q", "-m", f"demo: add {name}")
    git("format-patch", "-q", "-v2", "--cover-letter", "-2", "-o", "out")
    subjects = [parse_subject(line[len("Subject: "):]) for path in sorted((tmp_path / "out").iterdir())
                for line in path.read_text().splitlines() if line.startswith("Subject: ")]
    assert [(s.version, s.counter) for s in subjects] == [(2, 0), (2, 1), (2, 2)]


STRAY = [
    # (Subject header, the stray word as written, the prefix words, the summary)
    ("[LTP] RFC:[PATCH v1] mmap: add a MAP_SHARED_VALIDATE test", "RFC:", ("RFC", "PATCH"), "mmap: add a MAP_SHARED_VALIDATE test"),
    ("RFC: [PATCH] i2c: demo: probe the mux", "RFC:", ("RFC", "PATCH"), "i2c: demo: probe the mux"),
    ("RESEND [PATCH v2 1/3] i2c: demo: probe the mux", "RESEND", ("RESEND", "PATCH"), "i2c: demo: probe the mux"),
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(("header", "stray", "words", "summary"), STRAY, ids=[s[1] + s[0][:20] for s in STRAY])
def test_a_patch_word_outside_the_brackets_is_committed_by_git_am(
    header: str, stray: str, words: tuple[str, ...], summary: str
) -> None:
    """'RFC:[PATCH v1] x' has one prefix, with a word typed in front of it: the word counts
    among the prefix words, but git am strips only the bracketed groups (subject-junk's claim)."""
    parsed = parse_subject(header)
    assert (parsed.stray_prefix, parsed.prefixes, parsed.summary) == (stray, words, summary)
    assert parsed.is_patch_like
    assert git_mailinfo_subject(header) == parsed.stray_subject


@pytest.mark.parametrize(
    "header", ["[PATCH] RFC: say what the rfc is", "RFC: should the demo driver go?", "Resend the patch [PATCH]"]
)
def test_no_stray_prefix(header: str) -> None:
    assert parse_subject(header).stray_prefix == ""


def test_a_broken_prefix_is_reported_once_by_the_default_rules() -> None:
    """'[ [PATCH]] x: y': git am commits '] x: y'. subject-junk says so; subject-prefix does not
    add 'no [PATCH] prefix' for the same subject (one defect, one report)."""
    from paths import RULE_EXAMPLES
    from patchlint.engine import Engine

    report = Engine().check([RULE_EXAMPLES / "subject-junk" / "bad-leftover-bracket.eml"])
    assert [v.code for v in report.violations if v.line == 6] == ["PL108"]
