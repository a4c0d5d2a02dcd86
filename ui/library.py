"""The Library tab (admins only): what is indexed, upload, re-ingest, remove.

Only built when logins are configured, only shown to admins, and every handler checks the
caller's role again on the server (a hidden tab is not a permission).

Uploads: each file is checked for size (settings.max_file_mb) and type *by content* (PDF, DOCX,
HTML or UTF-8 text), stored under a sanitised name in the managed corpus folder
(settings.corpus), then the folder is ingested with `assistant.ingest([settings.corpus])`.
Progress shows while the ingest runs; the outcome is listed per file, with the reason for each
file refused or failed. A file that fails to ingest is taken out of the corpus folder again
(a replaced file gets its previous version back).
"""

from __future__ import annotations

import queue
import shutil
import threading
import time
from pathlib import Path

import gradio as gr

from ingest.errors import IngestError
from ingest.load import write_sidecar
from ui.auth import is_admin
from ui.common import doc_choices, empty_html, notice_html, user_message
from ui.safety import inside, sniff, stored_name

DOC_HEADERS = ["Title", "Source", "Pages", "Chunks", "Year", "Ingested at"]
OUTCOME_HEADERS = ["File", "Outcome", "Chunks", "Detail"]
ACTION_WORDS = {
    "new": "added",
    "changed": "updated",
    "unchanged": "unchanged",
    "removed": "removed",
    "failed": "failed",
}
DENIED = "Only admins can change the library."
REPORT_KINDS = ["inquiry", "serious case review", "guidance", "article", "committee report"]


def doc_rows(docs) -> list[list]:
    return [
        [
            d.title,
            d.source,
            d.pages if d.pages is not None else "",
            d.chunks,
            d.year or "",
            (d.ingested_at or "").replace("T", " ")[:16],
        ]
        for d in docs
    ]


def check_upload(path: Path, original: str, max_bytes: int) -> tuple[str | None, str]:
    """(stored name, '') for an acceptable file, or (None, reason) for one refused."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8192)
    except OSError as e:
        return None, f"cannot read the upload: {e.strerror or e}"
    if size == 0:
        return None, "the file is empty"
    if size > max_bytes:
        return None, f"too large: {size / 1048576:.1f} MB (the limit is {max_bytes / 1048576:g} MB)"
    kind = sniff(head, path)
    if kind is None:
        return None, "not a PDF, DOCX, HTML or UTF-8 text file (checked by content, not by name)"
    return stored_name(original, kind), ""


class LibraryTab:
    def __init__(self, assistant, users):
        self.assistant = assistant
        self.users = users
        self.settings = assistant.settings

    def _admin(self, request: gr.Request | None) -> bool:
        return is_admin(self.users, getattr(request, "username", None))

    # -- views ---------------------------------------------------------------------------------
    def summary(self, docs) -> str:
        if not docs:
            return empty_html("No documents yet: upload reports below.")
        chunks = sum(d.chunks for d in docs)
        return notice_html(f"{len(docs)} document(s), {chunks} passages indexed.", "info")

    def refresh(self, request: gr.Request):
        if not self._admin(request):
            return [], notice_html(DENIED, "error"), gr.update(choices=[], value=None)
        try:
            docs = self.assistant.docs()
        except Exception as e:
            return [], notice_html(user_message(e), "error"), gr.update()
        return doc_rows(docs), self.summary(docs), gr.update(choices=doc_choices(docs), value=None)

    # -- ingest --------------------------------------------------------------------------------
    def upload(self, files, request: gr.Request, title="", year="", kind=""):
        """`title`, `year`, `kind` (optional, from the form) go into each stored file's own
        sidecar (`NAME.meta.json`), which wins over what ingest finds in the file; a title
        only when a single file is uploaded."""
        if not self._admin(request):
            yield notice_html(DENIED, "error"), [], gr.update()
            return
        if not files:
            yield notice_html("Choose one or more files first.", "warn"), [], gr.update()
            return
        corpus = Path(self.settings.corpus)
        corpus.mkdir(parents=True, exist_ok=True)
        rows, stored, used = [], {}, set()
        for f in files:
            path = Path(getattr(f, "name", None) or str(f))
            original = path.name
            name, reason = check_upload(path, original, self.settings.max_bytes)
            if name is None:
                rows.append([original, "refused", "", reason])
                continue
            name = _unique(name, used)
            try:
                dest = inside(corpus, name)
                backup = None
                if dest.exists():
                    backup = dest.with_name(f".{dest.name}.previous")
                    shutil.copy2(dest, backup)
                shutil.copyfile(path, dest)
            except (OSError, ValueError) as e:
                rows.append([original, "refused", "", f"cannot store it: {e}"])
                continue
            try:
                one_title = title if len(files) == 1 else ""
                write_sidecar(dest, title=one_title, year=year, kind=kind)
            except IngestError as e:
                dest.unlink(missing_ok=True)
                if backup is not None:
                    shutil.move(backup, dest)
                rows.append([original, "refused", "", e.reason])
                continue
            stored[name] = (original, dest, backup)
            rows.append([original, "stored", "", f"saved as {name}; waiting to be indexed"])
        if not stored:
            yield notice_html("No file was accepted.", "error"), rows, gr.update()
            return
        yield from self._ingest(rows, stored)

    def reingest(self, request: gr.Request):
        if not self._admin(request):
            yield notice_html(DENIED, "error"), [], gr.update()
            return
        Path(self.settings.corpus).mkdir(parents=True, exist_ok=True)
        yield from self._ingest([], {})

    def _ingest(self, rows: list[list], stored: dict):
        """Run the ingest in a thread; yield (status, outcome rows, docs table) as it goes."""
        corpus = Path(self.settings.corpus)
        events: queue.Queue = queue.Queue()
        result: dict = {}

        def work():
            try:
                result["plan"], _ = self.assistant.ingest([corpus], progress=events.put, wait_s=5)
            except Exception as e:  # reported below, never a traceback in the page
                result["error"] = e
            finally:
                events.put(None)

        threading.Thread(target=work, name="ui-ingest", daemon=True).start()
        live: dict = {}
        t0 = time.monotonic()
        last = ""
        yield notice_html(f"Indexing the library folder ({corpus})…", "info"), rows, gr.update()
        while True:
            try:
                item = events.get(timeout=1.0)
            except queue.Empty:  # still working on a file: show that time moves on
                yield self._progress(live, last, t0), gr.update(), gr.update()
                continue
            if item is None:
                break
            live[item.source] = item
            last = f"{item.source} ({ACTION_WORDS.get(item.action, item.action)})"
            yield self._progress(live, last, t0), self._outcome(rows, stored, live), gr.update()
        if "error" in result:
            self._roll_back(stored, set(stored))
            msg = user_message(result["error"])
            yield notice_html(f"Indexing stopped: {msg}", "error"), rows, gr.update()
            return
        plan = result["plan"]
        items = {i.source: i for i in plan.items}
        failed = {n for n in stored if items.get(n) is not None and items[n].action == "failed"}
        self._roll_back(stored, failed)
        self._drop_backups(stored, failed)
        c = plan.counts()
        text = (
            f"Done: {c['new']} added, {c['changed']} updated, {c['unchanged']} unchanged, "
            f"{c['failed']} failed."
        )
        kind = "error" if c["failed"] else "ok"
        docs = self.assistant.docs()
        yield notice_html(text, kind), self._outcome(rows, stored, items), doc_rows(docs)

    @staticmethod
    def _progress(live: dict, last: str, t0: float) -> str:
        secs = time.monotonic() - t0
        tail = f"; last: {last}" if last else ""
        return notice_html(f"Indexing… {len(live)} file(s) done, {secs:.0f} s so far{tail}", "info")

    @staticmethod
    def _outcome(rows, stored, items) -> list[list]:
        out = []
        for r in rows:
            name = next((n for n, s in stored.items() if s[0] == r[0]), None)
            item = items.get(name) if name else None
            if item is None:
                out.append(r)
                continue
            word = ACTION_WORDS.get(item.action, item.action)
            detail = item.reason or (f"saved as {name}" if name != r[0] else "")
            if item.action == "unchanged":
                detail = "already in the library with the same content"
            out.append([r[0], word, item.chunks or "", detail])
        mine = set(stored)
        for src, item in items.items():
            if src not in mine and item.action != "unchanged":
                word = ACTION_WORDS.get(item.action, item.action)
                out.append([src, word, item.chunks or "", item.reason or "(library folder)"])
        return out

    @staticmethod
    def _roll_back(stored, names) -> None:
        for n in names:
            _, dest, backup = stored[n]
            try:
                if backup is not None and backup.exists():
                    shutil.move(backup, dest)
                else:
                    dest.unlink(missing_ok=True)
                    dest.with_name(dest.name + ".meta.json").unlink(missing_ok=True)
            except OSError:
                pass

    @staticmethod
    def _drop_backups(stored, failed) -> None:
        for n, (_, _, backup) in stored.items():
            if n not in failed and backup is not None:
                backup.unlink(missing_ok=True)

    # -- remove --------------------------------------------------------------------------------
    def remove(self, doc_id, request: gr.Request):
        if not self._admin(request):
            return notice_html(DENIED, "error"), gr.update(), gr.update()
        if not doc_id:
            return notice_html("Choose a document to remove.", "warn"), gr.update(), gr.update()
        try:
            rec = self.assistant.remove(doc_id, wait_s=5)
        except Exception as e:
            return notice_html(user_message(e), "error"), gr.update(), gr.update()
        note = ""
        path = Path(rec.path) if rec.path else None
        corpus = Path(self.settings.corpus).resolve()
        if path is not None and path.is_file() and corpus in path.resolve().parents:
            try:
                path.unlink()
                note = " Its file was deleted from the library folder."
            except OSError as e:
                note = f" Its file could not be deleted ({e.strerror}): it returns on re-ingest."
        docs = self.assistant.docs()
        msg = notice_html(
            f"Removed “{rec.title}” ({rec.source}, {rec.chunks} passages).{note}", "ok"
        )
        return msg, doc_rows(docs), gr.update(choices=doc_choices(docs), value=None)

    # -- layout --------------------------------------------------------------------------------
    def build(self):
        mb = f"{self.settings.max_file_mb:g}"
        self.summary_html = gr.HTML(empty_html("Loading…"), elem_id="lib-summary")
        self.docs = gr.Dataframe(
            elem_id="lib-docs",
            headers=DOC_HEADERS,
            value=[],
            interactive=False,
            wrap=True,
            max_height=360,
            label="Indexed documents",
            column_widths=["34%", "26%", "8%", "8%", "8%", "16%"],
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                self.files = gr.File(
                    elem_id="lib-upload",
                    label=f"Upload reports: PDF, DOCX, HTML, Markdown or text, up to {mb} MB each",
                    file_count="multiple",
                    type="filepath",
                    height=150,
                )
                with gr.Row():  # optional; a sidecar next to the stored file keeps them
                    self.meta_title = gr.Textbox(label="Title (optional)", elem_id="lib-title")
                    self.meta_year = gr.Textbox(label="Year", elem_id="lib-year", max_lines=1)
                    self.meta_kind = gr.Dropdown(
                        label="Kind",
                        choices=["", *REPORT_KINDS],
                        value="",
                        allow_custom_value=True,
                        elem_id="lib-kind",
                    )
                with gr.Row():
                    self.add = gr.Button("Add to library", variant="primary", elem_id="lib-add")
                    self.again = gr.Button("Re-ingest library folder", elem_id="lib-reingest")
            with gr.Column(scale=2):
                self.pick = gr.Dropdown(
                    elem_id="lib-remove-doc", label="Remove a document", choices=[], value=None
                )
                self.remove_btn = gr.Button("Remove", variant="stop", elem_id="lib-remove")
        self.status = gr.HTML("", elem_id="lib-status")
        self.outcome = gr.Dataframe(
            elem_id="lib-outcome",
            headers=OUTCOME_HEADERS,
            value=[],
            interactive=False,
            wrap=True,
            label="Outcome per file",
            column_widths=["30%", "12%", "8%", "50%"],
        )

    def wire(self, after_change):
        """`after_change`: (fn, outputs) refreshing the other tabs' document filters."""
        fn, outs = after_change
        kw = {"api_visibility": "private", "concurrency_limit": 1, "concurrency_id": "library"}
        private = {"api_visibility": "private"}
        refresh_outs = [self.docs, self.summary_html, self.pick]
        ingest_outs = [self.status, self.outcome, self.docs]
        form = [self.files, self.meta_title, self.meta_year, self.meta_kind]
        self.add.click(self.upload, form, ingest_outs, **kw).success(
            self.refresh, None, refresh_outs, **private
        ).then(fn, None, outs, **private).then(lambda: None, None, self.files, **private)
        self.again.click(self.reingest, None, ingest_outs, **kw).success(
            self.refresh, None, refresh_outs, **private
        ).then(fn, None, outs, **private)
        self.remove_btn.click(
            self.remove,
            [self.pick],
            [self.status, self.docs, self.pick],
            js="(d) => (d && confirm('Remove this document from the library?')) ? d : null",
            **kw,
        ).then(self.refresh, None, refresh_outs, **private).then(fn, None, outs, **private)


def _unique(name: str, used: set) -> str:
    if name not in used:
        used.add(name)
        return name
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, "." + ext) if dot else (name, "")
    i = 2
    while f"{stem}-{i}{ext}" in used:
        i += 1
    used.add(f"{stem}-{i}{ext}")
    return f"{stem}-{i}{ext}"
