"""Measure the derived registers against the hand-made lists in eval/derived/.

    INQUIRY_HOME=/tmp/derive-data python scripts/eval_derived.py [--lists eval/derived]
    python scripts/eval_derived.py --files ../shared/corpus --files corpus   # no index needed

For each `recommendations-*.jsonl` list: precision (register items of that report that are on
the list) and recall (list items found in the register). A list item is found when its opening
words ("starts") appear in an item's text (case, punctuation and markup ignored); an item is
right when it holds some list item's opening words. For each `chronology-*.jsonl` list: the same
for events, plus how many found events carry the listed date. Lists with a `para` field limit
the register to those paragraphs (the chronology section of a report); lists with a `scope`
field cover every document under that folder (but `exclude`). Then the theme grid for
"information sharing" over every indexed report, timed warm (best of three after one run).

`--files FOLDER` (repeatable) reads and chunks the documents with ingest/ (the chunker counting
tokens by estimate, not with the model's tokenizer) and builds the lexical index in memory,
instead of reading an ingested INQUIRY_HOME.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("’", "'")).split())


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def score(items, gold: list[dict], with_dates: bool) -> dict:
    texts = [norm(i.text) for i in items]
    found, dated = 0, 0
    right = [False] * len(items)
    for g in gold:
        key = norm(g["starts"])
        hits = [n for n, t in enumerate(texts) if key in t or (len(t) > 30 and t in key)]
        for n in hits:
            right[n] = True
        if hits:
            found += 1
            if with_dates and any(items[n].date == g["date"] for n in hits):
                dated += 1
    out = {
        "list": len(gold),
        "register": len(items),
        "precision": round(sum(right) / len(items), 3) if items else 0.0,
        "recall": round(found / len(gold), 3) if gold else 0.0,
    }
    if with_dates:
        out["date_right"] = f"{dated}/{found}"
    return out


class FilesAssistant:
    """What Derived needs of an Assistant (settings.home, retriever.lexical(), docs), built
    from files read and chunked in memory."""

    def __init__(self, roots: list[Path]):
        import tempfile
        from types import SimpleNamespace

        from index.lexical import LexicalIndex
        from ingest.chunking import chunk_document
        from ingest.load import discover, read_document

        rows = []
        for path, root in discover(roots, ["INDEX.md", "SOURCE.md", "*.meta.json"]):
            doc = read_document(path, root)
            for c in chunk_document(doc, max_tokens=200):
                meta = {k: v for k, v in c.to_dict().items() if k not in ("text", "chunk_id")}
                meta["version"] = doc.content_hash
                rows.append((f"{c.doc_id}:{c.ordinal:05d}", c.text, meta))
        lex = LexicalIndex.build(rows)
        self.settings = SimpleNamespace(home=Path(tempfile.mkdtemp(prefix="derive-eval-")))
        self.retriever = SimpleNamespace(lexical=lambda: lex)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lists", default=str(Path(__file__).resolve().parents[1] / "eval/derived"))
    ap.add_argument("--theme", default="information sharing")
    ap.add_argument("--files", action="append", help="derive from these folders' files")
    args = ap.parse_args(argv)
    from assistant.derive.service import Derived
    from assistant.service import Assistant
    from assistant.settings import Settings, apply_offline_env

    apply_offline_env()
    if args.files:
        derived = Derived(FilesAssistant([Path(f) for f in args.files]))
    else:
        derived = Derived(Assistant(Settings.from_env()))
    t0 = time.perf_counter()
    current = derived.current()
    print(f"derived items for {len(current)} documents in {time.perf_counter() - t0:.1f} s")
    by_source = {d.source: d for d in current.values()}
    for path in sorted(Path(args.lists).glob("*.jsonl")):
        gold = load(path)
        scope, exclude = gold[0].get("scope"), gold[0].get("exclude")
        if scope:  # a list over every document under a folder (a report in many files)
            docs = [d for s, d in by_source.items() if s.startswith(scope) and s != exclude]
        else:
            docs = [by_source[gold[0]["source"]]] if gold[0]["source"] in by_source else []
        if not docs:
            print(f"{path.name}: {scope or gold[0]['source']} is not indexed; skipped")
            continue
        events = path.name.startswith("chronology")
        items = [i for d in docs for i in (d.events if events else d.recommendations)]
        paras = {g["para"].split(".")[0] for g in gold if g.get("para")}
        if events and paras:  # the list covers one section: measure the register there
            items = [i for i in items if i.para and i.para.split(".")[0] in paras]
        print(f"{path.name:45} {json.dumps(score(items, gold, events))}")
    lex = derived.assistant.retriever.lexical()
    derived.themes(args.theme)  # first run: warms the lexical index's per-chunk term sets
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        cells = derived.themes(args.theme)
        times.append(time.perf_counter() - t0)
    found = sum(c.found for c in cells)
    print(
        f'theme grid "{args.theme}": {len(cells)} reports, {found} cited cells, '
        f"{len(cells) - found} 'not found'; warm {min(times):.2f} s (best of 3; "
        f"{len(lex.ids)} chunks)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
