"""Human-readable output for the CLI: plans, summaries, answers, passages, documents."""

from __future__ import annotations

import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

from assistant.types import INSUFFICIENT, Answer, Passage
from ui.safety import printable


def print_plan(plan) -> str:
    lines = [
        f"{i.action:9} {printable(i.source)}" + (f"  ({printable(i.reason)})" if i.reason else "")
        for i in plan.items
    ]
    counts = ", ".join(f"{v} {k}" for k, v in plan.counts().items())
    return "\n".join(lines + [f"plan: {counts} (dry run: nothing changed)"])


def print_summary(plan, seconds: float, embedded: int) -> str:
    rows = [f"{'action':9} {'chunks':>6} {'secs':>6}  source"]
    for i in plan.items:
        reason = f"  -> {printable(i.reason)}" if i.reason else ""
        reason += f"  ({printable(i.note)})" if i.note else ""
        rows.append(f"{i.action:9} {i.chunks:6d} {i.seconds:6.1f}  {printable(i.source)}{reason}")
    c = plan.counts()
    total = sum(i.chunks for i in plan.items if i.action in ("new", "changed"))
    rows.append(
        f"added {c['new']} / updated {c['changed']} / unchanged {c['unchanged']} / "
        f"removed {c['removed']} / failed {c['failed']}; {total} chunks written, "
        f"{embedded} embedded, {seconds:.1f} s"
    )
    return "\n".join(rows)


class Progress:
    """Two tqdm bars on stderr: files (with ETA once the plan is known) and chunks embedded."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.files = self.chunks = None

    def on_plan(self, plan) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        work = [i for i in plan.items if i.action != "unchanged"]
        self.files = tqdm(total=len(work), unit="file", file=sys.stderr, position=0)
        self.chunks = tqdm(unit="chunk", file=sys.stderr, position=1, desc="embedded")

    def on_item(self, item) -> None:
        if self.files is not None and item.action != "unchanged":
            self.files.set_postfix_str(f"{item.action} {printable(item.source)[-40:]}")
            self.files.update(1)

    def on_embed(self, n: int) -> None:
        if self.chunks is not None:
            self.chunks.update(n)

    def on_ocr(self, path: str, page: int, pages: int) -> None:
        """One line per scanned page, as OCR starts on it (2-3 s a page)."""
        if not self.enabled:
            return
        from tqdm import tqdm

        tqdm.write(f"OCR {printable(Path(path).name)}: page {page} of {pages}", file=sys.stderr)

    def close(self) -> None:
        for bar in (self.chunks, self.files):
            if bar is not None:
                bar.close()


@contextmanager
def progress_printer(enabled: bool = True):
    p = Progress(enabled)
    try:
        yield p
    finally:
        p.close()


def format_answer(a: Answer) -> str:
    out = [a.answer, ""]
    if a.status == INSUFFICIENT:
        out.append("Nearest passages:")
        out.append(format_passages(a.passages[:3]))
        return "\n".join(out)
    out.append("Sources:")
    for c in a.citations:
        out.append(
            f"  [{c.n}] {c.passage.citation()}"
            + (f" - {c.passage.section}" if c.passage.section else "")
        )
    return "\n".join(out)


def format_passages(passages: list[Passage]) -> str:
    out = []
    for p in passages:
        out.append(f"{p.rank:2d}. {p.citation()}  (score {p.score:.3f})")
        out.append(textwrap.indent(textwrap.fill(p.text, 96), "    "))
    return "\n".join(out)


def format_docs(docs) -> str:
    """One row per document (the files `inquiry remove` takes), the parts of a report made of
    several files under a line naming the report ("The Leveson Report: 79 parts, 2012")."""
    rows = [
        f"{'id':16}  {'pages':>5} {'chunks':>6}  {'ingested at':24}  {'hash':12}  title (source)"
    ]
    groups: dict[str, list] = {}
    for d in sorted(docs, key=lambda d: d.source):
        groups.setdefault(getattr(d, "report", None) or f"doc:{d.doc_id}", []).append(d)
    for parts in groups.values():
        indent = ""
        if len(parts) > 1:
            first = parts[0]
            title = getattr(first, "report_title", None) or first.title
            facts = [f"{len(parts)} parts"]
            facts += [
                str(x) for x in (getattr(first, "year", None), getattr(first, "kind", None)) if x
            ]
            chunks = sum(d.chunks for d in parts)
            rows.append(f"{printable(title)}: {', '.join(facts)}; {chunks} chunks")
            indent = "  "
        for d in parts:
            rows.append(
                f"{indent}{d.doc_id:16}  {d.pages or '-':>5} {d.chunks:6d}  {d.ingested_at:24}  "
                f"{d.content_hash[:12]:12}  {printable(d.title)} ({printable(d.source)})"
            )
    rows.append(
        f"{len(docs)} documents in {len(groups)} reports, {sum(d.chunks for d in docs)} chunks"
    )
    return "\n".join(rows)
