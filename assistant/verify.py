"""Check generated sentences against the passages they cite. Pure functions, no model.

Rules, applied in order (the first that fails gives the reason):

1. `no_citation`: a sentence must carry at least one `[n]` marker.
2. `citation_out_of_range`: every cited `n` must be one of the passages given (1..len).
3. `quote_not_found`: text in quotes ("..." or “...”) must appear verbatim in a cited passage,
   after normalising white space, curly quotes, dashes and case.
4. `number_not_found`: every number the sentence states must appear in a cited passage.
5. `unsupported`: the share of the sentence's content words (lower-cased, stopwords removed,
   stemmed by the one tokenizer, index/tokens.py) found in the cited passages must reach
   `threshold` (default 0.6).

Reasons are strings of the form "rule: detail" so callers can group them by rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.types import Passage
from index.tokens import STOPWORDS as TOKEN_STOPWORDS
from index.tokens import stem

DEFAULT_THRESHOLD = 0.6

CITE_RE = re.compile(r"\[\s*(?:passages?\s*)?(\d+(?:\s*(?:,|;|and|-|–)\s*\d+)*)\s*\]", re.I)
_QUOTE_RE = re.compile(r'"([^"]{3,}?)"|“([^”]{3,}?)”')
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_MARKER = r"\[\s*(?:passages?\s*)?\d[^\]\n]{0,20}\]"
_BOUNDARY_RE = re.compile(
    rf"(?<=[.!?])([\"'”’)]*(?:\s*{_MARKER})*[.,;]?)\s+(?=[\"“‘(\[]?[A-Z0-9])", re.I
)
_LEAD_MARKERS_RE = re.compile(rf"(?:{_MARKER}[.,;]?\s*)+", re.I)
_NUMBERED = {"no", "nos", "para", "paras", "p", "pp", "vol", "art", "s", "ch", "fig"}
_TITLES = {"mr", "mrs", "ms", "dr", "st", "prof", "rev", "e.g", "i.e", "cf", "mt"}
_TRANSLATE = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "−": "-"})

# The tokenizer's stopwords plus words that say where a claim comes from, not what it claims.
STOPWORDS = TOKEN_STOPWORDS | frozenset(
    [
        "either",
        "neither",
        "upon",
        "whose",
        "said",
        "says",
        "say",
        "according",
        "passage",
        "passages",
        "report",
        "inquiry",
        "stated",
        "states",
        "state",
        "note",
        "notes",
        "noted",
        "however",
        "therefore",
        "thus",
        "one",
    ]
)


@dataclass
class Check:
    """The full result of checking one sentence; `verify_sentence` returns its first three."""

    ok: bool
    reason: str | None
    quote: str | None  # verbatim substring of the supporting passage's text
    n: int | None = None  # which cited passage holds `quote` (1-based)
    span: tuple[int, int] | None = None  # where `quote` sits in that passage's text
    support: float = 0.0  # share of content words found in the cited passages
    clause: str = ""  # the text checked
    cited: tuple[int, ...] = ()  # the passage numbers it cites


def normalise(text: str) -> str:
    """Lower case, NFKC, plain quotes and dashes, no soft hyphens, white space collapsed."""
    text = unicodedata.normalize("NFKC", text or "").replace("\u00ad", "")
    text = re.sub(r"-\s*\n\s*", "", text).translate(_TRANSLATE)
    return re.sub(r"\s+", " ", text).strip().lower()


def content_words(text: str) -> list[str]:
    """Stemmed content words of `text`, in order, citation markers removed."""
    words = _WORD_RE.findall(normalise(strip_citations(text)).replace(",", ""))
    return [stem(w) for w in words if w not in STOPWORDS and not w.isdigit() and len(w) > 1]


def numbers(text: str) -> set[str]:
    """Numbers in `text` with thousands separators removed: '1,000' -> '1000'."""
    found = _NUMBER_RE.findall(strip_citations(text))
    return {n.replace(",", "").rstrip(".") for n in found}


def citations(sentence: str) -> list[int]:
    """Every `[n]`, `[n, m]`, `[n-m]` in the sentence, in order, ranges expanded."""
    out: list[int] = []
    for group in CITE_RE.findall(sentence):
        for part in re.split(r"\s*(?:,|;|and)\s*", group):
            bounds = [int(x) for x in re.split(r"\s*[-–]\s*", part)]
            lo, hi = bounds[0], bounds[-1]
            out.extend(range(lo, hi + 1) if 0 <= hi - lo <= 20 else (lo, hi))
    return list(dict.fromkeys(out))


def strip_citations(text: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", CITE_RE.sub("", text)).strip()


def quotes(sentence: str) -> list[str]:
    """Quoted spans of at least three characters, straight or curly double quotes."""
    return [a or b for a, b in _QUOTE_RE.findall(sentence)]


def split_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`; a marker after the full stop stays with its sentence."""
    spans, start = [], 0
    for m in _BOUNDARY_RE.finditer(text):
        if m.start() < start or _is_abbreviation(
            text[start : m.start()], text[m.end() : m.end() + 1]
        ):
            continue
        end, nxt = m.start() + len(m.group(1)), m.end()
        markers = _LEAD_MARKERS_RE.match(text, nxt)
        if markers:
            end = nxt = markers.end()
        spans.append((start, end))
        start = nxt
    spans.append((start, len(text)))
    return [(a, b) for a, b in (_trim(text, a, b) for a, b in spans) if b > a]


def _is_abbreviation(before: str, after: str) -> bool:
    words = before.rstrip("\"'”’)").rsplit(None, 1)
    word = words[-1].strip("([\"'“‘").rstrip(".").lower() if words else ""
    if word in _NUMBERED:
        return after.isdigit()
    return word in _TITLES or (len(word) == 1 and word.isalpha())


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _quote_found(quote: str, texts: list[str]) -> bool:
    parts = [p.strip(" .,;:") for p in re.split(r"\.\.\.|…|\[\.\.\.\]", normalise(quote))]
    parts = [p for p in parts if p]
    return bool(parts) and any(all(p in normalise(t) for p in parts) for t in texts)


def _handle(passage: Passage) -> str:
    """Title, section, paragraph label and page: what the prompt shows besides the text."""
    parts = (passage.title, passage.section, passage.para, passage.page_label, passage.page)
    return " ".join(str(x) for x in parts if x)


def _handle_words(passage: Passage) -> set[str]:
    return set(content_words(" ".join(x for x in (passage.title, passage.section) if x)))


def support_share(sentence: str, cited: list[Passage]) -> float:
    """Share of the sentence's content words found in the cited passages' text.

    Words of the cited documents' titles and section headings count neither way, so naming
    the report is neither support nor a penalty. 1.0 when nothing is left to check.
    """
    neutral: set[str] = set().union(*(_handle_words(p) for p in cited)) if cited else set()
    words = [w for w in content_words(sentence) if w not in neutral]
    if not words:
        return 1.0
    vocab: set[str] = set().union(*(content_words(p.text) for p in cited)) if cited else set()
    return sum(w in vocab for w in words) / len(words)


def best_quote(sentence: str, cited: dict[int, Passage]) -> tuple[int, tuple[int, int]] | None:
    """The passage sentence (n, span) sharing most content words with `sentence`."""
    words = set(content_words(sentence))
    best, best_score = None, -1.0
    for n, passage in cited.items():
        for a, b in split_spans(passage.text):
            chunk = passage.text[a:b]
            score = len(words & set(content_words(chunk))) + 2.0 * any(
                _quote_found(q, [chunk]) for q in quotes(sentence)
            )
            if score > best_score:
                best, best_score = (n, (a, b)), score
    return best


def check_sentence(
    sentence: str, cited: list[int], passages: list[Passage], threshold: float = DEFAULT_THRESHOLD
) -> Check:
    """Apply the rules in order; see the module docstring."""
    base = {"clause": sentence, "cited": tuple(cited)}
    if not cited:
        return Check(False, "no_citation: the sentence cites no passage", None, **base)
    bad = [n for n in cited if not 1 <= n <= len(passages)]
    if bad:
        given = (
            f"only {len(passages)} passages were given"
            if len(passages) != 1
            else "only 1 passage was given"
        )
        return Check(False, f"citation_out_of_range: cites [{bad[0]}] but {given}", None, **base)
    chosen = {n: passages[n - 1] for n in cited}
    found = best_quote(sentence, chosen)
    n, span = found if found else (None, None)
    quote = passages[n - 1].text[span[0] : span[1]] if found else None
    share = support_share(sentence, list(chosen.values()))
    reason = _first_failure(sentence, list(chosen.values()), share, threshold)
    return Check(reason is None, reason, quote, n, span, share, **base)


def _first_failure(
    sentence: str, cited: list[Passage], share: float, threshold: float
) -> str | None:
    texts = [p.text for p in cited]
    for q in quotes(sentence):
        if not _quote_found(q, texts):
            return f'quote_not_found: "{q}" is not in the cited passage'
    vocab_numbers = set().union(*(numbers(t) for t in texts + [_handle(p) for p in cited]))
    missing = sorted(numbers(sentence) - vocab_numbers)
    if missing:
        return f"number_not_found: {missing[0]} is not in the cited passage"
    if share < threshold:
        return f"unsupported: {share:.0%} of its content words are in the cited passages (need {threshold:.0%})"
    return None


def verify_sentence(
    sentence: str, cited: list[int], passages: list[Passage], threshold: float = DEFAULT_THRESHOLD
) -> tuple[bool, str | None, str | None]:
    """(ok, reason, best_quote): `best_quote` is a verbatim substring of a cited passage."""
    check = check_sentence(sentence, cited, passages, threshold)
    return check.ok, check.reason, check.quote


def clauses(sentence: str) -> list[tuple[str, list[int]]]:
    """Split at citation markers: 'A [1] and B [2].' -> [('A [1]', [1]), (' and B [2].', [2])].

    Markers with nothing between them join ('A [1][2]' cites both); words after the last
    marker ride with the last clause; a sentence without markers is one uncited clause.
    """
    out: list[tuple[str, list[int]]] = []
    pos = 0
    for m in CITE_RE.finditer(sentence):
        text, cited = sentence[pos : m.start()], citations(m.group(0))
        if out and not content_words(text) and not numbers(text):
            out[-1] = (out[-1][0] + text + m.group(0), out[-1][1] + cited)
        else:
            out.append((text + m.group(0), cited))
        pos = m.end()
    if not out:
        return [(sentence, [])]
    out[-1] = (out[-1][0] + sentence[pos:], out[-1][1])
    return out


def check_claims(
    sentence: str, passages: list[Passage], threshold: float = DEFAULT_THRESHOLD
) -> list[Check]:
    """Check each clause of a generated sentence against its own citations."""
    return [check_sentence(text, cited, passages, threshold) for text, cited in clauses(sentence)]
