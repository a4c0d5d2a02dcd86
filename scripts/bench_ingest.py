"""Ingest benchmark: prints figures, asserts nothing.

usage: python scripts/bench_ingest.py CORPUS_DIR [--home DIR] [--skip-bare] [--quick-vectors]
       python scripts/bench_ingest.py CORPUS_DIR --home DIR --cli-only

1. full ingest of CORPUS_DIR into a fresh data directory: wall time, chunks/s, tokens/s, peak RSS
2. re-ingest of the unchanged corpus, in process
3. the command line as a user runs it, each a new process (start-up included): a no-op
   `inquiry ingest CORPUS_DIR` (goal: under 2 s) and `inquiry docs` (goal: under 1 s),
   wall time of each run and peak RSS
4. re-ingest after one document changed (only that document is re-embedded)
5. the same embedding texts through a bare SentenceTransformer.encode at its best batch size,
   so the pipeline's overhead shows as a ratio

--quick-vectors: chunk with the real tokenizer but store random unit vectors instead of
embedding (the same chunks and catalogue in minutes): for the command-line figures at scale.
--cli-only: only step 3, on a data directory that already holds CORPUS_DIR.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402

EXCLUDE = ["INDEX.md", "SOURCE.md"]
REPO = Path(__file__).resolve().parents[1]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_ingest(a: Assistant, corpus: Path) -> tuple[float, object, int]:
    t0 = time.perf_counter()
    plan, embedded = a.ingest([corpus], exclude=EXCLUDE)
    return time.perf_counter() - t0, plan, embedded


class QuickVectors:
    """The real model's name and tokenizer (so chunks and collections are the real ones), with
    random unit vectors instead of embeddings."""

    def __init__(self, real):
        import numpy as np

        self.real, self.name, self.max_tokens = real, real.name, 256
        self.rng = np.random.default_rng(0)

    def count_tokens(self, text: str) -> int:
        return self.real.count_tokens(text)

    def embed(self, texts: list[str]):
        v = self.rng.normal(size=(len(texts), 384)).astype("float32")
        return v / (v**2).sum(axis=1, keepdims=True) ** 0.5


def cli_runs(args: list[str], home: Path, runs: int) -> tuple[list[float], float]:
    """Wall seconds of `inquiry ARGS` run `runs` times as new processes, and peak RSS (MB)."""
    env = {**os.environ, "INQUIRY_HOME": str(home), "PYTHONPATH": str(REPO)}
    walls = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "ui.cli", *args],
            env=env,
            cwd=REPO,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        walls.append(time.perf_counter() - t0)
    return walls, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cli_figures(corpus: Path, home: Path, runs: int = 5) -> None:
    ingest = ["ingest", str(corpus), *[f"--exclude={x}" for x in EXCLUDE]]
    cli_runs(ingest, home, 1)  # the first run may write the catalogue file of an older store
    for name, args, goal in (("no-op ingest", ingest, 2.0), ("docs", ["docs"], 1.0)):
        walls, rss = cli_runs(args, home, runs)
        print(
            f"`inquiry {name}` as a new process: median {statistics.median(walls):.2f} s, "
            f"min {min(walls):.2f} s over {runs} runs (goal < {goal:g} s), "
            f"peak RSS of any child so far {rss:.0f} MB"
        )


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
    ap.add_argument("--quick-vectors", action="store_true", help="random vectors (see above)")
    ap.add_argument("--cli-only", action="store_true", help="only the command-line figures")
    args = ap.parse_args()
    if args.cli_only:
        if args.home is None:
            ap.error("--cli-only needs --home: a data directory holding CORPUS_DIR")
        a = Assistant(Settings.from_env(env={}, home=args.home))
        docs = a.docs()
        print(f"{len(docs)} documents, {sum(d.chunks for d in docs)} chunks in {args.home}")
        cli_figures(args.corpus.resolve(), args.home)
        return
    home = args.home or Path(tempfile.mkdtemp(prefix="inquiry-bench-"))
    work = Path(tempfile.mkdtemp(prefix="inquiry-corpus-"))
    corpus = work / "corpus"
    shutil.copytree(args.corpus, corpus)
    a = Assistant(Settings.from_env(env={}, home=home))
    a.embedder.embed(["warm up"])
    if args.quick_vectors:
        a = Assistant(Settings.from_env(env={}, home=home), embedder=QuickVectors(a.embedder))
        args.skip_bare = True

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
    cli_figures(corpus, home)

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
