"""Helpers shared by the model and reader tests (tests/test_readers.py … tests/test_posting.py).

The mails they build follow ``git format-patch`` output closely: an mbox ``From <sha>`` line, the
headers git writes, a commit message with trailers, ``---``, a diffstat, the diff and the ``-- ``
signature with git's version.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

import pluggy

from patchlint.model.message import RawMessage
from patchlint.plugins import make_plugin_manager
from patchlint.model.posting import Posting
from patchlint.readers.source import read_path

TESTS = Path(__file__).parent
MODEL_DATA = TESTS / "data" / "model"
SEEDS = TESTS / "data" / "seeds"

SERIES_DIR = MODEL_DATA / "series-v2"

SENDER = "Mara Lindqvist <mara.lindqvist@example.org>"


@functools.lru_cache(maxsize=1)
def hook() -> pluggy.HookRelay:
    """The reader hooks of a plugin manager with the built-in readers (built once)."""
    return make_plugin_manager().hook


def read(path: str | Path) -> list[RawMessage]:
    """Every raw message the readers find at ``path``."""
    return list(read_path(hook(), path))


def read_postings(path: str | Path) -> list[Posting]:
    """Every message at ``path`` as a Posting."""
    return [Posting(raw) for raw in read(path)]


def posting(data: str | bytes, source: str = "test.eml", index: int = 0) -> Posting:
    """A Posting over one message given as text (UTF-8 encoded) or bytes."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return Posting(RawMessage(source, index, raw))


def load(name: str) -> Posting:
    """The one message in ``tests/data/model/<name>``."""
    raws = read(MODEL_DATA / name)
    assert len(raws) == 1, f"{name} holds {len(raws)} messages"
    return Posting(raws[0])


def fake_sha(text: str) -> str:
    """A stable 40-hex commit id for a made-up patch."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


DEFAULT_MESSAGE = """\
The helper is only called with the vCPU loaded; say so with a lockdep
assertion instead of a comment that nobody reads.

Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>
"""

DEFAULT_DIFF = """\
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

DEFAULT_STAT = """\
 arch/x86/kvm/x86.c | 1 +
 1 file changed, 1 insertion(+)
"""


def patch_mail(
    subject: str,
    *,
    message_id: str,
    sender: str = SENDER,
    date: str = "Tue, 14 Nov 2023 10:21:05 +0100",
    in_reply_to: str | None = None,
    references: Iterable[str] = (),
    message: str = DEFAULT_MESSAGE,
    notes: str = "",
    stat: str = DEFAULT_STAT,
    diff: str = DEFAULT_DIFF,
    extra_headers: str = "",
) -> str:
    """A mail as ``git format-patch`` + ``git send-email`` write it.

    An empty ``diff`` makes a cover letter or pull request shape (the message only, then the
    signature); ``subject`` is written as given (no folding).
    """
    refs = list(references)
    if in_reply_to and not refs:
        refs = [in_reply_to]
    head = [
        f"From {fake_sha(message_id)} Mon Sep 17 00:00:00 2001",
        f"From: {sender}",
        f"Date: {date}",
        f"Subject: {subject}",
        f"Message-Id: <{message_id}>",
    ]
    if in_reply_to:
        head.append(f"In-Reply-To: <{in_reply_to}>")
    if refs:
        head.append("References: " + "\n ".join(f"<{ref}>" for ref in refs))
    head += ["MIME-Version: 1.0", "Content-Transfer-Encoding: 8bit"]
    text = "\n".join(head) + "\n" + extra_headers + "\n" + message
    if diff:
        text += "---\n" + notes + stat + "\n" + diff
    return text + "-- \n2.43.0\n"


def mbox(*mails: str) -> str:
    """Mails joined as ``git format-patch --stdout`` joins them (a blank line between)."""
    return "\n".join(mails)


def git_mailinfo_subject(subject_header: str, *options: str) -> str:
    """The commit subject ``git mailinfo`` (what git am runs) makes of a Subject header, given as
    written in the mail (folded lines included)."""
    import subprocess
    import tempfile

    mail = f"From: Mara Lindqvist <mara.lindqvist@example.org>\nSubject: {subject_header}\n\nBody.\n"
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            ["git", "mailinfo", *options, f"{scratch}/msg", f"{scratch}/patch"],
            input=mail.encode("utf-8"), capture_output=True, check=True,
        )
    for line in result.stdout.decode("utf-8").splitlines():
        if line.startswith("Subject: "):
            return line[len("Subject: ") :]
    return ""
