"""Version changelogs: every heading form, which version an entry describes, where it ends."""

from __future__ import annotations

import shutil

import pytest

from model_helpers import SERIES_DIR, load, patch_mail, posting, read_postings
from paths import RULE_EXAMPLES
from patchlint.model.changelog import find_changelog


def _entries(text: str, current: int = 5):
    lines = text.split("\n")
    return find_changelog(lines, 0, len(lines), current)


# Every heading form of changelog.py's docstring: heading, version described, from version.
HEADINGS = [
    pytest.param("v2 -> v3:", 3, 2, id="arrow"),
    pytest.param("v2->v3", 3, 2, id="arrow-tight"),
    pytest.param("v2 => v3", 3, 2, id="fat-arrow"),
    pytest.param("v2 --> v3:", 3, 2, id="long-arrow"),
    pytest.param("v2 → v3:", 3, 2, id="unicode-arrow"),
    pytest.param("Changes v2 -> v3", 3, 2, id="changes-arrow"),
    pytest.param("from v2 to v3:", 3, 2, id="from-to"),
    pytest.param("Changes from v2 to v3", 3, 2, id="changes-from-to"),
    pytest.param("Changes in v3:", 3, None, id="changes-in"),
    pytest.param("Changes for v3", 3, None, id="changes-for"),
    pytest.param("Changes in version 3:", 3, None, id="changes-in-version"),
    pytest.param("Changes since v2:", 3, 2, id="changes-since"),
    pytest.param("Since v2:", 3, 2, id="since"),
    pytest.param("Changes from v2:", 3, 2, id="changes-from"),
    pytest.param("Changes vs v2:", 3, 2, id="changes-vs"),
    pytest.param("Changes compared to v2:", 3, 2, id="changes-compared-to"),
    pytest.param("v3:", 3, None, id="bare"),
    pytest.param("v3 changes:", 3, None, id="bare-changes"),
    pytest.param("V3 -", 3, None, id="bare-dash"),
    pytest.param("V3:", 3, None, id="bare-upper"),
    pytest.param("- v2 -> v3:", 3, 2, id="bullet-dash"),
    pytest.param("* Changes in v3:", 3, None, id="bullet-star"),
    pytest.param("## v3", 3, None, id="markdown-heading"),
    pytest.param("Changes to the previous version:", 5, None, id="to-previous-version"),
    pytest.param("Changes since last version:", 5, None, id="since-last-version"),
    pytest.param("Changes since the last revision:", 5, None, id="since-last-revision"),
    pytest.param("Changelog:", 5, None, id="changelog"),
    pytest.param("Change log:", 5, None, id="change-log"),
    # Forms found by benchmarks/changelog_survey.py on real archives (the grammar's family).
    pytest.param("Changed from v2:", 3, 2, id="changed-from"),
    pytest.param("Changed since v2:", 3, 2, id="changed-since"),
    pytest.param("Changes v3:", 3, None, id="changes-version"),
    pytest.param("Changelog v3:", 3, None, id="changelog-version"),
    pytest.param("Changelog since v2:", 3, 2, id="changelog-since"),
    pytest.param("Changes since version 2:", 3, 2, id="since-version-n"),
    pytest.param("Changes since (implicit) v2:", 3, 2, id="since-implicit"),
    pytest.param("V2 -> V3:", 3, 2, id="upper-arrow"),
    pytest.param("v2-v3:", 3, 2, id="dash-range"),
    pytest.param("v4 = v5:", 5, 4, id="equals-range"),
    pytest.param("Changelog v2 => v3:", 3, 2, id="changelog-range"),
    pytest.param("General changes v2->v3", 3, 2, id="lead-word-range"),
    pytest.param("v2 =>:", 3, 2, id="open-range"),
    pytest.param("New in v3:", 3, None, id="new-in"),
    pytest.param("Main changes in v3:", 3, None, id="lead-word-in"),
    pytest.param("The changes in this version:", 5, None, id="in-this-version"),
]


@pytest.mark.parametrize(("heading", "version", "from_version"), HEADINGS)
def test_heading_forms(heading: str, version: int, from_version: int | None) -> None:
    (entry,) = _entries(f"{heading}\n - Rebased on kvm/queue\n", current=5)
    assert (entry.version, entry.from_version) == (version, from_version)
    assert entry.heading == heading.strip()
    assert entry.index == 0
    assert entry.reversed is False
    assert entry.text.endswith("Rebased on kvm/queue")


def test_text_on_the_heading_line_is_part_of_the_entry() -> None:
    (entry,) = _entries("v3 - rebased on kvm/next, no other change")
    assert entry.version == 3
    assert entry.text == "rebased on kvm/next, no other change"
    (entry,) = _entries("Changes in v4: dropped patch 3 (Sean)")
    assert entry.text == "dropped patch 3 (Sean)"


@pytest.mark.parametrize(
    ("heading", "version", "from_version"),
    [
        pytest.param("from v11 to v10:", 11, 10, id="from-to"),
        pytest.param("v11 -> v10:", 11, 10, id="arrow"),
    ],
)
def test_backwards_headings_describe_the_higher_version(
    heading: str, version: int, from_version: int
) -> None:
    (entry,) = _entries(f"{heading}\n - Fixed the arm64 build\n")
    assert (entry.version, entry.from_version, entry.reversed) == (version, from_version, True)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("v1: https://lore.kernel.org/kvm/20231103081512.55102-1-mara.lindqvist@example.org",
                     id="url"),
        pytest.param("v2: <https://lore.kernel.org/r/20231110-tsc-v2-0-1234@example.org>",
                     id="bracketed-url"),
        pytest.param("Version 3 is on my tree, see above", id="prose"),
        pytest.param("This series changes the vCPU ABI.", id="prose-with-v"),
        pytest.param("[v3]", id="bracketed"),
    ],
)
def test_lines_that_are_not_headings(line: str) -> None:
    assert _entries(line) == ()


def test_changelog_intro_with_version_headings_and_links() -> None:
    text = """\
This series moves the TSC helpers.

Changelog:
v3:
  - Rebased on kvm/queue
  - Dropped patch 4 (Sean)
v2:
  - Fixed the build on 32-bit
v1: https://lore.kernel.org/kvm/20231001083000.1000-1-mara.lindqvist@example.org

Mara Lindqvist (2):
  KVM: x86: Move the helpers
  KVM: x86: Rename them"""
    entries = _entries(text, current=3)
    # "Changelog:" only introduces the list; the vN: <url> line is a link, not an entry.
    assert [(e.version, e.heading, e.index) for e in entries] == [(3, "v3:", 3), (2, "v2:", 6)]
    assert entries[0].text == "- Rebased on kvm/queue - Dropped patch 4 (Sean)"
    assert entries[1].text.startswith("- Fixed the build on 32-bit")
    assert "Mara Lindqvist" not in entries[1].text


def test_heading_without_a_version_means_this_posting() -> None:
    (entry,) = _entries("Changes to the previous version:\n - Use the right lock (Oskar)\n", current=7)
    assert (entry.version, entry.from_version) == (7, None)
    assert entry.text == "- Use the right lock (Oskar)"
    # ... and only when text follows it.
    assert _entries("Changes to the previous version:\n\nv6:\n - one\n", current=7)[0].version == 6
    assert len(_entries("Changes to the previous version:\n\nv6:\n - one\n", current=7)) == 1


def test_entry_text_ends_at_prose() -> None:
    text = """\
Changes since v1:
- Take the lock earlier
- Reword the comment

  (The comment wording came from Oskar.)

The rest of this letter explains the design, and it is not a change."""
    (entry,) = _entries(text, current=2)
    assert entry.text == (
        "- Take the lock earlier - Reword the comment (The comment wording came from Oskar.)"
    )


def test_entry_goes_on_past_a_blank_line_before_more_bullets() -> None:
    entries = _entries("v2 -> v3:\n - one\n\n - two\n\nv1 -> v2:\n - zero\n")
    assert [(e.version, e.text) for e in entries] == [(3, "- one - two"), (2, "- zero")]


def test_entry_text_ends_at_the_diffstat() -> None:
    patch = read_postings(next(SERIES_DIR.glob("v2-0001-*.patch")))[0]
    (entry,) = patch.changelog
    assert (entry.version, entry.from_version, entry.heading) == (2, 1, "v1 -> v2:")
    assert entry.text == "- Update Documentation/virt/kvm/api.rst - Collect Oskar's Reviewed-by"
    assert patch.body.lines[entry.index] == "v1 -> v2:"


def test_entry_directly_above_the_diffstat() -> None:
    (entry,) = load("crlf.eml").changelog
    assert (entry.version, entry.from_version) == (3, 2)
    assert entry.text == "- Reword the commit message (Mara)"


def test_entries_in_order_written() -> None:
    text = "v4 -> v5:\n - e\nv3 -> v4:\n - d\nv2 -> v3:\n - c\n"
    assert [e.version for e in _entries(text)] == [5, 4, 3]
    assert [e.index for e in _entries(text)] == [0, 2, 4]


def test_range_limits_the_search() -> None:
    lines = ["v3:", " - a", "v2:", " - b"]
    assert [e.version for e in find_changelog(lines, 2, 4, 3)] == [2]


def test_cover_letter_changelog_is_found_in_the_message() -> None:
    cover = read_postings(SERIES_DIR / "v2-0000-cover-letter.patch")[0]
    (entry,) = cover.changelog
    assert (entry.version, entry.heading) == (2, "Changes in v2:")
    assert entry.text == "- Document the new error code in api.rst (Oskar) - Add the selftest"


def test_notes_win_over_the_commit_message() -> None:
    mail = patch_mail(
        "[PATCH v3] KVM: x86: Take the lock earlier",
        message_id="20231120-3@example.org",
        message="Since v1 the lock is taken in the caller.\n\n"
        "Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>\n",
        notes="Changes in v3:\n - Move the lockdep assertion\n\n",
    )
    (entry,) = posting(mail).changelog
    assert (entry.version, entry.heading) == (3, "Changes in v3:")


def test_changelog_in_the_commit_message_when_the_notes_have_none() -> None:
    mail = patch_mail(
        "[PATCH v2] KVM: x86: Take the lock earlier",
        message_id="20231120-2@example.org",
        message="Take the lock in the caller.\n\n"
        "v2: take it in kvm_arch_vcpu_ioctl() instead\n\n"
        "Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>\n",
    )
    (entry,) = posting(mail).changelog
    assert entry.version == 2
    assert entry.text == "take it in kvm_arch_vcpu_ioctl() instead"


def test_changelog_heading_without_version_uses_the_subject_version() -> None:
    mail = patch_mail(
        "[PATCH v4 2/3] KVM: x86: Take the lock earlier",
        message_id="20231120-4@example.org",
        notes="Changes to the previous version:\n - Added a selftest\n\n",
    )
    (entry,) = posting(mail).changelog
    assert entry.version == 4


@pytest.mark.parametrize(
    "heading",
    [
        pytest.param("Changes since RFC:", id="since-rfc"),
        pytest.param("Changes from RFC v2:", id="from-rfc-n"),
        pytest.param("RFC v1->v2:", id="rfc-range"),
        pytest.param("Main changes:", id="noun-alone"),
        pytest.param("Revision history:", id="revision-history"),
    ],
)
def test_inexact_headings_describe_this_posting_outside_the_version_checks(heading: str) -> None:
    """An RFC's numbers are its own, and a noun alone may head what the series changes: such an
    entry shows a changelog is there, for this version, and takes no part in the arithmetic."""
    (entry,) = _entries(f"{heading}\n - Rebased on kvm/queue\n", current=4)
    assert (entry.version, entry.exact) == (4, False)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("dropped during v3 => v4 work", id="prose-with-range"),
        pytest.param("You can find v7 from:", id="link-intro"),
        pytest.param("Please, pull these changes from:", id="pull-request"),
        pytest.param("I have audited following callers (v6.4-rc2):", id="kernel-release"),
        pytest.param("  change", id="wrapped-word"),
        pytest.param("NEW:", id="new-alone"),
        pytest.param("v6.4: the release it is based on", id="release-number"),
    ],
)
def test_more_lines_that_are_not_headings(line: str) -> None:
    assert _entries(line) == ()


def test_a_heading_s_underline_is_not_its_text() -> None:
    """"Changelog" over a line of "=" introduces the vN entries; it is not an entry whose text
    is "=========" (which made two entries for one version)."""
    entries = _entries("Changelog\n=========\nv1 -> v2:\n - Added my SoB\n", current=2)
    assert [(e.version, e.heading) for e in entries] == [(2, "v1 -> v2:")]


def test_a_resend_line_belongs_to_the_entry_above() -> None:
    entries = _entries("v2: - add a newline\nv3: - fix the style\nv3 RESEND: retested on v6.2-rc4\n", current=3)
    assert [e.version for e in entries] == [2, 3]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param("No code changes in v2.\n", True, id="no-changes-in-vN"),
        pytest.param("In this new version I made the changes you suggested:\n", True, id="new-version"),
        pytest.param("V1 was a tad too simple: the revert changes the output.\n", True, id="previous-vN"),
        pytest.param("We see a regression from v4.4 that changes the port.\n", False, id="release-number"),
        pytest.param("This series adds the helpers and changes the callers.\n", False, id="no-version"),
        pytest.param("Support for v7 of the protocol is added.\n", False, id="newer-than-posting"),
        # What only a revision says of itself, without naming a version.
        pytest.param("This needed a rebase of patch 1 onto the new helper and grew a series:\n", True,
                     id="this-needed-a-rebase"),
        pytest.param("This is just a rebase and a repost of the series from Ana.\n", True, id="just-a-rebase"),
        pytest.param("Rebased onto net-next, no other change.\n", True, id="opens-with-rebased"),
        pytest.param("- rebased on top of v6.6-rc3\n", True, id="bulleted-rebased"),
        pytest.param("I addressed all of Oskar's review comments.\n", True, id="addressed-comments"),
        pytest.param("Nothing else changed since the last posting.\n", True, id="since-the-last-posting"),
        pytest.param("I implemented again the changes requested for the first and last patch.\n", True,
                     id="implemented-the-changes-requested"),
        pytest.param("I made the changes you asked for in the review of patch 2.\n", True,
                     id="made-the-changes-asked-for"),
        pytest.param("This series implements the changes required by the new spec.\n", False,
                     id="implements-what-a-spec-requires"),
        # A patch rebased onto a tree, in the middle of a sentence that wrapped before the word:
        # the series' base, not what changed.
        pytest.param("A fixup for a conflict between the two series, plus the union patch\n"
                     "rebased onto kvm/queue, commit 604e8bba0dc5.\n", False, id="rebased-onto-mid-sentence"),
        pytest.param("Patch 2 fixes a bug in the set element sorting.\n", False, id="what-a-patch-does"),
    ],
)
def test_prose_in_a_cover_letter(text: str, found: bool) -> None:
    from patchlint.model.changelog import find_prose_changelog

    lines = text.split("\n")
    entries = find_prose_changelog(lines, 0, len(lines), 2)
    assert bool(entries) is found
    if found:
        assert (entries[0].version, entries[0].exact, entries[0].index) == (2, False, 0)


def test_notes_without_a_heading_are_this_version_s_changelog() -> None:
    mail = patch_mail(
        "[PATCH v3] KVM: x86: Take the lock earlier",
        message_id="20231120-5@example.org",
        notes="Removed the variants and use timer_delete() first\n\n",
    )
    (entry,) = posting(mail).changelog
    assert (entry.version, entry.exact) == (3, False)
    assert entry.text == "Removed the variants and use timer_delete() first"
    assert posting(mail).changelog_in_commit_message is False


@pytest.mark.parametrize(
    "notes",
    [
        pytest.param("v2: https://lore.kernel.org/r/20231110-tsc-v2-0-1234@example.org\n---\n\n", id="link-to-v2"),
        pytest.param(" create mode 100644 lib/tsc.c\nbase-commit: 0123456789abcdef\n\n", id="tool-lines"),
    ],
)
def test_notes_that_are_not_a_changelog(notes: str) -> None:
    mail = patch_mail("[PATCH v3] KVM: x86: Take the lock earlier", message_id="20231120-6@example.org", notes=notes)
    assert posting(mail).changelog == ()


def test_changelog_in_the_commit_message_is_told_apart() -> None:
    mail = patch_mail(
        "[PATCH v2] KVM: x86: Take the lock earlier",
        message_id="20231120-7@example.org",
        message="Take the lock in the caller.\n\nChanged from v1:\n- take it in the ioctl\n\n"
        "Signed-off-by: Mara Lindqvist <mara.lindqvist@example.org>\n",
    )
    (entry,) = posting(mail).changelog
    assert (entry.version, entry.from_version) == (2, 1)
    assert posting(mail).changelog_in_commit_message is True


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_am_commits_a_changelog_above_the_separator(tmp_path) -> None:
    """version-changelog's claim: a changelog above '---' is committed by git am with the message,
    one below it is not (checked on the rule's example mail)."""
    from git_helpers import git, make_repo

    repo = make_repo(tmp_path / "repo")
    example = RULE_EXAMPLES / "version-changelog" / "bad-changelog-in-commit-message.patch"
    text = example.read_text()
    # Apply the message alone: the example's diff is against a tree the test repository lacks.
    message = text.split("\n---\n", 1)[0] + "\n---\nv2 -> v3:\n- below the line\n"
    message += "diff --git a/README b/README\n--- a/README\n+++ b/README\n@@ -1 +1 @@\n-base\n+next\n"
    git(repo, "am", "-q", stdin=message.encode())
    log = git(repo, "log", "-1", "--format=%B")
    assert "Changed from v1:" in log and "- read each counter once" in log
    assert "below the line" not in log


def test_a_cover_letter_changelog_below_a_bare_double_dash_is_read(tmp_path) -> None:
    """A cover letter ending '--' / 'v1 -> v2:' / '- …' ('---' mistyped, or '-- ' without its
    space, taken for the signature separator): the changelog under it is the letter's."""
    from paths import RULE_EXAMPLES
    from patchlint.engine import Engine

    text = (RULE_EXAMPLES / "version-changelog" / "good-prose-changelog-in-cover.mbox").read_text()
    cover, rest = text.split("\n\n\nFrom ", 1)
    head, _ = cover.split("\n\n", 1)
    cover = (head + "\n\nA retry for lost arbitration, and the module description modpost asks for.\n\n"
             "--\nv1 -> v2:\n- rebased onto the fast-mode change\n- split the module description out\n")
    path = tmp_path / "series.mbox"
    path.write_text(cover + "\n\nFrom " + rest)
    report = Engine().check([path])
    assert not [v for v in report.violations if v.code == "PL201"]
    silent = cover.split("--\n", 1)[0] + "-- \n2.39.5\n"
    path.write_text(silent + "\n\nFrom " + rest)
    assert [v.code for v in Engine().check([path]).violations].count("PL201") == 1
