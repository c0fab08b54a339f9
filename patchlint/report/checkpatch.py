"""checkpatch-compatible lines: what b4, NIPA-style scripts and editors' compile modes read.

``checkpatch`` writes what ``checkpatch.pl --terse --strict`` does: one line per violation,
``FILE:LINE: ERROR|WARNING|CHECK: message`` (info is checkpatch's CHECK), then the
``total: N errors, M warnings, K checks, L lines checked`` line. ``checkpatch-quiet`` writes
what ``checkpatch.pl -q --terse --no-summary --mailback`` does, the way b4 runs checkpatch for
``b4 prep --check``: errors and warnings only, no total, nothing at all for a clean run (b4 counts
every line it is given: a line holding ``ERROR:`` is an error, any other a warning).
Standard input is named ``-``, as checkpatch names it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from patchlint import hookimpl
from patchlint.rule import Severity, Violation

if TYPE_CHECKING:
    from patchlint.report import Results

LEVELS = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "CHECK"}
STDIN_LABEL = "<stdin>"


def line(violation: Violation) -> str:
    """``FILE:LINE: LEVEL: CODE name: message``."""
    source = "-" if violation.source == STDIN_LABEL else violation.source
    return f"{source}:{violation.line}: {LEVELS[violation.severity]}: {violation.code} {violation.rule}: {violation.message}"


def total(results: Results) -> str:
    """checkpatch's closing line; lines checked are the lines of the messages judged."""
    from patchlint.engine import Status

    counts = results.counts()
    lines = sum(o.target.lines for o in results.messages if o.status is Status.CHECKED)
    return (f"total: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
            f"{counts[Severity.INFO]} checks, {lines} lines checked")


@hookimpl(trylast=True)
def patchlint_report_formats() -> dict[str, str]:
    return {
        "checkpatch": "checkpatch.pl --terse lines (FILE:LINE: ERROR|WARNING|CHECK: …) and its total: line",
        "checkpatch-quiet": "errors and warnings as checkpatch lines, nothing else (b4 prep --check, am --check)",
    }


@hookimpl(trylast=True)
def patchlint_report(results: Results, format: str, out: TextIO) -> bool | None:
    if format == "checkpatch":
        for violation in results.violations:
            out.write(line(violation) + "\n")
        out.write(total(results) + "\n")
        return True
    if format == "checkpatch-quiet":
        for violation in results.violations:
            if violation.severity is not Severity.INFO:
                out.write(line(violation) + "\n")
        return True
    return None
