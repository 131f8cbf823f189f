"""Waiting on a condition, never on a fixed time: a busy machine only makes it take longer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

WAIT_SECONDS = 10.0  # a bound generous enough for a machine whose cores are all busy
POLL_SECONDS = 0.02


async def wait_until(
    condition: Callable[[], object], seconds: float = WAIT_SECONDS, what: str = "condition"
) -> None:
    """Return as soon as `condition()` is true; fail the test after `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, f"timed out after {seconds:g} s waiting for {what}"
        await asyncio.sleep(POLL_SECONDS)


def wait_until_sync(
    condition: Callable[[], object], seconds: float = WAIT_SECONDS, what: str = "condition"
) -> None:
    """`wait_until` for code without an event loop (TestClient, subprocesses)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {seconds:g} s waiting for {what}"
        time.sleep(POLL_SECONDS)
