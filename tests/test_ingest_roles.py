"""Block roles at ingest (ingest/roles.py) on real reports from ../shared/corpus, and carried
into chunks, the store's metadata and every passage's JSON."""

from __future__ import annotations

import pytest

from assistant.retrieve import to_passage
from index.store import CHUNK_FIELDS
from ingest.chunking import chunk_document
from ingest.load import read_document
from ingest.roles import DOTTED_LEADER

pytestmark = pytest.mark.integration


def read(corpus, rel):
    return read_document(corpus / rel, corpus)


KCSIE = "dfe-safeguarding-guidance/Keeping_children_safe_in_education_2025.pdf"
SENATE = "us-senate-psi-wall-street-2011/full.md"
POHI = "pohi-vol1/volume-1-full.rst"
CHALLENGER = "challenger-house-report-1986/full.md"


def test_kcsie_title_page_and_contents_are_not_body(shared_corpus):
    doc = read(shared_corpus, KCSIE)
    page1 = [b for b in doc.blocks if b.page == 1]
    assert page1 and all(b.role == "front" for b in page1)
    contents = [b for b in doc.blocks if b.page in (2, 3)]
    assert contents and all(b.role == "contents" for b in contents), [
        (b.role, b.text[:60]) for b in contents
    ]
    para50 = next(b for b in doc.blocks if b.text.startswith("50. If staff have any concerns"))
    assert para50.role == "body"
    notes = [b for b in doc.blocks if b.kind == "note"]
    assert notes and all(b.role == "footnote" for b in notes)


def test_dotted_leaders_are_contents_everywhere(shared_corpus):
    doc = read(shared_corpus, SENATE)
    leaders = [b for b in doc.blocks if DOTTED_LEADER.search(b.text)]
    assert len(leaders) > 20
    assert all(b.role == "contents" for b in leaders)
    for c in chunk_document(doc):
        if DOTTED_LEADER.search(c.text):
            assert "contents" in c.roles.split(","), c.text[:120]


def test_imprint_recommendations_and_footnotes_of_the_horizon_report(shared_corpus):
    doc = read(shared_corpus, POHI)
    imprint = next(b for b in doc.blocks if "Presented to Parliament" in b.text)
    assert imprint.role == "front"
    recs = [b for b in doc.blocks if b.section == "2. Recommendations" and b.kind != "heading"]
    assert len(recs) == 19 and all(b.role == "recommendation" for b in recs)
    later = next(b for b in doc.blocks if b.text.startswith("**17. As soon as"))
    assert later.role == "recommendation"  # after "Accordingly, I recommend:"
    assert next(b for b in doc.blocks if b.text.startswith("6.211.")).role == "body"
    assert all(b.role == "footnote" for b in doc.blocks if b.kind == "note")


def test_character_spaced_ocr_is_marked_noise(shared_corpus):
    doc = read(shared_corpus, CHALLENGER)
    spaced = next(b for b in doc.blocks if "a n i f o t" in b.text)
    assert spaced.noise
    chunk = next(c for c in chunk_document(doc) if "a n i f o t" in c.text)
    assert "noise" in chunk.roles.split(",")
    report = next(b for b in doc.blocks if b.text == "R E P O R T")
    assert report.role in ("front", "noise")


def test_section_and_line_roles_from_headings(tmp_path):
    """Examples written for this test (a fictional review), not evaluation questions."""
    text = (
        "# Review of the Harbour Trust\n\n"
        "## Terms of reference\n\nThe review was asked to examine the handling of complaints "
        "about the trust between 2019 and 2021 and to report to the board.\n\n"
        "## Chronology\n\n3 March 2019: the first complaint was logged by the duty officer.\n\n"
        "14/06/2020 – the board was told of the backlog.\n\n"
        "## Findings\n\nThe complaints team had no manager for eleven months, and nobody "
        "owned the backlog that grew in that time.\n\n"
        "### Staffing\n\nThe rota left the desk empty on Fridays through the whole period.\n\n"
        "## Recommendations\n\nRecommendation 1: The trust should appoint a complaints "
        "manager within three months.\n\n"
        "## Costs\n\nThe review cost less than planned because the trust kept good records "
        "of every complaint it received.\n\n"
        "| year | complaints |\n|---|---|\n| 2019 | 12 |\n"
    )
    (tmp_path / "harbour.md").write_text(text, encoding="utf-8")
    doc = read_document(tmp_path / "harbour.md", tmp_path)
    role = {" ".join(b.text.split()[:3]): b.role for b in doc.blocks}
    assert role["The review was"] == "terms"
    assert role["3 March 2019:"] == "chronology" and role["14/06/2020 – the"] == "chronology"
    assert role["The complaints team"] == "finding"
    assert role["The rota left"] == "finding"  # a sub-heading stays in its section's role
    assert role["Recommendation 1: The"] == "recommendation"
    assert role["The review cost"] == "body"  # the next section of the same level ends it
    assert role["| year |"] == "table"
    assert role["Review of the"] == "front"  # the title line before the first prose


def test_role_reaches_chunk_store_metadata_and_passage_json(shared_corpus):
    assert {"role", "roles", "pages", "report", "part"} <= set(CHUNK_FIELDS)
    doc = read(shared_corpus, KCSIE)
    chunks = chunk_document(doc)
    contents = next(c for c in chunks if c.role == "contents")
    body = next(c for c in chunks if "50. If staff have any concerns" in c.text)
    assert body.role == "body"
    for chunk, role in ((contents, "contents"), (body, "body")):
        meta = {k: getattr(chunk, k) for k in CHUNK_FIELDS}
        meta.update(doc_id=chunk.doc_id, start=chunk.start, end=chunk.end)
        passage = to_passage(chunk.chunk_id, chunk.text, meta)
        assert passage.role == role
        assert passage.to_json()["role"] == role


def test_a_division_before_a_heading_title_keeps_its_role(shared_corpus):
    from ingest.roles import section_role

    assert section_role("Chapter 3: Conclusions") == "finding"
    assert section_role("Annex B – Recommendations") == "recommendation"
    assert section_role("Part three: Safer recruitment") is None
    assert section_role("Partnership recommendations") is None  # the role opens the title
    # the Leveson Report's Part L is its summary of recommendations
    part_l = shared_corpus / "leveson-report-2012/html/L/index.html"
    doc = read_document(part_l, shared_corpus)
    paras = [b for b in doc.blocks if b.kind == "para"]
    assert paras[0].text.startswith("1. An independent self regulatory body")
    assert paras[0].role == "recommendation"
    assert sum(b.role == "recommendation" for b in paras) > 0.6 * len(paras)


@pytest.mark.parametrize(
    "heading, role",
    [
        ("Summary of key findings", "finding"),
        ("4. Summary and conclusions", "finding"),
        ("Concluding remarks", "finding"),
        ("The Board's Investigation and Findings of Fact", "finding"),
        ("CHAPTER 2 THE WARD AND THE PHARMACY: CONCLUSIONS AND RECOMMENDATIONS", "finding"),
        ("Conclusions and recommendations on staffing", "finding"),
        ("c. Other Matters and Recommendations", None),  # discussion too
        ("The Ward and the Pharmacy: Recommendations", "recommendation"),
        ("PART C SUMMARY OF RECOMMENDATIONS", "recommendation"),
        ("How the panel's conclusions were reached", None),
        ("The fact-finding visit", None),
        ("Why the recommendations of 2009 were not followed", None),
    ],
)
def test_a_section_named_for_its_findings_or_recommendations_at_either_end(heading, role):
    """Our own headings: the role word opens the heading or closes a longer one."""
    from ingest.roles import section_role

    assert section_role(heading) == role
