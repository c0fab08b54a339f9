"""Survey the changelog headings real postings use: which the model recognises and which not.

Usage::

    python benchmarks/changelog_survey.py [--unrecognised] [--examples N] ARCHIVE …

For every patch and cover letter at v2 or later, every line of its text and of its notes below
``---`` that looks like a heading candidate (short, names a version or says "change", ends with
a colon or an arrow between versions) is reduced to its shape (digits become ``N``, case folded,
the text after the heading dropped) and counted, with whether
:func:`patchlint.model.changelog.find_changelog` takes it for a heading. Postings of v2+ where
no heading at all is found are counted too, with their first candidate lines, so the shapes the
grammar misses show up by frequency, not by the luck of a sample.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from patchlint.model.changelog import find_changelog
from patchlint.model.message import RawMessage
from patchlint.model.posting import Kind, Posting
from patchlint.readers.mbox import split_stream

# Deliberately wider than the grammar: the point is to see what it misses.
_CANDIDATE = re.compile(
    r"^[\s\-*#>\[(]*(?:.{0,40}?\b(?:v\d+|version\s*\d+|changes?|changelog|change\s*log|since|revision|updates?|diff)\b.{0,40})$",
    re.I,
)


def shape(line: str) -> str:
    text = line.strip().lower()
    text = re.sub(r"\d+", "N", text)
    text = re.sub(r"(:).*$", r"\1", text)  # drop what follows the heading's colon
    return " ".join(text.split())[:50]


def postings(path: Path):
    with path.open("rb") as stream:
        for index, (line, data) in enumerate(split_stream(stream)):
            posting = Posting(RawMessage(str(path), index, data, line))
            if posting.error or posting.kind not in (Kind.PATCH, Kind.COVER):
                continue
            if (posting.subject.version or 1) < 2:
                continue
            yield posting


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archives", nargs="+", type=Path)
    parser.add_argument("--examples", type=int, default=2)
    parser.add_argument("--unrecognised", action="store_true", help="only shapes never recognised")
    args = parser.parse_args(argv)
    seen: Counter[tuple[str, bool]] = Counter()
    examples: dict[tuple[str, bool], list[str]] = defaultdict(list)
    none_found = 0
    total = 0
    for archive in args.archives:
        for posting in postings(archive):
            total += 1
            body = posting.body
            version = posting.subject.version or 1
            entries = posting.changelog
            headings = {e.index for e in entries}
            if not entries:
                none_found += 1
            for index in range(body.message_start, body.diff_start or len(body.lines)):
                line = body.lines[index]
                if len(line) > 70 or not line.strip() or not _CANDIDATE.match(line):
                    continue
                if not (line.rstrip().endswith(":") or re.search(r"v\d+\s*(?:-+>|=>|to)", line, re.I)
                        or re.match(r"\s*[-*]?\s*v\d+\b", line, re.I)):
                    continue
                key = (shape(line), index in headings)
                seen[key] += 1
                if len(examples[key]) < args.examples:
                    examples[key].append(f"{posting.message_id} v{version}: {line.strip()[:70]}")
    print(f"{total} postings at v2+, {none_found} with no changelog heading found")
    for (text, recognised), count in seen.most_common():
        if args.unrecognised and recognised:
            continue
        print(f"{count:5} {'yes' if recognised else 'NO '} {text}")
        for example in examples[(text, recognised)]:
            print(f"          {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
