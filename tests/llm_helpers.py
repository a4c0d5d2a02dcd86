"""Passages about a fictional inquiry, shared by the LLM tests."""

from __future__ import annotations

from assistant.types import Passage


def passage(n: int, text: str, para: str) -> Passage:
    return Passage(
        f"c{n}",
        "hbi",
        "hbi/report.md",
        "Harbour Bridge Inquiry Report",
        text,
        para=para,
        page=10 + n,
        rank=n,
    )


# The first passage of both LLM test sets: a date, a time and two numbers to verify against.
COLLAPSE = (
    "2.4 The Harbour Bridge collapsed at 7.40 am on 3 March 1998 when a corroded suspension "
    "cable snapped. Eleven people died and 34 were injured."
)
