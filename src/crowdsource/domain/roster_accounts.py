"""The accounts a room's roster lists, found by their logins ignoring case.

Every listed login is looked up through the index on `lower(login)` (migration 0008). SQLite
always takes it for `lower(login) IN (...)`. PostgreSQL's planner prices `lower()` like an
addition, so for a roster of 1,000 among 100,000 accounts it judged reading every account
cheaper than 1,000 lookups, and whether it did depended on how the table lay on disk (a
rewrite flipped the plan): 30 to 36 ms a read against 3 to 5 ms through the index
(`python -m bench.roster_read --database-url …`). There, each listed login is a lookup of its
own (a lateral join on the list), which leaves the planner only the index's price to judge."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from tortoise.functions import Lower
from tortoise.queryset import QuerySet

from crowdsource.domain.membership import GUEST
from crowdsource.domain.models import User

# Who a person is on a roster: user id, login, name, picture.
Person = tuple[int, str, str, str | None]

PERSON_FIELDS = ("id", "login", "name", "avatar_url")  # a `Person`, as read


def person(user: User) -> Person:
    return (user.id, user.login, user.name, user.avatar_url)


def people(rows: Iterable[Sequence[Any]]) -> list[Person]:
    """Rows of `PERSON_FIELDS`, each as `person(user)` gives it."""
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def _listed_accounts(keys: Collection[str]) -> QuerySet[User]:
    """The accounts (guests aside) whose login, ignoring case, is one of `keys` (lower case),
    as one filter: how SQLite reads them."""
    return User.annotate(key=Lower("login")).filter(key__in=keys).exclude(provider=GUEST)


# `offset 0` keeps the subquery a lookup per login: without it PostgreSQL may merge it into
# a plain join and hash every account again.
_EACH_LOGIN = """select u.id, u.login, u.name, u.avatar_url
from unnest($1::text[]) as listed(key)
cross join lateral (
    select id, login, name, avatar_url from "{table}"
    where lower(login) = listed.key and provider <> $2
    offset 0
) as u"""


async def listed_people(keys: Collection[str]) -> list[Person]:
    """`_listed_accounts(keys)` as people, each login found through the index."""
    if not keys:
        return []
    db = User._meta.db
    if db.capabilities.dialect == "postgres":
        sql = _EACH_LOGIN.format(table=User._meta.db_table)
        _, rows = await db.execute_query(sql, [sorted(keys), GUEST])
        return people(tuple(row.values()) for row in rows)
    return people(await _listed_accounts(keys).values_list(*PERSON_FIELDS))
