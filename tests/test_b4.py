"""patchlint as b4's check command, tested with the real b4 (skipped where b4 is not installed)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from paths import ROOT

b4 = pytest.importorskip("b4", reason="b4 is not installed (pip install b4)")

# Three commits as a contributor would make them: a clean one, one with two errors (a summary
# ending in a period, no sign-off) and a warning (no description), one with a warning alone.
COMMITS = [
    ("demo: read the frobnicator's rate from the device", True,
     "The rate was hard-coded to 100 kHz, which is wrong on boards that\nrun the bus faster.\n"),
    ("demo: stop the timer on unload.", False, ""),
    ("demo: drop the unused header", True, ""),
]


def git(repo: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def prep_branch(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A scratch repository with a b4 prep branch holding COMMITS, and the environment to run b4
    in (its own home, caches and git configuration)."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "XDG_"))},
        "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_HOME": str(home / ".local"),
        "XDG_CONFIG_HOME": str(home / ".config"), "GIT_CONFIG_NOSYSTEM": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("GITHUB_ACTIONS", None)
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=env)
    git(repo, "config", "user.name", "Ada Lovelace", env=env)
    git(repo, "config", "user.email", "ada@example.org", env=env)
    (repo / "demo.c").write_text("int rate = 100;\n")
    git(repo, "add", ".", env=env)
    git(repo, "commit", "-q", "-m", "initial", env=env)
    b4_run(repo, env, "prep", "-n", "demo", "-f", "main")
    for number, (summary, signed, body) in enumerate(COMMITS):
        with open(repo / "demo.c", "a") as handle:
            handle.write(f"int step{number};\n")
        message = f"{summary}\n\n{body}" if body else summary
        git(repo, "commit", "-q", "-a", "-m", message, *(["-s"] if signed else []), env=env)
    # The command b4 runs, named patchlint as the console script is (b4 labels lines with it).
    wrapper = tmp_path / "bin" / "patchlint"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m patchlint "$@"\n')
    wrapper.chmod(0o755)
    env["PATH"] = f"{wrapper.parent}{os.pathsep}{env.get('PATH', '')}"
    return repo, env


def b4_run(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    script = "import sys; from b4.command import cmd; sys.argv[0] = 'b4'; sys.exit(cmd())"
    result = subprocess.run([sys.executable, "-c", script, *args], cwd=repo, capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def patchlint_counts(repo: Path, env: dict[str, str]) -> tuple[int, int]:
    """Errors and warnings patchlint finds in the branch's patches, counted from its JSON report."""
    patches = repo.parent / "patches"
    git(repo, "format-patch", "-q", "-o", str(patches), "HEAD~3..HEAD", env=env)
    result = subprocess.run([sys.executable, "-m", "patchlint", "check", "--format", "json", str(patches)],
                            capture_output=True, env=env, timeout=120)
    counts = json.loads(result.stdout)["counts"]["violations"]
    return counts["error"], counts["warning"]


def test_b4_prep_check_counts_patchlints_errors_and_warnings(prep_branch) -> None:
    repo, env = prep_branch
    git(repo, "config", "b4.prep-perpatch-check-cmd", "patchlint check --format checkpatch-quiet -", env=env)
    result = b4_run(repo, env, "prep", "--check")
    output = result.stdout + result.stderr
    errors, warnings = patchlint_counts(repo, env)
    assert (errors, warnings) == (2, 2)
    # One clean patch; b4 counts each error and each warning patchlint printed.
    assert f"Success: 1, Warning: {warnings}, Error: {errors}" in output, output
    assert "patchlint: 3: ERROR: PL104 summary-punctuation: the summary ends with '.'" in output
    assert re.search(r"patchlint: \d+: ERROR: PL301 signed-off-by: no Signed-off-by", output)


def test_b4_reads_the_review_protocol_with_its_own_parser(prep_branch) -> None:
    checks = pytest.importorskip("b4.review.checks", reason="this b4 has no review checks")
    repo, env = prep_branch
    patches = repo.parent / "review"
    git(repo, "format-patch", "-q", "-o", str(patches), "HEAD~3..HEAD", env=env)
    files = sorted(patches.iterdir())
    command = [str(Path(env["PATH"].split(os.pathsep)[0]) / "patchlint"), "check", "--format", "b4", "-"]
    saved = os.environ.copy()
    os.environ.clear()
    os.environ.update(env)
    try:
        found = [
            checks._run_external_cmd(command, message_from_bytes(f.read_bytes(), policy=policy.default), str(repo))
            for f in files
        ]
    finally:
        os.environ.clear()
        os.environ.update(saved)
    clean, bad, warned = found
    # b4 hands over one patch at a time: that it is 1 of 3 is information, and passes.
    assert clean == [{
        "tool": "patchlint", "status": "pass", "summary": "passed all checks (1 note)", "url": "",
        "details": json.dumps([{"status": "pass", "description": "3: CHECK: PL111 incomplete-series: the input "
                                "holds 1 of 3 patches; missing 2/3, 3/3"}]),
    }]
    assert [(r["tool"], r["status"], r["summary"]) for r in bad] == [("patchlint", "fail", "2 errors, 1 warning, 1 note")]
    details = json.loads(bad[0]["details"])
    assert [d["status"] for d in details] == ["fail", "fail", "warn", "pass"]
    assert details[0]["description"].startswith("3: ERROR: PL104 summary-punctuation: ")
    assert [(r["status"], r["summary"]) for r in warned] == [("warn", "1 warning, 1 note")]


def test_b4_is_a_test_dependency() -> None:
    """CI installs b4 (so the tests above run there): it is in the test extra and tox's deps."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    tox = (ROOT / "tox.ini").read_text()
    assert re.search(r'test = \[[^\]]*"b4', pyproject)
    assert re.search(r"^\s+b4", tox, re.M) or "b4>=" in tox
