"""PL4xx: the diff itself (damaged hunks, diffs git am cannot apply, patches without a diff)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from patchlint.model.posting import Posting
from patchlint.options import option
from patchlint.rule import Rule, Violation

_HUNK_HEADER = re.compile(r"@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@")
# Past this many, one more line says how many were left out: a mangled mail has a problem on
# every other line, and the first few say what happened.
MAX_REPORTED = 8


class CorruptHunk(Rule):
    """Every hunk of the diff adds up to what its header says.

    What it does:
        Reads each hunk the way git apply does, counting down the old and new line counts of its
        ``@@ -a,b +c,d @@`` header, and reports, with the hunk and the line: a line the mailer
        wrapped (it continues a long line and starts with none of space, ``+``, ``-``, and the
        hunk leaves no room for it); a context line that lost its leading space, or whose
        leading space the mailer wrote as a no-break space (U+00A0); a hunk that ends early, or a diff that ends
        inside a hunk (a truncated mail); lines left over after a hunk is complete (git am
        drops them without a word); a ``\\ No newline at end of file`` marker in the wrong
        place; a hunk header git cannot read; a ``diff --git`` line broken in two; a hunk quoted
        in the notes below ``---`` without its file header. Only diffs whose hunks did not add
        up when counted are walked line by line. A format=flowed mail is judged as git mailinfo
        decodes it (soft line breaks rejoined, space-stuffing removed); what that decoding
        itself breaks is ``format-flowed``'s to report.

    Why it matters:
        ``git am`` rejects such a patch as corrupt (``corrupt patch at line 57``), or worse,
        applies it without the lines it skipped. A maintainer cannot fix a mangled patch by
        hand: it has to be sent again, with a mailer that does not touch it.

    Bad:
        A hunk ``@@ -12,7 +12,8 @@`` in which Gmail broke
        ``+	pr_info("nft_counter: resetting %llu packets and %llu bytes\\n",`` in two, or
        Outlook turned the blank context line `` `` into nothing and ``	return 0;``'s line
        into ``return 0;``.

    Good:
        ``git format-patch`` output sent with ``git send-email``.
    """

    code = "PL404"
    name = "corrupt-hunk"

    def check(self, target: Posting) -> Iterator[Violation]:
        yield from self._stray_hunk_headers(target)
        # Damage done by git's own format=flowed decoding is format-flowed's to explain.
        problems = [problem for problem in target.hunk_problems if not problem.flowed]
        for problem in problems[:MAX_REPORTED]:
            yield self.violation(target, problem.message, target.line(problem.index))
        if len(problems) > MAX_REPORTED:
            rest = problems[MAX_REPORTED:]
            yield self.violation(
                target,
                f"and {len(rest)} more damaged places in this diff, the same way",
                target.line(rest[0].index),
            )

    def _stray_hunk_headers(self, posting: Posting) -> Iterator[Violation]:
        """A hunk quoted in the notes below ``---``, above the diff: git apply reads everything
        after the ``---`` and stops there ("patch fragment without header")."""
        body = posting.body
        start, end = body.notes_range
        lines = body.lines
        for index in range(start, end):
            if lines[index].startswith("@@ -") and _HUNK_HEADER.match(lines[index]):
                yield self.violation(
                    posting,
                    "a hunk header in the notes, with no file header above it: git am stops "
                    "here ('patch fragment without header'); indent a diff quoted in the notes",
                    posting.line(index),
                )
                return


@dataclass(frozen=True)
class NonGitDiffOptions:
    """Options of non-git-diff."""

    require_git_diff: bool = option(
        False,
        "report every diff that is not git's, not only those git am cannot apply.",
    )


_CONTEXT_HUNK = "***************"
# The lines a patch below a quoted diff can start with, as git reads them.
_PATCH_STARTS = ("diff --git ", "--- ", "Index: ")
# A file header's timestamp or revision. The blanks before one are matched only where a run of
# them starts: tried from each blank of a long run, "\s+" rescanned the rest of it every time.
_TIMESTAMP = re.compile(
    r"(?<!\s)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d.*$|\t.*$|(?<!\s)\s+\((?:revision \d+|working copy)\)$"
)


class NonGitDiff(Rule):
    """The patch is a unified diff that git am can apply, ideally git's own.

    What it does:
        Reports a context diff (``diff -c``: ``***************`` hunks), which git cannot apply
        at all, and a unified diff whose file names git am cannot place: git am strips one
        leading directory (``-p1``), so ``--- foo.c``, ``--- /tmp/x`` or an svn diff made
        inside a subdirectory apply to the wrong file or not at all. With
        ``require-git-diff: true`` it also reports any diff without ``diff --git`` headers
        (quilt, ``diff -u``, svn, Mercurial), which git am applies but without file modes,
        renames or binary changes.

    Why it matters:
        A maintainer applies patches with ``git am``; a patch it cannot apply has to be redone
        by hand or sent again. Projects that live in git ask for ``git format-patch`` output.

    Bad:
        ``*** nft_counter.c.orig`` / ``--- nft_counter.c`` / ``***************``;
        ``--- nft_counter.c`` / ``+++ nft_counter.c`` made inside ``net/netfilter``.

    Good:
        ``diff --git a/net/netfilter/nft_counter.c b/net/netfilter/nft_counter.c`` from
        ``git format-patch``; ``--- linux.orig/net/x.c`` / ``+++ linux/net/x.c`` from quilt.
    """

    code = "PL405"
    name = "non-git-diff"
    Options = NonGitDiffOptions

    def check(self, target: Posting) -> Iterator[Violation]:
        body = target.body
        if target.diff is None:
            index = context_diff_line(target)
            if index is not None:
                yield self.violation(
                    target,
                    "this is a context diff (diff -c): git am cannot apply it; send the change "
                    "as git format-patch writes it (a unified diff)",
                    target.line(index),
                )
            return
        start = body.diff_start
        if body.quoted_diff:
            # A diff quoted in the commit message is PL317's (indent it): judge the patch below.
            start = next(
                (i for i in range(body.quoted_diff.stop, body.diff_end) if body.lines[i].startswith(_PATCH_STARTS)),
                None,
            )
        if start is None or body.lines[start].startswith("diff --git "):
            return
        reported = False
        for index, old, new in _file_headers(body.lines, start, body.diff_end):
            problem = _placement(old, new)
            if problem:
                reported = True
                yield self.violation(
                    target,
                    f"'--- {old}' / '+++ {new}': {problem}; git am (git apply -p1) strips one "
                    f"leading directory and looks for {_p1_name(old, new)!r}, which is not where "
                    f"the file is. Make the patch with git format-patch",
                    target.line(index),
                )
        if not reported and self.options.require_git_diff:
            yield self.violation(
                target,
                "the diff has no 'diff --git' headers: git am applies it, but loses file modes, "
                "renames and binary changes; send git format-patch output",
                target.line(start),
            )


def context_diff_line(posting: Posting) -> int | None:
    """The body index where a context diff's first hunk starts, or None (looked for only in a
    patch without a unified diff, where it is rare enough to scan for)."""
    body = posting.body
    lines = body.lines
    for index in range(body.message_end, len(lines) - 1):
        if lines[index] == _CONTEXT_HUNK and lines[index + 1].startswith("*** "):
            return index
    return None


def _file_headers(lines: tuple[str, ...], start: int, end: int) -> Iterator[tuple[int, str, str]]:
    for index in range(start, end - 1):
        line = lines[index]
        if line.startswith("--- ") and lines[index + 1].startswith("+++ "):
            yield index, _TIMESTAMP.sub("", line[4:]), _TIMESTAMP.sub("", lines[index + 1][4:])


def _p1_name(old: str, new: str) -> str:
    """The path git apply -p1 takes from a header without ``diff --git``: the new name (the
    old one for a deletion), up to its first ``/`` removed; a name without one is kept."""
    name = new if new != "/dev/null" else old
    return name.split("/", 1)[1] if "/" in name else name


def _placement(old: str, new: str) -> str | None:
    """What keeps ``git apply -p1`` from placing a file named ``old`` / ``new``, or None."""
    names = [name for name in (old, new) if name != "/dev/null"]
    if any(name.startswith("/") for name in names):
        return "the file names are absolute paths"
    if names and all("/" not in name for name in names):
        return "the file names have no leading directory"
    return None


class EmptyPatch(Rule):
    """A patch carries a diff.

    What it does:
        Reports a mail marked as a patch (not a cover letter or pull request) that carries no
        diff at all: no inline diff, no diffstat, no attached patch. A mail is a patch only
        when it is shaped like ``git format-patch`` output (a ``---`` line or a
        ``Signed-off-by``): a reply that lost its ``Re:`` is a reply (``patchlint show`` prints
        each mail's kind and why).

    Why it matters:
        ``git format-patch`` writes such a mail for an empty commit (a change that was never
        ``git add``-ed, or an emptied rebase), and a mail whose diff was lost on the way looks
        the same. Reviewers have nothing to review and ``git am`` stops at it
        (``Patch is empty``).

    Bad:
        ``[PATCH 2/3] netfilter: nft_counter: add the reset helper`` with a commit message,
        ``Signed-off-by``, ``---`` and nothing below it.

    Good:
        The same mail with its diffstat and diff, or the patch dropped from the series.
    """

    code = "PL406"
    name = "empty-patch"

    def check(self, target: Posting) -> Iterator[Violation]:
        body = target.body
        if target.diff is not None or target.diffstats:
            return
        if any(part.diff for part in target.transport.parts):
            return  # an attached patch: attached-patch says so
        if context_diff_line(target) is not None:
            return  # a diff git cannot read: non-git-diff says so
        where = body.separator if body.separator is not None else body.message_start
        yield self.violation(
            target,
            "this patch carries no diff: git am stops at it ('Patch is empty'); was the change "
            "committed (git add), or did the mail lose it? Send the diff, or drop the patch",
            target.line(where),
        )
