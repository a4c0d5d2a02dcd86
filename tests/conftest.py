"""Shared fixtures: paths, settings on a temporary data directory, the real model loaded once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.settings import apply_offline_env

apply_offline_env()

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("INQUIRY_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    path = SHARED / "corpus"
    if not path.is_dir():
        pytest.fail(f"{path} is missing: integration tests need ../shared/corpus")
    return path


@pytest.fixture(scope="session")
def real_embedder():
    """The packaged all-MiniLM-L6-v2, loaded once for the whole run."""
    from index.embedder import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder()
    emb.embed(["warm up"])
    return emb


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium (tests/ui_helpers.py), one per test module."""
    from playwright.sync_api import sync_playwright
    from ui_helpers import launch_browser

    with sync_playwright() as pw:
        b = launch_browser(pw)
        yield b
        b.close()


@pytest.fixture
def fake_embedder():
    from fakes import FakeEmbedder

    return FakeEmbedder()


@pytest.fixture
def settings(tmp_path):
    from assistant.settings import Settings

    return Settings.from_env(env={}, home=tmp_path / "data", corpus=tmp_path / "corpus")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
