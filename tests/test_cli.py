"""The patchlint command: check, rules, explain, show, and standard input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from patchlint.checks import BUILTIN_RULES
from patchlint.cli import main

from paths import EXAMPLES, RULE_EXAMPLES, SEEDS

SERIES = EXAMPLES / "series"


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "patchlint", *args],
        input=stdin, capture_output=True, cwd=cwd, timeout=120,
    )


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
    assert sorted(options.split()[1:]) == ["allow-any-case:", "allow-commas:", "allow-v1:", "true", "true,", "true,"]
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
    assert b"1 messages read (1 patch)" in result.stdout


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
    assert b"no such file or directory: no/such/dir" in result.stderr


def test_check_with_a_profile_name() -> None:
    result = run("check", str(SERIES), "--config", "netdev", "-q", "-k", "PL109")
    assert result.returncode == 1  # the example series names no net/net-next tree
    assert b"PL109 missing-tree-tag: the prefix names no target tree" in result.stdout
