"""results.json, the projector and the embed read a poll's tally once per change of the poll,
not once per request; a change (here or, through the broker, elsewhere) is seen at once."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from crowdsource.web import tally_cache
from crowdsource.web.tally_cache import TallyCache
from tests.helpers.client import create_poll, csrf_of
from tests.helpers.factories import make_poll


def tallies(client: TestClient) -> TallyCache:
    cache: TallyCache = client.app.state.tallies  # type: ignore[attr-defined]
    return cache


def vote_in_page(client: TestClient, slug: str) -> None:
    page = client.get(f"/polls/{slug}").text
    choice = re.findall(r'name="choice" value="(\d+)"', page)[0]
    response = client.post(
        f"/polls/{slug}/votes",
        data={"choice": choice, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_a_poll_is_tallied_once_per_change_and_every_change_shows_at_once(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    reads = tallies(owner).reads
    for path in ("results.json", "present", "embed", "results.json"):
        assert stranger.get(f"/polls/{slug}/{path}").status_code == 200
    assert tallies(owner).reads == reads + 1
    vote_in_page(student, slug)
    assert stranger.get(f"/polls/{slug}/results.json").json()["total_votes"] == 1
    assert 'data-total-votes="1"' in stranger.get(f"/polls/{slug}/present").text
    assert tallies(owner).reads == reads + 2
    token = csrf_of(owner.get(f"/polls/{slug}").text)
    owner.post(f"/polls/{slug}/close", data={"csrf_token": token}, follow_redirects=False)
    assert stranger.get(f"/polls/{slug}/results.json").json()["state"] == "closed"


@pytest.mark.usefixtures("orm")
async def test_a_tally_read_while_the_poll_changes_is_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = TallyCache()
    poll = await make_poll()
    real = tally_cache.tally_of
    started, go_on = asyncio.Event(), asyncio.Event()

    async def slow(*args: Any) -> Any:
        started.set()
        await go_on.wait()
        return await real(*args)

    monkeypatch.setattr(tally_cache, "tally_of", slow)
    reading = asyncio.create_task(cache.tally(poll))
    await started.wait()
    cache.forget(poll.id)  # a vote landed while the tally was being read
    go_on.set()
    await reading
    monkeypatch.setattr(tally_cache, "tally_of", real)
    await cache.tally(poll)
    assert cache.reads == 2  # the first read was not kept


@pytest.mark.usefixtures("orm")
async def test_a_kept_tally_is_read_again_once_its_end_time_has_passed() -> None:
    from datetime import timedelta

    from crowdsource.domain import clock

    cache = TallyCache()
    poll = await make_poll(closes_at=clock.now() + timedelta(minutes=5))
    assert (await cache.tally(poll)).is_open
    later = clock.now() + timedelta(minutes=6)
    assert not (await cache.tally(poll, later)).is_open and cache.reads == 2


@pytest.mark.usefixtures("orm")
async def test_the_cache_keeps_the_most_recently_read_polls_only() -> None:
    cache = TallyCache(kept=2)
    polls = [await make_poll() for _ in range(3)]
    for poll in polls:
        await cache.tally(poll)
    await cache.tally(polls[0])  # pushed out by the third
    assert cache.reads == 4


@pytest.mark.usefixtures("orm")
async def test_after_a_broker_reconnect_every_poll_is_read_again() -> None:
    cache = TallyCache()
    polls = [await make_poll() for _ in range(2)]
    for poll in polls:
        await cache.tally(poll)
    cache.forget_all()
    for poll in polls:
        await cache.tally(poll)
    assert cache.reads == 4


class Silent:
    """An announcer that tells nobody (the broker's part is not under test here)."""

    async def poll_changed(self, poll_id: int) -> None: ...

    async def votes_changed(self, poll_id: int, voters: frozenset[int] | None = None) -> None: ...

    async def room_changed(self, room_id: int) -> None: ...

    async def sessions_ended(self, user_id: int) -> None: ...


@pytest.mark.usefixtures("orm")
async def test_what_pages_render_from_a_tally_goes_with_it_on_every_change() -> None:
    from datetime import timedelta

    from crowdsource.domain import clock

    cache = TallyCache()
    poll = await make_poll(closes_at=clock.now() + timedelta(minutes=5))
    renders: list[int] = []

    async def render_once(now: Any = None) -> None:
        (await cache.snapshot(poll, now)).cached(("k",), lambda: str(renders.append(1)))

    async def nothing(poll_id: int) -> None: ...

    await render_once()
    await render_once()
    assert len(renders) == 1  # kept
    await tally_cache.ForgettingAnnouncer(Silent(), cache).poll_changed(poll.id)  # a command
    await render_once()
    await cache.heard(nothing)(poll.id)  # another process's change, through the broker
    await render_once()
    cache.forget_all()  # the broker reconnected
    await render_once()
    await render_once(clock.now() + timedelta(minutes=6))  # the end time passed
    assert len(renders) == 5
