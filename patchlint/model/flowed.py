"""format=flowed text (RFC 3676) decoded the way ``git mailinfo`` decodes it.

A mailer that sends ``Content-Type: text/plain; format=flowed`` may break a long line in two at a
space ("soft" line break: the line ends in a space) and adds a space in front of a line that
starts with a space, ``>`` or ``From `` ("space-stuffing"). git mailinfo, which git am runs,
undoes both before it splits the commit message from the patch (``handle_filter_flowed()`` in
git's mailinfo.c), line by line:

* a line that is exactly ``-- `` (the signature separator) is kept as it is;
* otherwise one leading space is removed, whatever follows it;
* a line that then ends in a space is a soft break: it is kept, without its last space when
  ``DelSp=yes``, and joined with the lines that follow, up to the next line that does not end
  in a space (or up to a ``-- `` line, or the end of the text, without a line end).

git does nothing else RFC 3676 describes (quote depth, ``>`` lines, the 78-column limit), and
neither does this module: its job is to give the rules the text git am sees. What git's
decoding cannot repair is recorded, for the rules to explain: a diff line that ended in a space
is joined with the next one, and a line whose one leading space was not stuffing (a mailer that
declares flowed text but does not stuff) loses it.
"""

from __future__ import annotations

from dataclasses import dataclass

SIGNATURE = b"-- "


def split_lines(data: bytes) -> list[bytes]:
    """``data`` cut after each LF, as git reads lines (a lone CR is no line end to git)."""
    lines = [line + b"\n" for line in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


@dataclass(frozen=True)
class Flowed:
    """What decoding format=flowed text did, in decoded line indexes.

    ``joined`` are the lines made of two or more lines of the mail (soft breaks rejoined);
    ``unstuffed`` the lines whose one leading space git removed and that start with no space now
    (a line the mailer stuffed correctly, ``"  foo"``, keeps one; a line it did not stuff,
    ``" foo"``, becomes ``"foo"``). ``starts`` gives, for each decoded line, the index of the
    line of the mail where it starts.
    """

    delsp: bool
    joined: tuple[int, ...]
    unstuffed: tuple[int, ...]
    starts: tuple[int, ...]


def unflow(text: str, delsp: bool) -> tuple[str, Flowed]:
    """``text`` (an unencoded body, LF line ends) as git mailinfo decodes it."""
    decoded, flowed = unflow_chunks(split_lines(text.encode("utf-8", "surrogateescape")), delsp)
    return decoded.decode("utf-8", "surrogateescape"), flowed


def unflow_chunks(chunks: list[bytes], delsp: bool, encoded: bool = False) -> tuple[bytes, Flowed]:
    """Decode format=flowed text given as git reads it: one chunk per line of the mail, the
    line itself or, with ``encoded``, what its quoted-printable or base64 encoding decodes to
    (several lines, or part of one, as the encoding split them).

    ``Flowed.starts`` are then indexes of chunks, that is of lines of the mail.

    In an encoded body git keeps two things in one buffer: the end of a line the encoding
    split, and a soft-broken line waiting for the rest of it. Both are put in front of the next
    chunk before that chunk is looked at, so the line after a soft break is neither unstuffed
    nor taken for a ``-- `` of its own there (while a line after a soft break inside the same
    chunk is): git's behaviour, reproduced (``handle_body()`` in mailinfo.c).
    """
    state = _State(delsp)
    for number, chunk in enumerate(chunks):
        if not encoded:
            state.line(chunk, number)
            continue
        first = number
        if state.pending:
            chunk, state.pending = state.pending + chunk, b""
            if not state.pending_parts:
                first = state.pending_start  # a split line: it started on an earlier line
        pieces = split_lines(chunk)
        for at, piece in enumerate(pieces):
            if at == len(pieces) - 1 and not piece.endswith(b"\n"):
                # A line the encoding split (a quoted-printable soft break, a base64 line's
                # end): the rest comes with the next chunk.
                if not state.pending and not state.pending_parts:
                    state.pending_start = first if at == 0 else number
                state.pending += piece
                break
            state.line(piece, first if at == 0 else number)
    return state.finish()


class _State:
    """The walk of :func:`unflow_chunks` (mutable, never stored)."""

    def __init__(self, delsp: bool) -> None:
        self.delsp = delsp
        self.out: list[bytes] = []
        self.starts: list[int] = []
        self.joined: list[int] = []
        self.unstuffed: list[int] = []
        self.pending = b""  # a soft-broken line (or, encoded, a split one) waiting for its rest
        self.pending_start = -1
        self.pending_parts = 0  # soft-broken lines in ``pending``
        self.pending_stuffed = False
        self.final_newline = True

    def line(self, piece: bytes, number: int) -> None:
        ends = piece.endswith(b"\n")
        body = piece.rstrip(b"\n")
        if body.endswith(b"\r"):
            body = body[:-1]
        if body == SIGNATURE:
            if self.pending_parts:
                # git writes the pending text without a line end: it runs into the "-- ".
                self._emit(self.pending + body, self.pending_start, self.pending_parts + 1)
            else:
                self.pending_start = number
                self.pending_stuffed = False
                self._emit(body, number, 1)
            self._reset()
            self.final_newline = ends
            return
        if not self.pending_parts:
            self.pending_start = number
            self.pending_stuffed = body.startswith(b" ")
        if body.startswith(b" "):
            body = body[1:]
        if body.endswith(b" "):
            self.pending = self.pending + (body[:-1] if self.delsp else body)
            self.pending_parts += 1
            return
        self._emit(self.pending + body, self.pending_start, self.pending_parts + 1)
        self._reset()
        self.final_newline = ends

    def _emit(self, value: bytes, start: int, parts: int) -> None:
        if parts > 1:
            self.joined.append(len(self.out))
        if self.pending_stuffed and not value.startswith(b" "):
            self.unstuffed.append(len(self.out))
        self.starts.append(start)
        self.out.append(value)

    def _reset(self) -> None:
        self.pending, self.pending_parts = b"", 0

    def finish(self) -> tuple[bytes, Flowed]:
        tail = b"\n" if self.out and self.final_newline else b""
        if self.pending:
            # The text ended inside a soft-broken line: git writes it without a line end.
            self._emit(self.pending, self.pending_start, max(self.pending_parts, 1))
            tail = b""
        decoded = b"\n".join(self.out) + tail
        flowed = Flowed(self.delsp, tuple(self.joined), tuple(self.unstuffed), tuple(self.starts))
        return decoded, flowed


def flowed_params(params: dict[str, str]) -> tuple[bool, bool]:
    """(format=flowed, DelSp=yes) from a Content-Type's parameters, compared as git does
    (case-insensitively)."""
    return (
        params.get("format", "").strip().lower() == "flowed",
        params.get("delsp", "").strip().lower() == "yes",
    )
