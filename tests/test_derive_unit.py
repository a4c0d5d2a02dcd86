"""Unit tests of the derived-knowledge extractors, on passages written for these tests.

Each document goes through the real reader and chunker (ingest/), so the extractors see chunks
exactly as the index stores them; no model and no store are needed.
"""

from __future__ import annotations

import json

import pytest
from conftest import write

from assistant.derive import patterns as P
from assistant.derive.chronology import events
from assistant.derive.dates import BadDate, find_dates, parse_bound, within
from assistant.derive.document import build_view
from assistant.derive.findings import findings
from assistant.derive.listed import addressee
from assistant.derive.recommendations import recommendations, similar_across
from assistant.derive.store import DerivedStore, derive
from ingest.chunking import chunk_document
from ingest.load import read_document


def rows_of(tmp_path, name: str, text: str, max_tokens: int = 200, version: str = "v1"):
    path = write(tmp_path / name, text)
    doc = read_document(path, tmp_path)
    out = []
    for c in chunk_document(doc, max_tokens=max_tokens):
        meta = {
            k: getattr(c, k)
            for k in (
                "doc_id",
                "source",
                "title",
                "page",
                "page_end",
                "page_label",
                "para",
                "section",
                "ordinal",
                "start",
                "end",
                "footnotes",
            )
        }
        meta["version"] = version
        out.append((f"{c.doc_id}:{version}:{c.ordinal:05d}", c.text, meta))
    return doc, out


PLAN = """# Review of the Harbour Lane Day Nursery

## 1. Background

1.1 The nursery opened in 2015 and cares for forty children under five.

1.2 Staff turnover was high throughout 2021 and 2022.

## 2. Chronology

2.1 On 4 March 2021 a parent reported a bruise on her son's arm. The manager recorded it.

2.2 In June 2021 the local authority designated officer was told. The same day the manager
wrote to the parent.

2.3 The inspection was planned for 30 June. A new manager started on 1 September 2021.

## 3. Findings

3.1 Finding 1: Managers did not record injuries consistently.

3.2 Finding 2: The designated officer was told late, three months after the first concern.

## 4. Recommendations

4.1 The review makes the following recommendations.

4.2 Recommendation 1: The nursery provider should introduce a single injury log reviewed
weekly by the manager.

4.3 Recommendation 2: The Local Authority must check that every early years setting has a
named safeguarding lead, including:

- a deputy who covers absences; and

- training renewed every two years.

## 5. Other matters

5.1 We recommend that the county publishes its audit of nurseries by the end of the year.

5.2 The nursery is now rated good.
"""


def test_every_documented_example_matches_its_pattern():
    for text in P.RECOMMENDATION_HEADING_EXAMPLES:
        assert P.heading_kind(text) == "recommendation", text
    for text in P.FINDING_HEADING_EXAMPLES:
        assert P.heading_kind(text) == "finding", text
    for text in P.CHRONOLOGY_HEADING_EXAMPLES:
        assert P.heading_kind(text) == "chronology", text
    for text in P.CHRONOLOGY_SUBHEADING_EXAMPLES:
        assert P.CHRONOLOGY_SUBHEADING.match(text), text
    for text in P.NUMBERED_RECOMMENDATION_EXAMPLES:
        assert P.NUMBERED_RECOMMENDATION.match(text), text
    for text in P.LABELLED_RECOMMENDATION_EXAMPLES:
        assert P.LABELLED_RECOMMENDATION.match(text), text
    for text in P.NUMBERED_FINDING_EXAMPLES:
        assert P.NUMBERED_FINDING.match(text), text
    for text in P.LIST_ITEM_EXAMPLES:
        assert P.LIST_ITEM.match(text), text
    for text in P.RECOMMENDATION_CUE_EXAMPLES:
        assert P.RECOMMENDATION_CUE.search(text), text
    for text in P.INTRODUCTION_EXAMPLES:
        assert P.INTRODUCTION.search(text), text
    for text in P.NORMATIVE_EXAMPLES:
        assert P.NORMATIVE.search(text), text
    for text in P.CONTENTS_LINE_EXAMPLES:
        assert P.CONTENTS_LINE.search(text), text
    for text in P.EVENT_OPENING_EXAMPLES:
        assert P.EVENT_OPENING.match(text), text
    for text in P.NOT_EVENT_EXAMPLES:
        assert P.NOT_EVENT_BEFORE.search(text), text
    for text, who in P.ADDRESSEE_EXAMPLES:
        assert addressee(text) == who
    for text, iso, precision in P.DATE_EXAMPLES:
        d = find_dates(text)[0]
        assert (d.iso(), d.precision) == (iso, precision), text


def test_a_narrative_sentence_without_a_recommendation_word_is_not_one():
    assert not P.RECOMMENDATION_CUE.search("The panel recommended a review in 2019.")
    assert not P.NUMBERED_RECOMMENDATION.match("Recommendation 6 was in the following terms:")
    for text in P.NOT_RECOMMENDATION_CUE_EXAMPLES:
        assert not P.RECOMMENDATION_CUE.search(text), text
    for text in P.NOT_FINDING_HEADING_EXAMPLES:
        assert P.heading_kind(text) is None, text
    for text in P.NOT_RECOMMENDATION_HEADING_EXAMPLES:
        assert P.heading_kind(text) is None, text
    for text in P.MIXED_HEADING_EXAMPLES:
        assert P.heading_kind(text) == "mixed", text


def test_a_quoted_recommendation_is_not_the_reports_own(tmp_path):
    text = (
        "# R\n\n" + "\n\n".join(P.QUOTED_CUE_EXAMPLES) + "\n\nWe recommend that the board meets.\n"
    )
    recs = recommendations(build_view(rows_of(tmp_path, "q.md", text)[1]))
    assert [r.text for r in recs] == ["We recommend that the board meets."]


def test_recommendations_numbered_whole_with_list_items_and_addressee(tmp_path):
    _, rows = rows_of(tmp_path, "nursery.md", PLAN)
    recs = recommendations(build_view(rows))
    numbered = [r for r in recs if r.how == "numbered"]
    assert [r.number for r in numbered] == ["1", "2"]
    assert [r.para for r in numbered] == ["4.2", "4.3"]
    assert numbered[0].addressee == "The nursery provider"
    assert numbered[1].addressee == "The Local Authority"
    # the list items belong to recommendation 2, verbatim
    assert numbered[1].text.endswith("training renewed every two years.")
    assert "a deputy who covers absences" in numbered[1].text
    # the introduction is not a recommendation; the cue sentence in running text is
    assert not any("following recommendations" in r.text for r in recs)
    cued = [r for r in recs if r.how == "cue"]
    assert len(cued) == 1 and cued[0].text.startswith("We recommend that the county")
    assert cued[0].para == "5.1" and cued[0].section == "5. Other matters"
    for r in recs:  # every item is a verbatim span of the document
        assert r.text in PLAN


def test_a_recommendation_split_across_chunks_is_whole(tmp_path):
    long = " ".join(f"The board should act on matter {n} without delay." for n in range(40))
    text = f"# Report\n\n## Recommendations\n\n1. {long}\n\n2. The council should reply.\n"
    doc, rows = rows_of(tmp_path, "long.md", text, max_tokens=80)
    assert len(rows) > 3  # the first recommendation spans several chunks
    recs = recommendations(build_view(rows))
    assert [r.number for r in recs] == ["1", "2"]
    assert recs[0].text == f"1. {long}"
    assert len(recs[0].chunk_ids) > 2


def test_findings_numbered(tmp_path):
    _, rows = rows_of(tmp_path, "nursery.md", PLAN)
    found = findings(build_view(rows))
    assert [(f.number, f.para) for f in found] == [("1", "3.1"), ("2", "3.2")]
    assert found[1].text.startswith("3.2 Finding 2: The designated officer")


def test_chronology_events_dates_precision_and_same_day(tmp_path):
    _, rows = rows_of(tmp_path, "nursery.md", PLAN)
    got = [(e.date, e.precision, e.text) for e in events(build_view(rows))]
    dates = [(d, p) for d, p, _ in got]
    assert ("2021-03-04", "day") in dates
    assert ("2021-06", "month") in dates
    assert ("2021-09-01", "day") in dates
    same_day = [g for g in got if g[2].startswith("The same day")]
    assert same_day and same_day[0][:2] == ("2021-06", "month")
    # a plan ("planned for 30 June") is not an event; background years are not events
    assert not any("planned for" in t for _, _, t in got)
    assert not any(t.startswith("The nursery opened") for _, _, t in got)


def test_dated_entries_of_a_chronology_listing(tmp_path):
    text = (
        "CHRONOLOGY OF EVENTS\n\n"
        "05 May 2019 | Health visitor\n  Home visit; mother tired.\n\n"
        "June 2019 | GP\n  Referral to the clinic.\n\n"
        "2018 to 2019 | School\n  Attendance falls.\n"
    )
    _, rows = rows_of(tmp_path, "listing.txt", text)
    got = {(e.date, e.precision) for e in events(build_view(rows))}
    assert got == {("2019-05-05", "day"), ("2019-06", "month"), ("2018", "year")}


def test_dates_bounds_and_bad_input():
    assert parse_bound("2023") == (2023, 0, 0)
    assert parse_bound("2023-03-05") == (2023, 3, 5)
    assert parse_bound("5 March 2023") == (2023, 3, 5)
    assert within((2023, 0, 0), (2023, 6, 0), None)  # a year-precise date may fall in June
    assert not within((2022, 12, 31), (2023, 1, 1), None)
    assert not within((2024, 1, 2), None, (2023, 12, 0))
    with pytest.raises(BadDate, match="not a date"):
        parse_bound("soon")
    assert find_dates("1800 of those claims were settled") == []  # a count is not a year
    assert find_dates("They settled about 1800 claims.") == []
    assert [d.iso() for d in find_dates("2019: the plan closed")] == ["2019"]


def test_similar_recommendations_of_different_reports_are_linked(tmp_path):
    a = "# A\n\n## Recommendations\n\n1. Agencies should share information about new adults in the household.\n"
    b = "# B\n\n## Recommendations\n\n1. Agencies should share information about any new adults living in the household.\n\n2. The school should train its governors.\n"
    ra = recommendations(build_view(rows_of(tmp_path, "a.md", a)[1]))
    rb = recommendations(build_view(rows_of(tmp_path, "b.md", b)[1]))
    links = similar_across(ra + rb)
    assert len(links) == 1
    assert {links[0].item.title, links[0].other.title} == {"A", "B"}
    assert 0.35 <= links[0].similarity <= 1.0


class _Lex:
    """The three lists of a lexical index that the store reads (ids, texts, metas)."""

    def __init__(self, rows):
        self.ids = [r[0] for r in rows]
        self.texts = [r[1] for r in rows]
        self.metas = [r[2] for r in rows]


def test_store_rederives_a_changed_document_and_drops_a_removed_one(tmp_path):
    _, v1 = rows_of(tmp_path, "nursery.md", PLAN, version="v1")
    changed = PLAN.replace("Recommendation 2:", "Recommendation 3:")
    _, v2 = rows_of(tmp_path, "nursery.md", changed, version="v2")
    _, other = rows_of(tmp_path, "other.md", "# Other\n\nNothing to see.\n")
    store = DerivedStore(tmp_path / "derived")
    got = store.refresh(_Lex(v1 + other))
    doc_id = v1[0][2]["doc_id"]
    assert [r.number for r in got[doc_id].recommendations if r.how == "numbered"] == ["1", "2"]
    # a new process (no memory) reads the file back
    again = DerivedStore(tmp_path / "derived").refresh(_Lex(v1 + other))
    assert again[doc_id].to_json() == got[doc_id].to_json()
    # re-ingested: a new version is derived again
    got = DerivedStore(tmp_path / "derived").refresh(_Lex(v2 + other))
    assert [r.number for r in got[doc_id].recommendations if r.how == "numbered"] == ["1", "3"]
    saved = json.loads((tmp_path / "derived" / f"{doc_id}.json").read_text())
    assert saved["version"] == "v2"
    # removed: its file goes
    store.refresh(_Lex(other))
    assert not (tmp_path / "derived" / f"{doc_id}.json").exists()


def test_derive_of_one_document_is_deterministic(tmp_path):
    _, rows = rows_of(tmp_path, "nursery.md", PLAN)
    assert derive(rows).to_json() == derive(list(reversed(rows))).to_json()
