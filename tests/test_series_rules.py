"""Subject and series rules on the real seed postings, and the shipped list profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from patchlint.config import builtin_profiles, profile_path
from patchlint.engine import Engine, Report
from patchlint.model.posting import Kind

from paths import EXAMPLES, RULE_EXAMPLES, SEEDS


@pytest.fixture(scope="module")
def seeds() -> Report:
    # The default profile's rules (without a configuration the seeds' kvm postings would be
    # judged by the kernel profile, chosen from their List-Id).
    return Engine("default").check([SEEDS])


def found(report: Report, code: str) -> set[tuple[str, int]]:
    return {(Path(v.source).name[:3], v.line) for v in report.violations if v.code == code}


def test_cover_letters_without_a_shortlog(seeds: Report, write_config) -> None:
    # [Patch v3 0/2] cgroup and [PATCH v2 0/8] memslots have none: reported only when asked
    # for; the others, including virtio/vsock's indented one and SEV-ES 00/75 with five
    # authors, agree with their counts.
    assert found(seeds, "PL113") == set()
    strict = Engine(write_config(
        "select: [PL113]\nrules:\n  cover-shortlog-mismatch:\n    options: {require-shortlog: true}\n"
    )).check([SEEDS])
    assert found(strict, "PL113") == {("002", 476), ("003", 754)}


def test_the_apple_mail_rfc_is_a_patch() -> None:
    rfc = [p for p in Engine().read([SEEDS / "004_271b2fddaf384f67.txt"]) if p.subject.prefixes == ("RFC",)]
    assert [p.kind for p in rfc] == [Kind.PATCH]  # an RFC patch, not a discussion


def test_subject_prefix_allow_any_case(write_config) -> None:
    seed = SEEDS / "002_5641c758d10ec94f.txt"  # [Patch v3 0/2] cgroup …
    strict = Engine(write_config("select: [subject-prefix]\n")).check([seed])
    lenient = Engine(write_config(
        "select: [subject-prefix]\nrules:\n  subject-prefix:\n    options: {allow-any-case: true}\n"
    )).check([seed])
    assert ("002", 476) in found(strict, "PL101") and ("002", 476) not in found(lenient, "PL101")


def test_the_kernel_profile_accepts_any_case_in_the_prefix() -> None:
    # KSP writes "[PATCH Vx RESEND]" itself; git's own conventions (the default) say PATCH, v3.
    kernel = Engine(profile_path("kernel")).check([SEEDS / "002_5641c758d10ec94f.txt"])
    assert ("002", 476) not in found(kernel, "PL101")


def test_incomplete_series_are_information_once_per_series(seeds: Report) -> None:
    infos = [v for v in seeds.violations if v.code == "PL111"]
    assert infos and all(str(v.severity) == "info" for v in infos)
    assert len({(v.source, v.subject) for v in infos}) == len(infos)


# The example is a netfilter series: no net/net-next tree tag for netdev, not a KVM scope, a
# summary over git's 50-character soft limit (information), Fixes: and Signed-off-by: in one
# paragraph (DPDK separates them).
EXAMPLE_SERIES_FINDINGS = {"netdev": {"PL109"}, "kvm-x86": {"PL106"}, "git": {"PL103"}, "dpdk": {"PL313"}}


@pytest.mark.parametrize("name", builtin_profiles())
def test_profiles_load_and_judge_the_example_series(name: str) -> None:
    engine = Engine(profile_path(name))
    report = engine.check([EXAMPLES / "series"])
    assert {v.code for v in report.violations} == EXAMPLE_SERIES_FINDINGS.get(name, set())


def test_netdev_profile_limits_and_tags(tmp_path: Path) -> None:
    engine = Engine(profile_path("netdev"))
    enabled = {rule.name: rule for rule in engine.rules}
    assert enabled["series-too-long"].options.max_patches == 15
    assert enabled["missing-tree-tag"].options.trees == ("net", "net-next", "iproute2", "iproute2-next")
    assert enabled["missing-cover-letter"].options.min_patches == 4  # the kernel's


def test_kvm_x86_profile_scopes() -> None:
    engine = Engine(profile_path("kvm-x86"))
    bad = engine.check([RULE_EXAMPLES / "subsystem-prefix" / "bad-kvm-x86-scope.eml"])
    messages = sorted(v.message for v in bad.violations if v.code == "PL106")
    assert len(messages) == 2
    assert messages[0].startswith("the prefix 'kvm: x86:' does not match 'KVM: (x86")
    assert messages[1] == "write the first word after 'kvm: x86:' in upper case: 'reset'"
    good = [p for p in engine.read([SEEDS / "004_271b2fddaf384f67.txt"]) if p.subject.summary.startswith("KVM: SVM:")]
    rule = next(r for r in engine.rules if r.code == "PL106")
    assert good and list(rule.check(good[0])) == []


def test_a_shortlog_edit_is_found_under_a_list_that_respaces_commas(tmp_path: Path) -> None:
    """Mailman's ', ' is not held against the sender; a word changed in the shortlog still is."""
    good = RULE_EXAMPLES / "cover-shortlog-mismatch" / "good-refolded-by-mailman.mbox"
    posting = next(p for p in Engine().read([good]) if p.subject.counter == 2)
    assert posting.subject_commas_respaced and posting.subject.summary.startswith("fcntl{34, 36}:")
    edited = tmp_path / "edited.mbox"
    edited.write_text(good.read_text().replace("  fcntl{34,36}: open the test file", "  fcntl{34,36}: open the file", 1))
    report = Engine().check([edited])
    # One edited summary, one report (at the shortlog's line).
    assert [v.message for v in report.violations if v.code == "PL113"] == [
        "patch 2/2 is 'fcntl{34, 36}: open the test file with O_LARGEFILE', but the cover letter's "
        "shortlog lists it as 'fcntl{34,36}: open the file with O_LARGEFILE': write the shortlog for "
        "the patches sent (git format-patch --cover-letter)",
    ]



def _series_mbox(shortlog: list[list[str]], summaries: list[str]) -> str:
    """A cover letter whose shortlog lists ``shortlog`` (one list of summaries per author) and
    the patches ``summaries``, as one mbox."""
    from model_helpers import patch_mail

    total = len(summaries)
    names = ["Ada Lovelace", "Iris Okafor"]
    listed = "".join(
        f"{names[i]} ({len(lines)}):\n" + "".join(f"  {line}\n" for line in lines) + "\n"
        for i, lines in enumerate(shortlog)
    )
    cover = patch_mail(
        f"[PATCH 0/{total}] i2c: demo: fixes", message_id="cover@example.org", diff="",
        message="Why these patches.\n\n" + listed,
    )
    patches = [
        patch_mail(f"[PATCH {n}/{total}] {summary}", message_id=f"p{n}@example.org",
                   in_reply_to="cover@example.org")
        for n, summary in enumerate(summaries, 1)
    ]
    return "\n".join([cover, *patches])


def _shortlog_flags(tmp_path: Path, shortlog: list[list[str]], summaries: list[str]) -> list[str]:
    path = tmp_path / "series.mbox"
    path.write_text(_series_mbox(shortlog, summaries))
    return [v.message for v in Engine().check([path]).violations if v.code == "PL113"]


def test_an_edited_summary_is_one_report(tmp_path: Path) -> None:
    flags = _shortlog_flags(
        tmp_path,
        [["i2c: demo: fix reads in polled mode", "i2c: demo: drop the unused lock"]],
        ["i2c: demo: fix reads in polling mode", "i2c: demo: drop the unused lock"],
    )
    assert flags == [
        "patch 1/2 is 'i2c: demo: fix reads in polling mode', but the cover letter's shortlog lists "
        "it as 'i2c: demo: fix reads in polled mode': write the shortlog for the patches sent "
        "(git format-patch --cover-letter)"
    ]


def test_a_rewritten_summary_in_its_place_is_one_report(tmp_path: Path) -> None:
    flags = _shortlog_flags(
        tmp_path,
        [["i2c: demo: functional change", "i2c: demo: drop the unused lock"]],
        ["i2c: demo: check the IRQ number", "i2c: demo: drop the unused lock"],
    )
    assert len(flags) == 1 and "lists 'i2c: demo: functional change' in its place" in flags[0]


def test_unrelated_summaries_of_two_authors_are_not_paired(tmp_path: Path) -> None:
    flags = _shortlog_flags(
        tmp_path,
        [["i2c: demo: functional change"], ["i2c: demo: drop the unused lock"]],
        ["i2c: demo: check the IRQ number", "i2c: demo: drop the unused lock"],
    )
    assert sorted(flags) == [
        "patch 1/2 ('i2c: demo: check the IRQ number') is not in the cover letter's shortlog",
        "the shortlog lists 'i2c: demo: functional change', which no patch of the series has",
    ]


def test_a_cover_letter_numbered_for_another_length_of_its_series(tmp_path, engine_for) -> None:
    """series-numbering's claim, checked with git: format-patch --cover-letter numbers the
    cover letter 0/N with the series' own N. A cover kept from v1 (0/2) over v2's three
    patches is reported as that, not as a posting 'numbered 0/2 in a series of 3'."""
    from git_helpers import commit, git, make_repo

    repo = make_repo(tmp_path / "repo")
    for name in ("one", "two", "three"):
        commit(repo, name, f"demo: add {name}\n\nAdd the file {name}.\n\nSigned-off-by: Ada Tester <ada@example.org>\n")
    git(repo, "format-patch", "-q", "-v2", "--cover-letter", "--thread=shallow", "-3", "-o", "out")
    files = sorted((repo / "out").iterdir())
    cover = files[0].read_text()
    assert "Subject: [PATCH v2 0/3] *** SUBJECT HERE ***" in cover
    files[0].write_text(cover.replace("[PATCH v2 0/3] *** SUBJECT HERE ***", "[PATCH v2 0/2] demo: add files"))
    report = engine_for("PL110").check([repo / "out"])
    assert [v.message for v in report.violations] == [
        "the cover letter is numbered 0/2, but the 3 patches of its series in the input are numbered M/3 "
        "and its shortlog lists 3: git format-patch --cover-letter numbers it 0/3"
    ]


def test_a_cover_that_agrees_with_its_patch_s_own_diffstat_is_not_reported() -> None:
    """A patch edited after git format-patch (one line added to a new file's hunk) disagrees
    with its own diffstat, which diffstat-mismatch reports on it; the cover letter git wrote
    with the patch says what the patch's diffstat says, and is not reported again."""
    path = RULE_EXAMPLES / "diffstat-mismatch" / "bad-edited-after-format-patch.mbox"
    report = Engine().check([path])
    codes = [v.code for v in report.violations]
    assert codes.count("PL401") == 2 and "PL402" not in codes
