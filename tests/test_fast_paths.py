"""The engine's fast paths say what the plain forms they stand in for say (issue 14).

Each shortcut taken for speed is checked against the slower form it replaced: the rule
dispatch that skips an ``applies()`` only repeating the rule index, the regular expressions
rewritten so the engine can scan for their first character, the C-speed path test, the
header fields built on first use.
"""

from __future__ import annotations

import random
import re

import pytest

from patchlint.checks.shared import JudgesCommits, _judges_patches
from patchlint.engine import RuleSet, _asks_applies
from patchlint.model.changelog import _MAYBE_HEADING
from patchlint.model.diffstat import quote_path
from patchlint.model.headers import Headers, split_head
from patchlint.model.kind import Kind
from patchlint.plugins import collect_rules, make_plugin_manager
from patchlint.rule import Rule, Scope

# The forms the fast ones replaced, written out as they were.
_PLAIN_HEADING = re.compile(r"v\d|rfc|change|histor|update|new|differ|modif|version|rev", re.I)


def _builtin_rules() -> list[type[Rule]]:
    return list(collect_rules(make_plugin_manager()))


def test_only_rules_whose_applies_says_more_than_the_index_are_asked() -> None:
    class Plain(Rule):
        code, name = "PL990", "plain"

    class Choosy(Rule):
        code, name = "PL991", "choosy"

        def applies(self, target: object) -> bool:
            return False

    assert not _asks_applies(Plain())
    assert _asks_applies(Choosy())
    plain = Plain()
    plain.applies = lambda target: False  # type: ignore[method-assign]
    assert _asks_applies(plain)


def test_a_rule_set_asks_every_commit_rule_and_indexes_the_others_by_kind() -> None:
    class Plain(Rule):
        code, name = "PL990", "plain"
        judges_commit_message = True

    class Config:
        def instantiate(self, classes: list[type[Rule]]) -> list[Rule]:
            return [cls() for cls in classes]

    ruleset = RuleSet.build("test", Config(), [Plain])  # type: ignore[arg-type]
    (rule, ref, asks), = ruleset.dispatch_by_kind[Kind.PATCH]
    assert (rule.code, ref.code, asks) == ("PL990", "PL990", False)
    assert ruleset.dispatch_by_kind[Kind.REPLY] == ()
    assert [asks for _, _, asks in ruleset.dispatch_commit] == [True]  # not indexed by kind


def test_every_builtin_commit_rule_takes_the_short_applies() -> None:
    commit_rules = [cls for cls in _builtin_rules() if issubclass(cls, JudgesCommits)]
    assert len(commit_rules) >= 15
    assert all(_judges_patches(cls) for cls in commit_rules)


def test_a_commit_rule_with_an_applies_behind_its_own_is_still_asked_it() -> None:
    class Narrow(Rule):
        def applies(self, target: object) -> bool:
            return False

    class Judge(JudgesCommits, Narrow):
        code, name, scope = "PL992", "judge", Scope.POSTING

    class CoverJudge(JudgesCommits, Rule):
        code, name, kinds = "PL993", "cover-judge", frozenset({Kind.COVER})

    assert not _judges_patches(Judge)
    assert not _judges_patches(CoverJudge)


@pytest.mark.parametrize(
    "line",
    ["Changes in v3:", "v2 -> v3:", "RFC -> v1", "History:", "Updates since last version", "no news",
     "Revision 4", "Differences from the previous posting", "modified", "plain text", "", "VERSION 2",
     "Ändert nichts", "k\u212a v2", "this is the new one"],
)
def test_the_changelog_heading_prefilter_finds_what_the_plain_pattern_finds(line: str) -> None:
    assert bool(_MAYBE_HEADING.search(line)) == bool(_PLAIN_HEADING.search(line))


def test_the_changelog_heading_prefilter_on_random_lines() -> None:
    alphabet = "vVrRcChHuUnNdDmMfFiIeEoOsStTgGaA0123 :-\u0130\u0131\u212a\u017f"
    chooser = random.Random(14)
    for _ in range(5000):
        line = "".join(chooser.choice(alphabet) for _ in range(12))
        assert bool(_MAYBE_HEADING.search(line)) == bool(_PLAIN_HEADING.search(line)), line


def test_the_mojibake_pattern_finds_what_the_plain_alternation_finds() -> None:
    from patchlint.checks.transport import _CONTINUATION, _MOJIBAKE

    plain = re.compile(
        f"[\u00c2-\u00df][{_CONTINUATION}]|[\u00e0-\u00ef][{_CONTINUATION}]{{2}}"
        f"|[\u00f0-\u00f4][{_CONTINUATION}]{{3}}"
    )
    alphabet = [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0x80, 0x100)] + list(
        "\u20ac\u201a\u0192\u2122\u0161\u203a\u0153"
    )
    chooser = random.Random(14)
    samples = ["Jo\u00c3\u00absen", "it\u00e2\u20ac\u2122s", "\u00f0\u0178\u02dc\u20ac", "\u00c3", "\u00e2\u20ac"]
    samples += ["".join(chooser.choice(alphabet) for _ in range(30)) for _ in range(5000)]
    for text in samples:
        assert [m.span() for m in _MOJIBAKE.finditer(text)] == [m.span() for m in plain.finditer(text)], text


@pytest.mark.parametrize(
    "path", ["drivers/i2c/busses/i2c-ls2x.c", "a b/c.c", 'x"y', "back\\slash", "tab\there", "del\x7f",
             "caf\u00e9.c", "\udcff", "", "~!@#$%^&*()_+{}|:<>?"],
)
def test_quote_path_fast_path_agrees_with_the_byte_rule(path: str) -> None:
    raw = path.encode("utf-8", "surrogateescape")
    plain = not any(byte < 0x20 or byte >= 0x7F or byte in b'"\\' for byte in raw)
    assert (quote_path(path) == path) == plain or path == ""


@pytest.mark.parametrize(
    "data",
    [b"From: a\nSubject: b\n\nbody\n", b"From: a\r\nSubject: b\r\n\r\nbody\r\n", b"From: a\r\n\nbody\n",
     b"From: a\nX: \r\n\r\nbody", b"From: a\n", b"\nbody\n", b"\r\nbody"],
)
def test_split_head_finds_a_crlf_blank_line_only_where_there_is_one(data: bytes) -> None:
    end = data.find(b"\n\n")
    crlf = data.find(b"\r\n\r\n", 0, end + 2 if end != -1 else len(data))
    head, offset, _ = split_head(data)
    if crlf != -1 and (end == -1 or crlf < end):
        assert (head, offset) == (data[:crlf], crlf + 4)
    elif end != -1:
        assert (head, offset) == (data[:end], end + 2)


def test_common_fields_built_on_first_use_keep_their_lines_and_order() -> None:
    data = (b"Received: x\n\tfolded\nFrom: A <a@example.org>\nsubject: one\n folded\n"
            b"Message-ID: <1@x>\nSUBJECT: two\nReferences: <0@x>\n <00@x>")
    headers = Headers(data)
    assert headers.get("Message-ID") == "<1@x>"
    assert [(h.name, h.value, h.line) for h in headers.get_all("Subject")] == [
        ("subject", "one folded", 4), ("SUBJECT", "two", 7),
    ]
    assert headers.line_of("From") == 3
    assert headers.get("References") == "<0@x> <00@x>"
    assert headers.get("In-Reply-To") is None and headers.get_all("Date") == []
