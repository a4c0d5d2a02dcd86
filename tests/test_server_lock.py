"""Server mode: the ingest lock lives in the shared Chroma server (issue 14.8), so two ingests
from two processes with separate data directories (as from two machines) exclude each other,
with the same message and `--wait` as the local lock; a holder that died is broken."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.server]
REPO = Path(__file__).resolve().parents[1]

HOLDER = r"""
import sys
sys.path[:0] = [{repo!r}]
{prelude}
from pathlib import Path
from assistant.service import Assistant
from assistant.settings import Settings, apply_offline_env
apply_offline_env()
a = Assistant(Settings.from_env(env={{}}, home=Path({home!r}), chroma_url={url!r}))

def hold(plan):
    print("locked", flush=True)
    sys.stdin.readline()  # hold the lock until told to go on

plan, _ = a.ingest([Path({corpus!r})], on_plan=hold)
print("done", plan.counts()["new"], flush=True)
"""


def _corpus(root: Path, name: str) -> Path:
    root.mkdir(parents=True)
    (root / f"{name}.md").write_text(f"# {name}\n\n1.1 The {name} panel met twice.\n")
    return root


@pytest.fixture
def server(tmp_path):
    from chroma_server import ChromaServer

    s = ChromaServer(tmp_path / "chroma-server").start()
    yield s
    s.stop()


def _holder(tmp_path, server, name: str, prelude: str = "") -> subprocess.Popen:
    code = HOLDER.format(
        prelude=prelude,
        repo=str(REPO),
        home=str(tmp_path / f"home-{name}"),
        url=server.url,
        corpus=str(_corpus(tmp_path / f"corpus-{name}", name)),
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline().strip()
    assert line == "locked", proc.stderr.read()[-2000:]
    return proc


def _cli(tmp_path, server, name: str, *extra, **env) -> subprocess.Popen:
    corpus = _corpus(tmp_path / f"corpus-{name}", name)
    full = {
        **os.environ,
        "INQUIRY_HOME": str(tmp_path / f"home-{name}"),
        "INQUIRY_CHROMA_URL": server.url,
        "PYTHONPATH": str(REPO),
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "ingest", str(corpus), "--json", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full,
        cwd=REPO,
    )


def test_two_homes_one_server_exclude_each_other(tmp_path, server):
    holder = _holder(tmp_path, server, "alpha")
    try:
        refused = _cli(tmp_path, server, "bravo")
        out, err = refused.communicate(timeout=300)
        assert refused.returncode == 1
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        assert lines[0].startswith(f"inquiry: error: another ingest (pid {holder.pid} on ")
        assert lines[0].endswith(
            f"is running on {server.url}; wait for it to finish or pass --wait SECONDS"
        )
        waiting = _cli(tmp_path, server, "charlie", "--wait", "600")
        time.sleep(3)
        assert waiting.poll() is None  # it cannot go on while the lock is held
        holder.stdin.write("go\n")
        holder.stdin.flush()
        h_out, h_err = holder.communicate(timeout=600)
        assert holder.returncode == 0, h_err[-2000:]
        assert "done 1" in h_out
        w_out, w_err = waiting.communicate(timeout=600)
        assert waiting.returncode == 0, w_err[-2000:]
    finally:
        for p in (holder,):
            if p.poll() is None:
                p.kill()
                p.wait()
    from assistant.service import Assistant
    from assistant.settings import Settings

    class _Named:
        name = "all-MiniLM-L6-v2"

    a = Assistant(
        Settings.from_env(env={}, home=tmp_path / "any", chroma_url=server.url),
        embedder=_Named(),
        read_only=True,
    )
    assert sorted(d.source for d in a.docs()) == ["alpha.md", "charlie.md"]


def test_a_dead_holders_lock_is_broken(tmp_path, server):
    # the holder ran on this machine and is gone: its lock is broken at once, no --wait
    holder = _holder(tmp_path, server, "alpha")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    after = _cli(tmp_path, server, "bravo")
    out, err = after.communicate(timeout=600)
    assert after.returncode == 0, err[-2000:]


def test_a_silent_holder_elsewhere_is_broken_once_stale(tmp_path, server):
    # a holder on another machine cannot be asked whether it lives: its lock stands until it
    # goes unrenewed for the stale time
    elsewhere = "import socket; socket.gethostname = lambda: 'another-machine'"
    holder = _holder(tmp_path, server, "alpha", prelude=elsewhere)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    refused = _cli(tmp_path, server, "bravo")
    _, err = refused.communicate(timeout=300)
    assert refused.returncode == 1 and "on another-machine) is running" in err, err
    waiting = _cli(tmp_path, server, "charlie", "--wait", "600", INQUIRY_LOCK_STALE_S="4")
    out, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, err[-2000:]
