"""The CLI's failure paths: one clear line on stderr, exit status 1, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
REPO = Path(__file__).resolve().parents[1]


def run(args, tmp_path, **env):
    full = {**os.environ, "INQUIRY_HOME": str(tmp_path / "data"), **env}
    cmd = [sys.executable, "-m", "ui.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=full, cwd=REPO, timeout=120)


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "args,env,message",
    [
        (["ingest", "/no/such/folder"], {}, "/no/such/folder: no such file or folder"),
        (["ask", "hello"], {"INQUIRY_TOP_K": "abc"}, "INQUIRY_TOP_K='abc': expected int"),
        (["remove", "nothing.pdf"], {}, "no indexed document matches 'nothing.pdf'"),
        (
            ["--chroma-url", "http://127.0.0.1:{closed}", "docs"],
            {},
            "cannot reach the Chroma server",
        ),
        (["eval", "/no/questions.jsonl"], {}, "no/questions.jsonl"),
    ],
)
def test_errors_are_one_clear_line(tmp_path, args, env, message):
    args = [a.format(closed=_closed_port()) for a in args]
    proc = run(args, tmp_path, **env)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("inquiry: error:")


def test_config_lists_every_setting(tmp_path):
    proc = run(["config"], tmp_path, INQUIRY_LLM_KEY="secret-value")
    assert proc.returncode == 0
    assert "INQUIRY_CHROMA_URL" in proc.stdout and "INQUIRY_USERS" in proc.stdout
    assert "secret-value" not in proc.stdout
