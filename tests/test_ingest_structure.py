"""Shared structure detection: numbered paragraphs, their guards, headings, offsets."""

from __future__ import annotations

import pytest

from ingest import paras
from ingest.structure import Parsed, RawBlock, build_document, looks_like_heading

pytestmark = pytest.mark.unit


def build(*blocks: RawBlock | str, title: str | None = "T"):
    raws = [b if isinstance(b, RawBlock) else RawBlock(b, kind="auto") for b in blocks]
    return build_document(
        Parsed(blocks=raws, title=title), source="x.txt", fmt="txt", content_hash="h"
    )


def labels(doc) -> list:
    return [(b.kind, b.label) for b in doc.blocks]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("3.41. The council failed.", "3.41"),
        ("3.41 The council failed.", "3.41"),
        ("64. Within one working day", "64"),
        ("64 Within one working day", "64"),
        ("12. “Quoted opening", "12"),
        ("7. (a) the first limb", "7"),
        ("4.125.\t2,479 claims had been submitted", "4.125"),
        ("4.39.\t\nSince 15 August 2022, there have", "4.39"),
        ("6.124.\t**Recommendation 5** is justified", "6.124"),
        ("699.  February 2004 was the worst month", "699"),
    ],
)
def test_candidates(text, label):
    c = paras.candidate(0, text)
    assert c is not None and c.label == label


@pytest.mark.parametrize(
    "text",
    [
        "2013 was the year of the review.",
        "13 July 2011 was the date.",
        "64 children were referred.",
        "3.5 million people",
        "61 16-19 Academies must check",
        "No number here.",
        "0. Zero is not a label",
    ],
)
def test_not_candidates(text):
    assert paras.candidate(0, text) is None


def test_footnotes_between_paragraphs_are_not_paragraphs():
    doc = build(
        "167.  Mr Blair told Dr Blix that he wanted an alternative.",
        "168.  Dr Blix stated that full co-operation was a nebulous concept; and a deadline of",
        "62 UN Security Council, 4707th Meeting.\n63 Telegram 268 UKMIS New York.",
        "production facilities: It would be paradoxical and absurd.",
        "169.  Mr Blair responded.",
        "170.  On 24 February, the UK tabled a draft resolution.",
    )
    assert labels(doc) == [
        ("para", "167"),
        ("para", "168"),
        ("text", None),
        ("text", "168"),
        ("para", "169"),
        ("para", "170"),
    ]


def test_sequence_rejects_quoted_lists_and_allows_restart_after_heading():
    doc = build(
        "4.277. The Committee examined the schemes.",
        "4.278. It took evidence.",
        "4.279. The Committee recommended a ten-point plan:",
        "“1. The Post Office should be removed from delivering redress.",
        "2. Complex cases should be transferred to the Department.",
        "3. Offers should be made at the top of the range.",
        "4.280. The Committee's report went on.",
        RawBlock("Annex A: Condensed Guidance", kind="heading"),
        "1. Safeguarding is everyone's responsibility.",
        "2. Staff are in a position to identify concerns.",
    )
    got = [b.label for b in doc.blocks][2:]
    assert got == ["4.279", "4.279", "4.279", "4.279", "4.280", None, "1", "2"]
    assert [b.kind for b in doc.blocks][6:] == ["para", "heading", "para", "para"]


def test_numbering_of_an_excerpt_resynchronises():
    doc = build("45. An excerpt starts mid-way.", "46. And goes on.", "47. And on.")
    assert [b.label for b in doc.blocks] == ["45", "46", "47"]


def test_heading_is_not_a_paragraph_and_resets_inheritance():
    doc = build(
        "1. The first paragraph of the report.",
        "3. Findings",
        "Unnumbered text under the heading.",
        "2. The second paragraph.",
    )
    assert labels(doc) == [("para", "1"), ("heading", None), ("text", None), ("para", "2")]
    assert doc.blocks[2].section == "3. Findings"


def test_explicit_labels_win_and_detection_can_be_off():
    doc = build(
        RawBlock("1.1 On 13 July 2011.", label="1.1", detect=False),
        RawBlock("30. A quoted paragraph number.", detect=False),
    )
    assert labels(doc) == [("para", "1.1"), ("text", "1.1")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Children in Need", True),
        ("EXECUTIVE SUMMARY", True),
        ("3. Findings", True),
        ("Part one: Safeguarding Information", True),
        ("The council failed to act.", False),
        ("312. Details of the risk assessment should be recorded", False),
        ("Departments.”", False),
        ("Mr. Hale: Absolutely.[^71]", False),  # a line of testimony with its footnote
        ("Sheriff Aldous replied: Yes.[12]_", False),
        ('Yours sincerely, Tom"[^9]', False),  # the end of a quoted letter
        ("Rupert Hale[^3]", True),  # a heading with a note is still a heading
        ("The “Green Book” Reforms", True),
        ("a lower case line", False),
        (
            "This is a rather long line that goes on and on well past any sensible heading length",
            False,
        ),
    ],
)
def test_looks_like_heading(text, expected):
    assert looks_like_heading(text) is expected


def test_text_offsets_sections_pages_and_title_fallback():
    doc = build(
        RawBlock("Review of Child P", kind="heading", page=3, page_label="iii"),
        RawBlock("First line\nsecond line  ", page=3),
        RawBlock("   ", page=3),
        RawBlock("Last words.", page=4),
        title=None,
    )
    assert doc.text == "Review of Child P\n\nFirst line\nsecond line\n\nLast words."
    for b in doc.blocks:
        assert doc.text[b.start : b.end] == b.text
        assert b.section == "Review of Child P"
    assert [(b.page, b.page_label) for b in doc.blocks] == [(3, "iii"), (3, "3"), (4, "4")]
    assert doc.title == "Review of Child P"
    generic = build(RawBlock("1. Introduction", kind="heading"), "Text.", title=None)
    assert generic.title == "X"  # a section heading is no title: the file name is


def test_range_label():
    assert paras.range_label(["64"]) == "64"
    assert paras.range_label(["64", "65", "65"]) == "64-65"
    assert paras.range_label(["3.41", "3.42", "3.43"]) == "3.41-3.43"
    assert paras.range_label(["3.41", "3.44"]) == "3.41, 3.44"
    assert paras.range_label([]) is None


def test_a_footnote_in_the_middle_of_a_sentence_moves_after_it():
    doc = build(
        "296. Where a contractor is used, schools and colleges should decide",
        RawBlock("101 It will only be possible to obtain an enhanced check.", kind="note", page=2),
        RawBlock("on whether a basic disclosure would be appropriate.", kind="text", page=3),
        RawBlock("102 See the guidance.", kind="note", page=3),
        "297. Under no circumstances should a contractor work unsupervised.",
    )
    texts = [b.text[:12] for b in doc.blocks]
    assert texts == ["296. Where a", "on whether a", "101 It will ", "102 See the ", "297. Under n"]
    assert labels(doc) == [
        ("para", "296"),
        ("text", "296"),
        ("note", None),
        ("note", None),
        ("para", "297"),
    ]
    assert all(doc.text[b.start : b.end] == b.text for b in doc.blocks)
    assert doc.blocks[2].page == 2  # a footnote keeps its own page
