"""Building a publisher for tests, and waiting for its ticks."""

from __future__ import annotations

import asyncio
from typing import Any

from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.hub import Hub
from crowdsource.realtime.publisher import Publisher
from crowdsource.web.templating import render_fragment


def fragments() -> Fragments:
    """Fragments rendered by the app's own templates, as the composition wires them."""
    return Fragments(render_fragment)


def new_publisher(tick: float = 0.02, **options: Any) -> Publisher:
    return Publisher(Hub(), fragments(), tick=tick, **options)


async def settle(publisher: Publisher) -> None:
    """Long enough for a few ticks: changes published, writers done sending."""
    for _ in range(5):
        await asyncio.sleep(publisher.tick * 2)
