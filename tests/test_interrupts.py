"""Ctrl+C during a start-up check ends as one KeyboardInterrupt, whatever the moment."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any

import pytest

from crowdsource.interrupts import run_interruptibly


async def connect_then_wait() -> None:
    """A connection attempt whose completion callback is hit by Ctrl+C half-way, the way
    asyncio's `_sock_connect_cb` checks its future and then sets its result."""
    loop = asyncio.get_running_loop()
    connected = loop.create_future()

    def completed() -> None:
        if connected.done():
            return
        os.kill(os.getpid(), signal.SIGINT)  # the Python signal handler runs here
        connected.set_result(None)

    loop.call_soon(completed)
    await connected
    await asyncio.Event().wait()  # the database never answers


def test_ctrl_c_in_the_middle_of_a_callback_is_one_keyboard_interrupt() -> None:
    reported: list[dict[str, Any]] = []
    with pytest.raises(KeyboardInterrupt):
        run_interruptibly(connect_then_wait(), lambda _loop, context: reported.append(context))
    assert reported == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_the_result_is_returned_and_other_cancellations_stay_cancellations() -> None:
    async def answer() -> int:
        return 42

    async def cancelled() -> None:
        task = asyncio.current_task()
        assert task is not None
        task.cancel()
        await asyncio.sleep(0)

    assert run_interruptibly(answer()) == 42
    with pytest.raises(asyncio.CancelledError):
        run_interruptibly(cancelled())


def test_a_driver_that_turns_the_cancellation_into_an_error_still_ends_as_ctrl_c() -> None:
    async def driver() -> None:
        try:
            loop = asyncio.get_running_loop()
            loop.call_soon(os.kill, os.getpid(), signal.SIGINT)
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            raise ConnectionError("connection was closed in the middle of operation") from None

    with pytest.raises(KeyboardInterrupt):
        run_interruptibly(driver())
