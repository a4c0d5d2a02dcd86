"""The Excerpts tab (reviewers): search, a table of verbatim excerpts, selection and export.

Each row carries title, page label, paragraph, section and score; ticking rows and pressing
"Export selected" writes a CSV and a Markdown file, each excerpt with its full citation string.
Clicking a row shows the excerpt in full with its citation and copy buttons, and beside it the
original: its PDF page as printed, highlighted, or its section (ui/pageview.py).

Ticks live on the server only (`ticks`, the '#' of every ticked row). The table is read-only
in the browser: a click anywhere in the tick column asks the server to flip that row, and the
table is redrawn from `ticks`. Every click is queued (trigger_mode "multiple") and the tick,
"Select all" and "Select none" handlers share one queue of width one, so quick clicks are
applied one after another, each exactly once, and no redraw races a toggle made by the page.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timezone
from pathlib import Path

import gradio as gr

from ui.common import (
    empty_html,
    make_filters,
    notice_html,
    passage_html,
    source_context,
    user_message,
)
from ui.export import page_of, to_csv, to_markdown
from ui.pageview import SCROLL_JS, PageViewer

HEADERS = ["✓", "#", "Title", "Page", "Para", "Section", "Score", "Excerpt"]
DATATYPES = ["bool", "number", "str", "str", "str", "str", "number", "str"]
DETAIL_HINT = "Click a row to see the excerpt in full, with its citation to copy."


def table_rows(passages, selected: set[int] | None = None) -> list[list]:
    selected = selected or set()
    return [
        [
            i in selected,
            i,
            p.title,
            page_of(p),
            p.para or "",
            p.section or "",
            round(float(p.score), 3),
            p.text,
        ]
        for i, p in enumerate(passages, 1)
    ]


class ExcerptsTab:
    def __init__(self, assistant, export_dir: Path | None = None):
        self.assistant = assistant
        self.export_dir = Path(export_dir or tempfile.mkdtemp(prefix="inquiry-exports-"))
        self.viewer = PageViewer(assistant, "ex")

    # -- handlers ------------------------------------------------------------------------------
    def search(self, query, doc_ids, years, k):
        query = (query or "").strip()
        if not query:
            return [], [], gr.update(), notice_html("Type what to search for.", "warn"), "", ""
        try:
            passages = self.assistant.search(query, k=int(k), filters=make_filters(doc_ids, years))
        except Exception as e:
            return [], [], [], notice_html(user_message(e), "error"), "", ""
        if not passages:
            msg = notice_html("No excerpts match. Try other words or clear the filters.", "warn")
        else:
            msg = empty_html(DETAIL_HINT)
        return passages, table_rows(passages), query, msg, "", ""

    @staticmethod
    def set_all(results, value: bool):
        """(table, ticks) with every row ticked, or none."""
        ticks = list(range(1, len(results or []) + 1)) if value else []
        return table_rows(results or [], set(ticks)), ticks

    @staticmethod
    def tick(results, ticks, evt: gr.SelectData):
        """(table, ticks) after a click on a cell: in the tick column it flips that row."""
        index = evt.index if isinstance(evt.index, (list, tuple)) else [evt.index, None]
        if len(index) < 2 or index[1] != 0:
            return gr.update(), ticks
        row = evt.row_value or []
        try:
            number = int(row[1])
        except (TypeError, ValueError, IndexError):
            return gr.update(), ticks
        if not 0 < number <= len(results or []):
            return gr.update(), ticks
        after = set(ticks or []) ^ {number}
        return table_rows(results, after), sorted(after)

    def show(self, results, evt: gr.SelectData):
        row = evt.row_value or []
        index = evt.index if isinstance(evt.index, (list, tuple)) else [evt.index]
        if len(index) > 1 and index[1] == 0:  # a tick: the tick handler's, not a page to show
            return [gr.update()] * (3 + len(self.viewer.outputs))
        try:
            p = results[int(row[1]) - 1]
        except (TypeError, ValueError, IndexError):
            return [gr.update()] * (3 + len(self.viewer.outputs))
        try:
            context = source_context(self.assistant, p)
        except Exception:
            context = [p]
        html = passage_html(context, p.chunk_id, p.text, f"Excerpt {row[1]}")
        cite = p.citation()
        return [html, cite, f"“{p.text.strip()}” ({cite})", *self.viewer.show(p, None)]

    def export(self, ticks, results, query):
        numbers = sorted(set(ticks or []))
        chosen = [results[n - 1] for n in numbers if 0 < n <= len(results or [])]
        if not chosen:
            gr.Warning("Tick at least one excerpt (or press “Select all”) before exporting.")
            msg = notice_html("Nothing selected: tick the excerpts to export.", "warn")
            return gr.File(value=None, visible=False), msg
        now = datetime.now(timezone.utc)
        folder = Path(tempfile.mkdtemp(prefix=now.strftime("%Y%m%d-%H%M%S-"), dir=self.export_dir))
        stem = f"excerpts-{now:%Y%m%d-%H%M%S}"
        csv_path = folder / f"{stem}.csv"
        md_path = folder / f"{stem}.md"
        csv_path.write_text(to_csv(chosen), encoding="utf-8")
        md_path.write_text(to_markdown(chosen, query or "", now), encoding="utf-8")
        msg = notice_html(f"Exported {len(chosen)} excerpt(s) as CSV and Markdown.", "ok")
        return gr.File(value=[str(csv_path), str(md_path)], visible=True), msg

    # -- layout --------------------------------------------------------------------------------
    def build(self):
        with gr.Row(equal_height=True):
            self.query = gr.Textbox(
                elem_id="ex-query",
                show_label=False,
                placeholder="Search the reports for excerpts (Enter to search)",
                scale=8,
                container=False,
            )
            self.go = gr.Button("Search", variant="primary", scale=1, elem_id="ex-search")
        with gr.Row():
            self.doc_filter = gr.Dropdown(
                elem_id="ex-docs",
                label="Documents",
                choices=[],
                value=[],
                multiselect=True,
                scale=3,
            )
            self.year_filter = gr.Dropdown(
                elem_id="ex-years", label="Years", choices=[], value=[], multiselect=True, scale=1
            )
            self.k = gr.Slider(5, 50, value=15, step=1, label="Results", scale=1, elem_id="ex-k")
        self.table = gr.Dataframe(
            elem_id="ex-table",
            headers=HEADERS,
            datatype=DATATYPES,
            value=[],
            type="array",
            interactive=False,  # ticks are the server's (see the module docstring)
            wrap=True,
            max_height=560,
            column_widths=["4%", "4%", "16%", "6%", "7%", "14%", "6%", "43%"],
            label="Excerpts",
            show_label=False,
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=360):
                self.status = gr.HTML(empty_html(DETAIL_HINT), elem_id="ex-status")
                with gr.Row():
                    self.all = gr.Button("Select all", size="sm", elem_id="ex-all")
                    self.none = gr.Button("Select none", size="sm", elem_id="ex-none")
                self.export_btn = gr.Button(
                    "Export selected as CSV + Markdown", variant="primary", elem_id="ex-export"
                )
                self.files = gr.File(
                    label="Exported files",
                    file_count="multiple",
                    interactive=False,
                    elem_id="ex-files",
                    visible=False,
                )
            with gr.Column(scale=3, min_width=420):
                self.citation = gr.Textbox(
                    label="Citation", buttons=["copy"], interactive=False, elem_id="ex-citation"
                )
                self.quote = gr.Textbox(
                    label="Excerpt with citation",
                    buttons=["copy"],
                    interactive=False,
                    lines=2,
                    max_lines=6,
                    elem_id="ex-quote",
                )
                self.detail = gr.HTML("", elem_id="ex-detail", elem_classes=["ia-detail"])
                self.viewer.build()
        self.results = gr.State([])
        self.last_query = gr.State("")
        self.ticks = gr.State([])
        self._wire()

    def _wire(self):
        ins = [self.query, self.doc_filter, self.year_filter, self.k]
        outs = [self.results, self.table, self.last_query, self.status, self.citation, self.quote]
        kw = {"api_visibility": "private", "concurrency_limit": 4, "concurrency_id": "ask"}
        private = {"api_visibility": "private"}
        for trigger in (self.query.submit, self.go.click):
            trigger(self.search, ins, outs, **kw).then(
                lambda: ("", [], *self.viewer.cleared()),
                None,
                [self.detail, self.ticks, *self.viewer.outputs],
                **private,
            )
        both = [self.table, self.ticks]
        queued = {"trigger_mode": "multiple", "concurrency_limit": 1, "concurrency_id": "ticks"}
        queued.update(private, show_progress="hidden")
        self.all.click(lambda r: self.set_all(r, True), self.results, both, **queued)
        self.none.click(lambda r: self.set_all(r, False), self.results, both, **queued)
        self.table.select(self.tick, [self.results, self.ticks], both, **queued)
        self.table.select(
            self.show,
            [self.results],
            [self.detail, self.citation, self.quote, *self.viewer.outputs],
            api_visibility="private",
        ).then(None, js=SCROLL_JS, api_visibility="private")
        self.export_btn.click(
            self.export,
            [self.ticks, self.results, self.last_query],
            [self.files, self.status],
            api_visibility="private",
            concurrency_limit=1,
            concurrency_id="ticks",  # after the clicks made before it
        )
