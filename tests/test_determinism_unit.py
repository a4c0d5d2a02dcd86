"""The same question gets the same answer in every process: scores summed over a set of terms
do not depend on the set's order, which Python's string hashing changes from process to
process (PYTHONHASHSEED). A float sum in another order can differ in its last bit and turn a
tie the other way (seen: a broad answer's fifth point changed between two runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
# idf weights whose float sum depends on the order they are added in
PROBE = """
from assistant.sentences import idf_share
idf = {f"t{i}": w for i, w in enumerate([0.1, 0.2, 0.3, 0.7, 1e16, 1.0, -1e16, 0.01, 3.3])}
terms = set(idf)
print(repr(idf_share(terms, set(terms), idf.get, 1.0)))
"""


def test_term_weights_sum_the_same_in_every_process():
    got = set()
    for seed in range(8):
        env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
        out = subprocess.run(
            [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
        )
        got.add(out.stdout.strip())
    assert len(got) == 1, got
