"""The encoder's profile: query and document prompts and max length, from the model directory
or the settings, with the real packaged model; the collection name follows the profile."""

import json
import shutil

import numpy as np
import pytest

from index.embedder import SentenceTransformerEmbedder, packaged_model_path

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def prompted_model(tmp_path_factory):
    """The packaged MiniLM copied with a prompts file, as e5/bge/EmbeddingGemma ship one."""
    path = tmp_path_factory.mktemp("model") / "minilm-prompted"
    shutil.copytree(packaged_model_path(), path)
    cfg_file = path / "config_sentence_transformers.json"
    cfg = json.loads(cfg_file.read_text()) if cfg_file.exists() else {}
    cfg["prompts"] = {"query": "query: ", "passage": "passage: "}
    cfg_file.write_text(json.dumps(cfg))
    return path


def test_the_models_own_prompts_go_before_queries_and_documents(prompted_model):
    e = SentenceTransformerEmbedder(prompted_model)
    plain = SentenceTransformerEmbedder()
    text = "The school should review the placement every half term."
    assert np.allclose(e.embed_query([text]), plain.embed([f"query: {text}"]), atol=1e-5)
    assert np.allclose(e.embed([text]), plain.embed([f"passage: {text}"]), atol=1e-5)
    assert not np.allclose(e.embed_query([text]), e.embed([text]), atol=1e-3)


def test_given_prompts_and_max_length_change_the_collection_name():
    plain = SentenceTransformerEmbedder()
    e5 = SentenceTransformerEmbedder(query_prompt="query: ", document_prompt="passage: ")
    short = SentenceTransformerEmbedder(max_tokens=128)
    assert len({plain.name, e5.name, short.name}) == 3
    text = "A referral was made to children's social care."
    assert np.allclose(e5.embed_query([text]), plain.embed([f"query: {text}"]), atol=1e-5)
    assert short.model.max_seq_length == 128 and short.max_tokens == 128
    # the packaged model has no prompts: queries and documents are embedded alike
    assert np.allclose(plain.embed_query([text]), plain.embed([text]), atol=1e-6)
