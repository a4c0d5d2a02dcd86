"""Findings and conclusions: numbered ("Finding 3:"), or listed under a Findings /
Conclusions / "Key findings" / "What went wrong" heading (see listed.py, patterns.py)."""

from __future__ import annotations

from assistant.derive import patterns as P
from assistant.derive.document import DocView
from assistant.derive.items import FINDING, Item
from assistant.derive.listed import Spec, extract

SPEC = Spec(
    kind=FINDING,
    role="finding",
    numbered=P.NUMBERED_FINDING,
    labelled=None,
    cue=None,
    normative=False,
)


def findings(view: DocView) -> list[Item]:
    return extract(view, SPEC)
