"""PL4xx: diffstats and diffs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Generator, Iterator

from patchlint.model.diff import Diff, FileChange
from patchlint.checks.shared import plural
from patchlint.model.diffstat import Diffstat, DiffstatRow
from patchlint.model.posting import Kind, Posting
from patchlint.rule import Rule, Scope, Severity, Violation
from patchlint.model.series import Series


def _summary_text(files: int, insertions: int, deletions: int) -> str:
    return (
        f"{plural(files, 'file')}, {plural(insertions, 'insertion')}, "
        f"{plural(deletions, 'deletion')}"
    )


class DiffstatMismatch(Rule):
    """The diffstat adds up, and matches the diff it describes.

    What it does:
        For every diffstat in a patch, cover letter or pull request: the rows add up to the
        summary line (number of files, and the changed lines to insertions plus deletions; the
        ``+``/``-`` bars to insertions and deletions unless git scaled them), and no bar is longer
        than its count or missing. When the mail also carries the diff: each row's count equals
        what the diff adds and removes in that file, and its bar is the one git draws for those
        numbers (scaled bars included: git shrinks every bar by the same rule, so the ratio of
        ``+`` to ``-`` is checked, not literal counts); a ``Bin`` row stands for a binary change
        and its ``Bin old -> new bytes`` for the sizes the binary patch carries; a rename row
        (``{a => b}``, ``a => b``) for a rename; the summary equals the diff's totals; the rows
        name exactly the files the diff touches; and the ``create mode`` / ``delete mode`` /
        ``rename`` / ``copy`` / ``mode change`` lines under the summary say what the diff does
        (their absence is not reported: ``git format-patch --stat`` leaves them out). Shortened
        paths (``.../x.c``, and renames git cut anywhere, even inside the arrow: ``...> new.c}``)
        and quoted names (``"caf\\303\\251.c"``) are understood. A file of a diff without git
        headers (quilt's ``--- linux-6.6.orig/x.c`` / ``+++ linux-6.6/x.c``) is the one
        ``git am`` patches (``-p1`` strips the tree directory: ``x.c``). A diff whose hunks are
        damaged is left to ``corrupt-hunk``.

    Why it matters:
        A diffstat that does not match its diff means the patch was edited after
        ``git format-patch`` (a hand-made fix-up, a truncated or mangled mail), and the reviewer
        is not reading what will be applied.

    Bad:
        `` foo.c | 3 ++-`` over a diff that adds 5 lines to foo.c;
        `` 2 files changed, 3 insertions(+)`` under a single row;
        `` create mode 100644 foo.c`` for a file the diff only modifies.

    Good:
        What ``git format-patch`` wrote, untouched.
    """

    code = "PL401"
    name = "diffstat-mismatch"
    kinds = frozenset({Kind.PATCH, Kind.COVER, Kind.PULL})

    def check(self, target: Posting) -> Iterator[Violation]:
        stats = target.diffstats
        if not stats:
            return
        for stat in stats:
            yield from self._totals(target, stat)
        diff = target.diff if target.kind is Kind.PATCH else None
        if diff is not None and not diff.error and diff.files and not target.hunk_problems:
            yield from self._against_diff(target, stats[-1], diff)

    def _totals(self, posting: Posting, stat: Diffstat) -> Iterator[Violation]:
        if not stat.rows:
            return
        line = posting.line(stat.summary_index)
        if len(stat.rows) != stat.files:
            yield self.violation(
                posting,
                f"the summary says {plural(stat.files, 'file')} changed, "
                f"but the diffstat lists {len(stat.rows)}",
                line,
            )
        counted = sum(row.count or 0 for row in stat.rows)
        if counted != stat.insertions + stat.deletions:
            yield self.violation(
                posting,
                f"the rows add up to {counted} changed lines, the summary to "
                f"{stat.insertions + stat.deletions} ({stat.insertions}+, {stat.deletions}-)",
                line,
            )
        elif not stat.scaled:
            plus = sum(row.plus for row in stat.rows)
            minus = sum(row.minus for row in stat.rows)
            if (plus, minus) != (stat.insertions, stat.deletions):
                yield self.violation(
                    posting,
                    f"the bars add up to {plus}+ and {minus}-, the summary says "
                    f"{stat.insertions}+ and {stat.deletions}-",
                    line,
                )
        elif _drawn_by_git(posting, stat):
            for row in stat.rows:
                # git only ever shrinks a bar, and draws at least one sign for a changed file.
                if row.count is not None and (len(row.bar) > row.count or (row.count and not row.bar)):
                    yield self.violation(
                        posting,
                        f"{row.text}: a bar of {len(row.bar)} signs for {row.count} changed lines "
                        f"is not one git draws: the row was edited by hand",
                        posting.line(row.index),
                    )

    def _against_diff(self, posting: Posting, stat: Diffstat, diff: Diff) -> Iterator[Violation]:
        unmatched = list(diff.files)
        pairs: list[tuple[DiffstatRow, FileChange]] = []
        counts_agree = True
        for row in stat.rows:
            change = _take(row, unmatched)
            where = posting.line(row.index)
            if change is None:
                yield self.violation(
                    posting, f"the diffstat lists {row.text!r}, which the diff does not touch", where
                )
                continue
            yield from self._rename(posting, row, change)
            if row.binary or change.binary:
                if row.binary != change.binary:
                    what = "a binary file" if row.binary else f"{row.count} changed lines"
                    has = "a binary patch" if change.binary else f"a text diff ({change.added}+, {change.removed}-)"
                    yield self.violation(
                        posting, f"{row.text}: the diffstat shows {what}, the diff has {has}", where
                    )
                elif row.sizes and change.binary_sizes and row.sizes != change.binary_sizes:
                    yield self.violation(
                        posting,
                        f"{row.text}: the diffstat says Bin {row.sizes[0]} -> {row.sizes[1]} bytes, "
                        f"the binary patch carries {change.binary_sizes[0]} -> "
                        f"{change.binary_sizes[1]} bytes",
                        where,
                    )
                continue
            if row.count != change.changed:
                counts_agree = False
                yield self.violation(
                    posting,
                    f"{row.text}: the diffstat says {row.count} changed lines, the diff changes "
                    f"{change.changed} ({change.added}+, {change.removed}-)",
                    where,
                )
            elif not stat.scaled and (row.plus, row.minus) != (change.added, change.removed):
                yield self.violation(
                    posting,
                    f"{row.text}: the bar shows {row.plus}+ {row.minus}-, the diff has "
                    f"{change.added}+ {change.removed}-",
                    where,
                )
            pairs.append((row, change))
        if stat.scaled and counts_agree and pairs and _drawn_by_git(posting, stat):
            yield from self._scaled_bars(posting, pairs)
        for change in unmatched:
            yield self.violation(
                posting,
                f"the diff touches {change.path}, which the diffstat does not list",
                posting.line(stat.summary_index),
            )
        actual = (len(diff.files), diff.insertions, diff.deletions)
        if (stat.files, stat.insertions, stat.deletions) != actual:
            yield self.violation(
                posting,
                f"the summary says {_summary_text(stat.files, stat.insertions, stat.deletions)}; "
                f"the diff has {_summary_text(*actual)}",
                posting.line(stat.summary_index),
            )
        yield from self._mode_lines(posting, stat, diff)

    def _rename(self, posting: Posting, row: DiffstatRow, change: FileChange) -> Iterator[Violation]:
        moved = change.status in ("renamed", "copied")
        # A shortened row may have lost its "{a => b}" to the cut: only what is left is judged.
        shows_rename = row.old_path != row.new_path
        if shows_rename and not moved:
            yield self.violation(
                posting,
                f"{row.text}: the diffstat shows a rename, the diff does not rename {change.path}",
                posting.line(row.index),
            )
        elif moved and not row.shortened and not shows_rename:
            yield self.violation(
                posting,
                f"{row.text}: the diff {change.status[:-1]}s {change.old_path} to {change.new_path}, "
                f"the diffstat row shows no rename",
                posting.line(row.index),
            )

    def _scaled_bars(
        self, posting: Posting, pairs: list[tuple[DiffstatRow, FileChange]]
    ) -> Iterator[Violation]:
        max_change = max(change.changed for _, change in pairs)
        # git draws the largest change with the whole graph width: that bar's length is it.
        width = max(len(row.bar) for row, change in pairs if change.changed == max_change)
        if width < 1 or width > max_change:
            return
        for row, change in pairs:
            plus, minus = scaled_bar(change.added, change.removed, width, max_change)
            if (row.plus, row.minus) != (plus, minus):
                yield self.violation(
                    posting,
                    f"{row.text}: the bar shows {row.plus}+ {row.minus}-; for the diff's "
                    f"{change.added}+ {change.removed}- git draws {plus}+ {minus}- at this width",
                    posting.line(row.index),
                )

    def _mode_lines(self, posting: Posting, stat: Diffstat, diff: Diff) -> Iterator[Violation]:
        if not stat.modes:
            return
        expected = _expected_modes(diff)
        listed: set[tuple[str, str]] = set()
        previous = ""
        for mode in stat.modes:
            path = mode.path or (previous if mode.kind == "mode change" else "")
            previous = mode.path if mode.kind in ("rename", "copy") else ""
            key = (mode.kind, path)
            listed.add(key)
            if mode.kind == "rewrite":
                if not any(c.new_path == path for c in diff.files):
                    yield self.violation(
                        posting, f"'rewrite {path}': the diff does not touch {path}",
                        posting.line(mode.index),
                    )
                continue
            if key not in expected:
                yield self.violation(
                    posting,
                    f"the diffstat says '{mode.kind} {path}', which the diff does not do"
                    f"{_what_it_does(diff, path)}",
                    posting.line(mode.index),
                )
            elif mode.mode and expected[key] and mode.mode != expected[key]:
                yield self.violation(
                    posting,
                    f"the diffstat says '{mode.kind} {mode.mode} {path}', the diff says "
                    f"{expected[key]}",
                    posting.line(mode.index),
                )
        for kind, path in expected:
            if (kind, path) not in listed:
                yield self.violation(
                    posting,
                    f"the diff does '{kind} {path}', which the lines under the diffstat leave out",
                    posting.line(stat.modes[-1].index),
                )


def scaled_bar(added: int, removed: int, width: int, max_change: int) -> tuple[int, int]:
    """The ``+`` and ``-`` git's diffstat draws for a file when it scales the largest change,
    ``max_change`` lines, to ``width`` columns (``show_stats()`` in git's diff.c)."""
    if width > max_change:
        return added, removed

    def scale(it: int) -> int:
        return 0 if not it else 1 + it * (width - 1) // max_change

    total = scale(added + removed)
    if total < 2 and added and removed:
        total = 2
    if added < removed:
        plus = scale(added)
        return plus, total - plus
    minus = scale(removed)
    return total - minus, minus


def _expected_modes(diff: Diff) -> dict[tuple[str, str], str]:
    """What the ``--summary`` lines of ``diff`` would say: (kind, path) -> mode."""
    expected: dict[tuple[str, str], str] = {}
    for change in diff.files:
        if change.status == "added":
            expected[("create mode", change.new_path)] = change.new_mode or ""
        elif change.status == "deleted":
            expected[("delete mode", change.old_path)] = change.old_mode or ""
        elif change.status in ("renamed", "copied"):
            expected[("rename" if change.status == "renamed" else "copy", change.new_path)] = ""
        if change.status not in ("added", "deleted") and change.old_mode and change.new_mode and (
            change.old_mode != change.new_mode
        ):
            expected[("mode change", change.new_path)] = f"{change.old_mode} => {change.new_mode}"
    return expected


def _drawn_by_git(posting: Posting, stat: Diffstat) -> bool:
    """Whether git drew this diffstat: its bars scale by git's rule, which the ``diffstat``
    program (quilt, stable review mails) does not follow. A git diff says so; without a diff, the
    count column does: git makes it exactly as wide as the widest count."""
    diff_start = posting.body.diff_start
    if diff_start is not None:
        return posting.body.lines[diff_start].startswith("diff --git ")
    lines = posting.body.lines
    return any(_GIT_COUNT.search(lines[row.index]) for row in stat.rows)


_GIT_COUNT = re.compile(r"\| (?:\d|Bin)")


def _take(row: DiffstatRow, changes: list[FileChange]) -> FileChange | None:
    # The row git printed for a change first: a shortened row's tail ('...t.c') can end other
    # names too, and the first of those must not take the row from the file it stands for.
    for position, change in enumerate(changes):
        if row.stands_for(change.old_path, change.new_path):
            return changes.pop(position)
    for position, change in enumerate(changes):
        if row.matches(change.new_path) or row.matches(change.old_path):
            return changes.pop(position)
    return None


def _what_it_does(diff: Diff, path: str) -> str:
    for change in diff.files:
        if path in (change.new_path, change.old_path):
            return f" (it {change.status if change.status != 'modified' else 'modifies'} {path})"
    return f" (it does not touch {path})"


class CoverDiffstatMismatch(Rule):
    """A cover letter's diffstat agrees with the patches of its series.

    What it does:
        When every patch of a series is in the input and carries its diff, compares the cover
        letter's diffstat (or a pull request's, when its patches were posted with it) with the
        patches: the same set of files; for a file only one patch touches, the same count; and
        the same totals when no file is touched twice. git writes the cover letter's diffstat
        over the whole range, where a file several patches touch is diffed once (its changes may
        even cancel out) and renames are detected anew, so those counts, and the absence of such
        a file, are not judged. A cover letter of a series spanning several repositories, with
        one diffstat per repository, is compared with all of them together (a diffstat repeated
        further down, as a pull request's text repeats it, with the last one). A count or total
        that agrees with what the patches' own diffstats say is not reported: git wrote both,
        and the patch's diff was edited afterwards, which ``diffstat-mismatch`` reports on the
        patch (one defect, one report).

    Why it matters:
        A cover letter whose diffstat does not match its patches was written for another version
        of the series, or the series lost or gained a patch on the way.

    Bad:
        A cover letter listing ``net/core/dev.c | 12`` when the only patch touching
        ``net/core/dev.c`` changes 9 lines.

    Good:
        The cover letter ``git format-patch --cover-letter`` wrote for exactly these patches.
    """

    code = "PL402"
    name = "cover-diffstat-mismatch"
    scope = Scope.SERIES

    def applies(self, target: object) -> bool:
        return isinstance(target, Series) and target.cover is not None

    def check(self, target: Series) -> Iterator[Violation]:
        cover = target.cover
        if cover is None or not target.complete or target.duplicates:
            return  # without every patch, nothing reliable can be summed
        stats, last = _cover_diffstats(cover)
        changes = _series_changes(target) if last is not None else None
        if last is None or changes is None:
            return
        # Renames and copies are detected per patch and again over the whole range, with
        # different results (a file moved and then edited may show up in the cover letter as a
        # delete and a create): their counts and their intermediate paths are not compared.
        moved = {p for c in changes if c.status in ("renamed", "copied") for p in (c.old_path, c.new_path)}
        listed: set[int] = set()
        stated, stated_totals = _stated_by_patches(target)
        yield from self._rows(cover, stats, changes, moved, listed, stated)
        summary_line = cover.line(last.summary_index)
        touched = Counter(c.path for c in changes)
        # A file only one patch touches is in the range diff; one several patches touch may not
        # be (created then deleted, or changes that cancel out).
        unlisted = {
            c.path
            for i, c in enumerate(changes)
            if i not in listed
            and c.old_path not in moved
            and c.new_path not in moved
            and touched[c.path] == 1
        }
        for path in sorted(unlisted):
            yield self.violation(
                cover, f"the patches touch {path}, which the cover letter's diffstat does not list", summary_line
            )
        if not moved and all(count == 1 for count in touched.values()):
            insertions = sum(c.added for c in changes)
            deletions = sum(c.removed for c in changes)
            said = (sum(b.insertions for b in stats), sum(b.deletions for b in stats))
            if said != (insertions, deletions) and said != stated_totals:
                yield self.violation(
                    cover,
                    f"the cover letter says {said[0]}+ {said[1]}-, the patches "
                    f"add up to {insertions}+ {deletions}-",
                    summary_line,
                )

    def _rows(
        self, cover: Posting, stats: list[Diffstat], changes: list[FileChange], moved: set[str], listed: set[int],
        stated: dict[int, int],
    ) -> Iterator[Violation]:
        """Each row of the cover letter's diffstats against the changes it names; adds the
        indexes of the changes some row lists to ``listed``. ``stated`` holds, by change, the
        count the patch's own diffstat gives the file: a cover letter that agrees with it was
        written by git with the patch, whose diff was edited after (diffstat-mismatch reports
        that on the patch: one defect, one report)."""
        by_path: dict[str, list[int]] = {}
        for i, change in enumerate(changes):
            for path in {change.old_path, change.new_path}:
                by_path.setdefault(path, []).append(i)
        for row in (row for block in stats for row in block.rows):
            if row.shortened:  # only the end of the path is known: compare every change
                matching = [
                    i for i, c in enumerate(changes) if row.matches(c.new_path) or row.matches(c.old_path)
                ]
            else:
                matching = sorted(set(by_path.get(row.new_path, []) + by_path.get(row.old_path, [])))
            where = cover.line(row.index)
            if not matching:
                yield self.violation(
                    cover, f"the cover letter lists {row.text!r}, which no patch touches", where
                )
                continue
            listed.update(matching)
            involved = [changes[i] for i in matching]
            if row.binary or row.count is None or row.old_path != row.new_path:
                continue
            if any(c.old_path in moved or c.new_path in moved for c in involved):
                continue
            # A file several patches touch is diffed once over the whole range, and a diff of
            # the sum is not the sum of the diffs (lines pair up differently): only a file one
            # patch touches has a count that must match.
            if len(involved) == 1 and row.count != involved[0].changed:
                if stated.get(matching[0]) == row.count:
                    continue  # as the patch's own diffstat says: its diff was edited (PL401's)
                yield self.violation(
                    cover,
                    f"{row.text}: the cover letter says {row.count}, the patch changes "
                    f"{involved[0].changed}",
                    where,
                )


def _cover_diffstats(cover: Posting) -> tuple[list[Diffstat], Diffstat | None]:
    """The cover letter's diffstats with rows, the same one repeated (a pull request's text
    below the letter's) counted once (paths may be shortened differently: the numbers are
    compared), and the last one written, whose summary line a total is reported at."""
    stats = [stat for stat in cover.diffstats if stat.rows]
    unique = {
        (block.files, block.insertions, block.deletions, tuple(row.count for row in block.rows)): block
        for block in stats
    }
    return list(unique.values()), (stats[-1] if stats else None)


def _series_changes(target: Series) -> list[FileChange] | None:
    """The file changes of the series' patches in order; None when some patch has no usable
    diff (nothing reliable to compare against)."""
    changes: list[FileChange] = []
    for postings in target.patches.values():
        diff = postings[0].diff
        if diff is None or diff.error:
            return None
        changes.extend(diff.files)
    return changes


def _stated_by_patches(target: Series) -> tuple[dict[int, int], tuple[int, int] | None]:
    """What the patches' own diffstats say, in the order of :func:`_series_changes`: the count
    of each change's file (by its index there, where a patch's diffstat lists the file), and
    the insertions and deletions of all of them together (None when a patch has no diffstat)."""
    stated: dict[int, int] = {}
    insertions = deletions = 0
    complete = True
    index = 0
    for postings in target.patches.values():
        posting = postings[0]
        files = posting.diff.files if posting.diff is not None else ()
        stat = next((block for block in posting.diffstats if block.rows), None)
        if stat is None:
            complete = False
        else:
            insertions += stat.insertions
            deletions += stat.deletions
        for offset, change in enumerate(files):
            if stat is None:
                continue
            rows = [r for r in stat.rows if r.count is not None and (r.matches(change.new_path) or r.matches(change.old_path))]
            if len(rows) == 1:
                stated[index + offset] = rows[0].count  # type: ignore[assignment]
        index += len(files)
    return stated, ((insertions, deletions) if complete else None)


class MalformedDiffstat(Rule):
    """The diffstat is laid out as git prints it.

    What it does:
        Checks each diffstat's layout against what ``git format-patch`` and ``git diff --stat``
        print: every row, the summary line and the ``create mode`` … lines are indented by
        exactly one space; the ``|`` of all rows stand in one column; the summary line is worded
        as git words it (``1 file changed``, ``1 insertion(+)``, a part left out when it is zero,
        both kept when both are; the always-plural form older git versions printed is accepted).

    Why it matters:
        git never writes anything else, so a different layout means a person or a program
        changed the text after git wrote it. Rows without their leading space, and names no
        longer padded to one width, mean whitespace was stripped or collapsed on the way, which
        does the same to the diff's context lines (corrupt-hunk says where). A hand-edited
        diffstat is seldom the only hand edit. A format=flowed mail is judged as git mailinfo
        decodes it: the space a flowed mailer stuffs in front of each row is removed by git, so
        such rows are as git wrote them.

    Bad:
        ``net/netfilter/nft_counter.c | 4 ++--`` (no leading space);
        `` 1 files changed, 2 insertions(+), 0 deletions(-)``.

    Good:
        `` net/netfilter/nft_counter.c | 4 ++--`` and
        `` 1 file changed, 2 insertions(+), 2 deletions(-)``.
    """

    code = "PL403"
    name = "malformed-diffstat"
    kinds = frozenset({Kind.PATCH, Kind.COVER, Kind.PULL})
    # The diffstat is not applied: the damage that matters is corrupt-hunk's error.
    default_severity = Severity.WARNING

    def check(self, target: Posting) -> Iterator[Violation]:
        lines = target.body.lines
        for stat in target.diffstats:
            collapsed = _padding_collapsed(stat, lines)
            reported = yield from self._indentation(target, stat, lines, collapsed)
            if not reported:
                yield from self._alignment(target, stat, collapsed)
            yield from self._wording(target, stat)

    def _indentation(
        self, posting: Posting, stat: Diffstat, lines: tuple[str, ...], collapsed: bool
    ) -> Generator[Violation, None, bool]:
        """Report the first line not indented by one space; return whether it reported."""
        summary_indent = len(stat.summary_text) - len(stat.summary_text.lstrip())
        if summary_indent == 1 and all(row.indent == 1 for row in stat.rows) and all(
            mode.indent == 1 for mode in stat.modes
        ):
            return False  # as git wrote it: the common case, decided without building lists
        indents = [(row.indent, row.index) for row in stat.rows]
        indents.append((summary_indent, stat.summary_index))
        indents.extend((mode.indent, mode.index) for mode in stat.modes)
        wrong = [(indent, index) for indent, index in indents if indent != 1]
        if not wrong:
            return False
        flowed = posting.transport.flowed
        if flowed is not None and all(index in flowed.unstuffed for _, index in wrong):
            # git's format=flowed decoding took the space (the mailer did not stuff the lines):
            # format-flowed says so where it breaks the diff; the diffstat is not applied.
            return False
        indent, index = wrong[0]
        everything = len(wrong) == len(indents)
        if "\t" in lines[index][:indent]:
            how = "with a tab: the diffstat was pasted or edited by hand"
        elif indent == 0 and everything and collapsed:
            how = (
                "with no space, and the padding that lines up the '|' is gone: runs of "
                "whitespace were collapsed after git wrote them (by a mailer, a mail gateway "
                "or an editor)"
            )
        elif indent == 0:
            how = "with no space: leading whitespace was stripped (by an editor or a mailer)"
        else:
            how = f"by {indent} spaces: the diffstat was indented or edited after git wrote it"
        if indent == 0 and _context_lost_spaces(posting):
            how += "; the diff's context lines lost their leading space too (see corrupt-hunk)"
        count = "every line of the diffstat is" if everything else "diffstat lines are"
        yield self.violation(
            posting,
            f"{count} indented {how}; git indents them by one space. Send the patch as git "
            f"format-patch wrote it, with git send-email",
            posting.line(index),
        )
        return True

    def _alignment(self, posting: Posting, stat: Diffstat, collapsed: bool) -> Iterator[Violation]:
        # git pads names to one width by their display width; compare ASCII rows only.
        rows = [row for row in stat.rows if row.text.isascii()]
        if len({row.bar_column - row.indent for row in rows}) < 2:
            return
        if collapsed:
            yield self.violation(
                posting,
                "the '|' of the diffstat's rows are not in line: each name is followed by a "
                "single space, so the padding git writes to line them up was collapsed after "
                "git wrote it (by a mailer, a mail gateway or an editor)",
                posting.line(rows[0].index),
            )
            return
        columns = Counter(row.bar_column - row.indent for row in rows)
        usual = columns.most_common(1)[0][0]
        for row in rows:
            if row.bar_column - row.indent != usual:
                yield self.violation(
                    posting,
                    f"{row.text}: the '|' of this row is not in line with the other rows', as "
                    f"git aligns them: the diffstat was changed after git wrote it",
                    posting.line(row.index),
                )
                return

    def _wording(self, posting: Posting, stat: Diffstat) -> Iterator[Violation]:
        written = " ".join(stat.summary_text.split())
        expected = git_summary(stat.files, stat.insertions, stat.deletions)
        legacy = (
            f"{stat.files} files changed, {stat.insertions} insertions(+), "
            f"{stat.deletions} deletions(-)"
        )
        if written not in (expected, legacy):
            yield self.violation(
                posting,
                f"the summary line reads {written!r}; git writes {expected!r}: it was edited by hand",
                posting.line(stat.summary_index),
            )


def _padding_collapsed(stat: Diffstat, lines: tuple[str, ...]) -> bool:
    """Whether the rows' padding is gone: names of different widths, each followed by exactly
    one space before its ``|`` (git pads them all to the widest)."""
    rows = [row for row in stat.rows if row.text.isascii()]
    # The widest name is followed by one space as git writes it: two rows more, at least, say
    # the padding is gone rather than one row edited.
    if len(rows) < 3 or len({row.bar_column - row.indent for row in rows}) < 2:
        return False
    for row in rows:
        before = lines[row.index][: row.bar_column]
        if not before.endswith(" ") or before.endswith("  "):
            return False
    return True


def _context_lost_spaces(posting: Posting) -> bool:
    """Whether the hunk walk found context lines without their leading space (those git's
    format=flowed decoding took are ``flowed-unstuffed``, which format-flowed reports)."""
    return any(problem.kind == "lost-space" for problem in posting.hunk_problems)


def git_summary(files: int, insertions: int, deletions: int) -> str:
    """The summary line git prints under a diffstat (without its leading space):
    ``print_stat_summary_inserts_deletes()`` in git's diff.c."""
    if not files:
        return "0 files changed"
    parts = [f"{plural(files, 'file')} changed"]
    if insertions or not deletions:
        parts.append(f"{plural(insertions, 'insertion')}(+)")
    if deletions or not insertions:
        parts.append(f"{plural(deletions, 'deletion')}(-)")
    return ", ".join(parts)
