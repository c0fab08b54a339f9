"""The readers: mbox (mboxo/mboxrd, format-patch files), Maildir, directories, patchwork exports,
single messages and standard input, reached through ``sources.read_path`` as the engine does."""

from __future__ import annotations

import io
import shutil
import sys
import types
from collections import Counter
from pathlib import Path

import pytest

from model_helpers import MODEL_DATA, SEEDS, SERIES_DIR, hook, patch_mail, read, read_postings
from patchlint.model.message import RawMessage
from patchlint.model.posting import Posting
from patchlint.readers import mbox, patchwork, single
from patchlint.readers.mbox import is_separator, split_messages, split_stream
from patchlint.readers.source import Source, read_path, read_source

SERIES_V2 = SERIES_DIR


def _lines(text: str) -> list[bytes]:
    return io.BytesIO(text.encode()).readlines()


def _body_lines(raw: RawMessage) -> list[str]:
    return Posting(raw).body.lines  # type: ignore[return-value]


def _stream_source(stream: io.BytesIO, name: str = "<stream>") -> Source:
    """A Source over an in-memory stream, as standard input is one (no path, opened once)."""
    return Source(
        name=name,
        path=None,
        is_dir=False,
        head=stream.getvalue()[:8192],
        opener=lambda: stream,
        nested=lambda member: read_path(hook(), member),
    )


# -- mbox separators and quoting ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(b"From 8ca7f9e130986d1b84b704e1eea63a05af4ef7f9 Mon Sep 17 00:00:00 2001\n", True,
                     id="format-patch"),
        pytest.param(b"From mboxrd@z Thu Jan  1 00:00:00 1970\n", True, id="lore-mboxrd"),
        pytest.param(b"From patchwork Tue Apr 21 07:53:26 2020\n", True, id="patchwork"),
        pytest.param(b"From borntraeger@example.com Mon Nov 13 16:05:48 2023\n", True, id="mutt"),
        pytest.param(b"From the caller's point of view it never does\n", False, id="prose-no-time"),
        pytest.param(b">From mboxrd@z Thu Jan  1 00:00:00 1970\n", False, id="quoted"),
        pytest.param(b"From: Jonas Petersen <jonas.petersen@example.de>\n", False, id="header"),
    ],
)
def test_is_separator(line: bytes, expected: bool) -> None:
    assert is_separator(line) is expected


def test_mboxrd_is_chosen_by_the_first_separator_and_unquotes_one_level() -> None:
    raws = read(MODEL_DATA / "lore-thread.mboxrd")
    assert [raw.line for raw in raws] == [2, 51, 78]
    assert [raw.error for raw in raws] == [None, None, None]
    patch, reply, answer = (_body_lines(raw) for raw in raws)
    # ">From" in the archive was "From" in the mail ...
    assert "From the caller's point of view it never does: every allocation on this" in patch
    assert not any(line.startswith(">From") for line in patch)
    # ... and ">>From" was ">From" (a reply quoting without a space).
    assert ">From the caller's point of view it never does: every allocation on this" in reply
    assert ">path uses GFP_ATOMIC.  Say so." in reply
    # Quoted lines that are not "From " lines are left alone.
    assert ">> From the caller's point of view it never does: every allocation on this" in answer


def test_mboxo_unquotes_only_a_single_quote() -> None:
    raws = read(MODEL_DATA / "mutt-saved.mboxo")
    assert [raw.line for raw in raws] == [2, 18]
    patch, reply = (_body_lines(raw) for raw in raws)
    assert "From the caller's point of view it never does: every allocation on this" in patch
    # mboxo never quoted the ">From" of the reply, so it must stay as written.
    assert ">>From the caller's point of view it never does: every allocation on this" in reply


def test_mboxrd_quoting_levels_inline() -> None:
    text = (
        "From mboxrd@z Thu Jan  1 00:00:00 1970\n"
        "From: A <a@example.org>\nSubject: x\n\n"
        ">From one\n>>From two\n>>>From three\n> From spaced\n>Fromage\n"
    )
    ((line, data),) = split_messages(_lines(text))
    assert line == 2
    assert data.decode().split("\n\n", 1)[1].splitlines() == [
        "From one", ">From two", ">>From three", "> From spaced", ">Fromage",
    ]


def test_mboxo_quoting_inline() -> None:
    text = (
        "From a@example.org Mon Nov 13 15:42:10 2023\n"
        "From: A <a@example.org>\nSubject: x\n\n"
        ">From one\n>>From two\n"
    )
    ((_, data),) = split_messages(_lines(text))
    assert data.decode().split("\n\n", 1)[1].splitlines() == ["From one", ">>From two"]


def test_later_mboxrd_separators_do_not_switch_an_mboxo_file() -> None:
    text = (
        "From MAILER-DAEMON Mon Nov 13 15:42:10 2023\nFrom: A <a@x>\nSubject: one\n\n>>From x\n\n"
        "From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: B <b@x>\nSubject: two\n\n>>From y\n"
    )
    bodies = [data.split(b"\n\n", 1)[1] for _, data in split_messages(_lines(text))]
    assert bodies == [b">>From x\n", b">>From y\n"]


def test_from_line_not_after_a_blank_line_is_body_text() -> None:
    raws = read(MODEL_DATA / "format-patch-stdout.mbox")
    assert len(raws) == 3
    assert [raw.line for raw in raws] == [2, 20, 56]
    subjects = [Posting(raw).subject.raw for raw in raws]
    assert subjects == [
        "[PATCH 0/2] KVM: x86: TSC frequency cleanups",
        "[PATCH 1/2] KVM: x86: Mark tsc_tolerance_ppm __read_mostly",
        "[PATCH 2/2] KVM: x86: Reword the TSC calibration comment",
    ]
    body = _body_lines(raws[1])
    assert "From 10:00:01 to 10:00:05 the variable was read 48210 times and written" in body
    assert "never." in body


def test_blank_line_before_a_separator_belongs_to_the_mbox() -> None:
    text = (
        "From a@x Mon Nov 13 15:42:10 2023\nFrom: A <a@x>\nSubject: one\n\nbody one\n\n"
        "From b@x Mon Nov 13 15:43:10 2023\nFrom: B <b@x>\nSubject: two\n\nbody two\n"
    )
    messages = list(split_messages(_lines(text)))
    assert messages == [
        (2, b"From: A <a@x>\nSubject: one\n\nbody one\n"),
        (8, b"From: B <b@x>\nSubject: two\n\nbody two\n"),
    ]


def test_crlf_mbox_is_split_with_line_numbers() -> None:
    text = (
        "From a@x Mon Nov 13 15:42:10 2023\r\nFrom: A <a@x>\r\nSubject: one\r\n\r\nbody\r\n\r\n"
        "From b@x Mon Nov 13 15:43:10 2023\r\nFrom: B <b@x>\r\nSubject: two\r\n\r\nbody\r\n"
    )
    messages = list(split_messages(io.BytesIO(text.encode())))
    assert [line for line, _ in messages] == [2, 8]
    assert messages[0][1] == b"From: A <a@x>\r\nSubject: one\r\n\r\nbody\r\n"


def test_line_numbers_point_at_the_headers_in_the_file() -> None:
    path = MODEL_DATA / "lore-thread.mboxrd"
    file_lines = path.read_text().splitlines()
    for raw in read(path):
        posting = Posting(raw)
        subject_line = raw.source_line(posting.line_of_header("Subject"))
        assert file_lines[subject_line - 1].startswith("Subject: ")
        assert posting.subject.raw in file_lines[subject_line - 1]
        sob = [i for i, line in enumerate(posting.body.lines) if line.startswith("Reviewed-by")]
        for index in sob:
            assert file_lines[raw.source_line(posting.line(index)) - 1] == posting.body.lines[index]


# -- streaming ---------------------------------------------------------------------------------


class ChunkCountingStream(io.BytesIO):
    """A stream that counts the bytes handed out and refuses to hand out the whole file at once."""

    def __init__(self, data: bytes, limit: int) -> None:
        super().__init__(data)
        self.bytes_read = 0
        self.limit = limit

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > self.limit:
            raise AssertionError("the mbox reader must read in bounded chunks, not the whole file")
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_split_stream_reads_one_chunk_at_a_time() -> None:
    data = (MODEL_DATA / "format-patch-stdout.mbox").read_bytes()
    stream = ChunkCountingStream(data, limit=256)
    messages = split_stream(stream, chunk=256)
    assert isinstance(messages, types.GeneratorType)
    assert stream.bytes_read == 0  # nothing is read before the first message is asked for
    line, first = next(messages)
    assert line == 2
    assert stream.bytes_read < len(data)  # the rest of the file is still unread
    rest = list(messages)
    assert len(rest) == 2
    assert stream.bytes_read == len(data)
    # Chunked splitting gives exactly what line-by-line splitting gives.
    assert [(line, first), *rest] == list(split_messages(io.BytesIO(data)))


@pytest.mark.parametrize("chunk", [1, 7, 64, 4096], ids=lambda c: f"chunk-{c}")
@pytest.mark.parametrize("name", ["lore-thread.mboxrd", "mutt-saved.mboxo", "format-patch-stdout.mbox"])
def test_split_stream_agrees_with_line_splitting(name: str, chunk: int) -> None:
    data = (MODEL_DATA / name).read_bytes()
    assert list(split_stream(io.BytesIO(data), chunk=chunk)) == list(split_messages(io.BytesIO(data)))


def test_the_hook_hands_back_a_lazy_iterator() -> None:
    data = (MODEL_DATA / "lore-thread.mboxrd").read_bytes()
    stream = ChunkCountingStream(data, limit=1 << 20)
    messages = hook().patchlint_read_source(source=_stream_source(stream))
    assert isinstance(messages, types.GeneratorType)
    assert stream.bytes_read == 0
    assert next(messages).line == 2


def test_a_reader_failing_midway_keeps_what_it_read_and_says_why() -> None:
    data = (MODEL_DATA / "format-patch-stdout.mbox").read_bytes()
    second = data.index(b"\nFrom 8ca7f9e1") + 1

    class Breaks(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            if self.tell() >= second:
                raise OSError(5, "Input/output error")
            return super().read(min(size if size and size > 0 else second, second - self.tell()))

    raws = list(read_source(hook(), _stream_source(Breaks(data), "archive.mbox")))
    # The cover letter came out whole; patch 1 was still being read when the disk failed.
    assert len(raws) == 2
    assert raws[0].error is None
    assert Posting(raws[0]).subject.counter == 0
    assert (raws[1].source, raws[1].index) == ("archive.mbox", 1)
    assert raws[1].error is not None
    assert raws[1].error.startswith("reading stopped after 1 message:")
    assert "Input/output error" in raws[1].error
    assert str(Posting(raws[1]).kind) == "unparseable"


# -- single messages and format-patch files ---------------------------------------------------


def test_format_patch_file_is_one_message_starting_on_line_2() -> None:
    path = next(SERIES_V2.glob("v2-0001-*.patch"))
    (raw,) = read(path)
    assert raw.source == str(path)
    assert (raw.index, raw.line, raw.error) == (0, 2, None)
    assert raw.data.startswith(b"Message-Id: <c6046785cec252f923bbf1bc057c42cad02d5393.")


def test_single_message_file_with_leading_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "forwarded.eml"
    path.write_bytes(b"\n\n" + (MODEL_DATA / "pull-request.eml").read_bytes())
    (raw,) = read(path)
    assert raw.error is None
    assert raw.line == 3
    assert raw.data.startswith(b"From: Mara Lindqvist")
    assert raw.source_line(Posting(raw).line_of_header("Subject")) == 6


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param(b"From: A <a@x>\nSubject: s\n\nbody", True, id="mail"),
        pytest.param(b"Received: from x\n\tby y\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\n", True,
                     id="received-first"),
        pytest.param(b"\r\nMessage-ID: <a@b>\r\n\r\n", True, id="crlf-leading-blank"),
        pytest.param(b"select: [PL1]\nignore:\n  - PL201\n", False, id="yaml-config"),
        pytest.param(b"name: ci\non:\n  push:\n", False, id="yaml-workflow"),
        pytest.param(b"#!/bin/sh\necho From: nobody\n", False, id="shell-script"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", False, id="png"),
    ],
)
def test_single_reader_sniffs_content(head: bytes, expected: bool) -> None:
    assert single.looks_like_message(head) is expected


# -- errors: nothing is dropped ----------------------------------------------------------------


def test_missing_path_gives_an_error_message() -> None:
    (raw,) = read("/nonexistent/patchlint/archive.mbox")
    assert raw.source == "/nonexistent/patchlint/archive.mbox"
    assert raw.error == "cannot read: No such file or directory"
    assert Posting(raw).kind.value == "unparseable"


def test_path_below_a_file_gives_an_error_message(tmp_path: Path) -> None:
    (tmp_path / "file.patch").write_text("x")
    (raw,) = read(tmp_path / "file.patch" / "child")
    assert raw.error == "cannot read: Not a directory"


def test_unreadable_file_gives_an_error_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.mbox"
    path.write_bytes(b"From a@x Mon Nov 13 15:42:10 2023\n")
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object):  # root ignores chmod 000
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    (raw,) = read(path)
    assert raw.error == "cannot read: Permission denied"
    assert raw.source == str(path)


def test_empty_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "empty.patch").write_bytes(b"")
    (raw,) = read(tmp_path / "empty.patch")
    assert raw.error == "unparseable: empty file, no message in it"
    assert Posting(raw).kind.value == "unparseable"


def test_yaml_file_is_not_taken_for_mail(tmp_path: Path) -> None:
    path = tmp_path / "patchlint.yaml"
    path.write_text("extends: kernel\nselect: [PL1, PL3]\nrules:\n  subject-too-long:\n    max: 75\n")
    (raw,) = read(path)
    assert raw.error is not None
    assert raw.error.startswith("unparseable: not a mail message or archive")
    assert "extends: kernel" in raw.error


# -- directories -------------------------------------------------------------------------------


def test_format_patch_directory_in_name_order() -> None:
    raws = read(SERIES_V2)
    names = [Path(raw.source).name for raw in raws]
    assert names == sorted(path.name for path in SERIES_V2.iterdir())
    assert names[0] == "v2-0000-cover-letter.patch"
    assert [raw.line for raw in raws] == [2, 2, 2, 2]
    assert [raw.error for raw in raws] == [None] * 4


@pytest.fixture
def mixed_tree(tmp_path: Path) -> Path:
    """A directory as a developer's outgoing folder looks: patches, a subfolder with an mbox,
    a Maildir, hidden entries, a note, an empty file and an image."""
    root = tmp_path / "outgoing"
    shutil.copytree(SERIES_V2, root / "b-series")
    (root / "a-notes.txt").write_text("Remember to Cc the stable list.\n")
    (root / "c-empty.patch").write_bytes(b"")
    (root / "d-logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    shutil.copy(MODEL_DATA / "pull-request.eml", root / "e-pull.eml")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/master\n")
    (root / ".0001-draft.patch.swp").write_bytes(b"From: me\nSubject: [PATCH] draft\n\n")
    (root / "a-archive").mkdir()
    shutil.copy(MODEL_DATA / "mutt-saved.mboxo", root / "a-archive" / "inbox")
    maildir = root / "z-maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    shutil.copy(MODEL_DATA / "crlf.eml", maildir / "cur" / "1700726504.M1P2.host:2,S")
    return root


def test_directory_reads_recursively_files_first_and_skips_hidden(mixed_tree: Path) -> None:
    raws = read(mixed_tree)
    where = [str(Path(raw.source).relative_to(mixed_tree)) for raw in raws]
    assert where == [
        "a-notes.txt",
        "c-empty.patch",
        "d-logo.png",
        "e-pull.eml",
        "a-archive/inbox",
        "a-archive/inbox",
        "b-series/v2-0000-cover-letter.patch",
        "b-series/v2-0001-KVM-x86-Return-EINVAL-when-the-TSC-frequency-cann.patch",
        "b-series/v2-0002-KVM-x86-Move-the-LAPIC-timer-helpers-to-lapic_tim.patch",
        "b-series/v2-0003-KVM-selftests-Add-a-test-for-invalid-KVM_SET_TSC_.patch",
        "z-maildir/cur/1700726504.M1P2.host:2,S",
    ]
    assert not any(".git" in path or ".swp" in path for path in where)


def test_directory_reports_files_that_are_not_mail(mixed_tree: Path) -> None:
    errors = {Path(raw.source).name: raw.error for raw in read(mixed_tree) if raw.error}
    assert set(errors) == {"a-notes.txt", "c-empty.patch", "d-logo.png"}
    assert errors["c-empty.patch"] == "unparseable: empty file, no message in it"
    assert errors["a-notes.txt"].startswith("unparseable: not a mail message or archive")
    assert "Remember to Cc" in errors["a-notes.txt"]


def test_directory_kinds(mixed_tree: Path) -> None:
    kinds = Counter(str(Posting(raw).kind) for raw in read(mixed_tree))
    assert kinds == {"unparseable": 3, "pull-request": 1, "patch": 5, "reply": 1, "cover": 1}


def test_readers_are_asked_directory_kinds_first_and_single_message_last() -> None:
    hookimpls = hook().patchlint_read_source.get_hookimpls()
    asked = [
        impl.plugin_name.rsplit(".", 1)[-1]
        for impl in reversed(hookimpls)
        if impl.plugin_name.startswith("patchlint.builtin.")
    ]
    assert asked == ["maildir", "publicinbox", "directory", "patchwork", "mbox", "single"]


def test_empty_directory_yields_nothing(tmp_path: Path) -> None:
    assert read(tmp_path) == []


# -- Maildir -----------------------------------------------------------------------------------


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    root = tmp_path / "Mail" / "kvm"
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    series = sorted(SERIES_V2.iterdir())
    # Delivery order is name order: new/ and cur/ interleave.
    shutil.copy(series[0], root / "cur" / "1699953664.M100P7.host:2,S")
    shutil.copy(series[1], root / "new" / "1699953665.M101P7.host")
    shutil.copy(series[2], root / "cur" / "1699953666.M102P7.host:2,RS")
    shutil.copy(series[3], root / "new" / "1699953667.M103P7.host")
    (root / "tmp" / "1699953668.M104P7.host").write_text("From: half delivered\n")
    (root / "cur" / ".hidden").write_text("From: nobody\nSubject: hidden\n\n")
    (root / "cur" / "subfolder").mkdir()
    return root


def test_maildir_reads_new_and_cur_in_name_order_and_ignores_tmp(maildir: Path) -> None:
    raws = read(maildir)
    assert [Path(raw.source).name for raw in raws] == [
        "1699953664.M100P7.host:2,S",
        "1699953665.M101P7.host",
        "1699953666.M102P7.host:2,RS",
        "1699953667.M103P7.host",
    ]
    assert [Posting(raw).subject.counter for raw in raws] == [0, 1, 2, 3]
    # Maildir files are whole messages: the format-patch "From <sha>" line is kept as data.
    assert all(raw.line == 1 and raw.index == 0 and raw.error is None for raw in raws)


def test_maildir_inside_a_directory(tmp_path: Path, maildir: Path) -> None:
    raws = read(tmp_path)
    assert len(raws) == 4
    assert all("/Mail/kvm/" in raw.source for raw in raws)


# -- standard input ----------------------------------------------------------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_mbox(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, (MODEL_DATA / "format-patch-stdout.mbox").read_bytes())
    raws = list(read_path(hook(), "-"))
    assert [(raw.source, raw.index, raw.line) for raw in raws] == [
        ("<stdin>", 0, 2), ("<stdin>", 1, 20), ("<stdin>", 2, 56),
    ]
    assert Posting(raws[2]).subject.counter == 2


def test_stdin_single_message(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, (MODEL_DATA / "crlf.eml").read_bytes())
    (raw,) = read_path(hook(), "-")
    assert raw.source == "<stdin>" and raw.error is None
    assert Posting(raw).subject.version == 3


def test_stdin_longer_than_the_sniffed_head(monkeypatch: pytest.MonkeyPatch) -> None:
    mails = [
        patch_mail(f"[PATCH {n}/40] KVM: x86: step {n}", message_id=f"{n}@example.org")
        for n in range(1, 41)
    ]
    data = "\n".join(mails).encode()
    assert len(data) > 8192
    _stdin(monkeypatch, data)
    raws = list(read_path(hook(), "-"))
    assert [Posting(raw).subject.counter for raw in raws] == list(range(1, 41))


def test_empty_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"")
    (raw,) = read_path(hook(), "-")
    assert raw.source == "<stdin>"
    assert raw.error == "unparseable: empty file, no message in it"


# -- patchwork exports (the kvm seeds) ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed_postings() -> list[Posting]:
    return read_postings(SEEDS)


def test_seeds_are_patchwork_exports() -> None:
    for path in sorted(SEEDS.iterdir()):
        head = path.read_bytes()[:8192]
        assert patchwork.looks_like_export(head), path.name
        assert not mbox.looks_like_mbox(head)
        assert not single.looks_like_message(head)


def test_seeds_hold_28_messages(seed_postings: list[Posting]) -> None:
    assert len(seed_postings) == 28
    assert all(p.error is None for p in seed_postings)
    per_file = Counter(Path(p.raw.source).name for p in seed_postings)
    assert per_file == {
        "000_d541a564aa245327.txt": 5,
        "001_7ba16add5f7a7ca8.txt": 4,
        "002_5641c758d10ec94f.txt": 3,
        "003_ac23d1e01071424b.txt": 8,
        "004_271b2fddaf384f67.txt": 8,
    }


def test_seed_kinds(seed_postings: list[Posting]) -> None:
    kinds = Counter(str(p.kind) for p in seed_postings)
    assert kinds == {"cover": 20, "patch": 7, "pull-request": 1}


@pytest.mark.parametrize(
    ("name", "index", "line", "subject_line", "subject"),
    [
        pytest.param("000_d541a564aa245327.txt", 0, 8, 49,
                     "[RFC PATCH v11 0/9] Enable ptp_kvm for arm64", id="000-first"),
        pytest.param("002_5641c758d10ec94f.txt", 2, 410, 476,
                     "[Patch v3 0/2] cgroup: KVM: New Encryption IDs cgroup controller",
                     id="002-Patch-capitalised"),
        pytest.param("003_ac23d1e01071424b.txt", 3, 369, 434,
                     "[RFC PATCH v8 00/19] virtio/vsock: introduce SOCK_SEQPACKET support",
                     id="003-rfc-v8"),
        pytest.param("004_271b2fddaf384f67.txt", 0, 5, 64,
                     "[PATCH 1/9] KVM: arm64: pvtime: steal-time is only supported when configured",
                     id="004-block-without-separator"),
        pytest.param("004_271b2fddaf384f67.txt", 3, 351, 410, "[GIT PULL] KVM/arm64 fixes for 5.9",
                     id="004-git-pull"),
        pytest.param("004_271b2fddaf384f67.txt", 4, 489, 548,
                     "[PATCH 2/9] KVM: arm64: pvtime: Fix potential loss of stolen time",
                     id="004-second-in-pull-block"),
    ],
)
def test_seed_subjects_and_lines(
    seed_postings: list[Posting], name: str, index: int, line: int, subject_line: int, subject: str
) -> None:
    (posting,) = [
        p for p in seed_postings if Path(p.raw.source).name == name and p.raw.index == index
    ]
    assert posting.raw.line == line
    assert posting.subject.raw == subject
    assert posting.raw.source_line(posting.line_of_header("Subject")) == subject_line
    file_lines = (SEEDS / name).read_text().splitlines()
    assert file_lines[subject_line - 1].startswith("Subject: ")


def test_git_pull_block_yields_two_messages() -> None:
    raws = read(SEEDS / "004_271b2fddaf384f67.txt")
    pull = [Posting(raw) for raw in raws if 347 < raw.line < 584]  # the "#### [GIT PULL]" block
    assert [str(p.kind) for p in pull] == ["pull-request", "patch"]
    assert [p.raw.index for p in pull] == [3, 4]
    assert pull[1].in_reply_to == pull[0].message_id == "20200904104530.1082676-1-maz@kernel.org"
    assert pull[0].body.lines[-1] != "From patchwork Fri Sep  4 10:45:23 2020"


def test_patchwork_fenced_block_can_be_unterminated(tmp_path: Path) -> None:
    mail = (MODEL_DATA / "pull-request.eml").read_text()
    path = tmp_path / "export.md"
    path.write_text(
        "#### [GIT PULL] KVM: x86: TSC fixes for 6.7-rc3\n"
        "##### From: Mara Lindqvist <mara.lindqvist@example.org>\n\n"
        "```c\nFrom patchwork Fri Nov 24 16:30:12 2023\n" + mail
    )
    (raw,) = read(path)
    assert raw.line == 6
    assert str(Posting(raw).kind) == "pull-request"
