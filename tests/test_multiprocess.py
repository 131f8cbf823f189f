"""Two real `crowdsource serve` processes sharing PostgreSQL and Redis, as behind a load
balancer: a vote on one process reaches viewers on the other; Redis dying mid-run loses no
vote and every viewer converges once it is back; a scheduled close still fires when the
process that armed its timer is gone.

Clients are what a browser would be (tests/helpers/multiprocess.py); the processes and the
people are tests/conftest.py's `pair` and `people`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from tests.helpers.client import TEST_SECRET, csrf_of
from tests.helpers.live_server import LiveServer
from tests.helpers.multiprocess import (
    PUBLIC_URL,
    REDIS_RETURN_WAIT,
    WAIT,
    Person,
    start_two,
)
from tests.helpers.services import RedisServer

pytestmark = [pytest.mark.multiprocess, pytest.mark.postgres]

SQLITE_VOTERS = 200  # half on each process, all at once


@pytest.fixture
def sqlite_pair(tmp_path: Path, redis: RedisServer) -> Iterator[tuple[LiveServer, LiveServer]]:
    """`serve --workers 2` on one machine: two processes on one SQLite file, and Redis."""
    yield from start_two(
        tmp_path,
        {
            "DATABASE_URL": f"sqlite://{tmp_path / 'shared.sqlite3'}",
            "REDIS_URL": redis.url(),
            "SECRET_KEY": TEST_SECRET,
            "PUBLIC_URL": PUBLIC_URL,
        },
    )


async def choice_ids(person: Person, server: LiveServer, slug: str) -> list[str]:
    return [choice["id"] for choice in (await person.results(server, slug))["choices"]]


def counts(ballots: dict[int, str], ids: list[str]) -> dict[str, int]:
    """Votes per choice id from each voter's last choice (`ballots`: voter -> choice id)."""
    return {choice: list(ballots.values()).count(choice) for choice in ids}


# -- the scenarios ---------------------------------------------------------------------------


async def test_a_vote_on_one_process_reaches_a_viewer_on_the_other(
    pair: tuple[LiveServer, LiveServer], people: Callable[[], Person]
) -> None:
    a, b = pair
    owner = await people().sign_in(a, "Alex Owner")
    slug = await owner.create_poll(a)
    first, second, third = await choice_ids(owner, a, slug)

    async with people().watch(b, slug) as on_b:
        assert on_b.shows(0) and on_b.state == "open"
        voter = await people().sign_in(a, "Sam Socket")
        async with voter.watch(a, slug) as voter_on_a:
            await voter_on_a.vote(first)
        await on_b.expect(lambda s: s.shows(1, {first: 1, second: 0, third: 0}), "socket vote")

        await (await people().sign_in(a, "Fran Form")).vote_by_form(a, slug, second)
        await on_b.expect(lambda s: s.shows(2, {first: 1, second: 1, third: 0}), "form vote")

    assert (await owner.results(b, slug))["total_votes"] == 2


async def test_a_sign_out_on_one_process_stops_voter_names_on_the_other(
    pair: tuple[LiveServer, LiveServer], people: Callable[[], Person]
) -> None:
    a, b = pair
    owner = await people().sign_in(a, "Alex Owner")
    slug = await owner.create_poll(a)
    first, second, _ = await choice_ids(owner, a, slug)

    async with owner.watch(b, slug) as owner_on_b:
        await (await people().sign_in(a, "Ada")).vote_by_form(a, slug, first)
        await owner_on_b.expect(lambda s: s.shows(1), "the first vote")
        assert any('class="voter"' in message for message in owner_on_b.seen)
        signed_in = len(owner_on_b.seen)
        home = await owner.http.get(f"{a.url}/")
        logout = await owner.http.post(f"{a.url}/logout", data={"csrf_token": csrf_of(home.text)})
        assert logout.status_code == 303
        await owner_on_b.expect(
            lambda s: any("Sign in to vote" in m for m in s.seen[signed_in:]), "signed out"
        )
        await (await people().sign_in(a, "Bob")).vote_by_form(a, slug, second)
        await owner_on_b.expect(lambda s: s.shows(2), "the second vote")
    assert not any('class="voter"' in message for message in owner_on_b.seen[signed_in:])


async def test_watching_counts_the_pages_open_on_every_process(
    pair: tuple[LiveServer, LiveServer], people: Callable[[], Person]
) -> None:
    a, b = pair
    owner = await people().sign_in(a, "Alex Owner")
    slug = await owner.create_poll(a)
    async with owner.watch(a, slug) as on_a, people().watch(b, slug) as on_b:
        await on_a.expect(lambda s: s.watching == 2, "2 watching on A")
        await on_b.expect(lambda s: s.watching == 2, "2 watching on B")
        async with people().watch(b, slug):
            await on_a.expect(lambda s: s.watching == 3, "a third page, on B, counted on A")
        await on_a.expect(lambda s: s.watching == 2, "the page that closed on B uncounted")


async def test_the_origin_check_uses_the_shared_public_url_not_the_process_address(
    pair: tuple[LiveServer, LiveServer], people: Callable[[], Person]
) -> None:
    a, b = pair
    slug = await (await people().sign_in(a, "Alex Owner")).create_poll(a)
    with pytest.raises(InvalidStatus) as refused:
        async with connect(f"{b.ws_url}/polls/{slug}/ws", origin=Origin(b.url)):
            pass
    assert refused.value.response.status_code == 403
    async with people().watch(b, slug) as on_b:  # sends PUBLIC_URL as its Origin
        assert on_b.state == "open"


async def test_votes_keep_landing_while_redis_is_down_and_every_viewer_converges_after(
    pair: tuple[LiveServer, LiveServer], redis: RedisServer, people: Callable[[], Person]
) -> None:
    a, b = pair
    owner = await people().sign_in(a, "Alex Owner")
    slug = await owner.create_poll(a)
    ids = await choice_ids(owner, a, slug)
    voters = [await people().sign_in(a, f"Student {n}") for n in range(8)]
    ballots: dict[int, str] = {}

    def expected() -> dict[str, int]:
        return counts(ballots, ids)

    async with (
        people().watch(b, slug) as page_on_b,
        people().watch(b, slug, view="room") as projector_on_b,
        owner.watch(b, slug) as owner_on_b,
        people().watch(a, slug) as page_on_a,
    ):
        screens_on_b = [page_on_b, projector_on_b, owner_on_b]

        async def everyone_shows(what: str, within: float = WAIT) -> None:
            total, votes = len(ballots), expected()
            screens = [*screens_on_b, page_on_a]
            try:
                for screen in screens:
                    await screen.expect(lambda s: s.shows(total, votes), what, within)
            except AssertionError as failed:
                everyone = "\n".join(map(str, screens))
                raise AssertionError(f"{failed}; expected {total} {votes}:\n{everyone}") from None

        # Redis up: a vote on each process reaches the other.
        async with voters[0].watch(a, slug) as socket:
            await socket.vote(ids[0])
        ballots[0] = ids[0]
        await voters[1].vote_by_form(b, slug, ids[1])
        ballots[1] = ids[1]
        await everyone_shows("votes before the outage")
        # Let B hear the last of those (its own messages come back through Redis too), so
        # that what B shows during the outage can only come from the outage.
        for screen in screens_on_b:
            await screen.quiet_for()

        await asyncio.to_thread(redis.kill)

        # Redis down: votes over sockets and forms are still accepted, stored and shown on A.
        for n in (2, 3, 4):
            async with voters[n].watch(a, slug) as socket:
                await socket.vote(ids[n % 3])
            ballots[n] = ids[n % 3]
        await voters[5].vote_by_form(a, slug, ids[2])
        ballots[5] = ids[2]
        async with voters[0].watch(a, slug) as socket:  # a changed vote during the outage
            await socket.vote(ids[2])
        ballots[0] = ids[2]
        await page_on_a.expect(lambda s: s.shows(len(ballots), expected()), "local updates")
        assert (await owner.results(a, slug))["total_votes"] == len(ballots) == 6
        # The outage is real: B has not heard of these votes.
        for screen in screens_on_b:
            await screen.quiet_for()
            assert screen.shows(2), (screen.total, screen.votes)

        await asyncio.to_thread(redis.start)

        # Redis back: B's listener reconnects and resynchronises every local poll.
        await everyone_shows("convergence after Redis returned", REDIS_RETURN_WAIT)

        # Pub/sub works again, not only the resync, both ways: B publishes first (the
        # connection it published on before died with the old Redis), then A.
        async with voters[6].watch(b, slug) as socket:
            await socket.vote(ids[0])
        ballots[6] = ids[0]
        await everyone_shows("a vote on B after the outage")
        await voters[7].vote_by_form(a, slug, ids[1])
        ballots[7] = ids[1]
        await everyone_shows("a vote on A after the outage")

    for server in (a, b):
        results = await owner.results(server, slug)
        assert results["total_votes"] == len(voters) == len(ballots)
        assert {c["id"]: c["votes"] for c in results["choices"]} == expected()


async def test_a_scheduled_close_fires_on_the_other_process_when_the_arming_one_died(
    pair: tuple[LiveServer, LiveServer], people: Callable[[], Person]
) -> None:
    a, b = pair
    owner = await people().sign_in(a, "Alex Owner")
    closes_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5)
    slug = await owner.create_poll(a, closes_at=closes_at.isoformat())

    async with people().watch(b, slug) as on_b:
        assert on_b.state == "open"
        await asyncio.to_thread(a.kill)  # A armed the timer; it dies before the end time
        assert datetime.now(UTC) < closes_at, "too slow to kill A before the end time"
        await on_b.expect(lambda s: s.state == "closed", "close pushed by B", WAIT + 5)
        assert datetime.now(UTC) >= closes_at

    assert (await owner.results(b, slug))["state"] == "closed"


async def test_two_processes_on_one_sqlite_file_store_every_vote_cast_on_both(
    sqlite_pair: tuple[LiveServer, LiveServer], people: Callable[[], Person]
) -> None:
    """Votes arriving on both processes at once wait for SQLite's write lock instead of
    failing with "database is locked"."""
    a, b = sqlite_pair
    owner = await people().sign_in(a, "Alex Owner")
    slug = await owner.create_poll(a)
    ids = await choice_ids(owner, a, slug)
    servers = [a, b] * (SQLITE_VOTERS // 2)
    voters = await asyncio.gather(
        *(people().sign_in(server, f"Voter {n}") for n, server in enumerate(servers))
    )

    async with contextlib.AsyncExitStack() as pages:
        screens = [
            await pages.enter_async_context(voter.watch(server, slug))
            for voter, server in zip(voters, servers, strict=True)
        ]
        for turn in range(2):  # everyone votes at once, then everyone changes their mind
            ballots = {n: ids[(n + turn) % 3] for n in range(SQLITE_VOTERS)}
            await asyncio.gather(*(screen.vote(ballots[n]) for n, screen in enumerate(screens)))
            for server in (a, b):
                results = await owner.results(server, slug)
                assert results["total_votes"] == SQLITE_VOTERS
                assert {c["id"]: c["votes"] for c in results["choices"]} == counts(ballots, ids)
    for server in (a, b):
        assert "database is locked" not in server.log()
