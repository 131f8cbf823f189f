"""Rooms across two real `crowdsource serve` processes sharing PostgreSQL and Redis: a launch
on one process switches the room's screens on the other (one message replacing `#stage`), a
vote over a room socket on one reaches the room's projector on the other, a process that
missed a launch while Redis was down switches its screens when Redis returns, and "N in the
room" counts the sockets of both processes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from tests.helpers.live_server import LiveServer
from tests.helpers.multiprocess import REDIS_RETURN_WAIT, Person, Screen
from tests.helpers.services import RedisServer

pytestmark = [pytest.mark.multiprocess, pytest.mark.postgres]


def switched_to(slug: str) -> Callable[[Screen], bool]:
    return lambda screen: screen.poll == slug


def only_message_of(screen: Screen, slug: str) -> str:
    """The one message that switched a screen to `slug`: it must carry the whole state."""
    switches = [message for message in screen.seen if f'data-poll="{slug}"' in message]
    assert switches, str(screen)
    return switches[0]


async def test_a_launch_on_one_process_switches_the_room_on_the_other_and_votes_cross_back(
    pair: tuple[LiveServer, LiveServer], people: Callable[[], Person]
) -> None:
    a, b = pair
    owner = await people().sign_in(a, "Alex Owner")
    code = await owner.create_room(a)
    student = await people().sign_in(b, "Sam Student")
    async with (
        student.watch_room(b, code) as page_on_b,
        people().watch_room(b, code, view="room") as projector_on_b,
        people().watch_room(a, code, view="room") as projector_on_a,
        owner.watch_room(b, code, view="host") as console_on_b,
    ):
        assert page_on_b.poll == "" and projector_on_b.poll == ""  # waiting
        slug = await owner.ask(a, code, "Which one is a prime?")
        screens = (page_on_b, projector_on_b, projector_on_a, console_on_b)
        for screen in screens:
            await screen.expect(switched_to(slug), "the launched question")
            assert screen.shows(0) and screen.state == "open", str(screen)
        switch = only_message_of(page_on_b, slug)
        assert switch.startswith('<section id="stage"')
        assert "Which one is a prime?" in switch and 'data-total-votes="0"' in switch
        assert 'id="vote-form"' in switch and f'name="poll" value="{slug}"' in switch
        assert "Close voting" in only_message_of(console_on_b, slug)

        first, *_ = page_on_b.votes  # the response ids, as the student's page shows them
        await page_on_b.vote(first, poll=slug)
        for screen in screens:
            await screen.expect(lambda s: s.shows(1) and s.votes[first] == 1, "the vote on B")
    assert (await owner.results(b, slug))["total_votes"] == 1


async def test_a_process_that_missed_a_launch_while_redis_was_down_switches_when_it_returns(
    pair: tuple[LiveServer, LiveServer], redis: RedisServer, people: Callable[[], Person]
) -> None:
    a, b = pair
    owner = await people().sign_in(a, "Alex Owner")
    code = await owner.create_room(a)
    student = await people().sign_in(b, "Sam Student")
    async with (
        student.watch_room(b, code) as page_on_b,
        people().watch_room(b, code, view="room") as projector_on_b,
        people().watch_room(a, code) as page_on_a,
    ):
        before = await owner.ask(a, code, "Before the outage?")
        for screen in (page_on_b, projector_on_b, page_on_a):
            await screen.expect(switched_to(before), "the first question")

        await asyncio.to_thread(redis.kill)
        during = await owner.ask(a, code, "During the outage?")
        await page_on_a.expect(switched_to(during), "the launch on its own process")
        for screen in (page_on_b, projector_on_b):  # the outage is real: B did not hear it
            await screen.quiet_for()
            assert screen.poll == before, str(screen)

        await asyncio.to_thread(redis.start)
        for screen in (page_on_b, projector_on_b):  # B's listener resynchronises every room
            await screen.expect(switched_to(during), "the resync after Redis", REDIS_RETURN_WAIT)
        assert 'id="vote-form"' in only_message_of(page_on_b, during)

        first, *_ = page_on_b.votes
        await page_on_b.vote(first, poll=during)  # and news travel again, B to A
        await page_on_a.expect(lambda s: s.shows(1), "a vote on B after the outage")


async def test_in_the_room_counts_the_sockets_of_both_processes(
    pair: tuple[LiveServer, LiveServer], people: Callable[[], Person]
) -> None:
    a, b = pair
    owner = await people().sign_in(a, "Alex Owner")
    code = await owner.create_room(a)
    async with (
        owner.watch_room(a, code, view="host") as console_on_a,
        people().watch_room(b, code) as page_on_b,
    ):
        await console_on_a.expect(lambda s: s.watching == 2, "2 in the room on A")
        await page_on_b.expect(lambda s: s.watching == 2, "2 in the room on B")
        async with people().watch_room(b, code, view="room"):
            await console_on_a.expect(lambda s: s.watching == 3, "a projector on B, counted on A")
        await console_on_a.expect(lambda s: s.watching == 2, "the projector that left B uncounted")
    assert any("3 in the room" in message for message in console_on_a.seen)
