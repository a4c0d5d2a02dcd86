"""The Library tab (admins only): what is indexed, upload, re-ingest, remove.

Only built when logins are configured, only shown to admins, and every handler checks the
caller's role again on the server (a hidden tab is not a permission).

Uploads: each file is checked for size (settings.max_file_mb) and type *by content* with the
same sniffer `inquiry ingest` uses (ui/uploads.py, ingest/sniff.py: PDF, DOCX, HTML or text in
UTF-8, UTF-16 or Windows-1252), stored under a sanitised name in the managed corpus folder
(settings.corpus), then the folder is ingested with `assistant.ingest([settings.corpus])`.
Progress shows while the ingest runs; the outcome is listed per file, with the reason for each
file refused or failed. A file that fails to ingest is taken out of the corpus folder again
(a replaced file gets its previous version back).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import gradio as gr

from ingest.errors import IngestError
from ingest.load import write_sidecar
from ui.auth import is_admin
from ui.common import doc_choices, empty_html, notice_html, user_message
from ui.progress import ACTION_WORDS, IngestStatus, Job, RemoveStatus
from ui.safety import inside, printable
from ui.uploads import check_upload, discard_uploads

DOC_HEADERS = ["Title", "Source", "Pages", "Chunks", "Year", "Ingested at"]
OUTCOME_HEADERS = ["File", "Outcome", "Chunks", "Detail"]
DENIED = "Only admins can change the library."
REPORT_KINDS = ["inquiry", "serious case review", "guidance", "article", "committee report"]


def doc_rows(docs) -> list[list]:
    return [
        [
            printable(d.title),
            printable(d.source),
            d.pages if d.pages is not None else "",
            d.chunks,
            d.year or "",
            (d.ingested_at or "").replace("T", " ")[:16],
        ]
        for d in docs
    ]


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
        paths = [Path(getattr(f, "name", None) or str(f)) for f in files or []]
        try:
            if not self._admin(request):
                yield notice_html(DENIED, "error"), [], gr.update()
                return
            if not paths:
                yield notice_html("Choose one or more files first.", "warn"), [], gr.update()
                return
            meta = {"title": title if len(paths) == 1 else "", "year": year, "kind": kind}
            rows, stored = self._store(paths, meta)
        finally:  # Gradio's temporary copies are not kept, whoever sent them
            discard_uploads(paths)
        if not stored:
            yield notice_html("No file was accepted.", "error"), rows, gr.update()
            return
        yield from self._ingest(rows, stored)

    def _store(self, paths: list[Path], meta: dict | None = None) -> tuple[list[list], dict]:
        """Check each upload and copy the good ones into the corpus folder."""
        corpus = Path(self.settings.corpus)
        corpus.mkdir(parents=True, exist_ok=True)
        rows, stored, used = [], {}, set()
        for path in paths:
            original = path.name
            shown = printable(original)
            name, reason = check_upload(path, original, self.settings.max_bytes)
            if name is None:
                rows.append([shown, "refused", "", reason])
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
                rows.append([shown, "refused", "", f"cannot store it: {e}"])
                continue
            try:
                write_sidecar(dest, **(meta or {}))
            except IngestError as e:
                dest.unlink(missing_ok=True)
                if backup is not None:
                    shutil.move(backup, dest)
                rows.append([shown, "refused", "", e.reason])
                continue
            stored[name] = (shown, dest, backup)
            rows.append([shown, "stored", "", f"saved as {name}; waiting to be indexed"])
        return rows, stored

    def reingest(self, request: gr.Request):
        if not self._admin(request):
            yield notice_html(DENIED, "error"), [], gr.update()
            return
        Path(self.settings.corpus).mkdir(parents=True, exist_ok=True)
        yield from self._ingest([], {})

    def _ingest(self, rows: list[list], stored: dict):
        """Run the ingest in a thread; yield (status, outcome rows, docs table) as it goes:
        the step, file i of n, passages embedded, seconds, then the keyword index rebuild."""
        corpus = Path(self.settings.corpus)
        status = IngestStatus(str(corpus))

        def work(report):
            return self.assistant.ingest(
                [corpus],
                wait_s=5,
                on_plan=lambda plan: report(("plan", plan)),
                progress=lambda item: report(("item", item)),
                on_embed=lambda n: report(("embed", n)),
                on_step=lambda step: report(("step", step)),
                on_ocr=lambda path, page, pages: report(("ocr", (Path(path).name, page, pages))),
            )

        yield notice_html(status.text(0), "info"), rows, gr.update()
        job = Job(work, "ui-ingest")
        for event in job:
            status.update(event)
            outcome = gr.update()
            if event is not None and event[0] == "item":
                outcome = self._outcome(rows, stored, status.items)
            yield notice_html(status.text(job.seconds), "info"), outcome, gr.update()
        if job.error is not None:
            self._roll_back(stored, set(stored))
            msg = user_message(job.error)
            yield notice_html(f"Indexing stopped: {msg}", "error"), rows, gr.update()
            return
        plan, _ = job.value
        items = {i.source: i for i in plan.items}
        failed = {n for n in stored if items.get(n) is not None and items[n].action == "failed"}
        self._roll_back(stored, failed)
        self._drop_backups(stored, failed)
        c = plan.counts()
        text = (
            f"Done: {c['new']} added, {c['changed']} updated, {c['unchanged']} unchanged, "
            f"{c['failed']} failed ({job.seconds:.0f} s)."
        )
        kind = "error" if c["failed"] else "ok"
        docs = self.assistant.docs()
        yield notice_html(text, kind), self._outcome(rows, stored, items), doc_rows(docs)

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
            detail = "; ".join(x for x in (detail, item.note) if x)  # what OCR read
            if item.action == "unchanged":
                detail = "already in the library with the same content"
            out.append([r[0], word, item.chunks or "", detail])
        mine = set(stored)
        for src, item in items.items():
            if src not in mine and item.action != "unchanged":
                word = ACTION_WORDS.get(item.action, item.action)
                reason = "; ".join(x for x in (item.reason or "(library folder)", item.note) if x)
                out.append([printable(src), word, item.chunks or "", reason])
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
        """Remove one document; returns the final (status, docs, pick) (see remove_live)."""
        *_, last = self.remove_live(doc_id, request)
        return last

    def remove_live(self, doc_id, request: gr.Request):
        """Remove a document from the index and its file from the library folder, yielding
        (status, docs, pick): what is being done and for how long, then what happened to the
        document and to its file."""
        if not self._admin(request):
            yield notice_html(DENIED, "error"), gr.update(), gr.update()
            return
        if not doc_id:
            yield notice_html("Choose a document to remove.", "warn"), gr.update(), gr.update()
            return
        try:
            rec = self.assistant.find_doc(doc_id)
        except Exception as e:
            yield notice_html(user_message(e), "error"), gr.update(), gr.update()
            return
        status = RemoveStatus(printable(rec.title), printable(rec.source), rec.chunks)
        yield notice_html(status.text(0), "info"), gr.update(), gr.update()
        job = Job(lambda report: self._remove(doc_id, report))
        for event in job:
            status.update(event)
            yield notice_html(status.text(job.seconds), "info"), gr.update(), gr.update()
        if job.error is not None:
            yield notice_html(user_message(job.error), "error"), gr.update(), gr.update()
            return
        rec, note = job.value
        docs = self.assistant.docs()
        msg = notice_html(
            f"Removed “{printable(rec.title)}” ({printable(rec.source)}, {rec.chunks} passages) "
            f"in {job.seconds:.0f} s.{note}",
            "ok",
        )
        yield msg, doc_rows(docs), gr.update(choices=doc_choices(docs), value=None)

    def _remove(self, doc_id, report) -> tuple:
        """(record, what happened to its file): the app's Remove also deletes the file, when
        it is still the file that was ingested, in the folder it was ingested from."""
        done = self.assistant.remove(doc_id, delete_file=True, wait_s=5, on_step=report)
        return done.record, " " + printable(done.file_note(""))

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
        self.add.click(
            self.upload,
            form,
            ingest_outs,
            js=_say("Uploading…", "(f, t, y, k) => [f, t, y, k]"),
            **kw,
        ).success(self.refresh, None, refresh_outs, **private).then(fn, None, outs, **private).then(
            lambda: None, None, self.files, **private
        )
        self.again.click(
            self.reingest, None, ingest_outs, js=_say("Starting…", "() => []"), **kw
        ).success(self.refresh, None, refresh_outs, **private).then(fn, None, outs, **private)
        confirm = "(d) => (d && confirm('Remove this document from the library?')) ? d : null"
        self.remove_btn.click(
            self.remove_live,
            [self.pick],
            [self.status, self.docs, self.pick],
            js=_say("Starting…", confirm),
            **kw,
        ).then(self.refresh, None, refresh_outs, **private).then(fn, None, outs, **private)


def _say(text: str, then: str) -> str:
    """Browser-side: replace the last outcome in the status line with `text` the moment the
    button is pressed (the server's first word takes a round trip), then run `then`."""
    return (
        "(...a) => { const r = (" + then + ")(...a);"
        " if (r !== null) document.querySelectorAll('#lib-status .ia-notice')"
        f".forEach(n => {{ n.textContent = {text!r}; n.className = 'ia-notice ia-info'; }});"
        " return r; }"
    )


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
