"""The tuned constants of retrieval and answering: one typed tree, each value with its reason.

These are branches of the settings tree (`Settings.retrieval`, `Settings.answer`): the CLI and
the app read them (environment `INQUIRY_RETRIEVAL_<FIELD>` / `INQUIRY_ANSWER_<FIELD>`) and pass
them down; `inquiry config` lists them. Values were chosen on the tune half of our own question
set (`eval/tune.jsonl`) and the dev set, never on the check half; the README's "Retrieval and
answers" section has the measurements behind each.

Every retrieval stage can be switched off (`off`, or `inquiry eval --ablate STAGE`) so that its
worth can be measured on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The retrieval stages, in the order they run (README: "Retrieval and answers").
STAGES = (
    "split",  # a question naming two reports is searched part by part, results interleaved
    "dense",  # cosine similarity of question and chunk embeddings (Chroma)
    "lexical",  # BM25 over chunk text, title, section and source path (bm25s)
    "spell",  # short forms a report defines ("OTS"): the lexical search for a question using
    # one also looks for its long form's words, and the sentence stage reads a sentence using
    # one as holding them ("Office of Thrift Supervision"; index/shortforms.py)
    "coverage",  # idf-weighted share of the question's terms the chunk holds
    "named",  # a report the question calls by name ("KCSIE", "Chilcot") is preferred
    "person",  # a report using the anonymised name the question gives ("Mr T") is preferred
    "role",  # block roles: contents lines, front matter, footnotes weigh less
    "scope",  # a broad question also searches the chunks of the role it asks for
    "aim",  # a broad question prefers chunks of the role it asks for (recommendations ...)
    "sentence",  # the top passages are rescored by their best sentence
    "distinct",  # near-copies of a better passage leave the ranking
    "merge",  # neighbouring chunks of one report merge into one passage
    "whole",  # a first passage ending inside a block split between chunks gets the block's rest
)


def _f(default, reason: str, **kw):
    return field(default=default, metadata={"description": reason}, **kw)


@dataclass
class RetrievalConfig:
    candidates: int = _f(
        100,
        "Chunks taken from each retriever before fusion. 200 and 300 changed no ranking on the "
        "dev and tune sets; fewer starves the lexical side on long reports.",
    )
    exact_dense_max: int = _f(
        300_000,
        "Up to this many chunks the dense side is exact: the question's vector against every "
        "chunk's (read from Chroma once per catalogue change, kept with the lexical cache; "
        "300,000 x 384 floats is 460 MB). Chroma's HNSW graph is approximate and depends on "
        "the order records were added: on the shared corpus two processes returned different "
        "top-100 sets for 2 of 40 questions, one missing a chunk of cosine 0.69, so figures "
        "changed from run to run. Exact search takes 3.5 ms there, Chroma's query 11 ms. "
        "Above it (0: always), Chroma's approximate search.",
    )
    fusion: str = _f(
        "linear",
        "How dense and lexical evidence combine: 'linear' (cosine + w * BM25/best BM25) or "
        "'rrf' (reciprocal rank fusion, Cormack, Clarke & Buettcher, SIGIR 2009). Linear kept "
        "the raw similarities, which the evidence checks use, and ranked better on dev.",
    )
    rrf_k: int = _f(
        60, "RRF's k: 60 as in Cormack et al. 2009 (the fused score is scaled so rank 1 is 1.0)."
    )
    dense_weight: float = _f(
        1.0, "Weight of the cosine similarity: the unit the other weights are measured in."
    )
    lexical_weight: float = _f(
        0.3,
        "Weight of BM25 relative to the best lexical hit. Exact terms (names, numbers, "
        "paragraph words) matter in reports; 0.2-0.4 measured flat.",
    )
    coverage_weight: float = _f(
        0.6,
        "Weight of the idf-weighted share of the question's terms a chunk holds: BM25 favours "
        "one repeated rare term, a question usually needs all of its terms together.",
    )
    named_doc_bonus: float = _f(
        0.2,
        "Added for chunks of a report the question calls by a capitalised name (a title word, "
        "file name or title initials): a user naming a report wants that report.",
    )
    person_bonus: float = _f(
        0.2,
        "Added for chunks of a report that uses an anonymised name the question gives ('Mr "
        "T', 'Child R'; assistant/sentences.py LETTER_NAME): such a name is the review's own, "
        "and the tokenizer drops its letter, so neither BM25 nor the embedding can tell it. "
        "The same size as named_doc_bonus, for the same reason: the user has said which "
        "report.",
    )
    name_share: float = _f(
        0.5,
        "A capitalised word of the question calls the reports whose title or file name holds "
        "it only when at least this share of the chunks using the word belong to them: most "
        "uses of a report's name are in the report ('Leveson', 'Chilcot': all), a common word "
        "that one title holds is used everywhere ('school': 5% in the report titled with it).",
    )
    role_penalties: dict = _f(
        None,
        "Subtracted by the block role of a chunk: references and navigation are rarely what a "
        "question wants, though they share its words (a contents line holds a section title).",
        init=True,
    )
    scope_candidates: int = _f(
        30,
        "For a broad question ('what did the review recommend'), chunks of the role it asks "
        "for (recommendation; finding), in the reports it names, taken from each retriever "
        "besides the main candidates: a report's recommendations share few words with 'what "
        "was recommended' and miss the main pool on long reports, where its title page and "
        "introduction share the report's name.",
    )
    aim_bonus: float = _f(
        0.4,
        "Added, for a broad question ('what did the review recommend', 'what went wrong'), to "
        "chunks whose block role is what it asks for (recommendation; finding): the report's "
        "own statements of its findings answer it better than narrative sharing its words. "
        "Tune half: 0.2 moved nothing, 0.4 one more broad hit@5, no pointed change. Also "
        "added to recommendation chunks for a pointed question about what was recommended "
        "('what fine did the panel propose?', assistant/broad.py `pointed_roles`): tune "
        "pointed hit@5 0.888 to 0.908.",
    )
    sentence_weight: float = _f(
        0.4,
        "Weight of the passage's best sentence (question terms in ONE sentence, plus a cue bonus): "
        "a passage that answers tends to say it in one place; one sharing the topic spreads it.",
    )
    sentence_cue: float = _f(
        0.2, "Bonus in that sentence score when it holds what the question type asks for."
    )
    sentence_top: int = _f(
        20, "Passages rescored by their best sentence (40 and 100 gave the same rankings)."
    )
    sentence_near: float = _f(
        0.5, "Share of the best neighbouring sentence counted: the answer often follows its topic."
    )
    sentence_related: int = _f(
        5,
        "That sentence holds a question's term also as a word of the same family: one stem "
        "begins with the other, both of at least this many letters ('opposition' for "
        "'opposed'; assistant/sentences.py related_words). Shorter stems are too often "
        "different words ('sign', 'signific'); tune half: 5 raised pointed keys 0.757 to "
        "0.775 and broad hit@5 0.588 to 0.618, 6 moved nothing. 0: off.",
    )
    merge_window: int = _f(
        10, "Among this many first passages, neighbours in one report merge (15 and 20: same)."
    )
    merge_span: int = _f(
        3,
        "Chunks within this many consecutive places merge into one passage (1: off). 4 made "
        "passages longer with no gain within a 1,200-word reading budget.",
    )
    whole_window: int = _f(
        5,
        "The first this many passages, when they end inside a block (paragraph) the chunker "
        "split at a sentence, take in the rest of it (assistant/neighbours.py whole_blocks). "
        "Tune half: hit@5 0.848 to 0.856, nothing lost; 3 and 10 measured the same. Taking in "
        "the chunk before as well cost evidence recall within 1,200 words (0.704 to 0.7) and "
        "gained nothing.",
    )
    whole_chunks: int = _f(
        3,
        "A grown passage holds at most this many chunks, so it stays a quotable excerpt.",
    )
    duplicate_overlap: float = _f(
        0.9,
        "A passage sharing this share of its words with a better one (a summary repeated in the "
        "body) leaves the ranking: it would only take a place. 0.8 measured the same.",
    )
    off: tuple = _f((), "Stages switched off (names in assistant.tuning.STAGES), for ablation.")

    def __post_init__(self):
        if self.role_penalties is None:
            self.role_penalties = dict(DEFAULT_ROLE_PENALTIES)
        unknown = set(self.off) - set(STAGES)
        if unknown:
            raise ValueError(f"unknown retrieval stage(s): {', '.join(sorted(unknown))}")

    def on(self, stage: str) -> bool:
        return stage not in self.off


# Roles (ingest/roles.py marks them) and how much a chunk of that role is pushed down.
# Footnotes: 0.1 measured best of 0.05-0.5 on dev. Contents lines, title pages and OCR noise are
# never an answer: pushed far down, but still findable by a direct look-up. Terms of reference
# share every word of "what did the inquiry look at" and answer little else.
DEFAULT_ROLE_PENALTIES = {
    "footnote": 0.1,
    "contents": 0.5,
    "front": 0.3,
    "terms": 0.2,
    "noise": 0.5,
}


@dataclass
class AnswerConfig:
    named_only: bool = _f(
        True,
        "A pointed question that calls a report by name ('What did the Chilcot inquiry cost?') "
        "is answered from that report's passages or refused: a figure from another report "
        "that shares the topic answers a different question.",
    )
    min_coverage: float = _f(
        0.25,
        "Refuse when the best of the top 3 passages holds less than this idf-weighted share of "
        "the question's terms (with its title and section): the reports do not speak of it.",
    )
    min_dense: float = _f(
        0.4, "Refuse when no top-3 passage reaches this cosine similarity to the question."
    )
    dense_veto_below: float = _f(
        0.5,
        "... unless the best passage holds at least this idf-weighted share of the question's "
        "terms: a question sharing most of its rare words with a passage is about it, however "
        "its wording lowers the similarity ('Quote word for word the analyst's message "
        "about ...'). Tune half: the two questions the similarity refused with coverage above "
        "0.5 were answerable; the refused questions about absent topics have coverage under 0.3. "
        "A question of fewer than three terms ('When did that happen?') is not vouched for.",
    )
    passages_considered: int = _f(
        3, "Chunks whose sentences compete for the answer (4-5 measured no better)."
    )
    rank_power: float = _f(
        1.0,
        "A lower-ranked chunk's sentences weigh (its score / the top score) to this power. "
        "2 (with rank_step 0.3) was chosen on dev; on the tune half, 1 with 0.2 let a third "
        "chunk's sentence holding the question's years and sums beat a first chunk's that "
        "holds only its topic (pointed keys 0.78 to 0.792; dev unchanged); 0.1 per place "
        "gained the same and lost a broad key.",
    )
    rank_step: float = _f(0.2, "... and lose this share per place in the ranking.")
    cue_bonus: float = _f(
        0.35, "Added to a sentence that holds what the question type asks for (a date ...)."
    )
    other_ratio: float = _f(
        0.3, "A sentence from another chunk joins the answer when it scores this share of the best."
    )
    signpost_weight: float = _f(
        0.5,
        "A signpost ('This chapter sets out ...', 'See paragraph 4.2', assistant/broad.py "
        "SIGNPOSTS; and a sentence that asks, 'Who is this advice for?') weighs this share of "
        "its score in a pointed answer: it shares the question's words and states nothing, yet may be all a passage says of what a chapter "
        "covers. Broad answers never quote one.",
    )
    others: int = _f(1, "How many sentences from other chunks may join a pointed answer.")
    part_ratio: float = _f(
        0.5,
        "A question that asks two things gets a sentence per part. When one sentence is the "
        "best for two parts, the later part takes its next best sentence if it scores at least "
        "this share of its best: a sentence that states both facts is rare, and the next best "
        "usually states the second (0.5: half as relevant, as other_ratio's reasoning).",
    )
    long_names: bool = _f(
        True,
        "Refuse a question naming something of several words ('the Crime and Courts Act') "
        "that no indexed text holds as a phrase, as a one-word name no text holds is refused "
        "(assistant/evidence.py unknown_names). False: only single words are checked.",
    )
    related_stems: int = _f(
        5,
        "An answer's sentence holds a question's term also as a word of the same family, one "
        "stem beginning with the other, both of at least this many letters "
        "(assistant/sentences.py related_words; as the retrieval branch's sentence_related): "
        "tune pointed keys 0.775 to 0.78 on top of it. The refusal's fact check keeps exact "
        "stems (family words there moved no tune figure). 0: off.",
    )
    followup_context: float = _f(
        0.5,
        "A follow-up ('And what did that change mean?') picks its sentences by its own words "
        "and, at this share of their weight, the words of the question before it that it "
        "does not repeat: 'that change' is the one the previous question named. 0: its own "
        "words only; 1: the two questions as one, which answers the previous question again.",
    )
    cue_reach: int = _f(
        6,
        "The asked kind of fact (a date for 'when') is looked for in this many chunks; with none "
        "stated there the question is refused (0: off).",
    )
    ordinal_check: bool = _f(
        True,
        "A question that picks one of several by an ordinal ('her fifth review', 'the second "
        "interim report') is refused when none of the `cue_reach` chunks speaks of that one "
        "(the ordinal with a word of what it counts): they speak of another. Tune half and the "
        "extra tune set: three near misses asked for an ordinal the reports never give.",
    )
    name_check: bool = _f(
        True,
        "A question asking who holds an office or relation that only a person holds ('Who "
        "was the trust's chief executive?', assistant/qtypes.py `HOLDER`), or which "
        "institution of a kind whose names carry it ('In which prison ...?', `INSTITUTION`), "
        "is refused when no sentence of the `cue_reach` chunks names a person (index/persons.py) "
        "beside that office, or a name beside that kind, other than those the question names: "
        "a sentence about the office or the kind alone does not say who or which. Extra tune "
        "set: near-miss refusal 0.475 to 0.6 (persons), no answer lost; tune half and dev "
        "unchanged.",
    )
    short_forms: bool = _f(
        True,
        "A sentence using a short form its report defines ('the NoTW', 'four PEAPs') holds "
        "the long form's words when answer sentences are scored, as the `spell` and "
        "`sentence` retrieval stages read it (index/shortforms.py). Extra tune set: pointed "
        "keys 0.75 to 0.773; tune half and dev figures unchanged.",
    )
    unknown_check: bool = _f(
        True,
        "A pointed answer whose sentence says the asked fact is not known ('for reasons which "
        "remain unclear', 'it is not known when ...': assistant/unknowns.py) is a refusal "
        "that quotes it: the report's own word that it cannot answer. Extra 3 near-miss "
        "refusal 0.281 to 0.438, no answer lost on the tune sets or dev.",
    )
    fact_first: bool = _f(
        True,
        "The passage whose sentence states the asked kind of fact leads the answer when the "
        "best-scoring sentence states none ('how much did it cost?' reads the cost first, "
        "then the sentences that named the topic). Order only: no figure counts it.",
    )
    cue_share: float = _f(
        0.2, "... in a sentence sharing at least this idf-weighted share of the question."
    )
    rare_name: float = _f(
        0.05,
        "A name of the question that fewer than this share of a report's chunks use is one "
        "thing among the many the report covers, not what it is about ('Scotland' in a report "
        "on prosecutions in England): the sentence stating the asked fact, the ones either side "
        "of it or its section title must name it too. 0: off (names decide only the report). "
        "Tune half and the extra tune set: 0.05 refused two more near misses and lost no "
        "answer; 0.02 refused one; 0.1 and 0.2 also refused one answerable dev question "
        "(assistant/reportuse.py).",
    )
    topic_spread: float = _f(
        0.5,
        "A word of the question that a report uses in at least this share of its chunks is "
        "what the report is about: it names the topic, not the asked fact, and does not count "
        "towards the share a fact sentence of that report needs (`cue_share`): 'when is the "
        "advice next due to be reviewed?' is not answered by 'the advice ... published in "
        "July 2018'. 0: off. Tune half and the extra tune set: 0.4 to 0.7 refused one more "
        "near miss and lost no answer; 0.3 also refused one answerable dev question "
        "(assistant/reportuse.py).",
    )
    broad_points: int = _f(
        8,
        "Most points in an answer to a broad question ('what went wrong', 'what was "
        "recommended'): enough to cover several findings. Tune half: 5 -> 8 raised broad "
        "answer-key coverage 0.265 -> 0.301 (with no word limit), pointed answers unchanged.",
    )
    list_items: int = _f(
        4,
        "Sentences quoted after the one that opens a list ('The principles are:') when the "
        "question does not say how many items it wants; a question that says ('the seven "
        "principles') gets that many items, each with its own sentences.",
    )
    list_items_max: int = _f(
        12, "The most items quoted from one list: longer lists are cited, not copied out."
    )
    broad_per_passage: int = _f(
        3,
        "At most this many points of a broad answer from one passage, so several are heard. A "
        "report's summary or conclusions often state several findings in one passage: tune half, "
        "extra 2 and extra 3 broad keys 0.398 / 0.21 / 0.216 at 2, 0.407 / 0.258 / 0.236 at 3.",
    )
    broad_words: int = _f(
        250,
        "A broad answer stops taking points once it holds this many words: about a minute's "
        "reading (200-250 words a minute). Tune half: broad keys 0.292 at 250 (0.283 at 200, "
        "0.301 unlimited, whose longest answer ran to 414 words).",
    )
    broad_reach: int = _f(
        6,
        "Chunks whose sentences may be points of a broad answer, in rank order (10: the same "
        "broad answer-key coverage on the tune half).",
    )
    broad_keep: float = _f(
        0.3,
        "A broad answer's point must score at least this share of the best point's score: "
        "past it, sentences share little of the topic.",
    )
    broad_states: float = _f(
        0.5,
        "Added to a point that states what the broad question asks for (a finding's or a "
        "recommendation's wording, assistant/broad.py AIMS), in units of the topic share.",
    )
    broad_section: float = _f(
        0.5,
        "Added to a point from a section whose title names what the question asks for "
        "('Conclusions', 'Recommendations', 'Summary').",
    )
    broad_rank_floor: float = _f(
        0.2,
        "A point weighs by its chunk's score over the top chunk's, but never less than this: "
        "the ranking is weak evidence among chunks that all share the topic.",
    )
