"""People in patches: trailer addresses, graded identity matching, .mailmap and DMARC unmasking.

A person appears in a patch as the mail's sender, the in-body ``From:`` (the author) and in
person-valued trailers (``Signed-off-by: Jane Doe <jane@example.org>``). Deciding whether two of
these are the same person is what the sign-off rules are about, so it is done here once, the way
checkpatch does it, with grades instead of yes/no (see :class:`Match`).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from patchlint.model.cached import cached_property
from pathlib import Path

from patchlint.config import Config, ConfigError, node_line
from patchlint.model.headers import Person, decode_words, unmask_sender  # noqa: F401 - unmask_sender is part of this module's API

MAILMAP_SETTING = "mailmap"


@dataclass(frozen=True)
class Address:
    """A person as written in a trailer, split as checkpatch's ``parse_email`` splits it.

    ``Jane Doe (ACME) <jane@example.org> # 6.1+`` has the name ``Jane Doe``, the name comment
    ``(ACME)``, the address and the trailing ``# 6.1+``. ``bracketed`` tells whether the address
    was written in angle brackets; ``name_outside_brackets`` flags ``Jane jane@example.org``, which
    is not an address at all.
    """

    name: str
    comment: str
    email: str
    trailing: str
    bracketed: bool

    @property
    def email_key(self) -> str:
        """The address as compared: case-folded."""
        return self.email.lower()

    @cached_property
    def person(self) -> Person:
        """The name and address as a :class:`Person` (made once: an address parsed for one
        patch is reused for the next ones that carry it, and compared again each time)."""
        return Person(self.name, self.email)

    def __str__(self) -> str:
        text = f"{self.name} <{self.email}>" if self.name else f"<{self.email}>"
        return f"{text} {self.trailing}".rstrip() if self.trailing else text


# An address in angle brackets. Its local part is written "[^<>\s][^<>\s@]*" (the first "@"
# after the first character splits it) rather than "[^<>\s]+": the same addresses, but a local
# part that may hold "@" tries every "@" of a "<@@@@…" as the split, each time to the end.
_IN_BRACKETS = r"<(?P<email>[^<>\s][^<>\s@]*@[^<>\s]+)>"
_BRACKETED = re.compile(r"^(?P<name>.*?)" + _IN_BRACKETS + r"(?P<rest>.*)$")
# A bare address: a run of these characters with an "@" that is neither its first nor its last.
_BARE_RUN = re.compile(r'[^\s<>"]+')
_PARENS = re.compile(r"\([^()]*\)")
# What nearly every trailer is: ``Name <address>`` with nothing after it, and no quotes,
# comments or line breaks in the name, which leave nothing for the general path below to do.
_PLAIN = re.compile(r"(?P<name>[^\"()<>\n]*)" + _IN_BRACKETS)


def parse_address(value: str) -> Address | None:
    """Split a person-valued trailer; None when there is no address in it.

    ``Jane Doe jane@example.org`` (a name but no angle brackets) is None too: it is not an address
    a mail program or git would accept.
    """
    value = value.strip()
    plain = _PLAIN.fullmatch(value)
    if plain is not None and "=?" not in plain.group("name"):
        # The general path's answer for such a value, without its searches and substitutions.
        return Address(" ".join(plain.group("name").split()), "", plain.group("email"), "", True)
    match = _BRACKETED.match(value)
    bracketed = match is not None
    if match is not None:
        raw_name, email, rest = match.group("name"), match.group("email"), match.group("rest")
    else:
        bare = _bare_address(value)
        if bare is None:
            return None
        raw_name, email, rest = bare
        if raw_name.strip().strip('"'):
            return None
    name = decode_words(raw_name)
    comment = ""
    # The text between the first and the last quote (a search for '"(.+)"' tries every quote
    # of a line of them as the opening one).
    first, last = name.find('"'), name.rfind('"')
    quoted = name[first + 1 : last] if first != -1 and last > first + 1 else None
    if quoted is not None:  # "John D. (Doe)": a quoted name keeps its parentheses
        name = (name[:first] + name[last + 1 :]).strip()
    comments = _PARENS.findall(name)
    if comments:
        comment = " ".join(comments)
        name = _PARENS.sub(" ", name)
    name = name.strip(' "')
    if quoted is not None:
        name = f"{quoted} {name}".strip()
    return Address(
        name=" ".join(name.split()),
        comment=comment,
        email=email.strip(),
        trailing=rest.strip(),
        bracketed=bracketed,
    )


def _bare_address(value: str) -> tuple[str, str, str] | None:
    r"""``(text before, address, text after)`` of the first address not in angle brackets.

    What ``^(.*?)([^\s<>"]+@[^\s<>"]+)(.*)$`` finds, in one pass: the address is the first
    run of those characters with an "@" inside it (the pattern retried its run from every
    position of a long word without one).
    """
    for run in _BARE_RUN.finditer(value):
        if "@" in run.group()[1:-1]:
            return value[: run.start()], run.group(), value[run.end() :]
    return None


def address_problem(email: str) -> str | None:
    """Why ``email`` is not a valid address (syntax only: no DNS lookup), or None.

    email-validator decides every address: a home-made shortcut would drift from its rules.
    It is imported here, when an address is first judged: a run that judges none (a cover
    letter, ``patchlint rules``) does not pay for building its character tables.
    """
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def name_key(name: str) -> str:
    """A name as compared: decoded, Unicode-normalised, quotes and extra spaces removed."""
    if name.isascii() and '"' not in name and "=?" not in name:
        return " ".join(name.split())  # nothing to decode, normalise or unquote: the usual case
    name = unicodedata.normalize("NFC", decode_words(name)).replace('"', "")
    return " ".join(name.split())


def _without_subaddress(email: str) -> str:
    # RFC 5233: jane+lkml@example.org is delivered to jane@example.org.
    local, _, domain = email.lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


class Match(enum.IntEnum):
    """How well two identities match, best first (checkpatch's ``authorsignoff`` grades)."""

    SAME = 1
    """Same name and address (after .mailmap), comments aside."""
    COMMENT = 2
    """Same name and address, different comments: ``Jane (ACME)`` against ``Jane``."""
    NAME = 3
    """Same address, another name."""
    SUBADDRESS = 4
    """Same name, same address once ``+tag`` is removed."""
    ADDRESS = 5
    """Same name, another address."""
    NONE = 6
    """Nothing in common."""

    @property
    def description(self) -> str:
        """What differs, for messages."""
        return {
            Match.SAME: "identical",
            Match.COMMENT: "the comments differ",
            Match.NAME: "the names differ",
            Match.SUBADDRESS: "the sub-addresses (+tag) differ",
            Match.ADDRESS: "the addresses differ",
            Match.NONE: "nothing matches",
        }[self]


@dataclass(frozen=True)
class Mailmap:
    """A git ``.mailmap``: maps the names and addresses people used to their canonical ones.

    The four forms git accepts are understood (see ``git help gitmailmap``); lookup is by
    (name, address) first, then by address alone, both case-insensitive, as git does.
    """

    by_email: Mapping[str, tuple[str | None, str | None]]
    by_name_email: Mapping[tuple[str, str], tuple[str | None, str | None]]
    primary: frozenset[tuple[str, str]]
    primary_names: frozenset[str]
    source: str = ""

    @classmethod
    def parse(cls, text: str, source: str = "") -> Mailmap:
        """Parse ``.mailmap`` text; unreadable lines are skipped, as git skips them."""
        by_email: dict[str, tuple[str | None, str | None]] = {}
        by_name_email: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        primary: set[tuple[str, str]] = set()
        names: set[str] = set()
        for line in text.splitlines():
            if line.lstrip().startswith("#"):
                continue
            entries = re.findall(r"([^<>]*)<([^<>]*)>", line)
            if not entries:
                continue
            proper_name = entries[0][0].strip() or None
            proper_email = entries[0][1].strip() or None
            if proper_name and proper_email:
                primary.add((name_key(proper_name).casefold(), proper_email.lower()))
            if proper_name:
                names.add(name_key(proper_name).casefold())
            if len(entries) == 1:
                if proper_email:
                    by_email.setdefault(proper_email.lower(), (proper_name, None))
                continue
            commit_name = entries[1][0].strip()
            commit_email = entries[1][1].strip().lower()
            target = (proper_name, proper_email)
            if commit_name:
                by_name_email[(name_key(commit_name).casefold(), commit_email)] = target
            else:
                by_email[commit_email] = target
        return cls(by_email, by_name_email, frozenset(primary), frozenset(names), source)

    @classmethod
    def read(cls, path: Path) -> Mailmap:
        """Read and parse a ``.mailmap`` file."""
        return cls.parse(path.read_text(encoding="utf-8", errors="replace"), str(path))

    def canonical(self, person: Person) -> Person:
        """``person`` as the mailmap says they are known (unchanged when not listed)."""
        email = person.email.lower()
        found = self.by_name_email.get((name_key(person.name).casefold(), email))
        if found is None:
            found = self.by_email.get(email)
        if found is None:
            return person
        name, address = found
        return Person(name or person.name, address or person.email)

    def knows(self, person: Person) -> str | None:
        """Why ``person`` is not a primary identity of the mailmap (DPDK's check), or None."""
        key = (name_key(person.name).casefold(), person.email.lower())
        if key in self.primary:
            return None
        if key[0] in self.primary_names:
            return f"{person.name}'s address {person.email} is not their primary one in the mailmap"
        return f"{person} is not in the mailmap"


def compare(a: Person, b: Person, mailmap: Mailmap | None = None) -> Match:
    """How well ``a`` and ``b`` name the same person (``a`` is usually the author)."""
    if mailmap is not None:
        a, b = mailmap.canonical(a), mailmap.canonical(b)
    same_email = bool(a.email) and a.email.lower() == b.email.lower()
    name_a = name_key(a.name)
    name_b = name_a if b.name == a.name else name_key(b.name)  # often one spelling: key it once
    same_name = bool(name_a) and name_a == name_b
    if same_email and (same_name or (not name_a and not name_b)):
        return Match.SAME
    if same_email:
        return Match.NAME
    if same_name and _without_subaddress(a.email) == _without_subaddress(b.email):
        return Match.SUBADDRESS
    if same_name:
        return Match.ADDRESS
    return Match.NONE


def same_person(a: Person, b: Person, mailmap: Mailmap | None = None) -> bool:
    """Whether ``a`` and ``b`` may well be one person: any grade of :func:`compare` but
    :attr:`Match.NONE`, the same name in another case (``WEI GAO``, ``Wei Gao``), or the same
    address once ``+tag`` is removed. What the sign-off rules ask before they say that one
    person handles another's patch; how well the spellings match is another question."""
    if compare(a, b, mailmap) is not Match.NONE:
        return True
    name_a, name_b = name_key(a.name).casefold(), name_key(b.name).casefold()
    if name_a and name_a == name_b:
        return True
    return bool(a.email) and _without_subaddress(a.email) == _without_subaddress(b.email)


def compare_addresses(a: Address, b: Address, mailmap: Mailmap | None = None) -> Match:
    """:func:`compare`, telling apart name comments (``Jane (ACME)`` against ``Jane``)."""
    grade = compare(a.person, b.person, mailmap)
    if grade is Match.SAME and a.comment != b.comment:
        return Match.COMMENT
    return grade


def best_match(person: Person, candidates: Iterable[Person], mailmap: Mailmap | None = None) -> tuple[Match, int]:
    """The best grade of ``person`` against ``candidates`` and the index of that candidate
    (-1 when there are none); the last one wins a tie, since the chain ends with the sender."""
    best, where = Match.NONE, -1
    for index, candidate in enumerate(candidates):
        grade = compare(person, candidate, mailmap)
        if grade <= best:
            best, where = grade, index
    return best, where


def is_mailbox_name(address: Address) -> str | None:
    """Why the name of ``address`` is not a real name, or None when it looks like one.

    Only the unmistakable cases: no name, a name with ``@`` in it, and a name that is the
    mailbox (the part before ``@``) as a mail program copies it, like ``dengqiao.joey
    <dengqiao.joey@…>``: one word, in lower case or with dots, digits or underscores. A
    capitalised one-word name (``Sukarno <sukarno@…>``) is not flagged: many people have one.
    """
    name = address.name
    if not name:
        return "there is no name, only an address"
    if "@" in name:
        return f"the name {name!r} is an address"
    if " " in name:
        return None
    local = address.email.split("@", 1)[0].split("+", 1)[0]
    handle_like = name == name.lower() or re.search(r"[._\d-]", name) is not None
    if _squeeze(name) == _squeeze(local) and handle_like:
        return f"the name {name!r} is the mailbox of {address.email}"
    return None


def _squeeze(text: str) -> str:
    # "dengqiao.joey" and "dengqiao_joey" are the same handle
    return re.sub(r"[\W_]+", "", text.casefold())


def mailmap_for(config: Config) -> Mailmap | None:
    """The ``.mailmap`` of a configuration's ``mailmap`` setting (relative to the file that sets
    it), or None when there is none."""
    setting = config.setting_path(MAILMAP_SETTING, "the path of a .mailmap file")
    if setting is None:
        return None
    path, file, node = setting
    try:
        return Mailmap.read(path)
    except OSError as exc:
        raise ConfigError(file, node_line(node), f"mailmap: cannot read {path}: {exc.strerror or exc}") from None
