"""The public-inbox reader on v1 and v2 repositories built here with git: every commit accounted
for, removals passed over with their reason, --since/--until by commit date, and the state file
that makes a second run read only the mail that came after the first."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from inboxes import Mail, append, build_epoch, build_v2
from paths import EXAMPLES
from patchlint.engine import Engine, Status
from patchlint.readers.publicinbox import DELETED, REMOVAL, PublicInboxReader, Window, parse_date

SERIES = sorted((EXAMPLES / "series").iterdir())
DAY = 86_400
START = int(parse_date("2024-03-01").timestamp())

REPLY = b"""From: Bea Reviewer <bea@example.org>
To: netfilter-devel@vger.kernel.org
Subject: Re: [PATCH v2 1/2] netfilter: nft_counter: reset the counters on dump
Date: Sat, 02 Mar 2024 10:00:00 +0000
Message-ID: <reply-1@example.org>
In-Reply-To: <cover.1795239960.git.ada@example.org>
List-Id: <netfilter-devel.vger.kernel.org>

Looks good to me.
"""


def series_mails(first_day: int = 0) -> list[Mail]:
    """The example v2 series (cover letter and two patches), one a day, then a reply."""
    mails = [Mail(path.read_bytes(), START + (first_day + n) * DAY) for n, path in enumerate(SERIES)]
    return [*mails, Mail(REPLY, START + (first_day + len(mails)) * DAY)]


def statuses(report) -> Counter:
    return Counter({str(status): n for status, n in report.statuses.items()})


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "patchlint", *args], capture_output=True, text=True, timeout=120)


def test_v2_inbox_every_commit_accounted_removals_skipped(tmp_path: Path) -> None:
    mails = series_mails()
    # Epoch 1 holds the reply, then the removal of the cover letter delivered in epoch 0.
    inbox = build_v2(tmp_path / "netfilter-devel", [mails[:3], [mails[3], Mail(mails[0].data, START + 9 * DAY, removal=True)]])
    report = Engine().check([inbox])
    assert report.messages == 5  # one per commit, the removal record included
    assert statuses(report) == {"checked": 2, "skipped": 3}
    assert report.skipped == {DELETED: 1, REMOVAL: 1, "reply": 1}
    sources = {outcome.target.source for outcome in report.results}
    assert sources <= {f"{inbox}/git/0.git", f"{inbox}/git/1.git"}


def test_v2_removal_in_the_same_epoch_and_a_single_epoch_named_directly(tmp_path: Path) -> None:
    mails = series_mails()
    epoch = build_epoch(tmp_path / "0.git", [*mails, Mail(mails[1].data, START + 9 * DAY, removal=True)])
    report = Engine().check([epoch])
    assert report.messages == 5
    assert report.skipped[DELETED] == 1 and report.skipped[REMOVAL] == 1
    # The removed patch is not judged: its series misses it.
    assert any("missing" in v.message for v in report.violations if v.rule == "incomplete-series")


def test_v1_repository_with_a_removal(tmp_path: Path) -> None:
    mails = series_mails()
    repository = build_epoch(tmp_path / "list.git", [*mails, Mail(mails[3].data, START + 9 * DAY, removal=True)], v1=True)
    report = Engine().check([repository])
    assert report.messages == 5
    assert report.skipped == {DELETED: 1, REMOVAL: 1}
    assert report.statuses[Status.CHECKED] == 3


def test_a_directory_of_inboxes_reads_each(tmp_path: Path) -> None:
    build_v2(tmp_path / "lore" / "a", [series_mails()])
    build_epoch(tmp_path / "lore" / "b.git", series_mails(), v1=True)
    report = Engine().check([tmp_path / "lore"])
    assert report.messages == 8
    # The same series in both (cross-posted to two lists): judged once, the second delivery counted.
    assert report.series == 1 and report.repeats == 3


def test_an_epoch_without_mail_yet_is_empty_and_a_broken_one_is_reported(tmp_path: Path) -> None:
    inbox = build_v2(tmp_path / "inbox", [series_mails()])
    subprocess.run(["git", "init", "-q", "--bare", str(inbox / "git" / "1.git")], check=True)
    report = Engine().check([inbox])
    assert report.messages == 4 and report.statuses[Status.UNPARSEABLE] == 0
    # A blob the history names but the repository lacks: that message is unparseable, the rest read.
    epoch = inbox / "git" / "0.git"
    blob = subprocess.run(["git", f"--git-dir={epoch}", "rev-parse", "HEAD~1:m"], capture_output=True, text=True,
                          check=True).stdout.strip()
    _drop_object(epoch, blob)
    report = Engine().check([inbox])
    assert report.messages == 4 and report.statuses[Status.UNPARSEABLE] == 1
    unparseable = [o for o in report.results if o.status is Status.UNPARSEABLE]
    assert blob in unparseable[0].reason and "missing" in unparseable[0].reason


def _drop_object(git_dir: Path, oid: str) -> None:
    """Lose one object (what a damaged mirror looks like): unpack the pack, delete its file."""
    packs = git_dir / "objects" / "pack"
    for pack in sorted(packs.glob("pack-*.pack")):
        data = pack.read_bytes()
        for part in packs.glob(pack.stem + ".*"):
            part.unlink()
        subprocess.run(["git", f"--git-dir={git_dir}", "unpack-objects", "-q"], input=data, check=True)
    (git_dir / "objects" / oid[:2] / oid[2:]).unlink()


def test_since_until_by_commit_date_through_the_command(tmp_path: Path) -> None:
    inbox = build_v2(tmp_path / "inbox", [series_mails()])
    # Days 0..3 hold cover, patch 1, patch 2, reply: [day 1, day 3) is the two patches.
    done = run_cli("check", "--summary-only", "--since", "2024-03-02", "--until", "2024-03-04", str(inbox))
    assert "2 messages read (2 patch)" in done.stdout, done.stdout + done.stderr
    done = run_cli("check", "--summary-only", "--since", "2024-03-04T00:00:00+00:00", str(inbox))
    assert "1 message read (1 reply)" in done.stdout, done.stdout + done.stderr
    done = run_cli("check", "--summary-only", "--since", "March", str(inbox))
    assert done.returncode == 2 and "not a date" in done.stderr


def test_state_file_reads_only_new_mail(tmp_path: Path) -> None:
    mails = series_mails()
    inbox = build_v2(tmp_path / "inbox", [mails[:3]])
    state = tmp_path / "audit.state"
    done = run_cli("check", "--summary-only", "--state", str(state), str(inbox))
    assert "3 messages read" in done.stdout, done.stdout + done.stderr
    recorded = json.loads(state.read_text())["epochs"]
    head = subprocess.run(["git", f"--git-dir={inbox / 'git' / '0.git'}", "rev-parse", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert [entry["commit"] for entry in recorded.values()] == [head]
    # Nothing new: nothing read (exit 5, pytest's "no tests ran").
    done = run_cli("check", "--summary-only", "--state", str(state), str(inbox))
    assert "0 messages read" in done.stdout and done.returncode == 5
    # A day's mail arrives: only it is read, through pytest too.
    append(inbox / "git" / "0.git", [mails[3]])
    done = run_cli("check", "-q", "--state", str(state), str(inbox))
    assert "1 message read (1 reply)" in done.stdout, done.stdout + done.stderr


def test_state_after_a_rewritten_history_reads_what_is_newer(tmp_path: Path) -> None:
    mails = series_mails()
    epoch = build_epoch(tmp_path / "inbox" / "git" / "0.git", mails[:2])
    state = tmp_path / "state.json"
    engine = Engine(plugins=[PublicInboxReader(Window(state=state))])
    assert engine.check([tmp_path / "inbox"]).messages == 2
    # public-inbox-purge rewrites the epoch: same mail, new commits, and one more message.
    subprocess.run(["rm", "-rf", str(epoch)], check=True)
    build_epoch(epoch, mails[:3])
    report = Engine(plugins=[PublicInboxReader(Window(state=state))]).check([tmp_path / "inbox"])
    assert report.messages == 1 and report.kinds["patch"] == 1


def test_a_bad_state_file_is_reported(tmp_path: Path) -> None:
    inbox = build_v2(tmp_path / "inbox", [series_mails()])
    state = tmp_path / "state.json"
    state.write_text("not json")
    report = Engine(plugins=[PublicInboxReader(Window(state=state))]).check([inbox])
    assert report.statuses[Status.UNPARSEABLE] == 1
    assert "not a patchlint state file" in report.results[0].reason


def test_nothing_in_the_repository_runs(tmp_path: Path) -> None:
    """A repository's own configuration cannot make the reader run a program."""
    inbox = build_v2(tmp_path / "inbox", [series_mails()])
    epoch = inbox / "git" / "0.git"
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n")
    script.chmod(0o755)
    for key, value in (("core.pager", str(script)), ("core.fsmonitor", str(script)),
                       ("log.showSignature", "true"), ("gpg.program", str(script))):
        subprocess.run(["git", f"--git-dir={epoch}", "config", key, value], check=True)
    hooks = epoch / "hooks"
    hooks.mkdir(exist_ok=True)
    for name in ("post-checkout", "reference-transaction", "pre-auto-gc"):
        (hooks / name).write_text(script.read_text())
        (hooks / name).chmod(0o755)
    assert Engine().check([inbox]).messages == 4
    assert not marker.exists()


@pytest.mark.parametrize("text", ["2024-03-01", "2024-03-01T00:00:00", "2024-03-01T01:00:00+01:00"])
def test_parse_date_is_utc_without_a_zone(text: str) -> None:
    assert parse_date(text).timestamp() == START
