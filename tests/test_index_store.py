"""ChunkStore: atomic replace, removal, garbage collection, lexical index in step (fake embedder)."""

from __future__ import annotations

import pytest

from index.lexcache import load_or_build
from index.records import DocRecord
from index.store import ChunkStore, open_client, open_store
from index.tokens import tokenize
from ingest.model import Chunk, sha256

pytestmark = pytest.mark.unit


def _chunks(doc_id: str, texts: list[str]) -> list[Chunk]:
    out, pos = [], 0
    for i, t in enumerate(texts):
        out.append(
            Chunk(
                f"{doc_id}-{i:05d}",
                doc_id,
                f"{doc_id}.md",
                doc_id.title(),
                t,
                t,
                i,
                pos,
                pos + len(t),
                page=1,
                page_end=1,
                page_label="1",
                para=str(i + 1),
                content_hash=sha256(t),
            )
        )
        pos += len(t) + 2
    return out


def _put(store, embedder, doc_id, texts, version):
    rec = DocRecord(doc_id, f"{doc_id}.md", doc_id.title(), version, "h" + version)
    chunks = _chunks(doc_id, texts)
    store.put_document(rec, chunks, embedder.embed([c.embed_text for c in chunks]))
    return rec


@pytest.fixture
def store(tmp_path):
    return ChunkStore(open_client(tmp_path), "test")


def test_replace_keeps_only_new_version(store, fake_embedder):
    _put(store, fake_embedder, "alpha", ["old text one", "old text two"], "v1")
    _put(store, fake_embedder, "alpha", ["new text"], "v2")
    texts = [t for _, t, _ in store.all_chunks()]
    assert texts == ["new text"]
    assert store.documents()["alpha"].chunks == 1
    assert store.documents()["alpha"].previous == "v1"
    assert store.count() == 3  # the replaced version stays for queries already under way
    assert store.collect_garbage() == 0  # ... for the grace period
    assert store.collect_garbage(grace_s=0) == 2
    assert store.count() == 1
    _put(store, embedder=fake_embedder, doc_id="alpha", texts=["third"], version="v3")
    assert {m["version"] for _, m in store._iter_meta()} == {"v2", "v3"}  # never older


def test_inactive_versions_are_invisible_and_collected(store, fake_embedder):
    _put(store, fake_embedder, "alpha", ["alpha text"], "v1")
    # Simulate a crash after the new chunks were written but before the catalogue flipped.
    crashed = _chunks("alpha", ["half written"])
    rec = DocRecord("alpha", "alpha.md", "Alpha", "v2", "h")
    store.vector_store.add(
        [store._node(c, v, rec) for c, v in zip(crashed, fake_embedder.embed(["half written"]))]
    )
    assert store.count() == 2
    vec = fake_embedder.embed(["half written"])[0]
    assert [store.get([cid])[0][1] for cid, _ in store.nearest(vec, 5)] == ["alpha text"]
    assert store.collect_garbage() == 1
    assert store.count() == 1


def test_catalogue_is_read_again_after_any_write(tmp_path, fake_embedder):
    # Two processes' stores on one embedded home: the reader answers from memory while the
    # catalogue file is unchanged, and sees the writer's new version at once.
    writer = open_store("test", tmp_path)
    _put(writer, fake_embedder, "alpha", ["the first text"], "v1")
    reader = open_store("test", tmp_path, create=False)
    assert reader.active_versions() == {"alpha": "v1"}
    real = reader._catalogue_raw
    reader._catalogue_raw = lambda: pytest.fail("catalogue read again with nothing written")
    assert reader.active_versions() == {"alpha": "v1"}  # from memory
    reader._catalogue_raw = real
    _put(writer, fake_embedder, "alpha", ["the second text"], "v2")
    _put(writer, fake_embedder, "beta", ["another"], "v1")
    assert reader.active_versions() == {"alpha": "v2", "beta": "v1"}
    vec = fake_embedder.embed(["the second text"])[0]
    assert {reader.get([cid])[0][1] for cid, _ in reader.nearest(vec, 5)} == {
        "the second text",
        "another",
    }


def test_remove_document(store, fake_embedder):
    _put(store, fake_embedder, "alpha", ["alpha text"], "v1")
    _put(store, fake_embedder, "beta", ["beta text"], "v1")
    store.remove_document("alpha")
    assert set(store.documents()) == {"beta"}
    assert [m["doc_id"] for _, _, m in store.all_chunks()] == ["beta"]


def test_lexical_index_follows_generation(store, fake_embedder, tmp_path):
    _put(store, fake_embedder, "alpha", ["the helpdesk was called ten times"], "v1")
    gen1, lex1 = load_or_build(store, tmp_path / "lex")
    assert lex1.search("helpdesk calls", 5)
    _put(store, fake_embedder, "alpha", ["the audit found a shortfall"], "v2")
    gen2, lex2 = load_or_build(store, tmp_path / "lex")
    assert gen2 != gen1
    assert lex2.search("helpdesk", 5) == []
    assert lex2.search("shortfall", 5)
    # cached on disk under the generation: loading again gives the same rows
    _, lex3 = load_or_build(store, tmp_path / "lex")
    assert lex3.ids == lex2.ids


def test_a_lexical_index_read_while_a_document_is_removed_is_not_cached(
    store, fake_embedder, tmp_path
):
    # the catalogue names beta when the read starts; a writer removes beta mid-read; beta is
    # then added back with the same version, so its generation comes back: the index read
    # without beta's chunks must not be found under it
    _put(store, fake_embedder, "alpha", ["the helpdesk was called ten times"], "v1")
    _put(store, fake_embedder, "beta", ["the audit found a shortfall"], "v1")
    active = store.active_versions()
    read = store.all_chunks

    def removed_meanwhile(act=None):
        store.remove_document("beta")
        return read(act)

    store.all_chunks = removed_meanwhile
    gen, torn = load_or_build(store, tmp_path / "lex", active)
    store.all_chunks = read
    assert gen == "" and torn.search("shortfall", 5) == []
    _put(store, fake_embedder, "beta", ["the audit found a shortfall"], "v1")
    assert store.active_versions() == active
    gen, lex = load_or_build(store, tmp_path / "lex", active)
    assert gen == store.generation(active) and lex.search("shortfall", 5)


def test_tokenize_stems_and_drops_stopwords():
    assert tokenize("The prosecutions were prosecuted") == ["prosecut", "prosecut"]


def test_stems_are_snowball_stems_as_they_are():
    from index.tokens import stem

    assert tokenize("refers referred") == ["refer", "refer"]
    assert stem("referral") == "referr"  # Porter 2 as published: no rule added on top


def test_following_chunk_in_document_order(store, fake_embedder, tmp_path):
    _put(store, fake_embedder, "alpha", ["first part", "second part", "third part"], "v1")
    _, lex = load_or_build(store, tmp_path / "lex")
    rows = {lex.texts[i]: i for i in range(len(lex.ids))}
    assert lex.texts[lex.following(rows["first part"])] == "second part"
    assert lex.following(rows["third part"]) is None
