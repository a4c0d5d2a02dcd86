"""The Gradio app: Ask (trainees), Excerpts (reviewers) and Library (admins).

Access (see ui/auth.py): when INQUIRY_USERS names a users file, everyone logs in and the role
decides what they can do: admins get the Library tab, reviewers and trainees are read-only.
When INQUIRY_USERS is empty the app is *open and read-only*: no login, no Library tab (the
library is then managed with `inquiry ingest` / `inquiry remove`).

Offline: Gradio analytics and its version check are off, the theme uses system fonts (nothing
from Google Fonts), run history is not kept in the browser, no share link, no MCP, no SSR
server. Nothing in the page asks any host but the app's own.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from assistant.settings import apply_offline_env

apply_offline_env()

import gradio as gr  # noqa: E402

from ingest.errors import InquiryError  # noqa: E402
from ui.ask import AskTab  # noqa: E402
from ui.auth import UserStore, role_for  # noqa: E402
from ui.common import (  # noqa: E402
    CSS,
    THEME_ARGS,
    report_choices,
    year_choices,
)
from ui.excerpts import ExcerptsTab  # noqa: E402
from ui.reports import ReportsTab  # noqa: E402
from ui.safety import esc  # noqa: E402
from ui.starters import starter_questions  # noqa: E402

TITLE = "Inquiry Assistant"
SUBTITLE = "Cited answers and verbatim excerpts from inquiry reports and serious case reviews"


def theme():
    return gr.themes.Default(primary_hue="indigo", neutral_hue="slate", **THEME_ARGS)


def starters_for(assistant, n: int = 4) -> list[str]:
    try:
        docs = assistant.docs()
        if not docs:
            return []
        metas = assistant.chunk_metas()
    except Exception:
        return []
    return starter_questions(metas, {d.doc_id: d.report_title or d.title for d in docs}, n)


def header_html(username: str | None, role: str | None, auth: bool) -> str:
    if auth and username:
        who = (
            f'<span class="ia-user">Signed in as <b>{esc(username)}</b> ({esc(role)})'
            f'<a href="logout">Sign out</a></span>'
        )
    elif auth:
        who = ""
    else:
        who = '<span class="ia-user">Open access · read-only</span>'
    return (
        f'<div class="ia-header"><div><h1>{esc(TITLE)}</h1>'
        f'<span class="ia-sub">{esc(SUBTITLE)}</span></div>{who}</div>'
    )


# Gradio's temporary copies of uploads and outputs: checked hourly, removed after an hour
# (the Library also deletes each upload as soon as it has been stored or refused).
DELETE_CACHE = (3600, 3600)


def build_app(assistant, users: UserStore | None = None) -> gr.Blocks:
    """The Blocks app. `users=None`: open, read-only, no Library tab."""
    ask = AskTab(assistant)
    excerpts = ExcerptsTab(assistant)
    reports = ReportsTab(assistant)
    library = None
    with gr.Blocks(
        title=TITLE, analytics_enabled=False, fill_width=True, delete_cache=DELETE_CACHE
    ) as demo:
        header = gr.HTML(header_html(None, None, users is not None), elem_id="ia-header")
        with gr.Tabs(elem_id="ia-tabs") as tabs:
            with gr.Tab("Ask", id="ask", elem_id="tab-ask"):
                ask.build()
            with gr.Tab("Excerpts", id="excerpts", elem_id="tab-excerpts"):
                excerpts.build()
            with gr.Tab("Reports", id="reports", elem_id="tab-reports"):
                reports.build()  # ui/reports.py: recommendations, timeline, themes
            if users is not None:
                from ui.library import LibraryTab

                library = LibraryTab(assistant, users)
                with gr.Tab(
                    "Library", id="library", elem_id="tab-library", visible=False
                ) as lib_tab:
                    library.build()

        filter_outs = [
            ask.doc_filter,
            ask.year_filter,
            excerpts.doc_filter,
            excerpts.year_filter,
            ask.starter_head,
            *ask.starters,
            *reports.doc_filters,
        ]

        def choices():
            try:
                docs = assistant.docs()
            except Exception:
                docs = []
            dc, yc = report_choices(docs), year_choices(docs)
            return (
                gr.update(choices=dc),
                gr.update(choices=yc),
                gr.update(choices=dc),
                gr.update(choices=yc),
                *ask.starter_updates(starters_for(assistant)),
                *[gr.update(choices=dc)] * len(reports.doc_filters),
            )

        def on_load(request: gr.Request):
            name = getattr(request, "username", None)
            role = role_for(users, name)
            out = [header_html(name, role, users is not None), *choices()]
            if library is not None:
                out.append(gr.Tab(visible=role == "admin"))
            return out

        load_outs = [header, *filter_outs] + ([lib_tab] if library is not None else [])
        demo.load(on_load, None, load_outs, api_visibility="private")
        if library is not None:
            library.wire((choices, filter_outs))
            lib_tab.select(
                library.refresh,
                None,
                [library.docs, library.summary_html, library.pick],
                api_visibility="private",
            )
        demo.ia_tabs = tabs  # for tests and screenshots
        demo.ia_library = library
    return demo


def launch_kwargs(settings, host: str | None, port: int | None, users: UserStore | None) -> dict:
    """Gradio's launch arguments. Uploads: the per-file size limit is checked by the Library
    for each file (so one oversized file does not make the browser drop the whole pick); the
    request-level cap is the admin's upload quota, enforced with the roles by ui/gate.py."""
    from starlette.middleware import Middleware

    from ui.gate import Gate

    quota = int(settings.upload_quota_mb * 1024 * 1024)
    gate = Gate(users, quota)
    kw = dict(
        server_name=host or settings.host,
        server_port=int(port or settings.port),
        theme=theme(),
        css=CSS,
        footer_links=[],
        run_history=False,
        ssr_mode=False,
        mcp_server=False,
        pwa=False,
        share=False,
        show_error=False,
        max_file_size=max(quota, int(settings.max_bytes)),
        app_kwargs={"middleware": [Middleware(gate.middleware)]},
        blocked_paths=[str(Path(settings.home).resolve()), str(Path(settings.corpus).resolve())],
        quiet=True,
    )
    if users is not None:

        async def auth(username: str, password: str) -> bool:
            source = gate.source.get()  # the address ui/gate.py saw for this /login request
            return await asyncio.to_thread(users.check, username, password, source)

        kw["auth"] = auth
        kw["auth_message"] = f"{TITLE}: sign in with the login your administrator gave you."
    return kw


def users_from(settings) -> UserStore | None:
    if not settings.users_file:
        return None
    return UserStore(
        settings.users_file, max_failures=settings.login_failures, lockout_s=settings.lockout_s
    )


def _ingest_first(assistant) -> None:
    corpus = Path(assistant.settings.corpus)
    if not corpus.is_dir():
        print(f"--ingest-if-empty: {corpus} is not a folder; starting with an empty library")
        return
    print(f"The library is empty: ingesting {corpus} first…", flush=True)
    t0 = time.perf_counter()
    plan, _ = assistant.ingest(
        [corpus], progress=lambda i: print(f"  {i.action:9} {i.source}", flush=True)
    )
    c = plan.counts()
    print(f"  {c['new']} added, {c['failed']} failed in {time.perf_counter() - t0:.0f} s")


def start(assistant, host=None, port=None, *, users: UserStore | None = None, block: bool = True):
    """Build and launch; `block=False` returns the running Blocks (tests, screenshots)."""
    demo = build_app(assistant, users)
    kw = launch_kwargs(assistant.settings, host, port, users)
    demo.queue(default_concurrency_limit=2)
    demo.launch(prevent_thread_lock=not block, **kw)
    return demo


def serve(assistant, host=None, port=None, ingest_if_empty: bool = False):
    """`inquiry serve`: optionally ingest the corpus, warm the models, serve until stopped."""
    s = assistant.settings
    users = users_from(s)  # a missing or empty users file stops here, before anything loads
    if ingest_if_empty and not assistant.docs():
        _ingest_first(assistant)
    try:
        assistant.warm()
    except InquiryError as e:
        print(f"warning: {e}", file=sys.stderr)
    mode = f"logins from {users.path}" if users else "open, read-only (no INQUIRY_USERS)"
    print(f"{TITLE} on http://{host or s.host}:{port or s.port}  ({mode})", flush=True)
    start(assistant, host, port, users=users, block=True)
