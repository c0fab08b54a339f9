"""The compact terminal report: one line per violation, nothing at all for a clean run.

``FILE:LINE: SEVERITY: CODE name: message``, the form compilers print, so editors' compile
modes jump to each line. On a terminal the severity is coloured, unless ``NO_COLOR`` is set
(https://no-color.org); ``FORCE_COLOR`` colours output that is not a terminal.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

from patchlint import hookimpl
from patchlint.rule import Severity, Violation

if TYPE_CHECKING:
    from patchlint.report import Results

COLOURS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
RESET = "\033[0m"


def use_colour(out: TextIO) -> bool:
    """Colour when writing to a terminal and NO_COLOR is unset or empty; FORCE_COLOR forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def compact_line(violation: Violation, colour: bool = False) -> str:
    severity = str(violation.severity)
    if colour:
        severity = f"{COLOURS[violation.severity]}{severity}{RESET}"
    return f"{violation.source}:{violation.line}: {severity}: {violation.code} {violation.rule}: {violation.message}"


@hookimpl(trylast=True)
def patchlint_report_formats() -> dict[str, str]:
    return {"compact": "one line per violation (FILE:LINE: severity: …), coloured on a terminal; nothing when clean"}


@hookimpl(trylast=True)
def patchlint_report(results: Results, format: str, out: TextIO) -> bool | None:
    if format != "compact":
        return None
    colour = use_colour(out)
    for violation in results.violations:
        out.write(compact_line(violation, colour) + "\n")
    return True
