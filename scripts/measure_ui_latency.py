"""Measure Ask-tab latency in headless Chromium against an existing index (prints, asserts nothing).

    .venv/bin/python scripts/measure_ui_latency.py --home /work/eval/home [-n 10]
        [--questions ../shared/eval/dev.jsonl] [--max-load 1.5] [--quiet-wait 1500]

Starts `inquiry serve` (open mode: no users file) on a free loopback port with INQUIRY_HOME=--home,
waits until it answers, warms it with one question in the page, waits (at most --quiet-wait s)
until the 1-minute load average is below --max-load, then asks N different questions from the
JSONL file ("question" field), each in a new chat (no follow-up context). For each it prints
the time from pressing Enter to the first visible answer text (tests/ui_helpers.ask) and to the
final answer with its sources listed, both measured in the page; then median, p95, max.
The index is only read. The app is stopped by its process id.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from ui_helpers import ask, free_port, launch_browser, new_page, wait_idle  # noqa: E402

WARM_UP = "What did the inquiry recommend?"
# Records when the sources panel lists the answer's sources and the chat shows the final answer
# (its "Sources" block, or "The reports don't answer this"); `ask` records Enter in __ask.t0.
FINAL = """() => {
  const done = () => {
    if (window.__final !== null || !window.__ask || window.__ask.t0 === null) return;
    const head = document.querySelector('#ask-sources-head').innerText.trim();
    const shown = [...document.querySelectorAll('#ask-sources button')]
      .some(b => b.offsetParent !== null && b.innerText.trim());
    const bots = document.querySelectorAll('#ask-chat [data-testid=bot]');
    const last = bots.length ? bots[bots.length - 1].innerText : '';
    if (head && shown && /Sources|don't answer/.test(last)) window.__final = performance.now();
  };
  window.__final = null;
  new MutationObserver(done).observe(document.body,
    {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def start_server(home: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "INQUIRY_HOME": home, "INQUIRY_USERS": ""}
    cmd = [str(Path(sys.executable).with_name("inquiry")), "serve", "--host", "127.0.0.1"]
    return subprocess.Popen([*cmd, "--port", str(port)], env=env, cwd=REPO)


def wait_ready(proc: subprocess.Popen, url: str, timeout_s: float = 600.0) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return time.monotonic() - t0
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the app was not ready after {timeout_s:.0f} s")


def wait_quiet(max_load: float, max_wait_s: float, every_s: float = 30.0) -> float:
    t0 = time.monotonic()
    while (load := os.getloadavg()[0]) >= max_load and time.monotonic() - t0 < max_wait_s:
        print(
            f"  load {load:.2f} >= {max_load}: waiting ({time.monotonic() - t0:.0f} s)", flush=True
        )
        time.sleep(every_s)
    print(f"load average (1 min) at start: {load:.2f} after {time.monotonic() - t0:.0f} s wait")
    return load


def new_chat(page) -> None:
    page.click("#ask-new")
    page.wait_for_function("() => !document.querySelector('#ask-chat [data-testid=bot]')")
    wait_idle(page)


def summary(name: str, xs: list[float]) -> str:
    if not xs:
        return f"{name:22} no measurement"
    p95 = sorted(xs)[math.ceil(0.95 * len(xs)) - 1]  # nearest rank
    return f"{name:22} median {statistics.median(xs):.3f} s  p95 {p95:.3f} s  max {max(xs):.3f} s"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", required=True, help="an existing INQUIRY_HOME (read only)")
    ap.add_argument("--questions", default=str(REPO / ".." / "shared" / "eval" / "dev.jsonl"))
    ap.add_argument("-n", type=int, default=10, help="questions to ask")
    ap.add_argument("--max-load", type=float, default=1.5, help="wait for a lower load average")
    ap.add_argument("--quiet-wait", type=float, default=1500, help="longest wait for it, s")
    ap.add_argument("--timeout", type=float, default=120, help="per question, s")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in Path(args.questions).read_text("utf-8").splitlines()]
    questions = list(dict.fromkeys(r["question"] for r in rows if r.get("question")))[: args.n]

    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = start_server(args.home, port)
    try:
        print(f"app ready in {wait_ready(proc, url):.1f} s at {url} (home {args.home})", flush=True)
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            page, guard = new_page(browser, url)
            warm = ask(page, WARM_UP, timeout_ms=int(args.timeout * 1000))
            print(f"warm-up: first text {warm['first_text_s']:.3f} s", flush=True)
            load0 = wait_quiet(args.max_load, args.quiet_wait)
            page.evaluate(FINAL)
            first, final = [], []
            for i, q in enumerate(questions, 1):
                new_chat(page)
                page.evaluate("() => { window.__final = null; }")
                got = ask(page, q, timeout_ms=int(args.timeout * 1000))
                t = page.evaluate("() => [window.__ask.t0, window.__final]")
                first.append(got["first_text_s"])
                fin = (t[1] - t[0]) / 1000.0 if t[1] is not None else float("nan")
                final.append(fin)
                print(f"{i:2}. first {got['first_text_s']:6.3f} s  final {fin:6.3f} s  {q[:70]}")
            load1 = os.getloadavg()[0]
            browser.close()
        print(f"{len(questions)} questions; load average (1 min) {load0:.2f} -> {load1:.2f}")
        print(summary("Enter -> first text", first))
        print(summary("Enter -> final+sources", [x for x in final if not math.isnan(x)]))
        if guard.foreign or guard.errors:
            print(f"note: foreign requests {guard.foreign}, page errors {guard.errors}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
