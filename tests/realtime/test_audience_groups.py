"""A publish sends by the sorting the last one made, and only while it still holds: no
socket joined, left, changed what it may see or reached its token's expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from crowdsource.domain import clock
from crowdsource.realtime.audience_groups import AudienceGroups
from crowdsource.realtime.client import Client
from crowdsource.realtime.fragments import PAGE
from crowdsource.realtime.poll_publishing import PollPublishing
from crowdsource.realtime.publisher import Publisher
from crowdsource.realtime.viewers import Subscriber, Viewer
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import settle, vote_and_publish
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")

RESULTS = 'id="result-'  # a results update, or a full state that shows results


@pytest.fixture
def publishes_socket_by_socket(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The polls of every publish that decided socket by socket (no sorting held)."""
    polls: list[int] = []
    send_each = PollPublishing._send_each

    def counted(self: PollPublishing, poll_id: int, *args: Any) -> Any:
        polls.append(poll_id)
        return send_each(self, poll_id, *args)

    monkeypatch.setattr(PollPublishing, "_send_each", counted)
    return polls


async def test_a_vote_after_the_first_is_sent_by_the_sorting(
    publisher: Publisher, publishes_socket_by_socket: list[int]
) -> None:
    poll = await make_poll()
    first = (await choice_ids(poll))[0]
    sockets = [FakeSocket() for _ in range(6)]
    for n, socket in enumerate(sockets):
        await publisher.connect(socket, poll, await make_user(f"Student {n}"), "csrf")
    await vote_and_publish(publisher, poll, "Somebody", first)  # every socket sorted
    assert publishes_socket_by_socket == [poll.id]

    await vote_and_publish(publisher, poll, "Somebody else", first)

    assert publishes_socket_by_socket == [poll.id]
    assert all('data-total-votes="2"' in socket.sent[-1] for socket in sockets)
    assert sockets[0].sent[-1] is sockets[5].sent[-1]  # one update for them all


async def test_a_voter_whose_vote_shows_them_results_gets_them_and_the_others_do_not(
    publisher: Publisher, publishes_socket_by_socket: list[int]
) -> None:
    poll = await make_poll(results_visibility="after_vote")
    first = (await choice_ids(poll))[0]
    voter, other = await make_user("Voter"), await make_user("Other")
    voter_socket, other_socket = FakeSocket(), FakeSocket()
    await publisher.connect(voter_socket, poll, voter, "csrf")
    await publisher.connect(other_socket, poll, other, "csrf")
    await vote_and_publish(publisher, poll, "Somebody", first)
    assert RESULTS not in voter_socket.sent[-1] and RESULTS not in other_socket.sent[-1]
    other_had = len(other_socket.sent)

    await store_vote(poll, voter, first)
    await publisher.on_votes_changed(poll.id, {voter.id})
    await settle(publisher)

    assert publishes_socket_by_socket == [poll.id]  # the second went by the sorting
    assert RESULTS in voter_socket.sent[-1]  # their full state, results and all
    assert not any(RESULTS in message for message in other_socket.sent[other_had:])


async def test_a_voter_shown_results_by_their_vote_is_moved_and_the_sorting_still_holds(
    publisher: Publisher, publishes_socket_by_socket: list[int]
) -> None:
    poll = await make_poll(results_visibility="after_vote")
    first = (await choice_ids(poll))[0]
    voters = [await make_user(f"Voter {n}") for n in range(2)]
    other = await make_user("Other")
    sockets = {user.id: FakeSocket() for user in [*voters, other]}
    for user in [*voters, other]:
        await publisher.connect(sockets[user.id], poll, user, "csrf")
    await vote_and_publish(publisher, poll, "Somebody", first)  # every socket sorted
    for voter in voters:  # each vote shows its voter the results: their full state
        await store_vote(poll, voter, first)
        await publisher.on_votes_changed(poll.id, {voter.id})
        await settle(publisher)
    had = {user_id: len(socket.sent) for user_id, socket in sockets.items()}

    await vote_and_publish(publisher, poll, "Somebody else", first)

    assert publishes_socket_by_socket == [poll.id]  # every later one went by the sorting
    for voter in voters:  # the results update, as everyone who sees results is sent it
        (update,) = sockets[voter.id].sent[had[voter.id] :]
        assert RESULTS in update and 'data-total-votes="4"' in update
    assert sockets[voters[0].id].sent[-1] is sockets[voters[1].id].sent[-1]
    assert not any(RESULTS in m for m in sockets[other.id].sent[had[other.id] :])


async def test_a_socket_that_joined_since_the_sorting_gets_the_next_update(
    publisher: Publisher,
) -> None:
    poll = await make_poll()
    first = (await choice_ids(poll))[0]
    early = FakeSocket()
    await publisher.connect(early, poll, None, "csrf")
    await vote_and_publish(publisher, poll, "One", first)
    late = FakeSocket()
    await publisher.connect(late, poll, None, "csrf")
    await settle(publisher)
    joined_with = len(late.sent)

    await vote_and_publish(publisher, poll, "Two", first)

    assert len(late.sent) == joined_with + 1
    assert 'data-total-votes="2"' in late.sent[-1] and 'data-total-votes="2"' in early.sent[-1]


async def test_a_token_that_expires_after_the_sorting_signs_its_socket_out(
    publisher: Publisher, publishes_socket_by_socket: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    poll = await make_poll(show_voters="everyone")
    first = (await choice_ids(poll))[0]
    socket = FakeSocket()
    started = clock.now()
    student = await make_user("Student")
    await publisher.connect(socket, poll, student, "csrf", expires_at=started + timedelta(hours=1))
    await vote_and_publish(publisher, poll, "One", first)
    await vote_and_publish(publisher, poll, "Two", first)
    assert publishes_socket_by_socket == [poll.id]  # the second went by the sorting
    subscriber = publisher.hub.members(poll.id)[0]
    assert subscriber.viewer.user is not None

    later = started + timedelta(hours=2)  # nothing about the socket changed, but the time
    monkeypatch.setattr(clock, "now", lambda: later)
    await vote_and_publish(publisher, poll, "Three", first)

    assert publishes_socket_by_socket == [poll.id, poll.id]
    assert subscriber.viewer.user is None
    assert "Sign in to vote" in socket.sent[-1]


def test_the_group_with_the_most_sockets_is_sent_first() -> None:
    sorting = AudienceGroups(stamp=())
    sizes = {"owner": 1, "counts": 3, "voters": 2}
    for variant, size in sizes.items():
        for _ in range(size):
            subscriber = Subscriber(Viewer(1, None, "csrf"), Client(FakeSocket(), str))
            sorting.add((PAGE, variant, "en"), subscriber)
    assert [key[1] for key, _ in sorting.largest_first()] == ["counts", "voters", "owner"]

    for _ in range(3):  # sorted again once it changes
        subscriber = Subscriber(Viewer(1, None, "csrf"), Client(FakeSocket(), str))
        sorting.add((PAGE, "owner", "en"), subscriber)
    assert [key[1] for key, _ in sorting.largest_first()] == ["owner", "counts", "voters"]
