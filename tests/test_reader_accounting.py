"""Nothing a reader is given vanishes, loops or blocks: every message read is accounted for.

Symbolic link loops are reported once; dangling links, named pipes, sockets found in a folder
are reported without being opened; what a file holds decides how it is read (never its
suffix); an mbox that starts with a blank line or a byte-order mark, empty messages, a mail
with more header than the readers sniff, Maildir++ subfolders and a patchwork export whose mail
holds a fence are all read. The accounting invariant is checked on every fixture of the
repository: a folder read as a whole yields exactly the messages of its files read one by one.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from patchlint.engine import Engine
from patchlint.model.posting import Kind, Posting

from adversarial import mail
from model_helpers import read
from paths import EXAMPLES, ROOT, RULE_EXAMPLES, TESTS

PATCH = mail()
COVER = mail("[PATCH 0/1] KVM: x86: assert the vCPU mutex", diff="", message_id="cover@example.org")


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail, rather than hang, a test whose reader would block on a pipe."""
    def expire(signum, frame):  # noqa: ANN001 - signal handler signature
        raise TimeoutError("a reader blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def errors(raws) -> list[str]:
    return [raw.error for raw in raws if raw.error]


# -- links, loops and special files -----------------------------------------------------------


def test_a_symbolic_link_loop_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "0001-fix.patch").write_text(PATCH)
    (tmp_path / "loop").symlink_to(".")
    raws = read(tmp_path)
    assert [raw.error is None for raw in raws] == [True, False]
    assert "symbolic link loop" in raws[1].error and raws[1].source.endswith("loop")


def test_two_loops_into_each_other_end(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "to-b").symlink_to("../b")
    (tmp_path / "b" / "to-a").symlink_to("../a")
    (tmp_path / "b" / "0001-fix.patch").write_text(PATCH)
    raws = read(tmp_path)
    good = [raw for raw in raws if raw.error is None]
    # The patch is reached through a/to-b and through b: two paths, each read once.
    assert len(good) == 2
    assert all("symbolic link loop" in error for error in errors(raws))
    assert len(raws) == 4


def test_a_dangling_symbolic_link_says_where_it_points(tmp_path: Path) -> None:
    (tmp_path / "0001-fix.patch").symlink_to("gone.patch")
    (raw,) = read(tmp_path)
    assert raw.error == "unparseable: a symbolic link to gone.patch, which does not exist"


def test_a_named_pipe_in_a_folder_is_reported_and_not_opened(tmp_path: Path, deadline: None) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "0001-fix.patch").write_text(PATCH)
    raws = read(tmp_path)
    assert errors(raws) == ["unparseable: a named pipe (FIFO), not a file: not read"]
    assert len(raws) == 2


def test_a_socket_in_a_folder_is_reported(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "sock"))
        assert errors(read(tmp_path)) == ["unparseable: a socket, not a file: not read"]
    finally:
        server.close()


def test_a_named_pipe_given_by_name_is_read_as_a_stream(tmp_path: Path, deadline: None) -> None:
    fifo = tmp_path / "patches"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(COVER + "\n" + PATCH))
    writer.start()
    raws = read(fifo)
    writer.join()
    assert [Posting(raw).kind for raw in raws] == [Kind.COVER, Kind.PATCH]


# -- content decides, not the suffix -------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".md", ".json", ".yaml", ".py", ".txt", ""])
def test_mail_is_read_whatever_the_file_is_called(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"saved{suffix}"
    path.write_text(PATCH)
    (raw,) = read(path)
    assert Posting(raw).kind is Kind.PATCH


def test_a_file_that_is_not_mail_is_reported(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("select: [PL1]\nignore: [PL102]\n")
    (raw,) = read(tmp_path)
    assert raw.error.startswith("unparseable: not a mail message or archive")


# -- mbox and single messages ----------------------------------------------------------------------


@pytest.mark.parametrize("lead", [b"\n", b"\n\n  \n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"], ids=repr)
def test_an_mbox_may_start_with_blank_lines_or_a_byte_order_mark(tmp_path: Path, lead: bytes) -> None:
    path = tmp_path / "series.mbox"
    path.write_bytes(lead + (COVER + "\n" + PATCH).encode())
    raws = read(path)
    assert [Posting(raw).kind for raw in raws] == [Kind.COVER, Kind.PATCH]
    first = path.read_bytes().split(b"\n").index(b"From: Mara Lindqvist <mara.lindqvist@example.org>") + 1
    assert raws[0].line == first


def test_each_empty_message_is_reported(tmp_path: Path) -> None:
    separator = "From mboxrd@z Thu Jan  1 00:00:00 1970\n"
    path = tmp_path / "archive.mbox"
    path.write_text(separator + "\n" + separator + PATCH.split("\n", 1)[1] + "\n" + separator + "\n" + separator)
    raws = read(path)
    assert [Posting(raw).error for raw in raws] == [
        "unparseable: empty message", None, "unparseable: empty message", "unparseable: empty message",
    ]
    assert [raw.index for raw in raws] == [0, 1, 2, 3]


def test_a_message_with_more_header_than_the_readers_sniff_is_mail(tmp_path: Path) -> None:
    received = "".join(
        f"Received: from relay{n}.example.org (relay{n}.example.org [192.0.2.{n}])\n\tby mx.example.org\n"
        for n in range(150)
    )
    path = tmp_path / "long-header.eml"
    path.write_text(received.replace("Received", "X-Relay") + PATCH.split("\n", 1)[1])
    assert path.stat().st_size > 8192 + 1000
    (raw,) = read(path)
    assert raw.error is None and Posting(raw).kind is Kind.PATCH


def test_a_single_message_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "fix.eml"
    path.write_bytes(b"\xef\xbb\xbf" + PATCH.split("\n", 1)[1].encode())
    (raw,) = read(path)
    assert Posting(raw).kind is Kind.PATCH and raw.line == 1


# -- Maildir ---------------------------------------------------------------------------------------


def _maildir(root: Path, *messages: str) -> None:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    for number, text in enumerate(messages):
        (root / "cur" / f"170000000{number}.M1P1.host:2,S").write_text(text)


def test_maildir_subfolders_subdirectories_and_loose_files_are_read(tmp_path: Path) -> None:
    root = tmp_path / "Mail"
    _maildir(root, COVER)
    _maildir(root / ".Sent", PATCH)
    (root / ".Sent" / "maildirfolder").write_text("")
    (root / "lists").mkdir()
    (root / "lists" / "0001-fix.patch").write_text(PATCH)
    (root / "saved.eml").write_text(PATCH)
    (root / ".mbsyncstate").write_text("FarUidValidity 1\n")  # hidden bookkeeping: not mail
    raws = read(root)
    read_ok = sorted(Path(raw.source).relative_to(root).as_posix() for raw in raws if raw.error is None)
    assert read_ok == [
        ".Sent/cur/1700000000.M1P1.host:2,S", "cur/1700000000.M1P1.host:2,S",
        "lists/0001-fix.patch", "saved.eml",
    ]
    assert errors(raws) == ["unparseable: empty file, no message in it"]  # .Sent/maildirfolder


# -- patchwork exports -------------------------------------------------------------------------------


def test_a_fence_inside_a_patchwork_message_does_not_split_it(tmp_path: Path) -> None:
    body = "Run it like this:\n\n```\n$ ./run.sh\n```\n\nand it works.\n\n"
    first = mail("[PATCH 1/2] docs: add an example", message=body + "Signed-off-by: A <a@example.org>\n",
                 mbox_line=False)
    second = mail("[PATCH 2/2] docs: fix a typo", mbox_line=False)
    export = (
        "#### [PATCH 1/2] docs: add an example\n##### From: A <a@example.org>\n\n"
        "```c\nFrom patchwork Tue Apr 21 07:53:26 2020\n" + first + "```\n\n"
        "#### [PATCH 2/2] docs: fix a typo\n##### From: A <a@example.org>\n\n"
        "```c\nFrom patchwork Tue Apr 21 07:53:27 2020\n" + second + "```\n"
    )
    path = tmp_path / "series.md"
    path.write_text(export)
    raws = read(path)
    postings = [Posting(raw) for raw in raws]
    assert [p.subject.counter for p in postings] == [1, 2]
    assert "$ ./run.sh" in postings[0].body_text and postings[0].body_text.rstrip().endswith("2.43.0")


# -- the accounting invariant on every fixture ---------------------------------------------------------


def _fixture_dirs() -> list[Path]:
    folders = {TESTS / "data", EXAMPLES} | {path.parent for path in RULE_EXAMPLES.glob("*/*")}
    return sorted(folder for folder in folders if folder.is_dir())


@pytest.mark.parametrize("folder", _fixture_dirs(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_folder_yields_exactly_the_messages_of_its_files(folder: Path) -> None:
    whole = read(folder)
    one_by_one = [
        raw
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        for raw in read(path)
    ]
    key = lambda raw: (raw.source, raw.index)  # noqa: E731
    assert sorted(map(key, whole)) == sorted(map(key, one_by_one))
    report = Engine().check([folder])
    assert report.messages == len(whole)
