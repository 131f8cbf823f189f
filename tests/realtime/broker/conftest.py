"""Fixtures of the broker tests that several modules share: a channel of the test's own, and
a Redis server of its own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from tests.helpers.services import RedisServer


@pytest.fixture
def channel() -> str:
    return f"test:{uuid.uuid4().hex}"


@pytest.fixture
async def own_redis(redis_binary: None) -> AsyncIterator[RedisServer]:
    """A Redis of this test's own, free to be killed and restarted."""
    server = RedisServer().start()
    yield server
    server.stop()
