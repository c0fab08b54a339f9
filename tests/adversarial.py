"""Hostile inputs, each written for one class of failure: a mail that crashed the model, a line
that made a regular expression backtrack, a number too long for ``int()``.

Each :class:`Case` builds its bytes on demand (some are a megabyte). They are modelled on real
``git format-patch`` mail with one part made hostile, so the rest of the run goes on as usual and
the case isolates the one thing it tests. tests/test_adversarial.py runs every case through the
model and the default rules under a time budget; benchmarks/fuzz.py reuses them as seeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SENDER = "Mara Lindqvist <mara.lindqvist@example.org>"
# Longer than Python's default limit of 4,300 digits for int() on a string.
HUGE = "9" * 5000

MESSAGE = """\
The helper is only called with the vCPU loaded; say so with a lockdep
assertion instead of a comment that nobody reads.

Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
"""

STAT = """\
 arch/x86/kvm/x86.c | 1 +
 1 file changed, 1 insertion(+)
"""

DIFF = """\
diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c
index 649522d..3933545 100644
--- a/arch/x86/kvm/x86.c
+++ b/arch/x86/kvm/x86.c
@@ -30,6 +30,7 @@ static int kvm_set_tsc_khz(struct kvm_vcpu *vcpu, u32 user_tsc_khz)
 	u32 thresh_lo, thresh_hi;
 	int use_scaling = 0;
 
+	lockdep_assert_held(&vcpu->mutex);
 	/* tsc_khz can be zero if TSC calibration fails */
 	if (user_tsc_khz == 0) {
 		/* set tsc_scaling_ratio to a safe value */
"""


def mail(
    subject: str = "[PATCH] KVM: x86: assert the vCPU mutex in kvm_set_tsc_khz()",
    *,
    sender: str = SENDER,
    message_id: str = "20231114092105.4242-1-mara.lindqvist@example.org",
    date: str = "Tue, 14 Nov 2023 10:21:05 +0100",
    headers: str = "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n",
    message: str = MESSAGE,
    stat: str = STAT,
    diff: str = DIFF,
    mbox_line: bool = True,
) -> str:
    """One mail as git format-patch and git send-email write it, each part replaceable."""
    head = f"From: {sender}\nDate: {date}\nSubject: {subject}\nMessage-Id: <{message_id}>\n{headers}"
    first = "From 3933545a0e6b3c5d2f1e0c9b8a7d6e5f4c3b2a19 Mon Sep 17 00:00:00 2001\n" if mbox_line else ""
    text = f"{first}{head}\n{message}"
    if diff:
        text += f"---\n{stat}\n{diff}"
    return text + "-- \n2.43.0\n"


def encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class Case:
    """One hostile input: ``name`` (a test id), what it attacks, how to build its bytes, and the
    CPU seconds reading and checking it may take (far above its linear cost: a case of thousands
    of postings gets a budget in proportion, still far below what a quadratic pass would take)."""

    name: str
    what: str
    build: Callable[[], bytes]
    budget: float = 2.0


def _multipart_nested(depth: int) -> bytes:
    parts = []
    for level in range(depth):
        parts.append(f'Content-Type: multipart/mixed; boundary="b{level}"\n\n--b{level}\n')
    inner = "Content-Type: text/plain; charset=UTF-8\n\n" + MESSAGE
    closing = "".join(f"\n--b{level}--\n" for level in reversed(range(depth)))
    body = "".join(parts[1:]) + inner + closing
    return encoded(mail(headers="MIME-Version: 1.0\n" + parts[0].split("\n\n")[0] + "\n", message="--b0\n" + body, diff=""))


def _multipart_disposition_8bit() -> bytes:
    body = (
        "--b\nContent-Type: text/plain; charset=UTF-8\n\n" + MESSAGE + "\n--b\n"
        "Content-Type: text/x-patch\nContent-Disposition: attachment; filename=\"r\xe9sum\xe9.patch\"\n\n"
        + DIFF + "\n--b--\n"
    )
    text = mail(headers='MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n', message=body, diff="")
    return text.encode("latin-1", "replace")


def _reply_chain_newest_first(length: int) -> bytes:
    # A thread of patches each answering the one before, listed newest first: grouping that
    # follows In-Reply-To from each patch to its parent recursively goes `length` calls deep.
    mails = []
    for number in reversed(range(1, length + 1)):
        reply = f"In-Reply-To: <chain-{number - 1}@example.org>\n" if number > 1 else ""
        mails.append(mail(
            f"[PATCH 1/{length + 1}] KVM: x86: step {number}",
            message_id=f"chain-{number}@example.org", headers=reply,
        ))
    return encoded("\n".join(mails))


def _binary_junk(size: int) -> bytes:
    # Deterministic bytes of every value, control characters included.
    state, out = 12345, bytearray()
    while len(out) < size:
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(state >> 16 & 0xFF)
    return bytes(out)


def _with_body(body: bytes) -> bytes:
    head = encoded(mail(diff="", message=""))
    return head.replace(b"-- \n2.43.0\n", b"") + body + b"\n" + b"-- \n2.43.0\n"


_NON_GIT_DIFF = (
    "--- linux.orig/arch/x86/kvm/x86.c" + " " * 20000 + "x\n"
    "+++ linux/arch/x86/kvm/x86.c" + " " * 20000 + "x\n"
    "@@ -30,1 +30,2 @@\n u32 thresh_lo;\n+int x;\n"
)

CASES: tuple[Case, ...] = (
    # -- crashes in the model ------------------------------------------------------------------
    Case("charset-undefined", "a charset whose codec raises a bare Exception",
         lambda: encoded(mail(headers="Content-Type: text/plain; charset=undefined\n"))),
    Case("charset-punycode", "a charset whose codec raises IndexError on some input",
         lambda: encoded(mail(headers="Content-Type: text/plain; charset=punycode\n",
                              message="V\xe9rifier -- \u00e9\n" + MESSAGE))),
    Case("charset-nul", "a charset name with a NUL byte (ValueError from the codec lookup)",
         lambda: encoded(mail(headers='Content-Type: text/plain; charset="utf-8\x00"\n'))),
    Case("charset-idna", "the idna codec (UnicodeError on a long label)",
         lambda: encoded(mail(headers="Content-Type: text/plain; charset=idna\n",
                              message="a" * 100 + "\n" + MESSAGE))),
    Case("subject-charset-undefined", "an RFC 2047 word in a charset whose codec raises",
         lambda: encoded(mail("=?undefined?q?x?= [PATCH] KVM: x86: y"))),
    Case("subject-broken-base64-word", "an RFC 2047 word whose base64 cannot be decoded",
         lambda: encoded(mail("=?utf-8?b?A?= [PATCH] KVM: x86: y"))),
    Case("subject-8bit-charset-word", "an RFC 2047 word whose charset name is not ASCII",
         lambda: encoded(mail("=?\xe9?q?x?= [PATCH] KVM: x86: y"))),
    Case("subject-unicode-escape-word", "an RFC 2047 word in unicode_escape (lone surrogates)",
         lambda: encoded(mail("[PATCH] KVM: x86: =?unicode_escape?q?=5Cudcff?="))),
    Case("body-utf7-surrogates", "a UTF-7 body that decodes to lone surrogates",
         lambda: encoded(mail(headers="Content-Type: text/plain; charset=utf-7\n",
                              message="+2AA-\n" + MESSAGE, diff=""))),
    Case("from-nested-comments", "a From: of 5,000 nested comments (the stdlib recurses)",
         lambda: encoded(mail(sender="(" * 5000 + "x@example.org"))),
    Case("from-nested-groups", "a From: of 5,000 'a:' groups (the stdlib recurses)",
         lambda: encoded(mail(sender="a:" * 5000 + " x@example.org"))),
    Case("rfc2231-bad-charset", "a MIME part filename in RFC 2231 form with a charset that raises",
         lambda: encoded(mail(headers='MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n', diff="",
                              message="--b\nContent-Type: text/plain; charset*=utf-8\x00''x\n\n" + MESSAGE
                              + "\n--b\nContent-Type: text/x-patch\nContent-Disposition: attachment; "
                              "filename*=undefined''x.patch\n\n" + DIFF + "\n--b--\n"))),
    Case("mime-8bit-disposition", "an 8-bit byte in a MIME part's Content-Disposition",
         _multipart_disposition_8bit),
    Case("mime-nested-1000", "multipart nested 1,000 deep", lambda: _multipart_nested(1000)),
    Case("version-huge", "a version number of 5,000 digits",
         lambda: encoded(mail(f"[PATCH v{HUGE}] KVM: x86: fix it"))),
    Case("counter-huge", "a counter and total of 5,000 digits",
         lambda: encoded(mail(f"[PATCH {HUGE}/{HUGE}] KVM: x86: fix it"))),
    Case("total-huge", "a total of 10**12 (a materialised range of missing counters)",
         lambda: encoded(mail("[PATCH 1/1000000000000] KVM: x86: fix it"))),
    Case("version-large", "a version of 10**12 (a materialised range of versions)",
         lambda: encoded(mail("[PATCH v1000000000000] KVM: x86: fix it"))),
    Case("hunk-huge", "a hunk header with 5,000-digit counts",
         lambda: encoded(mail(diff=DIFF.replace("@@ -30,6 +30,7 @@", f"@@ -30,{HUGE} +30,{HUGE} @@")))),
    Case("diffstat-huge", "a diffstat row and summary with 5,000-digit numbers",
         lambda: encoded(mail(stat=f" arch/x86/kvm/x86.c | {HUGE} +\n {HUGE} files changed, {HUGE} insertions(+)\n"))),
    Case("changelog-huge", "a changelog heading with a 5,000-digit version",
         lambda: encoded(mail(message=MESSAGE + "\n", stat=f"v{HUGE} -> v{HUGE}9: rebased\n\n" + STAT))),
    Case("shortlog-huge", "a cover letter shortlog with a 5,000-digit count",
         lambda: encoded(mail("[PATCH 0/1] KVM: x86: fixes",
                              message=f"Two fixes.\n\nMara Lindqvist ({HUGE}):\n  KVM: x86: fix it\n\n", diff=""))),
    Case("date-overflow", "a Date: in year 9999 with a timezone that overflows",
         lambda: encoded(mail(date="Fri, 31 Dec 9999 23:59:59 -2359"))),
    Case("date-huge", "a Date: with a 5,000-digit year",
         lambda: encoded(mail(date=f"Fri, 31 Dec {HUGE} 23:59:59 +0000"))),
    Case("reply-chain-newest-first", "3,000 chained patches listed newest first",
         lambda: _reply_chain_newest_first(3000), budget=15.0),
    Case("filename-not-utf8", "a diff whose file name is not valid UTF-8",
         lambda: mail(diff=DIFF.replace("x86.c", "x\udcff86.c"), stat=STAT.replace("x86.c", "x\udcff86.c"))
         .encode("utf-8", "surrogateescape")),
    Case("quoted-filename-not-utf8", "a git-quoted file name with octal escapes that are not UTF-8",
         lambda: encoded(mail(diff=DIFF.replace("a/arch/x86/kvm/x86.c", '"a/arch/x86/kvm/x\\377\\37786.c"')
                              .replace("b/arch/x86/kvm/x86.c", '"b/arch/x86/kvm/x\\377\\37786.c"')))),
    Case("surrogates-in-headers", "lone surrogate escapes and bidi controls in the From: name",
         lambda: encoded(mail(sender="Mara \u202eLindqvist\udcff <mara.lindqvist@example.org>"))),
    # -- regular expressions that backtracked ------------------------------------------------
    Case("agent-brackets", "an Assisted-by: value of ~100 characters of '[a [a [a'",
         lambda: encoded(mail(message=MESSAGE.replace(
             "Signed-off-by:", "Assisted-by: Claude:claude-3 " + "[a " * 40 + "]]\nSigned-off-by:")))),
    Case("diffstat-braces", "a diffstat row full of rename braces",
         lambda: encoded(mail(stat=" " + "{" * 3000 + " => " + "}" * 10 + "x | 1 +\n 1 file changed, 1 insertion(+)\n"))),
    Case("from-blanks", "a From: with a long run of blanks",
         lambda: encoded(mail(sender="Mara" + " " * 20000 + "x"))),
    Case("from-ats", "a From: of '<@@@…'",
         lambda: encoded(mail(sender="<" + "@" * 20000))),
    Case("sign-off-ats", "a Signed-off-by: of '<@@@…'",
         lambda: encoded(mail(message=MESSAGE.replace(
             "Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>", "Signed-off-by: <" + "@" * 20000)))),
    Case("sign-off-blanks", "a Signed-off-by: with a long run of blanks and no address",
         lambda: encoded(mail(message=MESSAGE + "Signed-off-by: Mara" + " " * 20000 + "x\n"))),
    Case("sign-off-letters", "a Signed-off-by: of one 20,000-letter word",
         lambda: encoded(mail(message=MESSAGE + "Signed-off-by: " + "a" * 20000 + "\n"))),
    Case("sign-off-quotes", "a Signed-off-by: of 20,000 quotes",
         lambda: encoded(mail(message=MESSAGE + 'Signed-off-by: ' + '"' * 20000 + " <a@example.org>\n"))),
    Case("sign-off-comment-blanks", "a Signed-off-by: name of blanks around no comment",
         lambda: encoded(mail(message=MESSAGE + "Signed-off-by: Mara" + " " * 20000 + "x <a@example.org>\n"))),
    Case("from-via-blanks", "a From: name with a long run of blanks (the 'via' list rewrite lookup)",
         lambda: encoded(mail(sender="Mara" + " " * 20000 + "x <mara.lindqvist@example.org>"))),
    Case("git-version-dots", "a signature line '-- ' followed by '1.1.1.1…' and junk",
         lambda: encoded(mail()).replace(b"-- \n2.43.0\n", b"-- \n1" + b".1" * 10000 + b" x\n")),
    Case("changelog-blanks", "a note line 'changes' followed by a long run of blanks",
         lambda: encoded(mail(stat="changes" + " " * 20000 + "x\n\n" + STAT))),
    Case("changelog-colon-blanks", "a note line 'Changelog' followed by blanks and junk",
         lambda: encoded(mail(stat="changelog" + " " * 20000 + "x\n\n" + STAT))),
    Case("diffstat-row-blanks", "a diffstat-like row with a long run of blanks",
         lambda: encoded(mail(stat=" a" + " " * 20000 + "x | 1 +\n a" + " " * 20000 + "| x\n" + STAT))),
    Case("log-dotted", "a commit-log line 'x: a.a.a.…'",
         lambda: encoded(mail(message="x: " + "a." * 10000 + "\n\n" + MESSAGE))),
    Case("log-slashes", "a commit-log line of 'a/a/a/…' (path-like prose)",
         lambda: encoded(mail(message="a/" * 10000 + "\n\n" + MESSAGE))),
    Case("log-blanks", "a commit-log line of words with long runs of blanks",
         lambda: encoded(mail(message="a" + " " * 20000 + "b\n\n" + MESSAGE))),
    Case("non-git-diff-blanks", "a non-git diff header with a long run of blanks",
         lambda: encoded(mail(diff=_NON_GIT_DIFF, stat=""))),
    Case("binary-junk", "200 KB of binary junk in a body",
         lambda: _with_body(_binary_junk(200_000))),
    Case("subject-re-re", "a 1 MB 'Re: Re: …' subject",
         lambda: encoded(mail("Re: " * 250_000 + "[PATCH] x"))),
    Case("subject-brackets", "a 1 MB subject of '[a' groups",
         lambda: encoded(mail("[PATCH] " + "[a" * 250_000))),
    Case("subject-colons", "a subject of 100,000 'a: ' subsystem prefixes",
         lambda: encoded(mail("[PATCH] " + "a: " * 100_000 + "x"))),
    Case("header-folds", "a header folded into 100,000 continuation lines",
         lambda: encoded(mail(headers="X-Junk: a\n" + " b\n" * 100_000))),
    Case("long-line-body", "one 2 MB line in the commit message",
         lambda: encoded(mail(message="a " * 1_000_000 + "\n\n" + MESSAGE))),
    Case("many-trailers", "5,000 trailer lines, each another address",
         lambda: encoded(mail(message=MESSAGE + "".join(
             f"Cc: Person {n} <p{n}@example.org>\n" for n in range(5_000))))),
    Case("many-hunks", "20,000 hunk headers that do not add up",
         lambda: encoded(mail(diff=DIFF + "@@ -1,3 +1,3 @@\n-a\n" * 20_000))),
    Case("references-long", "a References: header of 50,000 ids",
         lambda: encoded(mail(headers="References: " + " ".join(f"<r{n}@example.org>" for n in range(50_000)) + "\n"))),
)
