"""Refresh the app screenshots in docs/: Ask, Excerpts, Library (and the login page).

    .venv/bin/python scripts/screenshots.py [--corpus corpus] [--out docs]

Builds a throw-away index of the sample corpus in a temporary folder, starts the app on a free
loopback port with a temporary admin login, and drives Debian's /usr/bin/chromium (playwright)
through each tab. Nothing outside the temporary folder and the output folder is touched.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

QUESTION = "What did the review recommend about information sharing?"
SEARCH = "information sharing consent"
ADMIN = ("admin", "screenshot-admin-pass")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(REPO / "corpus"), help="folder of sample documents")
    ap.add_argument("--out", default=str(REPO / "docs"), help="where the PNGs go")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from ui_helpers import (
        ask,
        launch_browser,
        make_pdf,
        new_page,
        open_tab,
        start_app,
        wait_idle,
    )

    import ui.app  # noqa: F401  (sets the offline environment before anything else)
    from assistant.service import Assistant
    from assistant.settings import Settings
    from ui.auth import UserStore, add_user

    with tempfile.TemporaryDirectory(prefix="inquiry-shots-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        shutil.copytree(args.corpus, corpus)
        users_file = add_user(str(tmp / "users.txt"), ADMIN[0], "admin", ADMIN[1])
        settings = Settings.from_env(
            env={}, home=tmp / "data", corpus=corpus, users_file=str(users_file)
        )
        assistant = Assistant(settings)
        print(f"indexing {args.corpus} ...", flush=True)
        assistant.ingest([corpus])
        assistant.warm()
        demo, url = start_app(assistant, UserStore(users_file))
        upload = make_pdf(
            tmp / "harbour-ferry-inquiry.pdf",
            "Harbour Ferry Capsize Inquiry",
            [
                "1.1 The ferry capsized because the bow doors were left open when it left port.",
                "1.2 The crew had no indicator light on the bridge to show the state of the doors.",
                "2.1 We recommend that every ferry has bridge indicator lights for its bow doors.",
            ],
        )
        bad = tmp / "scan.pdf"
        bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                browser = launch_browser(pw)
                shoot(browser, url, out, upload, bad, ask, new_page, open_tab, wait_idle)
                browser.close()
        finally:
            demo.close()
    return 0


def shoot(browser, url, out: Path, upload: Path, bad: Path, ask, new_page, open_tab, wait_idle):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("input[type=password]")
    page.fill("input[type=text]", ADMIN[0])
    page.screenshot(path=str(out / "login.png"))
    context.close()
    print("docs/login.png")

    page, guard = new_page(browser, url, ADMIN)
    got = ask(page, QUESTION)
    print(f"Enter -> first answer text: {got['first_text_s']:.3f} s")
    page.click("#ask-source-0")
    page.wait_for_selector("#ask-passage .ia-focus")
    wait_idle(page)
    page.screenshot(path=str(out / "ask.png"), full_page=True)
    print("docs/ask.png")

    open_tab(page, "Excerpts")
    page.fill("#ex-query textarea", SEARCH)
    page.press("#ex-query textarea", "Enter")
    page.wait_for_selector("#ex-table [data-testid=cell-1-2]")
    wait_idle(page)
    for r in (0, 2):
        page.click(f"#ex-table [data-testid=cell-{r}-0] input[type=checkbox]")
    page.click("#ex-export")
    page.wait_for_selector("#ex-files a")
    page.click("#ex-table [data-testid=cell-0-2]")
    wait_idle(page)
    time.sleep(0.3)
    page.screenshot(path=str(out / "excerpts.png"), full_page=True)
    print("docs/excerpts.png")

    open_tab(page, "Library")
    page.wait_for_selector("#lib-docs [data-testid=cell-0-0]")
    page.set_input_files("#lib-upload input[type=file]", [str(upload), str(bad)])
    time.sleep(1.0)
    page.click("#lib-add")
    page.wait_for_function(
        "() => /Done:|stopped|No file/.test(document.querySelector('#lib-status').innerText)",
        timeout=120_000,
    )
    wait_idle(page)
    time.sleep(0.3)
    page.screenshot(path=str(out / "library.png"), full_page=True)
    print("docs/library.png")
    if guard.foreign:
        raise SystemExit(f"the page asked other hosts: {guard.foreign}")
    page.context.close()


if __name__ == "__main__":
    raise SystemExit(main())
