"""Warm `ask` latency: prints figures, asserts nothing.

usage: python scripts/bench_ask.py QUESTIONS.jsonl [QUESTIONS.jsonl ...] [--rounds 2]

Asks every question of the files against the index in INQUIRY_HOME (ingest the corpus first,
e.g. `make eval`), after one warm-up question, `--rounds` times, and prints p50 / p95 / max of
the total time per question and of its retrieval and answer parts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.settings import Settings, apply_offline_env  # noqa: E402


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", nargs="+")
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    apply_offline_env()
    from assistant.service import Assistant

    qs = [
        json.loads(line)["question"]
        for f in a.questions
        for line in Path(f).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assistant = Assistant(Settings.from_env())
    assistant.warm()
    assistant.ask("warm up: what did the report recommend?")
    times: dict[str, list[float]] = {"total_ms": [], "retrieve_ms": [], "answer_ms": []}
    for _ in range(a.rounds):
        for q in qs:
            t = assistant.ask(q).timings_ms
            for key in times:
                times[key].append(t[key])
    chunks = len(assistant.retriever.current().ids)
    print(f"{len(qs)} questions x {a.rounds} rounds over {chunks} chunks (warm)")
    for key, vals in times.items():
        print(
            f"{key:12} p50 {pct(vals, 0.5):7.1f}  p95 {pct(vals, 0.95):7.1f}  max {max(vals):7.1f}"
        )


if __name__ == "__main__":
    main()
