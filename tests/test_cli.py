"""The patchlint command: check, rules, explain, show, and standard input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from patchlint.checks import BUILTIN_RULES
from patchlint.cli import main
from patchlint.engine import Engine
from patchlint.model.posting import Posting

from paths import EXAMPLES, ROOT, RULE_EXAMPLES, SEEDS

SERIES = EXAMPLES / "series"
PROBLEMS = EXAMPLES / "problems"
BAD_SIGNOFFS = RULE_EXAMPLES / "signed-off-by" / "bad-signoffs.mbox"


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where `patchlint check` keeps pytest's cache in these tests (not the real ~/.cache)."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "patchlint", *args],
        input=stdin, capture_output=True, cwd=cwd, timeout=120,
    )


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout.decode() + result.stderr.decode()


def listing(folder: Path) -> list[tuple[str, bytes]]:
    """Every file under ``folder`` with its content: what a run must leave unchanged."""
    return sorted((p.relative_to(folder).as_posix(), p.read_bytes()) for p in folder.rglob("*") if p.is_file())


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for rule in BUILTIN_RULES:
        assert f"{rule.code}  {rule.name}" in out
        assert rule.summary() in out


def test_rules_with_a_config_shows_what_it_enables(capsys, write_config) -> None:
    assert main(["rules", "--config", str(write_config("select: [PL3]\n"))]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:] if line.startswith("PL")}
    assert " yes " in lines["PL301"] and " no " in lines["PL101"]


def test_rules_with_a_profile_shows_what_it_sets_and_its_lists(capsys) -> None:
    assert main(["rules", "--config", "netfilter"]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = {line.split()[0]: line.split() for line in out if line.startswith("PL")}
    assert rows["PL109"][3:5] == ["no", "warning"]  # missing-tree-tag: off (a warning when selected)
    assert rows["PL106"][3:5] == ["yes", "error"]  # the kernel's subsystem prefix
    assert rows["PL311"][3] == "no" and rows["PL115"][3] == "no"
    options = out[out.index(next(line for line in out if line.startswith("PL101"))) + 1]
    assert options.split()[0] == "options:"
    settings = dict(zip(options.split()[1::2], options.split()[2::2]))
    assert {key.rstrip(":"): value.rstrip(",") for key, value in settings.items()} == {
        "allow-any-case": "true", "allow-any-order": "true", "allow-commas": "true",
        "allow-glued-version": "true", "allow-v1": "true"}
    assert "configuration: netfilter.yaml <- netdev.yaml <- kernel.yaml <- default.yaml" in "\n".join(out)
    assert "chosen for: netfilter-devel.vger.kernel.org, netfilter-devel@vger.kernel.org, coreteam@netfilter.org" in out


def test_explain_says_what_the_profiles_change(capsys) -> None:
    assert main(["explain", "reported-by-without-link"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PL311 reported-by-without-link  (scope: posting; default severity: warning; "
                          "enabled by default: no)")
    assert "    kernel: on, warning\n" in out and "    netfilter:" not in out  # off, as in the default


@pytest.mark.parametrize("key", ["PL101", "pl101", "subject-prefix"])
def test_explain_prints_the_documentation(capsys, key: str) -> None:
    assert main(["explain", key]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PL101 subject-prefix")
    assert "Why it matters:" in out and "allow-v1: false" in out


def test_explain_unknown_rule_is_a_usage_error(capsys) -> None:
    assert main(["explain", "no-such-rule"]) == 4
    assert "known rules:" in capsys.readouterr().err


def test_show_prints_one_json_object_per_message(capsys) -> None:
    assert main(["show", str(SERIES)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["kind"] for r in records] == ["cover", "patch", "patch"]
    patch = records[1]
    assert patch["subject"]["version"] == 2 and patch["subject"]["counter"] == 1
    assert patch["author"] == {"name": "Ada Lovelace", "email": "ada@example.org"}
    assert ["Signed-off-by", "Ada Lovelace <ada@example.org>"] in patch["trailers"]
    assert patch["diffstat"] == {"files": [["net/netfilter/nft_counter.c", 12]], "summary": [1, 10, 2]}
    assert patch["diff"]["files"] == [["net/netfilter/nft_counter.c", 10, 2]]
    assert patch["error"] is None
    for key in ("source", "index", "message_id", "kind", "subject", "author", "trailers", "diffstat", "diff", "error"):
        assert key in patch


def test_show_reports_unparseable_input(capsys) -> None:
    assert main(["show", str(RULE_EXAMPLES / "unparseable-message" / "bad-diff-without-headers.patch")]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["kind"] == "unparseable"
    assert record["error"].startswith("unparseable: not a mail message")


def test_check_clean_series_exits_zero() -> None:
    result = run("check", str(SERIES), "-q")
    assert result.returncode == 0, result.stdout.decode()
    assert b"3 messages read (2 patch, 1 cover); 1 series" in result.stdout
    assert b"warning" not in result.stdout  # e.g. pytest's assert-rewrite warning about patchlint


def test_check_passes_pytest_options_and_reports_failures(tmp_path: Path) -> None:
    bad = RULE_EXAMPLES / "signed-off-by" / "bad-signoffs.mbox"
    xml = tmp_path / "out.xml"
    result = run("check", str(bad), f"--junitxml={xml}", "-q")
    assert result.returncode == 1
    assert b"PL301 signed-off-by: no Signed-off-by" in result.stdout
    assert "PL301-signed-off-by" in xml.read_text()


def test_check_reads_standard_input() -> None:
    data = next(SERIES.glob("*0001*")).read_bytes()
    result = run("check", "-", "-q", stdin=data)
    assert result.returncode == 0, result.stdout.decode()
    assert b"1 message read (1 patch)" in result.stdout


def test_check_stdin_violations_name_stdin() -> None:
    data = (RULE_EXAMPLES / "signed-off-by" / "bad-signoffs.mbox").read_bytes()
    result = run("check", "-", "-q", stdin=data)
    assert result.returncode == 1
    assert b"<stdin>:17: PL301 signed-off-by" in result.stdout


def test_show_reads_standard_input() -> None:
    data = (SEEDS / "004_271b2fddaf384f67.txt").read_bytes()
    result = run("show", "-", stdin=data)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 8
    assert {r["source"] for r in records} == {"<stdin>"}


def test_check_config_error_names_file_and_line(write_config) -> None:
    config = write_config("select: [PL1]\nignore: [PL9]\n")
    result = run("check", str(SERIES), "--config", str(config))
    assert result.returncode == 4
    assert f"{config}:2: unknown rule 'PL9'".encode() in result.stderr


def test_check_missing_path_is_a_usage_error() -> None:
    result = run("check", "no/such/dir")
    assert result.returncode == 4
    assert b"no such file, directory or revision range: no/such/dir" in result.stderr


def test_check_with_a_profile_name() -> None:
    result = run("check", str(SERIES), "--config", "netdev", "-q", "-k", "PL109")
    assert result.returncode == 1  # the example series names no net/net-next tree
    assert b"PL109 missing-tree-tag: the prefix names no target tree" in result.stdout


# -- safety and isolation: patchlint check never runs what it checks, nor the host's pytest setup --

MARKER = "import pathlib\npathlib.Path({path!r}).write_text('ran')\n"


def test_check_never_imports_or_runs_code_from_the_checked_paths(tmp_path: Path) -> None:
    branch = tmp_path / "branch"
    shutil.copytree(SERIES, branch)
    markers = {name: tmp_path / f"ran-{name}" for name in ("conftest.py", "test_x.py", "pytest.py", "yaml.py")}
    for name, marker in markers.items():
        code = MARKER.format(path=str(marker))
        if name == "test_x.py":
            code += f"def test_it():\n    pathlib.Path({str(marker)!r}).write_text('ran')\n"
        (branch / name).write_text(code)
    for cwd, target in ((branch, "."), (tmp_path, "branch")):
        result = run("check", target, "-q", cwd=cwd)
        assert not [m for m in markers.values() if m.exists()], output(result)
        assert result.returncode == 1  # the Python files are not mail: reported, never imported
        prefix = "" if target == "." else "branch/"
        assert f"{prefix}conftest.py:1: PL001 unparseable-message: unparseable: not a mail message".encode() in result.stdout
        assert b"3 checked" in result.stdout


def test_check_ignores_the_host_projects_pytest_configuration(tmp_path: Path) -> None:
    host = tmp_path / "host"
    host.mkdir()
    (host / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\naddopts = "--cov=x -n auto"\nfilterwarnings = ["error"]\n'
    )
    (host / "conftest.py").write_text(MARKER.format(path=str(tmp_path / "ran")))
    result = run("check", str(SERIES), cwd=host)
    assert result.returncode == 0, output(result)
    assert b"3 messages read (2 patch, 1 cover); 1 series" in result.stdout
    assert f"rootdir: {host}".encode() in result.stdout
    assert not (tmp_path / "ran").exists()
    # Warnings stay findings, not errors raised by filterwarnings: no traceback, each one listed.
    result = run("check", str(PROBLEMS), cwd=host)
    assert result.returncode == 1
    assert b"Traceback" not in result.stdout + result.stderr
    assert re.search(rb"\n\S*v2-0001-\S+\.patch:13: PL312 bad-fixes-tag: ", result.stdout)


def test_check_ignores_pytest_options_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_ADDOPTS", "--cov=x -n auto")
    monkeypatch.setenv("PYTEST_PLUGINS", "no_such_plugin_module")
    result = run("check", str(SERIES), "-q", cwd=tmp_path)
    assert result.returncode == 0, output(result)


def test_config_from_another_project_does_not_move_the_rootdir(tmp_path: Path) -> None:
    other = tmp_path / "other-project"
    other.mkdir()
    (other / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers -p no_such_plugin\n")
    (other / "lint.yaml").write_text("select: [PL301]\n")
    here = tmp_path / "here"
    here.mkdir()
    result = run("check", str(SERIES), "--config", str(other / "lint.yaml"), cwd=here)
    assert result.returncode == 0, output(result)
    assert f"rootdir: {here}".encode() in result.stdout
    assert b"profiles: ../other-project/lint.yaml" not in result.stdout
    assert f"profiles: {other / 'lint.yaml'} 3 postings".encode() in result.stdout


def test_last_failed_first_failed_and_stepwise_work_and_write_nothing_there(tmp_path: Path, user_cache: Path) -> None:
    checked = tmp_path / "outgoing"
    checked.mkdir()
    shutil.copy(BAD_SIGNOFFS, checked)
    shutil.copy(next(SERIES.glob("*0001*")), checked)
    cwd = tmp_path / "work"
    cwd.mkdir()
    before = listing(checked), listing(cwd)
    first = run("check", str(checked), cwd=cwd)
    assert first.returncode == 1
    failed = int(re.search(rb"(\d+) failed", first.stdout).group(1))
    again = run("check", str(checked), "--lf", cwd=cwd)
    assert again.returncode == 1, output(again)
    assert f"run-last-failure: rerun previous {failed} failures".encode() in again.stdout
    assert re.search(rb"\b%d failed, \d+ deselected" % failed, again.stdout), output(again)
    assert run("check", str(checked), "--ff", "-q", cwd=cwd).returncode == 1
    assert b"stepwise" in run("check", str(checked), "--sw", cwd=cwd).stdout
    assert (listing(checked), listing(cwd)) == before
    assert list((user_cache / "patchlint" / "pytest").iterdir())


def test_standard_input_is_stdin_everywhere(tmp_path: Path) -> None:
    xml = tmp_path / "out.xml"
    result = run("check", "-", f"--junitxml={xml}", "-q", stdin=BAD_SIGNOFFS.read_bytes(), cwd=tmp_path)
    assert result.returncode == 1
    cases = list(ET.parse(xml).getroot().iter("testcase"))
    assert cases and all(case.get("classname").startswith("<stdin>.") for case in cases)
    assert "/tmp" not in xml.read_text() and b"/tmp" not in result.stdout + result.stderr
    assert b"<stdin>:17: PL301 signed-off-by: no Signed-off-by" in result.stdout


def test_empty_stdin_and_a_named_file_that_is_not_mail_are_reported(tmp_path: Path) -> None:
    result = run("check", "-", stdin=b"", cwd=tmp_path)
    assert result.returncode == 1
    assert b"<stdin>:1: PL001 unparseable-message: unparseable: empty" in result.stdout
    (tmp_path / "notes.txt").write_text("just notes\n")
    result = run("check", "notes.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert b"notes.txt:1: PL001 unparseable-message: unparseable: not a mail message" in result.stdout
    assert b"not found" not in result.stdout + result.stderr


def test_git_dir_leaves_no_trace_of_temporary_files(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (tmp_path / "lint.yaml").write_text("select: [bad-fixes-tag]\n")
    result = run("check", str(SERIES), "--config", "lint.yaml", "--git-dir", str(repo), "-v", "--junitxml=out.xml", cwd=tmp_path)
    seen = output(result) + (tmp_path / "out.xml").read_text()
    assert result.returncode == 0, seen
    assert "profiles: lint.yaml 3 postings" in seen
    assert "patchlint-" not in seen and "git-dir.yaml" not in seen
    bad = run("check", str(SERIES), "--git-dir", str(tmp_path), cwd=tmp_path)
    assert bad.returncode == 4
    assert f"--git-dir:1: git-dir: {tmp_path} is not a git repository".encode() in bad.stderr


def test_summary_only_prints_just_the_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PROBLEMS, tmp_path / "problems")
    result = run("check", "problems", "--summary-only", cwd=tmp_path)
    assert result.returncode == 1
    monkeypatch.chdir(tmp_path)
    assert result.stdout.decode().splitlines() == Engine().check(["problems"]).summary_lines()
    assert run("check", str(SERIES), "--summary-only", cwd=tmp_path).returncode == 0
    assert run("check", str(SERIES), "--summary-only", "-x", cwd=tmp_path).returncode == 4
    (tmp_path / "empty").mkdir()
    assert run("check", "empty", "--summary-only", cwd=tmp_path).returncode == 5


def test_quiet_check_leads_with_the_summary() -> None:
    out = run("check", str(PROBLEMS), "-q").stdout.decode()
    assert out.index("= patchlint =") < out.index("= FAILURES =")
    section = out.split("= patchlint =", 1)[1].split("= FAILURES =", 1)[0].splitlines()[1:]
    assert section[0] == "3 messages read (2 patch, 1 cover); 1 series"
    warnings = [line for line in section if not line.startswith(" ") and (" PL312 " in line or " PL316 " in line)]
    assert warnings and all(re.match(r"\S+\.patch:\d+: PL3\d\d ", line) for line in warnings)


def test_one_path_form_relative_to_the_current_directory(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(BAD_SIGNOFFS, tmp_path / "sub" / "bad.mbox")
    for given in ("sub/bad.mbox", str(tmp_path / "sub" / "bad.mbox"), "sub"):
        result = run("check", given, "-q", "-k", "PL301", cwd=tmp_path)
        out = result.stdout.decode()
        assert str(tmp_path) not in out.split("rootdir:")[-1].split("\n", 1)[-1]
        lines = re.findall(r"^(\S+):\d+: PL301 ", out, re.MULTILINE)
        lines += re.findall(r"^FAILED (\S+)::", out, re.MULTILINE)
        assert lines and set(lines) == {"sub/bad.mbox"}, given


def test_failures_in_one_message_do_not_stop_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    archive = tmp_path / "archive.mbox"
    archive.write_bytes(b"\n".join(p.read_bytes() for p in sorted(SERIES.iterdir())))
    original = Posting.__dict__["kind"]

    def broken(posting: Posting):
        if posting.raw.index == 1:
            raise ValueError("hostile input")
        return (original.func if hasattr(original, "func") else original.fget)(posting)

    monkeypatch.setattr(Posting, "kind", property(broken))
    assert main(["check", str(archive), "-q", "-p", "no:cacheprovider"]) == 1
    out = capsys.readouterr().out
    assert "PL001 unparseable-message: unparseable: classifying it failed: ValueError: hostile input" in out
    assert "3 messages read (2 patch, 1 cover); 1 series" not in out  # one of them was unreadable
    assert "2 checked, 0 skipped, 1 unparseable" in out
    assert main(["show", str(archive)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 3 and records[1]["kind"] == "unparseable"


def test_show_survives_a_message_it_cannot_describe(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    def broken(posting: Posting):
        raise RecursionError("nested too deep")

    monkeypatch.setattr(Posting, "to_json", broken)
    assert main(["show", str(SERIES)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 3
    assert all(r["kind"] == "unparseable" and "RecursionError: nested too deep" in r["error"] for r in records)


def test_readme_examples_are_what_patchlint_prints() -> None:
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("patchlint check examples/problems\n```", 1)[1].split("```")[1]
    printed = run("check", "examples/problems", cwd=ROOT).stdout.decode()
    lines = [line for line in shown.splitlines() if line.strip() not in ("", "…") and " passed in " not in line]
    assert len([line for line in lines if re.match(r"examples/problems/\S+:\d+: PL\d+ ", line)]) >= 6
    for line in lines:  # every line shown (but the timing) is printed as shown
        assert line in printed.splitlines()


# -- bad input through the command: a result for each, the run goes on, the counts add up ---------


def summary_counts(out: str) -> tuple[int, int]:
    """(messages read, checked + skipped + unparseable) from the patchlint section."""
    read = re.search(r"^([\d,]+) messages read ", out, re.MULTILINE)
    fates = re.search(r"^  ([\d,]+) checked, ([\d,]+) skipped.*?, ([\d,]+) unparseable$", out, re.MULTILINE)
    assert read and fates, out
    number = lambda text: int(text.replace(",", ""))  # noqa: E731
    return number(read.group(1)), sum(number(n) for n in fates.groups())


def folder_of_every_kind_of_file(root: Path) -> dict[str, str]:
    """A checked folder as a contributor's branch may hold it: mail under any name, files that
    are not mail, a dangling link, a link back into the folder and a named pipe. Returns what
    ``patchlint check`` must say of each file that is not mail."""
    from adversarial import mail

    root.mkdir()
    for number, name in enumerate(("0001-fix.patch", "saved.md", "export.json", "lint.yaml", "holds.py", "dist/0002-fix.patch")):
        (root / name).parent.mkdir(exist_ok=True)
        subject = f"[PATCH] KVM: x86: fix number {number}"
        (root / name).write_text(mail(subject, message_id=f"fix-{number}@example.org"))
    (root / "notes.txt").write_text("Remember to rebase before sending.\n")
    (root / "README.md").write_text("# outgoing patches\n")
    (root / "gone.patch").symlink_to("sent/gone.patch")
    (root / "again").symlink_to(".")
    os.mkfifo(root / "pipe")
    return {
        "notes.txt": "not a mail message or archive", "README.md": "not a mail message or archive",
        "gone.patch": "a symbolic link to sent/gone.patch, which does not exist",
        "again": "a symbolic link loop", "pipe": "a named pipe (FIFO), not a file: not read",
    }


def test_check_and_show_account_for_every_file_of_a_folder(tmp_path: Path) -> None:
    """Mail is read whatever the file is called (.md, .json, .yaml, .py, under dist/); a file
    that is not mail, a dangling link, a link loop and a pipe are each one PL001 saying why (the
    pipe is never opened); `show` reports exactly the messages `check` counts."""
    reasons = folder_of_every_kind_of_file(tmp_path / "branch")
    result = run("check", "branch", "-q", cwd=tmp_path)
    out = output(result)
    assert result.returncode == 1, out
    for name, reason in reasons.items():
        assert re.search(rf"^branch/{re.escape(name)}:1: PL001 unparseable-message: unparseable: {re.escape(reason)}",
                         out, re.MULTILINE), (name, out)
    assert len(re.findall(r"^\S+:\d+: PL001 ", out, re.MULTILINE)) == len(reasons)
    assert "11 messages read (6 patch, 5 unparseable)" in out
    assert summary_counts(out) == (11, 11)
    shown = [json.loads(line) for line in run("show", "branch", cwd=tmp_path).stdout.splitlines()]
    assert len(shown) == 11
    patches = sorted(r["source"] for r in shown if r["kind"] == "patch")
    assert patches == sorted(f"branch/{name}" for name in
                             ("0001-fix.patch", "saved.md", "export.json", "lint.yaml", "holds.py", "dist/0002-fix.patch"))


def test_every_hostile_input_is_a_result_through_the_command(tmp_path: Path) -> None:
    """Each input of tests/adversarial.py (codecs that raise, numbers past int()'s limit, MIME a
    thousand deep, a 3,000-patch chain, lines written to make a pattern backtrack …) in one
    folder, through `check` and `show`: no traceback, no internal error, the documented exit
    code, and every message accounted for once. The 3,000-patch chain (the one case with a
    larger budget) is left to test_adversarial.py: through pytest it alone costs seconds."""
    from adversarial import CASES, Case

    cases = [case for case in CASES if case.budget <= Case.budget]
    folder = tmp_path / "hostile"
    folder.mkdir()
    for case in cases:
        (folder / f"{case.name}.mbox").write_bytes(case.build())
    result = run("check", "hostile", "-q", cwd=tmp_path)
    out = output(result)
    assert result.returncode == 1, out[-3000:]  # findings, not a crash (2), an internal error (3) or usage (4)
    for crash in ("Traceback", "INTERNALERROR", "Interrupted", "internal error"):
        assert crash not in out, out[-3000:]
    messages, fates = summary_counts(out)
    assert messages == fates
    shown = run("show", "hostile", cwd=tmp_path)
    assert shown.returncode == 0 and b"Traceback" not in shown.stderr
    records = [json.loads(line) for line in shown.stdout.splitlines()]
    assert len(records) == messages
    assert {Path(r["source"]).stem for r in records} == {case.name for case in cases}


def test_junit_report_shows_warnings_and_info_to_dashboards(tmp_path: Path) -> None:
    """`check --junitxml`: a passing case that found warnings or information carries each as a
    `violation` property and in its <system-out> (which CI dashboards show) without any
    configuration of the user's; case names have no stray brackets."""
    (tmp_path / "lint.yaml").write_text(
        "extends: default\nrules:\n  PL101:\n    severity: info\n  PL301:\n    severity: warning\n"
    )
    shutil.copy(BAD_SIGNOFFS, tmp_path)
    shutil.copy(RULE_EXAMPLES / "subject-prefix" / "bad-prefixes.mbox", tmp_path)
    result = run("check", "bad-signoffs.mbox", "bad-prefixes.mbox", "--config", "lint.yaml",
                 "--junitxml=out.xml", "-q", cwd=tmp_path)
    assert b"Traceback" not in result.stdout + result.stderr
    cases = list(ET.parse(tmp_path / "out.xml").getroot().iter("testcase"))
    assert not any("[" in case.get("name") or "]" in case.get("name") for case in cases)
    for shown in ("bad-signoffs.mbox:17: PL301 signed-off-by: no Signed-off-by",
                  "bad-prefixes.mbox:9: PL101 subject-prefix: prefix word 'Patch'"):
        carrying = [case for case in cases
                    if any(p.get("value", "").startswith(shown) for p in case.iter("property"))]
        assert carrying, shown
        assert all(case.find("failure") is None and shown in (case.findtext("system-out") or "") for case in carrying)
