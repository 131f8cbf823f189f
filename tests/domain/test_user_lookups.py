"""A user is looked up by id with one query for every lookup made at the same time (a class
whose sockets open at once), and each caller still gets a fresh object of its own."""

from __future__ import annotations

import asyncio

import pytest

from crowdsource.domain.accounts import user_by_id
from crowdsource.domain.models import User
from tests.helpers.factories import make_user
from tests.helpers.queries import statements

pytestmark = pytest.mark.usefixtures("orm")


async def test_lookups_at_the_same_time_share_one_query() -> None:
    ada, bob = await make_user("Ada"), await make_user("Bob")
    with statements() as sent:
        found = await asyncio.gather(
            user_by_id(ada.id), user_by_id(bob.id), user_by_id(ada.id), user_by_id(999_999)
        )
    assert [user.id if user else None for user in found] == [ada.id, bob.id, ada.id, None]
    assert len(sent) == 1
    assert found[0] is not found[2]  # one may change and save its own without the other
    assert found[0] == ada and found[0].name == ada.name  # a whole row, as Tortoise makes it


@pytest.mark.parametrize("batch", [1, 3, 5, 9])
async def test_every_size_of_batch_finds_each_user_it_names(batch: int) -> None:
    users = [await make_user(f"Student {n}") for n in range(batch)]
    found = await asyncio.gather(*(user_by_id(user.id) for user in reversed(users)))
    assert [(user.id, user.login) for user in found] == [  # type: ignore[union-attr]
        (user.id, user.login) for user in reversed(users)
    ]


async def test_a_lookup_reads_after_it_was_asked() -> None:
    ada = await make_user("Ada")
    first = await user_by_id(ada.id)
    await User.filter(id=ada.id).update(token_version=ada.token_version + 1)  # a sign-out
    again = await user_by_id(ada.id)
    assert first is not None and again is not None
    assert again.token_version == first.token_version + 1
