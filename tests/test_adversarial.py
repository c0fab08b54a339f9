"""Hostile input never crashes the model and never stalls a check.

Every case of tests/adversarial.py goes through the whole model (every Posting property, the
JSON ``patchlint show`` prints, series grouping) and the default rules, under a time budget;
then one test per class of failure checks what the model makes of its minimal input: a
charset whose codec raises is a stated charset error, a 5,000-digit version is a number, a
chain of 3,000 patches listed newest first is one series, and so on.

The budget is CPU time of this process (other jobs on a shared machine do not count), and far
above what each case takes (a single mail takes a few tenths of a second; 3,000 chained
patches, checked by every default rule, a few seconds): it catches the
quadratic and exponential patterns these inputs were written against, which took from seconds
to hours.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from patchlint.engine import Engine
from patchlint.model.message import RawMessage
from patchlint.model.numbers import NUMBER_CAP, parse_number
from patchlint.model.posting import Kind, Posting
from patchlint.model.series import MISSING_LISTED, group_series

from adversarial import CASES, HUGE, Case, mail
from model_helpers import read_postings

def exercise(posting: Posting) -> str:
    """Ask the posting everything a rule or ``patchlint show`` may ask; return its JSON line."""
    posting.kind, posting.error, posting.date, posting.author, posting.commit_summary
    if posting.error is None:
        posting.hunk_problems, posting.shortlog, posting.changelog, posting.trailers
    line = json.dumps(posting.to_json(), ensure_ascii=False)
    line.encode("utf-8")  # what printing it does: a lone surrogate would raise here
    return line


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_hostile_input_is_read_and_checked_in_time(case: Case, engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "case.mbox"
    path.write_bytes(case.build())
    started = time.process_time()
    postings = read_postings(path)
    for posting in postings:
        exercise(posting)
    group_series(postings)
    report = engine.check([path])
    spent = time.process_time() - started
    assert report.messages == len(postings) >= 1
    internal = [v.format() for v in report.violations if "internal error" in v.message]
    assert internal == [], f"{case.what}: a rule failed on it"
    assert spent < case.budget, f"{case.what}: {spent:.2f} s of CPU"


def _one(case_name: str) -> Posting:
    case = next(c for c in CASES if c.name == case_name)
    return Posting(RawMessage("case.mbox", 0, case.build()))


# -- crashes in the model, one class each ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("charset-undefined", "unknown charset 'undefined'"),
        ("charset-nul", "unknown charset 'utf-8\\x00'"),
        ("charset-punycode", "unknown charset 'punycode'"),
        ("charset-idna", "unknown charset 'idna'"),
    ],
)
def test_a_charset_whose_codec_raises_is_a_stated_charset_error(name: str, reason: str) -> None:
    transport = _one(name).transport
    assert transport.charset_error == reason
    assert transport.decode_error == reason


def test_a_utf7_body_keeps_no_lone_surrogates() -> None:
    text = _one("body-utf7-surrogates").body_text
    assert "\ufffd" in text
    text.encode("utf-8")


@pytest.mark.parametrize(
    "name", ["subject-charset-undefined", "subject-broken-base64-word", "subject-8bit-charset-word"]
)
def test_an_encoded_word_that_cannot_be_decoded_is_kept_as_written(name: str) -> None:
    posting = _one(name)
    assert posting.subject.raw.startswith("=?")
    assert posting.kind is Kind.PATCH


def test_an_encoded_word_in_a_codec_that_makes_surrogates_is_kept_as_written() -> None:
    assert _one("subject-unicode-escape-word").subject.summary.endswith("=?unicode_escape?q?=5Cudcff?=")


def test_an_8bit_content_disposition_is_read() -> None:
    transport = _one("mime-8bit-disposition").transport
    assert transport.multipart and transport.decode_error is None
    assert len(transport.attachments) == 1 and transport.attachments[0].endswith(".patch")


def test_rfc2231_parameters_in_a_charset_that_raises_are_read() -> None:
    transport = _one("rfc2231-bad-charset").transport
    assert transport.multipart
    assert [part.attachment for part in transport.parts] == [False, True]


def test_mime_nested_beyond_the_parser_is_a_decode_error() -> None:
    transport = _one("mime-nested-1000").transport
    assert transport.multipart
    assert transport.decode_error == "MIME parts nested too deep to decode"


@pytest.mark.parametrize("digits", ["0", "7", "0042", "9" * 18, "9" * 19, HUGE])
def test_numbers_of_any_length_are_read(digits: str) -> None:
    expected = int(digits) if len(digits.lstrip("0")) <= 18 else NUMBER_CAP
    assert parse_number(digits) == expected
    assert parse_number(digits.encode()) == expected


def test_numbers_beyond_the_int_digit_limit_are_capped_everywhere() -> None:
    assert _one("version-huge").subject.version == NUMBER_CAP
    subject = _one("counter-huge").subject
    assert (subject.counter, subject.total, subject.total_text) == (NUMBER_CAP, NUMBER_CAP, HUGE)
    assert _one("diffstat-huge").diffstat.files == NUMBER_CAP
    assert _one("changelog-huge").changelog[0].version == NUMBER_CAP
    assert _one("shortlog-huge").shortlog.authors[0].count == NUMBER_CAP
    hunks = _one("hunk-huge")
    assert hunks.diff is not None and hunks.diff.suspect
    (problem,) = hunks.hunk_problems
    assert problem.kind == "truncated" and "999999999999999999 old" in problem.message
    assert len(problem.message) < 400


def test_a_huge_total_lists_a_bounded_number_of_missing_patches() -> None:
    (series,) = group_series([_one("total-huge")])
    assert series.missing_count == 10**12 - 1
    assert len(series.missing) == MISSING_LISTED and series.missing[:2] == (2, 3)
    assert not series.complete


@pytest.mark.parametrize("name", ["date-overflow", "date-huge"])
def test_a_date_out_of_range_is_no_date(name: str) -> None:
    assert _one(name).date is None


def test_a_long_reply_chain_listed_newest_first_is_one_series(tmp_path: Path) -> None:
    path = tmp_path / "chain.mbox"
    path.write_bytes(next(c for c in CASES if c.name == "reply-chain-newest-first").build())
    postings = read_postings(path)
    (series,) = group_series(postings)
    assert len(series.postings) == 3000


def test_a_reference_cycle_is_grouped_once() -> None:
    first = Posting(RawMessage("a", 0, mail("[PATCH 1/2] a", message_id="a@x",
                                            headers="In-Reply-To: <b@x>\n").encode()))
    second = Posting(RawMessage("a", 1, mail("[PATCH 2/2] b", message_id="b@x",
                                             headers="In-Reply-To: <a@x>\n").encode()))
    (series,) = group_series([first, second])
    assert [p.subject.counter for p in series.postings] == [1, 2]


@pytest.mark.parametrize("name", ["filename-not-utf8", "quoted-filename-not-utf8"])
def test_a_file_name_that_is_not_utf8_is_read(name: str) -> None:
    posting = _one(name)
    assert posting.diff is not None and posting.diff.error is None
    (change,) = posting.diff.files
    assert "\ufffd" in change.path or "\udcff" not in change.path
    exercise(posting)


@pytest.mark.parametrize("name", ["from-nested-comments", "from-nested-groups"])
def test_a_from_the_stdlib_cannot_parse_is_no_sender(name: str) -> None:
    posting = _one(name)
    assert posting.sender is None or "@" in posting.sender.email
    exercise(posting)


def test_thousands_of_unthreaded_patches_are_grouped_in_time() -> None:
    # One sender's "[PATCH 1/2]" and "[PATCH 2/2]", unthreaded, 8,000 times: each patch used to
    # be compared with every group before it (4,000 took 3.7 s, 16,000 a minute).
    postings = [
        Posting(RawMessage("flood.mbox", n, mail(f"[PATCH {1 + n % 2}/2] x", message_id=f"m{n}@x").encode()))
        for n in range(8000)
    ]
    for posting in postings:
        posting.kind, posting.date
    started = time.process_time()
    series = group_series(postings)
    assert time.process_time() - started < 2.0  # linear: a few tenths; quadratic: tens of seconds
    assert len(series) == 4000 and all(len(s.postings) == 2 for s in series)
