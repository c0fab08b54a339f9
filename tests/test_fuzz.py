"""Property-based fuzzing of the model and of whole runs (Hypothesis, strategies in fuzzmail.py).

For any mutated mail the model answers every question without raising, in its time budget,
with JSON that can be printed; for any set of inputs a run reads, the report accounts for every
message exactly once: as many as the readers yield, every file among them, exactly one per
mail of an mbox. The suite runs a modest number of examples, the same ones every time
(``derandomize``); ``PATCHLINT_FUZZ_EXAMPLES`` asks for more, and benchmarks/fuzz.py runs a long
random campaign and prints its figures.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from patchlint.engine import Engine, Status
from patchlint.model.message import RawMessage
from patchlint.model.posting import Posting
from patchlint.model.series import group_series
from patchlint.readers.source import read_path
from patchlint.rule import Scope

from fuzzmail import inputs, mbox_of, mutated_mail
from test_adversarial import exercise

# CPU seconds: one mail through the whole model, and one run (a few mails through the default
# rules). The slowest examples take a few tenths of a second.
MAIL_BUDGET = 2.0
RUN_BUDGET = 6.0

FUZZ = settings(
    max_examples=int(os.environ.get("PATCHLINT_FUZZ_EXAMPLES", "30")),
    deadline=None,  # wall-clock deadlines flake on a shared machine: CPU time is asserted instead
    derandomize="PATCHLINT_FUZZ_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@FUZZ
@given(mutated_mail())
def test_the_model_never_raises_on_a_mutated_mail(data: bytes) -> None:
    started = time.process_time()
    posting = Posting(RawMessage("fuzz.eml", 0, data))
    exercise(posting)
    group_series([posting])
    assert time.process_time() - started < MAIL_BUDGET


@FUZZ
@given(given=inputs())
def test_a_run_accounts_for_every_message(engine: Engine, given: tuple[list[bytes], list[bytes]]) -> None:
    files, archived = given
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = []
        for number, data in enumerate(files):
            paths.append(root / f"{number:04d}.eml")
            paths[-1].write_bytes(data)
        archive = root / "archive.mbox"
        if archived:
            archive.write_bytes(mbox_of(archived))
        started = time.process_time()
        raws = list(read_path(engine.manager.hook, root))
        postings = [Posting(raw) for raw in raws]
        for posting in postings:
            exercise(posting)
        group_series(postings)
        run = engine.run([root])
        outcomes = [o for o in run if o.target.scope is Scope.POSTING]
        report = run.report
        spent = time.process_time() - started
    assert report.messages == len(raws)
    # Exactly one outcome (checked, skipped or unparseable) for each message read, and the
    # summary's three counts add up to them.
    assert sorted((o.target.source, o.target.index) for o in outcomes) == sorted((r.source, r.index) for r in raws)
    assert sum(report.statuses[status] for status in Status) == report.messages
    sources = [raw.source for raw in raws]
    assert all(str(path) in sources for path in paths)
    assert sources.count(str(archive)) == len(archived)
    assert spent < RUN_BUDGET
