"""patchlint report merge: the JSON reports of shards make the report of one run over all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from paths import EXAMPLES, ROOT, RULE_EXAMPLES

PROBLEMS = EXAMPLES / "problems"
PUNCTUATION = RULE_EXAMPLES / "summary-punctuation" / "bad-punctuation.mbox"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "patchlint", *args], capture_output=True, cwd=ROOT, timeout=120)


def test_merged_shards_are_the_report_of_one_run(tmp_path: Path) -> None:
    shards = []
    for number, path in enumerate((PROBLEMS, PUNCTUATION)):
        shard = tmp_path / f"shard{number}.json"
        run("check", "--format", f"json={shard}", str(path))
        shards.append(str(shard))
    merged = run("report", "merge", *shards)
    assert merged.returncode == 0, merged.stderr.decode()
    whole = run("check", "--format", "json", str(PROBLEMS), str(PUNCTUATION))
    assert json.loads(merged.stdout) == json.loads(whole.stdout)


def test_merge_refuses_what_is_not_a_report(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"version": 1}')
    result = run("report", "merge", str(other))
    assert result.returncode == 4
    assert f"{other}: not a patchlint JSON report" in result.stderr.decode()
    newer = tmp_path / "newer.json"
    newer.write_text('{"format": "patchlint-report", "version": 99}')
    assert "report version 99" in run("report", "merge", str(newer)).stderr.decode()
