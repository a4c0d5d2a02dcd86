"""The Reports tab: what the reports recommended, found and recorded, and what they say on a
theme. Three views, each a table of verbatim items with their citations:

- **Recommendations** (or findings), per report or across reports, searchable; recommendations
  of other reports that make the same point are shown with their similarity;
- **Timeline**: dated events of one or several reports in date order;
- **Themes**: a grid of reports × themes, each cell the report's best cited sentence or "not
  found in this report".

Clicking a row (or a grid cell) shows the passage it is from, with its neighbours and the item
highlighted; "Export" writes what the table shows as CSV and Markdown, with citations.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timezone
from pathlib import Path

import gradio as gr

from assistant.derive.patterns import THEMES
from ui.common import (
    chosen_docs,
    empty_html,
    notice_html,
    passage_html,
    source_context,
    user_message,
)
from ui.derived_export import cells_csv, items_csv, items_markdown

REG_HEADERS = ["#", "Report", "No.", "Para", "Page", "Addressed to", "Text"]
TL_HEADERS = ["#", "Date", "Precision", "Report", "Para", "Page", "Event"]
HINT = "Click a row to read the passage it is from."
NOT_FOUND = "not found in this report"
VIEWS = ("Recommendations", "Timeline", "Themes")
CSS = (
    ".rp-table * {font-family: var(--font) !important;} "
    ".rp-table .body-cell {font-size: .9rem;} .rp-table .header-icons {display: none;}"
)


def register_rows(items) -> list[list]:
    return [
        [n, i.title, i.number or "", i.para or "", i.page_text(), i.addressee or "", i.text]
        for n, i in enumerate(items, 1)
    ]


def timeline_rows(items) -> list[list]:
    return [
        [n, i.date, i.precision, i.title, i.para or "", i.page_text(), i.text]
        for n, i in enumerate(items, 1)
    ]


def grid_rows(cells_by_theme: dict[str, list]) -> tuple[list[str], list[list]]:
    """Headers and rows of the theme grid: one row per report, one column per theme."""
    themes = list(cells_by_theme)
    headers = ["Report", *themes]
    first = cells_by_theme[themes[0]] if themes else []
    rows = []
    for r, cell in enumerate(first):
        row = [cell.title]
        for t in themes:
            c = cells_by_theme[t][r]
            row.append(f"{c.excerpt}\n— {c.citation()}" if c.found else NOT_FOUND)
        rows.append(row)
    return headers, rows


class ReportsTab:
    def __init__(self, assistant, export_dir: Path | None = None):
        from assistant.derive.service import Derived

        self.derived = Derived(assistant)
        self.assistant = assistant
        self.export_dir = Path(export_dir or tempfile.mkdtemp(prefix="inquiry-reports-"))

    # -- handlers ------------------------------------------------------------------------------
    def show_register(self, kind, doc_ids, query):
        kind = "findings" if (kind or "").lower().startswith("find") else "recommendations"
        try:
            items = self.derived.register(kind, chosen_docs(doc_ids) or None, query or None)
        except Exception as e:
            return [], [], notice_html(user_message(e), "error")
        word = kind[:-1]
        reports = len({i.doc_id for i in items})
        msg = (
            empty_html(f"{len(items)} {word}(s) from {reports} report(s). {HINT}")
            if items
            else notice_html(f"No {word}s found in the chosen reports.", "warn")
        )
        return items, register_rows(items), msg

    def show_timeline(self, doc_ids, date_from, date_to, query):
        try:
            items = self.derived.timeline(
                chosen_docs(doc_ids) or None,
                (date_from or "").strip() or None,
                (date_to or "").strip() or None,
                query or None,
            )
        except Exception as e:
            return [], [], notice_html(user_message(e), "error")
        msg = (
            empty_html(f"{len(items)} dated event(s), in date order. {HINT}")
            if items
            else notice_html("No dated events in the chosen reports and dates.", "warn")
        )
        return items, timeline_rows(items), msg

    def show_grid(self, themes, doc_ids):
        themes = [t for t in (themes or []) if t and t.strip()]
        if not themes:
            return {}, gr.update(value=[]), notice_html("Choose or type a theme.", "warn")
        try:
            cells = {t: self.derived.themes(t, chosen_docs(doc_ids) or None) for t in themes}
        except Exception as e:
            return {}, gr.update(value=[]), notice_html(user_message(e), "error")
        headers, rows = grid_rows(cells)
        found = sum(c.found for cs in cells.values() for c in cs)
        total = sum(len(cs) for cs in cells.values())
        msg = empty_html(
            f"{found} of {total} cells cited; the others: {NOT_FOUND}. "
            "Click a cell to read the passage it is from."
        )
        return cells, gr.update(value=rows, headers=headers), msg

    def detail(self, item_or_passage, quote: str, heading: str):
        try:
            p = item_or_passage.passage() if hasattr(item_or_passage, "passage") else None
            p = p or item_or_passage
            context = source_context(self.assistant, p)
        except Exception:
            context = [p]
        return passage_html(context, p.chunk_id, quote, heading)

    def pick_item(self, items, evt: gr.SelectData):
        row = evt.row_value or []
        try:
            item = items[int(row[0]) - 1]
        except (TypeError, ValueError, IndexError):
            return gr.update(), gr.update(), gr.update()
        html = self.detail(item, item.text, f"{item.kind.title()} {item.number or ''}".strip())
        similar = ""
        if item.kind == "recommendation":
            links = [
                link
                for link in self.derived.links(self._all_recommendations())
                if item in (link.item, link.other)
            ][:5]
            if links:
                lines = [
                    f"{(link.other if link.item is item else link.item).citation()} "
                    f"(similarity {link.similarity:.2f})"
                    for link in links
                ]
                similar = "Similar recommendations in other reports:\n" + "\n".join(lines)
        return html, item.citation(), similar

    def pick_event(self, items, evt: gr.SelectData):
        return self.pick_item(items, evt)[:2]

    def _all_recommendations(self):
        return self.derived.register("recommendations")

    def pick_cell(self, cells, evt: gr.SelectData):
        try:
            r, c = evt.index
            theme = list(cells)[int(c) - 1]
            cell = cells[theme][int(r)]
        except (TypeError, ValueError, IndexError, KeyError):
            return gr.update(), gr.update()
        if not cell.found:
            return empty_html(f"{cell.title}: “{theme}” {NOT_FOUND}."), ""
        from assistant.types import Passage

        p = Passage(
            chunk_id=cell.chunk_id,
            doc_id=cell.doc_id,
            source=cell.source,
            title=cell.title,
            text=cell.excerpt,
            page=cell.page,
            page_label=cell.page_label,
            para=cell.para,
            section=cell.section,
        )
        return self.detail(p, cell.excerpt, f"Theme: {theme}"), cell.citation()

    def export_items(self, items, what: str):
        if not items:
            gr.Warning("Nothing to export: show some items first.")
            return gr.File(value=None, visible=False)
        now = datetime.now(timezone.utc)
        folder = Path(tempfile.mkdtemp(prefix=now.strftime("%Y%m%d-%H%M%S-"), dir=self.export_dir))
        stem = f"{what}-{now:%Y%m%d-%H%M%S}"
        csv_path, md_path = folder / f"{stem}.csv", folder / f"{stem}.md"
        csv_path.write_text(items_csv(items), encoding="utf-8")
        md_path.write_text(items_markdown(items, what.title(), now), encoding="utf-8")
        return gr.File(value=[str(csv_path), str(md_path)], visible=True)

    def export_grid(self, cells):
        flat = [c for cs in (cells or {}).values() for c in cs]
        if not flat:
            gr.Warning("Nothing to export: show a theme grid first.")
            return gr.File(value=None, visible=False)
        now = datetime.now(timezone.utc)
        folder = Path(tempfile.mkdtemp(prefix=now.strftime("%Y%m%d-%H%M%S-"), dir=self.export_dir))
        path = folder / f"themes-{now:%Y%m%d-%H%M%S}.csv"
        path.write_text(cells_csv(flat), encoding="utf-8")
        return gr.File(value=[str(path)], visible=True)

    # -- layout --------------------------------------------------------------------------------
    def build(self):
        private = {"api_visibility": "private"}
        gr.HTML(f"<style>{CSS}</style>", padding=False)
        self.view = gr.Radio(
            list(VIEWS), value="Recommendations", show_label=False, elem_id="rp-view"
        )
        with gr.Column(visible=True, elem_id="rp-recs") as recs_col:
            with gr.Row(equal_height=True):
                self.kind = gr.Radio(
                    ["Recommendations", "Findings"],
                    value="Recommendations",
                    show_label=False,
                    elem_id="rp-kind",
                    scale=2,
                )
                self.reg_docs = gr.Dropdown(
                    label="Reports (none: all)",
                    choices=[],
                    value=[],
                    multiselect=True,
                    elem_id="rp-reg-docs",
                    scale=4,
                )
                self.reg_query = gr.Textbox(
                    label="Search", placeholder="words to find", elem_id="rp-reg-query", scale=3
                )
                self.reg_go = gr.Button("Show", variant="primary", elem_id="rp-reg-go", scale=1)
            self.reg_status = gr.HTML(empty_html(HINT), elem_id="rp-reg-status")
            self.reg_table = self._table(
                "rp-reg-table", REG_HEADERS, ["4%", "14%", "5%", "6%", "5%", "13%", "53%"]
            )
            with gr.Row():
                self.reg_export = gr.Button("Export as CSV + Markdown", elem_id="rp-reg-export")
            self.reg_files = self._files("rp-reg-files")
            self.reg_cite = gr.Textbox(
                label="Citation", buttons=["copy"], interactive=False, elem_id="rp-reg-cite"
            )
            self.reg_similar = gr.Textbox(
                label="Same concern in other reports",
                interactive=False,
                lines=2,
                elem_id="rp-reg-similar",
            )
            self.reg_detail = gr.HTML("", elem_id="rp-reg-detail", elem_classes=["ia-detail"])
        with gr.Column(visible=False, elem_id="rp-timeline") as tl_col:
            with gr.Row(equal_height=True):
                self.tl_docs = gr.Dropdown(
                    label="Reports (none: all)",
                    choices=[],
                    value=[],
                    multiselect=True,
                    elem_id="rp-tl-docs",
                    scale=4,
                )
                self.tl_from = gr.Textbox(
                    label="From", placeholder="YYYY[-MM[-DD]]", elem_id="rp-tl-from", scale=1
                )
                self.tl_to = gr.Textbox(
                    label="To", placeholder="YYYY[-MM[-DD]]", elem_id="rp-tl-to", scale=1
                )
                self.tl_query = gr.Textbox(label="Search", elem_id="rp-tl-query", scale=2)
                self.tl_go = gr.Button("Show", variant="primary", elem_id="rp-tl-go", scale=1)
            self.tl_status = gr.HTML(empty_html(HINT), elem_id="rp-tl-status")
            self.tl_table = self._table(
                "rp-tl-table", TL_HEADERS, ["4%", "9%", "7%", "14%", "6%", "5%", "55%"]
            )
            self.tl_export = gr.Button("Export as CSV + Markdown", elem_id="rp-tl-export")
            self.tl_files = self._files("rp-tl-files")
            self.tl_cite = gr.Textbox(
                label="Citation", buttons=["copy"], interactive=False, elem_id="rp-tl-cite"
            )
            self.tl_detail = gr.HTML("", elem_id="rp-tl-detail", elem_classes=["ia-detail"])
        with gr.Column(visible=False, elem_id="rp-themes-view") as th_col:
            with gr.Row(equal_height=True):
                self.themes = gr.Dropdown(
                    label="Themes (choose or type)",
                    choices=list(THEMES),
                    value=["information sharing"],
                    multiselect=True,
                    allow_custom_value=True,
                    elem_id="rp-themes",
                    scale=5,
                )
                self.th_docs = gr.Dropdown(
                    label="Reports (none: all)",
                    choices=[],
                    value=[],
                    multiselect=True,
                    elem_id="rp-th-docs",
                    scale=4,
                )
                self.th_go = gr.Button("Show grid", variant="primary", elem_id="rp-th-go")
            self.th_status = gr.HTML(empty_html(HINT), elem_id="rp-th-status")
            self.grid = self._table("rp-grid", ["Report", "information sharing"])
            self.th_export = gr.Button("Export grid as CSV", elem_id="rp-th-export")
            self.th_files = self._files("rp-th-files")
            self.th_cite = gr.Textbox(
                label="Citation", buttons=["copy"], interactive=False, elem_id="rp-th-cite"
            )
            self.th_detail = gr.HTML("", elem_id="rp-th-detail", elem_classes=["ia-detail"])
        cols = [recs_col, tl_col, th_col]
        self.view.change(
            lambda v: [gr.update(visible=v == name) for name in VIEWS], self.view, cols, **private
        )
        self.reg_items = gr.State([])
        self.tl_items = gr.State([])
        self.cells = gr.State({})
        self.doc_filters = [self.reg_docs, self.tl_docs, self.th_docs]
        reg_in = [self.kind, self.reg_docs, self.reg_query]
        reg_out = [self.reg_items, self.reg_table, self.reg_status]
        for trigger in (self.reg_go.click, self.reg_query.submit, self.kind.change):
            trigger(self.show_register, reg_in, reg_out, **private)
        self.reg_table.select(
            self.pick_item,
            [self.reg_items],
            [self.reg_detail, self.reg_cite, self.reg_similar],
            **private,
        )
        self.reg_export.click(
            lambda items, kind: self.export_items(items, (kind or "recommendations").lower()),
            [self.reg_items, self.kind],
            self.reg_files,
            **private,
        )
        tl_in = [self.tl_docs, self.tl_from, self.tl_to, self.tl_query]
        tl_out = [self.tl_items, self.tl_table, self.tl_status]
        for trigger in (self.tl_go.click, self.tl_query.submit):
            trigger(self.show_timeline, tl_in, tl_out, **private)
        self.tl_table.select(
            self.pick_event,
            [self.tl_items],
            [self.tl_detail, self.tl_cite],
            **private,
        )
        self.tl_export.click(
            lambda items: self.export_items(items, "timeline"),
            [self.tl_items],
            self.tl_files,
            **private,
        )
        self.th_go.click(
            self.show_grid,
            [self.themes, self.th_docs],
            [self.cells, self.grid, self.th_status],
            **private,
        )
        self.grid.select(self.pick_cell, [self.cells], [self.th_detail, self.th_cite], **private)
        self.th_export.click(self.export_grid, [self.cells], self.th_files, **private)

    @staticmethod
    def _table(elem_id: str, headers: list[str], widths: list[str] | None = None):
        return gr.Dataframe(
            elem_id=elem_id,
            headers=headers,
            value=[],
            type="array",
            interactive=False,
            wrap=True,
            max_height=520,
            show_label=False,
            column_widths=widths,
            elem_classes=["rp-table"],
        )

    @staticmethod
    def _files(elem_id: str):
        return gr.File(
            label="Exported files",
            file_count="multiple",
            interactive=False,
            elem_id=elem_id,
            visible=False,
        )
