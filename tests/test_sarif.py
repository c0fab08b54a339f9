"""The SARIF report, validated against the OASIS SARIF 2.1.0 schema that sarif-kit ships."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from paths import EXAMPLES, ROOT, RULE_EXAMPLES

validate = pytest.importorskip("sarif_kit.validate", reason="sarif-kit is not installed (Python 3.11+)")

PROBLEMS = EXAMPLES / "problems"
PUNCTUATION = RULE_EXAMPLES / "summary-punctuation" / "bad-punctuation.mbox"


def sarif(*args: str, stdin: bytes | None = None) -> dict:
    result = subprocess.run([sys.executable, "-m", "patchlint", "check", "--format", "sarif", *args],
                            input=stdin, capture_output=True, cwd=ROOT, timeout=120)
    assert result.stderr == b"", result.stderr.decode()
    return json.loads(result.stdout)


def test_sarif_is_valid_sarif_2_1_0() -> None:
    for log in (sarif(str(PROBLEMS)), sarif("-", stdin=PUNCTUATION.read_bytes()), sarif(str(EXAMPLES / "series"))):
        assert validate.validation_errors(log) == []
    # The validator does find mistakes: a result without its message is not SARIF.
    broken = sarif(str(PROBLEMS))
    del broken["runs"][0]["results"][0]["message"]
    assert validate.validation_errors(broken)


def test_sarif_rules_carry_their_documentation_and_results_point_into_the_mail_file() -> None:
    from patchlint.checks import BUILTIN_RULES

    log = sarif("--config", "default", str(PUNCTUATION))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r.code for r in BUILTIN_RULES)
    punctuation = next(r for r in rules if r["id"] == "PL104")
    assert punctuation["name"] == "summary-punctuation"
    assert punctuation["shortDescription"]["text"] == "The summary does not end in a period or other punctuation."
    assert "Why it matters:" in punctuation["fullDescription"]["text"]
    assert punctuation["defaultConfiguration"] == {"level": "error", "enabled": True}
    source = PUNCTUATION.relative_to(ROOT).as_posix()
    assert [(r["ruleId"], r["level"], r["locations"]) for r in run["results"]] == [
        ("PL104", "error", [{"physicalLocation": {"artifactLocation": {"uri": source, "uriBaseId": "%SRCROOT%"},
                                                  "region": {"startLine": line}}}])
        for line in (9, 60)
    ]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == "PL104"
    assert first["message"]["text"] == "the summary ends with '.': drop it, a summary is a title"
    assert first["properties"]["messageId"] == "cc86c692c029f708055b8585a3f5466e5573e44c.1795239960.git.ada@example.org"
    assert first["properties"]["series"] == f"{source}#0"
    # The lines are the mail file's: line 9 of the file is the first patch's Subject:.
    assert PUNCTUATION.read_text().splitlines()[8].startswith("Subject: [PATCH v2 1/2]")


def test_sarif_from_standard_input_has_no_location_to_point_to() -> None:
    log = sarif("--config", "default", "-", stdin=PUNCTUATION.read_bytes())
    assert [r["locations"] for r in log["runs"][0]["results"]] == [[], []]
