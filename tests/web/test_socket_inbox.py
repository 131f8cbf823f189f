"""The light stand-ins for uvicorn's per-socket asyncio.Queue and asyncio.Event behave as
those do for the calls uvicorn makes, and keep nothing while idle."""

from __future__ import annotations

import asyncio
import contextlib
import sys

from crowdsource.web.socket_inbox import Gate, Inbox


async def test_the_inbox_hands_events_in_order_and_wakes_a_waiting_reader() -> None:
    inbox = Inbox()
    inbox.put_nowait(1)
    inbox.put_nowait(2)
    assert inbox.qsize() == 2 and not inbox.empty()
    assert [await inbox.get(), await inbox.get()] == [1, 2] and inbox.empty()
    reader = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    inbox.put_nowait("connect")
    assert await asyncio.wait_for(reader, 1) == "connect"


async def test_a_cancelled_reader_leaves_nothing_behind_and_loses_nothing() -> None:
    inbox = Inbox()
    reader = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    reader.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await reader
    inbox.put_nowait("disconnect")
    assert await asyncio.wait_for(inbox.get(), 1) == "disconnect"


async def test_an_idle_inbox_and_gate_are_smaller_than_asyncio_s() -> None:
    inbox, gate = Inbox(), Gate()
    gate.set()
    waiting = asyncio.create_task(inbox.get())  # an idle socket: its reader waits
    await asyncio.sleep(0)
    kept = sum(
        sys.getsizeof(part) + sum(sys.getsizeof(getattr(part, slot)) for slot in part.__slots__)
        for part in (inbox, gate)
    )
    queue, event = asyncio.Queue(), asyncio.Event()  # what uvicorn keeps per socket
    assert kept < 400 < sys.getsizeof(queue._getters) + sys.getsizeof(event._waiters)  # type: ignore[attr-defined]
    waiting.cancel()


async def test_the_gate_holds_writers_while_cleared() -> None:
    gate = Gate()
    gate.set()
    assert gate.is_set() and await gate.wait()
    gate.clear()
    writer = asyncio.create_task(gate.wait())
    await asyncio.sleep(0.01)
    assert not writer.done()
    gate.set()
    assert await asyncio.wait_for(writer, 1) is True
