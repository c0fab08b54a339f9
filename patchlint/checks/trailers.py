"""PL3xx: the trailer block — spelling, values, duplicates, placement, policy, links, Fixes:, order."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from patchlint.model.cached import cached_property
from itertools import pairwise

from patchlint.checks.shared import JudgesCommits, shorten
from patchlint.model.commitlog import MEMO_LIMIT, CommitLog
from patchlint.config import Config, ConfigError
from patchlint.resources.gitrepo import Found
from patchlint.model.identity import Address, address_problem, parse_address
from patchlint.model.posting import Kind, Posting
from patchlint.resources.registry import TrailerSpec, ValueType
from patchlint.options import option
from patchlint.rule import Rule, Severity, Violation
from patchlint.model.trailers import Trailer

_RAW_TRAILER = re.compile(r"^(?P<key>[A-Za-z0-9-]+)(?P<before>[ \t]*):(?P<after>[ \t]*)(?P<value>.*)$")
_URL = re.compile(r"^<?[A-Za-z][A-Za-z0-9+.-]*://[^\s<>]+>?(?:\s+(?:#.*|\[[^\]]*\]|\(.*\)))?$")
# AGENT:MODEL, then tools, each maybe in brackets. A tool is written "[^\s\]]+\]?" rather than
# "\[?[^\s\]]+\]?": the two say the same (a "[" is one of the characters), but the optional
# "[" gave every "[a" two ways to match, and a line of them 2**n.
_AGENT = re.compile(r"^[^\s:]+:[^\s:]\S*(?:\s+[^\s\]]+\]?)*$")
_ALLOWED_AFTER_ADDRESS = re.compile(r"^(?:#.*|\(.*\)|\[.*\])$")


@dataclass(frozen=True)
class MalformedOptions:
    report_unknown: bool = option(
        False,
        'also report keys the registry does not know and that are not close to a known one '
        '(``Ref:``, ``Changelog:``).',
    )


class MalformedTrailer(JudgesCommits, Rule):
    """Every trailer is a known key, spelled canonically, with one space and a value of its type.

    What it does:
        Checks each line of the trailer block (the block ``git interpret-trailers`` finds)
        against the trailer registry (``patchlint/data/trailers.yaml``, or the file of the
        ``trailer-registry`` setting) and reports, in one message per line: a key in another
        case (``Signed-off-By``) or misspelled (``Signed-of-by``, ``Reviewd-by``), with the
        canonical spelling; space before the colon; anything but one space after it; an empty
        value; a person without an address, with an address that is not valid (checked with
        email-validator, syntax only, no DNS), with the address outside angle brackets
        (``Jane jane@example.org``), with the name glued to it (``Jane Doe<jane@example.org>``:
        git writes ``Name <address>``), or with several people on one line; text after the
        address other than a ``# comment``, ``(comment)`` or ``[note]``; a Link:/Closes: that
        is not a URL; an Assisted-by: that is not ``AGENT:MODEL [TOOLS]``. ``Fixes:`` values
        are ``bad-fixes-tag``'s business (their key and colon, in the block, are judged here). Keys the registry does not know at all are reported
        only with ``report-unknown``. In a stable backport the trailers carried from upstream
        (``[ Upstream commit … ]``, then upstream's message and trailers: see
        ``CommitLog.carried``) are not judged: they were applied upstream as written, and the
        backporter copies them verbatim.
        The ``trailer-registry`` setting names the registry (see
        ``patchlint/data/trailers.yaml``).

    Why it matters:
        Trailers are read by tools (``git interpret-trailers``, b4, patchwork, the stable
        scripts, get_maintainer); they match keys exactly and need addresses they can mail.
        checkpatch reports these as BAD_SIGN_OFF.

    Bad:
        ``Signed-off-By: Jane Doe <jane@example.org>``, ``Reviewed-by:Jane <jane@example.org>``,
        ``Acked-by: Jane Doe``, ``Tested-by: Jane <jane@example>``, ``Closes: #123``.

    Good:
        ``Signed-off-by: Jane Doe <jane@example.org>``,
        ``Cc: stable@vger.kernel.org # 6.1+``,
        ``Closes: https://bugzilla.kernel.org/show_bug.cgi?id=218000``.
    """

    code = "PL306"
    name = "malformed-trailer"
    kinds = frozenset({Kind.PATCH})
    Options = MalformedOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        log = self.commit_log(target)
        lines = log.lines
        # The same trailer lines recur in patch after patch (a maintainer's sign-off, a list's
        # Cc:): judge each line once.
        judged: dict[tuple[str, str, str], list[str]] = self.resources.memos.memo(self.code, "judged")
        for trailer in log.block.trailers:
            if log.is_carried(trailer.index):
                continue  # upstream's trailer, copied by a backport as it was applied
            seen = (trailer.key, trailer.value, lines[trailer.index])
            problems = judged.get(seen)
            if problems is None:
                if len(judged) >= MEMO_LIMIT:
                    judged.clear()
                problems = judged[seen] = self.problems(trailer, lines[trailer.index], log)
            if problems:
                yield self.violation(
                    target, f"'{shorten(lines[trailer.index])}': {'; '.join(problems)}",
                    target.line(trailer.index),
                )

    def problems(self, trailer: Trailer, raw: str, log: CommitLog | None = None) -> list[str]:
        """What is wrong with one trailer (``raw`` is its first line as written; ``log``, the
        commit message it is in, parses its address, once for every rule that reads it)."""
        problems: list[str] = []
        spec = self.resources.registry.get(trailer.key)
        if spec is None:
            suggestion = self.resources.registry.suggest(trailer.key)
            if suggestion is not None:
                problems.append(f"unknown trailer '{trailer.key}'; did you mean '{suggestion.key}'?")
                spec = suggestion
            elif self.options.report_unknown:
                problems.append(f"unknown trailer '{trailer.key}' (not in the trailer registry)")
        elif trailer.key != spec.key and not spec.any_case:
            problems.append(f"write '{spec.key}', not '{trailer.key}'")
        match = _RAW_TRAILER.match(raw)
        if match is not None:
            if match.group("before"):
                problems.append("no space before the colon")
            if match.group("value") and match.group("after") != " ":
                problems.append("one space after the colon")
        if spec is None:
            return problems  # a key the registry does not know: its value may be anything
        if not trailer.value:
            problems.append("the value is empty")
        else:
            parse = log.address if log is not None else parse_address
            problems.extend(value_problems(spec, trailer.value, self._address_problem, parse))
        return problems

    def _address_problem(self, email: str) -> str | None:
        # The same few dozen people sign most patches of a list: validate each address once.
        cache = self.resources.memos.memo(self.code, "validated")
        if email not in cache:
            cache[email] = address_problem(email)
        return cache[email]


def value_problems(
    spec: TrailerSpec,
    value: str,
    invalid: Callable[[str], str | None] = address_problem,
    parse: Callable[[str], Address | None] = parse_address,
) -> list[str]:
    """What is wrong with ``value`` as the value of a ``spec`` trailer (``invalid`` says what
    is wrong with an address; ``parse`` splits a person, as :func:`parse_address` does)."""
    if spec.type is ValueType.PERSON:
        return person_problems(value, invalid, parse)
    if spec.type is ValueType.URL and not _URL.match(value):
        return [f"'{shorten(value)}' is not a URL (https://…)"]
    if spec.type is ValueType.AGENT and not _AGENT.match(value):
        return ["write 'AGENT_NAME:MODEL_VERSION [TOOL1] [TOOL2]' (e.g. 'Claude:claude-3-opus sparse')"]
    return []


def person_problems(
    value: str,
    invalid: Callable[[str], str | None] = address_problem,
    parse: Callable[[str], Address | None] = parse_address,
) -> list[str]:
    """What is wrong with ``value`` as a person (``Name <address>``); the first problem of a
    value without a usable address says what it lacks."""
    address = parse(value)
    if address is None:
        if "@" in value and "<" not in value:
            return ["write the address in angle brackets: 'Name <address>'"]
        if "<" in value and ">" not in value:
            return ["close the angle bracket: 'Name <address>'"]
        if "@" in value:
            return [f"'{shorten(value)}' is not 'Name <address>'"]
        return ["no e-mail address: write 'Name <address>'"]
    problems = []
    bracket = value.find(f"<{address.email}>")
    if address.name and bracket > 0 and not value[bracket - 1].isspace():
        # git writes an identity "Name <address>" (git commit -s, git var GIT_COMMITTER_IDENT);
        # checkpatch reports the glued form (BAD_SIGN_OFF) and suggests the spaced one.
        problems.append(f"put a space before '<': '{address.name} <{address.email}>', as git writes it")
    why = invalid(address.email)
    if why:
        problems.append(f"the address {address.email!r} is not valid: {why}")
    trailing = address.trailing
    if "@" in trailing:
        problems.append("one person per line: give each their own trailer")
    elif trailing and not _ALLOWED_AFTER_ADDRESS.match(trailing):
        problems.append(f"unexpected text after the address: '{shorten(trailing)}' (use '# comment')")
    return problems


def _value_key(key: str, value: str) -> tuple[str, str]:
    return key.lower(), "".join(value.split()).casefold()


class DuplicateTrailer(JudgesCommits, Rule):
    """No trailer appears twice, and a trailer that may appear once appears once.

    What it does:
        Reports a trailer whose key and value (compared without whitespace or case) repeat an
        earlier one, as checkpatch's "Duplicate signature" does, and a second trailer of a key
        the registry marks ``repeat: false`` (``Change-Id``, ``Message-ID`` …). A repeated
        ``Signed-off-by:`` with another sign-off between them is not a duplicate: it records
        that the patch went back and forth (Jane → Joe → Jane). The trailers a stable backport
        carries (upstream's, and the sign-offs the stable trees' tools add to them: the stable
        queue signs a queued patch twice) are not judged.
        Which keys may repeat comes from the trailer registry (the ``trailer-registry``
        setting).

    Why it matters:
        A repeated Reviewed-by or Cc: is usually a copy-paste or ``b4 trailers`` run twice;
        maintainers ask for a new version to drop it.

    Bad:
        ``Reviewed-by: Jane <jane@example.org>`` twice;
        ``Signed-off-by: Joe <joe@example.org>`` twice in a row.

    Good:
        Each trailer once; ``Signed-off-by: Jane``, ``Signed-off-by: Joe``,
        ``Signed-off-by: Jane`` when the patch was handed back.
    """

    code = "PL307"
    name = "duplicate-trailer"
    kinds = frozenset({Kind.PATCH})
    default_severity = Severity.WARNING

    def check(self, target: Posting) -> Iterator[Violation]:
        seen: dict[tuple[str, str], int] = {}  # (key, value) -> position among the trailers
        keys_seen: set[str] = set()
        sign_off_positions: list[int] = []
        # (key, value) as written -> (spec, identity, canonical key in lower case): the same
        # trailers recur in patch after patch, so each is looked up and normalised once.
        known: dict[tuple[str, str], tuple[TrailerSpec | None, tuple[str, str], str]] = (
            self.resources.memos.memo(self.code, "known")
        )
        log = self.commit_log(target)
        for position, trailer in enumerate(log.block.trailers):
            facts = known.get((trailer.key, trailer.value))
            if facts is None:
                if len(known) >= MEMO_LIMIT:
                    known.clear()
                spec = self.resources.registry.get(trailer.key)
                key = spec.key if spec else trailer.key
                facts = (spec, _value_key(key, trailer.value), key.lower())
                known[(trailer.key, trailer.value)] = facts
            spec, identity, lower_key = facts
            earlier = seen.get(identity)
            is_sign_off = lower_key == "signed-off-by"
            if log.is_carried(trailer.index):
                pass  # carried from upstream and the stable trees' tools: not the sender's to fix
            elif earlier is not None and not (
                is_sign_off and any(earlier < p < position for p in sign_off_positions)
            ):
                yield self.violation(
                    target, f"duplicate trailer '{trailer.key}: {trailer.value}'", target.line(trailer.index)
                )
            elif spec is not None and not spec.repeat and lower_key in keys_seen:
                yield self.violation(
                    target, f"'{spec.key}' may appear only once", target.line(trailer.index)
                )
            seen[identity] = position
            keys_seen.add(lower_key)
            if is_sign_off:
                sign_off_positions.append(position)


@dataclass(frozen=True)
class MisplacedOptions:
    allow_split_block: bool = option(
        False,
        'accept trailer paragraphs separated by empty lines (DPDK puts Fixes:/Cc: in a '
        'paragraph of their own).',
    )
    allow_notes: bool = option(True, 'accept ``[ name: note ]`` lines in the block.')


_CHERRY_PICK = "(cherry picked from commit "


class MisplacedTrailer(JudgesCommits, Rule):
    """Trailers are in the trailer block at the end of the message, and only trailers are there.

    What it does:
        Finds tag lines of people and commits (``Signed-off-by:``, ``Reviewed-by:``,
        ``Fixes:``, ``Cc:`` …, as the trailer registry types them) that ``git
        interpret-trailers`` does not see as trailers, and says why: a blank line separates them
        from the trailer block; they sit in the text; the last paragraph mixes them with text so
        that git finds no trailer block at all; text after them ends the message, and git finds
        no trailer block or takes that text for one (``Changelog:`` with indented entries reads
        as a trailer to git) (a changelog left above ``---``: move it below; notes after a ``--`` line: git am ends the message
        only at ``---``; other text: put it above the trailers); or (for ``Signed-off-by:`` and
        ``Co-developed-by:``) they are below ``---``, where ``git am`` drops them. It also
        reports lines inside the trailer block that are not trailers (a key without its colon,
        a sentence), except ``[maintainer notes]`` (unless ``allow-notes`` is false) and
        ``(cherry picked from commit …)``. Text that starts like a tag is not a misplaced
        trailer: a ``Fixes:`` heading over a list, ``To :`` starting a sentence, the header of
        a mail quoted in the text (``From:``/``To:``/``Cc:``/``Subject:``). In a stable
        backport only what the backporter added around the text carried from upstream is
        judged (a paragraph of their own below upstream's trailers is).

    Why it matters:
        Everything that reads trailers — ``git interpret-trailers``, ``git log
        --format=%(trailers)``, b4, the stable scripts — reads only the last paragraph. A Fixes:
        separated by a blank line is invisible to them, a sign-off below ``---`` is dropped on
        ``git am``.

    Bad:
        ``Fixes: …``, an empty line, then ``Signed-off-by: …``;
        ``Signed-off-by Jane <jane@example.org>`` (no colon) in the block.

    Good:
        One paragraph of trailers, last, with nothing else in it.
    """

    code = "PL308"
    name = "misplaced-trailer"
    kinds = frozenset({Kind.PATCH})
    Options = MisplacedOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        log = self.commit_log(target)
        yield from self._outside_block(target, log)
        yield from self._inside_block(target, log)
        if log.signers:
            # With no sign-off above '---' at all, signed-off-by reports the dropped one.
            for index in log.dropped_sign_offs:
                yield self.violation(
                    target,
                    f"'{shorten(log.lines[index])}' is below '---', where git am drops it: move "
                    "it into the trailer block",
                    target.line(index),
                )

    def _outside_block(self, target: Posting, log: CommitLog) -> Iterator[Violation]:
        all_tags = log.tag_lines(self.resources.registry)
        tags = [
            log.tag_from(index, tag) for index, tag in all_tags.items()
            if tag.spec is not None and tag.spec.type in (ValueType.PERSON, ValueType.COMMIT)
            # keys with spaces (DPDK's "Bugzilla ID") are never git trailers
            and " " not in tag.key and index not in log.block_lines and not log.is_carried(index)
        ]
        if not tags:
            return
        paragraphs = log.paragraph_of
        last = max(paragraphs.values())
        trailer_like = set(all_tags) | {
            index for index in paragraphs if _is_block_furniture(log.lines[index])
        }
        reported: set[int] = set()
        for tag in tags:
            number = paragraphs[tag.index]
            if number in reported:
                continue
            reported.add(number)
            others = sum(1 for t in tags if paragraphs[t.index] == number) - 1
            if number == last:
                why = ("the last paragraph mixes trailers with text, so git sees no trailer "
                       "block: move the text above the trailers")
            elif _only_trailers_below(paragraphs, trailer_like, number, last) and _text_ends_message(
                target, log, paragraphs, trailer_like, last
            ):
                # Trailers, then text that ends the message: git looks for trailers only in the
                # last paragraph, and that is the text (a changelog above '---', a note).
                why = _text_after_trailers(target, log, paragraphs, last, last, tag.index)
            elif _only_trailers_below(paragraphs, trailer_like, number, last):
                if self.options.allow_split_block:
                    continue
                why = ("an empty line separates it from the trailer block, so git does not see "
                       "it as a trailer: remove the empty line")
            elif not log.block_lines and _only_text_below(paragraphs, trailer_like, number):
                # Trailers, then paragraphs of text to the end (notes after a '--' line, a
                # changelog of several paragraphs): the same, over more than one paragraph.
                why = _text_after_trailers(target, log, paragraphs, number + 1, last, tag.index)
            else:
                why = "it is in the text, not in the trailer block at the end: move it there"
            also = f" ({others} more trailer line(s) in this paragraph)" if others else ""
            yield self.violation(target, f"'{shorten(tag.line)}'{also}: {why}", target.line(tag.index))

    def _inside_block(self, target: Posting, log: CommitLog) -> Iterator[Violation]:
        block = log.block
        first_trailer = min((t.index for t in block.trailers), default=block.end)
        leading = [
            index for line, index in block.other_lines
            if index < first_trailer and not _is_block_furniture(line) and not log.is_carried(index)
        ]
        if leading:
            # git took the paragraph for trailers although it starts with text: the empty line
            # between the description and the trailers is missing.
            yield self.violation(
                target,
                f"'{shorten(log.lines[leading[0]].strip())}' runs into the trailers: put an "
                "empty line between the text and the trailer block",
                target.line(leading[0]),
            )
        in_note = False
        for line, index in block.other_lines:
            if index < first_trailer or log.is_carried(index):
                continue
            text = line.strip()
            if self.options.allow_notes and (in_note or text.startswith("[")):
                in_note = not text.endswith("]")
                continue
            if text.startswith(_CHERRY_PICK) or line[:1] in (" ", "\t") or _continues_value(log, index):
                continue
            hint = "move it above the trailers"
            words = text.split(":", 1)[0].split()
            if words and self.resources.registry.suggest(words[0]) is not None and ":" not in words[0]:
                hint = f"a trailer needs a colon: '{words[0]}: …'"
            yield self.violation(
                target,
                f"'{shorten(text)}' is not a trailer, but it is in the trailer block: {hint}",
                target.line(index),
            )


def _text_ends_message(
    target: Posting, log: CommitLog, paragraphs: dict[int, int], trailer_like: set[int], last: int
) -> bool:
    """Whether the last paragraph is text rather than trailers: git found no block there (and it
    is not only maintainer notes, which an empty line less would join to the block), or the
    block git found is a changelog ('Changelog:' reads as a trailer key to git)."""
    if target.changelog_in_commit_message and any(e.index in log.block_lines for e in target.changelog):
        return True
    if log.block_lines:
        return False
    return not all(index in trailer_like for index, number in paragraphs.items() if number == last)


def _text_after_trailers(
    target: Posting, log: CommitLog, paragraphs: dict[int, int], text: int, last: int, index: int
) -> str:
    """Why trailers followed by text to the end of the message (paragraphs ``text`` to ``last``)
    are not trailers, and what to do."""
    first = min(i for i, number in paragraphs.items() if number == text)
    place = "is the last paragraph of the commit message" if text == last else "ends the commit message"
    if _NOTES_DASHES.match(log.lines[first]):
        # '--' for '---': git am cuts the message only at '---', so the notes stay in it.
        return ("the '--' line after it is not the '---' that ends the commit message: git am "
                "keeps the text below it in the message, so git sees no trailer block: write '---'")
    # What git makes of the end of the message: no trailer block at all, or the text after the
    # trailers taken for one ('Changelog:' reads as a trailer key, indented lines as its value).
    taken = sorted(i for i in log.block_lines if i >= first)
    if taken:
        sees = (f"git takes that paragraph for the trailer block ({shorten(log.lines[taken[0]].strip(), 30)!r}), "
                "without this line")
    else:
        sees = "git sees no trailer block"
    below = [entry for entry in target.changelog if entry.index > index]
    if target.changelog_in_commit_message and below:
        return (f"the changelog after it ({shorten(below[0].heading, 40)!r}) {place}, so {sees}: "
                "move the changelog below the '---' line")
    return (f"the text after it ({shorten(log.lines[first].strip(), 40)!r}) {place}, so {sees}: "
            "put that text above the trailers")


# Two dashes alone on a line: '---' mistyped (the notes separator), or a signature's '-- '
# without its space. Either way git am does not end the commit message there.
_NOTES_DASHES = re.compile(r"^--[ \t]*$")


def _only_text_below(paragraphs: dict[int, int], trailer_like: set[int], number: int) -> bool:
    """Whether paragraph ``number`` is all trailers and no line of a later paragraph is one:
    trailers followed by text to the end of the message."""
    return all(index in trailer_like for index, p in paragraphs.items() if p == number) and not any(
        index in trailer_like for index, p in paragraphs.items() if p > number
    )


def _is_block_furniture(line: str) -> bool:
    """Lines that belong in a trailer block without being trailers: maintainer notes in
    brackets and ``git cherry-pick -x`` lines."""
    text = line.strip()
    return text.startswith(("[", _CHERRY_PICK)) or text.endswith("]")


def _continues_value(log: CommitLog, index: int) -> bool:
    """Whether line ``index`` is the rest of a value wrapped from the line above (a Fixes:
    title left open: ``bad-fixes-tag`` reports that)."""
    above = log.lines[index - 1] if index > log.start else ""
    return above.count("(") > above.count(")")


def _only_trailers_below(paragraphs: dict[int, int], trailer_like: set[int], number: int, last: int) -> bool:
    """Whether every line from paragraph ``number`` to the last one is a trailer (or a note),
    so the paragraph belongs to a trailer block split by empty lines, not to the text."""
    return all(
        index in trailer_like for index, paragraph in paragraphs.items() if number <= paragraph < last
    )


class ForbiddenTrailer(JudgesCommits, Rule):
    """No trailer the registry forbids (a Gerrit Change-Id by default) is in the commit message.

    What it does:
        Reports every line of the commit message that starts with a key the trailer registry
        marks ``forbidden``, wherever it is in the message, with the registry's reason. The
        built-in registry forbids ``Change-Id:``, as checkpatch's GERRIT_CHANGE_ID does; a
        Gerrit-based project lifts that in its own registry (``Change-Id: {forbidden: false}``)
        and may forbid others.
        The ``trailer-registry`` setting names the registry that says what is forbidden.

    Why it matters:
        A Change-Id is Gerrit's bookkeeping and means nothing in the upstream history; mailing
        list maintainers ask for it to be removed.

    Bad:
        ``Change-Id: I8d0a0b3c1e6f4a2b9c7d5e3f1a0b2c4d6e8f0a1b``.

    Good:
        No Change-Id (``git config gerrit.createChangeId false``, or strip it before
        ``git format-patch``).
    """

    code = "PL309"
    name = "forbidden-trailer"
    kinds = frozenset({Kind.PATCH})

    def check(self, target: Posting) -> Iterator[Violation]:
        log = self.commit_log(target)
        for index, tag in log.tag_lines(self.resources.registry).items():
            if tag.spec is not None and tag.spec.forbidden and not log.is_carried(index):
                yield self.violation(target, f"'{shorten(log.lines[index])}': {tag.spec.forbidden}", target.line(index))


class MissingRequiredTrailer(JudgesCommits, Rule):
    """Every trailer the registry requires is in the commit message.

    What it does:
        Reports each key the trailer registry marks ``required: true`` that no line of the
        commit message carries. The built-in registry requires nothing (Signed-off-by has its
        own rule), so this rule speaks only for a project registry, e.g. Yocto's
        ``Upstream-Status:`` or a Gerrit project's ``Change-Id:``.
        The ``trailer-registry`` setting names the registry that says what is required.

    Why it matters:
        Project tooling depends on these trailers (Yocto's patch tracking reads
        Upstream-Status, Gerrit matches versions by Change-Id); a patch without one is sent back.

    Bad:
        A Yocto patch without ``Upstream-Status:`` when the registry says
        ``Upstream-Status: {type: text, required: true}``.

    Good:
        ``Upstream-Status: Submitted [https://lore.kernel.org/…]``.
    """

    code = "PL310"
    name = "missing-required-trailer"
    kinds = frozenset({Kind.PATCH})

    def check(self, target: Posting) -> Iterator[Violation]:
        required = [spec for spec in self.resources.registry.specs.values() if spec.required]
        if not required:
            return
        log = self.commit_log(target)
        present = {tag.canonical.lower() for tag in log.tags(self.resources.registry)}
        where = target.line(max(log.start, log.end - 1))
        for spec in required:
            if spec.key.lower() not in present:
                yield self.violation(target, f"no '{spec.key}:' trailer; this project requires one", where)


@dataclass(frozen=True)
class ReportedByOptions:
    link_keys: tuple[str, ...] = option(("Closes", "Link"), 'trailers that link to the report.')
    reporter_keys: tuple[str, ...] = option(
        ("Reported-by", "Reported-and-tested-by"),
        'trailers that credit a reporter.',
    )


class ReportedByWithoutLink(JudgesCommits, Rule):
    """A Reported-by is followed by a Closes: (or Link:) to the report.

    What it does:
        For each ``Reported-by:`` (or ``Reported-and-tested-by:``) in the trailer block,
        reports when no ``Closes:`` or ``Link:`` with a URL follows it. Unlike checkpatch's
        BAD_REPORTED_BY_LINK, several reporters of one report may be listed together before a
        single link (the false positive people complained about): the link may come after
        further reporter lines, and such a group is reported once, at its first line. Other
        tags may stand between (``Reported-by:``, ``Tested-by:``, then ``Closes:``): a link
        anywhere below the group, before the next reporter, is its link.

    Why it matters:
        submitting-patches.rst: "Reported-by: … should be followed by a Closes: tag pointing to
        the report, unless the report is not available on the web." The link lets reviewers
        and regression trackers (regzbot) connect fix and report.

    Bad:
        ``Reported-by: Jane <jane@example.org>`` followed by ``Signed-off-by: …``.

    Good:
        ``Reported-by: Jane <jane@example.org>`` then
        ``Closes: https://lore.kernel.org/r/…@example.org/``.
    """

    code = "PL311"
    name = "reported-by-without-link"
    kinds = frozenset({Kind.PATCH})
    default_severity = Severity.WARNING
    Options = ReportedByOptions

    @cached_property
    def _keys(self) -> tuple[frozenset[str], frozenset[str]]:
        # (reporter keys, link keys) in lower case: the options do not change between postings
        return (
            frozenset(key.lower() for key in self.options.reporter_keys),
            frozenset(key.lower() for key in self.options.link_keys),
        )

    def check(self, target: Posting) -> Iterator[Violation]:
        reporters, links = self._keys
        log = self.commit_log(target)
        keys = log.trailer_keys  # the trailers' normalized keys
        if reporters.isdisjoint(keys):
            return  # most patches credit no reporter
        trailers = log.block.trailers
        for position, trailer in enumerate(trailers):
            if keys[position] not in reporters or log.is_carried(trailer.index):
                continue
            if position and keys[position - 1] in reporters:
                continue  # a group of reporters shares one link: judged at its first line
            # The link may come after other tags (Reported-by, Tested-by, Link); it belongs to
            # this group of reporters up to the next group of them.
            following = position + 1
            while following < len(trailers) and keys[following] in reporters:
                following += 1
            linked = False
            while following < len(trailers) and keys[following] not in reporters:
                if keys[following] in links and "://" in trailers[following].value:
                    linked = True
                    break
                following += 1
            if linked:
                continue
            yield self.violation(
                target,
                f"'{trailer.key}: {trailer.value}' is not followed by 'Closes:' with a URL to the "
                "report (or 'Link:' when the patch fixes only part of it)",
                target.line(trailer.index),
            )


_FIXES_LINE = re.compile(r"^\s*(?P<tag>fixes:?)\s*(?P<commit_word>commit\s*)?(?P<sha>[0-9a-f]{5,})\b", re.IGNORECASE)
_FIXES_VALUE = re.compile(r'^(?P<sha>[0-9a-fA-F]+)(?P<space>\s*)(?P<title>\(.*\))?(?P<rest>.*)$')
# An issue a tracker closes from the commit message: `#1081` (GitHub) or the issue's URL.
_ISSUE_REFERENCE = re.compile(r"#\d+|https?://\S+")


@dataclass(frozen=True)
class BadFixesTagOptions:
    """Options of bad-fixes-tag."""

    min_length: int = option(
        12,
        'the fewest hex digits a commit id may have (the kernel and QEMU ask for 12; projects'
        ' that quote ``git log --oneline`` ids accept fewer).',
    )
    allow_issue_references: bool = option(
        False,
        "accept ``Fixes: #123`` and ``Fixes: <URL>`` naming an issue the project's tracker "
        "closes from the commit (LTP's convention).",
    )


class BadFixesTag(JudgesCommits, Rule):
    """A Fixes: tag is 'Fixes: <12+ hex digits> ("<title>")' on one line, and names a real commit.

    What it does:
        Checks every ``Fixes:`` line of the commit message (and any trailer the registry types
        ``commit``): the key spelled ``Fixes:`` with one space; no ``commit`` word; at least
        ``min-length`` (12) lower-case hex digits; the title in parentheses and double quotes, on the same line
        (a title wrapped onto the next line breaks the tools that read it). With a repository
        (the ``git-dir`` setting, or ``patchlint check --git-dir``) it also reports a commit id
        that does not exist, is ambiguous or is not a commit, and a title that differs from the
        commit's subject, as NIPA's verify_fixes does; without one these checks say nothing.
        A ``Fixes:`` heading over a list (buildroot's autobuild URLs) outside the trailer block
        is text, not a tag, and the text a stable backport carries from upstream is not judged.
        The ``git-dir`` setting names a repository to resolve the commits in.

    Why it matters:
        The stable team and AUTOSEL pick fixes by their Fixes: tag, and tools parse it with a
        fixed pattern; checkpatch (BAD_FIXES_TAG) and NIPA (verify_fixes) reject other forms.
        A wrong id or title sends backports to the wrong branches.

    Bad:
        ``Fixes: 0123456 ("netfilter: add x")``, ``Fixes: commit 0123456789ab``,
        ``Fixes: 0123456789ab (netfilter: add x)``, a title split over two lines.

    Good:
        ``Fixes: 0123456789ab ("netfilter: nf_tables: add the x expression")``
        (``git log -1 --format='Fixes: %h ("%s")' --abbrev=12 COMMIT``).
    """

    code = "PL312"
    name = "bad-fixes-tag"
    kinds = frozenset({Kind.PATCH})
    default_severity = Severity.WARNING
    Options = BadFixesTagOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        log = self.commit_log(target)
        lines = log.lines
        commit_keys = self.resources.registry.keys_of(ValueType.COMMIT)
        skip = self._skipped_initials(commit_keys)
        for index in [index for index in range(log.start, log.end) if lines[index][:1] not in skip]:
            line = lines[index]
            if line[:1].isspace() and line.lstrip()[:1] in skip:
                continue
            colon = line.find(":")
            key = line[:colon].strip().lower() if colon >= 0 else ""
            if key not in commit_keys and not (("x" in line or "X" in line) and _FIXES_LINE.match(line)):
                continue
            if log.is_carried(index) or log.is_text(index, self.resources.registry):
                continue  # upstream's text in a backport; a heading or a sentence, not a tag
            problems = self.problems(log, index, key if key in commit_keys else "fixes")
            if problems:
                yield self.violation(target, f"'{shorten(line)}': {'; '.join(problems)}", target.line(index))

    def _skipped_initials(self, commit_keys: frozenset[str]) -> frozenset[str]:
        """What a line may start with (after its leading whitespace) and not be judged: a line
        is judged when the key before its first colon is a commit trailer's, or when
        _FIXES_LINE matches it, which needs an f or F there (f matches no other letter, even
        under IGNORECASE). So the ASCII characters that are not, in lower case, f or the first
        letter of a commit key, and the end of an empty line; nothing when the registry has
        the empty key."""
        memo = self.resources.memos.memo(self.code, "skipped")
        cached = memo.get("skip")
        if cached is None or cached[0] is not commit_keys:
            if "" in commit_keys:
                skip: frozenset[str] = frozenset()
            else:
                initials = {key[:1] for key in commit_keys} | {"f"}
                ascii_chars = map(chr, range(128))
                skip = frozenset(c for c in ascii_chars if not c.isspace() and c.lower() not in initials) | {""}
            cached = memo["skip"] = (commit_keys, skip)
        return cached[1]

    def problems(self, log: CommitLog, index: int, key: str) -> list[str]:
        """What is wrong with the Fixes-like line at ``index``."""
        line = log.lines[index]
        problems: list[str] = []
        spec = self.resources.registry.get(key)
        canonical = spec.key if spec is not None else "Fixes"
        match = _RAW_TRAILER.match(line)
        if match is None or line[:1].isspace():
            problems.append(f"write '{canonical}: ' at the start of the line")
            value = _FIXES_LINE.sub(lambda m: m.group("sha"), line, count=1).strip()
        else:
            # A trailer git sees has its key and colon judged by malformed-trailer, as every
            # trailer is: one defect, one report. Outside the block only this rule looks.
            judged_as_trailer = spec is not None and log.in_block(index)
            if match.group("key") != canonical and not judged_as_trailer:
                problems.append(f"write '{canonical}:', not '{match.group('key')}:'")
            if (match.group("before") or match.group("after") != " ") and not judged_as_trailer:
                problems.append("one space after the colon and none before it")
            value = match.group("value").strip()
        if self.options.allow_issue_references and _ISSUE_REFERENCE.fullmatch(value):
            return problems
        if value.lower().startswith("commit"):
            problems.append("drop the word 'commit'")
            value = value[6:].strip()
        parsed = _FIXES_VALUE.match(value)
        shortest = self.options.min_length
        if parsed is None:
            return problems + [f"no commit id: write '<{shortest}+ hex digits> (\"<title>\")'"]
        sha = parsed.group("sha")
        if len(sha) < shortest:
            problems.append(f"use at least {shortest} hex digits of the commit id, not {len(sha)}")
        elif len(sha) > 40:
            problems.append("the commit id is longer than 40 hex digits")
        if sha != sha.lower():
            problems.append("write the commit id in lower case")
        title = parsed.group("title")
        continued = index + 1 < log.end and log.lines[index + 1].strip() and not _RAW_TRAILER.match(log.lines[index + 1])
        if title is None:
            if continued and "(" in value:
                problems.append("keep the title on the same line as the commit id, even if it is long")
            elif "(" in value:
                problems.append("close the title's parenthesis: '(\"<title>\")'")
            else:
                problems.append("add the title: '<id> (\"<title>\")'")
        else:
            if parsed.group("space") != " ":
                problems.append("one space between the commit id and the title")
            inner = title[1:-1]
            if len(inner) >= 2 and inner.startswith('"') and not inner.endswith('"') and inner.count('"') >= 2:
                extra = inner[inner.rindex('"') + 1 :].strip()
                problems.append(f"only the title goes in the parentheses, not '{shorten(extra, 30)}'")
            elif not (len(inner) >= 2 and inner.startswith('"') and inner.endswith('"')):
                problems.append("put the title in double quotes: '(\"<title>\")'")
            rest = parsed.group("rest").strip()
            if rest and not rest.startswith("#"):
                problems.append(f"unexpected text after the title: '{shorten(rest, 30)}'")
        problems.extend(self._resolve(sha, title[2:-2] if title and title[1:2] == '"' else None))
        return problems

    def _resolve(self, sha: str, title: str | None) -> list[str]:
        if self.resources.repository is None or len(sha) < 4:
            return []
        found = self.resources.repository.lookup(sha)
        if found.found is Found.MISSING:
            return [f"commit {sha} is not in the repository {self.resources.repository.git_dir}"]
        if found.found is Found.AMBIGUOUS:
            return [f"commit id {sha} is ambiguous: use more hex digits"]
        if found.found is Found.NOT_A_COMMIT:
            return [f"{sha} is not a commit"]
        if title is not None and title != found.subject:
            expected = f"Fixes: {found.sha[:12]} (\"{found.subject}\")"
            return [f"the title does not match the commit's subject: '{expected}'"]
        return []


@dataclass(frozen=True)
class OrderOptions:
    order: str = option(
        "dpdk",
        "the name of an order in the trailer registry's ``orders:`` (a project adds its own "
        'in its ``trailer-registry``).',
    )


class TrailerOrder(JudgesCommits, Rule):
    """Tags follow the order the project requires (DPDK's, by default).

    What it does:
        Takes the tag order named by ``order`` from the trailer registry (the built-in registry
        has ``dpdk``: ``Coverity issue``, ``Bugzilla ID``, ``Fixes``, ``Cc``, an empty line,
        then ``Reported-by``, ``Suggested-by``, ``Signed-off-by``, ``Acked-by``,
        ``Reviewed-by``, ``Tested-by``) and reports a tag that comes after one the order puts
        later, and tags of two sections that share a paragraph. After the first key of the
        order's ``chronological-after`` (DPDK: Signed-off-by) the tags of the last section
        are in the order things happened, and not checked. Tags the order does not name are
        ignored. Off by default: the order is project-specific.

    Why it matters:
        Projects with a fixed order (DPDK's check-git-log.sh, the tip tree) check it before
        applying; a consistent order makes the history greppable.

    Bad:
        (DPDK) ``Cc: stable@dpdk.org`` above ``Fixes: …``; ``Fixes:`` and ``Signed-off-by:`` in
        one paragraph.

    Good:
        ``Fixes: …``, ``Cc: stable@dpdk.org``, an empty line, ``Signed-off-by: …``,
        ``Acked-by: …``.
    """

    code = "PL313"
    name = "trailer-order"
    kinds = frozenset({Kind.PATCH})
    enabled_by_default = False
    default_severity = Severity.WARNING
    Options = OrderOptions

    def configure(self, config: Config) -> None:
        super().configure(config)
        if self.options.order not in self.resources.registry.orders:
            known = ", ".join(sorted(self.resources.registry.orders)) or "none"
            raise ConfigError(
                config.files[0] if config.files else "<configuration>", 1,
                f"trailer-order option order {self.options.order!r} is not an order of the trailer "
                f"registry {self.resources.registry.files[0]} (orders: {known})",
            )

    def check(self, target: Posting) -> Iterator[Violation]:
        order = self.resources.registry.orders[self.options.order]
        log = self.commit_log(target)
        tags = [
            (tag, order.position(tag.canonical)) for tag in log.tags(self.resources.registry)
            if not log.is_carried(tag.index)
        ]
        ordered = [(tag, pos) for tag, pos in tags if pos is not None]
        free_from = order.position(order.chronological_after) if order.chronological_after else None
        chronological = False
        paragraphs = log.paragraph_of
        for (previous, before), (tag, now) in pairwise(ordered):
            assert before is not None and now is not None
            if free_from is not None and previous.canonical == order.chronological_after:
                chronological = True
            if chronological and free_from is not None and before >= free_from and now >= free_from:
                continue
            if now < before:
                yield self.violation(
                    target,
                    f"'{tag.canonical}:' should come before '{previous.canonical}:' "
                    f"(the {order.name} tag order)",
                    target.line(tag.index),
                )
            elif now[0] > before[0] and paragraphs.get(tag.index) == paragraphs.get(previous.index):
                yield self.violation(
                    target,
                    f"an empty line should separate '{previous.canonical}:' from "
                    f"'{tag.canonical}:' (the {order.name} tag order has sections)",
                    target.line(tag.index),
                )


@dataclass(frozen=True)
class MailmapOptions:
    keys: tuple[str, ...] = option(
        (
        "Signed-off-by", "Co-developed-by", "Acked-by", "Reviewed-by", "Tested-by",
        "Reported-by", "Suggested-by",
    ),
        'the trailers whose people are checked (by default the sign-off, review, test, report'
        ' and suggestion tags).',
    )


class ContributorNotInMailmap(JudgesCommits, Rule):
    """Every contributor named in a patch is in the project's .mailmap under that identity.

    What it does:
        With the ``mailmap`` setting pointing at the project's ``.mailmap``, reports the author
        and each person of the ``keys`` trailers who is not listed there as a primary identity
        (``Name <address>`` first on a line), saying whether the address is not their primary
        one or the person is unknown, as DPDK's check-git-log.sh does. Without the setting it
        says nothing. Off by default: only some projects keep such a mailmap.

    Why it matters:
        DPDK requires every contributor to be in its ``.mailmap`` with one canonical identity,
        so that statistics and credits count people, not addresses; a new contributor adds
        themselves in their first patch.

    Bad:
        (DPDK) a patch from ``Jane Doe <jane@example.org>`` when the mailmap lists
        ``Jane Doe <jane.doe@example.com>``, or does not list her.

    Good:
        The mailmap line ``Jane Doe <jane@example.org>``, added in the same patch if new.
    """

    code = "PL314"
    name = "contributor-not-in-mailmap"
    kinds = frozenset({Kind.PATCH})
    enabled_by_default = False
    default_severity = Severity.WARNING
    Options = MailmapOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        if self.resources.mailmap is None:
            return
        reported: set[str] = set()
        candidates = []
        log = self.commit_log(target)
        author = log.author  # who git am makes the author (DMARC unmasked, in-body From:)
        if author is not None:
            candidates.append((author, target.line_of_header("From")))
        for trailer, address in log.addressed({key.lower() for key in self.options.keys}):
            candidates.append((address.person, target.line(trailer.index)))
        for person, line in candidates:
            problem = self.resources.mailmap.knows(person)
            if problem and person.email.lower() not in reported:
                reported.add(person.email.lower())
                yield self.violation(target, f"{problem}: add them to {self.resources.mailmap.source or '.mailmap'}", line)

