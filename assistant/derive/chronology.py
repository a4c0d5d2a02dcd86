"""The cited chronology: dated events, each the verbatim sentence (or dated entry) that
reports it, with its date normalised and its precision (day, month, year).

An event is found three ways (patterns.py):
- in a chronology section ("3. Chronology", "Timeline", "Key events", or chunks whose block role
  is "chronology"): every sentence that holds a date;
- a dated entry anywhere: a block that starts with a date and then a separator or a new line
  ("03 October 2022 | Midwife", "12 January 2023: police attended ...");
- in narrative anywhere: a sentence that opens with its date ("On 3 August 2007 ...", "In
  March 2023 the GP ...", "At 23:10 on 12 January 2023 ...").
"The same day ..." takes the date of the event before it in the paragraph; a day and month
without a year take the year last written before it in the report.
"""

from __future__ import annotations

import re

from assistant.derive import patterns as P
from assistant.derive.dates import When, find_dates
from assistant.derive.document import DocView, Paragraph
from assistant.derive.items import EVENT, Item, make_item
from assistant.derive.listed import walk
from assistant.sentences import split_sentences

_ENTRY_AFTER_DATE = re.compile(r"(?:,?\s*\d{1,2}[:.]\d\d)?\s*(?:[|:–—]|-\s|\n)")
_LEADING_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3}){0,3}\.?\s+")


def events(view: DocView) -> list[Item]:
    out: list[Item] = []
    year: int | None = None
    for p, area in walk(view):
        text = view.span(p.start, p.end)
        in_area = area == "chronology" or p.first.role == "chronology"
        entry = _dated_entry(text, year, labelled=p.first.label is not None)
        if entry is not None:
            out.append(_event(view, p, p.start, p.end, entry, "entry"))
            year = entry.year
            continue
        if not P.DATE.search(text):
            continue  # no date in the paragraph: no event, no year to carry on
        last: When | None = None
        for s, e in split_sentences(text):
            sentence = text[s:e]
            dates = find_dates(sentence, year)
            when, how = None, ""
            if P.SAME_DAY.search(sentence) and last is not None and not dates:
                when, how = last, "same day"
            elif dates and in_area and _happened(sentence, dates):
                when, how = dates[0], "section"
            elif dates:
                opening = P.EVENT_OPENING.match(sentence)
                if opening and dates[0].start <= opening.end():
                    when, how = dates[0], "opening"
            for d in dates:
                if find_dates(sentence[d.start : d.end]):  # a year written out, not inferred
                    year = d.year
            if when is None:
                continue
            out.append(_event(view, p, p.start + s, p.start + e, when, how))
            if how != "section" or when.start <= _opening_end(sentence):
                last = when  # "the same day" refers to the day an event opened with
    return out


def _happened(sentence: str, dates: list[When]) -> bool:
    """A dated sentence of a chronology section that reports what happened on its date (not
    a plan, a deadline or a list of earlier dates)."""
    if dates[0].start <= _opening_end(sentence):
        return True
    if len(dates) >= P.LIST_OF_DATES:
        return False
    return not P.NOT_EVENT_BEFORE.search(sentence[max(0, dates[0].start - 20) : dates[0].start])


def _opening_end(sentence: str) -> int:
    m = P.EVENT_OPENING.match(sentence)
    return m.end() if m else -1


def _dated_entry(text: str, year: int | None, labelled: bool) -> When | None:
    """The date of a block that starts with one and then a separator: a chronology entry."""
    label = _LEADING_NUMBER.match(text) if labelled else None
    body = text[label.end() if label else 0 :]
    dates = find_dates(body[:60], year)
    if not dates or dates[0].start != 0:
        return None
    rest = body[dates[0].end :]
    rest = re.sub(r"^\s*(?:to|and|-|–)\s*(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?\d{4}", "", rest)
    rest = re.sub(r"^/\d{2}\b[^|:\n]*", "", rest)  # "2021/22 school year | School"
    return dates[0] if _ENTRY_AFTER_DATE.match(rest) else None


def _event(view: DocView, p: Paragraph, start: int, end: int, when: When, how: str) -> Item:
    units = [u for u in p.units if u.end > start and u.start < end] or p.units[:1]
    return make_item(
        EVENT, view, units, start, end, date=when.iso(), precision=when.precision, how=how
    )


def sort_key(item: Item) -> tuple:
    """Chronological order; within a date, reports in title order and text order."""
    parts = [int(x) for x in (item.date or "0").split("-")] + [0, 0]
    return (parts[0], parts[1], parts[2], item.title, item.start)
