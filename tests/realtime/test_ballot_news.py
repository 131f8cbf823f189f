"""News of new ballots only (a vote) re-reads a poll's ballots and keeps the row and the
responses its last whole read took; any other news of the poll or of its room, a resync, or
news heard while a read runs, makes the next read whole again."""

from __future__ import annotations

import asyncio

import pytest

from crowdsource.domain import poll_store
from crowdsource.domain.models import Poll, Room
from crowdsource.realtime import poll_publishing
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.queries import statements
from tests.helpers.realtime import settle
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")


def reads_rows(sql: list[str]) -> bool:
    """Whether these statements read a poll's row or its responses."""
    return any('FROM "polls"' in line or 'FROM "choices"' in line for line in sql)


async def watched(publisher: Publisher, poll: Poll) -> FakeSocket:
    """A socket on the poll, and the poll read whole once (its first news)."""
    socket = FakeSocket()
    await publisher.connect(socket, poll, None, "csrf")
    await publisher.on_votes_changed(poll.id)  # the snapshot of a join kept no responses
    await settle(publisher)
    return socket


async def vote_news(publisher: Publisher, poll: Poll, voter: str) -> list[str]:
    """A vote stored and its news published; the statements the publish sent."""
    await store_vote(poll, await make_user(voter), (await choice_ids(poll))[0])
    with statements() as sql:
        await publisher.on_votes_changed(poll.id)
        await settle(publisher)
    return sql


async def test_news_of_ballots_reads_only_the_ballots(publisher: Publisher) -> None:
    poll = await make_poll()
    socket = await watched(publisher, poll)
    sql = await vote_news(publisher, poll, "First")
    assert sql and not reads_rows(sql)
    assert 'data-total-votes="1"' in socket.sent[-1]
    assert not reads_rows(await vote_news(publisher, poll, "Second"))
    assert 'data-total-votes="2"' in socket.sent[-1]


async def test_other_news_of_the_poll_reads_it_whole_again(publisher: Publisher) -> None:
    poll = await make_poll()
    socket = await watched(publisher, poll)
    await poll_store.close_poll(poll)
    with statements() as sql:
        await publisher.on_change(poll.id)
        await settle(publisher)
    assert reads_rows(sql)
    assert 'data-state="closed"' in socket.sent[-1]


async def test_news_of_its_room_reads_its_questions_whole_again(publisher: Publisher) -> None:
    owner = await make_user("Owner")
    room = await Room.create(code="ABCDEF", name="CS 101", owner=owner)
    poll = await make_poll(owner)
    await Poll.filter(id=poll.id).update(room_id=room.id)
    poll = await Poll.get(id=poll.id)
    await watched(publisher, poll)
    await Poll.filter(id=poll.id).update(question="Edited in the room")  # as edit_question does
    await publisher.on_room_change(room.id)
    assert reads_rows(await vote_news(publisher, poll, "Voter"))
    snapshot = publisher.snapshot_of(poll.id)
    assert snapshot is not None and snapshot.poll.question == "Edited in the room"


async def test_a_resync_reads_every_poll_whole_again(publisher: Publisher) -> None:
    poll = await make_poll()
    await watched(publisher, poll)
    with statements() as sql:
        await publisher.resync_all()
        await settle(publisher)
    assert reads_rows(sql)


async def test_news_heard_while_a_read_runs_makes_the_next_read_whole(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    poll = await make_poll()
    await watched(publisher, poll)
    real = poll_publishing.tallies_of
    heard = asyncio.Event()

    async def edited_meanwhile(*args: object, **given: object) -> object:
        if not heard.is_set():  # an edit commits and is heard while the ballots are read
            heard.set()
            await Poll.filter(id=poll.id).update(question="Edited meanwhile")
            await publisher.on_change(poll.id)
        return await real(*args, **given)  # type: ignore[arg-type]

    monkeypatch.setattr(poll_publishing, "tallies_of", edited_meanwhile)
    sql = await vote_news(publisher, poll, "Voter")
    reads = [line.split(" FROM ")[1].split()[0] for line in sql if line.startswith("SELECT")]
    assert reads == ['"votes"', '"polls"', '"choices"', '"votes"']  # ballots only, then whole
    snapshot = publisher.snapshot_of(poll.id)
    assert snapshot is not None and snapshot.poll.question == "Edited meanwhile"
