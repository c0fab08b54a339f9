"""The hooks patchlint ships for contributors: git send-email's sendemail-validate hook
(contrib/hooks/sendemail-validate, run by real ``git send-email --dry-run`` when git-email is
installed, and called as git calls it either way), git's commit-msg hook, pre-commit's hooks
(.pre-commit-hooks.yaml, run by ``pre-commit try-repo`` when pre-commit is installed), and what
the series rules say of part of a series."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from patchlint.engine import Engine, Input
from patchlint.rule import Scope
from patchlint.sendemail import RECORD, HookCall, plan, siblings

from git_helpers import GIT_ENV, SIGNED, commit, git, make_repo
from paths import ROOT

HOOK = ROOT / "contrib" / "hooks" / "sendemail-validate"
COMMIT_MSG_HOOK = ROOT / "contrib" / "hooks" / "commit-msg"
QEMU = "qemu-devel@nongnu.org"  # the qemu profile asks a cover letter from 2 patches (an error)


def _environment(**extra: str) -> dict[str, str]:
    """The environment git and the hooks run in: a fixed identity, no user configuration, this
    Python's scripts (the ``patchlint`` command) first on PATH."""
    env = {**os.environ, **GIT_ENV, **extra}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_EDITOR", COUNTER, TOTAL):
        if key not in extra:
            env.pop(key, None)
    return env


COUNTER, TOTAL = "GIT_SENDEMAIL_FILE_COUNTER", "GIT_SENDEMAIL_FILE_TOTAL"


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


def _series(tmp_path: Path, count: int = 3, *, sign: bool = True) -> Path:
    """A repository with ``count`` commits on top of its base (the last one without a
    sign-off unless ``sign``)."""
    repo = make_repo(tmp_path / "repo")
    for number in range(1, count + 1):
        message = f"demo: add file {number}" + (SIGNED if sign or number < count else "\n\nExplain the change.\n")
        commit(repo, f"file{number}.c", message)
    return repo


def _format_patch(repo: Path, out: Path, *options: str) -> list[Path]:
    git(repo, "format-patch", "-q", "-o", str(out), *options)
    for cover in out.glob("*0000-cover-letter.patch"):
        cover.write_text(cover.read_text().replace("*** SUBJECT HERE ***", "demo: three files")
                         .replace("*** BLURB HERE ***", "The demo gets three files, one per patch."))
    return sorted(out.iterdir())


def _call_hook(repo: Path, file: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The hook run as git send-email runs it: in the top of the work tree, GIT_DIR set, the
    file's absolute path as the first argument."""
    return subprocess.run(
        [str(HOOK), str(file.resolve()), *extra], cwd=repo, capture_output=True, text=True, timeout=120,
        env=env if env is not None else _environment(GIT_DIR=str(repo / ".git")),
    )


# -- what one call judges ---------------------------------------------------------------------


def test_siblings_are_the_files_format_patch_wrote_together(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    names = ["v2-0000-cover-letter.patch", "v2-0001-a.patch", "v2-0002-b.patch", "0001-old.patch",
             "v1-0001-old.patch", "v2-0003-c.txt", "notes.txt"]
    for name in names:
        (out / name).write_text("x\n")
    (out / "v2-0004-dir.patch").mkdir()
    found = [p.name for p in siblings(out / "v2-0001-a.patch")]
    assert found == ["v2-0000-cover-letter.patch", "v2-0001-a.patch", "v2-0002-b.patch"]
    assert [p.name for p in siblings(out / "0001-old.patch")] == ["0001-old.patch"]
    assert [p.name for p in siblings(out / "notes.txt")] == ["notes.txt"]


def test_before_git_2_41_the_first_file_judges_the_series(tmp_path: Path) -> None:
    files = _format_patch(_series(tmp_path), tmp_path / "out", "--cover-letter", "HEAD~3..")
    plans = [plan(HookCall.of(str(f), None, {}), tmp_path) for f in files]
    assert [len(p.series_files) for p in plans] == [4, 0, 0, 0]


def test_git_2_41_counters_judge_the_series_at_the_last_file(tmp_path: Path) -> None:
    repo = _series(tmp_path)
    files = _format_patch(repo, tmp_path / "out", "--cover-letter", "HEAD~3..")
    record = repo / ".git" / RECORD
    plans = []
    for number, file in enumerate(files, start=1):
        plans.append(plan(HookCall.of(str(file), "headers", {COUNTER: str(number), TOTAL: "4"}), repo))
        assert record.exists() == (number < 4)
    assert [p.series_files for p in plans[:3]] == [(), (), ()]
    assert plans[3].series_files == tuple(f.absolute() for f in files)


# -- the hook called as git calls it (no git-email needed) -----------------------------------


def _run_as_git(repo: Path, files: list[Path], counters: bool) -> list[subprocess.CompletedProcess[str]]:
    """One call per file, in order, as git send-email makes them (git 2.41's counters and
    headers file when ``counters``), stopping at the first refusal as git does."""
    headers = repo.parent / "headers"
    headers.write_text(f"From: Ada Tester <ada@example.org>\nTo: {QEMU}\nSubject: x\n")
    done = []
    for number, file in enumerate(files, start=1):
        extra = {COUNTER: str(number), TOTAL: str(len(files))} if counters else {}
        env = _environment(GIT_DIR=str(repo / ".git"), **extra)
        called = _call_hook(repo, file, *([str(headers)] if counters else []), env=env)
        done.append(called)
        if called.returncode != 0:
            break
    return done


@pytest.mark.parametrize("counters", [False, True], ids=["git-2.39", "git-2.41"])
def test_a_series_with_its_cover_letter_passes(tmp_path: Path, counters: bool) -> None:
    repo = _series(tmp_path)
    files = _format_patch(repo, tmp_path / "out", "--cover-letter", f"--to={QEMU}", "HEAD~3..")
    calls = _run_as_git(repo, files, counters)
    assert [c.returncode for c in calls] == [0, 0, 0, 0], [c.stdout + c.stderr for c in calls]
    printed = "".join(c.stdout for c in calls)
    assert "PL112" not in printed and "PL111" not in printed


@pytest.mark.parametrize("counters", [False, True], ids=["git-2.39", "git-2.41"])
def test_a_series_without_cover_letter_is_refused_once(tmp_path: Path, counters: bool) -> None:
    repo = _series(tmp_path)
    files = _format_patch(repo, tmp_path / "out", f"--to={QEMU}", "HEAD~3..")
    calls = _run_as_git(repo, files, counters)
    refusing = len(files) if counters else 1  # the series is judged at the last file, or the first
    assert [c.returncode for c in calls] == [0] * (refusing - 1) + [1]
    printed = "".join(c.stdout for c in calls)
    assert printed.count("PL112 missing-cover-letter") == 1
    assert "a series of 3 patches without a cover letter" in calls[-1].stdout
    assert "0001-demo-add-file-1.patch" in calls[-1].stdout


@pytest.mark.parametrize("counters", [False, True], ids=["git-2.39", "git-2.41"])
def test_a_patch_without_sign_off_is_refused_at_its_file(tmp_path: Path, counters: bool) -> None:
    repo = _series(tmp_path, sign=False)
    files = _format_patch(repo, tmp_path / "out", "--cover-letter", f"--to={QEMU}", "HEAD~3..")
    calls = _run_as_git(repo, files, counters)
    assert [c.returncode for c in calls] == [0, 0, 0, 1]
    assert "0003-demo-add-file-3.patch" in calls[-1].stdout
    assert "PL301 signed-off-by" in calls[-1].stdout
    assert sum(c.stdout.count("PL301") for c in calls) == 1


def test_part_of_a_series_sent_says_only_what_is_missing(tmp_path: Path) -> None:
    """git send-email out/0002-… out/0003-… (git 2.41: the counters say two files): the cover
    letter and patch 1 are not sent, so the series rules say only that the series is
    incomplete, and that is information: nothing is refused."""
    repo = _series(tmp_path)
    files = _format_patch(repo, tmp_path / "out", f"--to={QEMU}", "HEAD~3..")
    calls = _run_as_git(repo, files[1:], counters=True)
    assert [c.returncode for c in calls] == [0, 0]
    assert calls[0].stdout == ""
    assert calls[1].stdout.splitlines() == [
        f"{files[1].resolve()}:4: PL111 incomplete-series: the input holds 2 of 3 patches; missing 1/3 (info)"
    ]


def test_git_2_41_headers_choose_the_profile(tmp_path: Path) -> None:
    """git send-email --to=qemu-devel@nongnu.org HEAD~3: the files format-patch wrote name no
    list, git's headers file does; its recipients choose the qemu profile, which asks a cover
    letter of this series. Without a headers file (git before 2.41) the default profile judges
    them, which asks none."""
    repo = _series(tmp_path)
    files = _format_patch(repo, tmp_path / "out", "HEAD~3..")
    assert "To:" not in files[0].read_text()
    with_headers = _run_as_git(repo, files, counters=True)
    assert [c.returncode for c in with_headers] == [0, 0, 1]
    assert "PL112 missing-cover-letter" in with_headers[-1].stdout
    without = _run_as_git(repo, files, counters=False)
    assert [c.returncode for c in without] == [0, 0, 0]
    assert "PL112" not in "".join(c.stdout for c in without)


def test_the_repository_configuration_judges_what_the_hook_is_given(tmp_path: Path) -> None:
    """A .patchlint.yaml at the top of the repository git sends from (git runs the hook there),
    even for files format-patch wrote elsewhere; --isolated leaves it out."""
    repo = _series(tmp_path)
    (repo / ".patchlint.yaml").write_text("extends: qemu\n")
    files = _format_patch(repo, tmp_path / "out", "HEAD~3..")
    calls = _run_as_git(repo, files, counters=False)
    assert [c.returncode for c in calls] == [1]
    assert "PL112 missing-cover-letter" in calls[0].stdout
    isolated = subprocess.run(
        [sys.executable, "-m", "patchlint", "sendemail-validate", "--isolated", str(files[0])], cwd=repo,
        capture_output=True, text=True, env=_environment(GIT_DIR=str(repo / ".git")), timeout=120,
    )
    assert isolated.returncode == 0 and "PL112" not in isolated.stdout, isolated.stdout + isolated.stderr


def test_the_hook_refuses_a_missing_file(tmp_path: Path) -> None:
    repo = _series(tmp_path, count=1)
    called = _call_hook(repo, tmp_path / "nothing.patch")
    assert called.returncode == 4
    assert "no such file" in called.stderr


# -- real git send-email ----------------------------------------------------------------------


def _send_email_available() -> bool:
    try:
        done = subprocess.run(["git", "send-email", "-h"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return b"send-email" in done.stdout + done.stderr and b"is not a git command" not in done.stderr


needs_send_email = pytest.mark.skipif(
    not _send_email_available(), reason="git send-email is not installed (Debian: apt-get install git-email)"
)


def _send_email(repo: Path, *what: str, editor: str | None = None) -> subprocess.CompletedProcess[str]:
    """git send-email --dry-run with the hook installed: nothing is sent (and the SMTP server
    named is a program that would fail if it were run). ``format.to`` puts the list in the
    files format-patch writes for a range (the hook reads the file, not git's --to)."""
    hooks = repo / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    shutil.copy(HOOK, hooks / "sendemail-validate")
    (hooks / "sendemail-validate").chmod(0o755)
    return subprocess.run(
        ["git", "-C", str(repo), "-c", f"format.to={QEMU}", "send-email", "--dry-run", "--confirm=never", "--quiet",
         "--from=Ada Tester <ada@example.org>", f"--to={QEMU}", "--smtp-server=/bin/false", *what],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
        env=_environment(**({"GIT_EDITOR": editor} if editor else {})),
    )


@needs_send_email
def test_git_send_email_sends_a_series_with_its_cover_letter(tmp_path: Path) -> None:
    repo = _series(tmp_path)
    out = tmp_path / "out"
    _format_patch(repo, out, "--cover-letter", f"--to={QEMU}", "HEAD~3..")
    sent = _send_email(repo, str(out))
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "rejected" not in sent.stderr
    assert sent.stdout.count("Dry-Sent") == 4


@needs_send_email
def test_git_send_email_refuses_a_series_without_cover_letter(tmp_path: Path) -> None:
    repo = _series(tmp_path)
    sent = _send_email(repo, "HEAD~3")  # git send-email runs format-patch into a folder of its own
    assert sent.returncode != 0
    assert "rejected by sendemail-validate hook" in sent.stderr
    assert "no patches were sent" in sent.stderr
    # git hook run sends the hook's output to standard error.
    assert sent.stderr.count("PL112 missing-cover-letter: a series of 3 patches without a cover letter") == 1
    assert "Dry-Sent" not in sent.stdout


@needs_send_email
def test_git_send_email_refuses_a_patch_without_sign_off(tmp_path: Path) -> None:
    repo = _series(tmp_path, sign=False)
    out = tmp_path / "out"
    _format_patch(repo, out, "--cover-letter", f"--to={QEMU}", "HEAD~3..")
    sent = _send_email(repo, str(out))
    assert sent.returncode != 0
    assert "0003-demo-add-file-3.patch: rejected by sendemail-validate hook" in sent.stderr
    assert "PL301 signed-off-by" in sent.stderr


def _git_version() -> tuple[int, ...]:
    text = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.split()[-1]
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


@needs_send_email
@pytest.mark.skipif(_git_version() >= (2, 41), reason="git 2.41 validates the files just before sending")
def test_before_git_2_41_the_hook_runs_before_compose(tmp_path: Path) -> None:
    """What the README says of --compose: git before 2.41 runs the hook on the files before it
    opens the editor for the introduction, so the hook cannot see that letter."""
    repo = _series(tmp_path)
    marker = tmp_path / "editor-ran"
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\ntouch {marker}\n")
    editor.chmod(0o755)
    sent = _send_email(repo, "--compose", "HEAD~3", editor=str(editor))
    assert sent.returncode != 0
    assert "PL112 missing-cover-letter" in sent.stderr
    assert not marker.exists()


# -- git's commit-msg hook --------------------------------------------------------------------


def test_the_commit_msg_hook_stops_a_commit_without_sign_off(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(COMMIT_MSG_HOOK, hooks / "commit-msg")
    (repo / "file.c").write_text("int x;\n")
    git(repo, "add", "file.c")
    env = _environment()
    refused = subprocess.run(
        ["git", "-C", str(repo), "-c", f"core.hooksPath={hooks}", "commit", "-q", "-m",
         "demo: add x\n\nThe demo needs x."], capture_output=True, text=True, env=env, timeout=120,
    )
    assert refused.returncode != 0
    assert "PL301 signed-off-by" in refused.stderr  # git gives hooks standard error as output
    taken = subprocess.run(
        ["git", "-C", str(repo), "-c", f"core.hooksPath={hooks}", "commit", "-q", "-s", "-m",
         "demo: add x\n\nThe demo needs x: add it."], capture_output=True, text=True, env=env, timeout=120,
    )
    assert taken.returncode == 0, taken.stdout + taken.stderr
    assert git(repo, "log", "-1", "--format=%s").strip() == "demo: add x"


# -- part of a series is normal input ---------------------------------------------------------


@pytest.mark.parametrize("thread", [False, True], ids=["unthreaded", "threaded"])
def test_one_file_of_a_series_gets_only_the_incomplete_series_note(tmp_path: Path, thread: bool) -> None:
    """Each file of a v2 series of three with its cover letter, alone, with every rule on (PL112
    with the qemu profile's two patches): the series rules say only that the series is
    incomplete, once, as information. The cover letter alone is judged as a cover letter
    (here: it lacks a changelog, which the whole series would be told too)."""
    repo = _series(tmp_path)
    options = ["--cover-letter", "-v2", *(["--thread"] if thread else []), "HEAD~3.."]
    files = _format_patch(repo, tmp_path / "out", *options)
    config = tmp_path / "all.yaml"
    config.write_text("extends: qemu\nselect: [ALL]\nrules:\n  missing-cover-letter:\n    options:\n      min-patches: 2\n")
    engine = Engine(str(config))
    whole = [o for o in engine.run([Input.of(str(f)) for f in files]) if o.target.scope is Scope.SERIES]
    said_of_whole = sorted(v.code for o in whole for v in o.violations)
    assert said_of_whole == ["PL201"]
    for file in files:
        series = [o for o in engine.run([Input.of(str(file))]) if o.target.scope is Scope.SERIES]
        said = [(v.code, str(v.severity)) for o in series for v in o.violations]
        expected = [("PL111", "info")] + ([("PL201", "warning")] if "cover-letter" in file.name else [])
        assert sorted(said) == sorted(expected), (file.name, said)


# -- pre-commit -------------------------------------------------------------------------------


def test_pre_commit_manifest_is_valid() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is not installed")
    hooks = {hook["id"]: hook for hook in clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"patchlint-commit-msg", "patchlint"}
    assert hooks["patchlint-commit-msg"]["stages"] == ["commit-msg"]
    assert hooks["patchlint-commit-msg"]["entry"] == "patchlint check --commit-msg"
    assert hooks["patchlint"]["files"] == r"\.patch$"


def _pre_commit() -> str | None:
    found = shutil.which("pre-commit", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return found


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One environment for the module's runs: pre-commit installs patchlint into it once.
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.mark.skipif(_pre_commit() is None, reason="pre-commit is not installed")
@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout of patchlint: nothing for try-repo")
def test_pre_commit_try_repo_runs_both_hooks(tmp_path: Path, pre_commit_home: Path) -> None:
    """pre-commit try-repo installs this checkout's hooks in an environment of its own and runs
    them: the patch-file hook over a series, the commit-msg hook on a message file."""
    repo = _series(tmp_path, sign=False)
    files = _format_patch(repo, repo / "outgoing", "--cover-letter", "HEAD~3..")
    git(repo, "add", "outgoing")
    env = _environment(PRE_COMMIT_HOME=str(pre_commit_home))
    env.pop("PRE_COMMIT", None)
    command = [_pre_commit() or "pre-commit", "try-repo", str(ROOT)]
    patches = subprocess.run([*command, "patchlint", "--files", *(str(f.relative_to(repo)) for f in files)],
                             cwd=repo, capture_output=True, text=True, env=env, timeout=900)
    assert patches.returncode == 1, patches.stdout + patches.stderr
    found = [line for line in patches.stdout.splitlines() if "PL301" in line]
    assert len(found) == 1 and found[0].startswith("outgoing/0003-demo-add-file-3.patch:")
    assert ": error: PL301 signed-off-by: no Signed-off-by" in found[0]
    assert "PL112" not in patches.stdout and "PL111" not in patches.stdout
    message = repo / ".git" / "COMMIT_EDITMSG"
    message.write_text("demo: tidy up\n\nThe demo's files get tidied.\n\nSigned-off-by: Ada Tester <ada@example.org>\n"
                       "# Please enter the commit message for your changes.\n")
    clean = subprocess.run([*command, "patchlint-commit-msg", "--hook-stage", "commit-msg",
                            "--commit-msg-filename", str(message)], cwd=repo, capture_output=True, text=True,
                           env=env, timeout=900)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "patchlint (commit message)" in clean.stdout and "Passed" in clean.stdout
    message.write_text("demo: tidy up.\n\nThe demo's files get tidied.\n")
    dirty = subprocess.run([*command, "patchlint-commit-msg", "--hook-stage", "commit-msg",
                            "--commit-msg-filename", str(message)], cwd=repo, capture_output=True, text=True,
                           env=env, timeout=900)
    assert dirty.returncode == 1
    assert "PL104 summary-punctuation" in dirty.stdout and "PL301 signed-off-by" in dirty.stdout


# -- the README's contributor recipes ---------------------------------------------------------


def _contributor_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Contributor recipes")
    return text[start:text.index("\n## ", start + 1)]


def test_readme_recipes_name_the_shipped_hooks(tmp_path: Path) -> None:
    section = _contributor_section()
    for script in (HOOK, COMMIT_MSG_HOOK):
        assert f"cp contrib/hooks/{script.name} .git/hooks/{script.name}" in section
        assert os.access(script, os.X_OK), f"{script} must be executable to work as a git hook"
    assert 'exec patchlint sendemail-validate "$@"' in HOOK.read_text()
    assert 'exec patchlint check --commit-msg "$1"' in COMMIT_MSG_HOOK.read_text()
    # The b4 recipe is the command tests/test_b4.py runs through the real b4.
    assert 'git config b4.prep-perpatch-check-cmd "patchlint check --format checkpatch-quiet -"' in section
    assert '"b4.prep-perpatch-check-cmd", "patchlint check --format checkpatch-quiet -"' in (
        ROOT / "tests" / "test_b4.py").read_text()

def test_readme_pre_commit_configuration_is_valid(tmp_path: Path) -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is not installed")
    section = _contributor_section()
    block = section.split("# .pre-commit-config.yaml\n", 1)[1].split("```", 1)[0]
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(block)
    loaded = clientlib.load_config(str(config))
    named = {hook["id"] for repo in loaded["repos"] for hook in repo["hooks"]}
    shipped = {hook["id"] for hook in clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert named == shipped


def test_readme_range_recipes_work(tmp_path: Path) -> None:
    """``patchlint check HEAD~3..`` and ``--cover-letter origin/main..`` as the README writes them."""
    repo = _series(tmp_path)
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD~3")
    env = _environment()
    for command in (["HEAD~3.."], ["--cover-letter", "origin/main.."]):
        done = subprocess.run([sys.executable, "-m", "patchlint", "check", "--format", "compact", *command],
                              cwd=repo, capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == (1 if "--cover-letter" in command else 0), done.stdout + done.stderr
        assert f"patchlint check {' '.join(command)}" in _contributor_section()
    # The cover letter format-patch writes is its template until it is edited: PL118 says so.
    assert "PL118 cover-letter-template" in done.stdout


# -- what a hook's run imports ----------------------------------------------------------------


def _modules_after(code: str, cwd: Path) -> set[str]:
    done = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
                          cwd=cwd, capture_output=True, text=True, env=_environment(), timeout=120)
    return set(done.stdout.split()) if done.stdout else {f"failed: {done.stderr}"}


def test_the_command_imports_only_what_a_run_uses(tmp_path: Path) -> None:
    """Start-up is a hook's latency: importing the command loads neither pytest nor the address
    and diff libraries; a run that prints lines (--format compact, a cover letter: no address
    to validate, no diff to parse) loads none of them either."""
    heavy = {"pytest", "_pytest", "email_validator", "unidiff", "tqdm"}
    assert _modules_after("import patchlint.cli", tmp_path) & heavy == set()
    files = _format_patch(_series(tmp_path), tmp_path / "out", "--cover-letter", "HEAD~3..")
    run = f"from patchlint.cli import main\nmain(['check', '--format', 'compact', {str(files[0])!r}])"
    assert _modules_after(run, tmp_path) & heavy == set()
