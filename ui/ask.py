"""The Ask tab (trainees): a streamed chat with numbered citations and a passage viewer.

- The answer appears as it is produced (`Assistant.ask_stream`), its citations listed under it.
- The Sources panel lists the citations of the selected answer (the latest, or the one clicked
  in the chat); clicking one shows the verbatim passage with its neighbouring paragraphs and
  the cited sentence highlighted, and beside it the original: the PDF page as printed with the
  quote highlighted, or the section of any other document (ui/pageview.py).
- Follow-ups carry the conversation (`history`) into retrieval; the document and year filters
  are plain inputs, so they stay set until the user changes them.
- `insufficient_evidence` is shown as "The reports don't answer this", with the nearest passages.
All document text is escaped (ui.safety) before it reaches the page.
"""

from __future__ import annotations

import gradio as gr

from assistant.types import INSUFFICIENT
from ui.common import (
    cite_label,
    empty_html,
    make_filters,
    notice_html,
    passage_html,
    source_context,
    user_message,
)
from ui.pageview import SCROLL_JS, PageViewer
from ui.safety import esc, esc_md

PLACEHOLDER = (
    "### Ask the reports\n"
    "Questions are answered only from the indexed inquiry reports and serious case reviews, "
    "sentence by sentence, each with a numbered citation. Follow-up questions keep the "
    "conversation's context."
)
SOURCES_HINT = "Ask a question: its sources will be listed here. Click one to read it in context."
NEAREST = 3
MAX_SOURCES = 10
MAX_STARTERS = 4
OPEN_HINT = "Click a source to read the passage in context."
EMPTY = (
    "The library is empty. An admin can add reports in the Library tab (or run `inquiry ingest`)."
)


def _sources(turn: dict) -> list[tuple[int | None, object, str | None]]:
    """(n, passage, quote) for the turn's citations, or its nearest passages when unanswered."""
    a = turn.get("answer")
    if a is None:
        return []
    if a.status == INSUFFICIENT or not a.citations:
        return [(None, p, None) for p in a.passages[:NEAREST]]
    return [(c.n, c.passage, c.quote) for c in a.citations]


def render_turn(turn: dict) -> str:
    """The assistant's message for one finished turn, as safe Markdown."""
    if turn.get("error"):
        return f"**Could not answer.** {esc_md(turn['error'])}"
    a = turn["answer"]
    if a.status == INSUFFICIENT or not a.citations:
        lines = [
            "**The reports don't answer this.**",
            "",
            "No indexed passage contains enough of what was asked. The nearest passages:",
            "",
        ]
        lines += [f"- {esc_md(cite_label(None, p))}" for p in a.passages[:NEAREST]]
        if not a.passages:
            lines[-2] = "Nothing in the library came close."
        return "\n".join(lines)
    parts = [esc_md(a.answer).strip(), "", "**Sources**", ""]
    parts += [f"{esc_md(cite_label(c.n, c.passage))}  " for c in a.citations]
    if a.notes:
        parts += ["", "_" + esc_md("; ".join(a.notes)) + "_"]
    return "\n".join(parts).rstrip()


def render_chat(turns: list[dict], live: str | None = None) -> list[dict]:
    msgs = []
    for t in turns:
        msgs.append({"role": "user", "content": esc_md(t["q"])})
        if "answer" in t or t.get("error"):
            msgs.append({"role": "assistant", "content": render_turn(t)})
    if live is not None:
        msgs.append({"role": "assistant", "content": esc_md(live)})
    return msgs


def source_samples(turn: dict | None) -> list[list[str]]:
    if not turn:
        return []
    return [[cite_label(n, p)] for n, p, _ in _sources(turn)]


def history_of(turns: list[dict]) -> list[tuple[str, str]]:
    return [(t["q"], t["answer"].answer) for t in turns if t.get("answer") is not None]


class AskTab:
    def __init__(self, assistant):
        self.assistant = assistant
        self.viewer = PageViewer(assistant, "ask")

    def _has_docs(self) -> bool:
        try:
            return bool(self.assistant.docs())
        except Exception:
            return True  # the error at hand says more than "empty"

    # -- handlers ------------------------------------------------------------------------------
    def respond(self, question, turns, doc_ids, years):
        """Generator: the chat as it streams, then the final answer with its sources."""
        question = (question or "").strip()
        turns = list(turns or [])
        keep = [gr.update()] * (2 + MAX_SOURCES)  # shown, sources head + buttons
        if not question:
            yield render_chat(turns), turns, gr.update(), *keep, gr.update()
            return
        turn = {"q": question}
        pending = [*turns, turn]
        yield render_chat(pending), turns, "", *keep, gr.update()
        live = ""
        try:
            stream = self.assistant.ask_stream(
                question, filters=make_filters(doc_ids, years), history=history_of(turns)
            )
            for piece in stream:
                if isinstance(piece, str):
                    live += piece
                    yield render_chat(pending, live), turns, "", *keep, gr.update()
                else:
                    turn["answer"] = piece
            got = turn.get("answer")
            if got is not None and not got.passages and not self._has_docs():
                turn.pop("answer")
                turn["error"] = EMPTY
        except Exception as e:  # shown in the page, never a traceback
            turn["error"] = EMPTY if not self._has_docs() else user_message(e)
        if "answer" not in turn and not turn.get("error"):
            turn["error"] = "No answer was produced."
        turns = [*turns, turn]
        idx = len(turns) - 1
        hint = notice_html(turn["error"], "error") if turn.get("error") else empty_html(OPEN_HINT)
        yield render_chat(turns), turns, "", idx, *self.source_updates(turns, idx), hint

    @staticmethod
    def source_updates(turns, idx) -> list:
        """The Sources heading and the pool of source buttons for answer `idx`."""
        turn = turns[idx] if idx is not None and 0 <= idx < len(turns) else None
        labels = [x[0] for x in source_samples(turn)][:MAX_SOURCES]
        a = turn.get("answer") if turn else None
        if turn is None or not labels:
            head = ""
        elif a is not None and (a.status == INSUFFICIENT or not a.citations):
            head = "Nearest passages (the reports don't answer this)"
        elif idx == len(turns) - 1:
            head = "Sources"
        else:
            head = f"Sources of answer {idx + 1}"
        out = [f'<div class="ia-kicker">{esc(head)}</div>' if head else ""]
        for i in range(MAX_SOURCES):
            if i < len(labels):
                out.append(gr.Button(value=labels[i], visible=True))
            else:
                out.append(gr.Button(value="", visible=False))
        return out

    def open_source(self, i, turns, shown):
        """A clicked source: the verbatim passage, its neighbours, the cited sentence marked;
        then the original (page image or section) beside it."""
        try:
            turn = turns[shown]
            n, p, quote = _sources(turn)[int(i)]
        except (TypeError, IndexError, KeyError, ValueError):
            return [empty_html("That source is no longer available."), *self.viewer.cleared()]
        original = self.viewer.show(p, quote)
        try:
            context = source_context(self.assistant, p)
        except Exception as e:
            html = notice_html(user_message(e), "error") + passage_html([p], p.chunk_id, quote)
            return [html, *original]
        heading = f"Source [{n}]" if n is not None else "Nearest passage"
        return [passage_html(context, p.chunk_id, quote, heading), *original]

    def select_message(self, turns, evt: gr.SelectData):
        """Clicking an earlier answer in the chat lists its sources."""
        idx = evt.index if isinstance(evt.index, int) else (evt.index or [0])[0]
        turn_idx = self._turn_of_message(turns or [], int(idx))
        if turn_idx is None:
            return [gr.update()] * (3 + MAX_SOURCES)
        return [turn_idx, *self.source_updates(turns, turn_idx), empty_html(OPEN_HINT)]

    @staticmethod
    def _turn_of_message(turns, msg_index: int) -> int | None:
        i = 0
        for t_idx, t in enumerate(turns):
            i += 1  # the question
            if "answer" in t or t.get("error"):
                if msg_index in (i - 1, i):
                    return t_idx
                i += 1
        return None

    def clear(self):
        sources = self.source_updates([], None)
        return [], [], None, *sources, empty_html(SOURCES_HINT), "", *self.viewer.cleared()

    # -- layout --------------------------------------------------------------------------------
    def build(self):
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                self.chat = gr.Chatbot(
                    value=[],
                    elem_id="ask-chat",
                    label="Conversation",
                    show_label=False,
                    height=560,
                    placeholder=PLACEHOLDER,
                    latex_delimiters=[],
                    sanitize_html=True,
                    allow_tags=False,
                    feedback_options=None,
                    buttons=[],  # a copy button would copy the escaped Markdown source
                    layout="panel",
                )
                with gr.Row(equal_height=True):
                    self.question = gr.Textbox(
                        elem_id="ask-question",
                        show_label=False,
                        placeholder="Ask a question about the reports (Enter to send)",
                        lines=1,
                        max_lines=4,
                        scale=8,
                        autofocus=True,
                        container=False,
                    )
                    self.send = gr.Button(
                        "Ask", variant="primary", scale=0, min_width=90, elem_id="ask-send"
                    )
                    self.new = gr.Button("New chat", scale=0, min_width=120, elem_id="ask-new")
                self.starter_head = gr.HTML("", elem_id="ask-starters-head")
                with gr.Row(elem_id="ask-starters", elem_classes=["ia-pool", "ia-chips"]):
                    self.starters = [
                        gr.Button(
                            "",
                            visible=False,
                            size="sm",
                            scale=0,
                            elem_id=f"ask-starter-{i}",
                            elem_classes=["ia-chip"],
                        )
                        for i in range(MAX_STARTERS)
                    ]
            with gr.Column(scale=2, min_width=320):
                with gr.Accordion("Filters", open=True):
                    self.doc_filter = gr.Dropdown(
                        elem_id="ask-docs",
                        label="Documents",
                        choices=[],
                        value=[],
                        multiselect=True,
                        info="Filters stay set for follow-up questions until you change them.",
                    )
                    self.year_filter = gr.Dropdown(
                        elem_id="ask-years", label="Years", choices=[], value=[], multiselect=True
                    )
                with gr.Column(elem_id="ask-sources", elem_classes=["ia-pool"]):
                    self.source_head = gr.HTML("", elem_id="ask-sources-head")
                    self.source_btns = [
                        gr.Button(
                            "",
                            visible=False,
                            size="sm",
                            elem_id=f"ask-source-{i}",
                            elem_classes=["ia-chip", "ia-source"],
                        )
                        for i in range(MAX_SOURCES)
                    ]
                self.passage = gr.HTML(
                    empty_html(SOURCES_HINT), elem_id="ask-passage", padding=True, min_height=120
                )
                self.viewer.build()
        self.turns = gr.State([])
        self.shown = gr.State(None)
        self._wire()

    def starter_updates(self, questions: list[str]) -> list:
        head = '<div class="ia-kicker">Try asking</div>' if questions else ""
        out = [head]
        for i in range(MAX_STARTERS):
            q = questions[i] if i < len(questions) else ""
            out.append(gr.Button(value=q, visible=bool(q)))
        return out

    def _wire(self):
        ins = [self.question, self.turns, self.doc_filter, self.year_filter]
        sources = [self.source_head, *self.source_btns]
        outs = [self.chat, self.turns, self.question, self.shown, *sources, self.passage]
        kw = {"concurrency_limit": 4, "concurrency_id": "ask", "api_visibility": "private"}
        self.question.submit(self.respond, ins, outs, **kw)
        self.send.click(self.respond, ins, outs, **kw)
        for b in self.starters:
            b.click(lambda q: q, b, self.question, api_visibility="private").then(
                self.respond, ins, outs, **kw
            )
        for i, b in enumerate(self.source_btns):
            b.click(
                lambda t, s, i=i: self.open_source(i, t, s),
                [self.turns, self.shown],
                [self.passage, *self.viewer.outputs],
                api_visibility="private",
            ).then(None, js=SCROLL_JS, api_visibility="private")
        self.chat.select(
            self.select_message,
            [self.turns],
            [self.shown, *sources, self.passage],
            api_visibility="private",
        )
        clear_outs = [self.chat, self.turns, self.shown, *sources, self.passage, self.question]
        clear_outs += self.viewer.outputs
        self.new.click(self.clear, None, clear_outs, api_visibility="private")
        self.chat.clear(self.clear, None, clear_outs, api_visibility="private")


__all__ = ["AskTab", "render_chat", "render_turn"]
