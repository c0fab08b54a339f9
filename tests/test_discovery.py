"""Configuration discovery: .patchlint.yaml, patchlint.yaml or pyproject.toml's [tool.patchlint]
found from the checked paths (a git range's or a commit message's repository) up to the top of
the repository, in real temporary git repositories, through the command as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from patchlint.config import ConfigError
from patchlint.discovery import CONFIG_NAMES, DiscoveryError, Start, discover, find_config, pyproject_table

from git_helpers import GIT_ENV, SIGNED, commit, git, make_repo
from paths import EXAMPLES

PROBLEMS = EXAMPLES / "problems"
# Only PL104: the kernel profile (chosen by the series' To: linux-i2c) runs PL301 and more.
ONLY_PL104 = "select: [summary-punctuation]\n"
# PL104 demoted: what the project decided, visible as '(warning)'.
PL104_WARNS = "extends: kernel\nrules:\n  summary-punctuation:\n    severity: warning\n"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A home of its own (the walk stops there) and git's fixed identity."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GIT_EDITOR", raising=False)


def run(*args: str, cwd: Path, stdin: bytes | None = None, script: bool = False) -> subprocess.CompletedProcess[str]:
    """``patchlint ARGS`` in ``cwd``: ``python -m patchlint``, or the installed console script."""
    command = [str(Path(sys.executable).parent / "patchlint")] if script else [sys.executable, "-m", "patchlint"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, cwd=cwd, timeout=120,
        input=stdin.decode() if stdin is not None else None,
    )


def repo_with_series(path: Path) -> Path:
    """A repository whose outgoing/ holds the bundled problem series (PL104, PL301, … under kernel)."""
    repo = make_repo(path)
    shutil.copytree(PROBLEMS, repo / "outgoing" / "v2")
    return repo


def found_rules(out: str) -> set[str]:
    """The rule codes of the summary's violation lines."""
    return {line.split()[0] for line in out.splitlines() if line.startswith("  PL")}


# -- where the walk goes -------------------------------------------------------------------------


def test_a_patch_file_in_a_subfolder_finds_the_repository_s_configuration(tmp_path: Path) -> None:
    repo = repo_with_series(tmp_path / "repo")
    (repo / ".patchlint.yaml").write_text(ONLY_PL104)
    patch = "repo/outgoing/v2/v2-0001-i2c-demo-read-the-bus-frequency-from-the-device-p.patch"
    result = run("check", "--summary-only", patch, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert found_rules(result.stdout) == {"PL104"}
    assert "  configuration: repo/.patchlint.yaml (found; --isolated ignores it)" in result.stdout
    assert "profiles: repo/.patchlint.yaml 1 posting" in result.stdout
    # Without it, the series' list profile judges, as before.
    isolated = run("check", "--summary-only", "--isolated", patch, cwd=tmp_path)
    assert {"PL104", "PL301"} <= found_rules(isolated.stdout)
    assert "configuration:" not in isolated.stdout and "profiles: kernel 1 posting" in isolated.stdout


def test_the_nearest_configuration_wins(tmp_path: Path) -> None:
    repo = repo_with_series(tmp_path / "repo")
    (repo / ".patchlint.yaml").write_text("select: [signed-off-by]\n")
    (repo / "outgoing" / "patchlint.yaml").write_text(ONLY_PL104)
    result = run("check", "--summary-only", "outgoing/v2", cwd=repo)
    assert found_rules(result.stdout) == {"PL104"}
    assert "configuration: outgoing/patchlint.yaml (found" in result.stdout


def test_a_configuration_above_the_repository_is_not_used(tmp_path: Path) -> None:
    (tmp_path / ".patchlint.yaml").write_text(ONLY_PL104)
    repo = repo_with_series(tmp_path / "repo")
    result = run("check", "--summary-only", "outgoing/v2", cwd=repo)
    assert {"PL104", "PL301"} <= found_rules(result.stdout)
    assert "configuration:" not in result.stdout
    assert find_config(repo / "outgoing" / "v2") is None
    # The repository's top is asked before the walk stops there.
    (repo / "pyproject.toml").write_text('[tool.patchlint]\nselect = ["signed-off-by"]\n')
    assert find_config(repo / "outgoing" / "v2").path == repo / "pyproject.toml"


def test_outside_a_repository_the_walk_ends_at_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    mail = home / "mail" / "outgoing"
    mail.mkdir(parents=True)
    (tmp_path / ".patchlint.yaml").write_text("select: [signed-off-by]\n")  # above home: never read
    assert find_config(mail, home) is None
    (home / ".patchlint.yaml").write_text(ONLY_PL104)
    assert find_config(mail, home).path == home / ".patchlint.yaml"


def test_a_directory_anyone_may_write_into_is_not_read(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "drop").mkdir(parents=True)
    (shared / ".patchlint.yaml").write_text(ONLY_PL104)
    assert find_config(shared / "drop").path == shared / ".patchlint.yaml"
    shared.chmod(0o777)  # like /tmp: another user's file there must not change a run
    try:
        assert find_config(shared / "drop") is None
    finally:
        shared.chmod(0o755)


@pytest.mark.parametrize("present, used", [
    ((".patchlint.yaml", "patchlint.yaml", "pyproject.toml"), ".patchlint.yaml"),
    (("patchlint.yaml", "pyproject.toml"), "patchlint.yaml"),
    (("pyproject.toml",), "pyproject.toml"),
])
def test_precedence_of_the_three_names_in_one_directory(tmp_path: Path, present: tuple[str, ...], used: str) -> None:
    repo = repo_with_series(tmp_path / "repo")
    selects = {".patchlint.yaml": "summary-punctuation", "patchlint.yaml": "signed-off-by",
               "pyproject.toml": "commit-log-long-line"}
    for name in present:
        text = f"select: [{selects[name]}]\n"
        if name == "pyproject.toml":
            text = f'[project]\nname = "demo"\n\n[tool.patchlint]\nselect = ["{selects[name]}"]\n'
        (repo / name).write_text(text)
    assert CONFIG_NAMES == (".patchlint.yaml", "patchlint.yaml", "pyproject.toml")
    result = run("check", "--summary-only", "outgoing", cwd=repo)
    codes = {"summary-punctuation": "PL104", "signed-off-by": "PL301", "commit-log-long-line": "PL316"}
    assert found_rules(result.stdout) == {codes[selects[used]]}
    shown = f"{used} [tool.patchlint]" if used == "pyproject.toml" else used
    assert f"configuration: {shown} (found" in result.stdout
    # The files that lose are named, not ignored silently.
    losers = present[present.index(used) + 1:]
    if losers:
        assert f"not read: {', '.join(losers)} beside it" in result.stdout


def test_a_losing_file_is_not_read(tmp_path: Path) -> None:
    repo = repo_with_series(tmp_path / "repo")
    (repo / ".patchlint.yaml").write_text(ONLY_PL104)
    (repo / "pyproject.toml").write_text("[tool.patchlint]\nselect = = 1\n")  # not TOML: never parsed for the run
    result = run("check", "--summary-only", "outgoing", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert "not read: pyproject.toml beside it" in result.stdout


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    repo = repo_with_series(tmp_path / "repo")
    (repo / ".patchlint.yaml").write_text(ONLY_PL104)
    (repo / "outgoing" / "pyproject.toml").write_text('[project]\nname = "patchlint-demo"\n[tool.ruff]\nline-length = 90\n')
    result = run("check", "--summary-only", "outgoing/v2", cwd=repo)
    assert found_rules(result.stdout) == {"PL104"} and "configuration: .patchlint.yaml (found" in result.stdout


# -- git ranges, commit messages, standard input ----------------------------------------------------


def test_a_git_range_run_inside_the_repository_finds_its_configuration(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    commit(repo, "a.c", "demo: add a." + SIGNED)  # PL104: the summary ends in a period
    commit(repo, "b.c", "demo: add b" + SIGNED)
    (repo / "sub").mkdir()
    # A subfolder's configuration is for the files there: a range is the repository's.
    (repo / "sub" / ".patchlint.yaml").write_text("select: [signed-off-by]\n")
    (repo / ".patchlint.yaml").write_text(PL104_WARNS)
    for cwd in (repo, repo / "sub"):
        result = run("check", "HEAD~2..", "--summary-only", cwd=cwd)
        assert result.returncode == 0, result.stdout + result.stderr  # PL104 is a warning here
        assert "PL104 summary-punctuation (warning): 1" in result.stdout
        name = ".patchlint.yaml" if cwd == repo else str(repo / ".patchlint.yaml")
        assert f"configuration: {name} (found" in result.stdout
    isolated = run("check", "HEAD~2..", "--summary-only", "--isolated", cwd=repo)
    assert isolated.returncode == 1 and "PL104 summary-punctuation (error): 1" in isolated.stdout


def test_a_commit_msg_hook_uses_the_repository_s_configuration(tmp_path: Path) -> None:
    """Real git runs the hook (from the top of the work tree, with .git/COMMIT_EDITMSG): the
    project's configuration, found without --config, decides whether the commit is made."""
    repo = make_repo(tmp_path / "repo")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    hook = hooks / "commit-msg"
    hook.write_text(f'#!/bin/sh\nexec {sys.executable} -m patchlint check --commit-msg "$1" $PATCHLINT_ARGS\n')
    hook.chmod(0o755)
    (repo / ".patchlint.yaml").write_text(PL104_WARNS)

    def commit_with_hook(name: str, extra: str = "") -> subprocess.CompletedProcess[str]:
        (repo / name).write_text(name)
        git(repo, "add", name)
        return subprocess.run(
            ["git", "-C", str(repo), "-c", f"core.hooksPath={hooks}", "commit", "-q", "-F", "-"],
            input="demo: add it." + SIGNED, capture_output=True, text=True, timeout=120,
            env={**os.environ, **GIT_ENV, "PATCHLINT_ARGS": extra},
        )

    made = commit_with_hook("a.c")
    said = made.stdout + made.stderr  # git passes the hook's output on to standard error
    assert made.returncode == 0, said
    assert "PL104 summary-punctuation" in said and "(warning)" in said
    assert "patchlint: 1 warning in 1 message (configuration: .patchlint.yaml)" in said
    refused = commit_with_hook("b.c", "--isolated")  # the default profile: PL104 is an error
    assert refused.returncode != 0 and "PL104 summary-punctuation" in refused.stderr
    assert git(repo, "log", "--format=%s").splitlines() == ["demo: add it.", "base: the start"]


def test_a_commit_message_file_given_from_a_subfolder(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / ".patchlint.yaml").write_text(PL104_WARNS)
    (repo / "src").mkdir()
    (repo / "src" / "message.txt").write_text("demo: add it." + SIGNED)
    result = run("check", "--commit-msg", "message.txt", cwd=repo / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(warning)" in result.stdout and f"(configuration: {repo / '.patchlint.yaml'})" in result.stdout


def test_standard_input_finds_the_working_directory_s_configuration(tmp_path: Path) -> None:
    repo = repo_with_series(tmp_path / "repo")
    (repo / "patchlint.yaml").write_text(ONLY_PL104)
    patch = next((repo / "outgoing" / "v2").glob("v2-0001-*")).read_bytes()
    result = run("check", "--summary-only", "-", cwd=repo, stdin=patch)
    assert found_rules(result.stdout) == {"PL104"} and "configuration: patchlint.yaml (found" in result.stdout


# -- pyproject.toml ---------------------------------------------------------------------------------


PYPROJECT = '''[project]
name = "demo"

[tool.patchlint]
extends = "kernel"
ignore = ["PL301"]

[tool.patchlint.rules.summary-punctuation]
severity = "warning"

[tool.patchlint.rules.commit-log-long-line.options]
max-length = 300
'''


def test_the_pyproject_table_is_a_configuration(tmp_path: Path) -> None:
    repo = repo_with_series(tmp_path / "repo")
    (repo / "pyproject.toml").write_text(PYPROJECT)
    result = run("check", "--summary-only", "outgoing", cwd=repo)
    assert "PL104 summary-punctuation (warning): 1" in result.stdout
    assert "PL301" not in result.stdout and "PL316" not in result.stdout  # ignored; 238 columns allowed
    assert "configuration: pyproject.toml [tool.patchlint] (found" in result.stdout
    # --config takes the same file.
    named = run("check", "--summary-only", "--isolated", "--config", "pyproject.toml", "outgoing", cwd=repo)
    assert found_rules(named.stdout) == found_rules(result.stdout)
    assert "configuration: pyproject.toml [tool.patchlint] (--config)" in named.stdout


@pytest.mark.parametrize("text, line, words", [
    (PYPROJECT.replace("max-length = 300", 'max-length = "long"'), 12, "max-length must be int"),
    (PYPROJECT.replace('severity = "warning"', 'severity = "loud"'), 9, "severity 'loud'"),
    (PYPROJECT.replace('ignore = ["PL301"]', 'ignore = ["PL301", "no-such-rule"]'), 6, "unknown rule 'no-such-rule'"),
    (PYPROJECT.replace('extends = "kernel"', 'extends = "kernal"'), 5, "did you mean 'kernel'"),
    (PYPROJECT.replace('ignore = ["PL301"]', 'ignore = ["PL301"]\ncolour = "blue"'), 7, "unknown key 'colour'"),
    (PYPROJECT + "colour = 'blue'\n", 13, "unknown option of commit-log-long-line 'colour'"),
    ('[tool.patchlint]\nselect = ["PL1"]\nrules = { subject-prefix = { severity = 3 } }\n', 3,
     "expected error, warning or info"),
    (PYPROJECT.replace("max-length = 300", "max-length = = 300"), 12, "invalid TOML"),
    ('[tool]\npatchlint = "kernel"\n', 2, "[tool.patchlint] to be a table"),
])
def test_mistakes_in_the_pyproject_table_are_located(tmp_path: Path, text: str, line: int, words: str) -> None:
    repo = repo_with_series(tmp_path / "repo")
    (repo / "pyproject.toml").write_text(text)
    result = run("check", "--summary-only", "outgoing", cwd=repo)
    assert result.returncode == 4, result.stdout + result.stderr
    assert f"patchlint: configuration error: pyproject.toml:{line}: " in result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr


def test_a_named_pyproject_needs_the_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    assert pyproject_table(tmp_path / "pyproject.toml") is None
    result = run("check", "--config", "pyproject.toml", str(PROBLEMS), cwd=tmp_path)
    assert result.returncode == 4 and "pyproject.toml:1: no [tool.patchlint] table" in result.stderr


# -- --config, --isolated, errors -------------------------------------------------------------------


def test_config_overrides_what_is_found(tmp_path: Path) -> None:
    repo = repo_with_series(tmp_path / "repo")
    (repo / ".patchlint.yaml").write_text(ONLY_PL104)
    (tmp_path / "mine.yaml").write_text("select: [signed-off-by]\n")
    result = run("check", "--summary-only", "--config", str(tmp_path / "mine.yaml"), "outgoing", cwd=repo)
    assert found_rules(result.stdout) == {"PL301"}
    assert f"configuration: {tmp_path / 'mine.yaml'} (--config)" in result.stdout
    # A broken file found is not read when --config or --isolated says otherwise.
    (repo / ".patchlint.yaml").write_text("select: [PL\n")
    assert run("check", "--summary-only", "--config", "default", "outgoing", cwd=repo).returncode == 1
    assert run("check", "--summary-only", "--isolated", "outgoing", cwd=repo).returncode == 1


def test_a_mistake_in_a_found_configuration_is_a_located_error(tmp_path: Path) -> None:
    repo = repo_with_series(tmp_path / "repo")
    (repo / "outgoing" / ".patchlint.yaml").write_text("rules:\n  summary-punctuation:\n    severity: loud\n")
    result = run("check", "outgoing/v2", cwd=repo)
    assert result.returncode == 4
    assert "patchlint: configuration error: outgoing/.patchlint.yaml:3: severity 'loud'" in result.stderr


def test_inputs_under_two_configurations_are_refused_naming_both(tmp_path: Path) -> None:
    one = repo_with_series(tmp_path / "one")
    two = repo_with_series(tmp_path / "two")
    (one / ".patchlint.yaml").write_text(ONLY_PL104)
    (two / ".patchlint.yaml").write_text("select: [signed-off-by]\n")
    result = run("check", "one/outgoing", "two/outgoing", cwd=tmp_path)
    assert result.returncode == 4
    assert ("patchlint: one/outgoing and two/outgoing lie under different configurations "
            "(one/.patchlint.yaml and two/.patchlint.yaml)") in result.stderr
    # One with a configuration and one without: refused too (which should judge the second?).
    (two / ".patchlint.yaml").unlink()
    mixed = run("check", "one/outgoing", "two/outgoing", cwd=tmp_path)
    assert mixed.returncode == 4 and "(one/.patchlint.yaml and none)" in mixed.stderr
    # Two paths under one configuration are one run; --config or --isolated decide for all.
    assert run("check", "--summary-only", "one/outgoing", "one/outgoing/v2", cwd=tmp_path).returncode == 1
    assert run("check", "--summary-only", "--isolated", "one/outgoing", "two/outgoing", cwd=tmp_path).returncode == 1
    with pytest.raises(DiscoveryError):
        discover([Start(one, "one"), Start(two, "two")])


# -- plugins from the checked tree ------------------------------------------------------------------


EVIL = "import pathlib\npathlib.Path({marker!r}).write_text('imported')\n"


@pytest.mark.parametrize("name, text, line", [
    (".patchlint.yaml", "select: [PL1]\nplugins:\n  - tools/evil.py\n", 3),
    ("patchlint.yaml", "extends: tools/more.yaml\n", 2),  # named by a file it extends
    ("pyproject.toml", '[tool.patchlint]\nselect = ["PL1"]\nplugins = ["tools/evil.py"]\n', 3),
])
def test_a_found_configuration_s_plugins_are_refused_and_nothing_is_imported(
    tmp_path: Path, name: str, text: str, line: int,
) -> None:
    repo = repo_with_series(tmp_path / "repo")
    marker = tmp_path / "imported"
    (repo / "tools").mkdir()
    (repo / "tools" / "evil.py").write_text(EVIL.format(marker=str(marker)))
    (repo / "tools" / "more.yaml").write_text("select: [PL1]\nplugins: [evil.py]\n")
    (repo / name).write_text(text)
    where = "tools/more.yaml" if name == "patchlint.yaml" else name
    for args in (("check", "outgoing"), ("check", "--summary-only", "outgoing"), ("rules",), ("explain", "PL104")):
        result = run(*args, cwd=repo)
        assert result.returncode == 4, (args, result.stdout, result.stderr)
        assert result.stderr.startswith("patchlint: configuration error: ")
        assert f"{where}:{line}: names the plugin" in result.stderr
        assert "name this file with --config to load its plugins" in result.stderr
        assert not marker.exists(), args
    # Named by the user, the same file's plugins load (and run their module code).
    if name != "pyproject.toml":
        run("rules", "--config", name, cwd=repo)
        assert marker.read_text() == "imported"


# -- rules, explain, the console script, reports, pytest --patchlint --------------------------------


def test_rules_and_explain_use_the_same_discovery(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "src").mkdir()
    (repo / ".patchlint.yaml").write_text(PL104_WARNS)
    rules = run("rules", cwd=repo / "src")
    assert rules.returncode == 0, rules.stderr
    assert "configuration: .patchlint.yaml <- kernel.yaml" in rules.stdout
    assert f"found: {repo / '.patchlint.yaml'} (--isolated ignores it)" in rules.stdout
    row = next(line for line in rules.stdout.splitlines() if line.startswith("PL104"))
    assert " warning " in row
    assert " error " in next(line for line in run("rules", "--isolated", cwd=repo).stdout.splitlines()
                             if line.startswith("PL104"))
    explained = run("explain", "summary-punctuation", cwd=repo / "src")
    assert "default severity: warning" in explained.stdout.splitlines()[0]
    assert "default severity: error" in run("explain", "PL104", "--isolated", cwd=repo).stdout.splitlines()[0]


def test_the_console_script_discovers(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "patchlint"
    if not script.exists():
        pytest.skip("patchlint is not installed as a console script in this environment")
    repo = repo_with_series(tmp_path / "repo")
    (repo / ".patchlint.yaml").write_text(ONLY_PL104)
    result = run("check", "-q", "v2", cwd=repo / "outgoing", script=True)
    assert result.returncode == 1, result.stdout + result.stderr
    # Outside the working directory, it is named by its absolute path (as a --config outside it is).
    assert f"configuration: {repo / '.patchlint.yaml'} (found; --isolated ignores it)" in result.stdout
    assert "PL104 summary-punctuation (error): 1" in result.stdout and "PL301" not in result.stdout


def test_the_json_report_names_the_configuration(tmp_path: Path) -> None:
    repo = repo_with_series(tmp_path / "repo")
    (repo / ".patchlint.yaml").write_text(ONLY_PL104)
    found = json.loads(run("check", "--format", "json", "outgoing", cwd=repo).stdout)
    assert found["configuration"] == {"name": ".patchlint.yaml", "origin": "found"}
    assert {m["profile"] for m in found["messages"]} == {".patchlint.yaml"}
    none = json.loads(run("check", "--format", "json", "--isolated", "outgoing", cwd=repo).stdout)
    assert none["configuration"] == {"name": None, "origin": None}
    named = json.loads(run("check", "--format", "json", "--config", "netdev", "outgoing", cwd=repo).stdout)
    assert named["configuration"] == {"name": "netdev", "origin": "--config"}


def test_pytest_patchlint_discovers_unless_told_otherwise(pytester: pytest.Pytester) -> None:
    shutil.copytree(PROBLEMS, pytester.path / "outgoing")
    pytester.makefile(".yaml", **{".patchlint": ONLY_PL104})
    found = pytester.runpytest("--patchlint", "-q", "outgoing")
    found.stdout.fnmatch_lines(["*configuration: .patchlint.yaml (found; --isolated ignores it)*"])
    assert "PL104 summary-punctuation (error): 1" in found.stdout.str() and "PL301" not in found.stdout.str()
    isolated = pytester.runpytest("--patchlint", "--patchlint-isolated", "-q", "outgoing")
    assert "PL301" in isolated.stdout.str() and "configuration:" not in isolated.stdout.str()
    # The ini key is the project's choice for pytest: it wins over what is found.
    pytester.makefile(".yaml", mine="select: [signed-off-by]\n")
    pytester.makeini("[pytest]\npatchlint_config = mine.yaml\n")
    keyed = pytester.runpytest("--patchlint", "-q", "outgoing")
    keyed.stdout.fnmatch_lines(["*configuration: *mine.yaml (patchlint_config in tox.ini)*"])
    assert "PL104" not in keyed.stdout.str() and "PL301 signed-off-by (error): 1" in keyed.stdout.str()


def test_pytest_patchlint_refuses_a_found_configuration_s_plugins(pytester: pytest.Pytester, tmp_path: Path) -> None:
    shutil.copytree(PROBLEMS, pytester.path / "outgoing")
    marker = tmp_path / "imported"
    (pytester.path / "evil.py").write_text(EVIL.format(marker=str(marker)))
    pytester.makefile(".yaml", **{".patchlint": "plugins: [evil.py]\n"})
    result = pytester.runpytest("--patchlint", "outgoing")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*.patchlint.yaml:1: names the plugin 'evil.py'*"])
    assert not marker.exists()


def test_a_config_error_keeps_its_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "pyproject.toml"
    bad.write_text('[tool.patchlint]\nselect = ["PL1"]\n\n[tool.patchlint.rules]\nsignd-off-by = {}\n')
    with pytest.raises(ConfigError) as caught:
        from patchlint.engine import Engine

        Engine(bad)
    assert caught.value.line == 5 and caught.value.message.startswith("unknown rule 'signd-off-by'")


def test_the_readme_example_is_what_the_command_prints(tmp_path: Path) -> None:
    from paths import ROOT

    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### Where the configuration comes from", 1)[1]
    blocks = section.split("```")
    config = blocks[1].removeprefix("yaml\n")
    command = blocks[3].removeprefix("sh\n").strip()
    shown = [line for line in blocks[5].strip("\n").splitlines() if line.strip() != "…"]
    assert command == "cd linux && patchlint check --summary-only outgoing/"
    repo = make_repo(tmp_path / "linux")
    (repo / ".patchlint.yaml").write_text(config)
    shutil.copytree(PROBLEMS, repo / "outgoing")
    printed = run("check", "--summary-only", "outgoing/", cwd=repo).stdout.splitlines()
    assert printed[: len(shown)] == shown
