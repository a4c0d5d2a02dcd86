"""Neighbouring chunks merge into one passage; answers still weigh and cite them right."""

from __future__ import annotations

import pytest

from assistant.extractive import ExtractiveAnswerer
from assistant.neighbours import merge_neighbours, whole_blocks
from assistant.types import ANSWERED, Passage

pytestmark = pytest.mark.unit

TEXTS = {
    0: "220. Shortlisted tenants should complete a declaration of their rent arrears.",
    1: "This information should only be requested from tenants who have been shortlisted.",
    2: "221. Landlords should consider the information in a fair way.",
    3: "222. References should be obtained before the viewing.",
    7: "230. An unrelated paragraph about viewings.",
}


def _chunk(o: int, rank: int = 0, score: float = 0.0, doc: str = "k") -> Passage:
    para = {0: "220", 1: "220", 2: "221", 3: "222", 7: "230"}[o]
    return Passage(
        f"{doc}:v:{o:05d}", doc, f"{doc}.pdf", "Lettings code", TEXTS[o], page=60 + o // 2,
        page_end=60 + o // 2, page_label=str(60 + o // 2), para=para, ordinal=o, rank=rank,
        score=score,
    )  # fmt: skip


def _fetch(p: Passage, step: int) -> Passage | None:
    o = p.ordinal + step
    return _chunk(o, doc=p.doc_id) if o in TEXTS else None


def test_neighbours_merge_at_the_better_rank_and_fill_the_gap():
    ranked = [_chunk(0, 1, 1.0), _chunk(7, 2, 0.9), _chunk(2, 3, 0.8), _chunk(0, 4, 0.7, "o")]
    out = merge_neighbours(ranked, _fetch, window=10, span=3)
    assert [p.chunk_id for p in out] == ["k:v:00000", "k:v:00007", "o:v:00000"]
    merged = out[0]
    assert merged.text == "\n\n".join(TEXTS[o] for o in (0, 1, 2))  # chunk 1 taken in
    assert merged.chunk_ids == ("k:v:00000", "k:v:00001", "k:v:00002")
    assert (merged.para, merged.page, merged.page_end, merged.page_label) == (
        "220-221",
        60,
        61,
        "60-61",
    )
    assert [p.rank for p in merged.parts] == [1, 0, 3]  # as ranked; the one taken in: 0
    assert merged.to_json()["chunk_ids"] == list(merged.chunk_ids)
    assert out[1].chunk_ids == ("k:v:00007",)  # too far away: its own passage


def test_merging_is_limited_to_the_window_and_the_span():
    ranked = [_chunk(0, 1, 1.0), _chunk(7, 2, 0.9), _chunk(3, 3, 0.8)]
    assert len(merge_neighbours(ranked, _fetch, window=10, span=3)) == 3  # 0..3 is 4 chunks
    assert len(merge_neighbours(ranked, _fetch, window=2, span=5)) == 3  # rank 3 is outside
    assert len(merge_neighbours(ranked, _fetch, window=10, span=5)) == 2


def test_a_chunk_gone_from_the_index_leaves_the_passages_apart():
    ranked = [_chunk(0, 1, 1.0), _chunk(2, 2, 0.9)]
    out = merge_neighbours(ranked, lambda p, step: None, window=10, span=3)
    assert [p.chunk_id for p in out] == ["k:v:00000", "k:v:00002"]


def test_answers_weigh_the_parts_as_ranked_and_cite_the_merged_passage():
    ranked = [_chunk(0, 1, 1.0), _chunk(1, 2, 0.95), _chunk(7, 3, 0.5)]
    passages = merge_neighbours(ranked, _fetch, window=10, span=3)
    q = "Should tenants be asked to complete a declaration before they are shortlisted?"
    ans = ExtractiveAnswerer(lambda t: 1.0).answer(q, passages)
    assert ans.status == ANSWERED
    assert "only be requested from tenants who have been shortlisted" in ans.answer
    # each citation names its chunk (para 220, p. 60), not the merged span
    cited = {c.passage.chunk_id: c.passage.citation() for c in ans.citations}
    assert cited["k:v:00001"] == "Lettings code, para 220, p. 60"
    for c in ans.citations:
        assert c.quote in c.passage.text and c.quote in passages[0].text
    assert [p.chunk_id for p in ans.passages] == [p.chunk_id for p in passages]


def test_merged_labels_name_every_paragraph():
    from assistant.neighbours import _span_label

    assert _span_label(["220", "220-222"]) == "220-222"
    assert _span_label(["3.41", "3.42", "3.43"]) == "3.41-3.43"
    assert _span_label(["1.2", "3.1-3.4", "6.2"]) == "1.2, 3.1-3.4, 6.2"
    assert _span_label(["64", "64, 66"]) == "64, 66"
    assert _span_label(["iv", "v"]) == "iv, v"
    assert _span_label([]) is None


def test_the_halves_of_a_split_paragraph_rejoin_with_a_space():
    from dataclasses import replace

    first = replace(_chunk(0, 1, 1.0), span=(0, 80))
    second = replace(_chunk(1, 2, 0.9), span=(81, 160))  # one character apart: a space
    third = replace(_chunk(2, 0), span=(162, 220))  # a blank line apart
    fetch = {2: third}.get
    out = merge_neighbours(
        [first, second, replace(_chunk(2, 3, 0.5), span=(162, 220))],
        lambda p, step: fetch(p.ordinal + step),
        window=10,
        span=3,
    )
    assert out[0].text == f"{TEXTS[0]} {TEXTS[1]}\n\n{TEXTS[2]}"


SPANS = {0: (0, 80), 1: (81, 161), 2: (162, 220), 3: (222, 300), 7: (400, 480)}


def _spanned(o: int, rank: int = 0) -> Passage:
    """Chunk `o` with its offsets (SPANS): chunks 0, 1 and 2 are one block split at sentences,
    one character apart; chunk 3 begins a new block, a blank line after chunk 2."""
    from dataclasses import replace

    return replace(_chunk(o, rank, 1.0 / (rank or 9)), span=SPANS[o])


def _spanned_fetch(p: Passage, step: int) -> Passage | None:
    o = p.ordinal + step
    return _spanned(o) if o in (0, 1, 2, 3, 7) else None


def test_a_passage_ending_inside_a_block_takes_in_the_rest_of_it():
    ranked = [_spanned(0, 1), _spanned(7, 2), _spanned(1, 3)]
    out = whole_blocks(ranked, _spanned_fetch, window=5, most=3)
    first = out[0]
    assert first.chunk_ids == ("k:v:00000", "k:v:00001", "k:v:00002")  # not 3: a new block
    assert first.text == " ".join(TEXTS[o] for o in (0, 1, 2))
    assert [p.rank for p in first.parts] == [1, 0, 0]  # taken in: weighed after the ranked
    assert first.para == "220-221" and first.rank == 1
    # chunk 1, now inside the first passage, leaves the ranking; chunk 7 stays as it was
    assert [p.chunk_ids for p in out[1:]] == [("k:v:00007",)]


def test_taking_in_is_limited_to_the_window_and_the_size():
    ranked = [_spanned(7, 1), _spanned(0, 2)]
    assert whole_blocks(ranked, _spanned_fetch, window=1, most=3)[1].chunk_ids == ("k:v:00000",)
    grown = whole_blocks(ranked, _spanned_fetch, window=5, most=2)[1]
    assert grown.chunk_ids == ("k:v:00000", "k:v:00001")
    # a passage that begins inside a block is not given the block's beginning
    assert whole_blocks([_spanned(2, 1)], _spanned_fetch, 5, 3)[0].chunk_ids == ("k:v:00002",)


@pytest.mark.integration
def test_a_named_paragraph_comes_alone_and_other_questions_get_it_merged(tmp_path, fake_embedder):
    from assistant.service import Assistant
    from assistant.settings import Settings

    filler = " ".join(f"The audit of branch accounts found item {i} in order." for i in range(9))
    paras = [
        f"1.{n} Paragraph {n} on the Horizon audit of branch accounts. {filler}"
        for n in range(1, 7)
    ]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "horizon.md").write_text("# Horizon report\n\n" + "\n\n".join(paras) + "\n")
    a = Assistant(Settings.from_env(env={}, home=tmp_path / "data"), embedder=fake_embedder)
    a.ingest([corpus])
    named = a.search("What does paragraph 1.3 of the Horizon report say about the audit?", k=10)
    assert named[0].para == "1.3" and named[0].chunk_ids == (named[0].chunk_id,)
    assert all(len(p.chunk_ids) == 1 for p in named)
    plain = a.search("What did the Horizon audit of branch accounts find?", k=10)
    assert any(len(p.chunk_ids) > 1 for p in plain)  # the same chunks, merged
