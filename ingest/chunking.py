"""Blocks -> Chunks: the units that are embedded, retrieved and cited.

A chunk is one or more whole consecutive blocks of one section whose embedded text, a context
header "title > section" plus the chunk text, stays within `max_tokens` (the header counts: the
embedding model reads 256 tokens at most). Short blocks merge (a heading with the paragraph
after it, list items with their paragraph); a numbered paragraph shares a chunk with the start
of another only when both are short, and the chunk's `para` is then a range ("64-65"). A block
longer than the budget is split at sentence boundaries (at spaces if a sentence is too long)
into chunks that all carry its label. A sentence that a page break cut in two (the next block
goes on in lower case) is kept whole: when the chunk it starts in has no room for the rest,
its beginning moves to the next chunk (the whole paragraph when it is short enough for one
chunk, else the sentence, so that chunk then starts with the end of a block). `text` is
always `doc.text[start:end]`.

Token counts: `count_tokens` is called once per block (or sentence of a long block) and the
counts are added, less the fixed per-call overhead (`count_tokens("")`, e.g. [CLS]/[SEP]); a
chunk whose real count is still over the limit is split again.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .model import Block, Chunk, Document, sha256
from .paras import SENTENCE_DONE, range_label

SHORT = 0.4  # a paragraph of at most this share of max_tokens may share a chunk with another
_SENTENCE_END = re.compile(r"[.!?;:][\"”’')\]]*\s+(?=[A-Z“\"‘'(\[0-9•])")


def estimate_tokens(text: str) -> int:
    """A cheap stand-in for a tokenizer: about 1.3 tokens per word."""
    return math.ceil(len(text.split()) * 1.3)


@dataclass
class _Piece:
    """A whole block, or a sentence-aligned part of a long one."""

    block: Block
    start: int
    end: int
    tokens: int  # without the per-call overhead
    starts_para: bool
    para_tokens: int = 0  # tokens of the whole paragraph this piece starts


def header(title: str, section: str | None) -> str:
    return f"{title} > {section}\n" if section else f"{title}\n"


def chunk_document(
    doc: Document, *, max_tokens: int = 200, count_tokens: Callable[[str], int] | None = None
) -> list[Chunk]:
    count = count_tokens or estimate_tokens
    overhead = count("")

    def cost(text: str) -> int:
        return max(count(text) - overhead, 0)

    pieces: list[_Piece] = []
    for block in doc.blocks:
        budget = max(
            max_tokens - overhead - cost(header(doc.title, block.section)), max_tokens // 4
        )
        pieces.extend(_pieces(doc.text, block, budget, cost))
    _measure_paragraphs(pieces)
    groups: list[list[_Piece]] = []
    for group in _pack(pieces, doc.title, max_tokens - overhead, cost, doc.text):
        groups.extend(_verify(doc, group, max_tokens, count))
    return [_chunk(doc, g, i) for i, g in enumerate(groups)]


def _pieces(text: str, block: Block, budget: int, cost) -> list[_Piece]:
    tokens = cost(block.text)
    if tokens <= budget:
        return [_Piece(block, block.start, block.end, tokens, block.kind == "para")]
    spans = _fit(text, block.start, block.end, budget, cost)
    return [
        _Piece(block, s, e, cost(text[s:e]), block.kind == "para" and n == 0)
        for n, (s, e) in enumerate(spans)
    ]


def _fit(text: str, start: int, end: int, budget: int, cost) -> list[tuple[int, int]]:
    """Greedy runs of whole sentences within budget; an over-long sentence is cut in halves."""
    out: list[tuple[int, int]] = []
    run_start, run_tokens = None, 0
    for s, e in _sentences(text, start, end):
        t = cost(text[s:e])
        if run_start is not None and run_tokens + t <= budget:
            run_tokens += t
            out[-1] = (run_start, e)
            continue
        if t > budget:
            out.extend(_halve(text, s, e, budget, cost))
            run_start, run_tokens = None, 0
        else:
            out.append((s, e))
            run_start, run_tokens = s, t
    return out


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start] + [start + m.end() for m in _SENTENCE_END.finditer(text[start:end])] + [end]
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        seg = text[a:b]
        s = a + len(seg) - len(seg.lstrip())
        e = a + len(seg.rstrip())
        if s < e:
            spans.append((s, e))
    return spans


def _halve(text: str, start: int, end: int, budget: int, cost) -> list[tuple[int, int]]:
    if cost(text[start:end]) <= budget or end - start < 2:
        return [(start, end)]
    mid = (start + end) // 2
    quarter = (end - start) // 4
    cut = text.rfind("\n", mid - quarter, mid + quarter)
    if cut <= start:
        cut = text.rfind(" ", start + 1, mid + 1)
    if cut <= start:
        cut = text.find(" ", mid, end - 1)
    if cut <= start:
        cut = mid
    right = cut + 1 if text[cut].isspace() else cut
    return _halve(text, start, cut, budget, cost) + _halve(text, right, end, budget, cost)


def _measure_paragraphs(pieces: list[_Piece]) -> None:
    """Set para_tokens on paragraph starts: the tokens of the start and what carries its label."""
    for i, p in enumerate(pieces):
        if not p.starts_para:
            continue
        total = p.tokens
        for q in pieces[i + 1 :]:
            if q.starts_para or q.block.kind == "heading" or q.block.label != p.block.label:
                break
            total += q.tokens
        p.para_tokens = total


def _pack(pieces: list[_Piece], title: str, limit: int, cost, text: str) -> list[list[_Piece]]:
    groups: list[list[_Piece]] = []
    used = 0
    for p in pieces:
        if groups and _joins(groups[-1], p, used, title, limit, cost):
            groups[-1].append(p)
            used += p.tokens
            continue
        tail = _carried_tail(groups[-1], p, text, title, limit, cost) if groups else None
        head = None
        if groups and tail is None:
            head = _carried_head(groups[-1], p, used, text, title, limit, cost)
        if head is not None:
            groups[-1].append(head[0])
            p = head[1]
        groups.append([p] if tail is None else [tail, p])
        used = sum(q.tokens for q in groups[-1])
    return groups


def _continues(prev: _Piece, p: _Piece, text: str) -> bool:
    """A block that ends mid-sentence, then one that starts in lower case: one sentence that a
    page or column break cut in two ("... by top NASA" | "and contractor personnel, who
    failed ...")."""
    body = ("para", "text")
    return (
        prev.block.kind in body
        and p.block.kind == "text"
        and p.block.section == prev.block.section
        and text[p.start : p.end].lstrip()[:1].islower()
        and not SENTENCE_DONE.search(text[prev.start : prev.end].rstrip())
    )


def _carried_tail(group: list[_Piece], p: _Piece, text: str, title: str, limit: int, cost):
    """When `p` continues a sentence that the group's last piece began but has no room for it,
    the sentence's beginning moves to `p`'s chunk, so the sentence is whole in one chunk (to be
    quoted whole, and read whole by the embedding): the whole last piece when it is a whole
    block after another body block (a list item, say: a block that fits one chunk stays
    whole; one right under its heading stays with it), else, from a block already split into
    pieces, its last sentence. The moved piece, taken off `group`, or None (no room for the
    two together, or no sentence end to cut at)."""
    last = group[-1]
    if not _continues(last, p, text):
        return None
    room = limit - cost(header(title, p.block.section)) - p.tokens
    if last.start == last.block.start and last.end == last.block.end:  # a whole block
        rest = group[:-1]
        if all(q.block.kind == "heading" for q in rest) or last.tokens > room:
            return None  # alone, or under its heading: it stays (a heading opens its text)
        return group.pop()
    ends = list(_SENTENCE_END.finditer(text, last.start, last.end))
    if not ends:
        return None
    cut = ends[-1].end()
    tail = _Piece(last.block, cut, last.end, cost(text[cut : last.end]), False)
    if tail.tokens > room:
        return None
    keep = ends[-1].start() + len(ends[-1].group().rstrip())
    group[-1] = replace(last, end=keep, tokens=cost(text[last.start : keep]))
    return tail


def _carried_head(group: list[_Piece], p: _Piece, used: int, text: str, title: str, limit, cost):
    """When `p` continues a sentence that the group's last piece began and the beginning
    stays (a block alone in its chunk or under its heading: `_carried_tail`), the sentence's
    end, `p` up to its first sentence end, joins the group when it has room: the sentence is
    whole in one chunk, and so is the block that began it. (`p` up to there, the rest of
    `p`), or None."""
    if not _continues(group[-1], p, text):
        return None
    end = _SENTENCE_END.search(text, p.start, p.end)
    if end is None:
        return None
    keep = end.start() + len(end.group().rstrip())
    tokens = cost(text[p.start : keep])
    if cost(header(title, group[0].block.section)) + used + tokens > limit:
        return None
    rest = cost(text[end.end() : p.end])
    return (
        replace(p, end=keep, tokens=tokens),
        replace(p, start=end.end(), tokens=rest, starts_para=False, para_tokens=0),
    )


def _joins(group: list[_Piece], p: _Piece, used: int, title: str, limit: int, cost) -> bool:
    first = group[0].block
    headings_only = all(q.block.kind == "heading" for q in group)
    if p.block.kind == "heading" and not headings_only:
        return False
    if p.block.section != first.section and not headings_only:
        return False
    if (p.block.kind == "note") != (group[-1].block.kind == "note"):
        return False  # footnotes make chunks of their own: body text stays clean
    if cost(header(title, first.section)) + used + p.tokens > limit:
        return False
    if p.starts_para and not headings_only:
        short = limit * SHORT
        return used <= short and p.para_tokens <= short
    return True


def _verify(doc: Document, group: list[_Piece], max_tokens: int, count) -> list[list[_Piece]]:
    """Split a group again if the real count of its embedded text is over the limit."""
    if len(group) == 1 or count(_embed_text(doc, group)) <= max_tokens:
        return [group]
    half = len(group) // 2
    return _verify(doc, group[:half], max_tokens, count) + _verify(
        doc, group[half:], max_tokens, count
    )


def _embed_text(doc: Document, group: list[_Piece]) -> str:
    return header(doc.title, group[0].block.section) + doc.text[group[0].start : group[-1].end]


def _chunk(doc: Document, group: list[_Piece], ordinal: int) -> Chunk:
    first, last = group[0], group[-1]
    pages = [p.block.page for p in group if p.block.page is not None]
    embed = _embed_text(doc, group)
    return Chunk(
        chunk_id=f"{doc.doc_id}-{ordinal:05d}",
        doc_id=doc.doc_id,
        source=doc.source,
        title=doc.title,
        text=doc.text[first.start : last.end],
        embed_text=embed,
        ordinal=ordinal,
        start=first.start,
        end=last.end,
        page=first.block.page,
        page_end=pages[-1] if pages else None,
        page_label=first.block.page_label,
        para=range_label([p.block.label for p in group if p.block.label]),
        section=first.block.section,
        content_hash=sha256(embed),
        footnotes=all(p.block.kind == "note" for p in group),
        role=_dominant_role(group),
        roles=",".join(_roles(group)),
        pages=_page_map(group, first.start),
        report=doc.report,
        report_title=doc.report_title,
        part=doc.part,
        ocr=",".join(dict.fromkeys(str(p.block.page) for p in group if p.block.ocr)),
    )


def _roles(group: list[_Piece]) -> list[str]:
    roles = dict.fromkeys(p.block.role for p in group)
    if any(p.block.noise for p in group):
        roles["noise"] = None
    return list(roles)


def _dominant_role(group: list[_Piece]) -> str:
    """The role holding most characters; headings count only when nothing else is there."""
    weight: dict[str, int] = {}
    for p in group:
        if p.block.role != "heading":
            weight[p.block.role] = weight.get(p.block.role, 0) + p.end - p.start
    return max(weight, key=weight.get) if weight else "heading"


def _page_map(group: list[_Piece], start: int) -> str:
    """Where each page starts within the chunk text: JSON [[offset, page, label], ...]."""
    out: list[list] = []
    for p in group:
        page, label = p.block.page, p.block.page_label
        if page is not None and (not out or out[-1][1] != page):
            out.append([p.start - start, page, label])
    return json.dumps(out) if out else ""
