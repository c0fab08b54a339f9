"""Diffstats as git prints them below ``---`` and in cover letters and pull requests."""

from __future__ import annotations

import pytest

from model_helpers import SERIES_DIR, load, read_postings
from patchlint.model.diffstat import (
    find_diffstats,
    is_stat_line,
    split_rename,
    unquote_path,
)


def _stat(text: str):
    lines = text.split("\n")
    stats = find_diffstats(lines, 0, len(lines))
    assert len(stats) == 1, stats
    return stats[0]


# -- rows --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "old", "new", "count", "bar", "binary", "shortened"),
    [
        pytest.param(" arch/x86/kvm/x86.c             | 4 ++--",
                     "arch/x86/kvm/x86.c", "arch/x86/kvm/x86.c", 4, "++--", False, False, id="plain"),
        pytest.param(" arch/x86/kvm/svm/svm.c | 412 +++++++++++++++++++---------------",
                     "arch/x86/kvm/svm/svm.c", "arch/x86/kvm/svm/svm.c", 412,
                     "+++++++++++++++++++---------------", False, False, id="scaled-bar"),
        pytest.param(" Documentation/virt/kvm/images/tsc-ratio.png   | Bin 0 -> 172 bytes",
                     "Documentation/virt/kvm/images/tsc-ratio.png",
                     "Documentation/virt/kvm/images/tsc-ratio.png", None, "", True, False, id="bin-sizes"),
        pytest.param(" firmware/blob.bin | Bin",
                     "firmware/blob.bin", "firmware/blob.bin", None, "", True, False, id="bin-bare"),
        pytest.param(" arch/x86/kvm/{timer.c => lapic_timer.c}       |  1 +",
                     "arch/x86/kvm/timer.c", "arch/x86/kvm/lapic_timer.c", 1, "+", False, False,
                     id="rename-braces"),
        pytest.param(" {include => arch/x86/include}/asm/kvm_para.h | 10 +++++++---",
                     "include/asm/kvm_para.h", "arch/x86/include/asm/kvm_para.h", 10, "+++++++---",
                     False, False, id="rename-braces-leading"),
        pytest.param(" drivers/{net => }/tsc_demo.c | 1 +",
                     "drivers/net/tsc_demo.c", "drivers/tsc_demo.c", 1, "+", False, False,
                     id="rename-braces-empty-side"),
        pytest.param(" tsc_demo.c => drivers/misc/tsc_demo.c | 0",
                     "tsc_demo.c", "drivers/misc/tsc_demo.c", 0, "", False, False, id="rename-arrow"),
        pytest.param(" .../selftests/kvm/x86_64/tsc_khz_test.c       | 23 +++++++++++++++++++",
                     "/selftests/kvm/x86_64/tsc_khz_test.c", "/selftests/kvm/x86_64/tsc_khz_test.c",
                     23, "+++++++++++++++++++", False, True, id="shortened"),
        pytest.param(' "tools/testing/caf\\303\\251 \\"menu\\".txt" |  2 +-',
                     'tools/testing/café "menu".txt', 'tools/testing/café "menu".txt', 2, "+-",
                     False, False, id="quoted-name"),
        pytest.param("     arch/x86/kvm/x86.c | 4 ++--",
                     "arch/x86/kvm/x86.c", "arch/x86/kvm/x86.c", 4, "++--", False, False,
                     id="indented-by-thunderbird"),
        pytest.param(" tools/testing/selftests/kvm/run_tsc_tests.sh  |   0",
                     "tools/testing/selftests/kvm/run_tsc_tests.sh",
                     "tools/testing/selftests/kvm/run_tsc_tests.sh", 0, "", False, False, id="mode-only"),
    ],
)
def test_rows(
    row: str, old: str, new: str, count: int | None, bar: str, binary: bool, shortened: bool
) -> None:
    stat = _stat(f"{row}\n 1 file changed, 1 insertion(+)")
    (parsed,) = stat.rows
    assert (parsed.old_path, parsed.new_path) == (old, new)
    assert (parsed.count, parsed.bar, parsed.binary, parsed.shortened) == (count, bar, binary, shortened)
    assert parsed.index == 0
    assert parsed.text == row.strip().split(" |")[0].rstrip()


@pytest.mark.parametrize(
    ("line", "files", "insertions", "deletions"),
    [
        pytest.param(" 4 files changed, 27 insertions(+), 3 deletions(-)", 4, 27, 3, id="both"),
        pytest.param(" 1 file changed, 1 insertion(+)", 1, 1, 0, id="singular-insertion-only"),
        pytest.param(" 1 file changed, 1 deletion(-)", 1, 0, 1, id="singular-deletion-only"),
        pytest.param(" 1 file changed, 1 insertion(+), 1 deletion(-)", 1, 1, 1, id="singular-both"),
        pytest.param(" 4 files changed, 15 deletions(-)", 4, 0, 15, id="insertions-omitted"),
        pytest.param(" 2 files changed, 0 insertions(+), 0 deletions(-)", 2, 0, 0, id="zeros"),
        pytest.param(" 3 files changed", 3, 0, 0, id="no-counts"),
        pytest.param("    1 file changed, 2 insertions(+), 2 deletions(-)", 1, 2, 2, id="indented"),
    ],
)
def test_summary_lines(line: str, files: int, insertions: int, deletions: int) -> None:
    stat = _stat(line)
    assert (stat.files, stat.insertions, stat.deletions) == (files, insertions, deletions)
    assert stat.rows == ()
    assert stat.summary_index == 0


def test_mode_lines() -> None:
    stat = _stat(
        " 6 files changed, 210 insertions(+), 199 deletions(-)\n"
        " create mode 100644 Documentation/virt/kvm/images/tsc-ratio.png\n"
        " delete mode 100644 arch/x86/kvm/lapic_timer.c\n"
        " rename arch/x86/kvm/{timer.c => lapic_timer.c} (92%)\n"
        " copy drivers/misc/tsc_demo.c => drivers/misc/tsc_demo2.c (100%)\n"
        " rewrite drivers/misc/tsc_old.c (78%)\n"
        " mode change 100644 => 100755 tools/testing/selftests/kvm/run_tsc_tests.sh\n"
        "\n"
        " create mode 100644 not/part/of/the/block.c"
    )
    assert [(m.kind, m.path, m.index) for m in stat.modes] == [
        ("create mode", "Documentation/virt/kvm/images/tsc-ratio.png", 1),
        ("delete mode", "arch/x86/kvm/lapic_timer.c", 2),
        ("rename", "arch/x86/kvm/lapic_timer.c", 3),
        ("copy", "drivers/misc/tsc_demo2.c", 4),
        ("rewrite", "drivers/misc/tsc_old.c", 5),
        ("mode change", "tools/testing/selftests/kvm/run_tsc_tests.sh", 6),
    ]


def test_binary_and_mode_patch_from_format_patch() -> None:
    patch = load("binary-modes.patch")
    stat = patch.diffstat
    assert stat is not None
    assert [(row.new_path, row.binary, row.count) for row in stat.rows] == [
        ("Documentation/virt/kvm/images/tsc-ratio.png", True, None),
        ("Documentation/virt/kvm/images/tsc-scaling.png", True, None),
        ("arch/x86/kvm/lapic_timer.c", False, 15),
        ("tools/testing/selftests/kvm/run_tsc_tests.sh", False, 0),
    ]
    assert (stat.files, stat.insertions, stat.deletions) == (4, 0, 15)
    assert [m.kind for m in stat.modes] == ["create mode", "delete mode", "mode change"]
    assert stat.scaled is False
    assert patch.body.lines[stat.summary_index] == " 4 files changed, 15 deletions(-)"
    assert stat.to_json() == {
        "files": [
            ["Documentation/virt/kvm/images/tsc-ratio.png", "Bin"],
            ["Documentation/virt/kvm/images/tsc-scaling.png", "Bin"],
            ["arch/x86/kvm/lapic_timer.c", 15],
            ["tools/testing/selftests/kvm/run_tsc_tests.sh", 0],
        ],
        "summary": [4, 0, 15],
    }


def test_cover_letter_series_diffstat() -> None:
    cover = read_postings(SERIES_DIR / "v2-0000-cover-letter.patch")[0]
    (stat,) = cover.diffstats
    assert [row.text for row in stat.rows] == [
        "Documentation/virt/kvm/api.rst",
        "arch/x86/kvm/{timer.c => lapic_timer.c}",
        "arch/x86/kvm/x86.c",
        ".../selftests/kvm/x86_64/tsc_khz_test.c",
    ]
    assert [row.count for row in stat.rows] == [2, 1, 4, 23]
    assert sum(row.count or 0 for row in stat.rows) == stat.insertions + stat.deletions == 30
    # git narrowed the bars to fit the long paths: 23 changes drawn with 19 "+".
    assert stat.scaled is True
    assert (stat.rows[3].plus, stat.rows[3].minus) == (19, 0)
    assert [(m.kind, m.path) for m in stat.modes] == [
        ("rename", "arch/x86/kvm/lapic_timer.c"),
        ("create mode", "tools/testing/selftests/kvm/x86_64/tsc_khz_test.c"),
    ]
    # README: shortened paths keep their "..." in the JSON form.
    assert stat.to_json()["files"][3] == [".../selftests/kvm/x86_64/tsc_khz_test.c", 23]


def test_pull_request_diffstat_is_found_in_the_message() -> None:
    pull = load("pull-request.eml")
    stat = pull.diffstat
    assert stat is not None
    assert [row.new_path for row in stat.rows] == [
        "Documentation/virt/kvm/api.rst", "arch/x86/kvm/lapic_timer.c", "arch/x86/kvm/x86.c",
    ]
    assert (stat.files, stat.insertions, stat.deletions) == (3, 4, 3)


def test_row_matches_paths() -> None:
    cover = read_postings(SERIES_DIR / "v2-0000-cover-letter.patch")[0]
    rows = cover.diffstats[0].rows
    renamed, shortened = rows[1], rows[3]
    assert renamed.matches("arch/x86/kvm/lapic_timer.c")
    assert renamed.matches("arch/x86/kvm/timer.c")
    assert not renamed.matches("arch/x86/kvm/lapic.c")
    assert shortened.matches("tools/testing/selftests/kvm/x86_64/tsc_khz_test.c")
    # The shortened tail starts at a path component: a longer file name does not match.
    assert not shortened.matches("tools/testing/my_selftests/kvm/x86_64/tsc_khz_test.c")


def test_scaled_bars() -> None:
    scaled = _stat(
        " arch/x86/kvm/svm/svm.c | 412 +++++++++++++++++++---------------\n"
        " arch/x86/kvm/x86.c     |   4 ++--\n"
        " 2 files changed, 212 insertions(+), 204 deletions(-)"
    )
    assert scaled.scaled is True
    assert scaled.rows[0].plus == 19 and scaled.rows[0].minus == 15
    exact = _stat(
        " arch/x86/kvm/x86.c | 4 ++--\n"
        " logo.png | Bin 0 -> 1234 bytes\n"
        " 2 files changed, 2 insertions(+), 2 deletions(-)"
    )
    assert exact.scaled is False


def test_rows_must_be_contiguous_with_the_summary() -> None:
    lines = [
        " arch/x86/kvm/x86.c | 4 ++--",
        "some notes in between",
        " arch/x86/kvm/lapic.c | 2 +-",
        " 1 file changed, 1 insertion(+), 1 deletion(-)",
    ]
    (stat,) = find_diffstats(lines, 0, len(lines))
    assert [row.new_path for row in stat.rows] == ["arch/x86/kvm/lapic.c"]
    assert [row.index for row in stat.rows] == [2]


def test_several_diffstats_and_a_range() -> None:
    lines = [
        "Changes in v2:",
        " drivers/a.c | 2 +-",
        " 1 file changed, 1 insertion(+), 1 deletion(-)",
        "",
        " drivers/b.c | 1 +",
        " 1 file changed, 1 insertion(+)",
    ]
    assert [s.summary_index for s in find_diffstats(lines, 0, len(lines))] == [2, 5]
    assert [s.summary_index for s in find_diffstats(lines, 3, len(lines))] == [5]
    assert find_diffstats(lines, 0, 2) == ()


def test_table_in_prose_is_not_a_diffstat() -> None:
    lines = ["| vCPUs | exits |", "|  8    | 1200  |", "Benchmarks changed, 3 times."]
    assert find_diffstats(lines, 0, len(lines)) == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(" arch/x86/kvm/x86.c | 4 ++--", True, id="row"),
        pytest.param(" logo.png | Bin 0 -> 172 bytes", True, id="bin-row"),
        pytest.param(" 2 files changed, 3 insertions(+), 3 deletions(-)", True, id="summary"),
        pytest.param(" - Update Documentation/virt/kvm/api.rst", False, id="changelog-bullet"),
        pytest.param("The ABI changed, so the test changed too", False, id="prose-changed"),
        pytest.param(" | 4 ++--", False, id="no-path"),
    ],
)
def test_is_stat_line(line: str, expected: bool) -> None:
    assert is_stat_line(line) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a/{b => c}/d.c", ("a/b/d.c", "a/c/d.c"), id="braces-middle"),
        pytest.param("{a => b}/c.c", ("a/c.c", "b/c.c"), id="braces-start"),
        pytest.param("a/{ => b}/c.c", ("a/c.c", "a/b/c.c"), id="braces-empty-old"),
        pytest.param("old.c => new.c", ("old.c", "new.c"), id="arrow"),
        pytest.param("plain/path.c", ("plain/path.c", "plain/path.c"), id="plain"),
    ],
)
def test_split_rename(text: str, expected: tuple[str, str]) -> None:
    assert split_rename(text) == expected


@pytest.mark.parametrize(
    ("quoted", "plain"),
    [
        pytest.param('"a\\tb.c"', "a\tb.c", id="tab"),
        pytest.param('"caf\\303\\251.c"', "café.c", id="octal-utf8"),
        pytest.param('"say \\"hi\\".txt"', 'say "hi".txt', id="escaped-quote"),
        pytest.param("unquoted.c", "unquoted.c", id="unquoted"),
        pytest.param('"', '"', id="lone-quote"),
    ],
)
def test_unquote_path(quoted: str, plain: str) -> None:
    assert unquote_path(quoted) == plain


# -- names as git's diffstat prints them, checked against git itself ----------------------------


_RENAMES = [
    ("doc/a.txt", "doc/b.asciidoc"),
    ("a.c", "b.c"),
    ("include/asm/x.h", "arch/x86/include/asm/x.h"),
    ("drivers/net/t.c", "drivers/t.c"),
    ("t.c", "drivers/misc/t.c"),
    ("x/y/z.c", "x/q/z.c"),
    ("src/ab.c", "src/abc.c"),
    ("dir/sub/file", "other/sub/file"),
    ("a/b/c/d", "a/b/d"),
    ("lib/a b.c", "lib/a c.c"),
    ("caf\u00e9.c", "cafe.c"),
    ("doc/maintainer-patch-review-checklist.txt", "doc/Maintainer-Patch-Review-Checklist.asciidoc"),
]


def _renamed_in_git(tmp_path, old: str, new: str, width: int) -> list[str]:
    """The diffstat rows ``git diff --stat=WIDTH -M`` prints for renaming ``old`` to ``new``
    (and changing one line of it)."""
    from git_helpers import git, make_repo

    repo = make_repo(tmp_path / "repo")
    source = repo / old
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("".join(f"line {n} of {old}\n" for n in range(30)))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "add")
    (repo / new).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", old, new)
    with open(repo / new, "a") as handle:
        handle.write("one more line\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "move")
    out = git(repo, "-c", "core.quotePath=true", "diff", f"--stat={width}", "-M", "HEAD~", "HEAD")
    return out.splitlines()[:-1]


@pytest.mark.parametrize(("old", "new"), _RENAMES, ids=[f"{o}=>{n}" for o, n in _RENAMES])
def test_stat_name_is_what_git_prints(tmp_path, old: str, new: str) -> None:
    from patchlint.model.diffstat import stat_name

    (row,) = _renamed_in_git(tmp_path, old, new, 400)
    assert row.split(" |")[0].strip() == stat_name(old, new)


@pytest.mark.parametrize("width", [30, 40, 52, 53, 54, 55, 56, 57, 60, 80])
def test_rows_git_shortens_inside_a_rename_stand_for_it(tmp_path, width: int) -> None:
    # git cuts a long row from the left wherever the width falls: inside the old name, inside
    # the " => " ('...> New.asciidoc}', '... New.asciidoc}') or inside the new name.
    old, new = "doc/maintainer-patch-review-checklist.txt", "doc/Maintainer-Patch-Review-Checklist.asciidoc"
    lines = _renamed_in_git(tmp_path, old, new, width)
    stat = _stat("\n".join(lines) + "\n 1 file changed, 1 insertion(+)")
    (row,) = stat.rows
    assert row.stands_for(old, new), row.text
    assert row.matches(new), row.text
    assert not row.stands_for("doc/C-Test-API.txt", "doc/C-Test-API.asciidoc")


@pytest.mark.parametrize(
    ("text", "new"),
    [
        pytest.param("...> Maintainer-Patch-Review-Checklist.asciidoc}", "Maintainer-Patch-Review-Checklist.asciidoc",
                     id="cut-in-arrow"),
        pytest.param("... LTP-Library-API-Writing-Guidelines.asciidoc}", "LTP-Library-API-Writing-Guidelines.asciidoc",
                     id="cut-after-arrow"),
        pytest.param("...=> Shell-Test-API.asciidoc}", "Shell-Test-API.asciidoc", id="cut-before-arrow-head"),
        pytest.param("...t => Shell-Test-API.asciidoc}", "Shell-Test-API.asciidoc", id="cut-in-old-name"),
    ],
)
def test_shortened_rename_rows_name_the_new_file(text: str, new: str) -> None:
    (row,) = _stat(f" {text} | 0\n 1 file changed, 0 insertions(+), 0 deletions(-)").rows
    assert row.shortened and row.new_path == new
    assert row.matches(f"doc/{new}")
