"""Items planned and run as the outcomes stream (``patchlint check -q``): the same items, the same
results and counts as collecting the whole run first, with only a stretch of it in memory."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest

from test_shards import busy_archive
from patchlint.engine import Engine, Outcome
from patchlint.items import GRANULARITIES, ItemPlanner, ItemSpec, plan_items
from patchlint.rule import Scope

from paths import EXAMPLES, SEEDS


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("streaming") / "list.mbox"
    path.write_text("\n".join(busy_archive().mails), encoding="utf-8")
    return path


def planned_in_stretches(
    outcomes: list[Outcome], granularity: str, limit: int | None, most: int = 1000,
) -> tuple[list[ItemSpec], int, int]:
    """What an ItemPlanner fed ``outcomes`` one by one plans; how many stretches, the most kept."""
    planner = ItemPlanner(granularity, limit, most)
    specs: list[ItemSpec] = []
    stretches = kept = 0
    for outcome in outcomes:
        made = planner.add(outcome)
        kept = max(kept, planner.kept)
        stretches += bool(made)
        specs += made
    specs += planner.finish()
    return specs, stretches + 1, kept


@pytest.mark.parametrize("limit", [None, 6])
@pytest.mark.parametrize("granularity", GRANULARITIES)
def test_planner_plans_in_stretches_what_plan_items_plans_for_the_whole_run(archive, granularity, limit) -> None:
    # Each day's series is complete within minutes; the window closes it 64 postings later.
    outcomes = list(Engine("default", series_window=timedelta(hours=3)).run([archive]))
    specs, stretches, kept = planned_in_stretches(outcomes, granularity, limit)
    whole = plan_items(outcomes, granularity, limit)
    assert len(whole) > 100 and specs == whole
    # Fewer than `most` outcomes: cut only where exact. Replies make no item and are not kept.
    replies = sum(o.target.scope is Scope.POSTING and not o.rules and not o.held for o in outcomes)
    assert replies > 100 and kept <= len(outcomes) - replies


def ids(specs: list[ItemSpec]) -> Counter:
    return Counter((spec.source, spec.names, spec.violations) for spec in specs)


@pytest.mark.parametrize("granularity", GRANULARITIES)
def test_planner_cuts_where_some_series_is_always_open_and_carries_it(archive, granularity) -> None:
    """A two-day window over a series a day: some series is always open, no stretch would end.
    Past ``most`` outcomes the planner cuts anyway and carries the open series' postings: the
    same items, a few in another order, memory bounded by what the window holds."""
    outcomes = list(Engine("default", series_window=timedelta(days=2)).run([archive]))
    whole = plan_items(outcomes, granularity)
    exact, stretches, _ = planned_in_stretches(outcomes, granularity, None)
    assert exact == whole and stretches < 5  # the case: without a bound, almost no cut
    specs, stretches, kept = planned_in_stretches(outcomes, granularity, None, most=40)
    assert ids(specs) == ids(whole)
    assert stretches > 10 and kept < len(outcomes) / 3  # 40 and the open series


def test_planner_waits_for_series_whose_outcome_comes_before_their_postings(archive) -> None:
    """With -n, a shard's series is reported after the shard's own messages, before those of its
    lead-out it also holds: the stretch stays open until they have come."""
    engine = Engine("default", workers=2, series_window=timedelta(days=2))
    engine.shard_sizes = (0, 15_000)
    outcomes = list(engine.run([archive]))
    seen: set[tuple[str, int]] = set()
    early = 0
    for outcome in outcomes:
        if outcome.target.scope is Scope.SERIES:
            early += any(member not in seen for member in outcome.target.members)
        else:
            seen.add(outcome.target.key)
    assert early > 0  # the case is there to be handled
    for granularity in GRANULARITIES:
        specs, stretches, _ = planned_in_stretches(outcomes, granularity, None)
        assert specs == plan_items(outcomes, granularity) and stretches > 5


def test_planner_across_input_files_decides_each_file_once_it_has_ended() -> None:
    """``auto`` is per file: a small file's granularity is known only when the next one begins."""
    inputs = [*sorted(SEEDS.iterdir()), *sorted((EXAMPLES / "series").iterdir()), *sorted((EXAMPLES / "problems").iterdir())]
    outcomes = list(Engine("default").run(inputs))
    assert len({o.target.source for o in outcomes}) > 5
    for limit in (None, 1):
        specs, _, _ = planned_in_stretches(outcomes, "auto", limit)
        assert specs and specs == plan_items(outcomes, "auto", limit)


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "patchlint", "check", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def tally(text: str) -> str:
    """pytest's last line without its time: '12 failed, 340 passed'."""
    last = text.strip().splitlines()[-1]
    return re.sub(r" in [0-9.]+s.*$", "", last.strip("= "))


def patchlint_section(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if "patchlint" in line and line.startswith("="))
    return [line for line in lines[start + 1 :] if line.startswith("  ") or "messages read" in line]


@pytest.mark.parametrize("granularity", ["auto", "rule", "series"])
def test_quiet_check_streams_and_reports_what_a_collected_run_reports(archive, tmp_path, granularity) -> None:
    quiet = check("-q", f"--granularity={granularity}", f"--junitxml={tmp_path / 'q.xml'}", str(archive), cwd=tmp_path)
    # -q with --collect-only needs the whole collection: that run collects first, then runs.
    listed = check("-q", "--collect-only", f"--granularity={granularity}", str(archive), cwd=tmp_path)
    full = check(f"--granularity={granularity}", f"--junitxml={tmp_path / 'f.xml'}", str(archive), cwd=tmp_path)
    assert quiet.returncode == full.returncode == 1, quiet.stdout + quiet.stderr
    assert tally(quiet.stdout) == tally(full.stdout) and " failed, " in tally(quiet.stdout)
    assert patchlint_section(quiet.stdout) == patchlint_section(full.stdout)
    assert "%]" not in quiet.stdout  # no percentages of a total not known yet
    ids = [line for line in listed.stdout.splitlines() if "::" in line]
    cases = [(c.get("classname"), c.get("name")) for c in ET.parse(tmp_path / "q.xml").iter("testcase")]
    assert cases == [(c.get("classname"), c.get("name")) for c in ET.parse(tmp_path / "f.xml").iter("testcase")]
    assert len(ids) == len(cases) > 100


def test_quiet_check_with_k_runs_the_selected_items(archive, tmp_path) -> None:
    # The value after the option, the path last: patchlint check hands `-k PL301` to pytest whole.
    quiet = check("-q", "--granularity=rule", "-k", "PL301", "-rA", str(archive), cwd=tmp_path)
    full = check("--granularity=rule", "-k", "PL301", "-rA", str(archive), cwd=tmp_path)
    ran = [line for line in quiet.stdout.splitlines() if line.startswith(("PASSED ", "FAILED "))]
    assert ran and all("PL301" in line for line in ran)
    assert sorted(ran) == sorted(line for line in full.stdout.splitlines() if line.startswith(("PASSED ", "FAILED ")))


def test_quiet_check_stopped_by_x_says_its_counts_are_partial(tmp_path) -> None:
    """-x stops the run at its first failure: the rest of the archive is not read."""
    archive = busy_archive(days=150)  # more outcomes than a stretch holds
    path = tmp_path / "list.mbox"
    path.write_text("\n".join(archive.mails), encoding="utf-8")
    result = check("-q", "-x", "--granularity=rule", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "stopping after 1 failures" in result.stdout
    assert "stopped early (-x or --maxfail): the counts are of the messages read until then" in result.stdout
    read = int(re.search(r"^([\d,]+) messages read", result.stdout, re.M).group(1).replace(",", ""))
    assert 0 < read < len(archive.mails)


def test_quiet_check_of_mail_with_nothing_to_judge_collects_nothing(tmp_path) -> None:
    """A file of one reply: no items, pytest's exit code 5, as without -q; the summary counts it."""
    mail = tmp_path / "reply.eml"
    mail.write_text(
        "From: Ines Moreau <ines@example.com>\nTo: list@example.org\nSubject: Re: [PATCH] x: y\n"
        "Message-ID: <r1@example.com>\nIn-Reply-To: <p1@example.com>\nDate: Mon, 4 Mar 2024 10:00:00 +0000\n\n"
        "Looks right to me.\n"
    )
    quiet = check("-q", str(mail), cwd=tmp_path)
    full = check(str(mail), cwd=tmp_path)
    assert quiet.returncode == full.returncode == 5
    assert patchlint_section(quiet.stdout) == patchlint_section(full.stdout)
    assert "1 message read (1 reply)" in quiet.stdout
