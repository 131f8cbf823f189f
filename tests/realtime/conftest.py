"""A started publisher on the test database, stopped after the test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from crowdsource.realtime.publisher import Publisher
from tests.helpers.realtime import new_publisher


@pytest.fixture
async def publisher(orm: object) -> AsyncIterator[Publisher]:
    publisher = new_publisher()
    publisher.start()
    yield publisher
    await publisher.stop()
