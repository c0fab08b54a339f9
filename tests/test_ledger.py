"""The precision ledger script (benchmarks/precision/ledger.py): its seeded sample and top-up."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from paths import EXAMPLES, ROOT
from patchlint.ledger import read_ledger

SERIES = EXAMPLES / "problems"


@pytest.fixture(scope="module")
def ledger():
    spec = importlib.util.spec_from_file_location("ledger", ROOT / "benchmarks" / "precision" / "ledger.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["ledger"] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["ledger"]


def _flags(ledger, codes: str) -> list:
    return [ledger.Flag(code, f"<{i}@example.org>", i, f"flag {i}") for i, code in enumerate(codes.split())]


def test_sample_takes_each_rule_then_fills_up(ledger) -> None:
    flags = _flags(ledger, "PL101 " * 10 + "PL201 PL201 PL301")
    taken = ledger.sample(flags, seed=3, per_rule=3, total=6)
    assert Counter(f.code for f in taken) == {"PL101": 3, "PL201": 2, "PL301": 1}
    assert taken == ledger.sample(list(reversed(flags)), seed=3, per_rule=3, total=6)  # seeded, not ordered


def test_sample_counts_what_a_ledger_holds(ledger) -> None:
    flags = _flags(ledger, "PL101 " * 10 + "PL201 " * 5)
    taken = ledger.sample(flags, seed=3, per_rule=3, total=8, held=Counter({"PL101": 3, "PL201": 1}))
    # PL101 has its three already, PL201 gets two more first; four held + four taken = eight.
    counts = Counter(f.code for f in taken)
    assert len(taken) == 4 and counts["PL201"] >= 2


def test_top_up_appends_unjudged_rows_for_new_flags(ledger, tmp_path: Path, capsys) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    archive = corpus / "problems.mbox"
    archive.write_bytes(b"".join(
        b"From mboxrd@z Thu Jan  1 00:00:00 1970\n" + path.read_bytes() for path in sorted(SERIES.glob("*.patch"))
    ))
    now = ledger.flags_of(archive)
    assert len(now) >= 4
    path = tmp_path / "problems.tsv"
    with path.open("w", encoding="utf-8") as out:
        ledger.write_ledger(out, archive, 1, now[:1])
    assert ledger.top_up(path, corpus, seed=5, per_rule=1, total=3, config=None) == 0
    entries = read_ledger(path).entries
    # One of every rule that fires comes first, even past the total.
    assert entries[0].flag == now[0]
    assert {e.flag.code for e in entries} == {f.code for f in now}
    assert len(entries) == max(3, len({f.code for f in now}))
    assert {e.flag.key for e in entries} <= {f.key for f in now}
    assert all(not e.verdict for e in entries)
    assert "# topped up at:" in path.read_text()
