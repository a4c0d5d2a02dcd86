"""Dates as written, normalised with their precision: "3 August 2007" -> 2007-08-03 (day),
"March 2023" -> 2023-03 (month), "in 2019" -> 2019 (year). A day and month without a year
take the year of the context ("On 25 January" after "January 2024")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.derive.patterns import DATE, MONTHS
from ingest.errors import InquiryError


class BadDate(InquiryError):
    """A date bound the user gave (--from / --to) is not a date."""


_YEAR_ALONE_BEFORE = re.compile(
    r"(?:\b(?:in|by|during|since|from|until|of|early|late|mid|summer|spring|autumn|winter|"
    r"end of|start of|beginning of)\s+|mid-)$",
    re.I,
)
# A year that opens an entry: "2019: ...", "2017 to 2019 | GP", "2021/22 school year".
_YEAR_HEADS_ENTRY = re.compile(r"\s*(?:[|:–—-]|to\b|and\b|/\d)")
DAY, MONTH, YEAR = "day", "month", "year"


@dataclass(frozen=True)
class When:
    year: int
    month: int | None = None
    day: int | None = None
    start: int = 0  # span of the date expression in the text it was found in
    end: int = 0

    @property
    def precision(self) -> str:
        return DAY if self.day else MONTH if self.month else YEAR

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


def find_dates(text: str, default_year: int | None = None) -> list[When]:
    """Every date expression of `text`, in order; a bare year counts only after a
    preposition ("in 2019", "by 2008"), so amounts and counts are not taken for years."""
    out = []
    for m in DATE.finditer(text):
        w = _when(m, text, default_year)
        if w is not None:
            out.append(w)
    return out


def _when(m: re.Match, text: str, default_year: int | None) -> When | None:
    g = m.groupdict()
    try:
        if g["d0"]:
            year = int(g["y0"]) if g["y0"] else default_year
            if year is None:
                return None
            return _valid(year, MONTHS[g["month0"].lower().rstrip(".")], int(g["d0"]), m)
        if g["y9"]:
            return _valid(int(g["y9"]), MONTHS[g["month9"].lower().rstrip(".")], None, m)
        if g["d1"]:
            year = int(g["y1"]) if g["y1"] else default_year
            if year is None:
                return None
            return _valid(year, MONTHS[g["month"].lower().rstrip(".")], int(g["d1"]), m)
        if g["d2"]:
            return _valid(int(g["y2"]), MONTHS[g["month2"].lower().rstrip(".")], int(g["d2"]), m)
        if g["y3"]:
            return _valid(int(g["y3"]), MONTHS[g["month3"].lower().rstrip(".")], None, m)
        if g["d4"]:
            return _valid(int(g["y4"]), int(g["m4"]), int(g["d4"]), m)
        if g["y5"]:
            return _valid(int(g["y5"]), int(g["m5"]), int(g["d5"]), m)
        before = text[max(0, m.start() - 20) : m.start()]
        heads_entry = m.start() == 0 and _YEAR_HEADS_ENTRY.match(text, m.end())
        if g["y6"] and (heads_entry or _YEAR_ALONE_BEFORE.search(before)):
            return _valid(int(g["y6"]), None, None, m)
    except (KeyError, ValueError):
        return None
    return None


def _valid(year: int, month: int | None, day: int | None, m: re.Match) -> When | None:
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    return When(year, month, day, m.start(), m.end())


def parse_bound(text: str) -> tuple[int, int, int]:
    """A --from/--to bound: '2023', '2023-03', '2023-03-05' or '5 March 2023' -> a sort key
    (BadDate for anything else)."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    if m:
        return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))
    found = find_dates(text)
    if not found and re.fullmatch(r"\d{4}", text):
        return (int(text), 0, 0)
    if len(found) != 1:
        raise BadDate(f"{text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return found[0].key()


def within(key: tuple[int, int, int], lo: tuple | None, hi: tuple | None) -> bool:
    """Whether a date (with 0 for unknown month/day) may fall within [lo, hi]."""
    if lo is not None and _upper(key) < lo:
        return False
    return not (hi is not None and key > _upper(hi))


def _upper(key: tuple[int, int, int]) -> tuple[int, int, int]:
    y, m, d = key
    return (y, m or 12, d or 31)
