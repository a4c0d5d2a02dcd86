"""A report's own word that the asked fact is not known.

Reports often say what they could not establish: "for reasons that remain unclear", "the panel
could not say when the letter arrived", "it is not known how much was repaid". A question asking
for that fact is a near miss, and the sentence that says so is the honest answer: the assistant
refuses and quotes it, rather than answering with the nearest sentence on the topic.

A sentence says the asked fact is unknown when it holds a word of not knowing (IGNORANCE) and,
within `_REACH` characters either side, the marker of the asked kind of fact (MARKERS: "reasons"
or "why" for a cause, "how much" for an amount, "when" for a date ...). Both are data. Examples are
ours, not evaluation questions.
"""

from __future__ import annotations

import re

from ingest.display import display_text

# Words of not knowing: the fact is unclear, unknown, not recorded or withheld, or someone
# could not say, explain or establish it. Examples (ours): "the reasons remain unclear"; "it is
# not known when the file was closed"; "the manager could not explain why the visit was
# cancelled"; "she was not able to elaborate on the legal reasons"; "the sum was never
# disclosed"; "the review was unable to establish who made the decision".
IGNORANCE = re.compile(
    r"\b(?:unclear|unknown|undisclosed|uncertain|not (?:known|clear|recorded|disclosed)|never "
    r"(?:explained|disclosed|established|known)|no (?:explanation|record|reason) (?:was|has "
    r"been|is|of)|(?:could not|cannot|can't|(?:was|were|is|are|am) (?:not able|unable) to|not "
    r"able to) (?:explain|say|establish|determine|ascertain|elaborate|identify|tell))\b",
    re.I,
)

# What in a sentence names the asked kind of fact (by question type, assistant/qtypes.py).
MARKERS: dict[str, str] = {
    "cause": r"\b(?:why|reasons?|explanation|what (?:led|caused|prompted))\b",
    "amount": r"\bhow much\b|\b(?:the )?(?:sum|amount|cost|value|figure)\b",
    "number": r"\bhow (?:many|much)\b|\b(?:the )?(?:number|figure|total|count)\b",
    "percent": r"\bwhat (?:percentage|proportion|share)\b|\b(?:percentage|proportion)\b",
    "date": r"\bwhen\b|\b(?:the )?date\b",
    "day": r"\bwhen\b|\b(?:the )?date\b",
    "duration": r"\bhow long\b|\bfor how long\b",
    "person": r"\bwho\b|\bwhose\b|\bidentity\b|\bname\b",
}
# a marker and a word of not knowing this close (characters) speak of the same thing: "for
# reasons which are unclear on the evidence", "could not explain why the bank failed"
_REACH = 60


def says_unknown(kinds: list[str], sentence: str) -> bool:
    """Does the sentence say that a fact of one of these kinds (question type names) is not
    known? See the module's doc."""
    nots = [m.span() for m in IGNORANCE.finditer(sentence)]
    if not nots:
        return False
    for kind in kinds:
        marker = MARKERS.get(kind)
        if not marker:
            continue
        for m in re.finditer(marker, sentence, re.I):
            if any(m.start() - _REACH <= e and s <= m.end() + _REACH for s, e in nots):
                return True
    return False


def unknown_said(kinds: list[str], chunks: list, picked: list[tuple]) -> str | None:
    """The refusal when a sentence picked for the answer ((score, chunk, start, end) tuples)
    says the asked fact is not known: that sentence, quoted with its citation; None otherwise."""
    for _, ci, start, end in picked:
        text = chunks[ci].text[start:end]
        if says_unknown(kinds, text):
            quote = " ".join(display_text(text).split())
            return (
                f"The indexed reports don't give this: {chunks[ci].citation()} says “{quote}” "
                "The nearest passages are listed below."
            )
    return None
