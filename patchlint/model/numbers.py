"""Numbers written in mail (versions, counters, hunk and diffstat counts), read without failing.

A subject may say ``[PATCH v99999…]`` with more digits than Python's ``int()`` accepts from a
string (4,300 by default: it raises ValueError beyond that), and a total of ``10**12`` is a
number no loop or list should be sized by. Every number the model reads from text goes through
:func:`parse_number`, which keeps it exact up to :data:`MAX_DIGITS` digits and caps it at
:data:`NUMBER_CAP` beyond, far past anything a real posting means.
"""

from __future__ import annotations

# Eighteen digits fit a 64-bit integer: more than any count a mail can hold.
MAX_DIGITS = 18
NUMBER_CAP = 10**MAX_DIGITS - 1


def parse_number(digits: str | bytes) -> int:
    """The value of a run of ASCII digits, capped at :data:`NUMBER_CAP`."""
    significant = digits.lstrip("0" if isinstance(digits, str) else b"0")
    if len(significant) > MAX_DIGITS:
        return NUMBER_CAP
    return int(significant or "0")


def parse_optional(digits: str | bytes | None, default: int) -> int:
    """:func:`parse_number` of an optional group of a match (``default`` when it is absent)."""
    return default if not digits else parse_number(digits)
