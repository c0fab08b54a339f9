"""git send-email's ``sendemail-validate`` hook: ``patchlint sendemail-validate FILE [HEADERS]``.

git runs the hook once per file it is about to send, before it sends any (a failing hook
aborts the whole run: "no patches were sent"). Each call sees one file, but the series is the
unit the series rules judge, so each call reports:

* the rules of that one posting (its subject, trailers, diff …), judged on the file alone;
* the series rules, once per run, over every file of the run: never "no cover letter" for a
  series whose cover letter is being sent, never a series judged again at each of its files.

Which files make the run depends on git's version:

* git 2.41 and later set ``GIT_SENDEMAIL_FILE_COUNTER`` (1, 2 …) and ``GIT_SENDEMAIL_FILE_TOTAL``
  (the number of files sent, cover letter included) and pass a second argument, a file holding
  the SMTP headers git will send (From, To, Cc, Subject …). The files are then known exactly:
  each call records its file (in the repository's git directory, started afresh at counter 1)
  and the last call judges the series of all of them, then forgets the record.
* git before 2.41 passes only the file. The run is then taken to be the files beside it that
  ``git format-patch`` wrote with it: the same folder, the same ``vN-`` prefix (or none), the
  four-digit number and the same suffix (``v2-0000-cover-letter.patch``,
  ``v2-0001-….patch`` …), which is what ``git send-email outgoing/`` and ``git send-email
  HEAD~3`` (format-patch into a temporary folder) send. The call for the first of them (in
  name order, the order git sends a folder in) judges the series. A file not named as
  format-patch names its files is a run of its own.

The rules judge the mail as the file holds it. Which rules (the profile) is decided by
``--config``, else by the configuration found in the repository (``.patchlint.yaml`` …, unless
``--isolated``); without one, by the recipients in git's headers file when git passes one (what
``git send-email --to``/``--cc`` and ``sendemail.to`` add, which the file itself may lack), else
by each file's own To/Cc, as ``patchlint check`` chooses (:func:`patchlint.config.choose_profile`).
Findings are printed as ``FILE:LINE: CODE name: message`` lines (warnings and information
marked so); the exit status is 1 when one fails the run (``--fail-on``), which makes git refuse
to send. No pytest is started.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from patchlint.cli import TESTS_FAILED, USAGE_ERROR
from patchlint.readers.gitrange import git
from patchlint.report import FailOn
from patchlint.rule import Scope, Violation

COUNTER = "GIT_SENDEMAIL_FILE_COUNTER"
TOTAL = "GIT_SENDEMAIL_FILE_TOTAL"
# Where the files of one git send-email run are recorded (git 2.41 on), in the git directory.
RECORD = "patchlint-sendemail-validate"
# The names git format-patch gives its files: [vN-]NNNN-summary.suffix (cover: NNNN-cover-letter).
_FORMAT_PATCH_NAME = re.compile(r"(?P<prefix>(?:v[^-/]+-)?)\d{4}-.*(?P<suffix>\.[^./]+)")



@dataclass(frozen=True)
class HookCall:
    """One call of the hook: the mail file, git's headers file (git 2.41 on) and, from the
    environment, where this file is among those sent (both None before git 2.41)."""

    file: Path
    headers: Path | None = None
    counter: int | None = None
    total: int | None = None

    @classmethod
    def of(cls, file: str, headers: str | None, environ: Mapping[str, str]) -> HookCall:
        counter, total = _number(environ.get(COUNTER)), _number(environ.get(TOTAL))
        if counter is None or total is None or not 1 <= counter <= total:
            counter = total = None
        return cls(Path(file).absolute(), Path(headers) if headers else None, counter, total)


@dataclass(frozen=True)
class Plan:
    """What one call judges: ``file``, whose posting rules are reported, and ``series_files``,
    read together for the series rules (empty: this call judges no series)."""

    file: Path
    series_files: tuple[Path, ...]


def _number(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def siblings(file: Path) -> list[Path]:
    """The files ``git format-patch`` wrote with ``file`` (itself included), in name order: the
    same folder, ``vN-`` prefix and suffix, each named ``NNNN-…``. Just ``file`` when its name
    is not one format-patch gives."""
    found = _FORMAT_PATCH_NAME.fullmatch(file.name)
    if found is None:
        return [file]
    prefix, suffix = found.group("prefix"), found.group("suffix")
    try:
        entries = sorted(os.scandir(file.parent), key=lambda entry: entry.name)
    except OSError:
        return [file]
    same = []
    for entry in entries:
        match = _FORMAT_PATCH_NAME.fullmatch(entry.name)
        if match is None or match.group("prefix") != prefix or match.group("suffix") != suffix:
            continue
        if entry.is_file() or entry.name == file.name:
            same.append(file.parent / entry.name)
    return same or [file]


def record_path(cwd: Path) -> Path | None:
    """The file that records the run's files, in the git directory git runs the hook for."""
    done = git(cwd, "rev-parse", "--git-path", RECORD)
    if done.returncode != 0:
        return None
    path = Path(done.stdout.decode().strip())
    return path if path.is_absolute() else cwd / path


def plan(call: HookCall, cwd: Path) -> Plan:
    """Which files this call judges the series of, if any (see the module's documentation)."""
    if call.counter is None:
        run = siblings(call.file)
        first = run[0] == call.file
        return Plan(call.file, tuple(run) if first else ())
    record = record_path(cwd)
    if record is None:  # no git directory to keep the record in: judge what lies beside it
        return Plan(call.file, tuple(siblings(call.file)) if call.counter == 1 else ())
    earlier: list[str] = []
    if call.counter > 1:
        try:
            earlier = record.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
        except OSError:
            earlier = []
    files = [*earlier, str(call.file)]
    if call.counter < call.total:
        try:
            record.write_text("".join(f"{name}\n" for name in files), encoding="utf-8", errors="surrogateescape")
        except OSError:
            pass  # unrecorded, the last call judges fewer files: an incomplete series, never a refusal
        return Plan(call.file, ())
    record.unlink(missing_ok=True)
    return Plan(call.file, tuple(Path(name) for name in dict.fromkeys(files)))


def judge(engine, chosen: Plan) -> list[Violation]:
    """The violations this call reports, in order: the posting rules' on its file, then the
    series rules' on the run's series (files named relative to the current directory)."""
    from patchlint.engine import Input

    label = Input.of(str(chosen.file)).label
    if not chosen.series_files:
        run = engine.run([Input.of(str(chosen.file))])
        return [v for outcome in run if outcome.target.scope is Scope.POSTING for v in outcome.violations]
    own: list[Violation] = []
    series: list[Violation] = []
    for outcome in engine.run([Input.of(str(path)) for path in chosen.series_files]):
        if outcome.target.scope is Scope.SERIES:
            series.extend(outcome.violations)
        elif outcome.target.source == label:
            own.extend(outcome.violations)
    return own + series


def main(file: str, headers: str | None, configuration: Mapping[str, object], fail_on: str,
         environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> int:
    """Run the hook for one file; the exit status git reads (1: refuse to send).
    ``configuration`` is what the engine is built with (``--config``, or the one found in the
    repository: see :mod:`patchlint.discovery`); empty, each posting's profile is chosen."""
    from patchlint.engine import Engine

    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    call = HookCall.of(file, headers, environ)
    if not call.file.is_file():
        print(f"patchlint: sendemail-validate: no such file: {file}", file=sys.stderr)
        return USAGE_ERROR
    chosen = dict(configuration)
    if "config" not in chosen and call.headers is not None:
        profile = profile_for_headers(call.headers)
        if profile is not None:
            chosen = {"config": profile, "origin": "the recipients of git's headers file"}
    engine = Engine(**chosen)  # type: ignore[arg-type]
    violations = judge(engine, plan(call, cwd))
    threshold = FailOn(fail_on)
    print_violations(violations)
    return TESTS_FAILED if any(threshold.fails(v.severity) for v in violations) else 0


def profile_for_headers(headers: Path) -> str | None:
    """The built-in profile the recipients of git's headers file (To, then Cc) choose; None when
    the file names nobody or cannot be read (each mail's own recipients then choose)."""
    from patchlint.config import choose_profile
    from patchlint.model.message import RawMessage
    from patchlint.model.posting import Posting

    try:
        data = headers.read_bytes()
    except OSError:
        return None
    recipients = [person.email for person in Posting(RawMessage(str(headers), 0, data)).recipients]
    return choose_profile((), recipients) if recipients else None


def print_violations(violations: Sequence[Violation]) -> None:
    """``source:line: CODE name: message``, warnings and information marked so."""
    for violation in violations:
        print(violation.format_marked())
