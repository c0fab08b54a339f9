"""Progress on a terminal: shown only there, and never changing what a run yields."""

from __future__ import annotations

import io
import os
import pty

from paths import EXAMPLES
from patchlint.engine import Engine
from patchlint.progress import track, wanted


def test_progress_only_on_a_terminal() -> None:
    assert not wanted(io.StringIO())
    leader, follower = pty.openpty()
    try:
        with os.fdopen(follower, "w", closefd=False) as terminal:
            assert wanted(terminal)
    finally:
        os.close(leader)
        os.close(follower)


def test_the_bar_counts_messages_and_leaves_the_outcomes_alone(capsys) -> None:
    plain = [o.target for o in Engine("default").run([EXAMPLES / "series"])]
    shown = [o.target for o in track(Engine("default").run([EXAMPLES / "series"]), True)]
    assert shown == plain
    err = capsys.readouterr().err
    assert " msgs" in err and err.endswith("\r")  # drawn, then cleared: the summary follows on a clean line
    capsys.readouterr()
    list(track(Engine("default").run([EXAMPLES / "series"]), False))
    assert capsys.readouterr().err == ""
