"""results.json, the projector, the embed, the voters' page and a room's pages read a poll's
tally once per change of the poll, not once per request; a change (here or, through the
broker, elsewhere) is seen at once; a vote whose news names its voter reads that ballot
alone, and the tally is a whole read's."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from crowdsource.domain.tally_reads import tally_of
from crowdsource.web import tally_cache
from crowdsource.web.tally_cache import TallyCache
from tests.helpers.client import create_poll, csrf_of
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.rooms import ask, create_room


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
    # the vote's news named its voter: their ballot alone was read, once
    assert (tallies(owner).reads, tallies(owner).patches) == (reads + 1, 1)
    token = csrf_of(owner.get(f"/polls/{slug}").text)
    owner.post(f"/polls/{slug}/close", data={"csrf_token": token}, follow_redirects=False)
    assert stranger.get(f"/polls/{slug}/results.json").json()["state"] == "closed"


def test_the_voters_page_and_the_rooms_pages_read_it_once_per_change_too(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    tallies(owner).forget_all()
    reads = tallies(owner).reads
    pages = (f"/polls/{slug}", f"/r/{code}", f"/r/{code}/present", f"/r/{code}/host")
    for path in (*pages, *pages):
        client = owner if path.endswith("/host") else stranger
        assert client.get(path).status_code == 200
    assert tallies(owner).reads == reads + 1
    vote_in_page(student, slug)  # from the voter's page: its news names the voter
    for path in pages:
        client = owner if path.endswith("/host") else stranger
        assert 'data-total-votes="1"' in client.get(path).text
    assert "Change my vote" in student.get(f"/r/{code}").text  # their own pick, at once
    assert (tallies(owner).reads, tallies(owner).patches) == (reads + 1, 1)


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


@pytest.mark.usefixtures("orm")
async def test_named_votes_bring_the_kept_tally_up_to_date_as_a_whole_read_would() -> None:
    cache = TallyCache()
    poll = await make_poll(show_voters="everyone")
    ids = await choice_ids(poll)
    await cache.tally(poll)
    voters = [await make_user(f"Voter {n}") for n in range(4)]
    for n, voter in enumerate(voters):
        await store_vote(poll, voter, ids[n % 2])
        cache.votes_changed(poll.id, frozenset({voter.id}))
        assert await cache.tally(poll) == await tally_of(poll)
    await store_vote(poll, voters[0], ids[2])  # a change of mind
    cache.votes_changed(poll.id, frozenset({voters[0].id}))
    tally = await cache.tally(poll)
    assert tally == await tally_of(poll) and [c.votes for c in tally.choices] == [1, 2, 1]
    assert (cache.reads, cache.patches) == (1, 5)
    cache.votes_changed(poll.id, None)  # news that names nobody
    await cache.tally(poll)
    assert (cache.reads, cache.patches) == (2, 5)


@pytest.mark.usefixtures("orm")
async def test_a_patch_read_while_another_vote_lands_is_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = TallyCache()
    poll = await make_poll()
    ids = await choice_ids(poll)
    await cache.tally(poll)
    first, second = await make_user("First"), await make_user("Second")
    await store_vote(poll, first, ids[0])
    cache.votes_changed(poll.id, frozenset({first.id}))
    real = tally_cache.ballots_of
    landed = asyncio.Event()

    async def meanwhile(*args: Any) -> Any:
        if not landed.is_set():  # the second vote commits and is heard during the read
            landed.set()
            await store_vote(poll, second, ids[1])
            cache.votes_changed(poll.id, frozenset({second.id}))
        return await real(*args)

    monkeypatch.setattr(tally_cache, "ballots_of", meanwhile)
    assert (await cache.tally(poll)).total_votes in (1, 2)
    assert (await cache.tally(poll)).total_votes == 2  # the second is read, not forgotten
    assert cache.reads == 1
