"""Print every violation patchlint finds in the given inputs, one ``source:line: CODE name: message``
per line in the order found, and the run's summary on standard error.

Usage::

    python benchmarks/findings.py [--config FILE-OR-PROFILE] [-n N] PATH … > findings.txt

Two runs' outputs compare with ``diff``: a change that should keep behaviour must leave the
findings on ../shared/corpus byte-identical, and one that changes them says which and why.
"""

from __future__ import annotations

import argparse
import sys

from patchlint.engine import Engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", help="a configuration file or built-in profile name")
    parser.add_argument("-n", "--processes", type=int, default=1, help="worker processes (patchlint check -n)")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    report = Engine(args.config, workers=args.processes).check(args.paths)
    out = sys.stdout
    for violation in report.violations:
        out.write(violation.format() + "\n")
    print("\n".join(report.summary_lines()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
