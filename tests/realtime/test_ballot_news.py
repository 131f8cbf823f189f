"""News of new ballots only (a vote) re-reads a poll's ballots and keeps the row and the
responses its last whole read took; any other news of the poll or of its room, a resync, or
news heard while a read runs, makes the next read whole again. News that names its voters
reads only theirs (domain/tally_patch.py), and the tally is the one a whole read gives."""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from crowdsource.domain import clock, poll_store, tally_patch
from crowdsource.domain.models import Poll, Room, User
from crowdsource.domain.poll_input import PollSpec
from crowdsource.domain.room_input import QuestionSpec
from crowdsource.domain.rooms import RoomCommands
from crowdsource.domain.tally import Tally
from crowdsource.domain.tally_reads import tally_of
from crowdsource.realtime import poll_publishing
from crowdsource.realtime.fragments import ROOM
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.queries import statements
from tests.helpers.realtime import settle
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")


def reads_rows(sql: list[str]) -> bool:
    """Whether these statements read a poll's row or its responses."""
    return any('FROM "polls"' in line or 'FROM "choices"' in line for line in sql)


async def watched(publisher: Publisher, poll: Poll, *, named: bool = False) -> FakeSocket:
    """A socket on the poll, and the poll read whole once (its first news; `named`: news
    that names voters, none here, so the read takes the watermark a patch needs)."""
    socket = FakeSocket()
    await publisher.connect(socket, poll, None, "csrf")
    # the snapshot of a join kept no responses
    await publisher.on_votes_changed(poll.id, frozenset() if named else None)
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


async def named_vote(
    publisher: Publisher, poll: Poll, voter: User, choice: int, at: datetime | None = None
) -> list[str]:
    """A vote stored and its news, naming its voter, published: the statements it sent."""
    await store_vote(poll, voter, choice, at)
    with statements() as sql:
        await publisher.on_votes_changed(poll.id, frozenset({voter.id}))
        await settle(publisher)
    return sql


async def assert_as_read_whole(publisher: Publisher, poll: Poll) -> Tally:
    snapshot = publisher.snapshot_of(poll.id)
    assert snapshot is not None
    whole = await tally_of(await Poll.get(id=poll.id), clock.now())
    assert snapshot.tally == replace(whole, is_open=snapshot.tally.is_open)
    return snapshot.tally


def ballots_only(sql: list[str]) -> bool:
    """One read, of the named voters' ballots: no poll row, no responses, no watermark."""
    reads = [line for line in sql if line.startswith("SELECT")]
    return len(reads) == 1 and '"voter_id" IN' in reads[0] and "MAX(" not in reads[0]


async def test_a_vote_naming_its_voter_reads_only_their_ballot(publisher: Publisher) -> None:
    poll = await make_poll(show_voters="everyone")
    socket = await watched(publisher, poll, named=True)
    first, second = await choice_ids(poll), None
    voters = [await make_user(f"Voter {n}") for n in range(3)]
    for n, voter in enumerate(voters):
        assert ballots_only(await named_vote(publisher, poll, voter, first[n % 2]))
    second = await assert_as_read_whole(publisher, poll)
    assert [c.votes for c in second.choices][:2] == [2, 1]
    assert 'data-total-votes="3"' in socket.sent[-1]
    assert f'id="voter-{voters[2].id}"' in socket.sent[-1]  # the avatar moves as before


async def test_changes_of_mind_in_any_order_give_what_a_whole_read_gives(
    publisher: Publisher,
) -> None:
    poll = await make_poll(show_voters="everyone")
    await watched(publisher, poll, named=True)
    ids = await choice_ids(poll)
    voters = [await make_user(f"Voter {n}") for n in range(6)]
    draws = random.Random(18)
    for _ in range(30):
        voter = draws.choice(voters)
        assert ballots_only(await named_vote(publisher, poll, voter, draws.choice(ids)))
        await assert_as_read_whole(publisher, poll)
    # two voters in one piece of news, as a group commit announces them one after the other
    await store_vote(poll, voters[0], ids[0])
    await store_vote(poll, voters[1], ids[1])
    await publisher.on_votes_changed(poll.id, frozenset({voters[0].id}))
    await publisher.on_votes_changed(poll.id, frozenset({voters[1].id}))
    await settle(publisher)
    await assert_as_read_whole(publisher, poll)


async def test_a_quiz_s_votes_are_patched_too(publisher: Publisher) -> None:
    quiz = await make_poll(kind="single", correct=(1,), show_voters="everyone")
    await watched(publisher, quiz, named=True)
    ids = await choice_ids(quiz)
    for n in range(3):
        assert ballots_only(await named_vote(publisher, quiz, await make_user(f"V{n}"), ids[n]))
    tally = await assert_as_read_whole(publisher, quiz)
    assert tally.correct_ids == {ids[1]} and tally.total_votes == 3


async def test_a_vote_cast_before_the_latest_counted_reads_the_poll_whole(
    publisher: Publisher,
) -> None:
    poll = await make_poll(show_voters="everyone")
    await watched(publisher, poll, named=True)
    ids = await choice_ids(poll)
    late, early = await make_user("Late"), await make_user("Early")
    await named_vote(publisher, poll, late, ids[0])
    stepped_back = clock.now() - timedelta(minutes=5)  # a clock stepped back, a slow commit
    sql = await named_vote(publisher, poll, early, ids[0], stepped_back)
    assert not ballots_only(sql) and any("MAX(" in line for line in sql)
    tally = await assert_as_read_whole(publisher, poll)
    assert [v.login for v in tally.choices[0].voters] == [early.login, late.login]


async def test_news_without_its_voters_and_polls_a_patch_cannot_follow_read_whole(
    publisher: Publisher,
) -> None:
    poll = await make_poll(show_voters="everyone")
    await watched(publisher, poll)
    assert not ballots_only(await vote_news(publisher, poll, "Unnamed"))
    for settings in (
        {"kind": "multiple", "max_picks": 2},
        {"kind": "single", "ask_confidence": True},
    ):
        other = await make_poll(show_voters="everyone", **settings)
        await watched(publisher, other, named=True)
        voter = await make_user("Voter")
        ids = await choice_ids(other)
        choice = (ids[0],) if other.kind == "multiple" else ids[0]
        await store_vote(other, voter, choice)  # type: ignore[arg-type]
        with statements() as sql:
            await publisher.on_votes_changed(other.id, frozenset({voter.id}))
            await settle(publisher)
        assert not ballots_only(sql)
        await assert_as_read_whole(publisher, other)


async def test_after_its_patches_a_poll_is_read_whole_again(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tally_patch, "PATCHES_BEFORE_WHOLE_READ", 2)
    poll = await make_poll()
    await watched(publisher, poll, named=True)
    ids = await choice_ids(poll)
    patched = [
        ballots_only(await named_vote(publisher, poll, await make_user(f"V{n}"), ids[0]))
        for n in range(4)
    ]
    assert patched == [True, True, False, True]
    await assert_as_read_whole(publisher, poll)


async def test_a_room_s_votes_through_the_broker_are_patched(
    publisher: Publisher, room_commands: RoomCommands
) -> None:
    """The whole path: a student's vote on a room's screen, its news through the broker as
    the app wires it, then the room's screens; after the first, only ballots are read."""
    owner = await make_user("Alex Owner")
    room = await room_commands.create(owner, "CS 101")
    poll = await room_commands.add_question(
        room, owner, QuestionSpec(PollSpec("Which one?", ("A", "B"))), launch=True
    )
    projector = FakeSocket()
    await publisher.rooms.connect(projector, room, None, "", ROOM)
    await settle(publisher)
    ids = await choice_ids(poll)
    reads = []
    for n in range(4):
        with statements() as sql:
            await room_commands.cast_vote(
                room, poll.slug, await make_user(f"S{n}"), str(ids[n % 2])
            )
            await settle(publisher)
        reads.append(ballots_only([line for line in sql if 'FROM "votes"' in line]))
        assert f'data-total-votes="{n + 1}"' in projector.sent[-1]
    assert reads[1:] == [True, True, True]  # the first read takes the watermark
    await assert_as_read_whole(publisher, poll)


async def test_more_voters_than_one_patch_reads_are_read_whole(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(poll_publishing, "VOTERS_PER_PATCH_READ", 2)
    poll = await make_poll(show_voters="everyone")
    await watched(publisher, poll, named=True)
    ids = await choice_ids(poll)
    voters = [await make_user(f"Voter {n}") for n in range(3)]
    for voter in voters:
        await store_vote(poll, voter, ids[0])
    with statements() as sql:
        await publisher.on_votes_changed(poll.id, frozenset(v.id for v in voters))  # a burst
        await settle(publisher)
    assert not ballots_only(sql)
    assert (await assert_as_read_whole(publisher, poll)).total_votes == 3
    assert ballots_only(await named_vote(publisher, poll, await make_user("Next"), ids[1]))
