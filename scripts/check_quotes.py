"""Check what answers show a reader: `python scripts/check_quotes.py RESULTS.jsonl ...`.

Reads the per-question results that `inquiry eval --out` writes and prints every answer
sentence or citation `display` that carries file markup or layout (`**`, `[^`, `]_`, a dotted
leader, a line break inside a sentence), and every citation of a contents line, title page or
other front matter. Prints the counts per file; exits 1 when anything was found.
"""

from __future__ import annotations

import json
import re
import sys

MARKUP = {
    "emphasis **": re.compile(r"\*\*"),
    "footnote [^": re.compile(r"\[\^"),
    "rst footnote ]_": re.compile(r"\]_"),
    "dotted leader": re.compile(r"(?:\.\s?){5,}|…{2,}"),
    "line break in a sentence": re.compile(r"[^.!?:;\"”’)\]\n]\n(?!\n)\s*[a-z]"),
}
NOT_QUOTED_ROLES = frozenset({"contents", "front"})


def problems(result: dict) -> list[str]:
    out = []
    for part in (result.get("answer") or "").split("\n\n"):
        out += [f"answer: {name}: {part[:90]!r}" for name, rx in MARKUP.items() if rx.search(part)]
    roles = {p.get("chunk_id"): p.get("role") for p in result.get("passages") or []}
    for c in result.get("citations") or []:
        text = c.get("display") or ""
        out += [f"display: {name}: {text[:90]!r}" for name, rx in MARKUP.items() if rx.search(text)]
        if roles.get(c.get("chunk_id")) in NOT_QUOTED_ROLES:
            out.append(f"cites a {roles[c['chunk_id']]} block: {text[:90]!r}")
    return out


def main(paths: list[str]) -> int:
    found = 0
    for path in paths:
        n = bad = 0
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                result = json.loads(line)
                n += 1
                got = problems(result)
                bad += bool(got)
                for g in got:
                    print(f"{path}: {result.get('id')}: {g}")
        print(f"{path}: {n} answers, {bad} with a problem")
        found += bad
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
