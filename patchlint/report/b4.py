"""b4's review check protocol: ``review-perpatch-check-cmd`` and ``review-series-check-cmd``.

b4 passes one message on standard input (a patch, or the cover letter for the series command)
and reads a JSON list of ``{tool, status, summary, details}`` with ``status`` one of ``pass``,
``warn``, ``fail``. This writer answers with one entry for the run: ``fail`` when something fails
by ``--fail-on`` (errors, by default), else ``warn`` when there are warnings, else ``pass``. The
details are a JSON list of findings (``status``, ``description``), the form b4's own checkpatch
check writes, so b4 shows each finding on its own line.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from patchlint import hookimpl
from patchlint.report.checkpatch import LEVELS
from patchlint.rule import Severity, Violation

if TYPE_CHECKING:
    from patchlint.report import Results

TOOL = "patchlint"


def _status(results: Results, violation: Violation) -> str:
    if violation.severity is Severity.ERROR or results.fail_on.fails(violation.severity):
        return "fail"
    return "warn" if violation.severity is Severity.WARNING else "pass"


def entry(results: Results) -> dict[str, str]:
    """The one check result b4 reads for this run."""
    findings = [
        {"status": _status(results, v),
         "description": f"{v.line}: {LEVELS[v.severity]}: {v.code} {v.rule}: {v.message}"}
        for v in results.violations
    ]
    statuses = {f["status"] for f in findings}
    status = "fail" if "fail" in statuses else "warn" if "warn" in statuses else "pass"
    counts = results.counts()
    parts = [
        f"{counts[severity]} {name}{'' if counts[severity] == 1 else 's'}"
        for severity, name in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "note"))
        if counts[severity]
    ]
    summary = ", ".join(parts)
    if status == "pass":
        summary = f"passed all checks ({summary})" if summary else "passed all checks"
    found: dict[str, str] = {"tool": TOOL, "status": status, "summary": summary}
    if findings:
        found["details"] = json.dumps(findings, ensure_ascii=False)
    return found


@hookimpl(trylast=True)
def patchlint_report_formats() -> dict[str, str]:
    return {"b4": "b4's review check protocol: a JSON list of {tool, status, summary, details}"}


@hookimpl(trylast=True)
def patchlint_report(results: Results, format: str, out: TextIO) -> bool | None:
    if format != "b4":
        return None
    out.write(json.dumps([entry(results)], ensure_ascii=False) + "\n")
    return True
