"""A socket keeps what its user may see now: a sign-out heard from any process, a token
revoked while news was lost, or the token's expiry makes it a signed-out visitor's socket."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from crowdsource.domain import clock
from crowdsource.domain.models import User
from crowdsource.domain.sessions import SessionCommands
from crowdsource.realtime.publisher import Publisher
from crowdsource.realtime.sessions import RecentSignOuts, recheck_sessions, sign_out_user
from tests.helpers.announcer import RecordingAnnouncer
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import settle, vote_and_publish
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")

VOTER = 'class="voter"'


async def test_a_sign_out_turns_only_that_user_s_sockets_into_a_visitor_s(
    publisher: Publisher,
) -> None:
    owner, student = await make_user("Owner"), await make_user("Student")
    poll, other_poll = await make_poll(owner), await make_poll(owner)
    laptop, phone, projector_of_other, students = (FakeSocket() for _ in range(4))
    await publisher.connect(laptop, poll, owner, "csrf")
    await publisher.connect(phone, other_poll, owner, "csrf")
    await publisher.connect(students, poll, student, "csrf")
    await publisher.connect(projector_of_other, other_poll, None, "csrf")
    await settle(publisher)
    sent_before = {socket: len(socket.sent) for socket in (students, projector_of_other)}

    await publisher.sessions_ended(owner.id)
    await settle(publisher)

    for socket in (laptop, phone):  # a signed-out visitor's full state, on every poll
        assert 'id="results"' in socket.sent[-1] and "Sign in to vote" in socket.sent[-1]
        assert 'id="owner-area" hx-swap-oob="delete"' in socket.sent[-1]
    assert {socket: len(socket.sent) for socket in sent_before} == sent_before
    await vote_and_publish(publisher, poll, "Voter", (await choice_ids(poll))[0])
    assert 'data-total-votes="1"' in laptop.sent[-1] and VOTER not in laptop.sent[-1]


async def test_signing_out_a_user_with_no_socket_here_changes_nothing(
    publisher: Publisher,
) -> None:
    poll = await make_poll()
    socket = FakeSocket()
    await publisher.connect(socket, poll, await make_user(), "csrf")
    await settle(publisher)
    assert sign_out_user(publisher.hub, user_id=987654) == 0
    assert sign_out_user(publisher.hub, user_id=-1) == 0


async def test_an_expired_token_stops_the_owner_s_socket_getting_voter_names(
    publisher: Publisher,
) -> None:
    owner = await make_user("Owner")
    poll = await make_poll(owner)
    first, second, _ = await choice_ids(poll)
    socket = FakeSocket()
    expires = clock.now() + timedelta(hours=1)
    await publisher.connect(socket, poll, owner, "csrf", expires_at=expires)
    await vote_and_publish(publisher, poll, "Before", first)
    state = [m for m in socket.sent if not m.startswith('<section id="roster"')][-1]
    assert VOTER in state  # still valid: the owner sees who voted (#roster comes on its own)

    subscriber = publisher.hub.members(poll.id)[0]
    subscriber.viewer = replace(subscriber.viewer, expires_at=clock.now() - timedelta(seconds=1))
    sent = len(socket.sent)
    await vote_and_publish(publisher, poll, "After", second)

    after = socket.sent[sent:]
    assert after and not any(VOTER in message for message in after), after
    assert 'data-total-votes="2"' in after[-1] and "Sign in to vote" in after[-1]
    assert subscriber.viewer.user is None


async def test_a_full_state_for_an_expired_viewer_is_a_visitor_s(publisher: Publisher) -> None:
    owner = await make_user("Owner")
    poll = await make_poll(owner)
    await store_vote(poll, await make_user("Voter"), (await choice_ids(poll))[0])
    socket = FakeSocket()
    subscriber = await publisher.connect(
        socket, poll, owner, "csrf", expires_at=clock.now() - timedelta(seconds=1)
    )
    await settle(publisher)
    assert socket.sent and VOTER not in socket.sent[0] and "Sign in to vote" in socket.sent[0]
    assert subscriber.viewer.user is None


async def test_a_resync_signs_out_sockets_whose_tokens_were_revoked_meanwhile(
    publisher: Publisher,
) -> None:
    """News lost while the broker was away: the resync re-checks sessions, in one query."""
    owner, student = await make_user("Owner"), await make_user("Student")
    poll = await make_poll(owner)
    owner_socket, student_socket = FakeSocket(), FakeSocket()
    await publisher.connect(owner_socket, poll, owner, "csrf")
    await publisher.connect(student_socket, poll, student, "csrf")
    await settle(publisher)
    unheard = RecordingAnnouncer()  # the sign-out's news never reaches this process
    await SessionCommands(unheard).sign_out_everywhere(owner)
    assert unheard.sessions == [owner.id]

    await publisher.resync_all()
    await settle(publisher)

    signed_in = [s.viewer.user_id for s in publisher.hub.members(poll.id) if s.viewer.user]
    assert signed_in == [student.id]
    assert "Sign in to vote" in owner_socket.sent[-1]
    assert await recheck_sessions(publisher.hub) == 0  # nothing left to sign out


async def test_a_deleted_user_s_socket_is_signed_out_at_resync(publisher: Publisher) -> None:
    user = await make_user("Gone")
    poll = await make_poll()
    socket = FakeSocket()
    await publisher.connect(socket, poll, user, "csrf")
    await settle(publisher)
    await User.filter(id=user.id).delete()
    assert await recheck_sessions(publisher.hub) == 1


def test_recent_sign_outs_remember_a_user_for_a_while_and_then_forget() -> None:
    now = [100.0]
    recent = RecentSignOuts(within=60, clock=lambda: now[0])
    recent.heard(7)
    assert recent.lately(7) and not recent.lately(8)
    now[0] += 59
    recent.heard(8)
    assert recent.lately(7) and recent.lately(8)
    now[0] += 2  # 61 s after the first
    assert not recent.lately(7) and recent.lately(8)
    recent.heard(9)  # hearing another prunes the expired one: the map stays small
    assert len(recent) == 2
