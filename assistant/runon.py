"""What a quoted sentence leads into, quoted after it: a statement introduced with a colon
("The analyst wrote:") goes on in its passage's next sentence, or in the next chunk when its
chunk ends on it; a quotation cut at the end of a chunk goes on in the next chunk; a list that
runs to the end of its passage goes on in the next chunk; a quotation asked for is given from
its first sentence to the end of its paragraph."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.evidence import quotable
from assistant.qtypes import is_list
from assistant.sentences import sentences
from assistant.types import Passage

Following = Callable[[Passage], Passage | None] | None  # the chunk after a chunk


def placed(chunks: list[Passage], nxt: Passage) -> tuple[list[Passage], int]:
    """`chunks` holding `nxt` (a chunk read on into), and its index there."""
    ni = next((i for i, c in enumerate(chunks) if c.chunk_id == nxt.chunk_id), None)
    if ni is not None:
        return chunks, ni
    nxt.rank = len(chunks) + 1
    return [*chunks, nxt], len(chunks)


def next_block(chunks: list[Passage], pi: int, following: Following):
    """(chunks with the next chunk of chunk `pi` placed, its index, start, end of its first
    block: the paragraph a colon at the end of chunk `pi` introduced), or None."""
    nxt = following(chunks[pi]) if following is not None else None
    if nxt is None or nxt.footnotes:
        return None
    block = re.split(r"\n\s*\n", nxt.text.strip(), maxsplit=1)[0]
    start = nxt.text.find(block)
    chunks, ni = placed(chunks, nxt)
    return chunks, ni, start, start + len(block)


def quote_runs_on(chunks: list[Passage], picked, following: Following):
    """A quoted statement introduced with a colon ('… included the following statements:')
    that runs to the end of its chunk goes on in the next chunk's first block."""
    if not picked or following is None:
        return chunks, picked
    _, pi, _, end = picked[0]
    text = chunks[pi].text
    spans = sentences(text)
    if not spans or end < spans[-1].end or not re.search(r":\s*\n", text[:end]):
        return chunks, picked
    got = next_block(chunks, pi, following)
    if got is None:
        return chunks, picked
    chunks, ni, start, stop = got
    return chunks, [picked[0], (0.9, ni, start, stop), *picked[1:]]


_QUOTE_MARK = re.compile(r'["“”]')


def _opens_quote(sentence: str) -> bool:
    """The sentence's last quotation mark opens a quotation ('She wrote: "We rate every
    deal.'): an opening curly quote, or a straight one after a space, bracket or the start
    and before a word."""
    marks = list(_QUOTE_MARK.finditer(sentence))
    if not marks:
        return False
    m = marks[-1]
    if m.group() != '"':
        return m.group() == "“"
    before = sentence[m.start() - 1] if m.start() else " "
    after = sentence[m.end() : m.end() + 1]
    return (before.isspace() or before in "([—–-:") and bool(after) and not after.isspace()


def colons_run_on(chunks: list[Passage], picked, following: Following):
    """A quoted sentence that ends with a colon ("In an email, the analyst wrote:") is
    never left hanging: what it introduces follows it (its passage's next sentence, or the
    first block of the next chunk when it ends its passage). Nor is a quotation that the
    chunker cut: a sentence ending its chunk inside a quotation it opened goes on with the
    next chunk's first block."""
    have = {(c[1], c[2]) for c in picked}
    out = []
    for c in picked:
        out.append(c)
        _, pi, s, e = c
        text = chunks[pi].text
        spans = [x for x in sentences(text) if quotable(chunks[pi], x) and x.start >= e]
        cut = not text[e:].strip() and _opens_quote(text[s:e])  # a quotation cut by the chunker
        if not text[s:e].rstrip().endswith(":") and not cut:
            continue
        if spans:
            if (pi, spans[0].start) not in have:
                out.append((0.0, pi, spans[0].start, spans[0].end))
                have.add((pi, spans[0].start))
            continue
        got = next_block(chunks, pi, following)
        if got is not None and (got[1], got[2]) not in have:
            chunks, ni, start, stop = got
            out.append((0.0, ni, start, stop))
            have.add((ni, start))
    return chunks, out


def introduces_list(text: str, x) -> bool:
    return text[x.start : x.end].rstrip().endswith(":")


def list_runs_on(question: str, passages: list[Passage], picked, following: Following):
    """A list that runs to the end of its passage goes on in the next chunk: quote the
    items there too ('four areas of risk: content, contact | conduct, commerce')."""
    if not picked or following is None:
        return passages, picked
    pi = next((c[1] for c in picked if _runs_off(question, passages, picked, c[1])), None)
    nxt = None if pi is None else following(passages[pi])
    if nxt is None:
        return passages, picked
    passages, ni = placed(passages, nxt)
    room = max(1, 5 - sum(c[1] == pi for c in picked))
    items = [x for x in sentences(nxt.text) if quotable(nxt, x)][:room]
    have = {(c[1], c[2]) for c in picked}
    extra = [(0.0, ni, x.start, x.end) for x in items if (ni, x.start) not in have]
    order = {i: (i if i <= pi else i + 1) for i in range(len(passages))}
    order[ni] = pi + 0.5
    return passages, sorted(picked + extra, key=lambda c: (order[c[1]], c[2]))


def _runs_off(question: str, passages: list[Passage], picked, pi: int) -> bool:
    """Two or more sentences of a list, picked up to the passage's last sentence."""
    p = passages[pi]
    mine = [c for c in picked if c[1] == pi]
    spans = [x for x in sentences(p.text) if quotable(p, x)]
    if len(mine) < 2 or not spans or max(c[3] for c in mine) < spans[-1].end:
        return False
    first = min(c[2] for c in mine)
    intro = any(introduces_list(p.text, x) for x in spans if x.start >= first)
    return intro or is_list(question)


def whole_paragraph(picked, passages):
    """For 'quote' requests: the best passage's text from its first picked sentence on."""
    if not picked:
        return picked
    pi = picked[0][1]
    text = passages[pi].text
    first = min(c[2] for c in picked if c[1] == pi)
    spans = sentences(text)
    end = spans[-1].end if spans else len(text)
    return [(1.0, pi, first, end)] + [c for c in picked if c[1] != pi][:1]
