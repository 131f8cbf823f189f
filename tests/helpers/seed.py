"""Seed a live server's database directly (before it starts) for big scenarios."""

from __future__ import annotations

import asyncio
import concurrent.futures
from datetime import datetime
from pathlib import Path
from typing import Any

from tortoise.context import TortoiseContext

from crowdsource.domain import poll_store
from crowdsource.domain.db import migrate, tortoise_config
from crowdsource.domain.poll_input import PollSpec
from crowdsource.domain.tally_reads import tally_of
from tests.helpers.factories import make_user, store_vote


async def _seed(
    url: str, choices: list[str], voters: int, show_voters: str, question: str, closes_at: Any
) -> str:
    await migrate(url)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        owner = await make_user("Alex Owner")
        spec = PollSpec(question, tuple(choices), closes_at, show_voters=show_voters)
        poll = await poll_store.create_poll(owner, spec)
        ids = [choice.id for choice in (await tally_of(poll)).choices]
        for n in range(voters):
            voter = await make_user(f"Student {n}")
            await store_vote(poll, voter, ids[(n * 7) % len(ids)] if n % 3 else ids[0])
        return poll.slug


def seed_poll(
    data_dir: Path,
    choices: list[str],
    voters: int,
    show_voters: str = "everyone",
    question: str = "Which of these twelve topics should we review?",
    closes_at: datetime | None = None,
) -> str:
    """A poll with `voters` votes, made on its own thread (Playwright owns this loop)."""
    url = f"sqlite://{data_dir / 'crowdsource.sqlite3'}"
    data_dir.mkdir(parents=True, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        seeding = _seed(url, choices, voters, show_voters, question, closes_at)
        return pool.submit(asyncio.run, seeding).result()
