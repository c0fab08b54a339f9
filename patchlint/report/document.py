"""The ``json`` report: one document with everything a run found, a stable interface.

The README's "JSON report" section documents every field; a test checks that documentation
against real output. ``version`` changes only when a field changes meaning or goes away (new
fields may be added within a version).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

from patchlint import __version__, hookimpl
from patchlint.model.posting import Kind
from patchlint.rule import Severity

if TYPE_CHECKING:
    from patchlint.report import Results

FORMAT = "patchlint-report"
VERSION = 1


def document(results: Results) -> dict[str, Any]:
    """The JSON report of ``results`` as a dict."""
    from patchlint.report import series_id

    report = results.report
    in_series = results.series_ids()
    messages = []
    violations = []
    for outcome in results.messages:
        target = outcome.target
        ident = in_series.get(target.key)
        messages.append({
            "source": target.source, "index": target.index, "line": target.line,
            "message_id": target.message_id, "subject": target.subject, "kind": str(target.kind),
            "status": str(outcome.status), "reason": outcome.reason, "profile": outcome.profile,
            "series": ident,
        })
        violations.extend(_violation(v, "posting", ident) for v in outcome.violations)
    series = []
    for outcome in results.series:
        target = outcome.target
        ident = series_id(outcome)
        series.append({
            "id": ident, "source": target.source, "index": target.index, "subject": target.subject,
            "message_id": target.message_id, "status": str(outcome.status), "profile": outcome.profile,
            "members": [f"{source}#{index}" for source, index in target.members],
        })
        violations.extend(_violation(v, "series", ident) for v in outcome.violations)
    return {
        "format": FORMAT,
        "version": VERSION,
        "tool": {"name": "patchlint", "version": __version__},
        # name null: no configuration was given or found, each posting's profile was chosen by its list.
        "configuration": (report.configuration.to_json() if report.configuration is not None
                          else {"name": None, "origin": None}),
        "fail_on": str(results.fail_on),
        "failed": results.failed,
        "counts": counts(results),
        "messages": messages,
        "series": series,
        "violations": violations,
    }


def counts(results: Results) -> dict[str, Any]:
    """The report's ``counts`` object (every report that shows counts shows these)."""
    from patchlint.engine import Status

    report = results.report
    by_severity = results.counts()
    by_rule = Counter(v.code for v in results.violations)
    return {
        "messages": report.messages,
        "kinds": {str(kind): report.kinds[kind] for kind in Kind},
        "checked": report.statuses[Status.CHECKED],
        "skipped": report.statuses[Status.SKIPPED],
        "unparseable": report.statuses[Status.UNPARSEABLE],
        "skipped_reasons": dict(sorted(report.skipped.items())),
        "repeats": report.repeats,
        "series": report.series,
        "profiles": dict(report.profiles.most_common()),
        "violations": {str(severity): by_severity[severity] for severity in Severity},
        "rules": dict(sorted(by_rule.items())),
    }


def _violation(violation: Any, scope: str, series: str | None) -> dict[str, Any]:
    return {**violation.to_json(), "scope": scope, "series": series}


@hookimpl(trylast=True)
def patchlint_report_formats() -> dict[str, str]:
    return {"json": "one JSON document: every message, series and violation, and the counts (a stable interface)"}


@hookimpl(trylast=True)
def patchlint_report(results: Results, format: str, out: TextIO) -> bool | None:
    if format != "json":
        return None
    json.dump(document(results), out, ensure_ascii=False, indent=1)
    out.write("\n")
    return True
