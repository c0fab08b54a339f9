"""Grouping postings into series: threading first, then markers for unthreaded patches."""

from __future__ import annotations

import pytest

from model_helpers import MODEL_DATA, SEEDS, SERIES_DIR, patch_mail, posting, read_postings
from patchlint.model.posting import Kind, Posting
from patchlint.model.series import Deliveries, Series, delivery_key, group_series

DAY = "Tue, 14 Nov 2023"


def _at(clock: str) -> str:
    return f"{DAY} {clock} +0100"


class Mailbox:
    """Builds postings in input order, as one archive (same source, rising index)."""

    def __init__(self) -> None:
        self.postings: list[Posting] = []

    def add(self, subject: str, message_id: str, **fields: object) -> Posting:
        if "0/" in subject.split("]")[0] or "GIT PULL" in subject:
            fields.setdefault("diff", "")
        mail = patch_mail(subject, message_id=message_id, **fields)  # type: ignore[arg-type]
        new = posting(mail, source="archive.mbox", index=len(self.postings))
        self.postings.append(new)
        return new


def _shape(series: list[Series]) -> list[tuple[int, str | None, dict[int, list[int]]]]:
    """Each series as (version, cover letter's message id, {counter: [input indexes]})."""
    return [
        (
            s.version,
            s.cover.message_id if s.cover else None,
            {n: [p.raw.index for p in ps] for n, ps in s.patches.items()},
        )
        for s in series
    ]


@pytest.fixture
def box() -> Mailbox:
    return Mailbox()


def test_threaded_series_from_a_format_patch_directory() -> None:
    postings = read_postings(SERIES_DIR)
    (series,) = group_series(postings)
    assert series.cover is postings[0]
    assert series.version == 2 and series.total == 3
    assert {n: [p.subject.counter for p in ps] for n, ps in series.patches.items()} == {
        1: [1], 2: [2], 3: [3],
    }
    assert series.missing == () and series.duplicates == ()
    assert series.complete is True
    assert series.label == "[PATCH v2 0/3] KVM: x86: Report invalid TSC frequencies as -EINVAL"
    assert series.anchor is series.cover


def test_threaded_series_with_replies_mixed_in(box: Mailbox) -> None:
    box.add("[PATCH 0/2] KVM: x86: TSC cleanups", "c@x", date=_at("10:00:00"))
    box.add("[PATCH 1/2] KVM: x86: one", "p1@x", in_reply_to="c@x", date=_at("10:00:01"))
    box.add("Re: [PATCH 1/2] KVM: x86: one", "r1@x", in_reply_to="p1@x",
            references=["c@x", "p1@x"], sender="Oskar Brandt <oskar.brandt@example.net>")
    box.add("[PATCH 2/2] KVM: x86: two", "p2@x", in_reply_to="c@x", date=_at("10:00:02"))
    (series,) = group_series(box.postings)
    assert [p.raw.index for p in series.postings] == [0, 1, 3]
    assert box.postings[2].kind is Kind.REPLY
    assert series.complete


def test_chain_reply_to_series(box: Mailbox) -> None:
    box.add("[PATCH 1/3] KVM: x86: one", "p1@x")
    box.add("[PATCH 2/3] KVM: x86: two", "p2@x", in_reply_to="p1@x")
    box.add("[PATCH 3/3] KVM: x86: three", "p3@x", in_reply_to="p2@x", references=["p1@x", "p2@x"])
    (series,) = group_series(box.postings)
    assert series.cover is None
    assert _shape([series]) == [(1, None, {1: [0], 2: [1], 3: [2]})]
    assert series.complete
    assert series.label == "[PATCH 1/3] KVM: x86: one"
    assert series.anchor is box.postings[0]


def test_chain_with_a_cover_letter(box: Mailbox) -> None:
    box.add("[PATCH v2 0/2] KVM: x86: cover", "c@x")
    box.add("[PATCH v2 1/2] KVM: x86: one", "p1@x", in_reply_to="c@x")
    box.add("[PATCH v2 2/2] KVM: x86: two", "p2@x", in_reply_to="p1@x", references=["c@x", "p1@x"])
    assert _shape(group_series(box.postings)) == [(2, "c@x", {1: [1], 2: [2]})]


def test_unthreaded_series_grouped_by_markers(box: Mailbox) -> None:
    box.add("[PATCH 0/3] KVM: x86: cover", "u0@x", date=_at("10:00:00"))
    box.add("[PATCH 1/3] KVM: x86: one", "u1@x", date=_at("10:00:01"))
    box.add("[PATCH 2/3] KVM: x86: two", "u2@x", date=_at("10:00:02"))
    box.add("[PATCH 3/3] KVM: x86: three", "u3@x", date=_at("10:00:03"))
    (series,) = group_series(box.postings)
    assert _shape([series]) == [(1, "u0@x", {1: [1], 2: [2], 3: [3]})]


def test_unthreaded_markers_must_all_agree(box: Mailbox) -> None:
    box.add("[PATCH 1/2] KVM: x86: one", "a1@x", date=_at("10:00:01"))
    box.add("[PATCH 2/2] KVM: x86: two", "a2@x", date=_at("10:00:02"))
    box.add("[PATCH 2/2] KVM: x86: other sender", "b2@x", date=_at("10:00:03"),
            sender="Oskar Brandt <oskar.brandt@example.net>")
    box.add("[PATCH v2 2/2] KVM: x86: other version", "c2@x", date=_at("10:00:04"))
    box.add("[PATCH 2/3] KVM: x86: other total", "d2@x", date=_at("10:00:05"))
    box.add("[RFC PATCH 2/2] KVM: x86: other words", "e2@x", date=_at("10:00:06"))
    box.add("[PATCH 2/2] KVM: x86: two hours later", "f2@x", date=f"{DAY} 12:00:07 +0100")
    shape = _shape(group_series(box.postings))
    assert shape[0] == (1, None, {1: [0], 2: [1]})
    assert [patches for _, _, patches in shape[1:]] == [{2: [n]} for n in range(2, 7)]


def test_unthreaded_patch_without_a_date_joins(box: Mailbox) -> None:
    box.add("[PATCH 1/2] KVM: x86: one", "a1@x", date=_at("10:00:01"))
    box.add("[PATCH 2/2] KVM: x86: two", "a2@x", date="not a date")
    assert _shape(group_series(box.postings)) == [(1, None, {1: [0], 2: [1]})]


def test_v1_and_v2_are_kept_apart(box: Mailbox) -> None:
    v1 = "Fri, 3 Nov 2023 09:15:12 +0100"
    box.add("[PATCH 0/2] KVM: x86: cover", "v1c@x", date=v1)
    box.add("[PATCH 1/2] KVM: x86: one", "v1p1@x", in_reply_to="v1c@x", date=v1)
    box.add("[PATCH 2/2] KVM: x86: two", "v1p2@x", in_reply_to="v1c@x", date=v1)
    # git send-email --in-reply-to=<v1 cover>: the v2 cover answers the v1 cover.
    box.add("[PATCH v2 0/2] KVM: x86: cover", "v2c@x", in_reply_to="v1c@x")
    box.add("[PATCH v2 1/2] KVM: x86: one", "v2p1@x", in_reply_to="v2c@x", references=["v1c@x", "v2c@x"])
    box.add("[PATCH v2 2/2] KVM: x86: two", "v2p2@x", in_reply_to="v2c@x", references=["v1c@x", "v2c@x"])
    assert _shape(group_series(box.postings)) == [
        (1, "v1c@x", {1: [1], 2: [2]}),
        (2, "v2c@x", {1: [4], 2: [5]}),
    ]


def test_v2_patches_chained_to_v1_patches_are_kept_apart(box: Mailbox) -> None:
    box.add("[PATCH 1/2] KVM: x86: one", "v1p1@x")
    box.add("[PATCH 2/2] KVM: x86: two", "v1p2@x", in_reply_to="v1p1@x")
    box.add("[PATCH v2 1/2] KVM: x86: one", "v2p1@x", in_reply_to="v1p1@x")
    box.add("[PATCH v2 2/2] KVM: x86: two", "v2p2@x", in_reply_to="v2p1@x", references=["v1p1@x", "v2p1@x"])
    assert _shape(group_series(box.postings)) == [
        (1, None, {1: [0], 2: [1]}),
        (2, None, {1: [2], 2: [3]}),
    ]


def test_missing_and_duplicate_counters(box: Mailbox) -> None:
    box.add("[PATCH v3 0/4] KVM: x86: cover", "c@x")
    box.add("[PATCH v3 1/4] KVM: x86: one", "p1@x", in_reply_to="c@x")
    box.add("[PATCH v3 3/4] KVM: x86: three", "p3@x", in_reply_to="c@x")
    box.add("[PATCH v3 3/4] KVM: x86: three, sent twice", "p3b@x", in_reply_to="c@x")
    (series,) = group_series(box.postings)
    assert series.total == 4
    assert series.missing == (2, 4)
    assert series.duplicates == (3,)
    assert series.complete is False
    assert [p.message_id for p in series.patches[3]] == ["p3@x", "p3b@x"]


def test_wrong_version_replying_to_a_v3_cover_stays_in_the_v3_series(box: Mailbox) -> None:
    box.add("[PATCH v3 0/2] KVM: x86: cover", "c3@x")
    box.add("[PATCH v2 1/2] KVM: x86: one (forgot -v3)", "p1@x", in_reply_to="c3@x")
    box.add("[PATCH v3 2/2] KVM: x86: two", "p2@x", in_reply_to="c3@x")
    (series,) = group_series(box.postings)
    assert series.version == 3
    assert _shape([series]) == [(3, "c3@x", {1: [1], 2: [2]})]


def test_patch_with_another_total_from_someone_else_does_not_join_a_cover(box: Mailbox) -> None:
    box.add("[PATCH 0/2] KVM: x86: cover", "c@x")
    box.add("[PATCH 1/2] KVM: x86: one", "p1@x", in_reply_to="c@x")
    box.add("[PATCH 2/5] KVM: x86: from another series", "q2@x", in_reply_to="c@x",
            sender="Oskar Brandt <oskar.brandt@example.net>")
    shape = _shape(group_series(box.postings))
    assert shape[0] == (1, "c@x", {1: [1]})
    assert shape[1][2] == {2: [2]}


def test_misnumbered_patch_from_the_sender_stays_in_the_series(box: Mailbox) -> None:
    box.add("[PATCH 0/2] KVM: x86: cover", "c@x")
    box.add("[PATCH 1/2] KVM: x86: one", "p1@x", in_reply_to="c@x")
    box.add("[PATCH 2/3] KVM: x86: two, numbered by hand", "p2@x", in_reply_to="c@x")
    (series,) = group_series(box.postings)
    assert series.total == 2 and list(series.patches) == [1, 2]


def test_single_patches_by_different_senders_are_separate(box: Mailbox) -> None:
    box.add("[PATCH] KVM: x86: one", "s1@x")
    box.add("[PATCH] KVM: x86: other", "s2@x", sender="Oskar Brandt <oskar.brandt@example.net>")
    series = group_series(box.postings)
    assert len(series) == 2
    assert all(s.total is None and s.missing == () and s.complete for s in series)
    assert [list(s.patches) for s in series] == [[1], [1]]


def test_pull_request_with_its_patches(box: Mailbox) -> None:
    box.add("[GIT PULL] KVM/arm64 fixes", "pull@x")
    box.add("[PATCH 1/2] KVM: arm64: one", "p1@x", in_reply_to="pull@x")
    box.add("[PATCH 2/2] KVM: arm64: two", "p2@x", in_reply_to="pull@x")
    box.add("[PATCH] KVM: arm64: not numbered", "p3@x", in_reply_to="pull@x")
    series = group_series(box.postings)
    assert series[0].cover is box.postings[0]
    assert series[0].cover.kind is Kind.PULL  # type: ignore[union-attr]
    assert list(series[0].patches) == [1, 2]
    assert [p.message_id for s in series[1:] for p in s.postings] == ["p3@x"]


def test_version_without_a_cover_is_the_most_common(box: Mailbox) -> None:
    box.add("[PATCH v4 1/3] KVM: x86: one", "p1@x")
    box.add("[PATCH v4 2/3] KVM: x86: two", "p2@x", in_reply_to="p1@x")
    box.add("[PATCH 3/3] KVM: x86: three", "p3@x", in_reply_to="p1@x")
    series = group_series(box.postings)
    assert series[0].version == 4


def test_replies_and_unparseable_messages_are_not_grouped(box: Mailbox) -> None:
    box.add("Re: [PATCH] KVM: x86: one", "r@x")
    broken = posting(b"", source="archive.mbox", index=1)
    assert group_series([*box.postings, broken]) == []


def test_reference_cycles_do_not_hang(box: Mailbox) -> None:
    box.add("[PATCH 1/2] KVM: x86: one", "p1@x", in_reply_to="p2@x")
    box.add("[PATCH 2/2] KVM: x86: two", "p2@x", in_reply_to="p1@x")
    series = group_series(box.postings)
    assert sorted(p.message_id for s in series for p in s.postings) == ["p1@x", "p2@x"]


def test_series_span_several_files() -> None:
    postings = read_postings(MODEL_DATA / "format-patch-stdout.mbox") + read_postings(SERIES_DIR)
    series = group_series(postings)
    assert [(s.version, s.total, len(s.postings)) for s in series] == [(1, 2, 3), (2, 3, 4)]
    assert [s.complete for s in series] == [True, True]


def test_seed_covers_are_series_of_their_own() -> None:
    series = group_series(read_postings(SEEDS))
    # 20 cover letters, the pull request with two of its patches, 5 lone patches.
    assert len(series) == 26
    pull = [s for s in series if s.cover is not None and s.cover.kind is Kind.PULL]
    assert len(pull) == 1
    assert pull[0].label == "[GIT PULL] KVM/arm64 fixes for 5.9"
    # Patch 1/9 comes before the pull request in the file and still joins it by threading.
    assert [p.raw.index for p in pull[0].postings] == [0, 3, 4]
    assert list(pull[0].patches) == [1, 2]
    assert pull[0].missing == tuple(range(3, 10))
    # Covers without their patches: everything is "missing", and that is not an error.
    riscv = next(s for s in series if s.cover and s.cover.subject.summary == "KVM RISC-V Support")
    assert (riscv.version, riscv.total, riscv.patches, riscv.complete) == (12, 17, {}, False)
    assert riscv.missing == tuple(range(1, 18))


def test_cover_and_patches_all_answering_an_earlier_mail_are_one_series(box: Mailbox) -> None:
    # git send-email --in-reply-to=<discussion> without threading the patches under the cover.
    box.add("[PATCH 0/2] KVM: x86: cover", "c@x", in_reply_to="discussion@x")
    box.add("[PATCH 1/2] KVM: x86: one", "p1@x", in_reply_to="discussion@x")
    box.add("[PATCH 2/2] KVM: x86: two", "p2@x", in_reply_to="discussion@x")
    (series,) = group_series(box.postings)
    assert series.cover is box.postings[0]
    assert list(series.patches) == [1, 2] and series.complete


# -- what the series model knows about threads, runs and deliveries ---------------------------


def test_the_same_mail_delivered_again_is_one_posting(box: Mailbox) -> None:
    """A relay's second copy (other Received: headers, a list's footer below the signature) is
    kept aside as a repeat, not counted as a second 1/2."""
    box.add("[PATCH 0/2] KVM: x86: cover", "c@x")
    first = box.add("[PATCH 1/2] KVM: x86: one", "p1@x", in_reply_to="c@x")
    copy = patch_mail("[PATCH 1/2] KVM: x86: one", message_id="p1@x", in_reply_to="c@x",
                      extra_headers="Received: from relay2.example.org by mx.example.org\n")
    copy = copy.rstrip("\n") + "\n\n_______________________________________________\nkvm mailing list\n"
    box.postings.insert(0, posting(copy.replace("From: ", "Received: by relay1\nFrom: ", 1), "archive.mbox", 9))
    box.add("[PATCH 2/2] KVM: x86: two", "p2@x", in_reply_to="c@x")
    (series,) = group_series(box.postings)
    assert series.duplicates == ()
    assert [p.raw.index for p in series.repeats] == [1]
    assert series.patches[1][0].raw.index == 9
    assert delivery_key(first) == delivery_key(box.postings[0])


def test_different_mails_sharing_a_message_id_stay_two(box: Mailbox) -> None:
    box.add("[PATCH v4] KVM: x86: one", "reused@x", date=_at("12:09:00"))
    box.add("[PATCH v4] KVM: x86: one", "reused@x", date=_at("14:38:42"))
    (series,) = group_series(box.postings)
    assert series.repeats == () and len(series.patches[1]) == 2


def test_deliveries_judge_each_mail_once() -> None:
    deliveries = Deliveries()
    one = posting(patch_mail("[PATCH] KVM: x86: one", message_id="d@x"))
    again = posting(patch_mail("[PATCH] KVM: x86: one", message_id="d@x"), index=1)
    edited = posting(patch_mail("[PATCH] KVM: x86: one", message_id="d@x", message="Other text.\n"), index=2)
    assert deliveries.repeat_of(one) is None
    assert deliveries.repeat_of(again) is one
    assert deliveries.repeat_of(edited) is None


def test_a_revised_patch_sent_a_day_later_to_the_cover_is_its_own_posting(box: Mailbox) -> None:
    box.add("[PATCH 0/2] KVM: x86: cover", "c@x", date=_at("10:21:05"))
    box.add("[PATCH 1/2] KVM: x86: one", "p1@x", in_reply_to="c@x", date=_at("10:21:06"))
    box.add("[PATCH 2/2] KVM: x86: two", "p2@x", in_reply_to="c@x", date=_at("10:21:07"))
    box.add("[PATCH v2 2/2] KVM: x86: two", "q2@x", in_reply_to="c@x", date="Wed, 15 Nov 2023 09:00:00 +0100")
    assert _shape(group_series(box.postings)) == [(1, "c@x", {1: [1], 2: [2]}), (2, None, {2: [3]})]


def test_several_series_in_one_send_email_run_are_kept_apart(box: Mailbox) -> None:
    """All mails of one run without a cover letter answer its first mail."""
    box.add("[PATCH 1/3] lapi: add the header", "r-1@x")
    box.add("[PATCH 2/3] syscalls/a01: use it", "r-2@x", in_reply_to="r-1@x")
    box.add("[PATCH 3/3] syscalls/a02: use it", "r-3@x", in_reply_to="r-1@x")
    box.add("[PATCH 1/2] syscalls/b01: new test", "r-4@x", in_reply_to="r-1@x")
    box.add("[PATCH 2/2] syscalls/b02: new test", "r-5@x", in_reply_to="r-1@x")
    box.add("[PATCH 1/2] syscalls/c01: convert", "r-6@x", in_reply_to="r-1@x")
    box.add("[PATCH 2/2] syscalls/c02: convert", "r-7@x", in_reply_to="r-1@x")
    shapes = _shape(group_series(box.postings))
    assert [s[2] for s in shapes] == [{1: [0], 2: [1], 3: [2]}, {1: [3], 2: [4]}, {1: [5], 2: [6]}]


def test_a_patch_sent_twice_stays_a_duplicate(box: Mailbox) -> None:
    box.add("[PATCH 1/2] KVM: x86: one", "t-1@x")
    box.add("[PATCH 1/2] KVM: x86: one", "t-2@x", in_reply_to="t-1@x")
    box.add("[PATCH 2/2] KVM: x86: two", "t-3@x", in_reply_to="t-1@x")
    (series,) = group_series(box.postings)
    assert series.duplicates == (1,)


@pytest.mark.parametrize(
    ("parents", "chained"),
    [
        pytest.param({2: "p1", 3: "p2"}, (2, 3), id="chain"),
        pytest.param({2: "c", 3: "p2"}, (), id="second-run"),  # 3 answers the first of its run
        pytest.param({2: "p1", 3: "c"}, (), id="one-link-by-hand"),
    ],
)
def test_a_chain_takes_two_links_in_a_row(box: Mailbox, parents: dict[int, str], chained: tuple[int, ...]) -> None:
    box.add("[PATCH 0/3] KVM: x86: cover", "c")
    box.add("[PATCH 1/3] KVM: x86: one", "p1", in_reply_to="c")
    box.add("[PATCH 2/3] KVM: x86: two", "p2", in_reply_to=parents[2])
    box.add("[PATCH 3/3] KVM: x86: three", "p3", in_reply_to=parents[3])
    (series,) = group_series(box.postings)
    assert series.chained == chained


def test_sent_without_cover(box: Mailbox) -> None:
    box.add("[PATCH 1/2] KVM: x86: one", "n-1@x")
    box.add("[PATCH 2/2] KVM: x86: two", "n-2@x", in_reply_to="n-1@x")
    box.add("[PATCH 1/2] KVM: x86: one", "m-1@x", in_reply_to="elsewhere@x", date=_at("16:00:00"))
    first, second = group_series(box.postings)
    assert first.sent_without_cover is True
    assert second.sent_without_cover is False  # it answers a mail not in the input: unknown


def test_a_patch_of_one_send_email_run_whose_prefix_lost_the_version_stays_in_the_series(box: Mailbox) -> None:
    """'[PATCH nft 2/2]' answering '[PATCH,v2 nft 1/2]', both from one git send-email run (the
    Message-IDs differ only in the counter): one series, whose 2/2 says the wrong version
    (series-prefix-mismatch's to report), not two series each missing a patch."""
    box.add("[PATCH,v2 nft 1/2] evaluate: skip the conversion", "20240208125447.272965-1-ada@example.org")
    box.add("[PATCH nft 2/2] netlink: add an assertion", "20240208125447.272965-2-ada@example.org",
            in_reply_to="20240208125447.272965-1-ada@example.org")
    assert _shape(group_series(box.postings)) == [(2, None, {1: [0], 2: [1]})]


def test_patches_of_two_send_email_runs_with_two_versions_stay_apart(box: Mailbox) -> None:
    """A v1 2/2 sent again later (another run) in answer to the v2 1/2 is not of that series."""
    box.add("[PATCH v2 1/2] evaluate: skip the conversion", "20240208125447.272965-1-ada@example.org")
    box.add("[PATCH 2/2] netlink: add an assertion", "20240208125512.273001-1-ada@example.org",
            in_reply_to="20240208125447.272965-1-ada@example.org")
    assert _shape(group_series(box.postings)) == [(2, None, {1: [0]}), (1, None, {2: [1]})]
