"""The original beside the passage, in headless Chromium on the real app and model: a citation
to a PDF page shows the page image with the quote highlighted (KCSIE and the sample SCR), with
previous / next page and the printed label; a citation to a Markdown report shows its section
with the quote marked. The image is fetched from the page and its pixels checked: the test fails
when the highlight is missing or lies outside the quote's boxes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image
from ui_helpers import (
    ask,
    highlighted_pixels,
    new_page,
    open_tab,
    pick,
    search_excerpts,
    start_app,
    wait_idle,
)

from ingest.display import display_text

pytestmark = [pytest.mark.browser, pytest.mark.integration]
REPO = Path(__file__).resolve().parents[1]
KCSIE = "dfe-safeguarding-guidance/Keeping_children_safe_in_education_2025.pdf"
SCR = "northmoor-scr-child-r.pdf"
BRIEFING = "northmoor-scr-child-r-briefing.md"


@pytest.fixture(scope="module")
def env(tmp_path_factory, real_embedder, shared_corpus):
    from assistant.service import Assistant
    from assistant.settings import Settings

    root = tmp_path_factory.mktemp("pageview")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(shared_corpus / KCSIE, corpus / "kcsie-2025.pdf")
    for name in (SCR, BRIEFING):
        for f in (REPO / "corpus").glob(name + "*"):
            shutil.copy(f, corpus / f.name)
    assistant = Assistant(
        Settings.from_env(env={}, home=root / "data", corpus=corpus), embedder=real_embedder
    )
    plan, _ = assistant.ingest([corpus])
    assert not plan.of("failed"), plan.to_json()
    assistant.warm()
    demo, url = start_app(assistant, None)
    yield SimpleNamespace(assistant=assistant, url=url, home=root / "data")
    demo.close()


def shown_image(page, prefix: str) -> Image.Image:
    src = page.get_attribute(f"#{prefix}-page-image img", "src")
    assert src, "no page image shown"
    return Image.open(io.BytesIO(page.request.get(src).body()))


def assert_quote_highlighted(image: Image.Image, boxes: list) -> None:
    """Tinted pixels exist, and each lies in (or at the padded edge of) a quote box."""
    tinted = highlighted_pixels(image)
    assert len(tinted) > 300, f"no highlight on the page image ({len(tinted)} tinted pixels)"
    pad = 6
    outside = [
        (x, y)
        for x, y in tinted
        if not any(b[0] - pad <= x <= b[2] + pad and b[1] - pad <= y <= b[3] + pad for b in boxes)
    ]
    assert len(outside) < 0.02 * len(tinted), f"highlight outside the quote: {outside[:5]}"


def test_excerpt_of_kcsie_shows_its_page_highlighted_with_navigation(browser, env):
    page, guard = new_page(browser, env.url)
    open_tab(page, "Excerpts")
    pick(page, "ex-docs", "Keeping children safe")
    search_excerpts(page, "If staff have any concerns about a child's welfare")
    passages = env.assistant.search(
        "If staff have any concerns about a child's welfare",
        k=15,
        filters=_kcsie_filter(env.assistant),
    )
    row = next(i for i, p in enumerate(passages) if "act on them immediately" in p.text)
    page.click(f"#ex-table [data-testid=cell-{row}-2]")
    page.wait_for_selector("#ex-page-image img")
    wait_idle(page)
    p = passages[row]
    view = env.assistant.page_view(p.chunk_ids[0])
    caption = page.inner_text("#ex-page-caption")
    assert f"of {view.pages} (printed page {view.label})" in caption, caption
    assert view.pages == 187 and "highlighted" in caption
    assert_quote_highlighted(shown_image(page, "ex"), view.boxes)

    page.click("#ex-page-next")
    page.wait_for_function(
        "(n) => document.querySelector('#ex-page-caption').innerText.includes('Page ' + n + ' ')",
        arg=view.page + 1,
    )
    wait_idle(page)
    page.click("#ex-page-prev")
    page.wait_for_function(
        "(n) => document.querySelector('#ex-page-caption').innerText.includes('Page ' + n + ' ')",
        arg=view.page,
    )
    wait_idle(page)
    assert_quote_highlighted(shown_image(page, "ex"), view.boxes)
    # lazy: only the pages looked at were rendered, not the 187-page report
    assert len(list((env.home / "pages").rglob("*.png"))) <= 4
    assert guard.foreign == [] and guard.errors == []
    page.context.close()


def test_ask_citation_to_the_sample_review_shows_its_page_highlighted(browser, env):
    page, guard = new_page(browser, env.url)
    pick(page, "ask-docs", "Child R")
    answer = ask(
        page, "When did police attend the family home after a neighbour reported a disturbance?"
    )
    assert "[1]" in answer["text"]
    page.click("#ask-source-0")
    page.wait_for_selector("#ask-page-image img")
    wait_idle(page)
    caption = page.inner_text("#ask-page-caption")
    assert "The quote is highlighted" in caption, caption
    a = env.assistant.ask(
        "When did police attend the family home after a neighbour reported a disturbance?"
    )
    c = a.citations[0]
    cited = c.to_json()
    assert f"(printed page {cited['page_label']})" in caption  # the page the answer cites
    chunk = next(x for x in c.passage.parts or (c.passage,) if c.quote in x.text)
    view = env.assistant.page_view(chunk.chunk_id, c.quote)
    assert view.page == cited["page"] and view.placed == "all"
    assert_quote_highlighted(shown_image(page, "ask"), view.boxes)
    assert guard.foreign == [] and guard.errors == []
    page.context.close()


def test_markdown_citation_shows_its_section_with_the_quote_marked(browser, env):
    page, guard = new_page(browser, env.url)
    open_tab(page, "Excerpts")
    pick(page, "ex-docs", "briefing")
    search_excerpts(page, "schools hunger")
    page.click("#ex-table [data-testid=cell-0-2]")
    page.wait_for_selector("#ex-page-section mark")
    wait_idle(page)
    assert not page.is_visible("#ex-page-image img")
    marked = " ".join(page.inner_text("#ex-page-section mark").split())
    excerpt = " ".join(display_text(page.inner_text("#ex-table [data-testid=cell-0-7]")).split())
    assert marked and marked[:40] in excerpt  # shown as the document reads: no ** markup
    assert "**" not in page.inner_text("#ex-page-section")
    assert "MD" in page.inner_text("#ex-page-section .ia-kicker")
    assert guard.foreign == [] and guard.errors == []
    page.context.close()


def _kcsie_filter(assistant):
    from assistant.retrieve import Filters

    return Filters([d.doc_id for d in assistant.docs() if "kcsie" in d.source])
