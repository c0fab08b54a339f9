"""Reports: the patchlint_report hook, --format, and the writers, through what users run."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from patchlint import hookimpl
from patchlint.engine import Engine
from patchlint.report import FormatRequest, ReportError, Results, write_reports

from paths import EXAMPLES, ROOT, RULE_EXAMPLES

PROBLEMS = EXAMPLES / "problems"
SERIES = EXAMPLES / "series"
PUNCTUATION = RULE_EXAMPLES / "summary-punctuation" / "bad-punctuation.mbox"

REPLY = b"""\
From: Grace Hopper <grace@example.com>
To: linux-i2c@vger.kernel.org
Subject: Re: [PATCH v2 1/2] i2c: demo: read the bus frequency from the device properties.
Date: Sat, 2 Mar 2024 10:00:00 +0100
Message-ID: <reply.1@example.com>
In-Reply-To: <a10d376983049951bbaaf1b43122e65621a4b6e3.1709370600.git.grace@example.com>

Looks good, but drop the period.
"""


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return Path()


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "patchlint", *args], input=stdin, capture_output=True, cwd=cwd or ROOT,
        timeout=120, env=env,
    )


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# -- the JSON report and its documented schema ---------------------------------------------------


def documented_fields() -> dict[str, str]:
    """The README's JSON report table: field path -> documented type."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### JSON report", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    fields: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([^`]+)`", cells[0])
        types = [t.strip() for t in re.split(r",\s*(?=string|integer|boolean|object|array)", cells[1])]
        assert len(types) in (1, len(names)), f"README row {cells[0]}: {len(names)} fields, types {types}"
        for i, name in enumerate(names):
            fields[name] = types[i] if len(types) > 1 else types[0]
    return fields


def type_ok(value: Any, documented: str) -> bool:
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "string or null": lambda v: v is None or isinstance(v, str),
        "object of integers": lambda v: isinstance(v, dict) and all(isinstance(x, int) for x in v.values()),
        "array of strings": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    }
    assert documented in checks, f"the README names a type the test does not know: {documented!r}"
    return checks[documented](value)


def leaves(value: Any, documented: dict[str, str], path: str = "") -> list[tuple[str, Any]]:
    """Every (path, value) of the document, down to the documented fields."""
    if path in documented:
        return [(path, value)]
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            found += leaves(item, documented, f"{path}.{key}" if path else key)
        return found
    if isinstance(value, list):
        return [pair for item in value for pair in leaves(item, documented, f"{path}[]")]
    return [(path, value)]


def test_the_json_report_is_the_documented_schema(tmp_path: Path) -> None:
    (tmp_path / "reply.eml").write_bytes(REPLY)
    (tmp_path / "junk.eml").write_bytes(b"this is not mail\n")
    result = run("check", "--format", "json", str(PROBLEMS), str(tmp_path))
    assert result.returncode == 1, result.stderr.decode()
    document = json.loads(result.stdout)
    documented = documented_fields()
    seen = set()
    for path, value in leaves(document, documented):
        assert path in documented, f"{path} is in the report but not in the README"
        assert type_ok(value, documented[path]), f"{path} = {value!r} is not {documented[path]}"
        seen.add(path)
    assert set(documented) - seen == set(), "documented but never written"
    counts = document["counts"]
    assert counts["checked"] + counts["skipped"] + counts["unparseable"] == counts["messages"] == len(document["messages"])
    assert sum(counts["kinds"].values()) == counts["messages"]
    assert sum(counts["violations"].values()) == len(document["violations"]) == sum(counts["rules"].values())


def test_json_report_of_a_small_input_exactly() -> None:
    result = run("check", "--config", "default", "--format", "json", str(PUNCTUATION))
    document = json.loads(result.stdout)
    source = rel(PUNCTUATION)
    anchor = f"{source}#0"
    assert [(m["index"], m["kind"], m["status"], m["series"]) for m in document["messages"]] == [
        (0, "patch", "checked", anchor), (1, "patch", "checked", anchor)
    ]
    assert document["series"] == [{
        "id": anchor, "source": source, "index": 0,
        "subject": "[PATCH v2 1/2] netfilter: nft_counter: reset the counters on dump-and-reset.",
        "message_id": "cc86c692c029f708055b8585a3f5466e5573e44c.1795239960.git.ada@example.org",
        "status": "checked", "profile": "default", "members": [f"{source}#0", f"{source}#1"],
    }]
    assert document["violations"] == [
        {
            "code": "PL104", "rule": "summary-punctuation", "severity": "error",
            "message": "the summary ends with '.': drop it, a summary is a title",
            "source": source, "line": 9,
            "subject": "[PATCH v2 1/2] netfilter: nft_counter: reset the counters on dump-and-reset.",
            "message_id": "cc86c692c029f708055b8585a3f5466e5573e44c.1795239960.git.ada@example.org",
            "scope": "posting", "series": anchor,
        },
        {
            "code": "PL104", "rule": "summary-punctuation", "severity": "error",
            "message": "the summary ends with '!': drop it, a summary is a title",
            "source": source, "line": 60,
            "subject": "[PATCH v2 2/2] netfilter: nft_counter: export the dump helper!",
            "message_id": "2d2dce90ddf2ae966333356b939b8c407c5c5f1a.1795239960.git.ada@example.org",
            "scope": "posting", "series": anchor,
        },
    ]
    assert document["counts"]["violations"] == {"error": 2, "warning": 0, "info": 0}
    assert document["failed"] is True and result.returncode == 1


def test_format_to_a_file_keeps_pytests_report_and_matches_the_stdout_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    with_pytest = run("check", "--format", f"json={out}", str(PROBLEMS))
    assert with_pytest.returncode == 1
    assert b"4 failed" in with_pytest.stdout  # pytest's own report stays
    alone = run("check", "--format", "json", str(PROBLEMS))
    assert json.loads(out.read_text()) == json.loads(alone.stdout)
    assert not list(tmp_path.glob("*.partial"))


def test_pytest_patchlint_writes_the_same_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--patchlint",
         "--patchlint-format", f"json={out}", rel(PROBLEMS)],
        capture_output=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 1, result.stdout.decode()
    alone = run("check", "--format", "json", str(PROBLEMS))
    assert json.loads(out.read_text()) == json.loads(alone.stdout)


def test_unknown_format_is_a_usage_error_before_anything_runs() -> None:
    result = run("check", "--format", "yaml", str(PROBLEMS))
    assert result.returncode == 4
    assert "unknown report format 'yaml'" in result.stderr.decode()
    assert result.stdout == b""


def test_a_report_file_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", "--format", f"json={tmp_path}/missing/dir/r.json", str(SERIES))
    assert result.returncode == 4
    assert "cannot write" in result.stderr.decode()


def test_formats_lists_the_writers() -> None:
    result = run("formats")
    assert result.returncode == 0
    assert re.search(r"^json\s+one JSON document", result.stdout.decode(), re.M)


class CountingWriter:
    """A third party's writer: one line per violation code."""

    @hookimpl
    def patchlint_report_formats(self) -> dict[str, str]:
        return {"codes": "the violation codes, one a line"}

    @hookimpl
    def patchlint_report(self, results: Results, format: str, out) -> bool | None:
        if format != "codes":
            return None
        out.write("".join(f"{v.code}\n" for v in results.violations))
        return True


def test_a_plugin_adds_a_format_through_the_hook() -> None:
    engine = Engine(plugins=[CountingWriter()])
    run_ = engine.run([PROBLEMS])
    outcomes = list(run_)
    out = io.StringIO()
    write_reports(engine.manager, Results.of(engine, outcomes, run_.report), [FormatRequest.parse("codes")], out)
    assert sorted(out.getvalue().split()) == sorted(v.code for v in run_.report.violations)
    assert len(out.getvalue().split()) == 6


def test_format_request_parsing() -> None:
    assert FormatRequest.parse("json") == FormatRequest("json", None)
    assert FormatRequest.parse("json=-") == FormatRequest("json", None)
    assert FormatRequest.parse("sarif=out/x.sarif") == FormatRequest("sarif", "out/x.sarif")
    for bad in ("", "=x", "json="):
        with pytest.raises(ReportError):
            FormatRequest.parse(bad)


# -- checkpatch-compatible lines ------------------------------------------------------------------


def test_checkpatch_lines_and_total_for_standard_input() -> None:
    result = run("check", "--config", "default", "--format", "checkpatch", "-", stdin=PUNCTUATION.read_bytes())
    assert result.stdout.decode() == (
        "-:9: ERROR: PL104 summary-punctuation: the summary ends with '.': drop it, a summary is a title\n"
        "-:60: ERROR: PL104 summary-punctuation: the summary ends with '!': drop it, a summary is a title\n"
        "total: 2 errors, 0 warnings, 0 checks, 107 lines checked\n"
    )
    assert result.stderr == b"" and result.returncode == 1


def test_checkpatch_lines_name_the_file_and_count_warnings_and_checks() -> None:
    result = run("check", "--format", "checkpatch", str(PROBLEMS))
    lines = result.stdout.decode().splitlines()
    patch = rel(PROBLEMS / "v2-0001-i2c-demo-read-the-bus-frequency-from-the-device-p.patch")
    assert f"{patch}:13: WARNING: PL312 bad-fixes-tag: 'Fixes: 1a2b3c4 (\"i2c: demo: add driver\")': use at least 12 hex digits of the commit id, not 7" in lines
    assert f"{patch}:7: ERROR: PL104 summary-punctuation: the summary ends with '.': drop it, a summary is a title" in lines
    assert lines[-1] == "total: 4 errors, 2 warnings, 0 checks, 84 lines checked"
    assert len(lines) == 7


def test_checkpatch_quiet_prints_nothing_for_a_clean_series_and_leaves_out_information(tmp_path: Path) -> None:
    clean = run("check", "--format", "checkpatch-quiet", str(SERIES))
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, b"", b"")
    # One patch of three is information (PL111), which checkpatch-quiet does not print.
    one = next(SERIES.glob("*0001*"))
    alone = run("check", "--format", "checkpatch", "-", stdin=one.read_bytes())
    assert b": CHECK: PL111 incomplete-series: " in alone.stdout
    quiet = run("check", "--format", "checkpatch-quiet", "-", stdin=one.read_bytes())
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, b"", b"")


# -- the b4 review protocol (b4's own parser reads it in test_b4.py) -------------------------------


def test_b4_review_entry_for_a_failing_and_a_clean_patch() -> None:
    bad = run("check", "--config", "default", "--format", "b4", "-", stdin=PUNCTUATION.read_bytes())
    [entry] = json.loads(bad.stdout)
    assert {k: entry[k] for k in ("tool", "status", "summary")} == {"tool": "patchlint", "status": "fail", "summary": "2 errors"}
    assert json.loads(entry["details"]) == [
        {"status": "fail", "description": "9: ERROR: PL104 summary-punctuation: the summary ends with '.': drop it, a summary is a title"},
        {"status": "fail", "description": "60: ERROR: PL104 summary-punctuation: the summary ends with '!': drop it, a summary is a title"},
    ]
    clean = run("check", "--format", "b4", str(SERIES))
    assert json.loads(clean.stdout) == [{"tool": "patchlint", "status": "pass", "summary": "passed all checks"}]
    assert clean.returncode == 0


# -- CI annotations, patchwork, the compact terminal report ---------------------------------------


def test_github_workflow_commands_exactly() -> None:
    result = run("check", "--config", "default", "--format", "github", str(PUNCTUATION))
    source = rel(PUNCTUATION)
    assert result.stdout.decode() == (
        f"::error file={source},line=9,title=PL104 summary-punctuation::the summary ends with '.': drop it, a summary is a title\n"
        f"::error file={source},line=60,title=PL104 summary-punctuation::the summary ends with '!': drop it, a summary is a title\n"
    )


def test_github_commands_escape_what_the_runner_would_read_as_syntax() -> None:
    from patchlint.report.ci import workflow_command
    from patchlint.rule import Severity, Violation

    violation = Violation("PL999", "odd", "50% done\nnext: line", Severity.INFO, "a,b:c.patch", 3, "s")
    assert workflow_command(violation) == "::notice file=a%2Cb%3Ac.patch,line=3,title=PL999 odd::50%25 done%0Anext: line"
    stdin = Violation("PL104", "summary-punctuation", "m", Severity.WARNING, "<stdin>", 7, "s")
    assert workflow_command(stdin) == "::warning title=PL104 summary-punctuation::m"


def test_github_commands_are_added_by_themselves_in_github_actions(tmp_path: Path) -> None:
    env = {**__import__("os").environ, "GITHUB_ACTIONS": "true"}
    result = run("check", str(PROBLEMS), env=env)
    out = result.stdout.decode()
    assert "4 failed" in out  # pytest's report, then the annotations
    assert out.count("\n::error file=") == 4 and out.count("\n::warning file=") == 2
    assert out.index("= patchlint =") < out.index("::error")  # after pytest's report and summary
    # A report asked for on standard output is the only thing there.
    alone = run("check", "--format", "json", str(PROBLEMS), env=env)
    assert "::error" not in alone.stdout.decode()
    json.loads(alone.stdout)


def test_gitlab_code_quality_exactly() -> None:
    from patchlint.report.ci import fingerprint
    from patchlint.rule import Severity, Violation

    result = run("check", "--config", "default", "--format", "gitlab", str(PUNCTUATION))
    issues = json.loads(result.stdout)
    source = rel(PUNCTUATION)
    first = Violation("PL104", "summary-punctuation", "the summary ends with '.': drop it, a summary is a title",
                      Severity.ERROR, source, 9, "")
    assert issues[0] == {
        "description": "PL104 summary-punctuation: the summary ends with '.': drop it, a summary is a title",
        "check_name": "summary-punctuation", "fingerprint": fingerprint(first), "severity": "major",
        "location": {"path": source, "lines": {"begin": 9}},
    }
    assert len(issues) == 2 and issues[0]["fingerprint"] != issues[1]["fingerprint"]
    again = json.loads(run("check", "--config", "default", "--format", "gitlab", str(PUNCTUATION)).stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]


def test_patchwork_checks_one_per_patch_with_the_message_id() -> None:
    result = run("check", "--format", "patchwork", "--target-url", "https://lore.kernel.org/r/{message_id}", str(PROBLEMS))
    checks = json.loads(result.stdout)
    assert [(c["subject"], c["check"]["state"]) for c in checks] == [
        ("[PATCH v2 1/2] i2c: demo: read the bus frequency from the device properties.", "fail"),
        ("[PATCH v2 2/2] i2c: demo: reject empty transfers", "success"),
    ]
    first = checks[0]
    assert first["message_id"] == "a10d376983049951bbaaf1b43122e65621a4b6e3.1709370600.git.grace@example.com"
    assert first["check"] == {
        "state": "fail",
        "target_url": "https://lore.kernel.org/r/a10d376983049951bbaaf1b43122e65621a4b6e3.1709370600.git.grace@example.com",
        "context": "patchlint",
        "description": "3 errors, 2 warnings: PL104 summary-punctuation, PL301 signed-off-by, PL306 malformed-trailer, "
                       "PL312 bad-fixes-tag, PL316 commit-log-long-line",
    }
    assert checks[1]["check"]["description"] == "no problems found"


def test_patchwork_check_carries_the_series_findings_reported_on_the_patch(tmp_path: Path) -> None:
    # Two patches sharing a summary: the series rule PL114 reports on the second patch.
    text = PUNCTUATION.read_bytes().replace(b"export the dump helper!", b"reset the counters on dump-and-reset.")
    (tmp_path / "dup.mbox").write_bytes(text)
    checks = json.loads(run("check", "--config", "default", "--format", "patchwork", str(tmp_path / "dup.mbox")).stdout)
    assert "PL114 duplicate-summary" in checks[1]["check"]["description"]
    assert "PL114" not in checks[0]["check"]["description"]


def test_compact_prints_one_line_per_violation_and_nothing_when_clean() -> None:
    result = run("check", "--config", "default", "--format", "compact", str(PUNCTUATION))
    source = rel(PUNCTUATION)
    assert result.stdout.decode() == (
        f"{source}:9: error: PL104 summary-punctuation: the summary ends with '.': drop it, a summary is a title\n"
        f"{source}:60: error: PL104 summary-punctuation: the summary ends with '!': drop it, a summary is a title\n"
    )
    clean = run("check", "--format", "compact", str(SERIES))
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, b"", b"")


def on_a_terminal(*args: str, env: dict[str, str]) -> bytes:
    """What ``python -m patchlint ARGS`` prints on a pseudo-terminal."""
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "patchlint", *args], stdout=follower, stderr=follower,
                                   cwd=ROOT, env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
    finally:
        os.close(leader)
    return b"".join(chunks)


def test_compact_colours_severities_on_a_terminal_unless_no_color() -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    coloured = on_a_terminal("check", "--format", "compact", str(PROBLEMS), env=env)
    assert b"\x1b[1;31merror\x1b[0m: PL104 summary-punctuation" in coloured
    assert b"\x1b[33mwarning\x1b[0m: PL312 bad-fixes-tag" in coloured
    plain = on_a_terminal("check", "--format", "compact", str(PROBLEMS), env={**env, "NO_COLOR": "1"})
    assert b"\x1b[" not in plain and b": error: PL104 summary-punctuation" in plain
    piped = run("check", "--format", "compact", str(PROBLEMS), env=env)
    assert b"\x1b[" not in piped.stdout


# -- --fail-on and the exit codes -----------------------------------------------------------------


@pytest.mark.parametrize("fail_on, expected", [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on_decides_the_exit_code_of_warnings(tmp_path: Path, fail_on: str, expected: int) -> None:
    # Only a warning: a 7-digit Fixes: id under the kernel profile (PL312 is a warning there).
    patch = next(SERIES.glob("*0001*")).read_bytes().replace(b"Signed-off-by:", b"Fixes: 1a2b3c4 (\"netfilter: add it\")\nSigned-off-by:", 1)
    (tmp_path / "p.patch").write_bytes(patch)
    alone = run("check", "--config", "kernel", "--fail-on", fail_on, "--format", "checkpatch", str(tmp_path / "p.patch"))
    assert b"WARNING: PL312" in alone.stdout and b"ERROR" not in alone.stdout
    assert alone.returncode == expected
    with_pytest = run("check", "--config", "kernel", "--fail-on", fail_on, str(tmp_path / "p.patch"))
    assert with_pytest.returncode == expected, with_pytest.stdout.decode()
    if fail_on == "warning":
        assert b"1 failed" in with_pytest.stdout


def test_fail_on_never_exits_zero_with_errors_and_still_reports_them(tmp_path: Path) -> None:
    result = run("check", "--fail-on", "never", "--format", f"json={tmp_path / 'r.json'}", str(PROBLEMS))
    assert result.returncode == 0
    assert b"4 failed" in result.stdout
    document = json.loads((tmp_path / "r.json").read_text())
    assert (document["fail_on"], document["failed"], document["counts"]["violations"]["error"]) == ("never", False, 4)


def test_pytest_patchlint_fail_on_warning(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--patchlint", "--patchlint-fail-on", "warning",
         "--patchlint-format", "compact", rel(PROBLEMS)],
        capture_output=True, cwd=ROOT, timeout=120,
    )
    out = result.stdout.decode()
    assert result.returncode == 1
    assert "6 failed" in out  # the four errors' items and the two warnings' items
    last = out.rstrip().splitlines()[-2]  # the compact report comes before pytest's closing line
    assert last.endswith(": error: PL201 version-changelog: v2 has no changelog: say what changed since v1 in the cover letter (e.g. 'Changes in v2:')")


# -- the rule catalogue ---------------------------------------------------------------------------


def test_rules_as_json() -> None:
    from patchlint.checks import BUILTIN_RULES

    result = run("rules", "--format", "json", "--config", "netfilter")
    catalogue = json.loads(result.stdout)
    assert catalogue["configuration"] == ["netfilter.yaml", "netdev.yaml", "kernel.yaml", "default.yaml"]
    by_code = {r["code"]: r for r in catalogue["rules"]}
    assert set(by_code) == {r.code for r in BUILTIN_RULES}
    length = by_code["PL103"]
    assert (length["name"], length["scope"], length["enabled"]) == ("summary-length", "posting", True)
    assert length["documentation"].startswith(length["summary"])
    assert {"name": "max-length", "type": "int", "default": 75, "help": "the longest summary accepted.", "value": 80} in length["options"]
