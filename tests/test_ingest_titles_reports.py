"""Titles, years and multi-file reports found by ingest (titles.py, reports.py) on
../shared/corpus and the sample corpus; sidecars and the upload form win."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from index.reports import group_reports
from index.store import DocRecord
from ingest.errors import IngestError
from ingest.load import discover, read_document, write_sidecar

pytestmark = pytest.mark.integration
SAMPLE = Path(__file__).resolve().parents[1] / "corpus"

# What a reader recognises, and the year each report states (title page, front matter or its
# folder's note); written from the documents, not from the code.
EXPECTED = {
    "articles/baby-peter-parole-2024.txt": (
        "News article: Baby Peter — Tracey Connelly's fifth parole referral",
        2024,
    ),
    "challenger-house-report-1986/full.md": ("Investigation of the Challenger Accident", 1986),
    "chilcot-executive-summary-2016/executive-summary.md": (
        "The Iraq Inquiry - Executive Summary",
        2016,
    ),
    "dfe-safeguarding-guidance/Childrens_Social_Care_National_Framework__Dec_2023.pdf": (
        "Children's social care national framework",
        2023,
    ),
    "dfe-safeguarding-guidance/Info_sharing_advice_content_May_2024.pdf": (
        "DfE non statutory information sharing advice for practitioners providing safeguarding "
        "services for children, young people,parents and carers",
        2024,
    ),
    "dfe-safeguarding-guidance/Keeping_children_safe_in_education_2025.pdf": (
        "Keeping children safe in education 2025",
        2025,
    ),
    "pohi-vol1/volume-1-full.rst": (
        "Post Office Horizon IT Inquiry — Final Report, Volume 1",
        2025,
    ),
    "us-senate-psi-wall-street-2011/full.md": (
        "Wall Street and the Financial Crisis: Anatomy of a Financial Collapse",
        2011,
    ),
}


@pytest.fixture(scope="module")
def shared_docs(shared_corpus):
    files = discover([shared_corpus], exclude=["INDEX.md", "SOURCE.md"])
    return {d.source: d for d in (read_document(p, r) for p, r in files)}


def record(doc) -> DocRecord:
    return DocRecord(
        doc_id=doc.doc_id,
        source=doc.source,
        title=doc.title,
        version="v",
        content_hash=doc.content_hash,
        year=doc.metadata.get("year"),
        report=doc.report,
        report_title=doc.report_title,
        part=doc.part,
    )


def test_every_shared_report_has_a_title_and_its_year(shared_docs):
    for source, (title, year) in EXPECTED.items():
        doc = shared_docs[source]
        assert (doc.title, doc.metadata.get("year")) == (title, year), source
        assert not doc.report


def test_leveson_is_one_report_with_its_parts(shared_docs):
    leveson = [d for s, d in shared_docs.items() if s.startswith("leveson-report-2012/")]
    assert len(leveson) == 79
    assert {d.report for d in leveson} == {"leveson-report-2012"}
    assert {d.report_title for d in leveson} == {"The Leveson Report"}
    assert {d.metadata.get("year") for d in leveson} == {2012}
    f2 = shared_docs["leveson-report-2012/html/F/chapter2/index.html"]
    assert (f2.part, f2.title) == ("Part F, Chapter 2", "The Leveson Report, Part F, Chapter 2")
    assert f2.source == "leveson-report-2012/html/F/chapter2/index.html"  # unchanged
    top = shared_docs["leveson-report-2012/html/index.html"]
    assert (top.part, top.title) == ("", "The Leveson Report")
    assert len({d.part for d in leveson}) == 79


def test_catalogue_groups_nine_reports(shared_docs):
    reports = group_reports(record(d) for d in shared_docs.values())
    assert len(reports) == 9
    leveson = next(r for r in reports if r["report"] == "leveson-report-2012")
    assert leveson["title"] == "The Leveson Report" and leveson["year"] == 2012
    assert len(leveson["parts"]) == 79
    part = next(p for p in leveson["parts"] if p["part"] == "Part F, Chapter 2")
    assert part["source"] == "leveson-report-2012/html/F/chapter2/index.html"
    singles = [r for r in reports if r is not leveson]
    assert all(len(r["parts"]) == 1 and r["year"] for r in singles)


def test_reports_and_notes_are_found_through_a_symlink(shared_corpus, tmp_path):
    # the corpus reached through a link, its root stored resolved (as the catalogue does)
    link = tmp_path / "corpus-link"
    link.symlink_to(shared_corpus.resolve(), target_is_directory=True)
    root = shared_corpus.resolve()
    f2 = read_document(link / "leveson-report-2012/html/F/chapter2/index.html", root)
    assert (f2.report, f2.title) == ("leveson-report-2012", "The Leveson Report, Part F, Chapter 2")
    horizon = read_document(link / "pohi-vol1/volume-1-full.rst", root)
    assert horizon.title == EXPECTED["pohi-vol1/volume-1-full.rst"][0]


def test_reports_and_notes_are_found_through_a_path_with_dot_dot(shared_corpus):
    # `inquiry ingest ../shared/corpus` run from the project: the catalogue keeps the root
    # resolved and the file as given, "/work/main/../shared/corpus/..."
    root, given = shared_corpus.resolve(), shared_corpus / "pohi-vol1" / ".."
    f2 = read_document(given / "leveson-report-2012/html/F/chapter2/index.html", root)
    assert (f2.report, f2.title) == ("leveson-report-2012", "The Leveson Report, Part F, Chapter 2")
    horizon = read_document(given / "pohi-vol1/volume-1-full.rst", root)
    assert horizon.title == EXPECTED["pohi-vol1/volume-1-full.rst"][0]


def test_chunks_carry_the_report(shared_docs):
    from ingest.chunking import chunk_document

    doc = shared_docs["leveson-report-2012/html/F/chapter2/index.html"]
    chunk = chunk_document(doc)[3]
    assert (chunk.report, chunk.report_title, chunk.part) == (
        "leveson-report-2012",
        "The Leveson Report",
        "Part F, Chapter 2",
    )
    assert chunk.title.startswith("The Leveson Report, Part F, Chapter 2")


def test_sample_corpus_keeps_its_sidecar_titles_and_years():
    docs = [read_document(p, r) for p, r in discover([SAMPLE])]
    assert len(docs) == 5
    for doc in docs:
        side = json.loads((SAMPLE / f"{doc.source}.meta.json").read_text())
        assert doc.title == side["title"] and doc.metadata["year"] == side["year"]


def test_sidecar_and_report_object_win(tmp_path, shared_corpus):
    src = shared_corpus / "pohi-vol1" / "volume-1-full.rst"
    folder = tmp_path / "pohi"
    folder.mkdir()
    shutil.copy(src, folder / "v1.rst")
    doc = read_document(folder / "v1.rst", tmp_path)  # no note beside it: its first heading
    assert doc.title == "V1" and doc.metadata["year"] == 2025  # generic heading; title page
    write_sidecar(folder / "v1.rst", title="Horizon Volume 1", year="2024", kind="inquiry")
    doc = read_document(folder / "v1.rst", tmp_path)
    assert (doc.title, doc.metadata["year"], doc.metadata["kind"]) == (
        "Horizon Volume 1",
        2024,
        "inquiry",
    )
    # a folder of chapter files declared as one report by _meta.json
    book = tmp_path / "book"
    for part in ("one", "two"):
        (book / part).mkdir(parents=True)
        (book / part / "ch.md").write_text(f"# Chapter {part}\n\nText of chapter {part}.\n")
    (book / "_meta.json").write_text(json.dumps({"report": {"title": "The Book", "year": 1999}}))
    doc = read_document(book / "two" / "ch.md", tmp_path)
    assert (doc.report, doc.report_title, doc.part) == ("book", "The Book", "Chapter two")
    assert doc.title == "The Book, Chapter two" and doc.metadata["year"] == 1999


def test_upload_form_metadata_is_checked(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Some text of a report that is long enough to read.\n")
    assert write_sidecar(path) is None and not (tmp_path / "r.txt.meta.json").exists()
    for bad in ("twenty", "12", "20245"):
        with pytest.raises(IngestError) as e:
            write_sidecar(path, year=bad)
        assert "r.txt.meta.json" in str(e.value) and "year" in str(e.value)
        assert not (tmp_path / "r.txt.meta.json").exists()
    write_sidecar(path, title="A Report", year="2019", kind="article")
    doc = read_document(path, tmp_path)
    assert (doc.title, doc.metadata["year"], doc.metadata["kind"]) == ("A Report", 2019, "article")


def test_report_record_fields_round_trip_through_the_catalogue():
    rec = DocRecord(
        "d", "a/b.html", "T, Part A", "v", "h", report="a", report_title="T", part="Part A"
    )
    back = DocRecord.from_meta("d", rec.to_meta())
    assert (back.report, back.report_title, back.part) == ("a", "T", "Part A")
    old = DocRecord.from_meta("d", {"source": "x", "title": "X", "version": "v"})
    assert (old.report, old.part) == ("", "")  # records written before these fields


def test_library_upload_writes_the_sidecar(tmp_path, real_embedder):
    """The Library form's title/year/kind reach the stored file's sidecar and the index; a bad
    year refuses the file with the reason and stores nothing."""
    pytest.importorskip("gradio")
    from assistant.service import Assistant
    from assistant.settings import Settings
    from ui.library import LibraryTab

    settings = Settings.from_env(env={}, home=tmp_path / "data", corpus=tmp_path / "lib")
    assistant = Assistant(settings, embedder=real_embedder)
    tab = LibraryTab(assistant, users=None)
    tab._admin = lambda request: True
    up = tmp_path / "up" / "note.txt"
    up.parent.mkdir()
    up.write_text("The board met in March and agreed the plan for the new year.\n")
    req = SimpleNamespace(username="ada")
    out = list(tab.upload([str(up)], req, "", "19x9", ""))
    assert "refused" in str(out[-1][1]) and "invalid year" in str(out[-1][1])
    assert not (tmp_path / "lib" / "note.txt").exists()
    out = list(tab.upload([str(up)], req, "Board minutes", "2021", "article"))
    assert (tmp_path / "lib" / "note.txt.meta.json").is_file()
    (rec,) = assistant.docs()
    assert (rec.title, rec.year, rec.kind) == ("Board minutes", 2021, "article")


def test_the_nearest_report_object_wins(tmp_path):
    """A _meta.json report object in a sub-folder makes that sub-folder a report of its own,
    inside a folder whose _meta.json declares another."""
    book = tmp_path / "book"
    for rel in ("one/ch.md", "annex/a/ch.md", "annex/b/ch.md"):
        (book / rel).parent.mkdir(parents=True, exist_ok=True)
        (book / rel).write_text(f"# Chapter {rel[:-6]}\n\nText of {rel}.\n")
    (book / "_meta.json").write_text(json.dumps({"report": {"title": "The Book", "year": 1999}}))
    (book / "annex" / "_meta.json").write_text(
        json.dumps({"report": {"title": "The Annexes", "year": 2001}})
    )
    annex = read_document(book / "annex" / "b" / "ch.md", tmp_path)
    assert (annex.report, annex.report_title, annex.metadata["year"]) == (
        "book/annex",
        "The Annexes",
        2001,
    )
    one = read_document(book / "one" / "ch.md", tmp_path)
    assert (one.report, one.report_title, one.metadata["year"]) == ("book", "The Book", 1999)


def test_chapter_folders_make_a_report_only_when_there_are_two(tmp_path):
    """Documents in two sub-folders of one folder are chapters of one report; a folder with a
    single sub-folder of documents is just a folder."""
    for rel in ("single/2019/review.md", "pair/a/one.md", "pair/b/two.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"# {Path(rel).stem.title()} Review\n\nText of {rel}.\n")
    single = read_document(tmp_path / "single" / "2019" / "review.md", tmp_path)
    assert single.report == ""
    pair = read_document(tmp_path / "pair" / "b" / "two.md", tmp_path)
    assert pair.report == "pair"
