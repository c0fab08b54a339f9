"""SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.

One run: the tool's driver lists every rule (its summary and documentation, its configured
level), and each violation is a result pointing into the mail file (a relative path against
``%SRCROOT%``, the directory patchlint ran in; an absolute path as a ``file:`` URI) at its line.
A violation read from standard input has no file to point to, so it has no location. The
posting's Message-ID, subject and series are the result's properties; a fingerprint of rule,
file, line and message lets consumers follow a result from run to run.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, TextIO

from patchlint import __version__, hookimpl
from patchlint.report.ci import fingerprint
from patchlint.rule import Severity, Violation

if TYPE_CHECKING:
    from patchlint.report import Results

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
STDIN_LABEL = "<stdin>"
ROOT = "%SRCROOT%"


def _location(violation: Violation) -> list[dict[str, Any]]:
    if violation.source == STDIN_LABEL:
        return []
    path = PurePosixPath(violation.source)
    if path.is_absolute():
        artifact = {"uri": "file://" + urllib.parse.quote(str(path))}
    else:
        artifact = {"uri": urllib.parse.quote(str(path)), "uriBaseId": ROOT}
    return [{"physicalLocation": {"artifactLocation": artifact, "region": {"startLine": max(violation.line, 1)}}}]


def log(results: Results) -> dict[str, Any]:
    """The SARIF log of ``results`` as a dict."""
    in_series = results.series_ids()
    by_message = {}
    for outcome in results.messages:
        if outcome.target.message_id:
            by_message[outcome.target.message_id] = in_series.get(outcome.target.key)
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary or rule.name},
            "fullDescription": {"text": rule.documentation or rule.summary or rule.name},
            "help": {"text": rule.documentation or rule.summary or rule.name},
            "defaultConfiguration": {"level": LEVELS[Severity(rule.severity)], "enabled": rule.enabled},
            "properties": {"scope": rule.scope},
        }
        for rule in results.rules
    ]
    index = {rule.code: i for i, rule in enumerate(results.rules)}
    found = []
    for violation in results.violations:
        result: dict[str, Any] = {
            "ruleId": violation.code,
            "level": LEVELS[violation.severity],
            "message": {"text": violation.message},
            "locations": _location(violation),
            "partialFingerprints": {"patchlint/v1": fingerprint(violation)},
            "properties": {
                "rule": violation.rule, "subject": violation.subject, "messageId": violation.message_id,
                "series": by_message.get(violation.message_id) if violation.message_id else None,
            },
        }
        if violation.code in index:
            result["ruleIndex"] = index[violation.code]
        found.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "patchlint", "version": __version__, "rules": rules}},
            "originalUriBaseIds": {ROOT: {"description": {"text": "the directory patchlint ran in"}}},
            "invocations": [{"executionSuccessful": True}],
            "results": found,
        }],
    }


@hookimpl(trylast=True)
def patchlint_report_formats() -> dict[str, str]:
    return {"sarif": "SARIF 2.1.0 (GitHub code scanning): the rules with their documentation, results located in the mail files"}


@hookimpl(trylast=True)
def patchlint_report(results: Results, format: str, out: TextIO) -> bool | None:
    if format != "sarif":
        return None
    json.dump(log(results), out, ensure_ascii=False, indent=1)
    out.write("\n")
    return True
