"""Dates as people write them in ADRs: ``2021-05-01``, ``2021/5/1``, ``1 May 2021``...

A date whose day and month cannot be told apart (``03/04/2021``) is not guessed: the
caller falls back to another source and says so in the report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
_D_MONTH_Y = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})(?!\d)", re.I)
_MONTH_D_Y = re.compile(rf"{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@dataclass(frozen=True)
class FoundDate:
    date: dt.date | None
    #: Why no date was taken from text that looked like one (ambiguous, impossible).
    problem: str = ""
    #: The text the date was read from (``2021-05-01``, ``1 May 2021``).
    text: str = ""


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year(text: str) -> int:
    """``2018`` -> 2018; a two-digit year ``18`` -> 2018, ``98`` -> 1998."""
    y = int(text)
    if len(text) == 2:
        return 2000 + y if y < 70 else 1900 + y
    return y


def day_month_order(text: str) -> str | None:
    """``dmy`` or ``mdy`` when ``text`` holds a numeric date that tells (26/03/2018: the
    first number is a day), else None."""
    m = _DMY.search(text)
    if not m or _ISO.search(text) or m[2] == ".":
        return None
    a, b = int(m[1]), int(m[3])
    if a > 12 >= b:
        return "dmy"
    if b > 12 >= a:
        return "mdy"
    return None


def find_date(text: str, order: str | None = None) -> FoundDate:
    """The first calendar date written anywhere in ``text``. ``order`` (``dmy`` or
    ``mdy``, as the folder's other dates show) reads an ambiguous ``03/04/2021``."""
    if m := _ISO.search(text):
        got = _make(int(m[1]), int(m[2]), int(m[3]))
        return FoundDate(got, "" if got else f"'{m[0]}' is not a calendar date", m[0])
    if m := _D_MONTH_Y.search(text):
        got = _make(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        return FoundDate(got, "" if got else f"'{m[0]}' is not a calendar date", m[0])
    if m := _MONTH_D_Y.search(text):
        got = _make(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
        return FoundDate(got, "" if got else f"'{m[0]}' is not a calendar date", m[0])
    if m := _DMY.search(text):
        a, sep, b, y = int(m[1]), m[2], int(m[3]), _year(m[4])
        if sep == "." or a > 12 or (order == "dmy" and b <= 12):  # 31.12.2021 is day-first in every locale that writes dots
            got = _make(y, b, a)
        elif b > 12:
            got = _make(y, a, b)
        elif a == b or order == "mdy":
            got = _make(y, a, b)
        else:
            return FoundDate(None, f"'{m[0]}' could be day/month or month/day")
        return FoundDate(got, "" if got else f"'{m[0]}' is not a calendar date", m[0])
    return FoundDate(None)


def compact_date(text: str) -> dt.date | None:
    """``20210131`` -> 2021-01-31 (log4brains' file name prefix), else None."""
    m = _COMPACT.match(text)
    return _make(int(m[1]), int(m[2]), int(m[3])) if m else None
