"""Display text (ingest/display.py): readable, mapped back to the verbatim source, on real
reports from ../shared/corpus."""

from __future__ import annotations

import re

import pytest

from ingest.chunking import chunk_document
from ingest.display import display, display_text, is_noise, source_span
from ingest.load import read_document
from ingest.roles import DOTTED_LEADER

pytestmark = pytest.mark.integration

FILES = (
    "challenger-house-report-1986/full.md",
    "chilcot-executive-summary-2016/executive-summary.md",
    "pohi-vol1/volume-1-full.rst",
    "us-senate-psi-wall-street-2011/full.md",
    "leveson-report-2012/html/F/chapter2/index.html",
    "dfe-safeguarding-guidance/Keeping_children_safe_in_education_2025.pdf",
)
# A line break inside a sentence: a newline between a character that does not end a sentence
# (nor close a quotation or bracket after its end) and a lower-case letter.
_BREAK_IN_SENTENCE = re.compile(r"[^.!?:;\n\"”’')\]]\n+[a-z]")


@pytest.fixture(scope="module")
def chunks(shared_corpus):
    out = {}
    for rel in FILES:
        doc = read_document(shared_corpus / rel, shared_corpus)
        out[rel] = chunk_document(doc)
    return out


def test_display_text_has_no_markup_markers_leaders_or_breaks(chunks):
    seen = {"**": 0, "[^": 0, "]_": 0, "break": 0, "leader": 0}
    for rel, cs in chunks.items():
        for c in cs:
            clean = display_text(c.text)
            for mark in ("**", "[^", "]_"):
                seen[mark] += mark in c.text
                assert mark not in clean, (rel, c.chunk_id, mark)
            seen["break"] += bool(_BREAK_IN_SENTENCE.search(c.text))
            assert not _BREAK_IN_SENTENCE.search(clean), (rel, clean[:200])
            seen["leader"] += bool(DOTTED_LEADER.search(c.text))
            assert not DOTTED_LEADER.search(clean), (rel, clean[:200])
    assert all(n > 10 for n in seen.values()), seen  # the source really has them


def test_offsets_point_at_the_same_characters(chunks):
    for cs in chunks.values():
        for c in cs[:400]:
            clean, offs = display(c.text)
            assert len(offs) == len(clean) + 1 and offs[-1] == len(c.text)
            assert offs == sorted(offs)
            for i, ch in enumerate(clean):
                if ch not in " \n-":
                    assert c.text[offs[i]] == ch, (c.chunk_id, i, clean[max(0, i - 20) : i + 5])


def test_hyphenation_footnote_years_and_links(shared_corpus, chunks):
    challenger = " ".join(display_text(c.text) for c in chunks[FILES[0]])
    assert "technical decision-making over" in challenger
    assert "deci- sion" not in challenger
    chilcot = " ".join(display_text(c.text) for c in chunks[FILES[1]])
    assert "(in the SPG paper of 13 December 2002)" in chilcot
    assert "2002218" not in chilcot
    assert "“strategically decisive” phase of the engagement" in chilcot
    pohi = next(c for c in chunks[FILES[2]] if "Horizon Issues judgment <https" in c.text)
    clean = display_text(pohi.text)
    assert "(“Horizon Issues judgment”)" in clean and "https" not in clean


def test_a_quote_in_display_form_maps_back_to_the_source(chunks):
    chunk = next(c for c in chunks[FILES[0]] if "deci- sion-making" in c.text)
    clean, _ = display(chunk.text)
    at = clean.index("decision-making")
    a, b = source_span(chunk.text, at, at + len("decision-making"))
    assert chunk.text[a:b] == "deci- sion-making"


def test_character_spaced_ocr_is_noise(chunks):
    noisy = next(c for c in chunks[FILES[0]] if "a n i f o t" in c.text)
    sentence = next(s for s in re.split(r"(?<=[.!?])\s+", noisy.text) if "a n i f o t" in s)
    assert is_noise(sentence)
    assert not is_noise("The Post Office knew that Horizon could produce false data.")


def test_a_display_span_maps_back_to_exactly_its_characters(chunks):
    """A word right before removed markup (`**`, a footnote mark) maps back to the word alone:
    the source span starts at the word's first character and ends at its last."""
    checked = 0
    for cs in chunks.values():
        for c in cs:
            clean, offs = display(c.text)
            for m in re.finditer(r"\w+", clean):
                start, end = m.span()
                if offs[end] == offs[end - 1] + 1:
                    continue  # nothing removed after the word: not the case under test
                a, b = source_span(c.text, start, end)
                assert (c.text[a], c.text[b - 1]) == (clean[start], clean[end - 1]), (
                    c.chunk_id,
                    c.text[a : b + 5],
                )
                assert display_text(c.text[a:b]) == m.group()
                checked += 1
                if checked >= 300:
                    return
    assert checked > 20, checked
