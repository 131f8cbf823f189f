"""Crowdsource's benchmarks, run from the repository root:

    python -m bench.fanout --help    # fan-out against the naive broadcast floor (issue 3)
    python -m bench.load --help      # a lecture hall's load with a restart (issue 8)
    python -m bench.soak --minutes N # a term-long run must not grow (issue 19)

bench/common/ holds what both share; each benchmark's own modules live in its folder.
Importing `bench` puts this checkout's src/ first on sys.path: the benchmarks mint voters
with the checkout's own crowdsource package (not an installed one), the one their servers run.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"

sys.path.insert(0, str(SRC))
