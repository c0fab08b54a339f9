"""PL3xx: the commit message — a description, wrapped lines, lines git keeps, commit references."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from patchlint.checks.shared import JudgesCommits, plural
from patchlint.model.commitlog import CommitLog
from patchlint.resources.gitrepo import Found
from patchlint.model.posting import Kind, Posting
from patchlint.options import option
from patchlint.rule import Rule, Severity, Violation


class MissingCommitDescription(JudgesCommits, Rule):
    """A patch's commit message says more than its subject line.

    What it does:
        Reports a patch whose commit message has no text besides the subject and the trailer
        block (checkpatch's COMMIT_MESSAGE, "Missing commit description").

    Why it matters:
        submitting-patches.rst: "Describe your problem … Describe your changes." The
        description is what a reviewer, and later a bisecting developer, reads to learn why
        the change was made; maintainers do not apply patches without one, however small.

    Bad:
        ``Subject: [PATCH] netfilter: nft_ct: fix typo`` and then only
        ``Signed-off-by: …``.

    Good:
        A paragraph saying what was wrong and what the patch changes, then the trailers.
    """

    code = "PL315"
    name = "missing-commit-description"
    kinds = frozenset({Kind.PATCH})
    default_severity = Severity.WARNING

    def check(self, target: Posting) -> Iterator[Violation]:
        if not self.commit_log(target).has_description():
            yield self.violation(
                target,
                "no commit description: say what the problem is and how the patch solves it, "
                "above the trailers",
            )


@dataclass(frozen=True)
class LongLineOptions:
    max_length: int = option(75, 'the longest line allowed.')


# Lines checkpatch (and common sense) lets run long: quoted tool output (compiler and assertion
# messages naming "file.c:12:", linker errors, sanitizer reports), diffstat rows, commit
# references whose title cannot be wrapped, code, and columns aligned with runs of spaces.
_PATH_COLON = re.compile(r"^\s*(?:[\w.+-]*/)+[\w.+-]+:")
# "file.c:12:" or "file.c:(": a run of path characters ending in ".ext" with a word character
# before the dot, then the colon. Found run by run (see _names_file_line): the single pattern
# "\b[\w.+/-]+\.\w+:(?:\d+:|\()" retried a long "a.a.a.…" from each of its word boundaries.
_PATH_RUN = re.compile(r"[\w.+/-]+")
_AFTER_FILE = re.compile(r":(?:\d+:|\()")
_EXTENSION = re.compile(r"\w+")
_WORD = re.compile(r"\w")
_DIFFSTAT = re.compile(r"^\s*[\w/.+-]+\s+\|\s+\d+")
_COMMIT_TITLE = re.compile(r"\b[0-9a-f]{7,40}\s+\(\"", re.IGNORECASE)
_CODE = re.compile(r"/\*|\*/|[;{]\s*$|\S {3,}\S|\b0x[0-9a-fA-F]{6,}")
# Command lines (options after a double dash) and tool messages ("name:4:18-25: Error: …").
_COMMAND = re.compile(r"(?:^|\s)--[a-z][\w-]*|^\S+:\d+:\d+")
_PROMPTS = ("$ ", "# ", "% ", "| ")


class CommitLogLongLine(JudgesCommits, Rule):
    """Commit message lines are wrapped at 75 columns, except what cannot be wrapped.

    What it does:
        Reports the first line of a patch's commit message longer than ``max-length``
        characters (and how many more there are), as checkpatch's COMMIT_LOG_LONG_LINE does,
        with its exemptions and a few more: trailers and other tag lines, lines with a URL,
        indented lines (quoted logs, code, command output), quoted stack dumps (from a
        ``WARNING:``/``BUG:``/timestamp line to the next empty line, and lockdep's
        ``ffff000011021100 (lock){+.+.}`` lines), quoted tool output (from a command at a
        shell prompt, a ``file.c:12:4: error:`` diagnostic, an ``ld:``, ``make:`` or
        ``ERROR: modpost:`` message, a message on a build product such as ``board.dtb: …``,
        a timestamped log line or the ``commit <id>``/``Author:``/``Date:`` header git log
        prints to the next empty line, and any line ending in a compiler's
        ``[-Wwarning-option]``), other ``path/file.c:12:`` messages,
        diffstat rows, shell commands (``$ …``,
        ``# …``, lines with ``--options``), code (comments, lines ending in ``;`` or ``{``,
        columns aligned with runs of spaces, long hex numbers), commit references with their
        titles, and a single word too long to wrap. The stable maintainers' review preamble
        above the commit message is not part of it, and the text a stable backport carries from
        upstream (below ``[ Upstream commit … ]`` or ``commit … upstream.``) is upstream's
        wrapping, not the backporter's to change.

    Why it matters:
        ``git log`` indents the message by four columns; lines wrapped at 75 read well in an
        80-column terminal and in mail replies. A long unwrapped line usually means the text
        was pasted from an editor that wraps softly.

    Bad:
        A paragraph written as one 300-character line.

    Good:
        The same paragraph wrapped at 72–75 columns; a long URL on a line of its own.
    """

    code = "PL316"
    name = "commit-log-long-line"
    kinds = frozenset({Kind.PATCH})
    default_severity = Severity.WARNING
    Options = LongLineOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        log = self.commit_log(target)
        lines = log.lines
        limit = self.options.max_length
        if max(map(len, lines[log.start : log.end]), default=0) <= limit:
            return  # no line too long: the usual case, found without a loop in Python
        # The prose lines that are too long and not exempt, tested in the order of cost: few
        # lines are long, and the stack dumps are looked for only when one of them is left.
        long_lines = [
            index for index in range(log.start, log.end)
            if len(lines[index]) > limit and log.is_description(index) and not log.is_carried(index)
            and not self._exempt(log, index) and index not in log.quoted_output_lines
        ]
        if not long_lines:
            return
        first = long_lines[0]
        more = f"; {plural(len(long_lines) - 1, 'more line')} too long" if len(long_lines) > 1 else ""
        yield self.violation(
            target,
            f"line of {len(log.lines[first])} characters in the commit message (wrap at {limit}){more}",
            target.line(first),
        )

    def _exempt(self, log: CommitLog, index: int) -> bool:
        line = log.lines[index]
        if line[:1] in (" ", "\t", ">") or line.startswith(_PROMPTS):
            return True
        if "://" in line or " " not in line.strip():
            return True
        if index in log.tag_lines(self.resources.registry):  # a tag (its index is one of the message's)
            return True
        # Searched only where they can match (":" for _FILE_LINE, '("' for _COMMIT_TITLE): a
        # search through a long line of prose is the costly part of this rule.
        if _PATH_COLON.match(line) or (":" in line and _names_file_line(line)) or _DIFFSTAT.match(line):
            return True
        if '("' in line and _COMMIT_TITLE.search(line):
            return True
        return bool(_CODE.search(line) or _COMMAND.search(line))


class DroppedCommitLines(JudgesCommits, Rule):
    """Every line of the commit message survives git: none starts with '#', no diff cuts it short.

    What it does:
        Reports lines of a patch's commit message that start with ``#`` (checkpatch's
        COMMIT_COMMENT_SYMBOL), once per run of such lines, and a commit message that ``git
        am`` cuts short: a line such as ``diff --git …``, ``--- a/file`` or ``Index: …`` in
        the text is where git decides the patch begins, so everything after it — the rest of
        the text and the sign-offs — is lost.

    Why it matters:
        git treats ``#`` lines as comments and drops them whenever the message is edited
        (``commit --amend``, ``rebase -i``, ``cherry-pick -e``), and ``interpret-trailers``
        ignores them; a ``#include`` or a shell prompt at the start of a line disappears from
        the history. A diff quoted in the message makes ``git am`` apply the wrong thing.

    Bad:
        ``#include <linux/netfilter.h> is missing`` or ``# nft list ruleset`` at the start of a
        line; a ``--- a/net/core/dev.c`` line quoted in the explanation.

    Good:
        The same lines indented by a few spaces.
    """

    code = "PL317"
    name = "dropped-commit-lines"
    kinds = frozenset({Kind.PATCH})

    def check(self, target: Posting) -> Iterator[Violation]:
        log = self.commit_log(target)
        previous = -2  # the comment line before, to report each run of them once
        for index in log.comment_lines:
            if log.is_carried(index):
                continue  # upstream committed it so: git kept the line there
            if index - 1 != previous:
                yield self.violation(
                    target,
                    f"'{log.lines[index][:40]}': git drops lines starting with '#' as comments when "
                    "the message is edited: indent the line",
                    target.line(index),
                )
            previous = index
        yield from self._cut_short(target, log)

    def _cut_short(self, target: Posting, log: CommitLog) -> Iterator[Violation]:
        quoted = target.body.quoted_diff
        if quoted:
            yield self.violation(
                target,
                f"git am ends the commit message at '{log.lines[quoted.start][:40]}', taking it for the "
                f"start of the diff; the text and sign-offs after it (line "
                f"{target.line(quoted.stop - 1)}) are lost: indent the quoted diff",
                target.line(quoted.start),
            )


@dataclass(frozen=True)
class CommitReferenceOptions:
    min_length: int = option(12, 'the fewest hex digits an id may have.')


_COMMIT_REF = re.compile(r"\b(?P<word>[Cc]ommit)(?P<space>\s+)(?P<sha>[0-9a-fA-F]{5,})\b")
_COMMIT_AT_END = re.compile(r"\bcommit\s*$", re.IGNORECASE)
_SHA_AT_START = re.compile(r"^\s*[0-9a-fA-F]{5,}\b")
_BARE_SHA = re.compile(r"(?:(?<=\s)|^)(?P<sha>[0-9a-f]{12,40})(?=[\s\"'(\[.,;:]|$)")
_EXEMPT_PREFIX = re.compile(r"^\s*(?:Link|Closes|Patchwork|BugLink|base-commit|Fixes|https?):", re.IGNORECASE)
# Lines git and the stable process write themselves: "This reverts commit <id>." (or, for a
# partial revert, "This reverts the <what> part of commit <id>"), quoted
# "git log" headers, "commit <id> upstream.", "[ Upstream commit <id> ]" and
# "(cherry picked from commit <id>)".
_GENERATED = re.compile(
    r"^\s*(?:This (?:partially )?reverts (?:[^.\n]{1,60}? )?commit [0-9a-f]{7,40}"
    r"|commit [0-9a-f]{40}(?:\s+upstream\.?)?\s*$"
    r"|commit [0-9a-f]{40}\s"
    r"|\[\s*[Uu]pstream commit [0-9a-f]{12,40}\s*\]"
    r"|\(cherry picked from commit [0-9a-f]{7,40}\))",
    re.IGNORECASE,
)
_TITLE = re.compile(r'^\s*\((?P<quote>")?(?P<title>.*?)(?P=quote)?\)')
# A title quoted just before the id: 'The patch "x: fix y", commit 0123456789ab fixes …'. The
# reader finds the commit as well as with the title after the id, so it is the title.
_TITLE_BEFORE = re.compile(r'"(?P<title>[^"]{3,})"\s*[,:]?\s*(?:\(\s*)?$')
# git log --pretty=reference writes '<id> (<title>, <author date>)': the date is not the title's.
_REFERENCE_DATE = re.compile(r"^(?P<title>.+), (?P<date>\d{4}-\d\d-\d\d)$")


def _may_end_with_commit(line: str) -> bool:
    """A cheap test every line :data:`_COMMIT_AT_END` matches passes: it ends with "commit" in
    some case before its trailing whitespace (an ASCII ending is compared in lower case; any
    other is left to the pattern)."""
    tail = line.rstrip()[-6:]
    return not tail.isascii() or tail.lower() == "commit"


class BadCommitReference(JudgesCommits, Rule):
    """Commits named in the text are written 'commit <12+ hex digits> ("<title>")'.

    What it does:
        Finds ``commit <id>`` in the prose of a patch's commit message (the title may wrap onto
        the next two lines) and reports an id shorter than ``min-length`` hex digits, one in
        upper case, and a missing or unquoted title, as checkpatch's GIT_COMMIT_ID does (a
        title quoted just before the id, ``the fix "x: y", commit <id>``, is its title; in git's
        ``--pretty=reference`` form, ``(<title>, <date>)``, the date is not). With a
        repository (the ``git-dir`` setting or ``patchlint check --git-dir``) it also reports an
        ambiguous id and a title that is not the commit's subject, and asks for the same form
        for bare 12–40 digit ids that are commits there. Without a repository bare hex numbers
        are left alone (hashes, addresses and UUIDs are not commits), and ids git does not know
        are never reported (they may be in another tree). Quoted ``git log`` headers,
        ``This reverts commit …`` lines, stack dumps and link lines are exempt.

    Why it matters:
        An abbreviated id becomes ambiguous as the repository grows, and the title lets a
        reader find the commit in any tree, including backports whose ids differ.

    Bad:
        ``as done in commit 3a5b7c9``, ``since commit 3a5b7c9d1e2f introduced …``,
        ``commit 3a5b7c9d1e2f (netfilter: add x)``.

    Good:
        ``commit 3a5b7c9d1e2f ("netfilter: nf_tables: add the x expression")``
        (``git log -1 --format='%h ("%s")' --abbrev=12``).
    """

    code = "PL318"
    name = "bad-commit-reference"
    kinds = frozenset({Kind.PATCH})
    Options = CommitReferenceOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        log = self.commit_log(target)
        lines = log.lines
        repository = self.resources.repository
        continued: set[int] = set()  # lines whose id belongs to "commit" at the end of the line above
        # Without a repository only "commit <id>" is judged, and a line without the "mm" of
        # "commit" in some case (m matches no other letter, even under IGNORECASE) has none:
        # most lines are left out here, before any pattern is tried (and most without a copy
        # in lower case: they have no m at all).
        candidates = range(log.start, log.end) if repository is not None else [
            index for index in range(log.start, log.end)
            if ("m" in (line := lines[index]) or "M" in line) and "mm" in line.lower()
        ]
        for index in candidates:
            line = lines[index]
            # What there is to judge first (the cheapest way out), then whether to judge it.
            refs = list(_COMMIT_REF.finditer(line)) if "ommit" in line else []
            wrapped = (
                not refs and _may_end_with_commit(line) and _COMMIT_AT_END.search(line)
                and index + 1 < log.end and _SHA_AT_START.match(lines[index + 1])
            )
            if not refs and not wrapped and repository is None:
                continue
            if not log.is_description(index) or log.is_carried(index) or _EXEMPT_PREFIX.match(line):
                continue
            if index in continued or _GENERATED.match(line):
                continue
            if wrapped and _GENERATED.match(f"{line} {lines[index + 1].strip()}"):
                continued.add(index + 1)  # "This reverts the … part of commit" / "<id>."
                continue
            if index in log.stack_dump_lines:
                continue  # not prose (looked up last: it needs the whole message scanned)
            problems: list[str] = []
            # A reference may wrap: "… in commit" / "0123456789ab ("a long" / "title")", and a
            # title quoted before it may start up to two lines above, in the same paragraph.
            text = " ".join(lines[i].strip() for i in range(index, min(index + 3, log.end)))
            above = " ".join(lines[i].strip() for i in self._paragraph_above(lines, index, log.start))
            if wrapped:
                refs = list(_COMMIT_REF.finditer(text))[:1]
                continued.add(index + 1)
            for ref in refs:
                problems.extend(self._problems(text, ref, above))
            if not refs and self.resources.repository is not None:
                problems.extend(self._bare(line))
            if problems:
                yield self.violation(target, "; ".join(dict.fromkeys(problems)), target.line(index))

    @staticmethod
    def _paragraph_above(lines: Sequence[str], index: int, start: int) -> range:
        """The (at most two) lines above ``index`` in its paragraph."""
        first = index
        while first > max(start, index - 2) and lines[first - 1].strip():
            first -= 1
        return range(first, index)

    def _problems(self, text: str, ref: re.Match[str], above: str = "") -> list[str]:
        sha = ref.group("sha")
        if len(sha) > 40:
            return []
        start = text.find(ref.group(0))
        title_match = _TITLE.match(text[start + len(ref.group(0)) :]) if start != -1 else None
        title = title_match.group("title") if title_match else None
        quoted = bool(title_match and title_match.group("quote"))
        if title is None and start != -1:
            before = _TITLE_BEFORE.search(f"{above} {text[:start]}")
            if before:
                title, quoted = before.group("title"), True
        dated = _REFERENCE_DATE.match(title) if title is not None and not quoted else None
        if dated:
            title = dated.group("title")
        problems = []
        if len(sha) < self.options.min_length:
            problems.append(f"commit {sha}: use at least {self.options.min_length} hex digits of the id")
        if sha != sha.lower():
            problems.append(f"commit {sha}: write the id in lower case")
        if title is None:
            problems.append(f"commit {sha}: add its title: 'commit {sha.lower()} (\"<title>\")'")
        elif dated:
            problems.append(
                f"commit {sha}: this is git's --pretty=reference form (title, date); "
                f"the kernel's is the title alone, in double quotes: '(\"{title}\")'"
            )
        elif not quoted:
            problems.append(f"commit {sha}: put the title in double quotes: '(\"{title}\")'")
        if self.resources.repository is not None:
            found = self.resources.repository.lookup(sha)
            if found.found is Found.AMBIGUOUS:
                problems.append(f"commit {sha}: the id is ambiguous, use more hex digits")
            elif found.found is Found.COMMIT and title is not None and title != found.subject:
                problems.append(
                    f"commit {sha}: the title is not the commit's subject: "
                    f"'commit {found.sha[:12]} (\"{found.subject}\")'"
                )
            elif found.found is Found.COMMIT and problems:
                problems.append(f"write 'commit {found.sha[:12]} (\"{found.subject}\")'")
        return problems

    def _bare(self, line: str) -> list[str]:
        assert self.resources.repository is not None
        problems = []
        for match in _BARE_SHA.finditer(line):
            token_start = line.rfind(" ", 0, match.start()) + 1
            if "/" in line[token_start : match.start()] or line[match.end() : match.end() + 1] in (">", "]"):
                continue  # inside a URL or a <message-id> / [hash]
            found = self.resources.repository.lookup(match.group("sha"))
            if found.found is Found.COMMIT:
                problems.append(
                    f"{match.group('sha')} is a commit: write 'commit {found.sha[:12]} (\"{found.subject}\")'"
                )
        return problems


def _names_file_line(line: str) -> bool:
    """Whether ``line`` names a place in a file as tools print it (``file.c:12:``, ``x.o:(``).

    Each maximal run of path characters is tried once: it must be followed by ``:12:`` or
    ``:(``, end in ``.ext`` (word characters after its last dot) and have a word character
    before that dot (where a word boundary lets the name start).
    """
    for run in _PATH_RUN.finditer(line):
        if not _AFTER_FILE.match(line, run.end()):
            continue
        dot = line.rfind(".", run.start(), run.end())
        if dot > run.start() and _EXTENSION.fullmatch(line, dot + 1, run.end()) and _WORD.search(line, run.start(), dot):
            return True
    return False
