"""Counting the trips a test's statements make to SQLite's driver thread (aiosqlite's queue)."""

from __future__ import annotations

from typing import Any

import aiosqlite
import pytest


def count_trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, each call queued to the driver's thread is noted: its SQL's first word,
    or the name of the function it runs (`commit`)."""
    trips: list[str] = []
    run_in_thread = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        named = args[0] if args and isinstance(args[0], str) else fn.__name__
        trips.append(named.split()[0])
        return await run_in_thread(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return trips
