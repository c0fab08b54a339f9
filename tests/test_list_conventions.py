"""Each list's profile accepts the list's own practice and keeps the flags that are right there
(issue 8, "list conventions"). The mails are written for these tests, modelled on postings of
netfilter-devel (2024), ltp (2023) and linux-i2c (2023); the profile is the one patchlint
chooses from the recipients, as it does without --config."""

from __future__ import annotations

from pathlib import Path

import pytest

from patchlint.engine import Engine
from patchlint.model.series import group_series

from model_helpers import git_mailinfo_subject, mbox, patch_mail, posting

NETFILTER = "To: netfilter-devel@vger.kernel.org\n"
NETDEV = "To: netdev@vger.kernel.org\n"
I2C = "To: linux-i2c@vger.kernel.org\n"
LTP = "To: ltp@lists.linux.it\n"
GIT = "To: git@vger.kernel.org\n"

PULL_COVER = """\
Hi,

The following patchset contains Netfilter fixes for net:

1) Release set elements once from the destroy path.
2) Fix a counters leak in the basechain update error path.

Please, pull these changes from:

  git://git.kernel.org/pub/scm/linux/kernel/git/netfilter/nf.git nf-24-03-21

Thanks.

----------------------------------------------------------------

The following changes since commit 9c6a59543a3965071d65b0f9ea43aa396ce2ed14:

  Merge branch 'pf-mbox-fixes' (2024-03-20 10:49:08 +0000)

are available in the Git repository at:

  git://git.kernel.org/pub/scm/linux/kernel/git/netfilter/nf.git tags/nf-24-03-21

for you to fetch changes up to 0123456789abcdef0123456789abcdef01234567:

  netfilter: nf_tables: fix a counters leak (2024-03-21 12:00:00 +0100)

----------------------------------------------------------------
Ada Lovelace (2):
      netfilter: nft_set_pipapo: release elements once
      netfilter: nf_tables: fix a counters leak

 net/netfilter/nf_tables_api.c  | 2 +-
 net/netfilter/nft_set_pipapo.c | 2 +-
 2 files changed, 2 insertions(+), 2 deletions(-)
"""

SHORTLOG_COVER = """\
Ada Lovelace (2):
  netfilter: nft_set_pipapo: release elements once
  netfilter: nf_tables: fix a counters leak

 net/netfilter/nf_tables_api.c  | 2 +-
 net/netfilter/nft_set_pipapo.c | 2 +-
 2 files changed, 2 insertions(+), 2 deletions(-)

"""


def _diff(path: str) -> tuple[str, str]:
    """A one-line change to ``path``, with its diffstat."""
    diff = (
        f"diff --git a/{path} b/{path}\n"
        "index 649522d..3933545 100644\n"
        f"--- a/{path}\n"
        f"+++ b/{path}\n"
        "@@ -30,3 +30,3 @@ static int probe(struct platform_device *pdev)\n"
        " \tint ret;\n"
        "-\tbase = devm_ioremap_resource(&pdev->dev, res);\n"
        "+\tbase = devm_platform_ioremap_resource(pdev, 0);\n"
        " \tif (IS_ERR(base))\n"
    )
    stat = f" {path} | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n"
    return diff, stat


def _message(author: str) -> str:
    return (
        "Use the helper that maps the resource in one call instead of looking\n"
        "it up and mapping it in two.\n\n"
        f"Signed-off-by: {author}\n"
    )


def series(
    tmp_path: Path,
    recipients: str,
    cover: str | None,
    subjects: list[str],
    paths: list[str] | None = None,
    cover_text: str = "",
) -> Path:
    """A threaded series as git send-email sends it: the cover letter (if any), then patches
    answering it (or patch 1), each changing its own file of ``paths``."""
    author = "Ada Lovelace <ada@example.org>"
    root = "cover.1711020086.git.ada@example.org" if cover else "1.1711020086.git.ada@example.org"
    mails = []
    if cover is not None:
        mails.append(patch_mail(cover, message_id=root, sender=author, diff="", stat="",
                                message=cover_text, extra_headers=recipients))
    paths = paths or [f"drivers/i2c/busses/i2c-demo{n}.c" for n in range(len(subjects))]
    for number, (subject, path) in enumerate(zip(subjects, paths), 1):
        diff, stat = _diff(path)
        mid = f"{number}.1711020086.git.ada@example.org"
        mails.append(patch_mail(
            subject, message_id=mid, sender=author, message=_message(author), diff=diff,
            stat=stat, extra_headers=recipients,
            in_reply_to=None if mid == root else root,
        ))
    path = tmp_path / "series.mbox"
    path.write_text(mbox(*mails), encoding="utf-8")
    return path


def flags(path: Path, code: str, config: str | None = None) -> list[str]:
    """The messages of rule ``code`` on ``path``, with the profile chosen per posting."""
    report = Engine(config).check([path])
    return [v.message for v in report.violations if v.code == code]


# -- PL101: the prefix as the list writes it --------------------------------------------------


def test_netfilter_accepts_its_maintainers_prefixes(tmp_path: Path) -> None:
    subjects = ["[PATCH nft 1/2,v2] evaluate: reject a set key of zero length",
                "[PATCH nft 2/2,v2] tests: shell: cover a set key of zero length"]
    assert flags(series(tmp_path, NETFILTER, None, subjects), "PL101") == []
    # The same prefixes on a kernel list that has no such practice are still reported, once each.
    found = flags(series(tmp_path, I2C, None, subjects), "PL101")
    assert len(found) == 4  # a comma and a version after the counter, in each of the two
    assert sum("version vN should come before the counter" in m for m in found) == 2
    assert not any("counter M/N should come last" in m for m in found)


def test_netdev_and_netfilter_accept_the_glued_version(tmp_path: Path) -> None:
    subjects = [f"[PATCHv4 net-next {n:02d}/14] ipvs: use a per-net table, step {n}" for n in (1, 2)]
    for recipients in (NETDEV, NETFILTER):
        assert flags(series(tmp_path, recipients, None, subjects), "PL101") == []
    found = flags(series(tmp_path, I2C, None, subjects), "PL101")
    assert len(found) == 2 and all("version glued" in m for m in found)


def test_ltp_accepts_a_hand_written_prefix_but_not_a_pasted_one(tmp_path: Path) -> None:
    assert flags(series(tmp_path, LTP, None, ["[Patch] cpuset_regression_test.sh: fix the check"]),
                 "PL101") == []
    # patchwork's rendering pasted back ("[v7,2/2]": no PATCH word, a comma) is still reported.
    pasted = flags(series(tmp_path, LTP, None, ["[v7,1/1] semop04: Refactor with new API"]), "PL101")
    assert any("no PATCH, RFC or PULL word" in m for m in pasted)
    assert flags(series(tmp_path, GIT, None, ["[Patch] doc: fix a typo"]), "PL101") != []


def test_patch_slash_rfc_is_a_prefix_as_gits_submittingpatches_writes_it(tmp_path: Path) -> None:
    # SubmittingPatches: "[PATCH/RFC] is often used when the patch is not ready to be applied".
    for recipients in (GIT, I2C):
        path = series(tmp_path, recipients, None, ["[PATCH/RFC] treewide: fix overlay devices"])
        assert flags(path, "PL101") == []
    subject = posting(_split(path)[0]).subject
    assert (subject.words, subject.summary) == ({"PATCH", "RFC"}, "treewide: fix overlay devices")
    # ... and the summary is what git am commits.
    assert git_mailinfo_subject("[PATCH/RFC] treewide: fix overlay devices") == subject.summary


# -- PL102: what a series' prefixes may differ in ---------------------------------------------


def test_one_patch_marked_rfc_or_rft_is_no_mismatch_anywhere(tmp_path: Path) -> None:
    for recipients, marked in ((I2C, "[PATCH RFT 3/3]"), (LTP, "[RFC][PATCH 3/3]"),
                               (LTP, "[RFC PATCH 3/3]"), (GIT, "[RFC PATCH 3/3]")):
        subjects = ["[PATCH 1/3] i2c: demo: add debugfs", "[PATCH 2/3] i2c: demo: use it",
                    f"{marked} i2c: demo: drop the old file"]
        path = series(tmp_path, recipients, "[PATCH 0/3] i2c: demo: debugfs per adapter", subjects,
                      cover_text="Create a debugfs entry per adapter.\n\n")
        assert flags(path, "PL102") == [], (recipients, marked)


def test_a_series_dropping_rfc_or_another_version_is_still_reported(tmp_path: Path) -> None:
    subjects = ["[PATCH 1/2] i2c: demo: add debugfs", "[PATCH 2/2] i2c: demo: use it"]
    path = series(tmp_path, LTP, "[RFC PATCH 0/2] i2c: demo: debugfs", subjects,
                  cover_text="Create a debugfs entry per adapter.\n\n")
    assert any("prefix words" in m for m in flags(path, "PL102"))
    path = series(tmp_path, LTP, "[PATCH 0/2 v2] fanotify: test against the path", subjects,
                  cover_text="Test the feature against the tested path.\n\n")
    assert any("the cover letter says v2, all 2 patches say v1" in m for m in flags(path, "PL102"))


def test_netfilter_accepts_a_re_sent_pull_request_with_only_its_cover_renumbered(tmp_path: Path) -> None:
    subjects = ["[PATCH net 1/2] netfilter: nft_set_pipapo: release elements once",
                "[PATCH net 2/2] netfilter: nf_tables: fix a counters leak"]
    cover = "[PATCH net 0/2,v2] Netfilter fixes for net"
    pull = series(tmp_path, NETFILTER, cover, subjects, cover_text="v2: Amended missing SOB.\n\n" + PULL_COVER)
    assert posting(_split(pull)[0]).carries_pull_request
    assert flags(pull, "PL102") == []
    # A cover letter that is no pull request, renumbered alone, is still reported there ...
    plain = series(tmp_path, NETFILTER, "[PATCH net,v2 0/2] netfilter: two fixes", subjects,
                   cover_text="Two fixes for the set backends.\n\n" + SHORTLOG_COVER)
    assert not posting(_split(plain)[0]).carries_pull_request
    assert any("the cover letter says v2" in m for m in flags(plain, "PL102"))
    # ... and so is the pull request on a list whose profile does not accept it.
    pull = series(tmp_path, I2C, "[PATCH v2 0/2] i2c fixes", subjects, cover_text=PULL_COVER)
    assert any("the cover letter says v2" in m for m in flags(pull, "PL102"))


# -- PL118: a cover letter's own text -----------------------------------------------------------


def test_ltp_accepts_a_cover_letter_of_shortlog_and_diffstat_only(tmp_path: Path) -> None:
    subjects = ["[PATCH 1/2] kill01: new case cgroup kill", "[PATCH 2/2] kill01: add to runtest"]
    path = series(tmp_path, LTP, "[PATCH 0/2] kill01: new case cgroup kill", subjects,
                  cover_text=SHORTLOG_COVER)
    assert flags(path, "PL118") == []
    assert any("no text of its own" in m for m in flags(
        series(tmp_path, I2C, "[PATCH 0/2] kill01: new case cgroup kill", subjects,
               cover_text=SHORTLOG_COVER), "PL118"))
    # format-patch's placeholder is reported on LTP too.
    blurb = series(tmp_path, LTP, "[PATCH 0/2] kill01: new case cgroup kill", subjects,
                   cover_text="*** BLURB HERE ***\n\n" + SHORTLOG_COVER)
    assert any("BLURB HERE" in m for m in flags(blurb, "PL118"))


# -- PL112: series without a cover letter --------------------------------------------------------


DRIVERS = ["at91", "iproc", "brcmstb", "mlxbf", "stm32f4"]


def test_kernel_accepts_a_batch_of_one_change_per_driver_without_a_cover(tmp_path: Path) -> None:
    subjects = [f"[PATCH {n}/5] i2c: {d}: Use devm_platform_ioremap_resource()"
                for n, d in enumerate(DRIVERS, 1)]
    paths = [f"drivers/i2c/busses/i2c-{d}.c" for d in DRIVERS]
    path = series(tmp_path, I2C, None, subjects, paths)
    assert flags(path, "PL112") == []
    (batch,) = group_series(posting(text) for text in _split(path))
    assert batch.independent
    # netdev asks for a cover letter on every series, batches included.
    assert any("without a cover letter" in m for m in flags(series(tmp_path, NETDEV, None, subjects, paths), "PL112"))


def test_kernel_still_asks_for_a_cover_on_a_series_that_builds_one_thing(tmp_path: Path) -> None:
    subjects = ["[PATCH 1/4] dt-bindings: i2c: add the demo controller",
                "[PATCH 2/4] i2c: demo: add a driver",
                "[PATCH 3/4] i2c: demo: add runtime PM",
                "[PATCH 4/4] arm64: dts: demo: add the i2c controller"]
    paths = ["Documentation/devicetree/bindings/i2c/demo.yaml", "drivers/i2c/busses/i2c-demo.c",
             "drivers/i2c/busses/i2c-demo.c", "arch/arm64/boot/dts/demo/board.dts"]
    path = series(tmp_path, I2C, None, subjects, paths)
    found = flags(path, "PL112")
    assert len(found) == 1 and "a series of 4 patches without a cover letter" in found[0]
    (built,) = group_series(posting(text) for text in _split(path))
    assert not built.independent
    # One file changed by two patches of otherwise separate drivers: not independent either.
    subjects = [f"[PATCH {n}/4] i2c: {d}: Use devm_platform_ioremap_resource()"
                for n, d in enumerate(DRIVERS[:4], 1)]
    shared = ["drivers/i2c/busses/Kconfig"] * 2 + [f"drivers/i2c/busses/i2c-{d}.c" for d in DRIVERS[2:4]]
    assert len(flags(series(tmp_path, I2C, None, subjects, shared), "PL112")) == 1


def _split(path: Path) -> list[str]:
    """The mails of an mbox written by :func:`series`, one string each."""
    text = path.read_text(encoding="utf-8")
    parts = text.split("\nFrom ")
    return [parts[0]] + ["From " + part for part in parts[1:]]


# -- what the options' documentation says b4 does with these prefixes ----------------------------


def test_b4_reads_the_glued_version_and_not_the_comma_joined_parts() -> None:
    b4 = pytest.importorskip("b4", reason="b4 is not installed (pip install b4)")
    glued = b4.LoreSubject("[PATCHv4 net-next 13/14] ipvs: use a per-net table")
    assert (glued.revision, glued.counter, glued.expected) == (4, 13, 14)
    late = b4.LoreSubject("[PATCH 0/6 v2] fanotify: test against the path")
    assert (late.revision, late.counter, late.expected) == (2, 0, 6)
    # b4 splits the prefix at spaces only: "nf-next,v4" is one word, "1/2,v2" no counter.
    comma = b4.LoreSubject("[PATCH nf-next,v4 1/2] netfilter: nf_tables: fix a leak")
    assert (comma.revision, comma.counter, comma.expected) == (1, 1, 2)
    after = b4.LoreSubject("[PATCH nft 1/2,v2] evaluate: reject a zero-length key")
    assert (after.revision, after.counter, after.expected) == (1, 1, 1)
