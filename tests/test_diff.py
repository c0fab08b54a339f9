"""The diff of a patch, parsed per file with unidiff."""

from __future__ import annotations

import pytest

from model_helpers import SERIES_DIR, load, posting, read_postings
from patchlint.model.diff import Diff, parse_diff


def test_added_deleted_binary_and_mode_change() -> None:
    diff = load("binary-modes.patch").diff
    assert diff is not None and diff.error is None
    files = {change.path: change for change in diff.files}
    assert list(files) == [
        "Documentation/virt/kvm/images/tsc-ratio.png",
        "Documentation/virt/kvm/images/tsc-scaling.png",
        "arch/x86/kvm/lapic_timer.c",
        "tools/testing/selftests/kvm/run_tsc_tests.sh",
    ]
    added = files["Documentation/virt/kvm/images/tsc-ratio.png"]
    assert (added.status, added.binary, added.new_mode, added.old_mode) == ("added", True, "100644", None)
    assert added.old_path == "/dev/null"
    changed_image = files["Documentation/virt/kvm/images/tsc-scaling.png"]
    assert (changed_image.status, changed_image.binary, changed_image.changed) == ("modified", True, 0)
    deleted = files["arch/x86/kvm/lapic_timer.c"]
    assert (deleted.status, deleted.removed, deleted.added, deleted.old_mode) == ("deleted", 15, 0, "100644")
    assert deleted.new_path == "/dev/null"
    mode = files["tools/testing/selftests/kvm/run_tsc_tests.sh"]
    assert (mode.status, mode.old_mode, mode.new_mode, mode.changed) == ("modified", "100644", "100755", 0)
    assert (diff.insertions, diff.deletions) == (0, 15)
    statuses = ("added", "deleted", "modified")
    counts = {status: sum(c.status == status for c in diff.files) for status in statuses}
    assert counts == {"added": 1, "deleted": 1, "modified": 2}
    assert sum(c.binary for c in diff.files) == 2


def test_renamed_and_added_files_of_a_series() -> None:
    patches = read_postings(SERIES_DIR)[1:]
    diffs = [patch.diff for patch in patches]
    assert all(diff is not None and diff.error is None for diff in diffs)
    (rename,) = diffs[1].files  # type: ignore[union-attr]
    assert (rename.status, rename.old_path, rename.new_path, rename.path) == (
        "renamed", "arch/x86/kvm/timer.c", "arch/x86/kvm/lapic_timer.c", "arch/x86/kvm/lapic_timer.c",
    )
    assert (rename.added, rename.removed) == (1, 0)
    (new_test,) = diffs[2].files  # type: ignore[union-attr]
    assert (new_test.status, new_test.added, new_test.new_mode) == ("added", 23, "100644")
    assert [(c.path, c.added, c.removed) for c in diffs[0].files] == [  # type: ignore[union-attr]
        ("Documentation/virt/kvm/api.rst", 1, 1),
        ("arch/x86/kvm/x86.c", 2, 2),
    ]


def test_diff_agrees_with_the_diffstat_rows() -> None:
    for patch in read_postings(SERIES_DIR)[1:]:
        assert patch.diff is not None and patch.diffstat is not None
        assert [c.changed for c in patch.diff.files] == [row.count for row in patch.diffstat.rows]
        assert patch.diff.insertions == patch.diffstat.insertions
        assert patch.diff.deletions == patch.diffstat.deletions


def test_pure_rename_and_copy() -> None:
    diff = parse_diff(
        "diff --git a/drivers/misc/tsc_demo.c b/drivers/misc/tsc/demo.c\n"
        "similarity index 100%\n"
        "rename from drivers/misc/tsc_demo.c\n"
        "rename to drivers/misc/tsc/demo.c\n"
        "diff --git a/drivers/misc/tsc_demo.h b/drivers/misc/tsc_demo2.h\n"
        "similarity index 100%\n"
        "copy from drivers/misc/tsc_demo.h\n"
        "copy to drivers/misc/tsc_demo2.h\n"
    )
    assert diff.error is None
    assert [(c.status, c.old_path, c.new_path) for c in diff.files] == [
        ("renamed", "drivers/misc/tsc_demo.c", "drivers/misc/tsc/demo.c"),
        ("copied", "drivers/misc/tsc_demo.h", "drivers/misc/tsc_demo2.h"),
    ]


def test_diff_without_git_headers() -> None:
    diff = parse_diff(
        "--- linux-6.6.orig/drivers/misc/tsc_demo.c\n"
        "+++ linux-6.6/drivers/misc/tsc_demo.c\n"
        "@@ -1,3 +1,3 @@\n"
        " #include <linux/module.h>\n"
        "-static int ratio = 1;\n"
        "+static int ratio = 2;\n"
        " MODULE_LICENSE(\"GPL\");\n"
    )
    assert diff.error is None
    (change,) = diff.files
    # Different tree names on the two sides are not a rename: no git header says so. git am
    # applies with -p1, which strips the tree directory: the file is drivers/misc/tsc_demo.c.
    assert (change.status, change.added, change.removed) == ("modified", 1, 1)
    assert change.path == change.old_path == change.new_path == "drivers/misc/tsc_demo.c"


# (--- name, +++ name) of diffs without git headers; test_traditional_names_are_gits runs git.
_TRADITIONAL = [
    pytest.param("linux-6.6.orig/MAINTAINERS", "linux-6.6/MAINTAINERS", id="quilt"),
    pytest.param("linux-6.6.orig/drivers/k.c", "/dev/null", id="quilt-delete"),
    pytest.param("/dev/null", "linux-6.6/drivers/new.c", id="quilt-create"),
    pytest.param("a/drivers/k.c", "b/drivers/k.c", id="a-b"),
    pytest.param("dir/k.c.orig\t2023-01-01 00:00:00.000000000 +0100", "dir/k.c\t2023-01-01 00:00:00.000000000 +0100",
                 id="orig-suffix-and-dates"),
    pytest.param("dir/k.c", "dir/k.c.new", id="shorter-old-name-begins-the-new"),
    pytest.param("tree-a/drivers/one.c", "tree-b/drivers/two.c", id="different-names"),
    pytest.param("/tmp/x/k.c", "/tmp/x/k.c", id="absolute"),
    pytest.param("k.c", "k.c", id="no-directory"),
    pytest.param("old//drivers//k.c", "new//drivers//k.c", id="double-slashes"),
]


@pytest.mark.parametrize(("old", "new"), _TRADITIONAL)
def test_traditional_names_are_gits(tmp_path, old: str, new: str) -> None:
    """The file a quilt or ``diff -u`` diff changes is the one git apply -p1 (git am) patches."""
    from git_helpers import git, make_repo

    old, new = old.replace("\\t", "\t"), new.replace("\\t", "\t")
    hunk = "@@ -0,0 +1 @@\n+x\n" if old == "/dev/null" else (
        "@@ -1 +0,0 @@\n-x\n" if new == "/dev/null" else "@@ -1 +1 @@\n-x\n+y\n")
    text = f"--- {old}\n+++ {new}\n{hunk}"
    repo = make_repo(tmp_path / "repo")
    numstat = git(repo, "apply", "--numstat", "-", stdin=text.encode())
    (applied,) = [line.split("\t")[2] for line in numstat.splitlines()]
    (change,) = parse_diff(text).files
    assert change.path == applied
    if "/dev/null" not in (old, new):
        assert change.old_path == change.new_path == applied


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "diff --git a/x.c b/x.c\nindex 1111111..2222222 100644\n--- a/x.c\n+++ b/x.c\n"
            "@@ -1,5 +1,5 @@\n a\n-b\n+c\n",
            id="hunk-shorter-than-its-header",
        ),
        pytest.param(
            "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n"
            "wrapped by the mailer\n d\n",
            id="line-wrapped-inside-a-hunk",
        ),
    ],
)
def test_corrupt_diff_gives_an_error(text: str) -> None:
    diff = parse_diff(text)
    assert diff.files == ()
    assert diff.error is not None
    assert diff.error.startswith("the diff cannot be parsed: ")
    assert diff.to_json() == {"files": [], "error": diff.error}


def test_corrupt_diff_in_a_posting() -> None:
    mail = (
        "From: A <a@example.org>\nSubject: [PATCH] x: y\n\nFix.\n\nSigned-off-by: A <a@example.org>\n"
        "---\n x.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n"
        "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,4 +1,4 @@\n a\n-b\n+c\n-- \n2.43.0\n"
    )
    diff = posting(mail).diff
    assert diff is not None
    assert diff.error is not None and "Hunk is shorter than expected" in diff.error


def test_no_diff_is_none() -> None:
    cover = read_postings(SERIES_DIR / "v2-0000-cover-letter.patch")[0]
    assert cover.diff is None
    assert load("pull-request.eml").diff is None


def test_to_json() -> None:
    patch = read_postings(next(SERIES_DIR.glob("v2-0001-*.patch")))[0]
    assert patch.diff is not None
    assert patch.diff.to_json() == {
        "files": [["Documentation/virt/kvm/api.rst", 1, 1], ["arch/x86/kvm/x86.c", 2, 2]],
        "error": None,
    }
    assert Diff(()).insertions == 0


def test_show_counts_are_git_apply_numstat(tmp_path) -> None:
    """``patchlint show``'s per-file counts are what ``git apply --numstat`` prints for the same
    patch: ``-`` for a binary file, and a file the diff touches in two sections twice."""
    from git_helpers import git, make_repo

    repo = make_repo(tmp_path / "repo")
    (repo / "logo.png").write_bytes(bytes(range(256)) * 4)
    (repo / "notes.txt").write_text("one\ntwo\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "demo: add the logo and the notes")
    (repo / "logo.png").write_bytes(bytes(reversed(range(256))) * 5)
    (repo / "notes.txt").write_text("one\n2\nthree\n")
    git(repo, "commit", "-q", "-am", "demo: change the logo and the notes")
    patch = git(repo, "format-patch", "--binary", "--stdout", "-1")
    # A second section for notes.txt after the first, as concatenated diffs have it.
    second = "diff --git a/notes.txt b/notes.txt\n--- a/notes.txt\n+++ b/notes.txt\n@@ -3 +3,2 @@\n three\n+four\n"
    head, sep, tail = patch.rpartition("\n-- \n")
    patch = f"{head}\n{second}{sep}{tail}"
    (tmp_path / "0001.patch").write_text(patch)
    numstat = git(repo, "apply", "--numstat", str(tmp_path / "0001.patch"))
    expected = []
    for row in numstat.splitlines():
        added, removed, path = row.split("\t")
        expected.append([path, added if added == "-" else int(added), removed if removed == "-" else int(removed)])
    assert [row[0] for row in expected] == ["logo.png", "notes.txt", "notes.txt"]
    diff = posting(patch).diff
    assert diff is not None and diff.error is None
    assert diff.to_json()["files"] == expected


@pytest.mark.parametrize(
    "example",
    ["good-quilt-tree-directories.eml", "good-shortened-renames.patch"],
)
def test_example_files_are_the_ones_git_am_patches(tmp_path, example: str) -> None:
    """The files the model says a mail's diff touches are those git mailinfo + git apply
    (what git am runs) name, and so the ones its diffstat lists."""
    import subprocess

    from git_helpers import GIT_ENV, git, make_repo
    from paths import RULE_EXAMPLES

    path = RULE_EXAMPLES / "diffstat-mismatch" / example
    repo = make_repo(tmp_path / "repo")
    subprocess.run(
        ["git", "mailinfo", str(tmp_path / "msg"), str(tmp_path / "patch")],
        stdin=path.open("rb"), capture_output=True, check=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
    )
    numstat = git(repo, "apply", "--numstat", str(tmp_path / "patch"))
    named_by_git = [line.split("\t")[2] for line in numstat.splitlines()]
    (mail,) = read_postings(path)
    assert mail.diff is not None
    assert [change.path for change in mail.diff.files] == named_by_git
    (stat,) = mail.diffstats
    assert len(stat.rows) == len(mail.diff.files)
    for row, change in zip(stat.rows, mail.diff.files):  # git lists the files in diff order
        assert row.stands_for(change.old_path, change.new_path), (row.text, change)


def test_hunk_problems_name_the_file_git_am_patches() -> None:
    """corrupt-hunk names a quilt diff's file as the diff model does: without the tree."""
    from patchlint.model.hunks import diagnose

    lines = [
        "--- linux-6.6.orig/drivers/i2c/busses/Kconfig",
        "+++ linux-6.6/drivers/i2c/busses/Kconfig",
        "@@ -1,3 +1,2 @@",
        " config I2C_DEMO",
        "-\ttristate \"Demo SMBus",
        "controller\"",
        " \thelp",
    ]
    problems = diagnose(lines, 0, len(lines), lambda index: f"line {index + 1}")
    assert problems and all("linux-6.6" not in p.message for p in problems)
    assert any("drivers/i2c/busses/Kconfig" in p.message for p in problems)


def test_a_stray_line_after_a_long_one_is_wrapped_only_if_the_hunk_then_adds_up() -> None:
    """A line with no diff prefix after a long line is the mailer's wrapping when the hunk's
    counts leave no room for it; when they do (it counted as context, the hunk ends exactly),
    it is a context line that lost its leading space."""
    from patchlint.model.hunks import diagnose

    long_line = "+\tif (!(enabled & DW_IC_ENABLE_ENABLE) || !(stat & ~DW_IC_INTR_ACTIVITY))"
    lost = ["--- a/f.c", "+++ b/f.c", "@@ -1,3 +1,3 @@", " a", "-b", long_line, "\treturn IRQ_NONE;"]
    wrapped = ["--- a/f.c", "+++ b/f.c", "@@ -1,3 +1,3 @@", " a", "-b", long_line[:60], long_line[60:], " c"]
    (found,) = diagnose(lost, 0, len(lost), lambda index: f"line {index + 1}")
    assert found.kind == "lost-space" and found.index == 6
    kinds = [p.kind for p in diagnose(wrapped, 0, len(wrapped), lambda index: f"line {index + 1}")]
    assert kinds == ["wrapped"]


def test_a_context_line_led_by_a_no_break_space_is_told_as_such() -> None:
    from patchlint.model.hunks import diagnose

    lines = ["--- a/f.c", "+++ b/f.c", "@@ -1,3 +1,3 @@", "\u00a0a", "-b", "+c", "\u00a0d"]
    problems = diagnose(lines, 0, len(lines), lambda index: f"line {index + 1}")
    assert [(p.kind, p.index) for p in problems] == [("no-break-space", 3), ("no-break-space", 6)]
    assert "wrapped" not in problems[0].message and "U+00A0" in problems[0].message
