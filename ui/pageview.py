"""The original beside the passage (Ask and Excerpts): for a PDF, the cited page as printed with
the quote highlighted (assistant/pageview.py), with previous / next page and the printed page
label; for HTML, Markdown, reStructuredText, DOCX and text, the passage's section as the
document reads, headings and paragraphs, the quote highlighted and scrolled into view.

Pages render one at a time, when asked, and are cached (a 500-page report costs one page).
When the highlight cannot be placed the image says so, and so does the caption.
"""

from __future__ import annotations

import gradio as gr

from ingest.display import display, display_text
from ui.common import empty_html, notice_html, user_message
from ui.safety import esc, find_quote

SECTION_AROUND = 12  # chunks read either side of the passage to rebuild its section
SCROLL_JS = """(...args) => {
  for (const id of ['ask-page-section', 'ex-page-section']) {
    const m = document.querySelector('#' + id + ' mark');
    if (m) m.scrollIntoView({block: 'center'});
  }
  return args;
}"""


def section_of(context, focus_id: str) -> list:
    """The run of passages around `focus_id` that share its section, in document order."""
    at = next((i for i, p in enumerate(context) if p.chunk_id == focus_id), None)
    if at is None:
        return list(context)
    section = context[at].section
    lo = at
    while lo > 0 and context[lo - 1].section == section:
        lo -= 1
    hi = at
    while hi + 1 < len(context) and context[hi + 1].section == section:
        hi += 1
    return context[lo : hi + 1]


def section_html(passages, focus_id: str, quote: str | None, fmt: str) -> str:
    """The section as the document shows it: headings as headings, paragraphs as paragraphs in
    their display form (no markup), the quote marked in the cited passage, escaped."""
    if not passages:
        return empty_html("No section to show.")
    out = []
    for p in passages:
        focus = p.chunk_id == focus_id
        span = (find_quote(p.text, quote) if quote else (0, len(p.text))) if focus else None
        paras, pos = [], 0
        for block in p.text.split("\n\n"):
            a, pos = pos, pos + len(block) + 2
            if p.section and block.strip() == p.section.strip():
                paras.append(f"<h3>{esc(display_text(block))}</h3>")
            elif span and span[0] < a + len(block) and span[1] > a:
                marked = _marked(block, max(span[0] - a, 0), min(span[1] - a, len(block)))
                paras.append(f"<p>{marked}</p>")
            else:
                paras.append(f"<p>{esc(display_text(block))}</p>")
        cls = "ia-doc-focus" if focus else "ia-doc-part"
        out.append(f'<div class="{cls}">{"".join(paras)}</div>')
    first = passages[0]
    head = f"{esc(first.title)} · {esc(fmt.upper())} · section: {esc(first.section or '(none)')}"
    return f'<div class="ia-doc"><div class="ia-kicker">{head}</div>{"".join(out)}</div>'


class PageViewer:
    """Components and handlers of the page view; `prefix` names its elements (ask, ex)."""

    def __init__(self, assistant, prefix: str):
        self.assistant = assistant
        self.prefix = prefix

    def build(self):
        p = self.prefix
        with gr.Column(elem_id=f"{p}-page", elem_classes=["ia-page"]):
            self.caption = gr.HTML("", elem_id=f"{p}-page-caption")
            with gr.Row(visible=False) as self.nav:
                self.prev = gr.Button("◀ Previous page", size="sm", elem_id=f"{p}-page-prev")
                self.next = gr.Button("Next page ▶", size="sm", elem_id=f"{p}-page-next")
            self.image = gr.Image(
                None,
                type="pil",
                format="png",
                interactive=False,
                show_label=False,
                visible=False,
                buttons=["download", "fullscreen"],
                elem_id=f"{p}-page-image",
            )
            self.section = gr.HTML("", elem_id=f"{p}-page-section", elem_classes=["ia-doc-box"])
        self.state = gr.State(None)
        private = {"api_visibility": "private"}
        self.prev.click(lambda s: self.step(s, -1), self.state, self.outputs, **private)
        self.next.click(lambda s: self.step(s, +1), self.state, self.outputs, **private)

    @property
    def outputs(self) -> list:
        return [self.state, self.caption, self.nav, self.image, self.section]

    def cleared(self) -> list:
        return [None, "", gr.Row(visible=False), gr.Image(value=None, visible=False), ""]

    def show(self, passage, quote: str | None) -> list:
        """The original of `passage`: its PDF page, or its section."""
        try:
            record = self.assistant.catalogue().get(passage.doc_id)
            fmt = (record.format if record else "") or ""
            if fmt != "pdf":
                return self._section(passage, quote, fmt)
            chunk_id = passage.chunk_ids[0] if quote is None else _chunk_of(passage, quote)
            return self._page({"chunk_id": chunk_id, "quote": quote, "page": None})
        except Exception as e:  # shown in the page, never a traceback
            return [None, notice_html(user_message(e), "error"), *self.cleared()[2:]]

    def step(self, state, delta: int) -> list:
        if not state:
            return self.cleared()
        page = min(max(1, int(state["page"]) + delta), int(state["pages"]))
        return self._page({**state, "page": page})

    def _page(self, state: dict) -> list:
        try:
            view = self.assistant.page_view(state["chunk_id"], state["quote"], state["page"])
        except Exception as e:
            return [state, notice_html(user_message(e), "error"), *self.cleared()[2:]]
        state = {**state, "page": view.page, "pages": view.pages}
        kind = "warn" if view.placed in ("none", "part") and view.page == view.quote_page else ""
        ocr = " Text of this page was read by OCR." if view.ocr else ""
        caption = f'<div class="ia-page-caption">{esc(view.caption() + ocr)}</div>'
        if kind:
            caption = notice_html(view.caption() + ocr, kind)
        return [
            state,
            caption,
            gr.Row(visible=True),
            gr.Image(value=_load(view.png), visible=True),
            "",
        ]

    def _section(self, passage, quote, fmt: str) -> list:
        focus = _chunk_of(passage, quote) if quote else passage.chunk_ids[0]
        context = self.assistant.context(focus, around=SECTION_AROUND)
        html = section_html(section_of(context, focus), focus, quote, fmt or "text")
        return [None, "", gr.Row(visible=False), gr.Image(value=None, visible=False), html]


def _marked(block: str, start: int, end: int) -> str:
    """The block as displayed (emphasis markers, footnote marks and line-end hyphens gone,
    ingest/display.py), escaped, with the characters from source offsets start-end marked."""
    clean, offsets = display(block)
    out, inside = [], False
    for ch, at in zip(clean, offsets):
        want = start <= at < end
        if want != inside:
            out.append("<mark>" if want else "</mark>")
            inside = want
        out.append(esc(ch))
    return "".join(out) + ("</mark>" if inside else "")


def _load(png: str):
    """The cached PNG as an image: Gradio copies it to its own cache (the data directory is
    never served)."""
    from PIL import Image

    with Image.open(png) as im:
        return im.copy()


def _chunk_of(passage, quote: str) -> str:
    """The chunk of a (merged) passage that holds the quote: its page is the quote's."""
    for part in passage.parts or (passage,):
        if quote and quote in part.text:
            return part.chunk_id
    return passage.chunk_id
