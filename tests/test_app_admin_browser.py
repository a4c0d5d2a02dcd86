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
import logging
import time
from pathlib import Path

import pytest
from ui_helpers import (
    LOGINS,
    add_to_library,
    app_running,
    attach_to_library,
    ingested,
    open_tab,
    signed_in,
    submit_login,
    tick_box,
    wait_idle,
    write_users,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]

USERS = {**LOGINS, "quo": ("admin", "quo-admin-pass")}  # quo: the upload quota test's admin
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
    from ui.app import users_from

    root = tmp_path_factory.mktemp("admin-ui")
    corpus = root / "corpus"
    corpus.mkdir()
    for n, ward in enumerate(WARDS, 1):
        (corpus / f"{ward.lower()}-review.md").write_text(review_md(ward, n), encoding="utf-8")
    users_file = write_users(root / "users.txt", USERS)
    assistant = ingested(
        real_embedder,
        root / "data",
        corpus,
        users_file=str(users_file),
        lockout_s=LOCKOUT_S,
        login_failures=FAILURES,
        upload_quota_mb=QUOTA_MB,
        max_file_mb=MAX_FILE_MB,
    )
    assistant.warm()
    temp = root / "gradio-temp"
    temp.mkdir()
    mp = pytest.MonkeyPatch()
    mp.setenv("GRADIO_TEMP_DIR", str(temp))  # read when the app is created
    try:
        users = users_from(assistant.settings)
        with app_running(assistant, users, open_app=True, root=root, temp=temp) as env:
            yield env
    finally:
        mp.undo()


def login(browser, env, name: str):
    return signed_in(browser, env, USERS, name)


# -- Excerpts: every tick counts ---------------------------------------------------------------
def _ticked(page, n: int = 6) -> list[bool]:
    return [
        page.is_checked(f"#ex-table [data-testid=cell-{r}-0] input[type=checkbox]")
        for r in range(n)
    ]


def _wait_ticked(page, want: list[bool]) -> None:
    """Until the boxes show `want` (what the reviewer sees), or fail after 30 s."""
    page.wait_for_function(
        "(want) => want.every((w, r) => { const b = document.querySelector("
        "`#ex-table [data-testid=cell-${r}-0] input[type=checkbox]`); return b && b.checked === w; })",
        arg=want,
        timeout=30_000,
    )
    wait_idle(page)
    assert _ticked(page, len(want)) == want


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
    state = [False] * 6
    for r in (0, 1, 3):  # rows 1, 2 and 4, one click on each box
        page.click(tick_box(r))
        state[r] = True
        _wait_ticked(page, state)
    rows = _export_csv(page)
    assert "Exported 3 excerpt(s)" in page.inner_text("#ex-status")
    assert [r["excerpt"] for r in rows] == want

    page.click("#ex-none")
    _wait_ticked(page, [False] * 6)
    state = [False] * 6
    for r in (0, 1, 3):  # a click in the tick cell, off the box, counts as a tick too
        page.click(f"#ex-table [data-testid=cell-{r}-0]", position={"x": 4, "y": 4})
        state[r] = True
        _wait_ticked(page, state)
    page.click(tick_box(1))  # and a click on a ticked box unticks it
    _wait_ticked(page, [True, False, False, True, False, False])
    rows = _export_csv(page)
    assert "Exported 2 excerpt(s)" in page.inner_text("#ex-status")
    assert [r["excerpt"] for r in rows] == [want[0], want[2]]

    page.click("#ex-none")
    _wait_ticked(page, [False] * 6)
    for r in (0, 1, 3, 4, 4):  # quick clicks, no waiting between them (row 5 ticked, unticked)
        page.click(tick_box(r))
    _wait_ticked(page, [True, True, False, True, False, False])
    assert [r["excerpt"] for r in _export_csv(page)] == want
    assert guard.foreign == [] and guard.dialogs == []
    page.context.close()


# -- uploads: only admins, within a quota; temporary copies removed ---------------------------
def _http(local: str = "127.0.0.1"):
    import httpx

    return httpx.Client(transport=httpx.HTTPTransport(local_address=local), timeout=60)


def _sign_in(client, url: str, name: str, password: str):
    return client.post(url + "login", data={"username": name, "password": password})


def _upload(client, url: str, name: str, size: int):
    files = {"files": (name, b"a" * size, "text/plain")}
    return client.post(url + "gradio_api/upload", files=files)


def _temp_files(env) -> set[str]:
    return {p.name for p in env.temp.rglob("*") if p.is_file()}


def test_uploads_only_by_admins_and_within_the_quota(env):
    before = _temp_files(env)
    with _http() as open_client:
        r = _upload(open_client, env.open_url, "open.txt", 1000)
        assert r.status_code == 403 and "read-only" in r.json()["detail"]
    with _http() as anon:
        r = _upload(anon, env.url, "anon.txt", 1000)
        assert r.status_code == 403 and "Only admins" in r.json()["detail"]
    for name in ("tia", "rex"):
        with _http("127.0.0.9") as c:  # an address no lockout test uses
            assert _sign_in(c, env.url, name, USERS[name][1]).status_code == 200
            r = _upload(c, env.url, f"{name}.txt", 1000)
            assert r.status_code == 403 and "Only admins" in r.json()["detail"]
    assert _temp_files(env) == before  # nothing refused was kept
    with _http() as c:
        assert _sign_in(c, env.url, "quo", USERS["quo"][1]).status_code == 200
        r = _upload(c, env.url, "first.txt", 600 * 1024)
        assert r.status_code == 200, r.text
        assert "first.txt" in _temp_files(env)
        r = _upload(c, env.url, "second.txt", 600 * 1024)  # 1.2 MB > the 1 MB quota
        assert r.status_code == 413 and "quota" in r.json()["detail"].lower()
        assert "second.txt" not in _temp_files(env)


# -- sign-in lockout: per login name and address; expires; logged without the password --------
def test_lockout_is_per_name_and_address_and_expires(env, caplog, monkeypatch):
    import bcrypt

    checks = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda p, h: checks.append(1) or real(p, h))
    caplog.set_level(logging.INFO)
    wrong = "not-the-password-123"
    name, good = "tia", USERS["tia"][1]
    with _http("127.0.0.5") as a, _http("127.0.0.6") as b:
        wrong_s = []
        for _ in range(FAILURES):
            t0 = time.perf_counter()
            r = _sign_in(a, env.url, name, wrong)
            wrong_s.append(time.perf_counter() - t0)
            assert r.status_code == 400 and r.json()["detail"] == "Incorrect credentials."
        n = len(checks)
        t0 = time.perf_counter()
        r = _sign_in(a, env.url, name, good)  # the right password, but locked for this address
        locked_s = time.perf_counter() - t0
        assert r.status_code == 400
        assert "temporarily locked" in r.json()["detail"]
        assert len(checks) == n + 1  # the locked reply costs a password check like any other
        print(f"\nwrong password {[round(s, 3) for s in wrong_s]} s; locked {locked_s:.3f} s")
        r = _sign_in(b, env.url, name, good)  # same name, another address: not locked
        assert r.status_code == 200 and r.json() == {"success": True}
        time.sleep(LOCKOUT_S + 0.2)
        r = _sign_in(a, env.url, name, good)  # the lock has expired
        assert r.status_code == 200
    text = "\n".join(rec.getMessage() for rec in caplog.records)
    assert "failed sign-in for 'tia' from 127.0.0.5" in text
    assert "is locked for" in text
    assert wrong not in text and good not in text


def test_login_form_says_the_account_is_locked(browser, env):
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    page.goto(env.url)
    for _ in range(FAILURES + 1):
        assert submit_login(page, "tia", "wrong-password-xyz") == 400
        page.wait_for_selector(".creds")
    assert "window.fetch" in page.content()  # the sign-in page carries the inline script
    expect(page.locator(".creds")).to_contain_text("temporarily locked", timeout=10_000)
    context.close()


# -- Library: one sniffer, every valid file kept, status while working, safe names ------------
_WATCH_STATUS = """() => {
  window.__status = [];
  const el = document.querySelector('#lib-status');
  const note = () => {
    const t = el.innerText.trim();
    if (t && window.__status[window.__status.length - 1] !== t) window.__status.push(t);
  };
  new MutationObserver(note).observe(el, {subtree: true, childList: true, characterData: true});
}"""


def _statuses(page) -> list[str]:
    return page.evaluate("() => window.__status")


def test_library_uploads_status_remove_and_safe_names(browser, env, tmp_path):
    page, guard = login(browser, env, "ada")
    open_tab(page, "Library")
    page.wait_for_selector("#lib-docs [data-testid=cell-0-0]")
    cp1252 = tmp_path / "windows notes.txt"
    cp1252.write_bytes(
        "Lantern Inquiry\n\n1.1 The lantern keeper\u2019s log was lost in the caf\u00e9 fire.\n".encode(
            "cp1252"
        )
    )
    utf16 = tmp_path / "unicode notes.txt"
    utf16.write_bytes(
        "Beacon Review\n\n1.1 The beacon failed on 4 May 2019 during the storm.\n".encode("utf-16")
    )
    big = tmp_path / "too big.md"
    big.write_text("# Big\n\n" + "1.1 Words. " * 6000, encoding="utf-8")  # ~66 KB > 51 KB
    assert big.stat().st_size > MAX_FILE_MB * 1024 * 1024
    files = [cp1252, utf16, big]
    page.evaluate(_WATCH_STATUS)
    attach_to_library(page, files)
    uploaded = _temp_files(env)
    assert {f.name for f in files} <= uploaded  # all three reached the server, none dropped
    outcome = add_to_library(page)
    assert "windows notes.txt" in outcome and "unicode notes.txt" in outcome
    assert "too big.md" in outcome and "too large" in outcome
    assert "2 added" in page.inner_text("#lib-status"), page.inner_text("#lib-status")
    titles = {d.title for d in env.assistant.docs()}
    assert {"Lantern Inquiry", "Beacon Review"} <= titles
    assert (env.corpus / "windows notes.txt").is_file()
    assert not (env.corpus / "too big.md").exists()
    assert not ({f.name for f in files} & _temp_files(env))  # Gradio's copies are gone
    seen = _statuses(page)
    assert any(s.startswith("Indexing file") and "passage(s) embedded" in s for s in seen), seen
    assert any("rebuilding the keyword search index" in s for s in seen), seen
    assert not any("Done:" in s for s in seen[:-1]), seen  # no stale result while working

    # a file whose name reverses the text after it, put in the folder by other means
    spoof = env.corpus / "harbour\u202efdp.md"
    spoof.write_text("# Spoof Review\n\n1.1 A review with a spoofing file name.\n", "utf-8")
    page.click("#lib-reingest")
    page.wait_for_function(
        "() => /Done:/.test(document.querySelector('#lib-status').innerText)", timeout=180_000
    )
    wait_idle(page)
    docs_text = page.inner_text("#lib-docs")
    assert "harbour\\u202efdp.md" in docs_text and "\u202e" not in docs_text
    assert "\u202e" not in page.inner_text("#lib-outcome")

    # Remove: the status says what it is doing while it works, then what became of the file
    page.evaluate(_WATCH_STATUS)
    guard.confirm_next = True
    page.click("#lib-remove-doc input")
    page.click("#lib-remove-doc li[data-testid=dropdown-option]:has-text('Lantern Inquiry')")
    page.click("#lib-remove")
    page.wait_for_function(
        "() => document.querySelector('#lib-status').innerText.startsWith('Removed')",
        timeout=120_000,
    )
    wait_idle(page)
    seen = _statuses(page)
    assert any(s.startswith("Removing “Lantern Inquiry”") for s in seen), seen
    assert any("step 2 of 2" in s and "keyword search index" in s for s in seen), seen
    # once the confirmation is given, the previous result is not left showing
    start = next(i for i, s in enumerate(seen) if "Starting…" in s or "Removing" in s)
    assert not any("Done:" in s for s in seen[start:]), seen
    final = page.inner_text("#lib-status")
    assert "windows notes.txt was deleted." in final, final
    assert not (env.corpus / "windows notes.txt").exists()
    assert "Lantern Inquiry" not in {d.title for d in env.assistant.docs()}
    assert guard.foreign == [] and guard.dialogs == []
    spoof.unlink()
    page.context.close()
