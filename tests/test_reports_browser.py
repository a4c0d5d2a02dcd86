"""The Reports tab in headless Chromium on the real model: the recommendations register, the
timeline and the theme grid render, link to their passages, export with citations, and a
re-ingested report's register changes in the app."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from pathlib import Path

import pytest
from ui_helpers import app_running, ingested, new_page, open_tab, tab_names, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.integration]

FERRY = """# Lighthouse Ferry Review

## 1. Chronology

1.1 On 4 March 2019 the ferry left port with its bow door open.

1.2 In April 2019 the operator changed its loading procedure.

## 2. Findings

2.1 Finding 1: Information sharing between the crew and the shore office was poor.

## 3. Recommendations

3.1 Recommendation 1: The operator should fit a bow door indicator on every ferry.

3.2 Recommendation 2: The regulator must inspect loading procedures every year.
"""

SCHOOL = """# Hillside School Review

## 1. Background

1.1 On 12 May 2021 a pupil was injured in the playground.

## 2. Recommendations

2.1 Recommendation 1: The school should review its playground supervision rota.
"""


@contextmanager
def serving(root: Path, embedder, files: dict[str, str]):
    """The open app on a corpus of `files` (name -> text), ingested, for the `with` block."""
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    with app_running(ingested(embedder, root / "data", corpus)) as env:
        yield env


@pytest.fixture(scope="module")
def env(tmp_path_factory, real_embedder):
    root = tmp_path_factory.mktemp("reports")
    with serving(root, real_embedder, {"ferry.md": FERRY, "school.md": SCHOOL}) as env:
        yield env.assistant, env.url, env.corpus


def cells(page, table: str, col: int) -> list[str]:
    out, r = [], 0
    while page.query_selector(f"#{table} [data-testid=cell-{r}-{col}]"):
        out.append(page.inner_text(f"#{table} [data-testid=cell-{r}-{col}]"))
        r += 1
    return out


def download_csv(page, files_id: str) -> list[dict]:
    page.wait_for_selector(f"#{files_id} a[download$='.csv']")
    with page.expect_download() as dl:
        page.click(f"#{files_id} a[download$='.csv']")
    return list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text("utf-8"))))


def test_recommendations_view_lists_links_and_exports(browser, env):
    a, url, _ = env
    page, guard = new_page(browser, url)
    assert "Reports" in tab_names(page)
    open_tab(page, "Reports")
    page.click("#rp-reg-go")
    page.wait_for_selector("#rp-reg-table [data-testid=cell-2-6]")
    wait_idle(page)
    texts = cells(page, "rp-reg-table", 6)
    assert texts == [  # reports in title order, items in document order
        "2.1 Recommendation 1: The school should review its playground supervision rota.",
        "3.1 Recommendation 1: The operator should fit a bow door indicator on every ferry.",
        "3.2 Recommendation 2: The regulator must inspect loading procedures every year.",
    ]
    assert cells(page, "rp-reg-table", 5) == ["The school", "The operator", "The regulator"]
    # a row links to its passage: the detail shows the verbatim paragraph and its citation
    page.click("#rp-reg-table [data-testid=cell-2-6]")
    page.wait_for_function(
        "() => document.querySelector('#rp-reg-cite textarea').value.includes('para 3.2')"
    )
    assert page.input_value("#rp-reg-cite textarea") == "Lighthouse Ferry Review, para 3.2"
    assert "inspect loading procedures every year" in page.inner_text("#rp-reg-detail mark")
    # export: every row with its citation and verbatim text
    page.click("#rp-reg-export")
    rows = download_csv(page, "rp-reg-files")
    assert [r["text"] for r in rows] == texts
    assert rows[1]["citation"] == "Lighthouse Ferry Review, para 3.1"
    # search narrows the register
    page.fill("#rp-reg-query textarea", "playground")
    page.press("#rp-reg-query textarea", "Enter")
    page.wait_for_function("() => !document.querySelector('#rp-reg-table [data-testid=cell-1-6]')")
    assert cells(page, "rp-reg-table", 1) == ["Hillside School Review"]
    assert guard.foreign == [] and guard.errors == []
    page.context.close()


def test_timeline_view_orders_events_and_links(browser, env):
    _, url, _ = env
    page, guard = new_page(browser, url)
    open_tab(page, "Reports")
    page.click("#rp-view label:has-text('Timeline')")
    page.click("#rp-tl-go")
    page.wait_for_selector("#rp-tl-table [data-testid=cell-2-1]")
    wait_idle(page)
    assert cells(page, "rp-tl-table", 1) == ["2019-03-04", "2019-04", "2021-05-12"]
    assert cells(page, "rp-tl-table", 2) == ["day", "month", "day"]
    page.click("#rp-tl-table [data-testid=cell-2-6]")
    page.wait_for_function(
        "() => document.querySelector('#rp-tl-cite textarea').value.includes('Hillside')"
    )
    assert "a pupil was injured in the playground" in page.inner_text("#rp-tl-detail mark")
    page.fill("#rp-tl-from input, #rp-tl-from textarea", "2020")
    page.click("#rp-tl-go")
    page.wait_for_function("() => !document.querySelector('#rp-tl-table [data-testid=cell-1-1]')")
    assert cells(page, "rp-tl-table", 1) == ["2021-05-12"]
    page.click("#rp-tl-export")
    rows = download_csv(page, "rp-tl-files")
    assert [(r["date"], r["citation"]) for r in rows] == [
        ("2021-05-12", "Hillside School Review, para 1.1")
    ]
    assert guard.foreign == [] and guard.errors == []
    page.context.close()


def test_theme_grid_cites_or_says_not_found_and_exports(browser, env):
    _, url, _ = env
    page, guard = new_page(browser, url)
    open_tab(page, "Reports")
    page.click("#rp-view label:has-text('Themes')")
    page.click("#rp-th-go")
    page.wait_for_selector("#rp-grid [data-testid=cell-1-1]")
    wait_idle(page)
    assert cells(page, "rp-grid", 0) == ["Hillside School Review", "Lighthouse Ferry Review"]
    grid = cells(page, "rp-grid", 1)
    assert grid[0] == "not found in this report"
    assert grid[1].startswith("Finding 1: Information sharing between the crew")
    assert "Lighthouse Ferry Review, para 2.1" in grid[1]
    page.click("#rp-grid [data-testid=cell-1-1]")
    page.wait_for_function(
        "() => document.querySelector('#rp-th-cite textarea').value.includes('para 2.1')"
    )
    assert "Information sharing between the crew" in page.inner_text("#rp-th-detail mark")
    page.click("#rp-th-export")
    rows = download_csv(page, "rp-th-files")
    assert [r["found"] for r in rows] == ["not found in this report", "yes"]
    assert rows[1]["citation"] == "Lighthouse Ferry Review, para 2.1"
    assert guard.foreign == [] and guard.errors == []
    page.context.close()


def test_a_reingested_report_updates_the_register_in_the_app(browser, real_embedder, tmp_path):
    with serving(tmp_path, real_embedder, {"school.md": SCHOOL}) as env:
        page, guard = new_page(browser, env.url)
        open_tab(page, "Reports")
        page.click("#rp-reg-go")
        page.wait_for_selector("#rp-reg-table [data-testid=cell-0-6]")
        wait_idle(page)
        assert "supervision rota" in cells(page, "rp-reg-table", 6)[0]
        (env.corpus / "school.md").write_text(
            SCHOOL.replace("review its playground supervision rota", "double its playground staff"),
            encoding="utf-8",
        )
        env.assistant.ingest([env.corpus])
        page.click("#rp-reg-go")
        page.wait_for_function(
            "() => document.querySelector('#rp-reg-table [data-testid=cell-0-6]')"
            ".innerText.includes('double')"
        )
        texts = cells(page, "rp-reg-table", 6)
        assert texts == ["2.1 Recommendation 1: The school should double its playground staff."]
        assert guard.foreign == [] and guard.errors == []
        page.context.close()
