"""The broker of a single process: a change goes straight to this process's listener."""

from __future__ import annotations

from crowdsource.realtime.broker.protocol import Listener, ResyncListener, nobody_elsewhere


class InMemoryBroker:
    """One process: a change is delivered straight to this process's listener."""

    def __init__(self) -> None:
        self._on_change: Listener | None = None

    async def start(self, on_change: Listener, on_resync: ResyncListener) -> None:
        self._on_change = on_change

    async def poll_changed(self, poll_id: int) -> None:
        if self._on_change is not None:
            await self._on_change(poll_id)

    watching_elsewhere = staticmethod(nobody_elsewhere)

    async def stop(self) -> None:
        self._on_change = None
