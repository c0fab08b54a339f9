"""Latency of a pre-send check: how long a contributor waits for ``patchlint`` from a cold start.

Usage::

    python benchmarks/latency.py [--runs N] [--against REV] [--no-bytecode]

Builds a temporary git repository with ten commits and, in fresh processes (interpreter start-up
included, as a hook pays it), times:

``python -c pass``
    the interpreter alone: the floor no change to patchlint can go under;
``import patchlint.cli``
    what the command costs before it reads anything;
``one patch``
    ``patchlint check --format compact FILE`` (lines, no pytest) and ``patchlint check FILE``
    (pytest's report);
``10-patch series``
    the same over the ``git format-patch --cover-letter`` folder of the ten commits;
``commit message``
    ``patchlint check --commit-msg FILE``, as the commit-msg hook runs it;
``sendemail-validate``
    ``patchlint sendemail-validate FILE`` on one file of the series, as git send-email's hook
    runs it (only for trees that have the command).

Each figure is the median of ``--runs`` runs (default 9) of wall time and of CPU time (user and
system of the process and its children); the machine is shared, so CPU time is the steadier of
the two. With ``--against REV`` the tree of that revision (``git archive``, extracted to a
temporary folder and put first on ``PYTHONPATH``) is measured in the same run, the runs of the
two trees interleaved so that both see the same load: before and after, side by side.

Bytecode is written and reused as in a normal installation (a warm-up run per tree compiles
it); ``--no-bytecode`` measures with ``PYTHONDONTWRITEBYTECODE`` as the environment sets it.
Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Tester", "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada Tester", "GIT_COMMITTER_EMAIL": "ada@example.org",
    "GIT_AUTHOR_DATE": "2024-03-01T10:00:00+00:00", "GIT_COMMITTER_DATE": "2024-03-01T10:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


@dataclass(frozen=True)
class Tree:
    """A patchlint to measure: a label and the folder to put first on ``PYTHONPATH`` (None:
    the installed one)."""

    label: str
    path: Path | None


@dataclass(frozen=True)
class Case:
    label: str
    arguments: tuple[str, ...]  # after ``python``
    needs: str | None = None  # a patchlint sub-command the tree must have


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=True,
                          env={**os.environ, **GIT_ENV})
    return done.stdout.decode()


def build_inputs(folder: Path) -> tuple[Path, Path, Path, Path]:
    """A repository of ten commits; its format-patch folder, one patch of it, a commit message."""
    repo = folder / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "README").write_text("base\n")
    _git(repo, "add", "README")
    _git(repo, "commit", "-q", "-m", "base: the start")
    for number in range(1, 11):
        (repo / f"file{number}.c").write_text(f"int value{number} = {number};\n")
        _git(repo, "add", ".")
        message = (f"demo: add value {number}\n\nThe demo needs a value numbered {number}: add it, so "
                   "that the\ntable is complete.\n\nSigned-off-by: Ada Tester <ada@example.org>\n")
        _git(repo, "commit", "-q", "-F", "-", stdin=message.encode())
    series = folder / "series"
    _git(repo, "format-patch", "-q", "--cover-letter", "-o", str(series), "HEAD~10..")
    cover = series / "0000-cover-letter.patch"
    cover.write_text(cover.read_text().replace("*** SUBJECT HERE ***", "demo: ten values")
                     .replace("*** BLURB HERE ***", "The demo's table gets its ten values."))
    message = folder / "COMMIT_EDITMSG"
    message.write_text(_git(repo, "log", "-1", "--format=%B") + "# Please enter the commit message.\n")
    return repo, series, sorted(series.glob("0001-*"))[0], message


def environment(tree: Tree, bytecode: bool, cache: Path) -> dict[str, str]:
    env = {**os.environ, **GIT_ENV, "XDG_CACHE_HOME": str(cache)}
    env.pop("PYTHONPATH", None)
    if tree.path is not None:
        env["PYTHONPATH"] = str(tree.path)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(arguments: tuple[str, ...], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=cwd, env=env)
    _, _status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def has_command(tree: Tree, command: str, env: dict[str, str], cwd: Path) -> bool:
    done = subprocess.run([sys.executable, "-m", "patchlint", command, "--help"], capture_output=True,
                          env=env, cwd=cwd)
    return done.returncode == 0


def extract(rev: str, folder: Path) -> Path:
    """The tree of ``rev`` (its package and profiles) in ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "patchlint", "rules"],
                             capture_output=True, check=True).stdout
    folder.mkdir()
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per figure (the median is printed)")
    parser.add_argument("--against", metavar="REV", help="also measure this revision's tree, interleaved")
    parser.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="patchlint-latency-") as scratch:
        folder = Path(scratch)
        repo, series, patch, message = build_inputs(folder)
        trees = [Tree("this tree", ROOT)]
        if args.against:
            trees.append(Tree(args.against, extract(args.against, folder / "against")))
        cli = ("-m", "patchlint", "check")
        cases = [
            Case("python -c pass", ("-c", "pass")),
            Case("import patchlint.cli", ("-c", "import patchlint.cli")),
            Case("one patch, --format compact", (*cli, "--format", "compact", str(patch))),
            Case("one patch, pytest report", (*cli, str(patch))),
            Case("10-patch series, --format compact", (*cli, "--format", "compact", str(series))),
            Case("10-patch series, pytest report", (*cli, str(series))),
            Case("commit message (--commit-msg)", (*cli, "--commit-msg", str(message))),
            Case("sendemail-validate, one file", ("-m", "patchlint", "sendemail-validate", str(patch)),
                 needs="sendemail-validate"),
        ]
        envs = {tree.label: environment(tree, not args.no_bytecode, folder / f"cache-{i}")
                for i, tree in enumerate(trees)}
        figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for case in cases:
            runnable = [t for t in trees if case.needs is None or has_command(t, case.needs, envs[t.label], repo)]
            for tree in runnable:  # the warm-up: bytecode written, caches filled
                run_once(case.arguments, envs[tree.label], repo)
            for _ in range(args.runs):
                for tree in runnable:
                    figures.setdefault((case.label, tree.label), []).append(
                        run_once(case.arguments, envs[tree.label], repo))
        load = os.getloadavg()
        print(f"median of {args.runs} runs, wall s / CPU s; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
              f"bytecode {'not ' if args.no_bytecode else ''}cached")
        width = max(len(c.label) for c in cases)
        print("| " + " | ".join(["case".ljust(width), *(f"{t.label} wall / CPU" for t in trees)]) + " |")
        print("|" + "|".join(["-" * (width + 2), *("-" * (len(t.label) + 13) for t in trees)]) + "|")
        for case in cases:
            cells = []
            for tree in trees:
                runs = figures.get((case.label, tree.label))
                if not runs:
                    cells.append("–")
                    continue
                wall = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                cells.append(f"{wall:.3f} / {cpu:.3f}")
            print("| " + " | ".join([case.label.ljust(width), *cells]) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
