"""The audit: violations per rule, sender, month and series; incomplete series; patterns."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from test_shards import busy_archive
from patchlint.audit import pattern
from patchlint.engine import Engine


def test_pattern_keeps_what_violations_share() -> None:
    assert pattern("counter '0' is not padded to the width of the total '13': write '00/13'") == (
        "counter … is not padded to the width of the total …: write …"
    )


def test_audit_counts_every_violation_once_whatever_the_processes(tmp_path) -> None:
    path = tmp_path / "list.mbox"
    path.write_text("\n".join(busy_archive().mails), encoding="utf-8")
    audits = []
    for count in (1, 2):
        engine = Engine("default", workers=count, series_window=timedelta(days=2))
        engine.shard_sizes = (0, 15_000)
        report = engine.check([path])
        audits.append(report.audit)
        assert sum(report.audit.by_rule.values()) == len(report.violations)
        assert sum(report.audit.by_month.values()) == len(report.violations)
        # Every violation belongs to a posting of a series or to a series.
        assert sum(report.audit.by_series.values()) == len(report.violations)
    one, two = audits
    assert one.by_rule == two.by_rule and one.by_sender == two.by_sender and one.by_series == two.by_series
    assert sorted(one.incomplete) == sorted(two.incomplete)
    # Days 3, 10, 17, … lost patch 2 of their series.
    assert len(one.incomplete) == 6 and all(line.endswith(": missing 2") for line in one.incomplete)
    assert set(one.by_month) >= {("2023-03", "PL301"), ("2023-04", "PL301")}  # the unsigned patches
    assert one.by_sender["mara.lindqvist@example.org"] and one.by_sender["kai@example.net"]


def test_check_audit_prints_the_tables(tmp_path) -> None:
    (tmp_path / "list.mbox").write_text("\n".join(busy_archive().mails), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "patchlint", "check", "--summary-only", "--audit", "list.mbox"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    out = done.stdout
    assert done.returncode == 1, done.stderr
    for title in ("violations per rule:", "senders with the most violations:", "violations per month:",
                  "series with the most violations:", "incomplete series: 6", "most common patterns per rule"):
        assert title in out
    assert "PL301 " in out.split("most common patterns per rule")[1]
