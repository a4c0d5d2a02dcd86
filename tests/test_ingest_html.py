"""HTML reader: boilerplate removal, headings, explicit paragraph numbers, titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.load import read_document

pytestmark = pytest.mark.unit

PAGE = """<!DOCTYPE html>
<html><head><title>The Example Report | Part A | Chapter 1</title>
<script>var tracking = 1;</script><style>p { color: red }</style></head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<div id="cookie-banner"><p>We use cookies to improve this site.</p></div>
<div id="navigation"><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li></ul></div>
<div id="breadcrumbs"><ul><li>Report</li><li>Part A</li></ul></div>
<nav><a href="/x">Next chapter</a></nav>
<div class="content">
<h1>CHAPTER 1<br/>THE ANNOUNCEMENT</h1>
<h2 id="section1">1. Introduction</h2>
<p id="para1-1"><a href="#para1-1" class="paranumber">1.1</a> On 13 July 2011, the Prime
  Minister made a statement in these terms:<sup class="footnoteref"><a href="#footnote1">1</a></sup></p>
<blockquote>&#8220;30. The assessors also bring an understanding of the implications.&#8221;</blockquote>
<p id="para1-2"><a href="#para1-2" class="paranumber">1.2</a> The Terms of Reference followed.</p>
<ul><li>first item of the terms</li><li>second item</li></ul>
<table><tr><th>Year</th><th>Cases</th></tr><tr><td>2011</td><td>42</td></tr></table>
<h2>2. Visits</h2>
<p id="para2-1"><a class="paranumber" href="#para2-1">2.1</a> I visited several titles.</p>
</div>
<div id="footer"><p>Back to the top | Next Chapter</p></div>
<div id="footnotes"><p class="footnote"><a href="#footnoteref1">1</a>. HC Hansard, 13 July 2011</p>
<p class="footnote"><a href="#footnoteref2">2</a>. Ibid, paragraph 20</p></div>
<footer><p>Published by TSO</p></footer>
</body></html>
"""


def read(tmp_path: Path, name: str, html: str):
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return read_document(path, tmp_path)


def test_boilerplate_is_dropped(tmp_path):
    doc = read(tmp_path, "chapter.html", PAGE)
    for noise in ("Skip to main", "cookies", "Home", "Next chapter", "Back to the top", "TSO"):
        assert noise not in doc.text
    assert "tracking" not in doc.text and "color" not in doc.text


def test_explicit_paragraph_numbers_and_headings(tmp_path):
    doc = read(tmp_path, "chapter.html", PAGE)
    for b in doc.blocks:
        assert doc.text[b.start : b.end] == b.text
    paras = {b.label: b for b in doc.blocks if b.kind == "para"}
    assert sorted(paras) == ["1.1", "1.2", "2.1"]
    assert paras["1.1"].text.startswith("1.1 On 13 July 2011, the Prime Minister made")
    assert paras["1.1"].text.endswith("in these terms:[1]")  # footnote reference
    assert paras["1.1"].section == "1. Introduction"
    quote = next(b for b in doc.blocks if "assessors" in b.text)
    assert quote.label == "1.1" and quote.kind == "text"  # a quoted "30." is not paragraph 30
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings == ["CHAPTER 1\nTHE ANNOUNCEMENT", "1. Introduction", "2. Visits"]
    assert "Year | Cases" in doc.text and "2011 | 42" in doc.text
    item = next(b for b in doc.blocks if b.text == "first item of the terms")
    assert item.label == "1.2"
    notes = [b for b in doc.blocks if "HC Hansard" in b.text or "Ibid" in b.text]
    assert [n.text for n in notes] == ["1. HC Hansard, 13 July 2011", "2. Ibid, paragraph 20"]
    assert all(n.label is None and n.kind == "note" for n in notes)


def test_title_is_kept_when_it_carries_the_part(tmp_path):
    assert read(tmp_path, "c.html", PAGE).title == "The Example Report | Part A | Chapter 1"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Witness statements - Leveson Inquiry", "Witness statements"),
        ("Serious case review: Child P | example.gov.uk", "Serious case review: Child P"),
        ("Annual report", "Annual report"),
    ],
)
def test_site_suffix_is_cleaned_from_title(tmp_path, title, expected):
    html = f"<html><head><title>{title}</title></head><body><p>Text.</p></body></html>"
    assert read(tmp_path, "t.html", html).title == expected


def test_numbered_paragraphs_detected_from_text_without_markup(tmp_path):
    html = (
        "<html><body><h1>Review of Child P</h1>"
        "<p>4.1 The agencies did not share information.</p>"
        "<p>4.2 Managers did not review the case.</p></body></html>"
    )
    doc = read(tmp_path, "review.htm", html)
    assert [b.label for b in doc.blocks if b.kind == "para"] == ["4.1", "4.2"]
    assert doc.title == "Review of Child P"  # no <title>: the first h1
