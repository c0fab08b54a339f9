"""Annotations for CI services: GitHub's workflow commands and GitLab's Code Quality report.

``github`` prints one workflow command per violation (``::error file=…,line=…,title=…::…``;
warnings are ``::warning``, information ``::notice``), which the Actions runner turns into
annotations on the files; it is added on standard output by itself when ``GITHUB_ACTIONS=true``.
``gitlab`` writes the Code Quality report (a JSON list of issues with a description, a check
name, a fingerprint, a severity and a location) that a job publishes with
``artifacts: reports: codequality:``.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, TextIO

from patchlint import hookimpl
from patchlint.rule import Severity, Violation

if TYPE_CHECKING:
    from patchlint.report import Results

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
# GitLab's severities are info, minor, major, critical and blocker: an error blocks nothing by
# itself (the job's exit code does), so it is major.
GITLAB_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
STDIN_LABEL = "<stdin>"


def _data(text: str) -> str:
    # The runner reads a command up to the end of its line: a message on several lines, or with
    # '%', is percent-encoded as the runner decodes it.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(violation: Violation) -> str:
    """The GitHub Actions command annotating ``violation``."""
    properties = []
    if violation.source != STDIN_LABEL:
        properties += [f"file={_property(violation.source)}", f"line={violation.line}"]
    properties.append(f"title={_property(f'{violation.code} {violation.rule}')}")
    return f"::{COMMANDS[violation.severity]} {','.join(properties)}::{_data(violation.message)}"


def fingerprint(violation: Violation) -> str:
    """The same violation in the same place has the same fingerprint from run to run (GitLab
    compares a merge request's issues with its target branch's by it)."""
    key = "\0".join((violation.code, violation.source, str(violation.line), violation.message))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def code_quality(results: Results) -> list[dict[str, object]]:
    """The GitLab Code Quality issues of ``results``."""
    return [
        {
            "description": f"{v.code} {v.rule}: {v.message}",
            "check_name": v.rule,
            "fingerprint": fingerprint(v),
            "severity": GITLAB_SEVERITIES[v.severity],
            "location": {"path": v.source, "lines": {"begin": v.line}},
        }
        for v in results.violations
    ]


@hookimpl(trylast=True)
def patchlint_report_formats() -> dict[str, str]:
    return {
        "github": "GitHub Actions workflow commands (::error file=…,line=…::…); automatic when GITHUB_ACTIONS=true",
        "gitlab": "GitLab Code Quality report (JSON), for artifacts:reports:codequality",
    }


@hookimpl(trylast=True)
def patchlint_report(results: Results, format: str, out: TextIO) -> bool | None:
    if format == "github":
        for violation in results.violations:
            out.write(workflow_command(violation) + "\n")
        return True
    if format == "gitlab":
        json.dump(code_quality(results), out, ensure_ascii=False, indent=1)
        out.write("\n")
        return True
    return None
