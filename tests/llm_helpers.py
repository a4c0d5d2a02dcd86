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
