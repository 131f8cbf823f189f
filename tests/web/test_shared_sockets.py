"""SOCKETS_PER_ADDRESS across processes through a real Redis: two limiters are two
processes of one deployment."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from crowdsource.realtime.broker.redis_connection import redis_client
from crowdsource.web.shared_sockets import SharedConnectionLimiter
from tests.helpers.services import RedisServer, free_port

Processes = Callable[..., Awaitable[SharedConnectionLimiter]]


@pytest.fixture
def address() -> str:
    """An address of its own per test: every test shares the one Redis."""
    return f"192.0.2.{uuid.uuid4().hex}"


@pytest.fixture
async def process(redis_server: RedisServer) -> AsyncIterator[Processes]:
    started: list[SharedConnectionLimiter] = []

    async def start(limit: int = 3, **options: float) -> SharedConnectionLimiter:
        limiter = SharedConnectionLimiter(limit, redis_client(redis_server.url()), **options)
        await limiter.start()
        started.append(limiter)
        return limiter

    yield start
    for limiter in started:
        await limiter.stop()


async def eventually(condition: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> None:
    """Wait until `condition()` holds, checking every 50 ms; fail after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not true after {seconds} s")


async def test_two_processes_share_one_address_s_limit(process: Processes, address: str) -> None:
    first, second = await process(limit=3), await process(limit=3)
    assert [await first.admit(address), await first.admit(address)] == [True, True]
    assert await second.admit(address)
    assert not await second.admit(address)
    assert not await first.admit(address)
    assert await second.admit("198.51.100.1")  # another address has its own budget
    assert (first.count(address), second.count(address)) == (2, 1)  # refusals took no place


async def test_a_closed_socket_makes_room_in_every_process(
    process: Processes, address: str
) -> None:
    first, second = await process(limit=2, refresh=60), await process(limit=2, refresh=60)
    assert await first.admit(address) and await first.admit(address)
    assert not await second.admit(address)
    first.release(address)
    await eventually(lambda: second.admit(address))  # sent at once, not at the next refresh


async def test_a_crashed_process_s_sockets_stop_counting(
    process: Processes, address: str, redis_server: RedisServer
) -> None:
    crashed = SharedConnectionLimiter(2, redis_client(redis_server.url()))  # never rewrites
    assert await crashed.admit(address) and await crashed.admit(address)
    survivor = await process(limit=2, stale=0.5)
    assert not await survivor.admit(address)
    await eventually(lambda: survivor.admit(address))
    await crashed.client.aclose()


async def test_a_process_that_stops_gives_its_places_back_at_once(
    process: Processes, address: str
) -> None:
    leaving, staying = await process(limit=2), await process(limit=2)
    assert await leaving.admit(address) and await leaving.admit(address)
    await leaving.stop()
    assert await staying.admit(address) and await staying.admit(address)


async def test_without_redis_each_process_applies_the_limit_alone(
    address: str, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = SharedConnectionLimiter(2, redis_client(f"redis://127.0.0.1:{free_port()}/0"))
    await limiter.start()
    try:
        admitted = [await limiter.admit(address) for _ in range(3)]
    finally:
        await limiter.stop()
    assert admitted == [True, True, False]
    warnings = [r.getMessage() for r in caplog.records if "Redis is unreachable" in r.getMessage()]
    assert len(warnings) == 1
