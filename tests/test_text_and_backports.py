"""What the trailer rules take for a trailer, one report per defect, and the text a backport
carries from upstream (issue 8, classes 4 and 10).

Where a claim is about what git takes as a trailer, ``git interpret-trailers --parse`` says it.
The mails are written for these tests, modelled on real postings (a buildroot developer's
``Fixes:`` heading over autobuild URLs, a report quoting a mail's header, an AUTOSEL backport,
a stable-review posting).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from patchlint.engine import Engine
from model_helpers import posting as _posting
from patchlint.model.commitlog import CommitLog
from patchlint.model.trailers import find_trailers

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

_DIFF = (
    "---\n README | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n"
    "diff --git a/README b/README\n--- a/README\n+++ b/README\n@@ -1 +1 @@\n-base\n+next\n"
)


def _mail(message: str, subject: str = "[PATCH] configure.ac: fix the mount_attr check",
          sender: str = "Ada Lovelace <ada@example.org>", to: str = "ltp@lists.linux.it") -> str:
    return (
        "From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n"
        f"From: {sender}\nTo: {to}\nDate: Mon, 4 Mar 2024 09:12:00 +0100\n"
        "Message-Id: <20240304081200.1-1-ada@example.org>\n"
        f"Subject: {subject}\n\n{message}{_DIFF}"
    )


def _found(tmp_path: Path, mail: str, config: str = "default") -> list[tuple[str, str]]:
    path = tmp_path / "0001-fix.patch"
    path.write_text(mail)
    return [(v.code, v.message) for v in Engine(config).check([path]).violations]


def _git_trailers(message: str) -> list[str]:
    """What git takes as the trailers of a commit message (a subject line is put first)."""
    done = subprocess.run(["git", "interpret-trailers", "--parse"], input="subject\n\n" + message,
                          capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def _ours(message: str) -> list[str]:
    lines = message.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [f"{t.key}: {t.value}".rstrip() for t in find_trailers(lines).trailers]


# -- text that starts like a tag ------------------------------------------------------------------

HEADING = (
    "The check still fails with a C library that has struct mount_attr in sys/mount.h:\n\n"
    "  fsmount.h:55:8: error: redefinition of 'struct mount_attr'\n\n"
    "Fixes:\n"
    " - http://autobuild.example.org/results/4dbb72e1bf081afd3cd944571b9beeefc7608865\n"
    " - http://autobuild.example.org/results/7c01a5b2d3e4f5061728394a5b6c7d8e9f0a1b2c\n\n"
    "Signed-off-by: Ada Lovelace <ada@example.org>\n"
)


@needs_git
def test_a_fixes_heading_over_a_list_is_text(tmp_path: Path) -> None:
    """buildroot's 'Fixes:' heading a list of autobuild URLs, above the trailer block: git takes
    only the sign-off as a trailer, and no rule calls the heading a misplaced trailer (PL308)
    or a malformed Fixes: tag (PL312)."""
    assert _git_trailers(HEADING) == ["Signed-off-by: Ada Lovelace <ada@example.org>"]
    assert _ours(HEADING) == _git_trailers(HEADING)
    found = _found(tmp_path, _mail(HEADING))
    assert [code for code, _ in found if code in ("PL306", "PL308", "PL312")] == [], found


@needs_git
def test_a_heading_in_the_last_paragraph_is_git_s_trailer(tmp_path: Path) -> None:
    """Inside the last paragraph git decides: 'Fixes:' and its indented line are one trailer,
    'Fixes: - http://…' (a URL, not a commit), and PL312 says so."""
    message = HEADING.replace("\n\nSigned-off-by", "\nSigned-off-by").replace(
        " - http://autobuild.example.org/results/7c01a5b2d3e4f5061728394a5b6c7d8e9f0a1b2c\n", "")
    git = _git_trailers(message)
    assert git[0] == "Fixes: - http://autobuild.example.org/results/4dbb72e1bf081afd3cd944571b9beeefc7608865"
    assert _ours(message) == git
    found = _found(tmp_path, _mail(message))
    assert [code for code, _ in found if code == "PL312"] == ["PL312"], found


def test_a_fixes_line_whose_id_wrapped_is_still_a_tag(tmp_path: Path) -> None:
    """'Fixes:' whose commit id went to the next line is a Fixes: tag written wrong, not a
    heading: both rules still say so."""
    message = ("Explain it.\n\nFixes:\n  0123456789ab (\"configure.ac: add the mount_attr check\")\n\n"
               "Signed-off-by: Ada Lovelace <ada@example.org>\n")
    codes = [code for code, _ in _found(tmp_path, _mail(message))]
    assert "PL308" in codes and "PL312" in codes


QUOTED_HEADER = (
    "Mary's report, as she sent it:\n\n"
    "From: Mary Somerville <mary@example.com>\n"
    "To: ltp@lists.linux.it\n"
    "Cc: Ada Lovelace <ada@example.org>\n"
    "Subject: fsconfig01 fails to build\n\n"
    "The build fails with the newest C library.\n"
    "To : build it again, the header is included once.\n\n"
    "Signed-off-by: Ada Lovelace <ada@example.org>\n"
)


@needs_git
def test_a_quoted_mail_header_and_to_in_prose_are_text(tmp_path: Path) -> None:
    """The header of a mail quoted in the text (its To: and Cc: are that mail's recipients) and
    'To :' starting a sentence are not misplaced trailers; git takes only the sign-off."""
    assert _git_trailers(QUOTED_HEADER) == ["Signed-off-by: Ada Lovelace <ada@example.org>"]
    found = _found(tmp_path, _mail(QUOTED_HEADER))
    assert [code for code, _ in found if code.startswith("PL3")] == [], found


def test_a_misplaced_cc_with_an_address_is_still_reported(tmp_path: Path) -> None:
    """A Cc: that names someone, an empty line above the sign-off: still a trailer git misses."""
    message = ("Explain it.\n\nCc: Mary Somerville <mary@example.com>\n\n"
               "Signed-off-by: Ada Lovelace <ada@example.org>\n")
    misplaced = [m for code, m in _found(tmp_path, _mail(message)) if code == "PL308"]
    assert misplaced == ["'Cc: Mary Somerville <mary@example.com>': an empty line separates it from the "
                         "trailer block, so git does not see it as a trailer: remove the empty line"]


@needs_git
def test_changelog_above_the_separator_after_the_trailers(tmp_path: Path) -> None:
    """A changelog between the sign-off and '---' is the last paragraph: git sees no trailers,
    and the advice is to move the changelog, not to remove an empty line."""
    message = "Explain it.\n\nSigned-off-by: Ada Lovelace <ada@example.org>\n\nChanges in v2:\n- wrap the text\n"
    assert _git_trailers(message) == []
    misplaced = [m for code, m in _found(tmp_path, _mail(message, subject="[PATCH v2] lib: fix it")) if code == "PL308"]
    assert len(misplaced) == 1 and "move the changelog below the '---' line" in misplaced[0], misplaced
    assert "remove the empty line" not in misplaced[0]


# -- one defect, one report ------------------------------------------------------------------------


def test_a_sign_off_without_brackets_is_one_report(tmp_path: Path) -> None:
    """'Signed-off-by: Name address' (no angle brackets) is a sign-off, malformed: PL306 says
    how, PL301 does not say there is none."""
    message = "Explain it.\n\nSigned-off-by: Ada Lovelace ada@example.org\n"
    found = _found(tmp_path, _mail(message, to="netfilter-devel@vger.kernel.org"))
    assert [code for code, _ in found if code.startswith("PL30")] == ["PL306"], found
    assert "write the address in angle brackets" in dict(found)["PL306"]


def test_a_sign_off_without_brackets_outside_the_block_is_told_by_signed_off_by(tmp_path: Path) -> None:
    """Outside the trailer block malformed-trailer does not look; PL301 says what is wrong with
    the only sign-off, not that there is none."""
    message = ("Explain it.\n\nSigned-off-by: Ada Lovelace ada@example.org\n\n"
               "Reported-by: Mary Somerville <mary@example.com>\n")
    signed = [m for code, m in _found(tmp_path, _mail(message)) if code == "PL301"]
    assert signed == ["'Signed-off-by: Ada Lovelace ada@example.org' certifies nothing: write the "
                      "address in angle brackets: 'Name <address>'"]


def test_a_sign_off_with_only_an_address_is_one_report(tmp_path: Path) -> None:
    """'Signed-off-by: address' has no name: PL303 says so; PL302's 'the names differ' would be
    a second report of the same defect, and misdescribe it."""
    message = "Explain it.\n\nSigned-off-by: Ada.Lovelace@example.org\n"
    found = _found(tmp_path, _mail(message, sender="Ada Lovelace <Ada.Lovelace@example.org>"))
    codes = [code for code, _ in found if code.startswith("PL30")]
    assert codes == ["PL303"], found
    assert "there is no name, only an address" in dict(found)["PL303"]


def test_a_name_mismatch_is_still_reported(tmp_path: Path) -> None:
    message = "Explain it.\n\nSigned-off-by: Ada King <ada@example.org>\n"
    found = _found(tmp_path, _mail(message))
    assert [code for code, _ in found if code.startswith("PL30")] == ["PL302"], found


# -- backports --------------------------------------------------------------------------------------

# Modelled on the AUTOSEL robot's postings: the upstream message with its trailers, the robot's
# sign-off appended.
AUTOSEL = (
    "From: Mara Lindqvist <mara.lindqvist@example.org>\n\n"
    "[ Upstream commit 7ebfd881abe9e0ea9557b29dab6aa28d294fabb4 ]\n\n"
    "Rather than casting the shutdown helper to an incompatible function type, update its type to match\n"
    "what devm_add_action() expects.\n\n"
    "Reviewed-by: Imre Varga<imre.varga@example.com>\n"
    "Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>\n"
    "Signed-off-by: Wolfram Example <wolfram@example.org>\n"
    "Signed-off-by: Sasha Example <sasha@example.org>\n"
)


def _backport(message: str, sender: str = "Sasha Example <sasha@example.org>") -> str:
    return _mail(message, subject="[PATCH AUTOSEL 6.1 07/12] i2c: demo: avoid an incompatible cast",
                 sender=sender, to="linux-i2c@vger.kernel.org")


def test_the_carried_text_of_a_backport_is_a_model_fact() -> None:
    posting = _posting(_backport(AUTOSEL))
    log = CommitLog.of(posting)
    lines = posting.body.lines
    assert posting.upstream_commit == "7ebfd881abe9e0ea9557b29dab6aa28d294fabb4"
    assert lines[posting.upstream_line].startswith("[ Upstream commit")
    carried = [lines[i] for i in log.carried]
    assert carried[1].startswith("Rather than casting") and carried[-1].startswith("Signed-off-by: Sasha")
    # Not a backport: nothing carried.
    plain = CommitLog.of(_posting(_mail("Explain it.\n\nSigned-off-by: Ada Lovelace <ada@example.org>\n")))
    assert plain.carried == range(0) and not plain.is_carried(plain.start)


def test_a_backport_s_carried_text_is_not_judged(tmp_path: Path) -> None:
    """upstream's glued 'Name<address>' and its 76-column line are upstream's, already applied:
    not the backporter's to fix (PL306, PL316 stay silent)."""
    found = _found(tmp_path, _backport(AUTOSEL), config="kernel")
    assert [code for code, _ in found if code.startswith("PL3")] == [], found
    # The same text sent as a patch of one's own is judged.
    own = AUTOSEL.replace("[ Upstream commit 7ebfd881abe9e0ea9557b29dab6aa28d294fabb4 ]\n\n", "")
    codes = {code for code, _ in _found(tmp_path, _backport(own), config="kernel")}
    assert {"PL306", "PL316"} <= codes


def test_what_the_backporter_adds_is_judged(tmp_path: Path) -> None:
    """A paragraph the backporter put below the carried trailers is theirs: an empty line keeps
    their Cc: out of the trailer block (PL308). Their sign-off chain is theirs to complete: a
    sender who does not sign off is still told (PL301)."""
    added = AUTOSEL + "\nCc: stable@vger.kernel.org # 6.1\n\nSigned-off-by: Sasha Example <sasha@example.org>\n"
    misplaced = [m for code, m in _found(tmp_path, _backport(added), config="kernel") if code == "PL308"]
    assert len(misplaced) == 1 and misplaced[0].startswith("'Cc: stable@vger.kernel.org # 6.1'"), misplaced
    unsigned = _found(tmp_path, _backport(AUTOSEL, sender="Jozsef Example <jozsef@example.net>"), config="kernel")
    assert [m for code, m in unsigned if code == "PL301"] == [
        "the sender Jozsef Example <jozsef@example.net> forwards Mara Lindqvist "
        "<mara.lindqvist@example.org>'s patch without signing off"
    ]


STABLE_REVIEW = (
    "6.6-stable review patch.  If anyone has any objections, please let me know.\n\n"
    "------------------\n\n"
    "From: Mara Lindqvist <mara.lindqvist@example.org>\n\n"
    "commit 552705a3650bbf46a22b1adedc1b04181490fc36 upstream.\n\n"
    "Mark the set dead when an anonymous set with timeouts is unbound.\n\n"
    "Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>\n"
    "Signed-off-by: Greg Example <greg@example.org>\n"
    "Signed-off-by: Greg Example <greg@example.org>\n"
)


def test_the_stable_queue_s_repeated_sign_off_is_not_reported(tmp_path: Path) -> None:
    """The stable queue's tools sign a queued patch twice; nothing a contributor sent."""
    mail = _mail(STABLE_REVIEW, subject="[PATCH 6.6 196/213] netfilter: nf_tables: mark the set dead",
                 sender="Greg Example <greg@example.org>", to="stable@vger.kernel.org")
    found = _found(tmp_path, mail, config="kernel")
    assert [code for code, _ in found if code.startswith("PL3")] == [], found
    # Without the upstream line it is a patch of the sender's own, and the duplicate is told.
    own = mail.replace("commit 552705a3650bbf46a22b1adedc1b04181490fc36 upstream.\n\n", "")
    assert "PL307" in {code for code, _ in _found(tmp_path, own, config="kernel")}


def _git_am_trailers(tmp_path: Path, mail: str) -> list[str]:
    """The trailers of the commit git am would make of ``mail``: git mailinfo's message, read
    by git interpret-trailers --parse."""
    source = tmp_path / "mail.eml"
    source.write_text(mail)
    with source.open("rb") as stdin:
        subprocess.run(["git", "mailinfo", str(tmp_path / "msg"), str(tmp_path / "patch")], stdin=stdin,
                       capture_output=True, check=True)
    return _git_trailers((tmp_path / "msg").read_text())


NOTES_AFTER_DASHES = (
    "Explain it.\n\n"
    "Reported-by: Mary Somerville <mary@example.com>\n"
    "Signed-off-by: Ada Lovelace <ada@example.org>\n\n"
    "--\n"
    "I am not sure this is a fix for the stable trees.\n\n"
    "If it is, tell me and I will add Cc: stable.\n\n"
)


@needs_git
def test_notes_after_two_dashes_stay_in_the_commit_message(tmp_path: Path) -> None:
    """'--' is not git am's '---': the notes below it (two paragraphs here) stay in the message,
    git sees no trailers; with '---' it does. PL308 says so, not 'it is in the text'."""
    mail = _mail(NOTES_AFTER_DASHES, to="netfilter-devel@vger.kernel.org")
    assert _git_am_trailers(tmp_path, mail) == []
    assert _git_am_trailers(tmp_path, mail.replace("\n--\n", "\n---\n", 1)) == [
        "Reported-by: Mary Somerville <mary@example.com>", "Signed-off-by: Ada Lovelace <ada@example.org>"]
    misplaced = [m for code, m in _found(tmp_path, mail) if code == "PL308"]
    assert misplaced == [
        "'Reported-by: Mary Somerville <mary@example.com>' (1 more trailer line(s) in this paragraph): "
        "the '--' line after it is not the '---' that ends the commit message: git am keeps the text "
        "below it in the message, so git sees no trailer block: write '---'"
    ]


@needs_git
def test_text_of_several_paragraphs_after_the_trailers(tmp_path: Path) -> None:
    """Trailers, then two paragraphs of text to '---': git sees no trailers, and the advice is
    to put the text above them (not 'it is in the text')."""
    message = ("Explain it.\n\nSigned-off-by: Ada Lovelace <ada@example.org>\n\n"
               "Tested on a Raspberry Pi 4.\n\nNot tested on 32-bit builds.\n")
    assert _git_trailers(message) == []
    misplaced = [m for code, m in _found(tmp_path, _mail(message)) if code == "PL308"]
    assert misplaced == [
        "'Signed-off-by: Ada Lovelace <ada@example.org>': the text after it ('Tested on a Raspberry "
        "Pi 4.') ends the commit message, so git sees no trailer block: put that text above the trailers"
    ]


def test_an_author_who_signed_off_badly_did_sign_off(tmp_path: Path) -> None:
    """The author's sign-off lacks its brackets, the sender's is fine: PL306 reports the
    author's; PL301 does not add 'the author did not sign off'."""
    message = ("From: Mary Somerville <mary@example.com>\n\nExplain it.\n\n"
               "Signed-off-by: Mary Somerville mary@example.com\n"
               "Signed-off-by: Ada Lovelace <ada@example.org>\n")
    found = _found(tmp_path, _mail(message, to="netfilter-devel@vger.kernel.org"))
    assert [code for code, _ in found if code.startswith("PL30")] == ["PL306"], found
