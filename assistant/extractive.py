"""The default answerer: quote the sentences that answer, verbatim, each with an [n] marker.

No generative model is involved, so nothing is paraphrased: every sentence in the answer is a
verbatim substring of a cited passage. When the evidence is too weak the status is
`insufficient_evidence` and the answer says so plainly (the passages are still returned).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import fields, replace
from math import fsum

from assistant.broad import broad_points, signpost, topic_terms
from assistant.documents import called_docs, named_docs
from assistant.evidence import (
    NOT_ANSWERED,
    body,
    evidence_of,
    fact_first,
    fact_missing,
    holding,
    ordinal_missing,
    quotable,
    ranked_chunks,
    reference,
    unknown_names,
)
from assistant.factcues import given_values, states_any
from assistant.lists import list_after
from assistant.lookup import item_span
from assistant.qtypes import answer_patterns as answer_cues
from assistant.qtypes import asked_count, fact_types, is_broad, is_list, is_quote, types_of
from assistant.reportuse import ReportUse
from assistant.runon import (
    colons_run_on,
    introduces_list,
    list_runs_on,
    quote_runs_on,
    whole_paragraph,
)
from assistant.sentences import (
    sentence_scores,
    sentences,
    split_sentences,
    sub_questions,
)
from assistant.tuning import AnswerConfig
from assistant.types import ANSWERED, INSUFFICIENT, Answer, Citation, Passage
from assistant.unknowns import unknown_said
from index.tokens import query_terms
from ingest.display import display_text

__all__ = ["ExtractiveAnswerer", "split_sentences"]

# A sentence that leans on the one before it ("The department therefore ...", "This meant ...").
_LEANS_BACK = re.compile(
    r"(?:\S+\s+){0,3}?(?:therefore|thus|consequently|hence|as a result|for this reason|"
    r"this|these|such|that meant)\b",
    re.I,
)


def _norm(text: str, x) -> str:
    return " ".join(text[x.start : x.end].split()).lower()


# A question naming a paragraph by its number ("paragraph 1.7", "para 64").
_NAMED_PARA = re.compile(r"\b(?:paragraphs?|paras?\.?|¶)\s*\d+(?:\.\d+)*", re.I)


def said(sentence: str) -> str:
    """A sentence as compared across answers: in its display form (answers show that), without
    the answer's citation markers and spacing."""
    return " ".join(display_text(re.sub(r"\s*\[\d+\]$", "", sentence.strip())).split()).lower()


class ExtractiveAnswerer:
    """Quotes the sentences that carry the asked fact, verbatim, and cites each.

    A sentence scores by the idf-weighted share of the question's terms it holds, half the
    share its neighbours hold (the answer often follows the sentence that names the topic), a
    bonus when it has what the question asks for (a number for "how many", a date for
    "when", a duration for "how long", a cause for "why"), weighted by its passage's rank.
    """

    def __init__(
        self,
        idf: Callable[[str], float],
        df: Callable[[str], int] | None = None,
        *,
        config: AnswerConfig | None = None,
        following: Callable[[Passage], Passage | None] | None = None,
        says: Callable[[str], Collection[str]] | None = None,
        report_words: frozenset[str] = frozenset(),
        use: ReportUse | None = None,
        **overrides,
    ):
        """`config`: the answer branch of the settings tree (assistant/tuning.py); single
        fields may be overridden by keyword (`cue_reach=0`)."""
        self.idf = idf
        self.df = df
        self.following = following
        self.says = says  # the documents whose text holds this phrase (names of several words)
        self.report_words = report_words  # the words of the reports' titles
        self._avoid: frozenset[str] = frozenset()  # sentences this conversation already gave
        self._context: frozenset[str] = frozenset()  # a follow-up's earlier question's words
        self.config = replace(config or AnswerConfig(), **overrides)
        for f in fields(self.config):
            setattr(self, f.name, getattr(self.config, f.name))
        # how reports use a question's words: rare names, topic words (ReportUse)
        self.use = use and replace(use, rare=self.rare_name, topic=self.topic_spread)

    def refusal(self, question: str, passages: list[Passage]) -> str | None:
        """Why the passages cannot answer the question, or None when they can."""
        if not passages:
            return "Nothing is indexed yet: ingest some reports first."
        says = self.says if self.long_names else None
        missing = unknown_names(question, self.df, says, self.report_words) if self.df else []
        if missing:
            names = ", ".join(f"“{m}”" for m in missing)
            return (
                f"The indexed reports don't answer this: none of them mentions {names}. "
                "The nearest passages are listed below."
            )
        broad = is_broad(question)
        ev = evidence_of(question, passages, self.idf, topic_terms(question) if broad else None)
        if broad and not topic_terms(question):
            return None  # "What went wrong?": every report has findings to give
        far = ev.dense is not None and ev.dense < self.min_dense
        vouched = ev.coverage >= self.dense_veto_below and len(set(query_terms(question))) >= 3
        if ev.coverage < self.min_coverage or (far and not vouched):
            return NOT_ANSWERED  # (a question of one or two words vouches for nothing)
        if not self.cue_reach:
            return None
        read = body(passages)[: self.cue_reach]
        why = ordinal_missing(question, read) if self.ordinal_check else None
        return why or fact_missing(
            question, read, self.idf, self.cue_share, self.use, self.says, self.name_check
        )

    def answer(
        self,
        question: str,
        passages: list[Passage],
        about: str | None = None,
        avoid: frozenset[str] = frozenset(),
    ) -> Answer:
        """Sentences are chosen among the chunks as they were ranked (a passage merged from
        neighbouring chunks is weighed part by part), and each citation names its chunk: the
        precise paragraph and page, not the merged passage's span. `about`: what a follow-up
        question stands for (with the question before it), used to decide whether to refuse.
        `avoid`: sentences already given in this conversation (normalised by `said`): a
        follow-up is never answered by repeating them."""
        self._avoid = avoid
        self._context = frozenset()
        if about and about != question and self.followup_context:
            # what the follow-up stands for: the earlier question's words it does not repeat
            self._context = frozenset(query_terms(about)) - frozenset(query_terms(question))
        if passages and passages[0].stages.get("direct") and _NAMED_PARA.search(question):
            return self._named_paragraph(question, passages)
        if passages and passages[0].stages.get("direct"):
            named = self._named_item(question, passages)
            if named is not None:
                return named
        chunks = ranked_chunks(passages)
        if self.named_only and not is_broad(question):
            # a question naming a report is answered from it, or refused
            named = set(called_docs(chunks))
            chunks = [c for c in chunks if c.doc_id in named] or chunks
        why = self.refusal(about or question, chunks)
        if why:
            return Answer(question, INSUFFICIENT, why, passages=passages)
        chunks = body(chunks)
        if is_broad(question) and not is_quote(question):
            return self._broad(question, chunks, passages)
        picked = self._pick(question, chunks)
        chunks, picked = list_runs_on(question, chunks, picked, self.following)
        if is_quote(question):
            picked = whole_paragraph(picked, chunks)
            chunks, picked = quote_runs_on(chunks, picked, self.following)
        chunks, picked = colons_run_on(chunks, picked, self.following)
        if self.fact_first and not is_quote(question):
            kinds = list(fact_types(question).values())
            picked = fact_first(kinds, given_values(question), chunks, picked)
        asked = [t.name for t in types_of(about or question)] if self.unknown_check else []
        unknown = unknown_said(asked, chunks, picked) if asked else None
        if unknown:  # the report says the asked fact is not known: so does the answer
            return Answer(question, INSUFFICIENT, unknown, passages=passages)
        covered = {cid for p in passages for cid in p.chunk_ids}
        shown = passages + [c for c in chunks if c.chunk_id not in covered]
        return self._compose(question, chunks, picked, shown)

    def _named_paragraph(self, question: str, passages: list[Passage]) -> Answer:
        """'What does paragraph 4.2 of the ward review say?': that paragraph, whole and
        alone, as the retriever found it (its quotable sentences, one citation)."""
        p = passages[0]
        picked = [(1.0, 0, x.start, x.end) for x in sentences(p.text) if quotable(p, x)]
        if not picked:
            picked = [(1.0, 0, 0, len(p.text))]
        return self._compose(question, [p], picked, passages)

    def _named_item(self, question: str, passages: list[Passage]) -> Answer | None:
        """'What was Recommendation 3 of the review?': the block that states it (its quotable
        sentences, one citation); None when the first passage does not state it."""
        p, span = passages[0], item_span(question, passages[0].text)
        in_span = [x for x in sentences(p.text) if span and span[0] <= x.start < span[1]]
        picked = [(1.0, 0, x.start, x.end) for x in in_span if quotable(p, x)]
        return self._compose(question, [p], picked, passages) if picked else None

    def _fresh(self, text: str, x) -> bool:
        return said(text[x.start : x.end]) not in self._avoid

    def _broad(self, question: str, chunks: list[Passage], passages: list[Passage]) -> Answer:
        """Several cited sentences from different chunks (assistant/broad.py)."""
        points = broad_points(
            question,
            chunks,
            self.idf,
            self.config,
            docs=named_docs(question, chunks),
            fresh=self._fresh,
        )
        if not points:
            return Answer(question, INSUFFICIENT, NOT_ANSWERED, passages=passages)
        picked = [(p.score, p.chunk, p.start, p.end) for p in points]
        covered = {cid for p in passages for cid in p.chunk_ids}
        shown = passages + [c for c in chunks if c.chunk_id not in covered]
        return self._compose(question, chunks, picked, shown)

    # -- selection ---------------------------------------------------------------------------
    def _scored(self, question: str, passages: list[Passage]) -> list[list[tuple]]:
        """Per passage: (score, sentence) for its answer-worthy sentences, in text order."""
        terms = set(query_terms(question)) | self._context
        idf = self._weighed
        weight = fsum(idf(t) for t in terms) or 1.0
        cues = answer_cues(question)
        quoting = is_quote(question)  # a quotation is given from where it starts, as written
        top = passages[0].score
        out = []
        for pi, p in enumerate(passages[: self.passages_considered]):
            sents = [
                x
                for x in sentences(p.text)
                if quotable(p, x)
                and self._fresh(p.text, x)
                and (quoting or not reference(p.text[x.start : x.end]))
            ]
            segs = [p.text[x.start : x.end] for x in sents]
            scores = sentence_scores(
                segs,
                terms,
                idf,
                weight,
                cues,
                self.cue_bonus,
                related=self.related_stems,
                expand=self._short_forms(p),
            )
            scores = [
                sc * (self.signpost_weight if signpost(g) else 1.0) for sc, g in zip(scores, segs)
            ]
            ratio = max(0.0, p.score / top) if top > 0 else 1.0
            rank_w = 1.0 if pi == 0 else ratio**self.rank_power * (1.0 - self.rank_step * pi)
            out.append([(sc * rank_w, x) for sc, x in zip(scores, sents)])
        return out

    def _short_forms(self, p: Passage):
        """A sentence using a short form its report defines ('the PCC') holds the long form's
        words ('Press Complaints Commission'), as the `sentence` retrieval stage reads it."""
        if not self.short_forms or self.use is None or self.use.expand is None:
            return None
        expand = self.use.expand
        return lambda text, words: expand(p.doc_id, text, words)

    def _weighed(self, term: str) -> float:
        """A term's idf; a follow-up's context words weigh `followup_context` of theirs."""
        w = self.idf(term)
        return w * self.followup_context if term in self._context else w

    def _pick(self, question: str, passages: list[Passage]):
        """The best sentence, what continues it in its passage, and the best of the others."""
        per = self._scored(question, passages)
        flat = [(sc, pi, i) for pi, ss in enumerate(per) for i, (sc, _) in enumerate(ss)]
        if not flat:
            return []
        best, bpi, bi = max(flat)
        listing = is_list(question)
        sents = per[bpi]
        chosen = {(bpi, bi)}
        if bi > 0 and _LEANS_BACK.match(passages[bpi].text, sents[bi][1].start):
            chosen.add((bpi, bi - 1))  # "It therefore ...": what it follows from comes too
        if listing or introduces_list(passages[bpi].text, sents[bi][1]):
            want = asked_count(question)
            spans = [x for _, x in sents]
            items = list_after(
                passages[bpi].text, spans, bi, want, self.list_items, self.list_items_max
            )
            chosen |= {(bpi, j) for j in items}
        elif bi + 1 < len(sents) and sents[bi + 1][0] >= 0.3 * best:
            chosen.add((bpi, bi + 1))
        seen = {_norm(passages[pi].text, per[pi][i][1]) for pi, i in chosen}
        others = sorted(((sc, pi, i) for sc, pi, i in flat if pi != bpi), reverse=True)
        others = [o for o in others if _norm(passages[o[1]].text, per[o[1]][o[2]][1]) not in seen]
        for sc, pi, i in others[: self.others + (1 if listing else 0)]:
            if sc >= self.other_ratio * best:
                chosen.add((pi, i))
                # a list goes on in the sentences after ("in 2013 ... In 2022 ...")
                for j in range(i + 1, min(len(per[pi]), i + 3) if listing else i + 1):
                    if per[pi][j][0] < 0.5 * sc:
                        break
                    chosen.add((pi, j))
        chosen |= self._part_answers(question, passages, chosen)
        picked = [(per[pi][i][0], pi, per[pi][i][1].start, per[pi][i][1].end) for pi, i in chosen]
        picked += self._asked_kind(question, passages, picked)
        picked += self._report_parts(question, passages, picked)
        return sorted(picked, key=lambda c: (c[1], c[2]))

    def _report_parts(self, question: str, passages: list[Passage], picked) -> list[tuple]:
        """A question naming two reports ("What do the ward review and the code each say
        about consent?") hears from each: a named report with no sentence in the answer gets
        the best sentence of its first chunk among the first `cue_reach`."""
        out = []
        have = {passages[pi].doc_id for _, pi, _, _ in picked}
        for doc in named_docs(question, passages[: self.cue_reach]):
            ci = next((i for i, p in enumerate(passages) if p.doc_id == doc), None)
            if doc in have or ci is None or ci >= self.cue_reach:
                continue
            scored = self._scored(question, [passages[ci]])[0]
            if scored:
                sc, x = max(scored, key=lambda t: t[0])
                out.append((sc, ci, x.start, x.end))
        return out

    def _asked_kind(self, question: str, passages: list[Passage], picked) -> list[tuple]:
        """When the question asks for a kind of fact (a duration for "how long", a cause for
        "why" ...) and the best sentence holds none, the sentence that does and shares most of
        the question among the first `cue_reach` chunks (if it shares at least `cue_share` and
        is not in the answer already)."""
        cues = answer_cues(question)
        if not cues or not self.cue_reach:
            return []
        _, pi, s, e = max(picked, default=(0, 0, 0, 0))  # the best sentence
        given = given_values(question)
        if states_any(cues, passages[pi].text[s:e], given):
            return []
        best = holding(question, passages[: self.cue_reach], cues, self.idf, self.cue_share)
        if best is None or any(pi == best[1] and s <= best[2] < e for _, pi, s, e in picked):
            return []  # none, or it is in the answer already
        return [best]

    def _part_answers(self, question: str, passages: list[Passage], chosen: set) -> set:
        """A question that asks two things ("how long did it take, and how did the trial
        end?") gets the best sentence for each part too, when it is not picked already."""
        parts = sub_questions(question)
        if len(parts) < 2:
            return set()
        out: set = set()
        for part in parts:
            per = self._scored(part, passages)
            flat = sorted(
                ((sc, pi, i) for pi, ss in enumerate(per) for i, (sc, _) in enumerate(ss)),
                reverse=True,
            )
            if not flat:
                continue
            # one sentence may be best for two parts ("how many were hurt, and how many
            # died?") while the second part's fact is stated in the next best: each part
            # gets its best sentence not already serving an earlier part, if close enough
            mine = next(((sc, pi, i) for sc, pi, i in flat if (pi, i) not in out), None)
            near = mine is not None and mine[0] >= self.part_ratio * flat[0][0]
            out.add(mine[1:] if near else flat[0][1:])
        return out - chosen

    @staticmethod
    def _compose(question, passages, picked, shown) -> Answer:
        numbers: dict[int, int] = {}
        spans: dict[int, list[tuple[int, int]]] = {}
        parts = []
        for _, pi, s, e in picked:
            n = numbers.setdefault(pi, len(numbers) + 1)
            spans.setdefault(pi, []).append((s, e))
            # read in its display form (markup, footnote markers, line breaks inside the
            # sentence removed: ingest/display.py); the citation keeps the verbatim quote
            parts.append(f"{display_text(passages[pi].text[s:e])} [{n}]")
        citations = []
        for pi, n in numbers.items():
            p = passages[pi]
            lo = min(s for s, _ in spans[pi])
            hi = max(e for _, e in spans[pi])
            citations.append(Citation(n, p, p.text[lo:hi]))
        return Answer(question, ANSWERED, "\n\n".join(parts), citations, shown)
