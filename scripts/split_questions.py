"""Split our own question set once, by a fixed seed, into a tune half and a check half.

usage: python scripts/split_questions.py   (reads eval/src/own-*.jsonl, writes eval/tune.jsonl
and eval/check.jsonl). Stratified by kind; a follow-up stays in the half of the question it
follows. Run once, when the questions were written: code is changed while looking at tune-half
failures only, and the check half is only ever scored.
"""

import json
import random
from collections import defaultdict
from pathlib import Path

SEED = 20261202  # the day the set was split; fixed so the halves never move
ROOT = Path(__file__).resolve().parent.parent / "eval"


def main() -> None:
    qs = [
        json.loads(line)
        for f in sorted((ROOT / "src").glob("own-*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    by_text = {q["question"]: q for q in qs}
    groups: dict[str, list[dict]] = defaultdict(list)  # a question and its follow-ups
    for q in qs:
        head = q
        while head.get("history") and head["history"][-1] in by_text:
            head = by_text[head["history"][-1]]
        groups[head["id"]].append(q)
    strata: dict[str, list[str]] = defaultdict(list)
    for gid, members in groups.items():
        strata[next(q for q in members if q["id"] == gid)["kind"]].append(gid)
    rng = random.Random(SEED)
    halves: dict[str, list[dict]] = {"tune": [], "check": []}
    for kind in sorted(strata):
        ids = sorted(strata[kind])
        rng.shuffle(ids)
        for i, gid in enumerate(ids):
            halves["tune" if i % 2 == 0 else "check"].extend(groups[gid])
    for name, half in halves.items():
        half.sort(key=lambda q: q["id"])
        (ROOT / f"{name}.jsonl").write_text(
            "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in half), encoding="utf-8"
        )
        kinds = defaultdict(int)
        for q in half:
            kinds[q["kind"]] += 1
        print(name, len(half), dict(sorted(kinds.items())))


if __name__ == "__main__":
    main()
