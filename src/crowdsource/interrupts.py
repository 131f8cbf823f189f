"""Ctrl+C while a coroutine runs on its own event loop (the start-up checks of `serve` and
`migrate`), ending as one KeyboardInterrupt whatever the moment.

asyncio.Runner cancels its task from inside the Python signal handler, which may run in the
middle of any loop callback: when that callback is the one completing a connect
(`_sock_connect_cb` checks its future, then sets its result), the cancellation lands between
the two and asyncio prints "Exception in callback …" with an InvalidStateError. Here the
signal is handled by the loop itself (`add_signal_handler`), so the cancellation happens
between callbacks, never inside one."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
ExceptionHandler = Callable[[asyncio.AbstractEventLoop, dict[str, Any]], object]


def run_interruptibly(
    main: Coroutine[Any, Any, T], exception_handler: ExceptionHandler | None = None
) -> T:
    """Run `main` on a fresh loop. The first Ctrl+C cancels it, and KeyboardInterrupt is
    raised once it has unwound; a second Ctrl+C raises KeyboardInterrupt at once."""
    with asyncio.Runner() as runner:
        if exception_handler is not None:
            runner.get_loop().set_exception_handler(exception_handler)
        return runner.run(_cancelled_by_sigint(main))


async def _cancelled_by_sigint(main: Coroutine[Any, Any, T]) -> T:
    if threading.current_thread() is not threading.main_thread():
        return await main  # only the main thread receives signals
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    interrupted = False

    def on_sigint() -> None:
        nonlocal interrupted
        if interrupted:
            raise KeyboardInterrupt
        interrupted = True
        task.cancel()

    loop.add_signal_handler(signal.SIGINT, on_sigint)
    try:
        result = await main
    except BaseException:
        if interrupted:  # however the driver reported its cancellation (ConnectionError…)
            raise KeyboardInterrupt from None
        raise
    finally:
        loop.remove_signal_handler(signal.SIGINT)
    if interrupted:  # it finished anyway: Ctrl+C still means stop
        raise KeyboardInterrupt
    return result
