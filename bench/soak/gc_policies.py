"""The garbage collection policies the soak compares (`--gc NAME`), each applied after the
app's own `tune_garbage_collector()`, so that each starts from the same heap."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

from bench.soak.cycles import keep_cycles

PERIOD_SECONDS = 60.0  # "periodic": one full collection a minute, between callbacks


def _thresholds(first: int, *, frozen: bool, third: int = 10) -> None:
    if not frozen:
        gc.unfreeze()
    gc.set_threshold(first, 10, third)


def _periodic() -> None:
    """Frozen start-up heap, rare young collections, and one full collection a minute run
    by the event loop between callbacks (never in the middle of a render)."""
    _thresholds(50_000, frozen=True)
    loop = asyncio.get_running_loop()

    def collect() -> None:
        gc.collect()
        loop.call_later(PERIOD_SECONDS, collect)

    loop.call_later(PERIOD_SECONDS, collect)


POLICIES: dict[str, Callable[[], None]] = {
    "app": lambda: None,  # whatever app.tune_garbage_collector() chose
    "default": lambda: _thresholds(700, frozen=False),  # CPython's own
    "frozen-700": lambda: _thresholds(700, frozen=True),
    "frozen-700-rare-full": lambda: _thresholds(700, frozen=True, third=100),
    "frozen-5k": lambda: _thresholds(5_000, frozen=True),
    "frozen-50k": lambda: _thresholds(50_000, frozen=True),  # before issue 19
    "periodic": _periodic,
    "cycles": keep_cycles,  # not a policy: which objects form cycles (bench/soak/cycles.py)
}
