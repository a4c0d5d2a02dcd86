"""The items of a list an answer quotes after the sentence that introduces it.

"The depot's drivers make five checks: | • Tyres | • Brakes ..." : a list question gets the
items (each with its sentences), as many as it asks for ("the five checks") or all of them.
"""

from __future__ import annotations

import re

_BLOCK_GAP = re.compile(r"\n\s*\n")  # a blank line: the end of a paragraph or list item


def list_after(
    text: str, sents: list, bi: int, want: int | None, default: int, cap: int
) -> list[int]:
    """Indexes of the sentences after sentence `bi` (spans of `text`, assistant/sentences.py)
    that a list question wants: with bulleted items after it, what leads to them and the
    items, each with its sentences, up to the paragraph after the last item: `want` of them
    (the count the question gives) or all, at most `cap`. Without bullets, `want` or
    `default` sentences."""
    after = range(bi + 1, len(sents))
    if not any(sents[j].item for j in after):
        return list(after)[: want or default]
    n = min(want or cap, cap)
    out: list[int] = []
    items = 0
    for j in after:
        x = sents[j]
        if x.item:
            if items == n:
                break
            items += 1
        elif items and _BLOCK_GAP.search(text, sents[j - 1].end, x.start):
            break  # a new paragraph after the list
        elif not items and len(out) >= default:
            break  # no list follows closely: the sentences after, as for any list
        out.append(j)
    return out
