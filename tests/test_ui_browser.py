"""End-to-end tests of the app in headless Chromium, on the real model and a small corpus.

One app (with logins) and one open app per module; each test opens its own browser context.
Every page is guarded: a request to a non-loopback host fails the test.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from pathlib import Path
from types import SimpleNamespace

import pytest
from ui_helpers import (
    LOGINS,
    add_to_library,
    app_running,
    ask,
    attach_to_library,
    ingested,
    make_pdf,
    open_tab,
    pick,
    selected_tokens,
    signed_in,
    source_labels,
    tab_names,
    tick_box,
    wait_idle,
    write_users,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]

USERS = LOGINS
RIVERSIDE = "Serious Case Review: Child M (Riverside)"
HARBOUR = "Harbour Care Home Inquiry"
INJECTED = 'Injected <img src=x onerror="window.__xss=3"> Markup Test Report'
XSS = "<script>alert(1)</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_LINK = "[x](javascript:window.__xss=2)"
FERRY = "Lighthouse Ferry Capsize Inquiry"
TIMINGS: list[float] = []

RIVERSIDE_MD = f"""# {RIVERSIDE}

%%page 1%%

## 1. Background

1.1 Child M was six years old when she was admitted to hospital with injuries in March 2021.

1.2 The family was known to the school, the health visitor, the GP and children's social care.

%%page 4%%

## 4. Information sharing between agencies

4.1 The health visitor and the school each held concerns about Child M but did not share them
with each other or with children's social care.

4.2 The GP recorded a disclosure of domestic abuse by the mother but did not pass it to the
multi-agency safeguarding hub because staff believed consent was needed.

4.3 Information sharing failed because each agency assumed that another agency already knew.

%%page 7%%

## 6. Recommendations

6.1 The partnership should introduce a single shared chronology for every child subject to a
child protection plan.

6.2 The partnership should train all staff that consent is not needed to share information
where seeking it would place a child at risk of harm.
"""

HARBOUR_TXT = f"""{HARBOUR}

1. Medication errors

1.1 Residents at Harbour Care Home were given the wrong medication on eleven occasions in 2018.

1.2 Night staff were not trained to use the electronic medication record.

2. Staffing

2.1 The home relied on agency staff for more than half of its night shifts.

2.2 We recommend that the provider publishes its staffing levels every month.

3. Premises

3.1 The garden gate did not lock and two residents left the grounds unnoticed.

4. Complaints

4.1 Families said that complaints about food went unanswered for weeks.

5. Medication audits since the inquiry

5.1 A pharmacist now audits the medication records of every resident each week.
"""

INJECTED_MD = f"""# {INJECTED}

## 2. Findings about the community hall

2.1 The boiler in the community hall was last serviced in June 2019. {XSS}

2.2 An inspector found {XSS_IMG} that the fire doors of the community hall were wedged open.

2.3 The caretaker kept the keys to the community hall in an unlocked drawer. See {XSS_LINK}.
"""


def _meta(path: Path, **meta) -> None:
    path.with_name(path.name + ".meta.json").write_text(json.dumps(meta), encoding="utf-8")


@pytest.fixture(scope="module")
def env(tmp_path_factory, real_embedder):
    from ui.auth import UserStore

    root = tmp_path_factory.mktemp("ui")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "riverside-review.md").write_text(RIVERSIDE_MD, encoding="utf-8")
    _meta(corpus / "riverside-review.md", year=2021)
    (corpus / "harbour-inquiry.txt").write_text(HARBOUR_TXT, encoding="utf-8")
    _meta(corpus / "harbour-inquiry.txt", year=2019, title=HARBOUR)
    (corpus / "injected.md").write_text(INJECTED_MD, encoding="utf-8")
    _meta(corpus / "injected.md", title=INJECTED)  # a hostile title too
    users_file = write_users(root / "users.txt", USERS)
    assistant = ingested(real_embedder, root / "data", corpus, users_file=str(users_file))
    assistant.warm()
    assistant.ask("warm up the answer path")
    with app_running(assistant, UserStore(users_file), open_app=True, root=root) as env:
        yield env
    if TIMINGS:
        print(
            f"\nEnter -> first visible answer text (warm): "
            f"{', '.join(f'{t:.3f}' for t in TIMINGS)} s; median {statistics.median(TIMINGS):.3f} s"
        )


def login(browser, env, name: str | None):
    return signed_in(browser, env, USERS, name)


def assert_clean(page, guard) -> None:
    assert guard.foreign == [], f"requests left this machine: {guard.foreign}"
    assert guard.dialogs == [], f"a dialog opened: {guard.dialogs}"
    assert page.evaluate("() => window.__xss === undefined")


# -- access ------------------------------------------------------------------------------------
def test_open_mode_is_read_only(browser, env):
    page, guard = login(browser, env, None)
    assert tab_names(page) == ["Ask", "Excerpts", "Reports"]
    assert "Open access" in page.inner_text("#ia-header")
    assert page.query_selector("#lib-upload") is None
    # starter questions come from the indexed sections; clicking one asks it
    starter = page.inner_text("#ask-starter-0")
    assert starter.startswith("What ") and starter.endswith("?")  # ui/common.py starters
    page.click("#ask-starter-0")
    page.wait_for_selector("#ask-chat [data-testid=bot]", timeout=60_000)
    wait_idle(page)
    assert starter in page.inner_text("#ask-chat")
    assert_clean(page, guard)
    page.context.close()


@pytest.mark.parametrize("name", ["tia", "rex"])
def test_non_admins_cannot_reach_the_library(browser, env, name):
    page, guard = login(browser, env, name)
    assert tab_names(page) == ["Ask", "Excerpts", "Reports"]
    assert USERS[name][0] in page.inner_text("#ia-header")
    assert not page.is_visible("#lib-upload") and not page.is_visible("#lib-remove")
    assert_clean(page, guard)
    page.click("#ia-header a:has-text('Sign out')")
    page.wait_for_selector("input[type=password]")
    page.context.close()


def test_library_handlers_refuse_non_admins(env, tmp_path):
    """Server side, whatever the page shows: upload/re-ingest/remove check the role."""
    library = env.demo.ia_library
    pdf = make_pdf(tmp_path / "sneaky.pdf", "Sneaky Report", ["1.1 Should never be stored."])
    before = sorted(p.name for p in env.corpus.iterdir())
    n_docs = len(env.assistant.docs())
    for name in ("tia", "rex", None, "nobody"):
        req = SimpleNamespace(username=name)
        status = list(library.upload([str(pdf)], req))[-1][0]
        assert "Only admins" in status
        assert "Only admins" in list(library.reingest(req))[-1][0]
        doc_id = env.assistant.docs()[0].doc_id
        assert "Only admins" in library.remove(doc_id, req)[0]
    assert sorted(p.name for p in env.corpus.iterdir()) == before
    assert len(env.assistant.docs()) == n_docs


# -- Ask ---------------------------------------------------------------------------------------
def test_ask_streams_cites_opens_passage_and_follows_up(browser, env):
    page, guard = login(browser, env, "tia")
    pick(page, "ask-docs", RIVERSIDE)
    assert any(RIVERSIDE in t for t in selected_tokens(page, "ask-docs"))

    first = ask(page, "Why did information sharing between agencies fail?")
    TIMINGS.append(first["first_text_s"])
    assert "[1]" in first["text"] and "Sources" in first["text"]
    labels = source_labels(page)
    assert labels and all(RIVERSIDE in lab for lab in labels), labels
    assert labels[0].startswith("[1] ") and "p. 4" in labels[0] and "para 4." in labels[0]

    page.click("#ask-source-0")
    page.wait_for_selector("#ask-passage mark")
    passage = page.inner_text("#ask-passage")
    assert "source [1]" in passage.lower() and RIVERSIDE in passage
    marked = " ".join(page.inner_text("#ask-passage mark").split())
    # what is highlighted is what the answer quoted from source [1]: its first sentence, whole
    first_sentence = " ".join(first["text"].split("[1]")[0].split())
    assert len(first_sentence) > 20 and first_sentence in marked, (first_sentence, marked)
    assert len(marked) < len(" ".join(passage.split()))  # a part of the passage, not all of it
    assert page.query_selector_all("#ask-passage .ia-near"), "neighbouring paragraphs shown"

    follow = ask(page, "and what did it recommend about that?")
    TIMINGS.append(follow["first_text_s"])
    assert "[1]" in follow["text"]
    assert "recommend" in follow["text"].lower() or "should" in follow["text"].lower()
    labels = source_labels(page)
    assert labels and all(RIVERSIDE in lab for lab in labels), labels  # filter still applied
    assert any(RIVERSIDE in t for t in selected_tokens(page, "ask-docs"))
    assert len(page.query_selector_all("#ask-chat [data-testid=bot]")) == 2
    assert_clean(page, guard)
    page.context.close()


def test_unanswerable_question_says_so_with_nearest_passages(browser, env):
    page, guard = login(browser, env, "tia")
    got = ask(page, "What colour were the ferry's lifeboats painted in 1897?")
    TIMINGS.append(got["first_text_s"])
    assert "The reports don't answer this" in got["text"]
    assert "nearest passages" in page.inner_text("#ask-sources").lower()
    assert source_labels(page)
    page.click("#ask-source-0")
    page.wait_for_selector("#ask-passage .ia-focus")
    assert "nearest passage" in page.inner_text("#ask-passage").lower()
    assert_clean(page, guard)
    page.context.close()


# -- Excerpts ----------------------------------------------------------------------------------
def test_excerpts_search_select_export_and_copy(browser, env):
    page, guard = login(browser, env, "rex")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_tab(page, "Excerpts")
    pick(page, "ex-years", "2019")
    page.fill("#ex-query textarea", "medication errors at the care home")
    page.press("#ex-query textarea", "Enter")
    page.wait_for_selector("#ex-table [data-testid=cell-1-2]")
    wait_idle(page)
    titles = [page.inner_text(f"#ex-table [data-testid=cell-{r}-2]") for r in (0, 1)]
    assert titles == [HARBOUR, HARBOUR]  # the year filter keeps the 2019 report only
    for r in (0, 1):
        page.click(tick_box(r))
    page.click("#ex-export")
    page.wait_for_selector("#ex-files a")
    wait_idle(page)
    csv_link = page.query_selector("#ex-files a[download$='.csv']")
    md_link = page.query_selector("#ex-files a[download$='.md']")
    with page.expect_download() as dl:
        csv_link.click()
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text("utf-8"))))
    assert len(rows) == 2
    from assistant.retrieve import Filters

    query = "medication errors at the care home"
    expected = env.assistant.search(query, k=15, filters=Filters(years=[2019]))[:2]
    for row, p in zip(rows, expected):
        assert row["citation"] == p.citation()
        assert row["excerpt"] == p.text
        assert row["title"] == p.title and row["paragraph"] == (p.para or "")
    assert rows[0]["citation"].startswith(f"{HARBOUR}, para ")
    md_href = md_link.get_attribute("href")
    md = page.request.get(md_href).text()
    assert f"## 1. {rows[0]['citation']}" in md and f"## 2. {rows[1]['citation']}" in md

    # clicking a row shows it in full, with its citation and a copy button
    page.click("#ex-table [data-testid=cell-0-2]")
    page.wait_for_function(
        "(want) => document.querySelector('#ex-citation textarea').value === want",
        arg=rows[0]["citation"],
    )
    citation = page.input_value("#ex-citation textarea")
    assert rows[0]["excerpt"].split("\n")[0] in page.inner_text("#ex-detail")
    page.click("#ex-citation button[aria-label*='Copy' i], #ex-citation button[title*='Copy' i]")
    assert page.evaluate("() => navigator.clipboard.readText()") == citation
    assert_clean(page, guard)
    page.context.close()


# -- Library -----------------------------------------------------------------------------------
def test_admin_uploads_asks_and_removes(browser, env, tmp_path):
    page, guard = login(browser, env, "ada")
    assert tab_names(page) == ["Ask", "Excerpts", "Reports", "Library"]
    open_tab(page, "Library")
    page.wait_for_selector("#lib-docs [data-testid=cell-0-0]")
    pdf = make_pdf(
        tmp_path / "ferry inquiry (final).pdf",
        FERRY,
        [
            "1.1 The ferry capsized because the bow doors were left open when it left harbour.",
            "1.2 The crew had no indicator light on the bridge to show the state of the doors.",
            "2.1 We recommend that every ferry is fitted with bridge indicator lights for bow doors.",
        ],
    )
    fake = tmp_path / "photo.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    attach_to_library(page, [pdf, fake])
    outcome = add_to_library(page)
    assert "ferry inquiry (final).pdf" in outcome and "added" in outcome
    assert "photo.pdf" in outcome and "refused" in outcome and "by content" in outcome
    assert "1 added" in page.inner_text("#lib-status")
    stored = env.corpus / "ferry inquiry _final_.pdf"
    assert stored.is_file()
    assert not (env.corpus / "photo.pdf").exists()
    page.wait_for_function(
        f"() => document.querySelector('#lib-docs').innerText.includes({json.dumps(FERRY)})"
    )

    open_tab(page, "Ask")
    got = ask(page, "Why did the ferry capsize?")
    TIMINGS.append(got["first_text_s"])
    assert "bow doors" in got["text"]
    assert any(FERRY in lab for lab in source_labels(page))

    open_tab(page, "Library")
    indexed = len(env.assistant.docs())  # whatever the other tests left: nothing changes
    page.click("#lib-reingest")
    page.wait_for_function(
        f"() => /Done: 0 added, 0 updated, {indexed} unchanged/.test("
        "document.querySelector('#lib-status').innerText)",
        timeout=60_000,
    )
    wait_idle(page)
    guard.confirm_next = True
    page.click("#lib-remove-doc input")
    page.click(f"#lib-remove-doc li[data-testid=dropdown-option]:has-text('{FERRY}')")
    page.click("#lib-remove")
    page.wait_for_function(
        "() => document.querySelector('#lib-status').innerText.includes('Removed')"
    )
    wait_idle(page)
    assert FERRY not in page.inner_text("#lib-docs")
    assert not stored.exists()
    assert all(d.title != FERRY for d in env.assistant.docs())
    assert not guard.confirm_next, "the removal was confirmed in a dialog"
    assert_clean(page, guard)
    page.context.close()


# -- safety ------------------------------------------------------------------------------------
def test_injected_document_executes_nothing(browser, env):
    page, guard = login(browser, env, "rex")
    got = ask(page, "When was the boiler in the community hall last serviced?")
    TIMINGS.append(got["first_text_s"])
    assert any(INJECTED in lab for lab in source_labels(page))
    page.click("#ask-source-0")
    page.wait_for_selector("#ask-passage .ia-focus")
    shown = page.inner_text("#ask-passage")
    assert XSS in shown  # shown as text, not run
    assert XSS_IMG in shown or "onerror" in shown

    open_tab(page, "Excerpts")
    page.fill("#ex-query textarea", "community hall fire doors inspector keys")
    page.press("#ex-query textarea", "Enter")
    page.wait_for_selector("#ex-table [data-testid=cell-0-7]")
    wait_idle(page)
    table = page.inner_text("#ex-table")
    assert "onerror" in table and "javascript:" in table
    page.click("#ex-table [data-testid=cell-0-2]")
    wait_idle(page)
    page.wait_for_timeout(300)

    hostile = page.evaluate(
        """() => ({
        scripts: [...document.querySelectorAll('#ask-chat script, #ask-passage script, #ex-table script, #ex-detail script')].length,
        imgs: [...document.querySelectorAll('#ask-chat img, #ask-passage img, #ask-sources img, #ex-table img, #ex-detail img, #ask-docs img, #ex-docs img')].length,
        jsLinks: [...document.querySelectorAll('a')].filter(a => (a.getAttribute('href') || '').trim().toLowerCase().startsWith('javascript')).length,
        xss: window.__xss,
    })"""
    )
    assert hostile == {"scripts": 0, "imgs": 0, "jsLinks": 0, "xss": None}
    assert_clean(page, guard)
    assert guard.errors == []
    page.context.close()


@pytest.mark.slow
def test_enter_to_first_text_is_under_a_second(browser, env):
    """A performance check, apart from the functional tests (slow: timing on a shared machine
    is noisy): three warm questions of its own, and the other tests' measurements if any ran;
    the median Enter -> first answer text must stay under a second."""
    page, _ = login(browser, env, "tia")
    for q in (
        "What did the GP record about domestic abuse?",
        "How many times were residents given the wrong medication?",
        "What should the partnership introduce for every child?",
    ):
        TIMINGS.append(ask(page, q)["first_text_s"])
    page.context.close()
    print(f"\nEnter -> first answer text: {[round(t, 3) for t in TIMINGS]}")
    assert statistics.median(TIMINGS) <= 1.0
