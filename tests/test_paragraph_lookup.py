"""A named paragraph is returned whole, alone and first (issue 14.7), on a real report: the
Post Office Horizon IT Inquiry, Volume 1, from ../shared/corpus, with the real model."""

from __future__ import annotations

import shutil

import pytest

from assistant.service import Assistant
from assistant.settings import Settings

pytestmark = pytest.mark.integration
REL = "pohi-vol1/volume-1-full.rst"


@pytest.fixture(scope="module")
def horizon(shared_corpus, real_embedder, tmp_path_factory):
    root = tmp_path_factory.mktemp("horizon")
    (root / "pohi-vol1").mkdir()
    shutil.copy(shared_corpus / REL, root / REL)
    a = Assistant(
        Settings.from_env(env={}, home=tmp_path_factory.mktemp("home")), embedder=real_embedder
    )
    plan, _ = a.ingest([root])
    assert not plan.of("failed")
    return a, root


def paragraph(root, label: str) -> str:
    """The paragraph as the document reads: its labelled block and the unlabelled blocks of
    text after it, up to the next label, heading or footnote (from the reader's blocks)."""
    from ingest.load import read_document

    doc = read_document(root / REL, root)
    blocks = doc.blocks
    i = next(i for i, b in enumerate(blocks) if b.label == label)
    j = i + 1
    while j < len(blocks) and blocks[j].kind != "heading" and blocks[j].label in (None, label):
        if blocks[j].role in ("footnote", "heading"):
            break
        j += 1
    return doc.text[blocks[i].start : blocks[j - 1].end].strip()


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    "question,label",
    [
        ("What does paragraph 1.7 of the Horizon report say?", "1.7"),
        ("What does para 3.25 of the Horizon inquiry report say?", "3.25"),  # several chunks
        ("Show me paragraph 3.6 of the Horizon report", "3.6"),  # shares a chunk with 3.5
    ],
)
def test_named_paragraph_whole_alone_first(horizon, question, label):
    a, root = horizon
    want = paragraph(root, label)
    ps = a.search(question, k=5)
    first = ps[0]
    assert first.source == REL and first.para == label
    assert words(first.text) == words(want)  # whole, and nothing of its neighbours
    assert not any(words(want) == words(p.text) for p in ps[1:])  # once
    # the answer's passages lead with it too
    assert words(a.ask(question).passages[0].text) == words(want)


def test_paragraph_spanning_chunks_keeps_its_chunk_ids(horizon):
    a, _ = horizon
    first = a.search("What does para 3.25 of the Horizon report say?", k=3)[0]
    assert len(first.chunk_ids) >= 2
    ordinals = [int(cid.rsplit(":", 1)[1]) for cid in first.chunk_ids]
    assert ordinals == list(range(ordinals[0], ordinals[0] + len(ordinals)))
