"""Ingest benchmark: prints figures, asserts nothing.

usage: python scripts/bench_ingest.py CORPUS_DIR [--home DIR] [--skip-bare]

1. full ingest of CORPUS_DIR into a fresh data directory: wall time, chunks/s, tokens/s, peak RSS
2. re-ingest of the unchanged corpus (target: under 3 s)
3. re-ingest after one document changed (only that document is re-embedded)
4. the same embedding texts through a bare SentenceTransformer.encode at its best batch size,
   so the pipeline's overhead shows as a ratio
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402

EXCLUDE = ["INDEX.md", "SOURCE.md"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_ingest(a: Assistant, corpus: Path) -> tuple[float, object, int]:
    t0 = time.perf_counter()
    plan, embedded = a.ingest([corpus], exclude=EXCLUDE)
    return time.perf_counter() - t0, plan, embedded


def bare_encode(a: Assistant, texts: list[str], sizes: list[int]) -> tuple[int, float]:
    model = a.embedder.model
    best = (0, float("inf"))
    for bs in sizes:
        t0 = time.perf_counter()
        model.encode(texts, batch_size=bs, normalize_embeddings=True, show_progress_bar=False)
        dt = time.perf_counter() - t0
        print(f"  bare encode batch={bs}: {dt:.1f} s")
        best = min(best, (bs, dt), key=lambda x: x[1])
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--home", type=Path, default=None)
    ap.add_argument("--skip-bare", action="store_true")
    ap.add_argument("--batch", type=int, action="append", help="bare-encode batch sizes to try")
    args = ap.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="inquiry-bench-"))
    work = Path(tempfile.mkdtemp(prefix="inquiry-corpus-"))
    corpus = work / "corpus"
    shutil.copytree(args.corpus, corpus)
    a = Assistant(Settings.from_env(env={}, home=home))
    a.embedder.embed(["warm up"])

    dt, plan, embedded = timed_ingest(a, corpus)
    chunks = [t for _, t, m in a.store.all_chunks()]
    texts = [m.get("embed_text") or t for _, t, m in a.store.all_chunks()]
    texts.sort()  # Chroma's order is not the ingest order; sorting makes runs comparable
    tokens = sum(min(a.embedder.count_tokens(t), 256) for t in texts)
    print(
        f"full ingest: {dt:.1f} s, {len(plan.items)} files, {len(chunks)} chunks, "
        f"{len(chunks) / dt:.1f} chunks/s, {tokens / dt:.0f} embedded tokens/s, "
        f"peak RSS {peak_mb():.0f} MB"
    )
    failed = plan.of("failed")
    if failed:
        print("  failed:", [(i.source, i.reason) for i in failed])

    dt2, plan2, emb2 = timed_ingest(a, corpus)
    print(f"re-ingest unchanged: {dt2:.2f} s, embedded {emb2}, counts {plan2.counts()}")

    victim = sorted(p for p in corpus.rglob("*.md") if p.name not in EXCLUDE)[0]
    victim.write_text(
        victim.read_text(encoding="utf-8") + "\n\nA paragraph added for the benchmark.\n"
    )
    dt3, plan3, emb3 = timed_ingest(a, corpus)
    print(
        f"re-ingest after one change ({victim.name}): {dt3:.2f} s, embedded {emb3} chunks, "
        f"counts {plan3.counts()}"
    )

    if not args.skip_bare:
        bs, bare = bare_encode(a, texts, args.batch or [16, 32, 64, 128])
        print(
            f"bare SentenceTransformer.encode of the same {len(texts)} texts: {bare:.1f} s "
            f"(batch {bs}); pipeline/bare = {dt / bare:.2f}"
        )
    shutil.rmtree(work, ignore_errors=True)
    if args.home is None:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
