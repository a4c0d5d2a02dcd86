"""Re-ingest with the real model and real Chroma: a change to a document's sidecar alone is a
new version, and changing the embedding model or the chunking settings starts a new collection
instead of mixing vectors (README: "Where data lives")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

LONG = "\n\n".join(
    f"{i}.1 The canal lock keeper recorded on day {i} that the water level rose by {i} "
    f"centimetres after the sluice at Barrow Weir was opened for the {i}th time that month, "
    "and the towpath flooded again near the old tannery, so walkers were turned back."
    for i in range(1, 13)
)


def make(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "canal.md").write_text("# Barrow Canal Flooding Review\n\n" + LONG, "utf-8")
    (folder / "depot.txt").write_text(
        "Bus Depot Fire Note\n\n1.1 The fire at the bus depot began in a charging bay.\n", "utf-8"
    )
    return folder


def assistant(home: Path, real_embedder=None, **env):
    from assistant.service import Assistant
    from assistant.settings import Settings

    return Assistant(Settings.from_env(env=env, home=home), embedder=real_embedder)


def chunk_collections(home: Path) -> set[str]:
    """The chunk collections in the embedded store (README: ia-<model>-<hash>, and _docs)."""
    from index.store import open_client

    names = {c if isinstance(c, str) else c.name for c in open_client(home).list_collections()}
    return {n for n in names if not n.endswith("_docs")}


def test_a_sidecar_change_alone_is_re_ingested(tmp_path, real_embedder):
    corpus = make(tmp_path / "corpus")
    a = assistant(tmp_path / "data", real_embedder)
    a.ingest([corpus])
    assert a.plan([corpus]).counts()["unchanged"] == 2

    side = corpus / "canal.md.meta.json"
    side.write_text(json.dumps({"title": "Barrow Canal Review", "year": 2023}), "utf-8")
    plan = a.plan([corpus])
    assert [(i.source, i.action) for i in plan.items] == [
        ("canal.md", "changed"),
        ("depot.txt", "unchanged"),
    ]
    a.ingest([corpus])
    doc = next(d for d in a.docs() if d.source == "canal.md")
    assert doc.title == "Barrow Canal Review" and doc.year == 2023
    hits = a.search("sluice at Barrow Weir towpath flooded", k=3)
    assert hits[0].title == "Barrow Canal Review"

    (corpus / "_meta.json").write_text(json.dumps({"depot.txt": {"year": 2021}}), "utf-8")
    plan = a.plan([corpus])  # a folder table is a sidecar of every file it names
    assert dict((i.source, i.action) for i in plan.items)["depot.txt"] == "changed"
    a.ingest([corpus])
    assert next(d for d in a.docs() if d.source == "depot.txt").year == 2021
    assert a.plan([corpus]).counts()["unchanged"] == 2


def test_new_chunking_settings_start_a_new_collection(tmp_path, real_embedder):
    corpus = make(tmp_path / "corpus")
    home = tmp_path / "data"
    wide = assistant(home, real_embedder)
    wide.ingest([corpus])
    wide_chunks = {d.source: d.chunks for d in wide.docs()}
    assert chunk_collections(home) and len(chunk_collections(home)) == 1

    narrow = assistant(home, real_embedder, INQUIRY_CHUNK_TOKENS="80")
    assert narrow.docs() == []  # nothing mixed in from the other settings
    plan, _ = narrow.ingest([corpus])
    assert plan.counts()["new"] == 2
    narrow_chunks = {d.source: d.chunks for d in narrow.docs()}
    assert narrow_chunks["canal.md"] > wide_chunks["canal.md"]
    assert len(chunk_collections(home)) == 2
    # the first collection is as it was
    again = assistant(home, real_embedder)
    assert {d.source: d.chunks for d in again.docs()} == wide_chunks
    assert again.plan([corpus]).counts()["unchanged"] == 2


def test_a_new_embedding_model_starts_a_new_collection(tmp_path, real_embedder):
    from index.embedder import packaged_model_path

    corpus = make(tmp_path / "corpus")
    home = tmp_path / "data"
    first = assistant(home, real_embedder)
    first.ingest([corpus])
    before = chunk_collections(home)
    other = tmp_path / "models" / "minilm-other-name"  # another model, as far as names go
    other.parent.mkdir()
    other.symlink_to(packaged_model_path(), target_is_directory=True)
    b = assistant(home, None, INQUIRY_EMBED_MODEL=str(other))
    assert b.docs() == []
    plan, embedded = b.ingest([corpus])
    assert plan.counts()["new"] == 2 and embedded > 0  # embedded afresh, nothing reused
    after = chunk_collections(home)
    assert before < after and len(after) == 2
    assert any("minilm-other-name" in n for n in after - before)
    assert {d.source for d in b.docs()} == {d.source for d in first.docs()}


def test_two_models_whose_names_share_their_first_30_letters_get_two_collections(tmp_path):
    """The collection name shows only the first 30 letters of the model's name; the rest of
    it still tells the collections apart."""
    from index.embedder import packaged_model_path

    corpus = make(tmp_path / "corpus")
    home = tmp_path / "data"
    models = tmp_path / "models"
    models.mkdir()
    collections = []
    for tail in ("alpha", "beta"):
        model = models / f"sentence-model-for-the-inquiry-reports-{tail}"
        model.symlink_to(packaged_model_path(), target_is_directory=True)
        a = assistant(home, None, INQUIRY_EMBED_MODEL=str(model))
        assert a.docs() == []  # nothing of the other model's collection is seen
        plan, embedded = a.ingest([corpus])
        assert plan.counts()["new"] == 2 and embedded > 0
        collections.append(chunk_collections(home))
    assert len(collections[0]) == 1 and len(collections[1]) == 2
    assert collections[0] < collections[1]
