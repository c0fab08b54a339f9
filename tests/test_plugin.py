"""The pytest plugin: item planning as a plain function, then ``pytest --patchlint`` driven
through pytester as a user would run it (``patchlint check`` is in test_cli.py)."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from patchlint.engine import Engine, Outcome
from patchlint.items import ItemSpec, node_name, plan_items, target_name
from patchlint.pytest_plugin import keyword_selector

from paths import EXAMPLES, RULE_EXAMPLES, SEEDS

BAD_PREFIXES = RULE_EXAMPLES / "subject-prefix" / "bad-prefixes.mbox"
BAD_SIGNOFFS = RULE_EXAMPLES / "signed-off-by" / "bad-signoffs.mbox"

# The rules these tests count items for; new rules must not change the counts.
FIXED_RULES = "select: [PL101, PL102, PL201, PL301, PL401, PL402]\n"
FIXED = ("--patchlint-config", "fixed.yaml")


def series_archive(*, resent: bool = False) -> bytes:
    """The bundled v2 series as one mbox; ``resent``: followed by a resend of it (the same
    subjects under new Message-IDs, as `git send-email` sends it again)."""
    mails = [p.read_bytes() for p in sorted((EXAMPLES / "series").iterdir())]
    archive = b"\n".join(mails)
    if resent:
        again = b"\n".join(m.replace(b".git.ada@example.org", b".git.ada.resend@example.org") for m in mails)
        archive += b"\n" + again
    return archive


def outcomes_of(*paths: Path, config: str | None = None, select=None) -> list[Outcome]:
    return list(Engine(config).run(paths, select))


def ids(specs: list[ItemSpec]) -> list[str]:
    return ["::".join((spec.source, *spec.names)) for spec in specs]


@pytest.fixture
def fixed(write_config) -> str:
    return str(write_config(FIXED_RULES, "fixed.yaml"))


# -- planning: outcomes to items, no pytest run ------------------------------------------------


def test_rule_granularity_makes_one_item_per_target_and_rule(fixed: str) -> None:
    specs = plan_items(outcomes_of(EXAMPLES / "series", config=fixed), "rule")
    assert len(specs) == 11  # 3 posting rules x 2 patches, 2 on the cover, 3 series rules
    patch = "examples/series/v2-0001-netfilter-nft_counter-reset-the-counters-on-dump-.patch"
    assert f"{patch}::#0 (PATCH v2 1/2) netfilter: nft_counter: reset the counters on dump-and-reset::PL301-signed-off-by" in ids(specs)
    # A series' items come right after its anchor's (the cover letter's) own.
    cover = [i.split("::", 1)[1] for i in ids(specs) if i.startswith("examples/series/v2-0000")]
    assert cover == [
        "#0 (PATCH v2 0/2) netfilter: nft_counter: fix dump-and-reset::PL101-subject-prefix",
        "#0 (PATCH v2 0/2) netfilter: nft_counter: fix dump-and-reset::PL401-diffstat-mismatch",
        "series #0 (PATCH v2 0/2) netfilter: nft_counter: fix dump-and-reset::PL102-series-prefix-mismatch",
        "series #0 (PATCH v2 0/2) netfilter: nft_counter: fix dump-and-reset::PL201-version-changelog",
        "series #0 (PATCH v2 0/2) netfilter: nft_counter: fix dump-and-reset::PL402-cover-diffstat-mismatch",
    ]


def test_posting_granularity_carries_the_series_on_its_cover(fixed: str) -> None:
    specs = plan_items(outcomes_of(EXAMPLES / "series", config=fixed), "posting")
    assert [len(s.names) for s in specs] == [1, 1, 1]
    cover = specs[0]
    assert cover.names == ("#0 (PATCH v2 0/2) netfilter: nft_counter: fix dump-and-reset",)
    assert [r.code for r in cover.rules] == ["PL101", "PL401", "PL102", "PL201", "PL402"]


def test_series_granularity_makes_one_item_per_series(tmp_path: Path, fixed: str) -> None:
    archive = tmp_path / "archive.mbox"
    archive.write_bytes(series_archive())
    specs = plan_items(outcomes_of(archive, config=fixed), "series")
    assert len(specs) == 1
    (spec,) = specs
    assert spec.names == ("series #0 (PATCH v2 0/2) netfilter: nft_counter: fix dump-and-reset",)
    # It reports the rules of its postings and of the series; -k matches the postings' names too.
    assert {r.code for r in spec.rules} == {"PL101", "PL102", "PL201", "PL301", "PL401", "PL402"}
    assert "#2 (PATCH v2 2/2) netfilter: nft_counter: export the dump helper" in spec.keywords


def test_auto_granularity_decides_per_file(tmp_path: Path, fixed: str) -> None:
    small = tmp_path / "small.mbox"
    small.write_bytes(series_archive())
    big = tmp_path / "seeds.txt"
    shutil.copy(SEEDS / "004_271b2fddaf384f67.txt", big)
    outcomes = outcomes_of(small, big, config=fixed)
    specs = plan_items(outcomes, "auto", auto_limit=3)
    small_specs = [s for s in specs if s.source.endswith("small.mbox")]
    big_specs = [s for s in specs if s.source.endswith("seeds.txt")]
    assert small_specs and all(len(s.names) == 2 for s in small_specs)  # 3 postings: per rule
    assert big_specs and all(len(s.names) == 1 and s.names[0].startswith("series #") for s in big_specs)
    assert "series #3 (GIT PULL) KVM/arm64 fixes for 5.9" in [s.names[0] for s in big_specs]


@pytest.mark.parametrize("granularity", ["rule", "posting", "series", "auto"])
def test_ids_are_unique_for_a_resent_series(tmp_path: Path, granularity: str) -> None:
    archive = tmp_path / "archive.mbox"
    archive.write_bytes(series_archive(resent=True))
    found = ids(plan_items(outcomes_of(archive), granularity))
    assert len(found) == len(set(found))
    names = {i.split("::")[1] for i in found}
    # The two sendings are two series with one title, told apart by their anchor's index (at
    # posting granularity the cover letters' items carry the series).
    word = "" if granularity == "posting" else "series "
    assert {f"{word}#0 (PATCH v2 0/2) netfilter: nft_counter: fix dump-and-reset",
            f"{word}#3 (PATCH v2 0/2) netfilter: nft_counter: fix dump-and-reset"} <= names


def test_node_names_have_no_brackets_and_no_separator() -> None:
    assert node_name("[PATCH v2 1/2] x::y  z") == "(PATCH v2 1/2) x:y z"
    assert len(node_name("x" * 200)) == 90


def test_keyword_selector_sees_target_and_rule_names(fixed: str) -> None:
    select = keyword_selector("PL301 or nft_counter and cover", lambda source: (source,))
    assert select is not None
    outcomes = outcomes_of(EXAMPLES / "series", config=fixed, select=select)
    ran = {(o.target.index, o.target.source.rsplit("/", 1)[1][:7], r.code) for o in outcomes for r in o.rules}
    # PL301 on both patches; every rule on the cover letter (its file name says cover).
    assert ("0", "v2-0001", "PL301") in {(str(i), s, c) for i, s, c in ran}
    assert all(code == "PL301" or source == "v2-0000" for _, source, code in ran)
    assert ("0", "v2-0000", "PL101") in {(str(i), s, c) for i, s, c in ran}
    assert keyword_selector("", lambda s: (s,)) is None


def test_skipped_messages_make_no_items() -> None:
    outcomes = outcomes_of(SEEDS / "004_271b2fddaf384f67.txt")
    specs = plan_items(outcomes, "posting")
    covered = {s.names[0].split(" ", 1)[0] for s in specs}
    assert all(f"#{o.target.index}" in covered for o in outcomes if o.rules and o.target.scope.value == "posting")
    assert target_name(outcomes[0].target).startswith("#0 ")


# -- pytest --patchlint, through pytester ---------------------------------------------------------


@pytest.fixture
def series_dir(pytester: pytest.Pytester) -> Path:
    target = pytester.path / "series"
    shutil.copytree(EXAMPLES / "series", target)
    pytester.makefile(".yaml", fixed=FIXED_RULES)
    return target


def collected(result: pytest.RunResult) -> int:
    match = re.search(r"collected (\d+) items?", result.stdout.str())
    assert match, result.stdout.str()
    return int(match.group(1))


def test_plugin_is_inert_without_the_option(pytester: pytest.Pytester, series_dir: Path) -> None:
    result = pytester.runpytest(str(series_dir))
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.no_fnmatch_line("*messages read*")


def test_clean_series_passes_with_one_item_per_rule(pytester: pytest.Pytester, series_dir: Path) -> None:
    result = pytester.runpytest("--patchlint", *FIXED, "-v", "series")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=11)
    assert collected(result) == 11  # the series' items are collected like the others
    result.stdout.fnmatch_lines([
        "series/v2-0000-cover-letter.patch::series #0 (PATCH v2 0/2)*::PL201-version-changelog PASSED*",
        "series/v2-0001-*.patch::#0 (PATCH v2 1/2) netfilter: nft_counter: reset the counters on dump-and-reset::PL301-signed-off-by PASSED*",
        "*3 messages read (2 patch, 1 cover); 1 series*",
        "*3 checked, 0 skipped, 0 unparseable*",
        "*profiles: fixed.yaml 3 postings*",
    ])


def test_failure_prints_source_line_code_name_message(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_PREFIXES, pytester.path)
    result = pytester.runpytest("--patchlint", "--patchlint-config", "default", "bad-prefixes.mbox")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "bad-prefixes.mbox:9: PL101 subject-prefix: prefix word 'Patch' should be written 'PATCH' in '[[]Patch v3 1/2[]]'",
        "bad-prefixes.mbox:111: PL101 subject-prefix: counter '3' is not padded*",
        "*PL101 subject-prefix (error): 8*",
    ])


def test_failure_header_names_the_posting_once(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_SIGNOFFS, pytester.path)
    result = pytester.runpytest("--patchlint", "-k", "PL301", "bad-signoffs.mbox")
    headers = [line for line in result.stdout.lines if line.startswith("_") and "PL301" in line]
    assert headers, result.stdout.str()
    for header in headers:
        assert header.count("nft_counter: reset the counters") == 1, header
        assert re.search(r" bad-signoffs\.mbox#\d: \[PATCH v2 1/2\] .* · PL301 signed-off-by ", header), header


def test_k_selects_by_rule(pytester: pytest.Pytester, series_dir: Path) -> None:
    result = pytester.runpytest("--patchlint", *FIXED, "-v", "-k", "PL301", "series")
    result.assert_outcomes(passed=2)
    assert collected(result) == 2  # only the selected rule ran: nothing else was collected
    result.stdout.fnmatch_lines(["*PL301-signed-off-by PASSED*"])
    result.stdout.no_fnmatch_line("*PL101*PASSED*")


def test_k_selects_by_posting(pytester: pytest.Pytester, series_dir: Path) -> None:
    result = pytester.runpytest("--patchlint", *FIXED, "-k", "export", "series")
    result.assert_outcomes(passed=3)  # PL101, PL301, PL401 on patch 2


@pytest.mark.parametrize("granularity", ["rule", "posting", "series"])
def test_k_selects_a_rule_at_every_granularity(pytester: pytest.Pytester, granularity: str) -> None:
    (pytester.path / "archive.mbox").write_bytes(BAD_SIGNOFFS.read_bytes())
    everything = pytester.runpytest("--patchlint", f"--patchlint-granularity={granularity}", "archive.mbox")
    assert "PL110 series-numbering" in everything.stdout.str()  # the series has other findings
    for selector in ("PL301", "signed-off-by"):
        result = pytester.runpytest("--patchlint", f"--patchlint-granularity={granularity}", "-k", selector, "archive.mbox")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        out = result.stdout.str()
        assert "archive.mbox:17: PL301 signed-off-by: no Signed-off-by" in out
        assert not re.search(r"PL(1\d\d|116) ", out.split("= patchlint =")[0]), out


def test_posting_granularity_makes_one_item_per_posting(pytester: pytest.Pytester, series_dir: Path) -> None:
    result = pytester.runpytest("--patchlint", *FIXED, "--patchlint-granularity=posting", "-v", "series")
    result.assert_outcomes(passed=3)  # the cover letter's item also reports the series rules
    result.stdout.fnmatch_lines([
        "series/v2-0001-*.patch::#0 (PATCH v2 1/2) netfilter: nft_counter: reset the counters on dump-and-reset PASSED*",
    ])


def test_posting_granularity_reports_series_violations_on_the_cover(pytester: pytest.Pytester) -> None:
    shutil.copy(RULE_EXAMPLES / "version-changelog" / "bad-newest-entry-missing.mbox", pytester.path)
    # The kernel profile makes a missing changelog an error (the default: a warning).
    result = pytester.runpytest("--patchlint", "--patchlint-config", "kernel", "--patchlint-granularity=posting", "-k", "0/2")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["bad-newest-entry-missing.mbox:*: PL201 version-changelog: the newest changelog entry is headed v2*"])


def test_series_granularity_checks_each_series_in_one_item(pytester: pytest.Pytester, series_dir: Path) -> None:
    (pytester.path / "archive.mbox").write_bytes(series_archive())
    result = pytester.runpytest("--patchlint", *FIXED, "--patchlint-granularity=series", "-v", "archive.mbox")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([
        "archive.mbox::series #0 (PATCH v2 0/2) netfilter: nft_counter: fix dump-and-reset PASSED*",
    ])
    shutil.copy(BAD_SIGNOFFS, pytester.path / "bad.mbox")
    result = pytester.runpytest("--patchlint", *FIXED, "--patchlint-granularity=series", "bad.mbox")
    result.assert_outcomes(failed=1)  # four copies of one patch (one Message-ID): one series
    result.stdout.fnmatch_lines(["bad.mbox:17: PL301 signed-off-by: no Signed-off-by*"])


def test_ini_keys_enable_and_configure(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_PREFIXES, pytester.path)
    pytester.makefile(".yaml", lint="select: [PL301]\n")
    pytester.makeini("[pytest]\npatchlint = true\npatchlint_config = lint.yaml\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=9)  # only signed-off-by runs, and every message signs off


def test_configuration_error_is_a_usage_error(pytester: pytest.Pytester, series_dir: Path) -> None:
    pytester.makefile(".yaml", lint="rules:\n  subject-prefix:\n    severity: fatal\n")
    result = pytester.runpytest("--patchlint", "--patchlint-config", "lint.yaml", str(series_dir))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*lint.yaml:3: severity 'fatal' for subject-prefix; use error, warning or info*"])


def test_warnings_are_patchlint_output_not_python_warnings(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_PREFIXES, pytester.path)
    pytester.makefile(".yaml", lint="select: [PL101]\nrules:\n  PL101:\n    severity: warning\n")
    result = pytester.runpytest("--patchlint", "--patchlint-config", "lint.yaml", "-v", "bad-prefixes.mbox")
    assert result.ret == pytest.ExitCode.OK
    out = result.stdout.str()
    for absent in ("PatchlintWarning", "warnings summary", "docs.pytest.org", "pytest_plugin.py", "warnings.warn"):
        assert absent not in out
    result.stdout.fnmatch_lines(["*::PL101-subject-prefix WARNING*"])
    section = out.split("= patchlint =", 1)[1]
    listed = [line for line in section.splitlines() if " PL101 " in line and "(warning)" not in line]
    counted = re.search(r"PL101 subject-prefix \(warning\): (\d+)", section)
    assert counted and len(listed) == int(counted.group(1)) > 1
    assert all(re.match(r"bad-prefixes\.mbox:\d+: PL101 subject-prefix: ", line) for line in listed)
    quiet = pytester.runpytest("--patchlint", "--patchlint-config", "lint.yaml", "-q", "bad-prefixes.mbox")
    assert "W" in quiet.stdout.lines[0]  # the progress letter of items passing with warnings


def test_quiet_run_leads_with_the_summary(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_PREFIXES, pytester.path)
    out = pytester.runpytest("--patchlint", "-q", "bad-prefixes.mbox").stdout.str()
    assert out.index("= patchlint =") < out.index("= FAILURES =")
    out = pytester.runpytest("--patchlint", "bad-prefixes.mbox").stdout.str()
    assert out.index("= FAILURES =") < out.index("= patchlint =")


def test_junitxml_names_survive_and_warnings_reach_dashboards(pytester: pytest.Pytester) -> None:
    (pytester.path / "archive.mbox").write_bytes(series_archive(resent=True) + b"\n" + BAD_PREFIXES.read_bytes())
    pytester.makefile(".yaml", lint="extends: default\nrules:\n  PL101:\n    severity: warning\n")
    pytester.makeini("[pytest]\njunit_logging = system-out\n")
    for granularity in ("rule", "series"):
        result = pytester.runpytest("--patchlint", "--patchlint-config", "lint.yaml", f"--patchlint-granularity={granularity}",
                                    "--junitxml=out.xml", "archive.mbox")
        cases = ET.parse(pytester.path / "out.xml").getroot().iter("testcase")
        cases = list(cases)
        names = [(case.get("classname"), case.get("name")) for case in cases]
        assert len(names) == len(set(names)) == collected(result)
        assert not any("[" in name or "]" in name for _, name in names)
        warned = [c for c in cases if any(p.get("value", "").startswith("archive.mbox:") and " PL101 " in p.get("value", "")
                                          for p in c.iter("property"))]
        assert warned
        assert all(" PL101 subject-prefix: " in (c.findtext("system-out") or "") for c in warned)


def test_only_the_files_asked_for_are_read(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_PREFIXES, pytester.path)
    (pytester.path / "other.mbox").write_bytes(series_archive())
    result = pytester.runpytest("--patchlint", "other.mbox")  # pytest also sees bad-prefixes.mbox
    result.assert_outcomes(passed=collected(result))
    result.stdout.fnmatch_lines(["*3 messages read (2 patch, 1 cover); 1 series*"])


def test_python_tests_and_config_files_coexist(pytester: pytest.Pytester, series_dir: Path) -> None:
    pytester.makepyfile(test_other="def test_ok():\n    assert True\n")
    pytester.makefile(".yaml", notmail="from: someone\nsubject: not a mail\n")
    result = pytester.runpytest("--patchlint", *FIXED)
    result.assert_outcomes(passed=12)


def test_a_walked_folder_is_pytests_walk(pytester: pytest.Pytester) -> None:
    """`pytest --patchlint DIR` inside a project: pytest walks DIR with the project's settings
    (its norecursedirs leave dist/ out); mail is claimed by content whatever the file is called,
    Python files stay pytest's, files that are not mail are the project's and not reported, and a
    link back into the walk is not followed (each mail below it was read again at every level).
    `patchlint check` reads and accounts for all of these: test_cli.py."""
    from test_cli import folder_of_every_kind_of_file

    folder_of_every_kind_of_file(pytester.path / "branch")
    result = pytester.runpytest("--patchlint", "--patchlint-config", "default", "branch")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    result.stdout.fnmatch_lines(["*4 messages read (4 patch); 4 series*", "*4 checked, 0 skipped, 0 unparseable*"])
    read = {line.split("::", 1)[0] for line in pytester.runpytest(
        "--patchlint", "--patchlint-config", "default", "--collect-only", "-q", "branch").stdout.lines if "::" in line}
    assert read == {"branch/0001-fix.patch", "branch/saved.md", "branch/export.json", "branch/lint.yaml"}


def test_named_file_that_is_not_mail_is_reported(pytester: pytest.Pytester) -> None:
    pytester.makefile(".txt", notes="just some notes\n")
    result = pytester.runpytest("--patchlint", "notes.txt")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["notes.txt:1: PL001 unparseable-message: unparseable: not a mail message*"])
    result.stdout.no_fnmatch_line("*not found*")


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
    result.stdout.fnmatch_lines(["*1 message read (1 patch); 1 series*"])


def test_last_failed_reruns_only_the_failures(pytester: pytest.Pytester) -> None:
    shutil.copy(BAD_PREFIXES, pytester.path)
    first = pytester.runpytest("--patchlint", "-k", "PL101 or PL301", "bad-prefixes.mbox")
    failed = first.parseoutcomes()["failed"]
    again = pytester.runpytest("--patchlint", "--lf", "-k", "PL101 or PL301", "bad-prefixes.mbox")
    again.assert_outcomes(failed=failed, deselected=first.parseoutcomes()["passed"])


# -- one run path: the plugin says what the engine says ------------------------------------------


def every_example() -> list[Path]:
    files = [p for p in sorted(EXAMPLES.rglob("*")) if p.is_file()]
    files += [p for p in sorted(RULE_EXAMPLES.rglob("*")) if p.is_file() and p.name != "patchlint.yaml"]
    return files + sorted(SEEDS.iterdir())


def test_same_findings_and_counts_as_the_engine(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    copies = []
    for index, path in enumerate(every_example()):
        target = pytester.path / "in" / f"{index:03d}-{path.parent.name}-{path.name}"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(path.read_bytes())
        copies.append(target.relative_to(pytester.path).as_posix())
    monkeypatch.chdir(pytester.path)
    report = Engine().check(copies)
    expected = Counter(v.format() for v in report.violations)
    for granularity in ("rule", "series"):
        result = pytester.runpytest("--patchlint", f"--patchlint-granularity={granularity}", "--junitxml=out.xml", *copies)
        found = Counter(
            prop.get("value") for prop in ET.parse(pytester.path / "out.xml").getroot().iter("property")
            if prop.get("name") == "violation"
        )
        assert found == expected
        section = result.stdout.str().split("= patchlint =", 1)[1].splitlines()[1:]
        assert section[: len(report.summary_lines())] == report.summary_lines()


def test_a_relay_duplicate_is_counted_not_judged(pytester: pytest.Pytester) -> None:
    """The pytest run and the engine agree: a mail delivered twice is one posting."""
    shutil.copy(RULE_EXAMPLES / "series-threading" / "good-relay-duplicates.mbox", pytester.path)
    result = pytester.runpytest("--patchlint", "good-relay-duplicates.mbox")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*7 messages read (5 patch, 2 cover); 1 series; 3 repeated deliveries*"])


def test_failures_are_printed_without_scanning_every_report(pytester: pytest.Pytester) -> None:
    """pytest's terminal reporter looks through its kept setup and teardown reports for each
    failure it prints (a cost of failures × items on an archive): the plugin's items leave none
    there, and failures are still printed, teardown output of other tests still kept."""
    (pytester.path / "bad-prefixes.mbox").write_bytes(BAD_PREFIXES.read_bytes())
    pytester.makeconftest(
        "import pytest\n"
        "@pytest.hookimpl(trylast=True)\n"
        "def pytest_terminal_summary(terminalreporter):\n"
        "    kept = terminalreporter.stats.get('', [])\n"
        "    terminalreporter.write_line(f'KEPT {len(kept)} ' + ' '.join(sorted({r.nodeid for r in kept})))\n"
    )
    pytester.makepyfile(test_other="def test_other():\n    pass\n")
    result = pytester.runpytest("--patchlint", "--patchlint-granularity=rule", "bad-prefixes.mbox", "test_other.py")
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] >= 2
    result.stdout.fnmatch_lines(["*PL101 subject-prefix*", "KEPT 2 test_other.py::test_other"])
