"""Helpers for the browser tests and scripts/screenshots.py: start the app, drive Chromium.

Chromium is Debian's /usr/bin/chromium driven by playwright (never `playwright install`).
Every page gets a network guard: a request to any host but loopback is aborted and recorded.
"""

from __future__ import annotations

import socket
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
# The logins the app tests sign in with: name -> (role, password). A test module adds its own
# names for tests that change a login's state (a lockout).
LOGINS = {
    "ada": ("admin", "ada-admin-pass"),
    "rex": ("reviewer", "rex-review-pass"),
    "tia": ("trainee", "tia-trainee-pass"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(assistant, users=None):
    """The app on a free loopback port, in this process. Returns (demo, url)."""
    from ui.app import start

    port = free_port()
    demo = start(assistant, "127.0.0.1", port, users=users, block=False)
    return demo, f"http://127.0.0.1:{port}/"


def write_users(users_file: Path, users: dict[str, tuple[str, str]]) -> Path:
    """Each login of `users` (name -> (role, password)) written as `inquiry users` does."""
    from ui.auth import add_user

    for name, (role, password) in users.items():
        add_user(str(users_file), name, role, password)
    return users_file


def ingested(embedder, home: Path, corpus: Path, **settings):
    """An Assistant on the data folder `home` with every file of `corpus` ingested; `settings`
    are Settings fields (users_file, lockout_s ...). A file that fails to ingest fails the
    caller."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    s = Settings.from_env(env={}, home=home, corpus=corpus, **settings)
    assistant = Assistant(s, embedder=embedder)
    plan, _ = assistant.ingest([corpus])
    assert not plan.of("failed"), plan.to_json()
    return assistant


def ingested_one(embedder, tmp_path_factory, name: str, text: str):
    """An Assistant on a fresh data folder with one Markdown report, `name`.md, holding
    `text` (real model, real Chroma)."""
    corpus = tmp_path_factory.mktemp(f"{name}-corpus")
    (corpus / f"{name}.md").write_text(text, encoding="utf-8")
    return ingested(embedder, tmp_path_factory.mktemp(f"{name}-home"), corpus)


@contextmanager
def app_running(assistant, users=None, *, open_app: bool = False, **extra):
    """The app on a free loopback port for the `with` block, and with `open_app` the open,
    read-only app beside it. Yields a namespace: assistant, settings, corpus, users, demo,
    url, open_url (None without `open_app`) and `extra`."""
    demo, url = start_app(assistant, users)
    open_demo, open_url = start_app(assistant, None) if open_app else (None, None)
    try:
        yield SimpleNamespace(
            assistant=assistant,
            settings=assistant.settings,
            corpus=Path(assistant.settings.corpus),
            users=users,
            demo=demo,
            url=url,
            open_url=open_url,
            **extra,
        )
    finally:
        demo.close()
        if open_demo is not None:
            open_demo.close()


def launch_browser(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class Guard:
    """Aborts and records every request to a non-loopback host; records dialogs and errors."""

    def __init__(self):
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.confirm_next = False  # accept the next confirm() (e.g. "Remove this document?")

    def attach(self, context):
        def route(r):
            host = urlparse(r.request.url).hostname or ""
            if r.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
                return r.continue_()
            self.foreign.append(r.request.url)
            return r.abort()

        context.route("**/*", route)
        context.on("page", self._page)
        return self

    def _page(self, page):
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _dialog(self, d):
        if self.confirm_next and d.type == "confirm":
            self.confirm_next = False
            d.accept()
            return
        self.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()


def new_page(browser, url: str, user: tuple[str, str] | None = None, guard: Guard | None = None):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    guard = (guard or Guard()).attach(context)
    page = context.new_page()  # the guard's "page" handler attaches itself
    page.goto(url)
    if user is not None:
        submit_login(page, *user)
    page.wait_for_selector("#ask-question textarea", timeout=60_000)
    ready = "Signed in as" if user is not None else "Open access"
    page.wait_for_function(
        "(t) => document.querySelector('#ia-header').innerText.includes(t)", arg=ready
    )
    wait_idle(page)
    return page, guard


def submit_login(page, name: str, password: str) -> int:
    """Fill the app's sign-in form and submit it; the HTTP status of the app's answer."""
    page.fill("input[type=text]", name)
    page.fill("input[type=password]", password)
    with page.expect_response(lambda r: r.url.rstrip("/").endswith("/login")) as resp:
        page.click("button:has-text('Login')")
    return resp.value.status


def signed_in(browser, env, users: dict[str, tuple[str, str]], name: str | None):
    """(page, guard) on `env.url` signed in as `name` with its password in `users`, or on the
    open app `env.open_url` when `name` is None."""
    if name is None:
        return new_page(browser, env.open_url)
    return new_page(browser, env.url, (name, users[name][1]))


def attach_to_library(page, paths: list[Path]) -> None:
    """Pick `paths` in the Library's upload box; returns when the page lists all of them."""
    page.set_input_files("#lib-upload input[type=file]", [str(p) for p in paths])
    page.wait_for_function(
        "(n) => document.querySelectorAll('#lib-upload a, #lib-upload .file-name').length >= n",
        arg=len(paths),
    )


def add_to_library(page, timeout_ms: int = 180_000) -> str:
    """Press the Library's Add and wait until its status line says the job ended; the outcome
    table's text."""
    page.click("#lib-add")
    page.wait_for_function(
        "() => /Done:|stopped|No file/.test(document.querySelector('#lib-status').innerText)",
        timeout=timeout_ms,
    )
    wait_idle(page)
    return page.inner_text("#lib-outcome")


def tab_names(page) -> list[str]:
    return [t.inner_text().strip() for t in page.query_selector_all("[role=tab]")]


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def pick(page, dropdown_id: str, label_part: str) -> None:
    """Choose the option containing `label_part` in a (multiselect) dropdown."""
    page.click(f"#{dropdown_id} input")
    page.click(f"#{dropdown_id} li[data-testid=dropdown-option]:has-text('{label_part}')")
    page.keyboard.press("Escape")


def selected_tokens(page, dropdown_id: str) -> list[str]:
    return [
        t.inner_text().strip()
        for t in page.query_selector_all(f"#{dropdown_id} .token")
        if t.inner_text().strip()
    ]


_WATCH = """(n) => {
  const t = {n, t0: null, t1: null, first: null, states: []};
  window.__ask = t;
  const ta = document.querySelector('#ask-question textarea');
  ta.addEventListener('keydown', e => { if (e.key === 'Enter' && t.t0 === null) t.t0 = performance.now(); });
  const check = () => {
    const bots = document.querySelectorAll('#ask-chat [data-testid=bot]');
    if (bots.length <= n) return;
    const text = bots[bots.length - 1].innerText.trim();
    if (!/[A-Za-z]/.test(text)) return;
    if (t.t1 === null) { t.t1 = performance.now(); t.first = text; }
    if (t.states[t.states.length - 1] !== text) t.states.push(text);
  };
  new MutationObserver(check).observe(document.querySelector('#ask-chat'),
    {subtree: true, childList: true, characterData: true});
}"""


def bot_count(page) -> int:
    return page.evaluate("() => document.querySelectorAll('#ask-chat [data-testid=bot]').length")


def ask(page, question: str, timeout_ms: int = 60_000) -> dict:
    """Type a question, press Enter; wait for the finished answer.

    Returns {'first_text_s': seconds from Enter to the first visible answer text (measured in
    the page), 'text': the final answer text, 'states': distinct texts seen while streaming}.
    """
    n = bot_count(page)
    page.evaluate(_WATCH, n)
    page.fill("#ask-question textarea", question)
    page.press("#ask-question textarea", "Enter")
    page.wait_for_function("() => window.__ask.t1 !== null", timeout=timeout_ms)
    # finished when the question box is free again and the sources panel was redrawn
    page.wait_for_function(
        "() => !document.querySelector('#ask-chat .pending') && "
        "document.querySelectorAll('#ask-chat [data-testid=bot]').length > window.__ask.n",
        timeout=timeout_ms,
    )
    wait_idle(page)
    t = page.evaluate("() => window.__ask")
    text = page.query_selector_all("#ask-chat [data-testid=bot]")[-1].inner_text()
    return {"first_text_s": (t["t1"] - t["t0"]) / 1000.0, "text": text, "states": t["states"]}


def wait_idle(page, timeout_s: float = 60.0) -> None:
    """Until no Gradio event is running (no progress/pending indicator shown)."""
    deadline = time.monotonic() + timeout_s
    js = (
        "() => [...document.querySelectorAll('[data-testid=status-tracker]')]"
        ".every(e => e.classList.contains('hide'))"
    )
    while time.monotonic() < deadline:
        if page.evaluate(js):
            time.sleep(0.15)
            if page.evaluate(js):
                return
        time.sleep(0.1)
    raise TimeoutError("the app stayed busy")


def tick_box(r: int) -> str:
    """Where a reviewer clicks on Excerpts row r's box (read-only: the server ticks, see
    ui/excerpts.py)."""
    return f"#ex-table [data-testid=cell-{r}-0] label"


def search_excerpts(page, query: str) -> None:
    """Search in the Excerpts tab (already open) and wait for the table's first row."""
    page.fill("#ex-query textarea", query)
    page.press("#ex-query textarea", "Enter")
    page.wait_for_selector("#ex-table [data-testid=cell-0-2]")
    wait_idle(page)


def source_labels(page) -> list[str]:
    return [b.inner_text().strip() for b in page.query_selector_all("#ask-sources button:visible")]


def make_pdf(path: Path, title: str, paragraphs: list[str]) -> Path:
    """A small text PDF (reportlab), one numbered paragraph per line block."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(title)
    y = 800
    c.setFont("Helvetica-Bold", 14)
    c.drawString(60, y, title)
    y -= 32
    c.setFont("Helvetica", 10)
    for para in paragraphs:
        line = ""
        for word in para.split():
            if len(line) + len(word) > 95:
                c.drawString(60, y, line)
                y -= 14
                line = ""
            line = f"{line} {word}".strip()
        c.drawString(60, y, line)
        y -= 24
    c.showPage()
    c.save()
    return path


def scanned_pdf(src: Path, out: Path, pages: list[int] | None = None, blank: int = 0) -> Path:
    """An image-only PDF (no text layer), as a scanner makes: the given pages (0-based) of the
    text PDF `src` rendered at 150 dpi, then `blank` white pages."""
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument(str(src))
    try:
        index = range(len(pdf)) if pages is None else pages
        images = [pdf[i].render(scale=150 / 72).to_pil().convert("RGB") for i in index]
    finally:
        pdf.close()
    images += [Image.new("RGB", images[0].size, "white") for _ in range(blank)]
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return out


def highlighted_pixels(image, tint=(255, 231, 145), tolerance: int = 14) -> list[tuple[int, int]]:
    """Where `image` shows the page view's translucent yellow over white paper."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    data = rgb.load()
    return [
        (x, y)
        for y in range(0, h, 2)
        for x in range(0, w, 2)
        if all(abs(c - t) <= tolerance for c, t in zip(data[x, y], tint))
    ]
