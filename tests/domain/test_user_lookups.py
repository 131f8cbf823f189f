"""A user is looked up by id with one query for every lookup made at the same time (a class
whose sockets open at once), and each caller still gets a fresh object of its own."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.queryset import QuerySet

from crowdsource.domain.accounts import user_by_id
from crowdsource.domain.models import User
from tests.helpers.factories import make_user

pytestmark = pytest.mark.usefixtures("orm")


@pytest.fixture
def queries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL of every User query run."""
    seen: list[str] = []
    original = QuerySet._execute

    async def counted(self: QuerySet[User]) -> object:
        if self.model is User:
            seen.append(self.sql())
        return await original(self)

    monkeypatch.setattr(QuerySet, "_execute", counted)
    return seen


async def test_lookups_at_the_same_time_share_one_query(queries: list[str]) -> None:
    ada, bob = await make_user("Ada"), await make_user("Bob")
    queries.clear()
    found = await asyncio.gather(
        user_by_id(ada.id), user_by_id(bob.id), user_by_id(ada.id), user_by_id(999_999)
    )
    assert [user.id if user else None for user in found] == [ada.id, bob.id, ada.id, None]
    assert len(queries) == 1
    assert found[0] is not found[2]  # one may change and save its own without the other


async def test_a_lookup_reads_after_it_was_asked() -> None:
    ada = await make_user("Ada")
    first = await user_by_id(ada.id)
    await User.filter(id=ada.id).update(token_version=ada.token_version + 1)  # a sign-out
    again = await user_by_id(ada.id)
    assert first is not None and again is not None
    assert again.token_version == first.token_version + 1
