"""PostgreSQL's client: many rows outside a transaction in one trip, all or none."""

from __future__ import annotations

import pytest
from tortoise.context import TortoiseContext
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from crowdsource.domain import clock
from crowdsource.domain.db import connection_config, tortoise_config
from crowdsource.domain.models import Vote
from tests.helpers.factories import choice_ids, make_poll, make_user
from tests.helpers.postgres_trips import count_statements

pytestmark = pytest.mark.postgres


def test_asyncpg_urls_use_the_client_and_psycopg_urls_keep_theirs() -> None:
    asyncpg_config = connection_config("postgres://u@h/db")
    psycopg_config = connection_config("psycopg://u@h/db")
    assert isinstance(asyncpg_config, dict) and isinstance(psycopg_config, dict)
    assert asyncpg_config["engine"] == "crowdsource.domain.postgres_backend"
    assert psycopg_config["engine"] == "tortoise.backends.psycopg"


async def _votes(count: int, bad_last: bool = False) -> tuple[int, list[Vote]]:
    poll = await make_poll()
    first = (await choice_ids(poll))[0]
    voters = [await make_user(f"Voter {n}") for n in range(count)]
    votes = [
        Vote(poll_id=poll.id, voter_id=voter.id, choice_id=first, cast_at=clock.now())
        for voter in voters
    ]
    if bad_last:
        votes[-1].choice_id = 999_999  # type: ignore[attr-defined]  # no such response
    return poll.id, votes


async def test_many_rows_outside_a_transaction_go_in_one_statement(
    shared_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(shared_database))
        poll_id, votes = await _votes(3)
        sent = count_statements(monkeypatch)
        await Vote.bulk_create(votes)
        assert [word.lower() for word in sent] == ["insert"]  # no BEGIN, no COMMIT
        assert await Vote.filter(poll_id=poll_id).count() == 3


async def test_many_rows_are_stored_all_or_none_with_or_without_a_transaction(
    shared_database: str,
) -> None:
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(shared_database))
        poll_id, votes = await _votes(3, bad_last=True)
        with pytest.raises(IntegrityError):
            await Vote.bulk_create(votes)
        assert await Vote.filter(poll_id=poll_id).count() == 0
        with pytest.raises(IntegrityError):
            async with in_transaction():
                await Vote.bulk_create(votes)
        assert await Vote.filter(poll_id=poll_id).count() == 0
        await Vote.bulk_create(votes[:2])  # the pool's connection works on
        assert await Vote.filter(poll_id=poll_id).count() == 2
