"""The ``patchlint`` command.

``check`` runs pytest with the patchlint plugin on; ``rules``, ``explain`` and ``show`` do not
start pytest at all.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path

from patchlint import __version__
from patchlint.config import ConfigError
from patchlint.readers.source import STDIN

USAGE_ERROR = 4  # pytest's exit code for usage errors


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``patchlint`` console script; returns the exit code."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != "check" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.run(args, extra))
    except ConfigError as exc:
        print(f"patchlint: configuration error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:  # `patchlint show big.mbox | head`
        return 0


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
        "--config", metavar="FILE", help="YAML rule configuration, or a built-in profile name (default, kernel, netdev, kvm-x86)"
    )
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
    check.set_defaults(run=_check)

    rules = sub.add_parser("rules", help="list every rule: code, name, summary, enabled by default?")
    rules.add_argument("--config", metavar="FILE", help="show which rules this configuration enables")
    rules.set_defaults(run=_rules)

    explain = sub.add_parser("explain", help="print a rule's full documentation")
    explain.add_argument("rule", help="a rule code (PL101) or name (subject-prefix)")
    explain.set_defaults(run=_explain)

    show = sub.add_parser("show", help="print the parsed model, one JSON object per message")
    show.add_argument("paths", nargs="+", help="inputs (- for stdin)")
    show.set_defaults(run=_show)
    return parser


def _check(args: argparse.Namespace, extra: list[str]) -> int:
    import pytest

    paths = list(args.paths) or ["."]
    options = ["--patchlint", "-p", "no:cacheprovider"]
    config: str | None = None
    if args.config:
        # A file is passed as an absolute path (pytest may change directory); a bare name that
        # is no file is a built-in profile.
        given = Path(args.config)
        config = str(given.resolve()) if given.exists() else args.config
    tmp = None
    if args.git_dir:
        # The repository is a setting like any other: a configuration that extends the chosen
        # one and sets git-dir, so the pytest plugin needs no option of its own.
        tmp = Path(tempfile.mkdtemp(prefix="patchlint-"))
        overlay = tmp / "git-dir.yaml"
        overlay.write_text(
            f"extends: {json.dumps(config or 'default')}\n"
            f"settings:\n  git-dir: {json.dumps(str(Path(args.git_dir).resolve()))}\n",
            encoding="utf-8",
        )
        config = str(overlay)
    if config:
        options += ["--patchlint-config", config]
    if args.granularity:
        options += ["--patchlint-granularity", args.granularity]
    try:
        if STDIN in paths:
            # pytest collects paths, not streams: spool stdin to a file and name it <stdin>.
            tmp = tmp or Path(tempfile.mkdtemp(prefix="patchlint-"))
            spooled = tmp / "stdin"
            with spooled.open("wb") as out:
                shutil.copyfileobj(sys.stdin.buffer, out)
            paths = [str(spooled) if p == STDIN else p for p in paths]
            options += ["--patchlint-name", f"{spooled}=<stdin>"]
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            print(f"patchlint: no such file or directory: {', '.join(missing)}", file=sys.stderr)
            return USAGE_ERROR
        return int(pytest.main([*options, *extra, *paths]))
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _engine(config: str | None = None):
    from patchlint.engine import Engine

    return Engine(config)


def _rules(args: argparse.Namespace, extra: list[str]) -> int:
    engine = _engine(args.config)
    config = engine.config
    rows = [("code", "name", "scope", "enabled", "severity", "summary")]
    notes: dict[str, str] = {}
    for rule in engine.rule_classes:
        on = config.is_enabled(rule)
        rows.append((rule.code, rule.name, str(rule.scope), "yes" if on else "no",
                     str(config.severity_of(rule)), rule.summary()))
        changed = config.option_changes(rule)
        if on and changed:
            notes[rule.code] = ", ".join(f"{key}: {json.dumps(_plain(value))}" for key, value in changed.items())
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    indent = " " * (widths[0] + 2)
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5])
        if row[0] in notes:
            print(f"{indent}options: {notes[row[0]]}")
    print(f"configuration: {' <- '.join(Path(f).name for f in config.files)}"
          + (f" ({config.description})" if config.description else ""))
    lists = config.lists
    if lists is not None:
        claimed = [*lists.list_ids, *lists.addresses]
        print(f"chosen for: {', '.join(claimed) or 'no list'}")
        excluded = [*lists.exclude_list_ids, *lists.exclude_addresses]
        if excluded:
            print(f"except: {', '.join(excluded)}")
    return 0


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _explain(args: argparse.Namespace, extra: list[str]) -> int:
    engine = _engine()
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


def _profiles_changing(rule, catalogue) -> list[str]:
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
                text += "; " + ", ".join(f"{key}: {json.dumps(_plain(value))}" for key, value in changed.items())
            lines.append(f"{name}: {text}")
        if name == DEFAULT_PROFILE:
            base = state
    return lines


def _show(args: argparse.Namespace, extra: list[str]) -> int:
    engine = _engine()
    out = sys.stdout
    for posting in engine.read(args.paths):
        out.write(json.dumps(posting.to_json(), ensure_ascii=False) + "\n")
    return 0
