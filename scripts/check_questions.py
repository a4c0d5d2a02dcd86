#!/usr/bin/env python3
"""Check a question file: format, and every evidence snippet found in its document's text.
usage: python3 check_q.py FILE.jsonl   (plain-text dumps of the corpus in $QUESTION_TEXTS, made by scripts/dump_texts.py)"""

import json
import pathlib
import re
import sys
import unicodedata

TEXT = pathlib.Path(__import__("os").environ.get("QUESTION_TEXTS", "/tmp/question-texts"))
KINDS = {"fact", "why", "list", "quote", "broad", "cross-doc", "unanswerable"}


def norm(s):
    s = unicodedata.normalize("NFKC", s or "").replace("\u00ad", "")
    s = re.sub(r"-\s*\n\s*", "", s)
    for a, b in (
        ("‘", "'"),
        ("’", "'"),
        ("“", '"'),
        ("”", '"'),
        ("–", "-"),
        ("—", "-"),
        ("−", "-"),
    ):
        s = s.replace(a, b)
    return re.sub(r"\s+", " ", s).strip().lower()


cache = {}


def doc_text(doc, file):
    key = (doc, file)
    if key not in cache:
        base = TEXT / "sample" if doc == "sample" else TEXT / doc
        files = [base / (file + ".txt")] if file else sorted(base.rglob("*.txt"))
        cache[key] = norm(" ".join(f.read_text() for f in files if f.exists()))
    return cache[key]


bad = 0
ids = set()
for n, line in enumerate(pathlib.Path(sys.argv[1]).read_text().splitlines(), 1):
    if not line.strip():
        continue
    q = json.loads(line)
    for f in ("id", "question", "kind", "doc", "file", "evidence", "para", "page", "answer_keys"):
        if f not in q:
            print(f"line {n}: missing {f}")
            bad += 1
    if q["id"] in ids:
        print(f"line {n}: duplicate id {q['id']}")
        bad += 1
    ids.add(q["id"])
    if q["kind"] not in KINDS:
        print(f"{q['id']}: bad kind {q['kind']}")
        bad += 1
    if q["kind"] == "unanswerable":
        if q["evidence"] or q["doc"]:
            print(f"{q['id']}: unanswerable must have empty doc/evidence")
            bad += 1
        continue
    docs, files = q["doc"].split("+"), q["file"].split("+")
    if len(files) < len(docs):
        files += [""] * (len(docs) - len(files))
    for ev in q["evidence"]:
        w = len(ev.split())
        if not 6 <= w <= 30:
            print(f"{q['id']}: evidence of {w} words: {ev[:60]}")
            bad += 1
        if not any(norm(ev) in doc_text(d, f) for d, f in zip(docs, files)):
            print(f"{q['id']}: evidence NOT FOUND: {ev[:80]}")
            bad += 1
    if not q["answer_keys"]:
        print(f"{q['id']}: no answer_keys")
        bad += 1
    for k in q["answer_keys"]:
        alts = [a for a in k.split("|") if a.strip()]
        if not any(any(norm(a) in norm(ev) for ev in q["evidence"]) for a in alts):
            print(f"{q['id']}: answer key {k!r} not in its evidence (allowed, but check)")
print(f"{len(ids)} questions, {bad} problems")
