"""Patchwork checks: one check per patch, in the shape patchwork's REST API takes.

A bot posts ``entry["check"]`` to ``/api/patches/ID/checks/`` after finding the patch by its
Message-ID (``/api/patches/?msgid=…``): each entry carries the Message-ID, and the check's
``state`` (``success``, ``warning``, ``fail``), ``context`` (``patchlint``), ``description``
(what was found, by rule) and ``target_url`` (``--target-url``, with ``{message_id}`` replaced).
Patchwork keeps checks for patches only, so cover letters have none (their findings are the
series'; they are reported on the cover letter in the other formats).
"""

from __future__ import annotations

import json
import urllib.parse
from collections import Counter
from typing import TYPE_CHECKING, TextIO

from patchlint import hookimpl
from patchlint.model.posting import Kind
from patchlint.rule import Severity, Violation

if TYPE_CHECKING:
    from patchlint.report import Results

CONTEXT = "patchlint"
# Patchwork's description is one line in its web page; beyond this many rules it says "…".
NAMED_RULES = 5


def description(found: list[Violation]) -> str:
    """``2 errors, 1 warning: PL104 summary-punctuation, PL301 signed-off-by`` or ``no problems found``."""
    if not found:
        return "no problems found"
    counts = Counter(v.severity for v in found)
    parts = [
        f"{counts[s]} {name}{'' if counts[s] == 1 else 's'}"
        for s, name in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "note"))
        if counts[s]
    ]
    rules = list(dict.fromkeys(f"{v.code} {v.rule}" for v in found))
    named = ", ".join(rules[:NAMED_RULES]) + (", …" if len(rules) > NAMED_RULES else "")
    return f"{', '.join(parts)}: {named}"


def checks(results: Results) -> list[dict[str, object]]:
    """One entry per patch (and pull request) judged."""
    template = results.options.get("target-url", "")
    entries = []
    for outcome, found in results.by_message():
        target = outcome.target
        if target.kind not in (Kind.PATCH, Kind.PULL):
            continue
        if any(v.severity is Severity.ERROR or results.fail_on.fails(v.severity) for v in found):
            state = "fail"
        elif any(v.severity is Severity.WARNING for v in found):
            state = "warning"
        else:
            state = "success"
        url = template.replace("{message_id}", urllib.parse.quote(target.message_id or "", safe="@")) if template else ""
        entries.append({
            "message_id": target.message_id, "subject": target.subject, "source": target.source, "line": target.line,
            "check": {"state": state, "target_url": url, "context": CONTEXT, "description": description(found)},
        })
    return entries


@hookimpl(trylast=True)
def patchlint_report_formats() -> dict[str, str]:
    return {"patchwork": "one patchwork check per patch (state, context, description, target_url) with its Message-ID"}


@hookimpl(trylast=True)
def patchlint_report(results: Results, format: str, out: TextIO) -> bool | None:
    if format != "patchwork":
        return None
    json.dump(checks(results), out, ensure_ascii=False, indent=1)
    out.write("\n")
    return True
