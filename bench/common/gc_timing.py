"""Runs a module with every garbage collection timed, for the benchmarks' servers:

    python bench/common/gc_timing.py OUT.json -m crowdsource serve …

The collections of each generation once the app has frozen its start-up heap (count,
wall-clock and CPU pauses, objects freed: the soak's `Pauses`) are written to OUT.json when
the process exits. Run as a script, not with
-m, so that the server's PYTHONPATH (another `--src`) still decides which crowdsource runs."""

from __future__ import annotations

import atexit
import json
import runpy
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve()


def main() -> None:
    out, flag, module, *args = sys.argv[1:]
    assert flag == "-m", "usage: gc_timing.py OUT.json -m MODULE ARGS…"
    path = list(sys.path[1:])  # without this script's folder
    sys.path[:] = [str(REPO), *path]
    from bench.soak.probe import Pauses  # importing `bench` puts this checkout's src/ first

    sys.path[:] = path
    pauses = Pauses(since_freeze=True)  # what start-up collects is not the server's load
    pauses.install()
    atexit.register(lambda: Path(out).write_text(json.dumps(pauses.report()) + "\n"))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def summary(report: list[dict[str, float]]) -> str:
    """One line: each generation's collections, mean and max pause, max CPU time."""
    return "; ".join(
        f"gen {n}: {int(g['count'])} x mean {g['total_ms'] / max(g['count'], 1):.1f} ms, "
        f"max {g['max_ms']:.1f} ms (CPU max {g['cpu_max_ms']:.1f})"
        for n, g in enumerate(report)
    )


if __name__ == "__main__":
    main()
