"""Subject lines of patch postings: ``[LIST] Re: [RFC PATCH net-next v3 02/15] area: summary``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from patchlint.model.cached import cached_property

from patchlint.model.numbers import parse_number

# Reply and forward markers, including the localised ones mail clients write (German "AW",
# Scandinavian "SV"/"VS", Dutch "Antw", Chinese 答复/回复/转发) and counted ones ("Re[2]:").
# (Blanks are matched once, after the optional counter: two runs of ``\s*`` side by side would
# try every split of a long run of blanks.)
_REPLY = re.compile(
    r"(?:re|aw|sv|vs|antw|odp|fwd?|fw|tr|wg|答复|回复|转发)\s*(?:\[\d+\]\s*)?[:：]\s*", re.IGNORECASE
)
_SPACE = re.compile(r"\s*")
_VERSION = re.compile(r"[vV](\d+)")
_COUNTER = re.compile(r"(\d+)/(\d+)")
# `PATCHv2`, `RFCv3`, `PATCH-v2`: a prefix word with the version glued on.
_GLUED_VERSION = re.compile(r"(PATCH|RFC|RESEND)-?[vV](\d+)", re.IGNORECASE)
_SPLIT = re.compile(r"[\s,]+")
# A patch word typed in front of the bracketed prefix instead of inside it: "RFC:[PATCH v1]",
# "RESEND [PATCH]". Only the word and its colon: anything longer is the summary.
_STRAY_WORD = re.compile(r"(?:PATCH|RFC|RESEND)\s*:?\s*(?=\[)", re.IGNORECASE)

PATCH_WORDS = frozenset({"PATCH", "RFC", "RESEND", "PULL"})


@dataclass(frozen=True)
class Subject:
    """The fields of a subject line.

    ``prefixes`` are the words of the bracketed prefix other than the version and the counter, as
    written (``("RFC", "PATCH", "net-next")``); ``GIT PULL`` stays one word. ``counter_text`` and
    ``total_text`` keep their padding (``"03"``, ``"15"``). ``list_tags`` are bracketed tags that
    carry no patch word, such as ``[LTP]`` put in front by a list.
    """

    raw: str
    summary: str
    reply_prefix: str = ""
    list_tags: tuple[str, ...] = ()
    prefix_text: str = ""
    prefixes: tuple[str, ...] = ()
    version: int | None = None
    version_text: str = ""
    counter: int | None = None
    total: int | None = None
    counter_text: str = ""
    total_text: str = ""
    commit_tags: tuple[str, ...] = ()
    """Bracketed tags after the ``[PATCH …]`` group that carry no patch word (``[TEMP]``): part
    of the sender's commit subject, stripped by git am like the prefix."""
    stray_prefix: str = ""
    """A patch word written outside the brackets, in front of the ``[PATCH …]`` group, as
    written: ``RFC:`` in ``[LTP] RFC:[PATCH v1] foo``. Its word counts among the ``prefixes``
    (the sender meant ``[RFC PATCH v1]``), but git am strips only the bracketed groups in front:
    it commits the subject from the stray word on, which is ``stray_subject``."""
    stray_subject: str = ""
    commit_subject: str = ""
    """What follows the ``[PATCH …]`` group: the subject of the sender's commit, as ``git
    format-patch`` took it (``[TEMP] foo: bar`` for ``[PATCH 3/5] [TEMP] foo: bar``, where git am
    commits ``foo: bar`` unless run with ``--keep-non-patch``)."""

    @property
    def is_reply(self) -> bool:
        """``Re:``, ``AW:``, ``Fwd:`` … in front of the subject (or behind a list tag)."""
        return bool(self.reply_prefix)

    @cached_property
    def words(self) -> frozenset[str]:
        """The prefix words upper-cased, for membership tests."""
        return frozenset(word.upper() for word in self.prefixes)

    @property
    def is_patch_like(self) -> bool:
        """The prefix names a patch (PATCH, RFC, RESEND, PULL) or carries a counter."""
        return bool(self.words & PATCH_WORDS) or self.counter is not None

    @property
    def is_pull_request(self) -> bool:
        """``[GIT PULL]``, or ``[PULL]`` without a patch counter (QEMU's ``[PULL 03/10]`` are patches)."""
        words = self.words
        if "GIT PULL" in words:
            return True
        return "PULL" in words and not self.counter

    def to_json(self) -> dict[str, object]:
        """The fields ``patchlint show`` prints."""
        return {
            "raw": self.raw,
            "reply": self.reply_prefix.strip() or None,
            "list_tags": list(self.list_tags),
            "prefixes": list(self.prefixes),
            "version": self.version,
            "counter": self.counter,
            "total": self.total,
            "summary": self.summary,
        }


def parse_subject(raw: str) -> Subject:
    """Parse a decoded, unfolded subject line. Never fails: odd subjects keep their text."""
    text = raw.strip()
    # The text is walked with an offset rather than cut after each marker: a subject of a
    # hundred thousand "Re: " would otherwise be copied as many times.
    at, end = 0, len(text)
    replies: list[str] = []
    list_tags: list[str] = []
    groups: list[str] = []
    after_prefix: int | None = None  # where the text after the [PATCH …] group starts
    commit_tags: list[str] = []
    stray: tuple[int, int] | None = None  # where a patch word outside the brackets starts and ends
    while at < end:
        match = _REPLY.match(text, at)
        if match and not groups and stray is None:
            replies.append(match.group(0))
            at = _SPACE.match(text, match.end()).end()
            continue
        word = _STRAY_WORD.match(text, at) if not groups and stray is None else None
        if word is not None:
            close = text.find("]", word.end())
            if close != -1 and _is_prefix_group(text[word.end() + 1 : close].strip()):
                stray = (at, word.end())
                at = word.end()
                continue
        if text.startswith("[", at):
            close = text.find("]", at)
            if close == -1:
                break
            group = text[at + 1 : close].strip()
            at = _SPACE.match(text, close + 1).end()
            if _is_prefix_group(group):
                if not groups:
                    after_prefix = at
                groups.append(group)
            elif groups:
                commit_tags.append(group)  # "[TEMP]" after "[PATCH 3/5]": the commit's own tag
            else:
                list_tags.append(group)
            continue
        break
    if stray is not None:
        groups.insert(0, text[stray[0] : stray[1]].rstrip().rstrip(":"))
    fields = _prefix_fields(groups)
    return Subject(
        raw=raw,
        summary=text[at:],
        reply_prefix="".join(replies),
        list_tags=tuple(list_tags),
        prefix_text=" ".join(f"[{group}]" for group in groups[1 if stray else 0 :]),
        stray_prefix=text[stray[0] : stray[1]].strip() if stray else "",
        stray_subject=text[stray[0] :] if stray else "",
        commit_subject=text[at if after_prefix is None else after_prefix :],
        commit_tags=tuple(commit_tags),
        **fields,
    )


def _tokens(group: str) -> list[str]:
    tokens: list[str] = []
    for token in _SPLIT.split(group):
        if not token:
            continue
        glued = _GLUED_VERSION.fullmatch(token)
        joined = token.split("/")
        if glued:
            tokens += [glued.group(1), "v" + glued.group(2)]
        elif len(joined) > 1 and all(part.upper() in PATCH_WORDS for part in joined):
            # "[PATCH/RFC]", as git's SubmittingPatches writes it: two prefix words. (A tree
            # pair such as "libnftnl/nft" stays one word.)
            tokens += joined
        else:
            tokens.append(token)
    return tokens


def _is_prefix_group(group: str) -> bool:
    for token in _tokens(group):
        if token.upper() in PATCH_WORDS or token.upper() == "GIT":
            return True
        if _COUNTER.fullmatch(token) or _VERSION.fullmatch(token):
            return True
    return False


def _prefix_fields(groups: list[str]) -> dict:
    prefixes: list[str] = []
    fields: dict = {}
    for group in groups:
        tokens = _tokens(group)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            version = _VERSION.fullmatch(token)
            counter = _COUNTER.fullmatch(token)
            if version and "version" not in fields:
                fields["version"] = parse_number(version.group(1))
                fields["version_text"] = token
            elif counter and "counter" not in fields:
                fields["counter_text"], fields["total_text"] = counter.group(1), counter.group(2)
                fields["counter"], fields["total"] = parse_number(counter.group(1)), parse_number(counter.group(2))
            elif token.upper() == "GIT" and i + 1 < len(tokens) and tokens[i + 1].upper() == "PULL":
                prefixes.append(f"{token} {tokens[i + 1]}")
                i += 1
            else:
                prefixes.append(token)
            i += 1
    fields["prefixes"] = tuple(prefixes)
    return fields


# -- the subsystem prefix of a summary: ``area: sub: what it does`` ----------------------------
#
# Surveyed on a year of netfilter-devel, LTP and linux-i2c (and the kernel lists of the precision
# samples): a component before ``: `` is one path-like word (``nf_tables``, ``net/sched``,
# ``ip[6]tables-translate``, ``{ip,nf}``, ``tst_netload()``, ``FILE_PRINTF|SCANF``,
# ``qcom,i2c-geni``), or a few of them joined by commas (``tpm, tpm_tis``,
# ``x86/amd_nb, x86/amd_node``, ``fcntl{34, 36}``), by `` / `` (``ACPI / PM``) or by spaces when
# they are not capitalised English words (``driver core``, ``device property``, ``mctp i2c``,
# ``hwmon (it87)``). A capitalised word joined by a space (``Reduce redundant``, ``Fix the bug``)
# is prose: the prefix ends before it.
_TERM = re.compile(r"[\w.*{}+/\[\]|<>#=~&()-]+")
_PROSE_WORD = re.compile(r"[A-Z][a-z]")
_SEPARATOR = re.compile(r",\s*|\s+/\s+|\s+")
MAX_COMPONENT = 64
MAX_SPACED_WORDS = 3


def _is_component(text: str) -> bool:
    """Whether ``text`` (what stands before one ``: ``) is a subsystem component."""
    if not text or len(text) > MAX_COMPONENT or text != text.strip():
        return False
    words = 1
    position = 0
    first = True
    for separator in _SEPARATOR.finditer(text):
        if not _term(text[position : separator.start()], first):
            return False
        if separator.group(0).strip() == "":  # a space between words, not a comma or " / "
            words += 1
            if words > MAX_SPACED_WORDS:
                return False
        else:
            words = 1
        position = separator.end()
        first = False
    if not _term(text[position:], first):
        return False
    # Words joined by spaces are a name ("driver core", "mctp i2c") unless one is a
    # capitalised English word: "Reduce redundant", "Fix the bug" are prose.
    return " " not in text.replace(", ", "").replace(" / ", "") or not any(
        _PROSE_WORD.match(word) for word in text.split()
    )


def _term(word: str, first: bool) -> bool:
    if not word:
        return not first  # "{, f}setxattr": an empty alternative inside braces
    return _TERM.fullmatch(word) is not None and any(c.isalnum() for c in word)


def subsystem_and_rest(summary: str) -> tuple[str, str]:
    """Split a summary into its subsystem prefix and the rest.

    ``("net: foo: ", "fix the bar")`` for ``"net: foo: fix the bar"``, ``("driver core: ",
    "make … const")`` for ``"driver core: make … const"``; ``("", summary)`` when the summary
    does not start with a prefix followed by some text.
    """
    end = 0
    while True:
        colon = summary.find(": ", end)
        if colon == -1 or not _is_component(summary[end:colon]):
            break
        end = colon + 2
    if end == 0 or not summary[end:].strip():
        return "", summary
    return summary[:end], summary[end:]


# A prefix written without the space after its colons ("i2c:octeon:Add …") or with one before
# them ("netfilter :nf_tables: …", "zram01.sh : add …"): a prefix all the same, badly spaced.
_GLUED_PREFIX = re.compile(r"((?:[\w.*{}+/\[\]-]+:)+)(?=[^\s:/])")
_SPACED_COLON = re.compile(r"([\w.*{}+/\[\]-]+) :\s*")


def prefix_spacing(summary: str) -> str | None:
    """What is wrong with the spacing of a summary's prefix, with the fix, or None."""
    glued = _GLUED_PREFIX.match(summary)
    if glued and not summary.startswith(("http:", "https:")):
        written = glued.group(1)
        after = summary[len(written) :].split()
        fixed = written.replace(":", ": ") + (after[0] if after else "")
        return f"the prefix {written!r} has no space after its colons: write '{fixed}…'"
    spaced = _SPACED_COLON.match(summary)
    if spaced:
        after = summary[spaced.end() :].split()
        fixed = f"{spaced.group(1)}: {after[0] if after else ''}"
        return f"a space before the colon in {spaced.group(0).strip()!r}: write '{fixed}…'"
    if summary.startswith(":"):
        return "the summary starts with ':': the subsystem in front of it is missing"
    return None
