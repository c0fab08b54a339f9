"""The raw message: what a reader hands to the model, before any parsing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawMessage:
    """One e-mail exactly as a reader found it.

    ``source`` names where it came from (a path, ``<stdin>``), ``index`` is its 0-based position in
    that source, and ``line`` is the 1-based line of the source at which the message's first header
    starts, so a report can turn a line inside the message into a line of the file. A reader that
    finds something it cannot turn into a message still yields a RawMessage, with ``error`` saying
    why: nothing a reader sees is dropped silently. ``skipped`` is a reader's reason for passing
    a record over that is not a message to judge (a message removed from a public-inbox archive):
    it is counted as skipped with that reason.

    ``commit_message`` marks the mail made from a bare commit message (``patchlint check
    --commit-msg``): only the rules that judge a commit message run on it, and it joins no
    series. ``line_map`` gives, for such a made-up mail, the source line of each of its lines.
    """

    source: str
    index: int
    data: bytes
    line: int = 1
    error: str | None = None
    skipped: str | None = None
    commit_message: bool = False
    line_map: tuple[int, ...] | None = None

    def source_line(self, line: int) -> int:
        """Turn a 1-based line inside this message into a 1-based line of its source."""
        if self.line_map is not None:
            if not self.line_map:
                return 1
            return self.line_map[min(max(line, 1), len(self.line_map)) - 1]
        return self.line + line - 1
