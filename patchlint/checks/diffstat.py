"""PL4xx: diffstats and diffs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from patchlint.diff import Diff, FileChange
from patchlint.diffstat import Diffstat, DiffstatRow
from patchlint.posting import Kind, Posting
from patchlint.rule import Rule, Scope, Violation
from patchlint.series import Series


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _summary_text(files: int, insertions: int, deletions: int) -> str:
    return (
        f"{_plural(files, 'file')}, {_plural(insertions, 'insertion')}, "
        f"{_plural(deletions, 'deletion')}"
    )


class DiffstatMismatch(Rule):
    """The diffstat adds up, and matches the diff it describes.

    What it does:
        For every diffstat in a patch, cover letter or pull request: the rows add up to the
        summary line (number of files, and the changed lines to insertions plus deletions; the
        ``+``/``-`` bars to insertions and deletions unless git scaled them). When the mail also
        carries the diff: each row's count (and unscaled bar) equals what the diff adds and
        removes in that file, the summary equals the diff's totals, and the rows name exactly the
        files the diff touches. Renames (``{a => b}``), shortened paths (``.../x.c``) and binary
        rows (``Bin``) are understood; scaled bars are not mismatches.

    Why it matters:
        A diffstat that does not match its diff means the patch was edited after
        ``git format-patch`` (a hand-made fix-up, a truncated or mangled mail), and the reviewer
        is not reading what will be applied.

    Bad:
        `` foo.c | 3 ++-`` over a diff that adds 5 lines to foo.c;
        `` 2 files changed, 3 insertions(+)`` under a single row.

    Good:
        What ``git format-patch`` wrote, untouched.

    Options:
        None.
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
        if diff is not None and not diff.error and diff.files:
            yield from self._against_diff(target, stats[-1], diff)

    def _totals(self, posting: Posting, stat: Diffstat) -> Iterator[Violation]:
        if not stat.rows:
            return
        line = posting.line(stat.summary_index)
        if len(stat.rows) != stat.files:
            yield self.violation(
                posting,
                f"the summary says {_plural(stat.files, 'file')} changed, "
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

    def _against_diff(self, posting: Posting, stat: Diffstat, diff: Diff) -> Iterator[Violation]:
        unmatched = list(diff.files)
        for row in stat.rows:
            change = _take(row, unmatched)
            where = posting.line(row.index)
            if change is None:
                yield self.violation(
                    posting, f"the diffstat lists {row.text!r}, which the diff does not touch", where
                )
                continue
            if row.binary or change.binary:
                continue
            if row.count != change.changed:
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


def _take(row: DiffstatRow, changes: list[FileChange]) -> FileChange | None:
    for position, change in enumerate(changes):
        if row.matches(change.new_path) or row.matches(change.old_path):
            return changes.pop(position)
    return None


class CoverDiffstatMismatch(Rule):
    """A cover letter's diffstat agrees with the patches of its series.

    What it does:
        When every patch of a series is in the input and carries its diff, compares the cover
        letter's (or pull request's) diffstat with the patches: the same set of files; for a file
        only one patch touches, the same count; and the same totals when no file is touched
        twice. git writes the cover letter's diffstat over the whole range, where a file several
        patches touch is diffed once and renames are detected anew, so those counts are not
        compared.

    Why it matters:
        A cover letter whose diffstat does not match its patches was written for another version
        of the series, or the series lost or gained a patch on the way.

    Bad:
        A cover letter listing ``net/core/dev.c | 12`` when the only patch touching
        ``net/core/dev.c`` changes 9 lines.

    Good:
        The cover letter ``git format-patch --cover-letter`` wrote for exactly these patches.

    Options:
        None.
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
        stat = cover.diffstat
        if stat is None or not stat.rows:
            return
        changes: list[FileChange] = []
        for postings in target.patches.values():
            diff = postings[0].diff
            if diff is None or diff.error:
                return  # some patch has no usable diff: nothing reliable to compare against
            changes.extend(diff.files)
        # Renames and copies are detected per patch and again over the whole range, with
        # different results (a file moved and then edited may show up in the cover letter as a
        # delete and a create): their counts and their intermediate paths are not compared.
        moved = {p for c in changes if c.status in ("renamed", "copied") for p in (c.old_path, c.new_path)}
        listed: set[int] = set()
        by_path: dict[str, list[int]] = {}
        for i, change in enumerate(changes):
            for path in {change.old_path, change.new_path}:
                by_path.setdefault(path, []).append(i)
        for row in stat.rows:
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
                yield self.violation(
                    cover,
                    f"{row.text}: the cover letter says {row.count}, the patch changes "
                    f"{involved[0].changed}",
                    where,
                )
        unlisted = {
            c.path
            for i, c in enumerate(changes)
            if i not in listed and c.old_path not in moved and c.new_path not in moved
        }
        for path in sorted(unlisted):
            yield self.violation(
                cover,
                f"the patches touch {path}, which the cover letter's diffstat does not list",
                cover.line(stat.summary_index),
            )
        touched = Counter(c.path for c in changes)
        if not moved and all(count == 1 for count in touched.values()):
            insertions = sum(c.added for c in changes)
            deletions = sum(c.removed for c in changes)
            if (stat.insertions, stat.deletions) != (insertions, deletions):
                yield self.violation(
                    cover,
                    f"the cover letter says {stat.insertions}+ {stat.deletions}-, the patches "
                    f"add up to {insertions}+ {deletions}-",
                    cover.line(stat.summary_index),
                )
