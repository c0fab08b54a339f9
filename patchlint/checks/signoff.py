"""PL3xx: sign-offs and the people behind them (the Developer's Certificate of Origin)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from patchlint.model.cached import cached_property

from patchlint.checks.shared import JudgesCommits
from patchlint.checks.trailers import person_problems
from patchlint.model.commitlog import MEMO_LIMIT
from patchlint.model.identity import (
    Address,
    Match,
    best_match,
    compare,
    compare_addresses,
    is_mailbox_name,
    same_person,
)
from patchlint.model.headers import Person
from patchlint.model.kind import context_tag
from patchlint.model.posting import Kind, Posting
from patchlint.options import option
from patchlint.rule import Rule, Severity, Violation


class SignedOffBy(JudgesCommits, Rule):
    """Every patch carries the Signed-off-by of its author, and of its sender, last.

    What it does:
        Looks at the ``Signed-off-by:`` lines of a patch's commit message and reports: none at
        all (saying so when the only one is below ``---``, where ``git am`` drops it); none from
        the author (the in-body ``From:`` if the mail has one, else the ``From:`` header); and,
        when someone else sends the patch, none from the sender, or the sender's not being the
        last one. People match by address or by name, after the ``.mailmap`` of the
        ``mailmap`` setting if there is one; how well the author's sign-off matches is graded
        by ``sign-off-mismatch``. A sender a list rewrote for DMARC (``Jane via list``) is
        unmasked from ``X-Original-From:`` or ``Reply-To:`` first. The sender "forwards"
        someone's patch only when they are not its author under any of their identities (the
        same name in any case, the same address, or git send-email's Message-ID naming the
        author's address when a relay rewrote ``From:``); signing off with another address of
        one's own is ``sign-off-mismatch``'s warning. A sign-off without an address in angle
        brackets (``Signed-off-by: Jane jane@example.org``) is a sign-off written wrong, not a
        missing one: in the trailer block ``malformed-trailer`` reports it (one report), outside
        it this rule says what it lacks. A stable backport is judged whole: its sign-off chain
        is the backporter's to complete. A patch its sender marks as carried for context, not
        for applying (``[IGNORE]``, ``[DNM]``, ``[DO NOT MERGE]``: another author's patch the
        series builds on, under review on its own thread), needs its author's sign-off but not
        the sender's. Cover letters and pull requests are exempt.
        The ``mailmap`` setting (a ``.mailmap`` file, relative to the configuration)
        maps people's other addresses and names to the ones they sign off with.

    Why it matters:
        The Signed-off-by is the Developer's Certificate of Origin: each person who handled the
        patch certifies they may pass it on. The kernel, QEMU, git, U-Boot and DPDK refuse
        patches without it; the chain must end with whoever sent it.

    Bad:
        A patch from ``Jane <jane@example.org>`` whose only trailer is
        ``Signed-off-by: Joe <joe@example.org>``; a patch sent by Joe with
        ``From: Jane`` in the body and Joe's sign-off above Jane's.

    Good:
        ``From: Jane`` in the body, then ``Signed-off-by: Jane <jane@…>`` and, last,
        ``Signed-off-by: Joe <joe@…>`` from the sender.
    """

    code = "PL301"
    name = "signed-off-by"
    kinds = frozenset({Kind.PATCH})

    def check(self, target: Posting) -> Iterator[Violation]:
        log = self.commit_log(target)
        signers = log.signers
        # Sign-offs written without an address git and the tools can read ('Signed-off-by:
        # Jane jane@example.org'): there is a sign-off, malformed.
        unaddressed = [s for s in log.sign_offs if s.address is None]
        if not signers and unaddressed:
            if any(s.in_block for s in unaddressed):
                return  # malformed-trailer says what is wrong with it: one defect, one report
            # (Outside the trailer block malformed-trailer does not look, so the form is told here.)
            first = unaddressed[0]
            problem = person_problems(first.value)[0]
            yield self.violation(
                target,
                f"'Signed-off-by: {first.value}' certifies nothing: {problem}",
                target.line(first.index),
            )
            return
        if not signers:
            dropped = log.dropped_sign_offs
            if dropped:
                yield self.violation(
                    target,
                    "the Signed-off-by is below '---', where git am drops it: move it above "
                    "the '---' line, at the end of the commit message",
                    target.line(dropped[0]),
                )
                return
            if target.body.quoted_diff:
                return  # signed off below a quoted diff: dropped-commit-lines says to indent it
            yield self.violation(
                target,
                "no Signed-off-by: add 'Signed-off-by: Your Name <you@example.org>' "
                "(git commit -s) to certify the Developer's Certificate of Origin",
                target.line(target.body.message_end - 1 if target.body.message_end else 0),
            )
            return
        people = [s.address.person for s in signers if s.address is not None]
        author, sender = log.author, log.sender
        last = signers[-1].index  # where the violations are
        mailmap = self.resources.mailmap
        if author is not None and best_match(author, people, mailmap)[0] is Match.NONE and not any(
            _names(s.value, author) for s in unaddressed
        ):
            yield self.violation(target, f"the author {author} did not sign off", target.line(last))
        # Someone else's patch is forwarded only when the sender is not, under any of their
        # names and addresses, its author: a sender who signs with another address of their
        # own is sign-off-mismatch's business, and one whose From a relay rewrote (git
        # send-email's Message-ID still names the author's address) sent their own patch.
        if sender is None or author is None or same_person(sender, author, mailmap):
            return
        if context_tag(target.subject) is not None:
            return  # carried for context ('[IGNORE]'): the sender passes nothing on to be applied
        if target.send_email_address and target.send_email_address.lower() == author.email.lower():
            return
        if same_person(sender, people[-1], mailmap):
            return
        if not any(same_person(sender, person, mailmap) for person in people):
            yield self.violation(
                target,
                f"the sender {sender} forwards {author}'s patch without signing off",
                target.line(last),
            )
        else:
            yield self.violation(
                target, f"the sender {sender} should sign off last, after {people[-1]}", target.line(last)
            )


def _names(value: str, person: Person) -> bool:
    """Whether the text of a sign-off without a usable address names ``person`` (their address
    or their name): then they signed off, badly, and malformed-trailer says how."""
    text = value.casefold()
    return bool(person.email and person.email.casefold() in text) or bool(
        person.name and person.name.casefold() in text
    )


@dataclass(frozen=True)
class MismatchOptions:
    report: tuple[str, ...] = option(
        ("name", "address", "subaddress"),
        'which grades to report, among ``comment``, ``name``, ``address`` and ``subaddress`` '
        '(checkpatch reports comment differences only with ``--strict``).',
        choices=("comment", "name", "address", "subaddress"),
    )


_GRADE_NAMES = {
    Match.COMMENT: "comment",
    Match.NAME: "name",
    Match.SUBADDRESS: "subaddress",
    Match.ADDRESS: "address",
}


class SignOffMismatch(JudgesCommits, Rule):
    """The author's Signed-off-by spells their name and address as the From: does.

    What it does:
        Finds the sign-off that best matches the patch author (the in-body ``From:``, else the
        ``From:`` header) and grades the match as checkpatch's FROM_SIGN_OFF_MISMATCH does:
        identical; the same name and address with other comments (``Jane (ACME)``); the same
        address under another name; the same name with the address differing only in its
        ``+tag`` sub-address; the same name with another address. Names are compared after
        RFC 2047 decoding, Unicode normalisation and removal of quotes, and people known to the
        ``.mailmap`` of the ``mailmap`` setting under both spellings count as identical. No
        sign-off from the author at all is ``signed-off-by``'s business; a sign-off with no name
        at all (``Signed-off-by: jane@example.org``) is ``mailbox-name-sign-off``'s, which says
        so on that line; the author's sign-off a stable backport carries from upstream is
        upstream's.

    Why it matters:
        git records the ``From:`` as the commit's author and keeps the sign-off as written; when
        they differ, the history names one person two ways, and scripts that match authors to
        sign-offs (the kernel's verify_signedoff, NIPA, stable tooling) flag the commit.

    Bad:
        ``From: Jane Doe <jane@gmail.com>`` with ``Signed-off-by: Jane Doe <jane@corp.com>``
        (send with ``git send-email --from`` and an in-body ``From:``, or sign off with the
        address you send from); ``From: jdoe <jane@corp.com>`` with
        ``Signed-off-by: Jane Doe <jane@corp.com>``.

    Good:
        ``From: Jane Doe <jane@corp.com>`` and ``Signed-off-by: Jane Doe <jane@corp.com>``.
    """

    code = "PL302"
    name = "sign-off-mismatch"
    kinds = frozenset({Kind.PATCH})
    default_severity = Severity.WARNING
    Options = MismatchOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        log = self.commit_log(target)
        author = log.author  # who git am makes the author (DMARC unmasked, in-body From:)
        if author is None:
            return
        signers = log.signers
        if not signers:
            return
        mine = log.address(str(author)) or None
        best, where = Match.NONE, signers[0]
        for signer in signers:
            assert signer.address is not None
            grade = (
                compare_addresses(mine, signer.address, self.resources.mailmap)
                if mine is not None
                else compare(author, signer.address.person, self.resources.mailmap)
            )
            if grade < best:
                best, where = grade, signer
        grade_name = _GRADE_NAMES.get(best)
        if grade_name is None or grade_name not in self.options.report:
            return
        if log.is_carried(where.index):
            return  # the author's sign-off as upstream applied it, copied by a backport
        assert where.address is not None
        found = where.address
        if best is Match.NAME and where.in_block and is_mailbox_name(found):
            # 'Signed-off-by: jane@example.org' or 'dengqiao.joey <dengqiao.joey@…>': no real
            # name to differ, which mailbox-name-sign-off reports on this line (and fixing it is
            # what this rule would ask). One defect, one report.
            return
        detail = best.description
        mine_name = mine.name if mine is not None else author.name
        if best is Match.NAME and mine_name.casefold() == found.name.casefold():
            detail = "the names differ in case only"
        hint = {
            Match.NAME: "use the same name in both",
            Match.COMMENT: "use the same comment in both, or none",
            Match.SUBADDRESS: "use the same address in both",
            Match.ADDRESS: self._address_hint(target, author, found),
        }[best]
        yield self.violation(
            target,
            f"'From: {author}' != 'Signed-off-by: {where.value}': {detail}; {hint}",
            target.line(where.index),
        )

    @staticmethod
    def _address_hint(target: Posting, author: Person, found: Address) -> str:
        if target.body.inbody_header("From"):
            # The author is the in-body From: (git am takes it): that line is the one to mend.
            return f"make the in-body 'From:' line 'From: {found.person}', or sign off with <{author.email}>"
        written = target.replaced_from
        if written is not None and written.email.lower() == found.email.lower():
            # The sender wrote the sign-off's address; Gmail's server put the account's in.
            return (
                f"the mail was sent 'From: {written}', which Gmail's server replaced with the "
                f"account's address (it kept 'X-Google-Original-From:'), and git am takes the "
                f"author from the From: that arrived: send with an in-body 'From: {found.person}' "
                f"(git send-email writes one when --from, sendemail.from, is the account's "
                f"address and the author is not), or let the account send as <{found.email}>"
            )
        return f"sign off with the address you send from, or send with an in-body 'From: {found.person}'"


@dataclass(frozen=True)
class MailboxNameOptions:
    keys: tuple[str, ...] = option(
        ("Signed-off-by", "Co-developed-by"),
        'the trailers whose names are checked.',
    )


class MailboxNameSignOff(JudgesCommits, Rule):
    """A sign-off names a person by their name, not by a mailbox name or an address alone.

    What it does:
        Looks at each ``Signed-off-by:`` (and ``Co-developed-by:``) of a patch's commit message
        and reports one whose name is missing (``Signed-off-by: <jane@example.org>``), is an
        address, or is the mailbox part of the address: ``dengqiao.joey
        <dengqiao.joey@example.com>``, as a mail program fills it in when no name is set. A
        one-word name is not reported: many people have one.

    Why it matters:
        The Developer's Certificate of Origin is signed with a known identity; the kernel's
        submitting-patches.rst asks for "a known identity (sorry, no anonymous contributions)",
        and a user name is not one. It usually means ``user.name`` is not set in git.

    Bad:
        ``Signed-off-by: dengqiao.joey <dengqiao.joey@example.com>``;
        ``Signed-off-by: jane@example.org``.

    Good:
        ``Signed-off-by: Deng Qiao <dengqiao.joey@example.com>`` (``git config user.name``).
    """

    code = "PL303"
    name = "mailbox-name-sign-off"
    kinds = frozenset({Kind.PATCH})
    default_severity = Severity.WARNING
    Options = MailboxNameOptions

    @cached_property
    def _wanted(self) -> frozenset[str]:
        return frozenset(key.lower() for key in self.options.keys)

    def check(self, target: Posting) -> Iterator[Violation]:
        for trailer, address in self.commit_log(target).addressed(self._wanted):
            problem = is_mailbox_name(address)
            if problem:
                yield self.violation(
                    target,
                    f"'{trailer.key}: {trailer.value}': {problem}; sign with your name "
                    "(git config user.name \"Your Name\")",
                    target.line(trailer.index),
                )


class UnpairedCoDevelopedBy(JudgesCommits, Rule):
    """Every Co-developed-by is immediately followed by that person's Signed-off-by.

    What it does:
        For each ``Co-developed-by:`` in the trailer block, reports when the next line is not
        a ``Signed-off-by:``, when that sign-off names another person (name or address
        differ), and when the co-developer is the patch's author (the author is credited by
        ``From:``, not by Co-developed-by). People are compared after the ``.mailmap`` of the
        ``mailmap`` setting.

    Why it matters:
        submitting-patches.rst: "Co-developed-by: states that the patch was co-created by
        multiple developers ... Every Co-developed-by: must be immediately followed by a
        Signed-off-by: of the associated co-author." A co-author who does not sign off has not
        certified the Developer's Certificate of Origin for their part.

    Bad:
        ``Co-developed-by: Joe <joe@example.org>`` followed by ``Reviewed-by: …``, or by
        ``Signed-off-by: Jane <jane@example.org>``.

    Good:
        ``Co-developed-by: Joe <joe@example.org>`` then ``Signed-off-by: Joe <joe@example.org>``,
        then the author's and the sender's sign-offs in the order they handled the patch.
    """

    code = "PL304"
    name = "unpaired-co-developed-by"
    kinds = frozenset({Kind.PATCH})

    def check(self, target: Posting) -> Iterator[Violation]:
        log = self.commit_log(target)
        if "co-developed-by" not in log.trailer_keys:
            return
        trailers = {t.index: t for t in log.block.trailers}
        author = log.author  # who git am makes the author (DMARC unmasked, in-body From:)
        for key, trailer in zip(log.trailer_keys, log.block.trailers):
            if key != "co-developed-by" or log.is_carried(trailer.index):
                continue
            where = target.line(trailer.index)
            codev = log.address(trailer.value)
            if codev is not None and author is not None and (
                compare(author, codev.person, self.resources.mailmap) is not Match.NONE
            ):
                yield self.violation(
                    target,
                    f"Co-developed-by names the author {author}: the author is credited by "
                    "From:, drop this line",
                    where,
                )
                continue
            following = trailers.get(trailer.index + 1)
            if following is None or following.normalized_key != "signed-off-by":
                yield self.violation(
                    target,
                    f"'Co-developed-by: {trailer.value}' must be immediately followed by "
                    f"'Signed-off-by: {trailer.value}'",
                    where,
                )
                continue
            signer = log.address(following.value)
            if codev is None or signer is None:
                continue  # malformed-trailer reports the missing address
            if compare_addresses(codev, signer, self.resources.mailmap) not in (Match.SAME, Match.COMMENT):
                yield self.violation(
                    target,
                    f"Co-developed-by and the Signed-off-by after it name different people: "
                    f"'{codev}' and '{signer}'",
                    where,
                )


@dataclass(frozen=True)
class AgentOptions:
    keys: tuple[str, ...] = option(
        ("Signed-off-by", "Co-developed-by", "Co-authored-by"),
        'the trailers checked.',
    )
    # (Compiled joined, each in "(?:…)", ignoring case: checked so at load time.)
    agents: tuple[str, ...] = option(
        (
            r"claude(?: code| opus| sonnet| haiku)?(?: [\d.]+)?",
            r"(?:github )?copilot(?: agent)?",
            r"chatgpt|gpt-?\d[\w.-]*|openai(?: codex)?|codex",
            r"gemini(?: code assist| cli)?(?: [\d.]+)?",
            r"cursor(?: agent)?|devin(?: ai)?|aider|windsurf|amazon q|codewhisperer|tabnine",
        ),
        'names of agents, matched against the whole name.',
        regex=True, flags=re.IGNORECASE, grouped=True,
    )
    agent_addresses: tuple[str, ...] = option(
        (
            r"noreply@anthropic\.com",
            r"[^@]*\[bot\]@users\.noreply\.github\.com",
            r"\d+\+copilot@users\.noreply\.github\.com",
            r"cursoragent@cursor\.com",
            r"noreply@openai\.com",
        ),
        'addresses of agents, matched against the whole address.',
        regex=True, flags=re.IGNORECASE, grouped=True,
    )


class AgentSignOff(JudgesCommits, Rule):
    """An AI agent never signs off or co-develops a patch; it is credited with Assisted-by.

    What it does:
        Reports a ``Signed-off-by:``, ``Co-developed-by:`` or ``Co-authored-by:`` trailer whose
        person is an AI coding agent: a name matching one of the ``agents`` patterns (whole
        name, case-insensitive: ``Claude``, ``GitHub Copilot``, ``ChatGPT``, ``GPT-4o`` …) or an
        address matching one of ``agent-addresses`` (``noreply@anthropic.com``, GitHub bot
        addresses …). A person merely called Claude Dupont is not an agent.

    Why it matters:
        Only a person can certify the Developer's Certificate of Origin. The kernel's
        coding-assistants.rst: "AI agents MUST NOT add Signed-off-by tags"; the human submitter
        signs off and credits the tool with ``Assisted-by: AGENT_NAME:MODEL_VERSION [TOOL1]``.
        Agents add ``Co-Authored-By: Claude <noreply@anthropic.com>`` by default.

    Bad:
        ``Co-Authored-By: Claude <noreply@anthropic.com>``;
        ``Signed-off-by: GitHub Copilot <copilot@github.com>``.

    Good:
        ``Assisted-by: Claude:claude-3-opus coccinelle sparse`` and the human author's
        ``Signed-off-by:``.
    """

    code = "PL305"
    name = "agent-sign-off"
    kinds = frozenset({Kind.PATCH})
    Options = AgentOptions

    def _is_agent(self, address: Address) -> bool:
        # The same people sign most patches of a list: match each name and address once.
        known = self.resources.memos.memo(self.code, "agents")
        key = (address.name, address.email)
        if key not in known:
            if len(known) >= MEMO_LIMIT:
                known.clear()
            names, addresses = self._patterns
            known[key] = bool(names.fullmatch(address.name) or addresses.fullmatch(address.email))
        return known[key]

    @cached_property
    def _patterns(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        names = "|".join(f"(?:{p})" for p in self.options.agents) or "(?!)"
        addresses = "|".join(f"(?:{p})" for p in self.options.agent_addresses) or "(?!)"
        return re.compile(names, re.IGNORECASE), re.compile(addresses, re.IGNORECASE)

    @cached_property
    def _wanted(self) -> frozenset[str]:
        return frozenset(key.lower() for key in self.options.keys)

    def check(self, target: Posting) -> Iterator[Violation]:
        for trailer, address in self.commit_log(target).addressed(self._wanted):
            if self._is_agent(address):
                yield self.violation(
                    target,
                    f"'{trailer.key}: {trailer.value}' names an AI agent, which cannot certify "
                    "the Developer's Certificate of Origin: drop it, credit the tool with "
                    "'Assisted-by: AGENT:MODEL', and sign off yourself",
                    target.line(trailer.index),
                )
