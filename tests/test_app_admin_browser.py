"""The app in real Chromium (and raw HTTP against the running app) for what admins and
reviewers rely on: ticking several excerpts, uploads judged by the one sniffer, status while
long jobs run, who may upload and how much, sign-in lockout per user and address, and file
names that try to spoof the page.

One app with logins per module, on the real model and a small corpus; short lockout and small
caps set through Settings, as an admin would set them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from ui_helpers import launch_browser, new_page, open_tab, start_app, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.integration]

USERS = {
    "ada": ("admin", "ada-admin-pass"),
    "quo": ("admin", "quo-admin-pass"),
    "rex": ("reviewer", "rex-review-pass"),
    "tia": ("trainee", "tia-trainee-pass"),
}
LOCKOUT_S = 2.0
FAILURES = 3
QUOTA_MB = 1.0
MAX_FILE_MB = 0.05  # 51 KB: small files stand in for oversized ones

WARDS = ["Ash", "Beech", "Cedar", "Elm", "Hazel", "Oak", "Rowan", "Willow"]
FILLER = (
    "The review read the ward's records for the whole period, spoke to the nurses, the "
    "pharmacist and the ward manager, and compared what happened with the trust's own policy "
    "on the safe handling, recording and checking of medicines on its wards."
)


def review_md(ward: str, n: int) -> str:
    return f"""# {ward} Ward Review

## 1. Medication errors

1.1 On {ward} ward, nurses gave the wrong medication dose to patient {n} in January 2020.
{FILLER}

1.2 The medication error on {ward} ward was reported to the pharmacist {n + 1} days late.
{FILLER}

## 2. Medication charts

2.1 The medication charts on {ward} ward were incomplete on {n + 2} days. {FILLER}

2.2 Medication errors on {ward} ward were not discussed at the ward's safety huddle. {FILLER}
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory, real_embedder):
    from assistant.service import Assistant
    from assistant.settings import Settings
    from ui.app import users_from
    from ui.auth import add_user

    root = tmp_path_factory.mktemp("admin-ui")
    corpus = root / "corpus"
    corpus.mkdir()
    for n, ward in enumerate(WARDS, 1):
        (corpus / f"{ward.lower()}-review.md").write_text(review_md(ward, n), encoding="utf-8")
    users_file = root / "users.txt"
    for name, (role, password) in USERS.items():
        add_user(str(users_file), name, role, password)
    settings = Settings.from_env(
        env={},
        home=root / "data",
        corpus=corpus,
        users_file=str(users_file),
        lockout_s=LOCKOUT_S,
        login_failures=FAILURES,
        upload_quota_mb=QUOTA_MB,
        max_file_mb=MAX_FILE_MB,
    )
    assistant = Assistant(settings, embedder=real_embedder)
    plan, _ = assistant.ingest([corpus])
    assert not plan.of("failed"), plan.to_json()
    assistant.warm()
    temp = root / "gradio-temp"
    temp.mkdir()
    mp = pytest.MonkeyPatch()
    mp.setenv("GRADIO_TEMP_DIR", str(temp))  # read when the app is created
    users = users_from(settings)
    demo, url = start_app(assistant, users)
    open_demo, open_url = start_app(assistant, None)
    yield SimpleNamespace(
        assistant=assistant,
        settings=settings,
        corpus=corpus,
        root=root,
        temp=temp,
        url=url,
        open_url=open_url,
        demo=demo,
        users=users,
    )
    demo.close()
    open_demo.close()
    mp.undo()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_browser(pw)
        yield b
        b.close()


def login(browser, env, name: str):
    return new_page(browser, env.url, (name, USERS[name][1]))


# -- Excerpts: every tick counts ---------------------------------------------------------------
def _ticked(page, n: int = 6) -> list[bool]:
    return [
        page.is_checked(f"#ex-table [data-testid=cell-{r}-0] input[type=checkbox]")
        for r in range(n)
    ]


def _export_csv(page) -> list[dict]:
    page.click("#ex-export")
    page.wait_for_selector("#ex-files a[download$='.csv']")
    wait_idle(page)
    with page.expect_download() as dl:
        page.click("#ex-files a[download$='.csv']")
    return list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text("utf-8"))))


def test_each_tick_counts_once_and_all_are_exported(browser, env):
    """Rows 1, 2 and 4 clicked once each (the box itself, then the tick cell beside the box):
    all three are ticked and exported."""
    page, guard = login(browser, env, "rex")
    open_tab(page, "Excerpts")
    query = "medication errors on the ward"
    page.fill("#ex-query textarea", query)
    page.press("#ex-query textarea", "Enter")
    page.wait_for_selector("#ex-table [data-testid=cell-5-2]")
    wait_idle(page)
    expected = env.assistant.search(query, k=15)
    want = [expected[i].text for i in (0, 1, 3)]
    for r in (0, 1, 3):
        page.click(f"#ex-table [data-testid=cell-{r}-0] input[type=checkbox]")
        wait_idle(page)
    assert _ticked(page) == [True, True, False, True, False, False]
    rows = _export_csv(page)
    assert "Exported 3 excerpt(s)" in page.inner_text("#ex-status")
    assert [r["excerpt"] for r in rows] == want

    page.click("#ex-none")
    wait_idle(page)
    assert _ticked(page) == [False] * 6
    for r in (0, 1, 3):  # a click in the tick cell, off the box, counts as a tick too
        page.click(f"#ex-table [data-testid=cell-{r}-0]", position={"x": 4, "y": 4})
        wait_idle(page)
    assert _ticked(page) == [True, True, False, True, False, False]
    page.click("#ex-table [data-testid=cell-1-0] input[type=checkbox]")  # and unticks
    wait_idle(page)
    assert _ticked(page) == [True, False, False, True, False, False]
    rows = _export_csv(page)
    assert "Exported 2 excerpt(s)" in page.inner_text("#ex-status")
    assert [r["excerpt"] for r in rows] == [want[0], want[2]]
    assert guard.foreign == [] and guard.dialogs == []
    page.context.close()
