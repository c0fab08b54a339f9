"""Trailers, found as ``git interpret-trailers --parse`` finds them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from model_helpers import SERIES_DIR, load, read_postings
from patchlint.model.trailers import EMPTY, find_trailers

# Commit message bodies (after the subject line), as they appear in kernel patches.
MESSAGES = {
    "plain-block": """\
KVM_SET_TSC_KHZ reports every failure as -1.

Fixes: 92a1f12d2598 ("KVM: x86: Add KVM_SET_TSC_KHZ ioctl")
Reported-by: Imre Varga <imre.varga@example.com>
Closes: https://lore.kernel.org/kvm/20231101100000.1234-1-imre.varga@example.com
Reviewed-by: Oskar Brandt <oskar.brandt@example.net>
Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
""",
    "link-and-cc-stable": """\
Don't leak the SRCU lock on the error path.

Cc: stable@vger.kernel.org # 6.1+
Link: https://lore.kernel.org/r/20231114092105.1234-1-mara.lindqvist@example.org
Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
Link: https://lore.kernel.org/r/ZVO1v2Xk3sT9aB@google.com
Signed-off-by: Sean Christopherson <seanjc@google.com>
""",
    "maintainer-note-in-block": """\
Handle the case where the TSC is unstable.

Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
[ tglx: Massaged changelog, fixed the
  comment style and renamed the helper ]
Signed-off-by: Thomas Gleixner <tglx@example.de>
""",
    "continuation-lines": """\
Revert the broken fast path.

Fixes: 0123456789ab ("KVM: x86: Add a fast path for the TSC deadline timer that
 skips the hrtimer")
Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
""",
    "continuation-after-trailer-then-prose": """\
Some setups matter.

Tested-by: Imre Varga <imre.varga@example.com>
  on an AMD EPYC 7763 host
  with 256 vCPUs
  and a 2.45 GHz TSC
  in a nested guest
also on Intel, reported
by mail
last week
Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
""",
    "quarter-rule-met": """\
Explain the change.

This paragraph ends with a sign-off but is mostly prose, the way
some maintainers append a note before their own sign-off line when
they pick up a patch from the list.
Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
""",
    "quarter-rule-not-met": """\
Explain the change.

This paragraph ends with a sign-off but is mostly prose, the way
some maintainers append a note before their own sign-off line when
they pick up a patch from the list, and then it goes on for a
fourth line.
Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
""",
    "no-signoff-mixed": """\
Explain the change.

Reviewed-by: Oskar Brandt <oskar.brandt@example.net>
and a line of prose without a sign-off anywhere
""",
    "prose-last": """\
Reviewed-by: Oskar Brandt <oskar.brandt@example.net>

The last paragraph is prose, so there are no trailers.
""",
    "space-before-colon": """\
Explain the change.

Acked-by : Janosch Frank <frankja@example.com>
Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
""",
    "cherry-picked": """\
Backport.

(cherry picked from commit c6046785cec252f923bbf1bc057c42cad02d5393)
Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
""",
    "indented-prose-before-block": """\
Explain the change.

Measured with:
  perf stat -e kvm:kvm_exit -a sleep 10
  perf stat -e kvm:kvm_entry -a sleep 10
  perf stat -e kvm:kvm_msr -a sleep 10
Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
""",
    "only-a-signoff": """\
Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
""",
    "trailing-blank-lines": """\
Explain.

Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>


""",
}

# What each message's trailers are: [key, value] pairs, continuations joined.
EXPECTED = {
    "plain-block": [
        ["Fixes", '92a1f12d2598 ("KVM: x86: Add KVM_SET_TSC_KHZ ioctl")'],
        ["Reported-by", "Imre Varga <imre.varga@example.com>"],
        ["Closes", "https://lore.kernel.org/kvm/20231101100000.1234-1-imre.varga@example.com"],
        ["Reviewed-by", "Oskar Brandt <oskar.brandt@example.net>"],
        ["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"],
    ],
    "link-and-cc-stable": [
        ["Cc", "stable@vger.kernel.org # 6.1+"],
        ["Link", "https://lore.kernel.org/r/20231114092105.1234-1-mara.lindqvist@example.org"],
        ["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"],
        ["Link", "https://lore.kernel.org/r/ZVO1v2Xk3sT9aB@google.com"],
        ["Signed-off-by", "Sean Christopherson <seanjc@google.com>"],
    ],
    "maintainer-note-in-block": [
        ["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"],
        ["Signed-off-by", "Thomas Gleixner <tglx@example.de>"],
    ],
    "continuation-lines": [
        ["Fixes", '0123456789ab ("KVM: x86: Add a fast path for the TSC deadline timer that '
                  'skips the hrtimer")'],
        ["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"],
    ],
    "continuation-after-trailer-then-prose": [
        ["Tested-by", "Imre Varga <imre.varga@example.com> on an AMD EPYC 7763 host with 256 vCPUs "
                      "and a 2.45 GHz TSC in a nested guest"],
        ["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"],
    ],
    "quarter-rule-met": [["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"]],
    "quarter-rule-not-met": [],
    "no-signoff-mixed": [],
    "prose-last": [],
    "space-before-colon": [
        ["Acked-by", "Janosch Frank <frankja@example.com>"],
        ["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"],
    ],
    "cherry-picked": [["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"]],
    "indented-prose-before-block": [],
    "only-a-signoff": [["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"]],
    "trailing-blank-lines": [["Signed-off-by", "Mara Lindqvist <mara.lindqvist@example.org>"]],
}


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


@pytest.mark.parametrize("name", list(MESSAGES))
def test_find_trailers(name: str) -> None:
    block = find_trailers(_lines(MESSAGES[name]))
    assert [[t.key, t.value] for t in block.trailers] == EXPECTED[name]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("name", list(MESSAGES))
def test_same_trailers_as_git_interpret_trailers(name: str) -> None:
    # git sees a commit message: a subject line, a blank line, then the body.
    message = "KVM: x86: Subject line\n\n" + MESSAGES[name]
    result = subprocess.run(
        ["git", "interpret-trailers", "--parse"],
        input=message, capture_output=True, text=True, check=True,
    )
    git = [line.split(": ", 1) for line in result.stdout.splitlines()]
    ours = find_trailers(_lines(MESSAGES[name])).trailers
    assert [[t.key, t.value] for t in ours] == git


def test_block_positions_and_other_lines() -> None:
    lines = _lines(MESSAGES["maintainer-note-in-block"])
    block = find_trailers(lines, offset=10)
    assert (block.start, block.end) == (12, 16)
    assert [t.index for t in block.trailers] == [12, 15]
    assert block.other_lines == (
        ("[ tglx: Massaged changelog, fixed the", 13),
        ("  comment style and renamed the helper ]", 14),
    )


def test_continuation_keeps_the_trailer_line() -> None:
    block = find_trailers(_lines(MESSAGES["continuation-lines"]))
    assert [t.index for t in block.trailers] == [2, 4]


def test_no_block_is_empty_at_the_end() -> None:
    lines = _lines(MESSAGES["prose-last"])
    block = find_trailers(lines, offset=3)
    assert block.trailers == ()
    assert block.start == block.end == 3 + len(lines)
    assert find_trailers([]) is EMPTY
    assert find_trailers(["", "  ", ""]) is EMPTY


def test_comment_lines_are_ignored() -> None:
    block = find_trailers(_lines("Explain.\n\nSigned-off-by: A <a@x>\n# Please enter the commit message\n"))
    assert [t.key for t in block.trailers] == ["Signed-off-by"]


def test_values_and_normalized_key() -> None:
    block = find_trailers(_lines(MESSAGES["link-and-cc-stable"]))
    assert block.values("link") == [
        "https://lore.kernel.org/r/20231114092105.1234-1-mara.lindqvist@example.org",
        "https://lore.kernel.org/r/ZVO1v2Xk3sT9aB@google.com",
    ]
    assert block.values("SIGNED-OFF-BY")[-1] == "Sean Christopherson <seanjc@google.com>"
    assert block.values("Acked-by") == []
    assert {t.normalized_key for t in block.trailers} == {"cc", "link", "signed-off-by"}


def test_posting_trailers_stop_at_the_separator() -> None:
    patch = read_postings(next(SERIES_DIR.glob("v2-0001-*.patch")))[0]
    trailers = patch.trailers
    assert [t.key for t in trailers.trailers] == [
        "Fixes", "Reported-by", "Closes", "Reviewed-by", "Signed-off-by",
    ]
    # Indexes point into the body, so they map to lines of the file.
    last = trailers.trailers[-1]
    assert patch.body.lines[last.index] == "Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>"
    assert trailers.end == patch.body.separator


def test_posting_trailers_skip_inbody_headers() -> None:
    patch = load("inbody-from-stable.patch")
    assert patch.trailers.values("Signed-off-by") == [
        "Imre Varga <imre.varga@example.com>",
        "Mara Lindqvist <mara.lindqvist@example.org>",
    ]
    assert patch.trailers.values("From") == []


def test_the_commit_log_holds_the_sign_offs_git_am_drops(tmp_path) -> None:
    """Sign-offs below ``---`` are part of the commit log as the ones git am drops; a repeat of
    a sign-off above loses nothing. (git mailinfo is the judge of what is dropped.)"""
    from git_helpers import mailinfo
    from model_helpers import posting
    from patchlint.model.commitlog import CommitLog

    mail = (
        "From: Ada Lovelace <ada@example.org>\nSubject: [PATCH] demo: fix the probe\n"
        "Message-Id: <drop@example.org>\n\n"
        "Reset the controller before the first transfer.\n\n"
        "Signed-off-by: Ada Lovelace <ada@example.org>\n"
        "---\n"
        "Signed-off-by: Ada Lovelace <ada@example.org>\n"
        "Signed-off-by: Grace Hopper <grace@example.org>\n"
        " demo.c | 1 +\n 1 file changed, 1 insertion(+)\n\n"
        "diff --git a/demo.c b/demo.c\n--- a/demo.c\n+++ b/demo.c\n@@ -1 +1,2 @@\n int x;\n+int y;\n"
    )
    found = posting(mail)
    log = CommitLog.of(found)
    lines = found.body.lines
    assert [lines[i] for i in log.dropped_sign_offs] == ["Signed-off-by: Grace Hopper <grace@example.org>"]
    _, message, _ = mailinfo(mail.encode())
    assert b"Grace Hopper" not in message and b"Signed-off-by: Ada Lovelace" in message
