"""``patchlint report merge``: JSON reports of shards made one.

An audit split across machines (each checking some of the files) gives one JSON report per
shard; merging them gives the report one run over all the files would give: the messages,
series and violations in the order of the reports given, every count summed, ``failed``
decided again by the shared ``--fail-on``. Only reports of this schema version are merged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from patchlint.report import FailOn, ReportError
from patchlint.report.document import FORMAT, VERSION
from patchlint.rule import Severity

LISTS = ("messages", "series", "violations")


def load(path: str) -> dict[str, Any]:
    """One JSON report, checked to be one this version can merge."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as exc:
        raise ReportError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{path}: not a JSON report: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ReportError(f"{path}: not a patchlint JSON report (no \"format\": \"{FORMAT}\")")
    if document.get("version") != VERSION:
        raise ReportError(f"{path}: report version {document.get('version')!r}; this patchlint merges version {VERSION}")
    return document


def _add(total: dict[str, Any], more: dict[str, Any], where: str) -> None:
    for key, value in more.items():
        if isinstance(value, dict):
            _add(total.setdefault(key, {}), value, f"{where}.{key}")
        elif isinstance(value, int) and not isinstance(value, bool):
            total[key] = total.get(key, 0) + value
        else:
            raise ReportError(f"{where}.{key}: a count that is not a number: {value!r}")


def merge(documents: Sequence[dict[str, Any]], names: Sequence[str] | None = None) -> dict[str, Any]:
    """The merged report of ``documents`` (as :func:`load` returns them)."""
    if not documents:
        raise ReportError("no report to merge")
    names = list(names or [f"report {i + 1}" for i in range(len(documents))])
    thresholds = {d.get("fail_on") for d in documents}
    if len(thresholds) > 1:
        raise ReportError(f"the reports were made with different --fail-on ({', '.join(sorted(map(str, thresholds)))})")
    fail_on = FailOn(documents[0].get("fail_on", "error"))
    # One run judges with one configuration (patchlint check refuses inputs under two).
    configurations = {json.dumps(d.get("configuration"), sort_keys=True) for d in documents}
    if len(configurations) > 1:
        raise ReportError(f"the reports were made with different configurations ({', '.join(sorted(configurations))})")
    counts: dict[str, Any] = {}
    merged: dict[str, list[Any]] = {key: [] for key in LISTS}
    for document, name in zip(documents, names):
        _add(counts, document.get("counts", {}), f"{name}: counts")
        for key in LISTS:
            merged[key].extend(document.get(key, []))
    # Maps of counts keep the order a single report gives them.
    for key in ("skipped_reasons", "rules"):
        if key in counts:
            counts[key] = dict(sorted(counts[key].items()))
    if "profiles" in counts:
        counts["profiles"] = dict(sorted(counts["profiles"].items(), key=lambda item: -item[1]))
    failed = any(fail_on.fails(Severity(v["severity"])) for v in merged["violations"])
    return {
        "format": FORMAT, "version": VERSION, "tool": documents[0].get("tool", {}),
        "configuration": documents[0].get("configuration"), "fail_on": str(fail_on), "failed": failed, "counts": counts, **merged,
    }
