"""The pytest plugin, driven through pytester as a user would run it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paths import EXAMPLES, RULE_EXAMPLES, SEEDS

BAD_PREFIXES = RULE_EXAMPLES / "subject-prefix" / "bad-prefixes.mbox"


# The rules these tests count items for; new rules must not change the counts.
FIXED_RULES = "select: [PL101, PL102, PL201, PL301, PL401, PL402]\n"


@pytest.fixture
def series_dir(pytester: pytest.Pytester) -> Path:
    target = pytester.path / "series"
    shutil.copytree(EXAMPLES / "series", target)
    pytester.makefile(".yaml", fixed=FIXED_RULES)
    return target


FIXED = ("--patchlint-config", "fixed.yaml")


def test_plugin_is_inert_without_the_option(pytester: pytest.Pytester, series_dir: Path) -> None:
    result = pytester.runpytest(str(series_dir))
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.no_fnmatch_line("*messages read*")


def test_clean_series_passes_with_one_item_per_rule(pytester: pytest.Pytester, series_dir: Path) -> None:
    result = pytester.runpytest("--patchlint", *FIXED, "-v", str(series_dir))
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=11)
    result.stdout.fnmatch_lines([
        "*v2-0001-*.patch::#0 [[]PATCH v2 1/2[]] netfilter: nft_counter: reset the counters on dump-and-reset::PL301-signed-off-by PASSED*",
        "*v2-0000-cover-letter.patch::series [[]PATCH v2 0/2[]]*::PL201-version-changelog PASSED*",
        "*3 messages read (2 patch, 1 cover); 1 series*",
    ])


def test_failure_prints_source_line_code_name_message(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_PREFIXES, pytester.path)
    result = pytester.runpytest("--patchlint", "bad-prefixes.mbox")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "bad-prefixes.mbox:9: PL101 subject-prefix: prefix word 'Patch' should be written 'PATCH' in '[[]Patch v3 1/2[]]'",
        "bad-prefixes.mbox:111: PL101 subject-prefix: counter '3' is not padded*",
        "*PL101 subject-prefix (error): 8*",
    ])


def test_k_selects_by_rule(pytester: pytest.Pytester, series_dir: Path) -> None:
    result = pytester.runpytest("--patchlint", *FIXED, "-v", "-k", "PL301", str(series_dir))
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*PL301-signed-off-by PASSED*"])
    result.stdout.no_fnmatch_line("*PL101*PASSED*")


def test_k_selects_by_posting(pytester: pytest.Pytester, series_dir: Path) -> None:
    result = pytester.runpytest("--patchlint", *FIXED, "-k", "export", str(series_dir))
    result.assert_outcomes(passed=3)  # PL101, PL301, PL401 on patch 2


def test_posting_granularity_makes_one_item_per_posting(pytester: pytest.Pytester, series_dir: Path) -> None:
    result = pytester.runpytest("--patchlint", *FIXED, "--patchlint-granularity=posting", "-v", str(series_dir))
    result.assert_outcomes(passed=3)  # the cover letter's item also runs the series rules
    result.stdout.fnmatch_lines([
        "*v2-0001-*.patch::#0 [[]PATCH v2 1/2[]] netfilter: nft_counter: reset the counters on dump-and-reset PASSED*",
    ])


def test_posting_granularity_reports_series_violations_on_the_cover(pytester: pytest.Pytester) -> None:
    shutil.copy(RULE_EXAMPLES / "version-changelog" / "bad-newest-entry-missing.mbox", pytester.path)
    # The kernel profile makes a missing changelog an error (the default: a warning).
    result = pytester.runpytest("--patchlint", "--patchlint-config", "kernel", "--patchlint-granularity=posting", "-k", "0/2")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["bad-newest-entry-missing.mbox:*: PL201 version-changelog: the newest changelog entry is for v2*"])


def test_ini_keys_enable_and_configure(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_PREFIXES, pytester.path)
    pytester.makefile(".yaml", lint="select: [PL301]\n")
    pytester.makeini("[pytest]\npatchlint = true\npatchlint_config = lint.yaml\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=8)  # only signed-off-by runs, and every message signs off


def test_junitxml_names_rules_and_records_violations(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_PREFIXES, pytester.path)
    result = pytester.runpytest("--patchlint", "--junitxml=out.xml", "-k", "PL101")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    xml = (pytester.path / "out.xml").read_text()
    # (pytest 9.2 appends a stray "]" to names holding brackets, so the closing quote is not checked)
    assert 'name="#0 [Patch v3 1/2] netfilter: nft_counter: reset the counters on dump-and-reset::PL101-subject-prefix' in xml
    assert "bad-prefixes.mbox:9: PL101 subject-prefix" in xml


def test_configuration_error_is_a_usage_error(pytester: pytest.Pytester, series_dir: Path) -> None:
    pytester.makefile(".yaml", lint="rules:\n  subject-prefix:\n    severity: fatal\n")
    result = pytester.runpytest("--patchlint", "--patchlint-config", "lint.yaml", str(series_dir))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*lint.yaml:3: severity 'fatal' for subject-prefix; use error, warning or info*"])


def test_warning_severity_passes_and_shows_a_warning(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_PREFIXES, pytester.path)
    pytester.makefile(".yaml", lint="select: [PL101]\nrules:\n  PL101:\n    severity: warning\n")
    result = pytester.runpytest("--patchlint", "--patchlint-config", "lint.yaml", "bad-prefixes.mbox")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*PatchlintWarning: bad-prefixes.mbox:9: PL101 subject-prefix*"])


def test_python_tests_and_config_files_coexist(pytester: pytest.Pytester, series_dir: Path) -> None:
    pytester.makepyfile(test_other="def test_ok():\n    assert True\n")
    pytester.makefile(".yaml", notmail="from: someone\nsubject: not a mail\n")
    result = pytester.runpytest("--patchlint", *FIXED)
    result.assert_outcomes(passed=12)


def test_unparseable_file_with_a_mail_suffix_fails(pytester: pytest.Pytester) -> None:
    pytester.makefile(".patch", broken="diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")
    result = pytester.runpytest("--patchlint")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["broken.patch:1: PL001 unparseable-message: unparseable: not a mail message*"])


def test_maildir_delivery_area_is_not_read(pytester: pytest.Pytester) -> None:
    for sub in ("cur", "new", "tmp"):
        (pytester.path / "box" / sub).mkdir(parents=True)
    shutil.copy(next((EXAMPLES / "series").glob("*0001*")), pytester.path / "box" / "new" / "1.host")
    (pytester.path / "box" / "tmp" / "2.host").write_text("half-written")
    pytester.makefile(".yaml", fixed=FIXED_RULES)
    result = pytester.runpytest("--patchlint", *FIXED, "box")
    result.assert_outcomes(passed=4)  # 3 posting rules, and version-changelog on its v2 series
    result.stdout.fnmatch_lines(["*1 messages read (1 patch); 1 series*"])


def test_auto_granularity_makes_archives_one_item_per_series(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    import patchlint.pytest_plugin as plugin

    monkeypatch.setattr(plugin, "AUTO_LIMIT", 3)
    archive = pytester.path / "archive.mbox"
    archive.write_bytes(b"\n".join(p.read_bytes() for p in sorted((EXAMPLES / "series").iterdir())))
    shutil.copy(SEEDS / "004_271b2fddaf384f67.txt", pytester.path / "seeds.txt")
    pytester.makefile(".yaml", fixed=FIXED_RULES)
    result = pytester.runpytest("--patchlint", *FIXED, "--collect-only", "-q")
    lines = result.stdout.lines
    # archive.mbox holds 3 postings (within the limit): per-rule items.
    assert any(line.startswith("archive.mbox::#1 ") and line.endswith("::PL301-signed-off-by") for line in lines)
    # seeds.txt holds 8 (over it): one item per series, none per posting or rule.
    seeds = [line for line in lines if line.startswith("seeds.txt::")]
    assert "seeds.txt::series [GIT PULL] KVM/arm64 fixes for 5.9" in seeds
    assert all(line.startswith("seeds.txt::series ") and "::PL" not in line for line in seeds)
    assert len(seeds) == 6  # the pull request with its two patches, and five single postings


def test_series_granularity_checks_each_series_in_one_item(pytester: pytest.Pytester, series_dir: Path) -> None:
    archive = pytester.path / "archive.mbox"
    archive.write_bytes(b"\n".join(p.read_bytes() for p in sorted(series_dir.iterdir())))
    result = pytester.runpytest("--patchlint", *FIXED, "--patchlint-granularity=series", "-v", str(archive))
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([
        "*archive.mbox::series [[]PATCH v2 0/2[]] netfilter: nft_counter: fix dump-and-reset PASSED*",
    ])
    shutil.copy(RULE_EXAMPLES / "signed-off-by" / "bad-signoffs.mbox", pytester.path / "bad.mbox")
    result = pytester.runpytest("--patchlint", *FIXED, "--patchlint-granularity=series", "bad.mbox")
    result.assert_outcomes(failed=1)  # four copies of one patch (one Message-ID): one series
    result.stdout.fnmatch_lines(["bad.mbox:17: PL301 signed-off-by: no Signed-off-by*"])


def test_a_relay_duplicate_is_counted_not_judged(pytester: pytest.Pytester) -> None:
    """The pytest run and the engine agree: a mail delivered twice is one posting."""
    shutil.copy(RULE_EXAMPLES / "series-threading" / "good-relay-duplicates.mbox", pytester.path)
    result = pytester.runpytest("--patchlint", "good-relay-duplicates.mbox")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*7 messages read (5 patch, 2 cover); 1 series; 3 repeated deliveries*"])
