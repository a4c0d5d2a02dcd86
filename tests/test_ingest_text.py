"""Markdown, reStructuredText and plain text readers, through read_document."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.load import read_document

pytestmark = pytest.mark.unit


def read(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, tmp_path)


def by_label(doc) -> dict:
    return {b.label: b for b in doc.blocks if b.kind == "para"}


def check_offsets(doc) -> None:
    for b in doc.blocks:
        assert doc.text[b.start : b.end] == b.text


MARKDOWN = """---
layout: page
title: "The Example Inquiry - Summary"
---
# Introduction
1.  In 2003, for the first time since the Second World War, the
United Kingdom took part in an invasion.

2.  Until 28 June 2004, the UK was a joint Occupying Power.
13 July 2011 was the date of the statement, not a paragraph.

%%page 12%%

3.  The Note began:

“I will be with you, whatever. But this is the moment to assess
bluntly the difficulties.

62 UN Security Council, ‘4707th Meeting’ (S/PV.4707).
63 Telegram 268 UKMIS New York to FCO London.

production facilities”: “It would be paradoxical and absurd.”

Findings of the Inquiry
=======================

4.  The consequences are still being felt.

* a list item
* another item

[^1]: A footnote definition.
"""


def test_markdown_structure(tmp_path):
    doc = read(tmp_path, "summary.md", MARKDOWN)
    check_offsets(doc)
    assert doc.title == "The Example Inquiry - Summary"
    assert "layout: page" not in doc.text and "%%page" not in doc.text
    labels = by_label(doc)
    assert sorted(labels) == ["1", "2", "3", "4"]
    assert labels["1"].text.startswith("1.  In 2003")  # label stays in the text
    assert labels["1"].section == "Introduction"
    assert labels["2"].page is None and labels["3"].page == 12
    quote = next(b for b in doc.blocks if b.text.startswith("“I will be with you"))
    assert quote.label == "3" and quote.page == 12  # belongs to the paragraph it follows
    notes = next(b for b in doc.blocks if b.text.startswith("62 UN"))
    assert notes.label is None  # footnotes: not paragraph 62
    cont = next(b for b in doc.blocks if b.text.startswith("production facilities"))
    assert cont.label == "3"  # the paragraph goes on after its footnotes
    heading = next(b for b in doc.blocks if b.kind == "heading" and "Findings" in b.text)
    assert heading.text == "Findings of the Inquiry"
    assert labels["4"].section == "Findings of the Inquiry"
    assert "13 July 2011" in labels["2"].text


def test_markdown_title_falls_back_to_first_heading(tmp_path):
    doc = read(tmp_path, "x.md", "Intro line.\n\n## Report on Things\n\nBody text.\n")
    assert doc.title == "Report on Things"


RST = """1. Introduction
===============

| Presented to Parliament
| Ordered to be printed

1.1. Post Office Counters Limited began rolling out Horizon. [1]_ It was complete.

1.2.\t
The first version of Horizon was developed. [2]_

.. rubric:: Footnotes

.. [1] The phrase “the Post Office” means Post Office Limited.
.. [2] Henceforth, the term “Fujitsu” will be used.


2. Recommendations
==================

#. HM Government shall provide written responses by 10 October 2025.
#. The Minister shall make a public announcement.

a. Introduction
===============

.. image:: chart.png

3.1. It is almost impossible to ascertain the number of persons.

    “2. A quoted numbered point that is not a paragraph.”

3.2. The scale of the suffering was wide-ranging.
"""


def test_restructuredtext_structure(tmp_path):
    doc = read(tmp_path, "volume.rst", RST)
    check_offsets(doc)
    assert doc.format == "rst"
    labels = by_label(doc)
    assert sorted(labels) == ["1", "1.1", "1.2", "2", "3.1", "3.2"]
    assert labels["1.1"].text.endswith("[1]_ It was complete.")  # reference kept verbatim
    assert labels["1.2"].text.startswith("1.2.")
    assert labels["1.1"].section == "1. Introduction"
    assert (
        labels["1"].text.startswith("#. HM Government")
        and labels["1"].section == "2. Recommendations"
    )
    footnote = next(b for b in doc.blocks if b.text.startswith("[1] The phrase"))
    assert footnote.label is None and footnote.section == "Footnotes"
    assert "chart.png" not in doc.text and "rubric" not in doc.text
    quoted = next(b for b in doc.blocks if "quoted numbered point" in b.text)
    assert quoted.label == "3.1" and quoted.kind == "text"
    assert doc.title == "Volume"  # a numbered first heading is not a document title


ARTICLE = (
    "The tragic case of Baby Peter, a 17-month-old toddler who suffered horrific abuse, continues "
    "to grip public attention as his mother becomes eligible for parole once more.\n"
    "Peter’s death in 2007, after enduring more than 50 injuries over an eight-month period, "
    "exposed a series of systemic failures within child protection services in Haringey.\n"
)


def test_plain_text_one_paragraph_per_long_line(tmp_path):
    doc = read(tmp_path, "baby-peter_parole.txt", ARTICLE)
    assert [b.text[:12] for b in doc.blocks] == ["The tragic c", "Peter’s deat"]
    assert doc.title == "Baby peter parole"
    assert all(b.page is None and b.label is None for b in doc.blocks)


def test_plain_text_wrapped_paragraphs_pages_and_numbers(tmp_path):
    text = (
        "SUMMARY OF FINDINGS\n\n"
        "1. The council failed to act on\nrepeated warnings from staff.\n"
        "2. Records were incomplete and\nwere not shared.\n\f"
        "3. Managers did not review the case.\n\n"
        "%%page 9%%\n"
        "2013 was the year the review was published, and\nits findings were accepted.\n"
    )
    doc = read(tmp_path, "review", text)
    check_offsets(doc)
    assert doc.format == "txt" and "%%page" not in doc.text and "\f" not in doc.text
    assert doc.blocks[0].kind == "heading"
    labels = by_label(doc)
    assert sorted(labels) == ["1", "2", "3"]
    assert labels["1"].text == "1. The council failed to act on\nrepeated warnings from staff."
    assert (labels["1"].page, labels["3"].page) == (1, 2)
    last = doc.blocks[-1]
    assert last.text.startswith("2013 was") and last.page == 9 and last.kind == "text"


def test_a_converters_heading_that_runs_into_the_next_block_is_text(tmp_path):
    """Our own text, marked up as converters mark up run-in titles: the paragraph stays one
    text block under its real section heading; a genuine short heading stays a heading."""
    text = (
        "# Depot Review\n\n## Recommendations on Night Safety\n\n"
        "### Lock the Yard. The depot manager should ensure that the\n\n"
        "> yard is locked by the last driver out, every night of the week.\n\n"
        "### Check the Vans. The night staff should check each van and record its\n\n"
        "> Mileage and fuel in the depot's log before the yard is locked.\n\n"
        "### Background to the Review\n\n"
        "iPads were given to the night staff in 2021.\n\n"
        "## 6. Engagement with the public: the depot's website\n\n"
        "6.1 The depot published its night safety rules on its website in 2022.\n"
    )
    doc = read(tmp_path, "depot.md", text)
    lock = next(b for b in doc.blocks if b.text.startswith("Lock the Yard"))
    assert lock.kind != "heading" and lock.text.endswith("every night of the week.")
    assert lock.section == "Recommendations on Night Safety" and lock.role == "recommendation"
    vans = next(b for b in doc.blocks if b.text.startswith("Check the Vans"))
    assert "record its Mileage and fuel" in vans.text and vans.role == "recommendation"
    heading = next(b for b in doc.blocks if b.text == "Background to the Review")
    assert heading.kind == "heading"
    numbered = next(b for b in doc.blocks if "Engagement with the public" in b.text)
    assert numbered.kind == "heading"  # "6." numbers the heading: no run-in title


def test_a_heading_wrapped_onto_a_second_line_is_one_heading_and_keeps_its_section(tmp_path):
    """Our own text, wrapped as PDF-to-Markdown converters wrap long headings: the second line
    completes the heading, so the section (and its role) goes on under the whole title."""
    text = (
        "# Depot Review\n\n## Findings\n\n### Night safety, March 2019 to\nJune 2020\n\n"
        "4.1 The yard was left open on eleven nights.\n\n"
        "### Staffing of the\n\nthe rota was short in winter, and nobody covered Fridays.\n\n"
        "### Keys and locks\n\nKey register 2020\n\n4.2 Two keys were never returned.\n\n"
        "## Costs\n\nThe depot spent less than planned.\n"
    )
    doc = read(tmp_path, "depot.md", text)
    heads = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "Night safety, March 2019 to June 2020" in heads and "June 2020" not in heads
    assert "Keys and locks" in heads  # a whole heading: the short line after it is not its end
    after = next(b for b in doc.blocks if b.text.startswith("4.1"))
    assert after.section == "Night safety, March 2019 to June 2020" and after.role == "finding"
    keys = next(b for b in doc.blocks if b.text.startswith("4.2"))
    assert keys.role == "finding"  # the Findings section did not end at a heading's second line
    # a line in lower case after an open heading is a paragraph, not the heading's end
    rota = next(b for b in doc.blocks if "rota was short" in b.text)
    assert rota.kind != "heading"
    assert next(b for b in doc.blocks if b.text.startswith("The depot spent")).role == "body"
