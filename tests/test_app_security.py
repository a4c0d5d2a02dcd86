"""Logins, roles and file access through the running app: real Gradio, real Chromium, real
HTTP calls that skip the page. Each check here fails when the promise in the README breaks:
a wrong password must be refused, a trainee must not reach the Library's handlers even by
calling them directly, and neither the users file nor the data folder may be downloaded.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from gradio_raw import RawClient
from ui_helpers import (
    LOGINS,
    app_running,
    ingested,
    make_pdf,
    new_page,
    submit_login,
    tab_names,
    write_users,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]

USERS = {
    **LOGINS,
    "lou": ("trainee", "lou-lockout-pass"),  # only the lockout test uses (and locks) it
    "rita": ("reviewer", "rita-review-pass"),  # only the failure-count test uses it
}
KEEP = "Quarry Lane Flooding Review"
SPARE = "Mill Street Fire Review"
CORPUS_MARK = "sluice gate on Quarry Lane was left closed"


@pytest.fixture(scope="module")
def app(tmp_path_factory, real_embedder):
    from ui.auth import UserStore

    root = tmp_path_factory.mktemp("security")
    home, corpus = root / "data", root / "corpus"
    corpus.mkdir()
    (corpus / "quarry.md").write_text(
        f"# {KEEP}\n\n1.1 The {CORPUS_MARK} during the storm of March 2020.\n\n"
        "1.2 Residents were not warned until the water reached the school.\n",
        encoding="utf-8",
    )
    (corpus / "mill.md").write_text(
        f"# {SPARE}\n\n2.1 The fire at the Mill Street warehouse started in a faulty heater.\n",
        encoding="utf-8",
    )
    # where the README puts it: inside the data folder
    users_file = write_users(home / "users.txt", USERS)
    assistant = ingested(real_embedder, home, corpus, users_file=str(users_file))
    with app_running(assistant, UserStore(users_file), home=home, users_file=users_file) as app:
        yield app


def _raw(app, name: str | None = None) -> RawClient:
    client = RawClient(app.url)
    if name is not None:
        r = client.login(name, USERS[name][1])
        assert r.status_code == 200, r.text
    return client


def _shows_the_app(page) -> bool:
    page.goto(page.url)
    page.wait_for_selector("input[type=password], #ask-question textarea", timeout=60_000)
    return page.query_selector("#ask-question textarea") is not None


# -- logins ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, password",
    [
        ("tia", "not-her-password"),
        ("tia", ""),
        ("nobody", "tia-trainee-pass"),
        ("tia", "ada-admin-pass"),
    ],
)
def test_wrong_password_is_refused(browser, app, name, password):
    context = browser.new_context()
    page = context.new_page()
    page.goto(app.url)
    assert submit_login(page, name, password) != 200
    assert not _shows_the_app(page)
    assert "Signed in" not in page.inner_text("body")
    context.close()


@pytest.mark.parametrize("name", ["tia", "rex", "ada"])
def test_right_password_is_admitted_with_its_role(browser, app, name):
    role, password = USERS[name]
    page, _ = new_page(browser, app.url, (name, password))
    header = page.inner_text("#ia-header")
    assert f"Signed in as {name}" in header and role in header
    want = ["Ask", "Excerpts", "Reports"] + (["Library"] if role == "admin" else [])
    assert tab_names(page) == want
    page.context.close()


def test_five_wrong_passwords_lock_the_name(browser, app):
    from ui.auth import MAX_FAILURES

    context = browser.new_context()
    page = context.new_page()
    page.goto(app.url)
    for _ in range(MAX_FAILURES):
        assert submit_login(page, "lou", "guess-" + "x" * 8) != 200
    assert submit_login(page, "lou", USERS["lou"][1]) != 200  # right, but locked
    assert not _shows_the_app(page)
    context.close()
    # other names are not locked by it
    page, _ = new_page(browser, app.url, ("tia", USERS["tia"][1]))
    page.context.close()


def test_a_right_password_clears_earlier_failures(browser, app):
    """Wrong tries are counted towards a lockout only until the user gets in."""
    from ui.auth import MAX_FAILURES

    context = browser.new_context()
    page = context.new_page()
    page.goto(app.url)
    for _ in range(2):
        for _ in range(MAX_FAILURES - 1):
            assert submit_login(page, "rita", "not-rita-password") != 200
        assert submit_login(page, "rita", USERS["rita"][1]) == 200
        # the sign-in page reloads itself into the app (a goto here would race that reload)
        page.wait_for_selector("#ask-question textarea", timeout=60_000)
        context.clear_cookies()
        page.goto(app.url)
        page.wait_for_selector("input[type=password]", timeout=60_000)
    context.close()


def test_without_a_login_nothing_is_served(app):
    admin = _raw(app, "ada")
    remove = admin.handler_for("lib-remove")
    admin.close()
    before = _state(app)
    client = _raw(app)
    assert client.get("config").status_code in (401, 403)
    got = client.call("lib-remove", [_doc_id(app, KEEP)], handler=remove)
    assert got.get("status") in (401, 403), got
    client.close()
    assert _state(app) == before


# -- the Library's handlers, called directly -----------------------------------------------------
def _doc_id(app, title: str) -> str:
    return next(d.doc_id for d in app.assistant.docs() if d.title == title)


def _state(app):
    return sorted(p.name for p in app.corpus.iterdir()), sorted(
        (d.doc_id, d.title) for d in app.assistant.docs()
    )


def _output_text(msg: dict) -> str:
    return json.dumps(msg.get("output", msg))


@pytest.mark.parametrize("name", ["tia", "rex"])
def test_non_admins_cannot_call_library_handlers(app, tmp_path, name):
    before = _state(app)
    client = _raw(app, name)
    spare = _doc_id(app, SPARE)
    got = client.call("tab-library", [], "select")  # the document list stays empty for them
    assert "Only admins" in _output_text(got) or not got.get("success")
    got = client.call("lib-remove", [spare])
    assert "Only admins" in _output_text(got) or got.get("status") or not got.get("success")
    pdf = make_pdf(tmp_path / "sneaky.pdf", "Sneaky Report", ["1.1 Should never be stored."])
    try:  # the upload itself is refused for non-admins (ui/gate.py) ...
        uploaded = client.upload(pdf)
    except httpx.HTTPStatusError as e:
        assert e.response.status_code == 403
    else:  # ... and were it taken, the handler would refuse to store it
        got = client.call("lib-add", [[uploaded]])
        assert "Only admins" in _output_text(got) or got.get("status") or not got.get("success")
    got = client.call("lib-reingest", [])
    assert "Only admins" in _output_text(got) or got.get("status") or not got.get("success")
    client.close()
    assert _state(app) == before


def test_admin_can_call_library_handlers_the_same_way(app):
    """The control for the test above: the same raw call, made by an admin, does remove."""
    client = _raw(app, "ada")
    spare = _doc_id(app, SPARE)
    assert client.call("tab-library", [], "select").get("success")  # fills the document list
    got = client.call("lib-remove", [spare])
    client.close()
    assert got.get("success"), got
    assert "Removed" in _output_text(got)
    assert all(d.title != SPARE for d in app.assistant.docs())
    assert not (app.corpus / "mill.md").exists()


# -- files -------------------------------------------------------------------------------------
def _sensitive(app) -> dict[Path, bytes]:
    """Files that must never leave the server, each with bytes that identify its content."""
    files = {app.users_file: b"$2b$", app.corpus / "quarry.md": CORPUS_MARK.encode()}
    for p in app.home.rglob("*"):
        if p.is_file() and p.suffix == ".sqlite3":
            files[p] = b"SQLite format 3"
    assert len(files) >= 3, files
    return files


def _urls(path: Path) -> list[str]:
    absolute = str(path.resolve())
    relative = "../" * 12 + absolute.lstrip("/")
    return [
        f"gradio_api/file={absolute}",
        f"gradio_api/file={quote(absolute)}",
        f"gradio_api/file={relative}",
        f"gradio_api/file/{absolute}",
        f"file={absolute}",
        f"file/{absolute}",
        f"gradio_api/file={quote(absolute, safe='')}",
    ]


@pytest.mark.parametrize("name", [None, "tia", "ada"])
def test_users_file_and_data_folder_cannot_be_downloaded(app, name):
    client = _raw(app, name)
    for path, marker in _sensitive(app).items():
        for url in _urls(path):
            r = client.get(url)
            assert marker not in r.content, f"{url} served {path.name}"
            assert r.status_code != 200, f"{url}: {r.status_code}"
    client.close()


def test_browser_cannot_open_the_users_file(browser, app):
    page, _ = new_page(browser, app.url, ("ada", USERS["ada"][1]))
    for path, marker in _sensitive(app).items():
        r = page.request.get(f"{app.url}gradio_api/file={path.resolve()}")
        assert r.status != 200 and marker not in r.body(), path.name
    page.context.close()
