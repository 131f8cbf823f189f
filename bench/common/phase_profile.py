"""Runs a module under cProfile that records only the measured phases, for `--profile`:

    python bench/common/phase_profile.py OUT.prof -m crowdsource serve …

SIGUSR1 starts recording (a phase begins: `Meter`), SIGUSR2 stops it; the phases add up and
OUT.prof is written when the process exits. Opening thousands of sockets before a phase is
not what a stage measures, and a whole-run profile buries the phase under it. Run as a
script, not with -m, so that the server's PYTHONPATH (another `--src`) still decides which
crowdsource runs."""

from __future__ import annotations

import atexit
import cProfile
import runpy
import signal
import sys
from types import FrameType

START = signal.SIGUSR1
STOP = signal.SIGUSR2


def main() -> None:
    out, flag, module, *args = sys.argv[1:]
    assert flag == "-m", "usage: phase_profile.py OUT.prof -m MODULE ARGS…"
    sys.path[:] = sys.path[1:]  # without this script's folder
    profiler = cProfile.Profile()

    def start(_signal: int, _frame: FrameType | None) -> None:
        profiler.enable()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        profiler.disable()

    signal.signal(START, start)
    signal.signal(STOP, stop)
    atexit.register(lambda: (profiler.disable(), profiler.dump_stats(out)))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
