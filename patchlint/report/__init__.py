"""Reports: what one run found, handed to the writers of the formats CI, bots and editors read.

The engine runs the checks; a :class:`Results` holds what one run found (every outcome, the
counts, the rule catalogue) and the ``patchlint_report`` hook hands it to the writer of each
format asked for (``patchlint check --format NAME[=FILE]``, ``pytest --patchlint-format``).
Writers only format: nothing here reads mail or runs a rule. The built-in writers (one module
per format in this package) are plugins of that hook like any third party's.
"""

from __future__ import annotations

import bisect
import enum
import os
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from patchlint.model.cached import cached_property
from typing import TYPE_CHECKING, Iterator, TextIO

from patchlint.rule import Scope, Severity, Violation

if TYPE_CHECKING:
    import pluggy

    from patchlint.engine import Engine, Outcome, Report


class ReportError(Exception):
    """A format nobody writes, or a report file that cannot be written."""


class FailOn(str, enum.Enum):
    """The least severity that fails a run (``--fail-on``): checkpatch fails on warnings too."""

    ERROR = "error"
    WARNING = "warning"
    NEVER = "never"

    def __str__(self) -> str:
        return self.value

    def fails(self, severity: Severity) -> bool:
        """Whether a violation of ``severity`` fails the run."""
        if self is FailOn.NEVER:
            return False
        if self is FailOn.WARNING:
            return severity in (Severity.ERROR, Severity.WARNING)
        return severity is Severity.ERROR


@dataclass(frozen=True)
class RuleInfo:
    """A rule of the catalogue, as reports describe it (SARIF's rules, ``rules --format json``).

    ``severity`` and ``enabled`` are those of the engine's configuration (its default profile
    when each posting's profile is chosen from its list).
    """

    code: str
    name: str
    scope: str
    severity: str
    enabled: bool
    summary: str
    documentation: str

    @classmethod
    def catalogue(cls, engine: Engine) -> tuple[RuleInfo, ...]:
        """Every rule the engine's plugins provide, in code order."""
        config = engine.config
        return tuple(
            cls(rule.code, rule.name, str(rule.scope), str(config.severity_of(rule)), config.is_enabled(rule),
                rule.summary(), rule.documentation())
            for rule in engine.rule_classes
        )

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict of the rule."""
        return {
            "code": self.code, "name": self.name, "scope": self.scope, "severity": self.severity,
            "enabled": self.enabled, "summary": self.summary, "documentation": self.documentation,
        }


@dataclass(frozen=True)
class Results:
    """What one run found, for writers: every outcome in run order (one per message read, then
    one per series), the run's :class:`~patchlint.engine.Report` (the counts), the rule catalogue,
    and the ``--fail-on`` threshold. ``options`` are the writers' settings from the command line
    (``target-url``; ``ledger``: the precision ledgers' paths, a tuple)."""

    outcomes: tuple[Outcome, ...]
    report: Report
    rules: tuple[RuleInfo, ...] = ()
    fail_on: FailOn = FailOn.ERROR
    options: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, engine: Engine, outcomes: Iterable[Outcome], report: Report, fail_on: FailOn = FailOn.ERROR,
           options: Mapping[str, str | tuple[str, ...]] | None = None) -> Results:
        """The results of a run of ``engine`` that yielded ``outcomes`` and counted ``report``."""
        return cls(tuple(outcomes), report, RuleInfo.catalogue(engine), fail_on, dict(options or {}))

    @cached_property
    def messages(self) -> list[Outcome]:
        """One outcome per message read, in input order."""
        return [o for o in self.outcomes if o.target.scope is Scope.POSTING]

    @cached_property
    def series(self) -> list[Outcome]:
        """One outcome per series found, ordered by their first posting (as the run's report
        orders them: not by when the series window closed each)."""
        from patchlint.engine import _series_order

        return sorted((o for o in self.outcomes if o.target.scope is Scope.SERIES), key=_series_order)

    @cached_property
    def violations(self) -> list[Violation]:
        """Every violation: the messages' in input order, then the series' (the order of
        :attr:`Report.violations <patchlint.engine.Report.violations>`)."""
        return [v for o in (*self.messages, *self.series) for v in o.violations]

    def counts(self) -> Counter[Severity]:
        """Violations per severity (every severity present, zero or not)."""
        found = Counter({severity: 0 for severity in Severity})
        found.update(v.severity for v in self.violations)
        return found

    @property
    def failed(self) -> bool:
        """Whether the run fails by ``fail_on``."""
        return any(self.fail_on.fails(v.severity) for v in self.violations)

    def series_ids(self) -> dict[tuple[str, int], str]:
        """The series each message belongs to, by ``(source, index)``: the id of its series
        (:func:`series_id`)."""
        found: dict[tuple[str, int], str] = {}
        for outcome in self.series:
            ident = series_id(outcome)
            for member in outcome.target.members:
                found[member] = ident
        return found

    def by_message(self) -> list[tuple[Outcome, list[Violation]]]:
        """Each posting judged (a patch, cover letter or pull request that rules ran on) with its
        violations: its own and those its series' rules reported on it (found by Message-ID, or,
        for a mail without one, as the message of its file whose lines hold the violation's)."""
        from patchlint.engine import Status

        checked = [o for o in self.messages if o.status is Status.CHECKED]
        found: dict[int, list[Violation]] = {id(o): list(o.violations) for o in checked}
        by_id = {o.target.message_id: o for o in checked if o.target.message_id}
        starts: dict[str, list[tuple[int, Outcome]]] = {}
        for outcome in self.messages:  # every message, so a line is matched to the right one
            starts.setdefault(outcome.target.source, []).append((outcome.target.line, outcome))
        for outcome in self.series:
            for violation in outcome.violations:
                owner = by_id.get(violation.message_id) if violation.message_id else None
                if owner is None:
                    owner = _message_at(starts.get(violation.source, []), violation.line)
                if owner is not None and id(owner) in found:
                    found[id(owner)].append(violation)
        return [(o, found[id(o)]) for o in checked]


def _message_at(starts: list[tuple[int, Outcome]], line: int) -> Outcome | None:
    """The message of a file (``starts``: its messages' first lines, in file order) holding ``line``."""
    at = bisect.bisect_right(starts, line, key=lambda pair: pair[0])
    return starts[at - 1][1] if at else None


def series_id(outcome: Outcome) -> str:
    """A series' id in reports: ``SOURCE#INDEX`` of its anchor (cover letter or first patch),
    unique in a run and stable between runs over the same files."""
    return f"{outcome.target.source}#{outcome.target.index}"


@dataclass(frozen=True)
class FormatRequest:
    """One ``--format NAME[=FILE]``: the format, and the file (None: standard output)."""

    name: str
    path: str | None = None

    @classmethod
    def parse(cls, text: str) -> FormatRequest:
        """``json``, ``json=report.json``, ``sarif=-`` (``-`` is standard output)."""
        name, sep, path = text.partition("=")
        name = name.strip()
        if not name or (sep and not path):
            raise ReportError(f"--format {text!r}: write NAME or NAME=FILE")
        return cls(name, None if not sep or path == "-" else path)

    @property
    def to_stdout(self) -> bool:
        return self.path is None


def formats(manager: pluggy.PluginManager) -> dict[str, str]:
    """Every format some writer announces, name -> description (the first announcement wins)."""
    found: dict[str, str] = {}
    for announced in manager.hook.patchlint_report_formats():
        for name, description in dict(announced).items():
            found.setdefault(name, description)
    return found


def check_requests(manager: pluggy.PluginManager, requests: Sequence[FormatRequest],
                   options: Mapping[str, object] | None = None) -> None:
    """Refuse, before anything runs, a format no writer announces, or one its writer says it
    cannot write with ``options`` (the ``patchlint_report_check`` hook)."""
    known = formats(manager)
    for request in requests:
        if request.name not in known:
            raise ReportError(f"unknown report format {request.name!r} (known: {', '.join(sorted(known))})")
    for name in dict.fromkeys(request.name for request in requests):
        manager.hook.patchlint_report_check(format=name, options=dict(options or {}))


def with_automatic(requests: Sequence[FormatRequest], environ: Mapping[str, str] | None = None) -> list[FormatRequest]:
    """The formats asked for, plus GitHub's workflow commands on standard output when running
    in GitHub Actions (``GITHUB_ACTIONS=true``) and no format was asked for standard output."""
    env = os.environ if environ is None else environ
    found = list(requests)
    if env.get("GITHUB_ACTIONS") == "true" and not any(r.to_stdout for r in found):
        found.append(FormatRequest("github"))
    return found


def write_reports(manager: pluggy.PluginManager, results: Results, requests: Sequence[FormatRequest],
                  stdout: TextIO | None = None) -> None:
    """Write each requested format through the ``patchlint_report`` hook; a file is written
    whole or not at all (to a temporary name, then renamed)."""
    for request in requests:
        with _destination(request, stdout) as out:
            written = manager.hook.patchlint_report(results=results, format=request.name, out=out)
        if not written:
            raise ReportError(f"no writer wrote the report format {request.name!r}")


@contextmanager
def _destination(request: FormatRequest, stdout: TextIO | None) -> Iterator[TextIO]:
    if request.path is None:
        out = stdout if stdout is not None else sys.stdout
        yield out
        out.flush()
        return
    partial = f"{request.path}.partial"
    try:
        handle = open(partial, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise ReportError(f"cannot write {request.path}: {exc.strerror or exc}") from None
    try:
        with handle:
            yield handle
        os.replace(partial, request.path)
    except BaseException:
        try:
            os.unlink(partial)
        except OSError:
            pass
        raise


def builtin_writers() -> list[object]:
    """The modules of the built-in writers (each implements the report hooks for its formats)."""
    from patchlint.report import b4, checkpatch, ci, document, html, patchwork, sarif, terminal

    return [document, sarif, checkpatch, b4, ci, patchwork, terminal, html]
