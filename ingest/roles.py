"""Block roles: what each block is for a reader, decided once at ingest from documented patterns.

Roles (one per block; a chunk carries its dominant role and the set of all its roles):

| role | what | found by |
|---|---|---|
| `front` | title page, imprint, copyright and licence lines | imprint patterns anywhere; the run of short blocks before the first prose; page 1 of a PDF without numbered paragraphs |
| `contents` | table of contents, dotted leader lines | a "Contents" heading and the lines under it; any line with a dotted leader and a page number |
| `terms` | terms of reference | the section under a "Terms of reference" heading |
| `heading` | section titles | the reader's and structure.py's headings |
| `footnote` | footnotes | readers' note blocks |
| `table` | table rows | cells joined by " \\| " (HTML), Markdown/rst table lines |
| `recommendation` | recommendations | a "Recommendations" section; a block opening "Recommendation 12" or "We recommend", or following one that ends "I recommend:" |
| `finding` | findings and conclusions | a "Findings" / "Conclusions" / "Lessons learned" section; "Finding 3", "We conclude that" |
| `chronology` | dated timeline lines | a "Chronology" / "Timeline" section; a block opening with a date ("12 March 2019", "14/03/2019") |
| `noise` | OCR noise | over 30 % of its letters in character-spaced runs ("R E P O R T") |
| `body` | everything else | |

A section role (`terms`, `recommendation`, `finding`, `chronology`, `contents`) lasts from its
heading to the next heading of the same or a higher level (the level where the format gives one,
Markdown `#`, HTML `<h2>`; else the next heading), so "Recommendations" > "Recommendation 3"
stays in the role. Block patterns win over the section's role: a table under "Findings" is a
`table`, a dotted leader line anywhere is `contents`.

Examples (from documents of other kinds than the evaluation questions):
- front: "Presented to Parliament pursuant to Section 26 of the Inquiries Act 2005",
  "ISBN 978-1-5286-5867-6", "© Crown copyright 2016";
- contents: "Introduction .......... 3", "Part one: Safeguarding information 6 About this 7";
- recommendation: "Recommendation 4: The council should publish ...";
- finding: "We conclude that the referral was not acted on.";
- chronology: "3 March 2019: the school nurse made a referral.";
- noise: "a n i f o t together".
"""

from __future__ import annotations

import re

from .model import Block

ROLES = (
    "front",
    "contents",
    "terms",
    "heading",
    "footnote",
    "table",
    "recommendation",
    "finding",
    "chronology",
    "noise",
    "body",
)
NOT_QUOTABLE = frozenset({"front", "contents", "heading", "footnote", "noise"})

_NUMBERING = re.compile(r"^(?:[\dIVXLivxl]{1,6}(?:\.\d{1,3})*\.?|[A-Za-z][.)])\s+")
# Headings that open a section of one role (numbering and markup removed before matching).
SECTION_HEADINGS = {
    "contents": re.compile(r"^(?:table of )?contents(?: page)?$", re.I),
    "terms": re.compile(r"\bterms of reference\b", re.I),
    # at the start ("Summary of recommendations") or after a colon closing a longer title
    # ("The press and the police: recommendations"); "Other issues and recommendations" mixes
    # discussion with them and is left to the blocks' own cues ("I recommend:")
    "recommendation": re.compile(
        r"^(?:(?:summary|list|table) of |our |key |the )?recommendations?\b|"
        r"[:–—]\s+recommendations?$",
        re.I,
    ),
    # likewise: "Summary of key findings", "Concluding remarks", "Investigation and findings
    # of fact", "The press and the police: conclusions and recommendations"
    "finding": re.compile(
        r"^(?:(?:summary|list) of |summary and |our |key |main |overall |the )*(?:findings?|"
        r"conclusions?|concluding (?:remarks|observations)|lessons? (?:learned|learnt|for)|"
        r"learning points)\b|"
        r"(?:[:–—-]|\band)\s+(?:key |main )?(?:findings?(?: of fact)?|conclusions?)"
        r"(?: and recommendations?)?$",
        re.I,
    ),
    "chronology": re.compile(
        r"^(?:(?:a |the )?chronology|timeline|key events|sequence of events)\b", re.I
    ),
}
# Lines of a title page or imprint.
IMPRINT = re.compile(
    r"\bISBN\b|©|\bcrown copyright\b|presented to parliament|ordered by the house of "
    r"(?:commons|lords) to be printed|open government licen[cs]e|"
    r"this publication is (?:available|licensed)|any enquiries regarding this publication|"
    r"^\s*HC \d+\s*$|^\s*(?:published|printed) (?:by|in)\b|^\s*union calendar no\b",
    re.I | re.M,
)
# Five or more dots (spaced or not; an ellipsis is three) or two ellipsis characters, then
# optionally a page number (or one a converter turned into a footnote mark "[^15]").
DOTTED_LEADER = re.compile(
    r"(?:(?:\.\s?){5,}|…{2,})\s*(?:\d{1,4}|\[\^?\d{1,4}\]|[ivxlc]{1,6})?(?!\w)"
)
# "Introduction 3 About this guidance 3 The status ..." (a PDF contents page read as prose)
_CONTENTS_ENTRY = re.compile(r"[A-Za-z)’'”:][^.!?\d]{2,90}?\s\d{1,3}(?=\s+[A-Z(]|\s*$)")
_TABLE_LINE = re.compile(r"^\s*(?:\|.*\|\s*$|\+[-=+]{3,}\+\s*$)|\S \| \S.* \| \S", re.M)
BLOCK_PATTERNS = {
    "recommendation": re.compile(
        r"^\W{0,3}(?:recommendation\s+\d+|(?:we|i|the (?:panel|review|inquiry|committee))"
        r" (?:therefore )?recommends?\b)",
        re.I,
    ),
    "finding": re.compile(
        r"^\W{0,3}(?:finding\s+\d+|conclusion\s+\d+|(?:we|i|the (?:panel|review|inquiry|"
        r"committee)) (?:therefore )?(?:conclude|find)s? that\b)",
        re.I,
    ),
}
INTRODUCES_RECOMMENDATION = re.compile(r"\brecommend(?:s|ed)?(?: that)?:\s*$", re.I)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATE_LINE = re.compile(
    rf"^\W{{0,3}}(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}\.?\s+(?:\d{{1,2}},?\s+)?"
    rf"(?:19|20)\d\d|\d{{1,2}}/\d{{1,2}}/(?:19|20)?\d\d|\d{{1,2}}[.-]\d{{1,2}}[.-](?:19|20)\d\d|"
    rf"(?:19|20)\d\d\s*[:–—-])",
    re.I,
)
# Character-spaced words: four or more single letters separated by single spaces.
SPACED = re.compile(r"(?<!\S)(?:\w ){3,}\w(?!\S)")
NOISE_SHARE = 0.3  # a block whose letters are this much in spaced runs is noise
FRONT_MAX = 25  # a title page has fewer blocks than this before the first prose


def spaced_share(text: str) -> float:
    """Share of a text's non-space characters that sit in character-spaced runs."""
    letters = sum(1 for c in text if not c.isspace())
    if not letters:
        return 0.0
    spaced = sum(len(m.group().replace(" ", "")) for m in SPACED.finditer(text))
    return spaced / letters


# A heading's place in the report before its title: "Part L", "Chapter 3:", "Annex B –" ("PART L
# SUMMARY OF RECOMMENDATIONS" opens a recommendations section as "Recommendations" does).
_DIVISION = re.compile(
    r"^(?:part|chapter|section|annex|appendix|volume)\s+(?:\d{1,3}|[ivxl]{1,5}|[a-z]|one|two|"
    r"three|four|five|six|seven|eight|nine|ten)\b[\s:.–—-]*",
    re.I,
)


def heading_text(text: str) -> str:
    text = re.sub(r"[*_#`]+", "", text).strip()
    text = _NUMBERING.sub("", text).strip(" :.-–")
    return _DIVISION.sub("", text).strip(" :.-–") or text


def section_role(heading: str) -> str | None:
    core = heading_text(heading)
    for role, pattern in SECTION_HEADINGS.items():
        if pattern.search(core):
            return role
    return None


def is_contents_text(text: str) -> bool:
    """A dotted leader line, or text that is mostly 'Title 12' contents entries."""
    if DOTTED_LEADER.search(text):
        return True
    flat = " ".join(text.split())
    covered = sum(len(m.group()) for m in _CONTENTS_ENTRY.finditer(flat))
    return len(flat) > 0 and covered / len(flat) >= 0.6 and len(_CONTENTS_ENTRY.findall(flat)) >= 2


def _prose(text: str) -> bool:
    words = text.split()
    return len(words) >= 20 and text.rstrip("”\"’')]")[-1:] in ".!?:"


def assign(blocks: list[Block], levels: list[int | None], paged: bool) -> None:
    """Set `role` and `noise` on every block (in place). `levels`: heading levels where known."""
    front = _front_run(blocks, paged)
    region: tuple[str, int | None] | None = None  # (role, heading level)
    for i, (b, level) in enumerate(zip(blocks, levels)):
        if b.kind == "heading":
            deeper = region and level and region[1] and level > region[1]
            contents_line = region and region[0] == "contents" and is_contents_text(b.text + " 1")
            if region and not deeper and not contents_line:
                region = None
            opened = section_role(b.text)
            if opened:
                region = (opened, level)
        b.noise = bool(SPACED.search(b.text))
        b.role = _role(b, i in front, region[0] if region else None)
        if b.role == "body" and i and INTRODUCES_RECOMMENDATION.search(_previous(blocks, i)):
            b.role = "recommendation"  # "Accordingly, I recommend:" then the recommendation


def _previous(blocks: list[Block], i: int) -> str:
    prev = next((b for b in reversed(blocks[:i]) if b.kind != "note"), None)
    return prev.text if prev is not None else ""


def _role(b: Block, in_front: bool, region: str | None) -> str:
    text = b.text
    if b.kind == "note":
        return "footnote"
    if in_front or (b.kind not in ("heading", "para") and IMPRINT.search(text) and len(text) < 600):
        return "front"
    if spaced_share(text) > NOISE_SHARE:
        return "noise"
    if DOTTED_LEADER.search(text):
        return "contents"
    if region == "contents" and (
        b.kind == "heading" or is_contents_text(text) or len(text.split()) <= 12
    ):
        return "contents"
    if b.kind == "heading":
        return "heading"
    if _TABLE_LINE.search(text):
        return "table"
    for role, pattern in BLOCK_PATTERNS.items():
        if pattern.search(text):
            return role
    if region in ("terms", "recommendation", "finding") or (
        region == "chronology" and DATE_LINE.search(text)
    ):
        return region
    if DATE_LINE.search(text) and len(text) < 400 and region != "contents":
        return "chronology" if _dated_list(text) else "body"
    return "body"


def _dated_list(text: str) -> bool:
    """A date opening an entry ("3 March 2019: ...", "2007 – ...", "Jan 2010 | 8") rather than
    text that merely starts with one ("26 September 2002, who warned ...")."""
    m = DATE_LINE.search(text)
    rest = text[m.end() :] if m else ""
    return bool(m) and (not rest.strip() or bool(re.match(r"\s*[:–—|-]", rest)))


def _front_run(blocks: list[Block], paged: bool) -> set[int]:
    """Blocks of the title page: the leading run before the first prose or numbered paragraph
    (when that comes within FRONT_MAX blocks); in a paged document, page 1 unless it holds a
    numbered paragraph or prose that is not imprint."""
    out: set[int] = set()
    if paged and len({b.page for b in blocks}) > 2:
        first = [i for i, b in enumerate(blocks) if b.page == blocks[0].page]
        if not any(blocks[i].kind == "para" for i in first):
            prose = [
                i for i in first if _prose(blocks[i].text) and not IMPRINT.search(blocks[i].text)
            ]
            if not prose:
                return set(first)
    for i, b in enumerate(blocks[: FRONT_MAX + 1]):
        if b.kind == "para" or (_prose(b.text) and not IMPRINT.search(b.text)):
            return out
        if b.kind == "heading" and section_role(b.text):
            return out  # "Contents", "Recommendations": the body has started
        if b.kind != "note":
            out.add(i)
    # no prose near the start (a list of names, an index page): only imprint lines are front
    return {i for i, b in enumerate(blocks[:FRONT_MAX]) if IMPRINT.search(b.text)}
