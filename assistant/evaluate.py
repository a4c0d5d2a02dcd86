"""`inquiry eval`: run a question set, write one JSON result per question, print the figures.

Question format: ../shared/eval/README.md. Evidence matching follows that README: a passage is a
hit when, after normalising (case, white space, curly quotes and dashes, line-end hyphenation),
it contains an evidence snippet, or at least half of the snippet's word 4-grams.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "−": "-"})


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "").replace("\u00ad", "")
    s = re.sub(r"-\s*\n\s*", "", s).translate(_PLAIN)
    return re.sub(r"\s+", " ", s).strip().lower()


def _grams(s: str, n: int = 4) -> set:
    w = re.findall(r"[a-z0-9£$%']+", norm(s))
    return {tuple(w[i : i + n]) for i in range(max(0, len(w) - n + 1))}


def contains(passage: str, snippet: str) -> bool:
    p, s = norm(passage), norm(snippet)
    if s in p:
        return True
    g = _grams(snippet)
    return bool(g) and len(g & _grams(passage)) / len(g) >= 0.5


def para_labels(para) -> set[str]:
    """'3.41', '3.41-3.43', ['64', '65'] -> the set of labels, ranges expanded."""
    parts = para if isinstance(para, list) else re.split(r"[,;]", str(para or ""))
    out = set()
    for part in (str(x).strip().rstrip(".") for x in parts):
        m = re.fullmatch(r"((?:\d+\.)*)(\d+)\s*[-–—]\s*((?:\d+\.)*)(\d+)", part)
        if m and m.group(3) in ("", m.group(1)) and int(m.group(4)) - int(m.group(2)) < 200:
            out |= {f"{m.group(1)}{i}" for i in range(int(m.group(2)), int(m.group(4)) + 1)}
        elif part:
            out.add(part)
    return out


def label_ok(q: dict, p: dict) -> bool:
    gold_para = {str(x) for x in q.get("para", [])}
    gold_page = {int(x) for x in q.get("page", [])}
    pages = set()
    if isinstance(p.get("page"), int):
        end = p.get("page_end") if isinstance(p.get("page_end"), int) else p["page"]
        pages = set(range(p["page"], end + 1))
    return bool((gold_para & para_labels(p.get("para"))) or (gold_page & pages))


def quote_page_ok(q: dict, c: dict) -> bool:
    """A citation's page (or pages) for its quote holds one of the question's gold pages."""
    if not isinstance(c.get("page"), int):
        return False
    end = c["page_end"] if isinstance(c.get("page_end"), int) else c["page"]
    return bool({int(x) for x in q["page"]} & set(range(c["page"], end + 1)))


def key_ok(answer: str, key: str) -> bool:
    a = norm(answer)
    return any(norm(alt) in a for alt in key.split("|") if alt.strip())


@dataclass
class Tally:
    k: int = 5
    words: int = 1200
    n: dict = field(
        default_factory=lambda: dict.fromkeys(
            (
                "ans",
                "hit",
                "ev",
                "ev_total",
                "bhit",
                "bev",
                "label",
                "label_n",
                "keys",
                "keys_n",
                "unans",
                "refused_ok",
                "false_refusals",
                "cites",
                "cites_ok",
                "qpage",
                "qpage_n",
            ),
            0,
        )
    )
    rr: float = 0.0
    latency: list = field(default_factory=list)

    def add(self, q: dict, r: dict) -> None:
        n = self.n
        self.latency.append(r["timings_ms"].get("total_ms", 0.0))
        if q["kind"] == "unanswerable":
            n["unans"] += 1
            n["refused_ok"] += r["status"] == "insufficient_evidence"
            return
        n["ans"] += 1
        n["false_refusals"] += r["status"] == "insufficient_evidence"
        top = r["passages"][: self.k]
        first = None
        for snip in q["evidence"]:
            n["ev_total"] += 1
            ranks = [i for i, p in enumerate(top) if contains(p["text"], snip)]
            if ranks:
                n["ev"] += 1
                first = min(first if first is not None else 99, ranks[0])
                if q.get("para") or q.get("page"):
                    n["label_n"] += 1
                    n["label"] += label_ok(q, top[ranks[0]])
        n["hit"] += first is not None
        self.rr += 1 / (first + 1) if first is not None else 0
        read = budget(r["passages"], self.words)
        found = [any(contains(p["text"], s) for p in read) for s in q["evidence"]]
        n["bhit"] += any(found)
        n["bev"] += sum(found)
        for key in q.get("answer_keys", []):
            n["keys_n"] += 1
            n["keys"] += key_ok(r["answer"], key)
        for c in r["citations"]:
            n["cites"] += 1
            n["cites_ok"] += any(c["quote"] in p["text"] for p in r["passages"])
            ev = q["evidence"]
            if q.get("page") and any(
                contains(c["quote"], s) or contains(s, c["quote"]) for s in ev
            ):
                n["qpage_n"] += 1  # the page a citation gives for the quote holding evidence
                n["qpage"] += quote_page_ok(q, c)

    def figures(self) -> dict:
        n, lat = self.n, sorted(self.latency) or [0.0]
        div = lambda a, b: round(a / b, 3) if b else None  # noqa: E731  (None: nothing to count)
        return {
            "questions": n["ans"] + n["unans"],
            f"hit@{self.k}": div(n["hit"], n["ans"]),
            f"evidence_recall@{self.k}": div(n["ev"], n["ev_total"]),
            f"mrr@{self.k}": div(self.rr, n["ans"]),
            f"hit@{self.words}w": div(n["bhit"], n["ans"]),
            f"evidence_recall@{self.words}w": div(n["bev"], n["ev_total"]),
            "label_accuracy": div(n["label"], n["label_n"]),
            "quote_page_accuracy": div(n["qpage"], n["qpage_n"]),
            "answer_key_coverage": div(n["keys"], n["keys_n"]),
            "refusal_accuracy": div(n["refused_ok"], n["unans"]),
            "false_refusal_rate": div(n["false_refusals"], n["ans"]),
            "citation_quotes_verbatim": div(n["cites_ok"], n["cites"]),
            "latency_p50_ms": round(lat[len(lat) // 2], 1),
            "latency_p95_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.95))], 1),
        }


def budget(passages: list[dict], words: int) -> list[dict]:
    """Passages in rank order until `words` words have been read (at least one)."""
    out, used = [], 0
    for p in passages:
        used += len(p["text"].split())
        if out and used > words:
            break
        out.append(p)
    return out


def load_questions(path: Path) -> list[dict]:
    from ingest.errors import ConfigError

    if not path.is_file():
        raise ConfigError(f"{path}: no such question file")
    qs = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                qs.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise ConfigError(f"{path}:{i}: not a JSON line ({e.msg})") from None
    return qs


# Groups reported apart (the question kinds of ../shared/eval/README.md).
GROUPS = {
    "pointed": ("fact", "why", "list", "quote"),
    "broad": ("broad", "cross-doc"),
}


def run_eval(assistant, questions: Path, out: Path | None, *, k: int = 5, echo=print) -> dict:
    """Ask every question (a follow-up, with a `history` of earlier questions, after them),
    write one JSON result per question, print the figures overall and per group."""
    qs = load_questions(questions)
    assistant.warm()
    tally = Tally(k=k)
    groups = {name: Tally(k=k) for name in GROUPS}
    sink = out.open("w", encoding="utf-8") if out else None
    t0 = time.perf_counter()
    try:
        for q in qs:
            history = []
            for earlier in q.get("history") or []:
                history.append((earlier, assistant.ask(earlier, k=10, history=history).answer))
            answer = assistant.ask(q["question"], k=10, history=history or None)
            r = {"id": q.get("id"), **answer.to_json()}
            tally.add(q, r)
            for name, kinds in GROUPS.items():
                if q["kind"] in kinds:
                    groups[name].add(q, r)
            if sink:
                sink.write(json.dumps(r) + "\n")
    finally:
        if sink:
            sink.close()
    figures = tally.figures()
    figures["seconds"] = round(time.perf_counter() - t0, 1)
    for key, value in figures.items():
        echo(f"{key}: {'n/a (no such questions)' if value is None else value}")
    for name, g in groups.items():
        if g.n["ans"]:
            f = g.figures()
            keep = ("questions", f"hit@{k}", f"evidence_recall@{g.words}w", "answer_key_coverage",
                    "false_refusal_rate")  # fmt: skip
            echo(f"[{name}] " + ", ".join(f"{x}: {f[x]}" for x in keep))
            figures[name] = {x: f[x] for x in keep}
    return figures
