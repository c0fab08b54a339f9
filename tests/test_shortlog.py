"""The shortlog of a cover letter or pull request: sections, repeats and credits."""

from __future__ import annotations

import pytest

from patchlint.model.shortlog import find_shortlog

FORMAT_PATCH = """\
Two fixes.

Ada Lovelace (2):
  netfilter: nft_counter: reset the counters on dump-and-reset
  netfilter: nft_counter: export the dump helper

 net/netfilter/nft_counter.c | 17 +++++++++++++----
 1 file changed, 13 insertions(+), 4 deletions(-)
"""
SECOND_REPOSITORY = """
Ada Lovelace (1):
      nft: report the reset counters

 src/rule.c | 3 +++
 1 file changed, 3 insertions(+)
"""
REQUEST_PULL_REPEAT = """
The following changes since commit 0123456789abcdef0123456789abcdef01234567:

----------------------------------------------------------------
Ada Lovelace (2):
      netfilter: nft_counter: reset the counters on dump-and-reset
      netfilter: nft_counter: export the dump helper
"""
CREDITS = """
with much appreciated quality assurance from
----------------------------------------------------------------
Charles Babbage (2):
      (Rev.) netfilter: nft_counter: reset the counters on dump-and-reset
      (Rev.) netfilter: nft_counter: export the dump helper
"""


@pytest.mark.parametrize(
    ("text", "count"),
    [
        pytest.param(FORMAT_PATCH, 2, id="format-patch"),
        pytest.param(FORMAT_PATCH + SECOND_REPOSITORY, 3, id="one-per-repository"),
        pytest.param(FORMAT_PATCH + REQUEST_PULL_REPEAT, 2, id="request-pull-repeat"),
        pytest.param(FORMAT_PATCH + CREDITS, 2, id="reviewer-credits"),
    ],
)
def test_shortlog_sections(text: str, count: int) -> None:
    lines = text.split("\n")
    shortlog = find_shortlog(lines, 0, len(lines))
    assert shortlog is not None and shortlog.count == count
    assert not any(summary.startswith("(Rev.)") for summary, _ in shortlog.entries)
