"""The ``patchlint`` command.

``check`` runs pytest with the patchlint plugin on; ``rules``, ``explain`` and ``show`` do not
start pytest at all.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import textwrap
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from patchlint import __version__
from patchlint.config import ConfigError
from patchlint.plugins import PluginError
from patchlint.readers.source import STDIN
from patchlint.report import FailOn, ReportError
from patchlint.rule import Rule

TESTS_FAILED = 1  # pytest's exit codes
USAGE_ERROR = 4
# pytest's code for an error of the tool itself (not of the checked mail).
INTERNAL_ERROR = 3
NOTHING_CHECKED = 5


class UsageError(Exception):
    """A command line that cannot be run as given: the message says why (exit 4)."""


# pytest options of `patchlint check` that take their value as the next word: argparse does not
# know them, and would take `PL301` of `-k PL301 x.mbox` for a path to check.
_PYTEST_VALUED = frozenset({
    "-k", "-m", "-p", "-o", "-W", "-r", "--deselect", "--ignore", "--ignore-glob", "--maxfail", "--tb",
    "--durations", "--junitxml", "--junit-xml", "--junit-prefix", "--basetemp", "--capture", "--color",
    "--override-ini", "--log-level", "--log-file", "--pythonwarnings",
})


def _joined_pytest_values(argv: Sequence[str]) -> list[str]:
    """``-k PL301`` made ``-kPL301`` (``--maxfail 2`` made ``--maxfail=2``): one word that
    argparse hands over to pytest whole."""
    words = list(argv)
    if not words or words[0] != "check":
        return words
    joined: list[str] = []
    rest = iter(words)
    for word in rest:
        if word == "--":
            joined += [word, *rest]
            break
        value = next(rest, None) if word in _PYTEST_VALUED else None
        if value is None:
            joined.append(word)
        else:
            joined.append(f"{word}={value}" if word.startswith("--") else f"{word}{value}")
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``patchlint`` console script; returns the exit code."""
    parser = _parser()
    args, extra = parser.parse_known_args(_joined_pytest_values(sys.argv[1:] if argv is None else argv))
    if args.command != "check" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.run(args, extra))
    except ConfigError as exc:
        print(f"patchlint: configuration error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except ReportError as exc:
        print(f"patchlint: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except PluginError as exc:
        print(f"patchlint: plugin error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except UsageError as exc:
        print(f"patchlint: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:  # `patchlint show big.mbox | head`
        return 0
    except Exception as exc:
        from patchlint.shards import WorkerError  # here: -n's module costs a hook's cold start

        if not isinstance(exc, WorkerError):
            raise
        print(exc.explained(), file=sys.stderr)
        return INTERNAL_ERROR


_ISOLATED = "use no configuration found in the checked tree (.patchlint.yaml …); --config still applies"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="patchlint",
        description="Lint patch postings (git format-patch / send-email mail) and report as pytest results.",
    )
    parser.add_argument("--version", action="version", version=f"patchlint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser(
        "check",
        help="check postings; any further option is passed to pytest",
        description="Check mail files, directories, mboxes, Maildirs or - (stdin). Options not "
        "listed here go to pytest (e.g. --junitxml=out.xml, -k PL201, -x, -q).",
    )
    check.add_argument("paths", nargs="*", default=[], help="inputs (default: current directory)")
    check.add_argument(
        "--config", metavar="FILE", help="YAML rule configuration, or a built-in profile name (default, kernel, netdev, "
        "kvm-x86); default: .patchlint.yaml, patchlint.yaml or pyproject.toml's [tool.patchlint], found from the "
        "checked paths up to the repository's top, else each posting's list profile"
    )
    check.add_argument("--isolated", action="store_true", help=_ISOLATED)
    check.add_argument(
        "--granularity",
        choices=("auto", "rule", "posting", "series"),
        help="one test item per rule, per posting, per series, or auto (default: per rule for "
        "files of up to 100 postings, per series for archives)",
    )
    check.add_argument(
        "--git-dir", metavar="REPO",
        help="a git repository to resolve Fixes: and commit references in (the git-dir setting)",
    )
    check.add_argument(
        "--git-range", metavar="RANGE", action="append", default=[],
        help="check the commits of a revision range as git format-patch would mail them (e.g. "
        "HEAD~3.., origin/main..topic); a path argument that is no file but a range is read so too",
    )
    check.add_argument(
        "--cover-letter", action=argparse.BooleanOptionalAction, default=None,
        help="with a git range: add format-patch's cover letter (default: as format.coverLetter says; "
        "a b4 prep branch's cover commit is always its cover letter)",
    )
    check.add_argument(
        "--reroll-count", metavar="N",
        help="with a git range: name and number the postings as version N (format-patch -v N)",
    )
    reports = check.add_argument_group("reports (see README: Reports and CI recipes)")
    reports.add_argument(
        "--format", metavar="NAME[=FILE]", action="append", default=[], dest="formats",
        help="also write the report NAME (json, sarif, checkpatch, github …; `patchlint formats` "
        "lists them) to FILE; without FILE (or FILE -) write it to standard output instead of "
        "pytest's report (the checks then run without pytest); may be given several times",
    )
    reports.add_argument(
        "--fail-on", choices=[str(f) for f in FailOn], default=str(FailOn.ERROR),
        help="the least severity that fails the run (exit 1): error (default), warning (as "
        "checkpatch does), or never (exit 0 whatever is found)",
    )
    reports.add_argument(
        "--target-url", metavar="URL",
        help="the details link of each patchwork check (format patchwork); {message_id} is "
        "replaced by the posting's Message-ID",
    )
    reports.add_argument(
        "--ledger", metavar="FILE", action="append", default=[],
        help="a precision ledger (benchmarks/precision/*.tsv) whose verdicts the html report shows "
        "per rule; may be given several times",
    )
    check.add_argument(
        "--commit-msg", metavar="FILE", action="append", default=[],
        help="check a commit message file (a commit-msg hook's argument) as git will commit it: the rules "
        "that judge a commit message, without pytest; git's message files (.git/COMMIT_EDITMSG …) given "
        "as paths are read so too",
    )
    check.add_argument(
        "--cleanup", choices=("strip", "whitespace", "verbatim", "scissors", "default"),
        help="with a commit message: git commit --cleanup's mode (default: commit.cleanup, else git's default)",
    )
    check.add_argument(
        "--summary-only", action="store_true",
        help="print only the summary (what was read, what became of it, violations per rule); "
        "runs the checks without pytest, same exit codes",
    )
    check.add_argument(
        "--series-window", metavar="DAYS", type=_window, default=None,
        help="judge a series once nothing new came for it for DAYS days of the archive's time, then forget "
        "its postings (default 14: memory holds a window of the archive; a series with a longer pause is "
        "judged as two); 0 keeps every posting until the input ends",
    )
    check.add_argument(
        "-n", "--processes", metavar="N", type=_processes, default=1,
        help="judge mbox files in N processes (auto: one per core), each reading its own share of the "
        "file; same findings and counts as one process",
    )
    check.add_argument(
        "--audit", action="store_true",
        help="after the summary, the audit: violations per rule, sender, month and series, the incomplete "
        "series and each rule's most common patterns",
    )
    archive = check.add_argument_group("public-inbox archives (lore's git repositories)")
    archive.add_argument(
        "--since", metavar="DATE", type=_date,
        help="read only mail an inbox received from DATE on (2024-03-01, or an ISO 8601 time; UTC without a zone)",
    )
    archive.add_argument("--until", metavar="DATE", type=_date, help="read only mail an inbox received before DATE")
    archive.add_argument(
        "--state", metavar="FILE", type=Path,
        help="remember the last commit read of each epoch in FILE and, next time, read only what came after it",
    )
    check.set_defaults(run=_check)

    rules = sub.add_parser("rules", help="list every rule: code, name, summary, enabled by default?")
    rules.add_argument("--config", metavar="FILE", help="show which rules this configuration enables "
                       "(default: the one found from the current directory, as check finds it)")
    rules.add_argument("--isolated", action="store_true", help=_ISOLATED)
    rules.add_argument(
        "--format", choices=("table", "json"), default="table",
        help="table (default), or json: one object per rule with its documentation and options",
    )
    rules.set_defaults(run=_rules)

    report = sub.add_parser("report", help="work with JSON reports (merge shards)")
    report_sub = report.add_subparsers(dest="report_command", required=True, metavar="ACTION")
    merge = report_sub.add_parser(
        "merge", help="merge the JSON reports of shards (--format json of each) into one",
        description="Merge JSON reports (patchlint check --format json=FILE) of runs over different files "
        "into the report of one run over all of them: lists concatenated in the order given, counts summed.",
    )
    merge.add_argument("reports", nargs="+", metavar="REPORT.json")
    merge.add_argument("-o", "--output", metavar="FILE", help="write the merged report to FILE (default: standard output)")
    merge.set_defaults(run=_report_merge)

    formats = sub.add_parser("formats", help="list the report formats --format accepts")
    formats.set_defaults(run=_formats)

    explain = sub.add_parser("explain", help="print a rule's full documentation")
    explain.add_argument("rule", help="a rule code (PL101) or name (subject-prefix)")
    explain.add_argument("--config", metavar="FILE", help="a configuration whose plugins provide the rule "
                         "(default: the one found from the current directory)")
    explain.add_argument("--isolated", action="store_true", help=_ISOLATED)
    explain.set_defaults(run=_explain)

    hook = sub.add_parser(
        "sendemail-validate", help="git send-email's sendemail-validate hook: judge a file and, once, its series",
        description="Run as git's sendemail-validate hook (contrib/hooks/sendemail-validate): judge the mail FILE "
        "and, once per git send-email run, the series of the files sent with it; exit 1 refuses the sending.",
    )
    hook.add_argument("file", metavar="FILE", help="the mail git is about to send")
    hook.add_argument("headers", metavar="HEADERS", nargs="?", help="git's SMTP headers file (git 2.41 on): its recipients choose the profile")
    hook.add_argument("--config", metavar="FILE", help="YAML rule configuration, or a built-in profile name")
    hook.add_argument("--isolated", action="store_true", help=_ISOLATED)
    hook.add_argument("--fail-on", choices=[str(f) for f in FailOn], default=str(FailOn.ERROR),
                      help="the least severity that refuses the sending (default: error)")
    hook.set_defaults(run=_sendemail_validate)

    show = sub.add_parser("show", help="print the parsed model, one JSON object per message")
    show.add_argument("paths", nargs="+", help="inputs (- for stdin)")
    show.set_defaults(run=_show)
    return parser


def _check(args: argparse.Namespace, extra: list[str]) -> int:
    from patchlint.engine import Engine
    from patchlint.report import FormatRequest, check_requests, with_automatic

    cwd = Path.cwd()
    paths, ranges, messages = _check_inputs(args, cwd)
    # The repository is a setting of this run, passed to the engine as such: no file is written.
    settings = {"git-dir": str(Path(args.git_dir).resolve())} if args.git_dir else None
    window = {} if args.series_window is None else {"series_window": args.series_window or None}
    from patchlint.discovery import DiscoveryError, start_for_path, start_for_repository

    starts = [start_for_path(p, cwd) for p in paths if isinstance(p, str)]
    starts += [start_for_repository(cwd, spec) for spec in [*ranges, *messages]]
    try:
        chosen = _configuration(args, starts)
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from None
    engine = Engine(plugins=_readers(args), settings=settings, settings_origin="--git-dir",
                    workers=args.processes, **window, **chosen)
    asked = [FormatRequest.parse(text) for text in args.formats]
    options = _report_options(args, asked)
    check_requests(engine.manager, asked, options)
    requests = with_automatic(asked)
    fail_on = FailOn(args.fail_on)
    on_stdout = [r.name for r in asked if r.to_stdout]
    if args.summary_only or on_stdout:
        return _check_without_pytest(args, extra, engine, paths, requests, on_stdout, fail_on, options)
    if messages and not extra and paths == paths[-len(messages):]:
        # Only commit messages: a hook's check, printed as lines, with no pytest started.
        return _print_lines(engine.check(paths))
    request = pytest_request(engine, _pytest_inputs(paths), args.granularity, requests, fail_on, options, args.audit)
    return _run_pytest(request, request.inputs, extra)


def _check_inputs(args: argparse.Namespace, cwd: Path) -> tuple[list, list[str], list[str]]:
    """What ``patchlint check`` reads: the paths (with each git range and commit message as an
    engine input at the end), the ranges and the commit message files; a word that names no
    file but revisions of the current repository is a range (``patchlint check HEAD~3..``, as
    git send-email takes it)."""
    from patchlint.engine import Input
    from patchlint.readers.commitmsg import CommitMessage, looks_like_commit_message
    from patchlint.readers.gitrange import GitRange, is_revision_range

    paths: list = list(args.paths) or ([] if args.git_range or args.commit_msg else ["."])
    ranges = [*args.git_range]
    messages = [*args.commit_msg]
    for path in list(paths):
        if path != STDIN and not os.path.lexists(path) and is_revision_range(path, cwd):
            paths.remove(path)
            ranges.append(path)
        elif path != STDIN and looks_like_commit_message(path):
            paths.remove(path)
            messages.append(path)
    missing = [p for p in paths if p != STDIN and not os.path.lexists(p)]
    if missing:
        raise UsageError(f"no such file, directory or revision range: {', '.join(missing)}")
    if (args.cover_letter is not None or args.reroll_count) and not ranges:
        raise UsageError("--cover-letter and --reroll-count apply to a git range")
    missing = [m for m in messages if not os.path.isfile(m)]
    if missing:
        raise UsageError(f"no such commit message file: {', '.join(missing)}")
    if args.cleanup and not messages:
        raise UsageError("--cleanup applies to a commit message (--commit-msg FILE)")
    paths += [Input.of_range(GitRange(spec, cwd, args.cover_letter, args.reroll_count)) for spec in ranges]
    paths += [Input.of_commit_message(CommitMessage(m, cwd, args.cleanup)) for m in messages]
    return paths, ranges, messages


def _report_options(args: argparse.Namespace, asked: list) -> dict[str, str | tuple[str, ...]]:
    """The options the report writers take from the command line."""
    options: dict[str, str | tuple[str, ...]] = {"target-url": args.target_url} if args.target_url else {}
    if args.ledger:
        if not any(r.name == "html" for r in asked):
            raise UsageError("--ledger is shown by the html report (--format html=FILE)")
        options["ledger"] = tuple(args.ledger)
    return options


def _check_without_pytest(
    args: argparse.Namespace, extra: list[str], engine, paths: list, requests, on_stdout: list[str],
    fail_on: FailOn, options,
) -> int:
    """``--summary-only``, or a report on standard output: the engine's run, no pytest."""
    from patchlint import progress
    from patchlint.report import Results, write_reports

    why = "--summary-only" if args.summary_only else f"--format {on_stdout[0]} (to standard output)"
    if extra:
        raise UsageError(f"{why} runs no pytest; it takes no pytest options ({' '.join(extra)})")
    if args.summary_only and on_stdout:
        raise UsageError(f"--summary-only and --format {on_stdout[0]} would both write to standard "
                         f"output; write the report to a file (--format {on_stdout[0]}=FILE)")
    run = engine.run(paths)
    # The outcomes are kept only for report writers (an archive's are otherwise let go).
    run.report.keep_results = bool(requests)
    outcomes = [o for o in progress.track(run, progress.wanted()) if requests]
    report = run.report
    if args.summary_only:
        print("\n".join(report.summary_lines()))
        if args.audit:
            print("\n".join(report.audit.lines()))
    write_reports(engine.manager, Results.of(engine, outcomes, report, fail_on, options), requests)
    failed = any(fail_on.fails(severity) for severity in report.severities)
    return NOTHING_CHECKED if not report.judged else (TESTS_FAILED if failed else 0)


def _pytest_inputs(paths: list) -> list:
    """The engine inputs of a pytest run; standard input is read in place."""
    from patchlint.engine import Input, STDIN_LABEL

    inputs = []
    for path in paths:
        if path == STDIN:
            # pytest points file descriptor 0 at /dev/null while it collects (when the run reads):
            # keep a descriptor of our own on standard input, read in place, never spooled to a file.
            inputs.append(Input(STDIN, STDIN_LABEL, os.fdopen(os.dup(sys.stdin.fileno()), "rb")))
        else:
            inputs.append(Input.of(path))
    return inputs


def _configuration(args: argparse.Namespace, starts: Sequence[object]) -> dict[str, object]:
    """The engine's configuration: ``--config``; else, unless ``--isolated``, the one found from
    ``starts`` (:mod:`patchlint.discovery`), whose plugins are refused since it comes from the
    checked tree; else none (each posting's profile is chosen from its list)."""
    if args.config:
        return {"config": args.config, "origin": "--config"}
    if args.isolated:
        return {}
    from patchlint.discovery import discover

    found = discover(starts, Path.cwd())  # type: ignore[arg-type]
    if found is None:
        return {}
    return found.engine_settings()


def _processes(text: str) -> int:
    from patchlint.shards import workers

    try:
        return workers(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r} (write 2, or auto)") from None


def _window(text: str):
    from datetime import timedelta

    try:
        days = float(text)
    except ValueError:
        days = -1.0
    if not days >= 0 or days > 36500:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r} (write 14, 0.5, or 0 for no window)")
    return timedelta(days=days)


def _status(report) -> int:
    """pytest's exit code for a run made without pytest."""
    return NOTHING_CHECKED if not report.judged else (TESTS_FAILED if report.failed else 0)


def _print_lines(report) -> int:
    """Each violation as ``source:line: CODE name: message`` and a count, for hooks and editors."""
    for violation in report.violations:
        print(violation.format_marked())
    counts = {severity: sum(v.severity.value == severity for v in report.violations)
              for severity in ("error", "warning", "info")}
    found = ", ".join(f"{n} {name}{'s' if n != 1 else ''}" for name, n in counts.items() if n)
    used = f" (configuration: {report.configuration.name})" if report.configuration else ""
    print(f"patchlint: {found or 'no violations'} in {report.messages} message{'s' if report.messages != 1 else ''}{used}")
    return _status(report)


def _date(text: str):
    from patchlint.readers.publicinbox import parse_date

    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write 2024-03-01 or 2024-03-01T12:00:00+00:00)") from None


def _readers(args: argparse.Namespace) -> list[object]:
    """The public-inbox reader with this run's window, when the command line gives one."""
    if args.since is None and args.until is None and args.state is None:
        return []
    from patchlint.readers.publicinbox import PublicInboxReader, Window

    return [PublicInboxReader(Window(args.since, args.until, args.state))]


def pytest_request(engine, inputs: list, granularity: str | None, requests, fail_on: FailOn, options,
                   audit: bool = False) -> object:
    """What ``patchlint check`` hands the pytest plugin."""
    from patchlint import progress, pytest_plugin

    return pytest_plugin.CheckRequest(
        engine, tuple(inputs), granularity, audit=audit, progress=progress.wanted(), formats=tuple(requests),
        fail_on=fail_on, options=options,
    )


def _run_pytest(request, inputs: list, extra: list[str]) -> int:
    """Run pytest isolated from the current directory: patchlint's own ini file (``-c``), the
    rootdir fixed to the current directory, no conftest.py, no other plugin loaded, the checked
    paths collected by patchlint (never given to pytest), the cache in the user's cache directory."""
    import pytest

    from patchlint import pytest_plugin

    cwd = Path.cwd()
    with resources.as_file(resources.files("patchlint.data") / "pytest.ini") as ini:
        options = [
            "-c", str(ini), f"--rootdir={cwd}", "--noconftest", "--disable-plugin-autoload",
            # A quiet run makes its items as it goes (see pytest_plugin._streams): the share of
            # all items done is not known, so the progress style would print false percentages.
            "-o", "console_output_style=classic",
            # Items here have no subtests; pytest 9's subtests plugin keeps an entry per item
            # reported (its count of failed subtests, looked up in a defaultdict).
            "-p", "no:subtests",
        ]
        if not _cache_disabled(extra):
            options += ["-o", f"cache_dir={cache_dir(cwd)}"]
        # The environment's pytest options are for the environment's tests, not for this run.
        saved = {key: os.environ.pop(key) for key in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS") if key in os.environ}
        try:
            # The plugin module is handed over already imported (pytest would warn that it cannot
            # rewrite its asserts); with plugin autoloading off it is the only plugin added.
            return int(pytest.main([*options, *extra], plugins=[pytest_plugin, request]))
        finally:
            os.environ.update(saved)
            for item in inputs:
                if item.stream is not None:
                    item.stream.close()


def _cache_disabled(extra: Sequence[str]) -> bool:
    """Whether the pytest options switch the cache off (then it has no directory to be given)."""
    return any(
        option in ("no:cacheprovider", "-pno:cacheprovider") or (option == "-p" and after == "no:cacheprovider")
        for option, after in zip(extra, [*extra[1:], ""])
    )


def cache_dir(cwd: Path) -> Path:
    """Where ``patchlint check`` keeps pytest's cache (``--lf``, ``--ff``, ``--sw``): one folder
    per working directory under ``$XDG_CACHE_HOME/patchlint`` (default ``~/.cache``), never in
    the checked tree or the current directory."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    key = hashlib.sha256(str(cwd).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return Path(base) / "patchlint" / "pytest" / f"{cwd.name or 'root'}-{key}"


def _engine(**configuration: object):
    from patchlint.engine import Engine

    return Engine(**configuration)  # type: ignore[arg-type]


def _found_here(args: argparse.Namespace) -> dict[str, object]:
    """``rules`` and ``explain``: ``--config``, else the configuration ``check`` would find for
    the current directory."""
    from patchlint.discovery import start_for_path

    return _configuration(args, [start_for_path(".", Path.cwd())])


def _rules(args: argparse.Namespace, extra: list[str]) -> int:
    engine = _engine(**_found_here(args))
    config = engine.config
    if args.format == "json":
        print(json.dumps(_rules_json(engine), ensure_ascii=False, indent=1, default=str))
        return 0
    rows = [("code", "name", "scope", "enabled", "severity", "summary")]
    notes: dict[str, str] = {}
    for rule in engine.rule_classes:
        on = config.is_enabled(rule)
        rows.append((rule.code, rule.name, str(rule.scope), "yes" if on else "no",
                     str(config.severity_of(rule)), rule.summary()))
        changed = config.option_changes(rule)
        if on and changed:
            notes[rule.code] = _options_text(changed)
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    indent = " " * (widths[0] + 2)
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5])
        if row[0] in notes:
            print(f"{indent}options: {notes[row[0]]}")
    print(f"configuration: {' <- '.join(Path(f).name for f in config.files)}"
          + (f" ({config.description})" if config.description else ""))
    if engine.used is not None and engine.used.origin != "--config":
        print(f"found: {engine.used.name} (--isolated ignores it)")
    lists = config.lists
    if lists is not None:
        claimed = [*lists.list_ids, *lists.addresses]
        print(f"chosen for: {', '.join(claimed) or 'no list'}")
        excluded = [*lists.exclude_list_ids, *lists.exclude_addresses]
        if excluded:
            print(f"except: {', '.join(excluded)}")
    return 0


def _rules_json(engine) -> dict[str, object]:
    """The rule catalogue for tools: each rule as reports describe it, with its options (YAML
    name, type, default, help, and the value this configuration gives it)."""
    from patchlint.report import RuleInfo

    config = engine.config
    rules = []
    for info, rule in zip(RuleInfo.catalogue(engine), engine.rule_classes):
        changed = config.option_changes(rule)
        options = [
            {"name": spec.key, "type": spec.type_text(), "default": _jsonable(spec.default), "help": spec.help,
             "value": _jsonable(changed.get(spec.key, spec.default))}
            for spec in rule.option_specs()
        ]
        rules.append({**info.to_json(), "options": options})
    return {"configuration": [Path(f).name for f in config.files], "rules": rules}


def _jsonable(value: object) -> object:
    return list(value) if isinstance(value, (tuple, frozenset)) else value


def _report_merge(args: argparse.Namespace, extra: list[str]) -> int:
    from patchlint.report.merge import load, merge

    merged = merge([load(path) for path in args.reports], args.reports)
    text = json.dumps(merged, ensure_ascii=False, indent=1) + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ReportError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    return 0


def _formats(args: argparse.Namespace, extra: list[str]) -> int:
    from patchlint.report import formats

    known = formats(_engine().manager)
    width = max(map(len, known), default=0)
    for name, description in sorted(known.items()):
        print(f"{name.ljust(width)}  {description}")
    return 0


def _options_text(options: dict[str, object]) -> str:
    """``max-length: 80, trees: ["nf", "nf-next"]``: options as YAML would take them."""
    return ", ".join(
        f"{key}: {json.dumps(list(value) if isinstance(value, tuple) else value)}" for key, value in options.items()
    )


def _explain(args: argparse.Namespace, extra: list[str]) -> int:
    engine = _engine(**_found_here(args))
    wanted = args.rule
    for rule in engine.rule_classes:
        if wanted.upper() == rule.code or wanted == rule.name:
            config = engine.config
            print(f"{rule.code} {rule.name}  (scope: {rule.scope}; default severity: "
                  f"{config.severity_of(rule)}; enabled by default: {'yes' if config.is_enabled(rule) else 'no'})")
            print()
            print(textwrap.indent(rule.documentation(), "  "))
            options = rule.option_fields()
            if options:
                print()
                print("  Configure with, e.g.:")
                print(f"    rules:\n      {rule.name}:\n        options:")
                for name, _type, default in options:
                    print(f"          {name.replace('_', '-')}: {json.dumps(default)}")
            profiles = _profiles_changing(rule, engine.rule_classes)
            if profiles:
                print()
                print("  In the built-in profiles (the default against the rule's own defaults, the others")
                print("  against the default; patchlint rules --config NAME shows a whole profile):")
                for line in profiles:
                    print(f"    {line}")
            return 0
    names = ", ".join(r.name for r in engine.rule_classes)
    print(f"patchlint: no rule {wanted!r}; known rules: {names}", file=sys.stderr)
    return USAGE_ERROR


def _profiles_changing(rule: type[Rule], catalogue: Sequence[type[Rule]]) -> list[str]:
    """How the built-in profiles run ``rule``: the default profile, where it differs from the
    rule's own defaults, then each other profile where it differs from the default profile."""
    from patchlint.config import DEFAULT_PROFILE, builtin_profiles, load_config

    own = {name.replace("_", "-"): default for name, _type, default in rule.option_fields()}
    base = (rule.enabled_by_default, rule.default_severity, own)
    lines = []
    names = sorted(builtin_profiles(), key=lambda name: name != DEFAULT_PROFILE)
    for name in names:
        config = load_config(name, catalogue)
        state = (config.is_enabled(rule), config.severity_of(rule), {**own, **config.option_changes(rule)})
        if state != base:
            on, severity, options = state
            changed = {key: value for key, value in options.items() if base[2].get(key) != value}
            text = f"on, {severity}" if on else "off"
            if on and changed:
                text += "; " + _options_text(changed)
            lines.append(f"{name}: {text}")
        if name == DEFAULT_PROFILE:
            base = state
    return lines


def _sendemail_validate(args: argparse.Namespace, extra: list[str]) -> int:
    from patchlint.discovery import DiscoveryError, start_for_repository
    from patchlint.sendemail import main as validate

    # The configuration of the repository git sends from (git runs the hook in its top).
    try:
        chosen = _configuration(args, [start_for_repository(Path.cwd(), args.file)])
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from None
    return validate(args.file, args.headers, chosen, args.fail_on)


def _show(args: argparse.Namespace, extra: list[str]) -> int:
    engine = _engine()
    out = sys.stdout
    for posting in engine.read(args.paths):
        try:
            record = posting.to_json()
        except Exception as exc:  # noqa: BLE001 - the barrier: one message never stops the listing
            raw = posting.raw
            record = {
                "source": raw.source, "index": raw.index, "line": raw.line,
                "error": f"unparseable: describing it failed: {type(exc).__name__}: {exc}",
                "message_id": None, "kind": "unparseable", "subject": None, "author": None,
                "sender": None, "date": None, "trailers": [], "diffstat": None, "diff": None,
                "changelog": [], "transport": None,
            }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
