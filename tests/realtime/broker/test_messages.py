"""What travels on the broker's channel: poll changes as before, sign-outs and room changes
beside them."""

from __future__ import annotations

import pytest

from crowdsource.realtime.broker.messages import (
    Listeners,
    Message,
    PollChanged,
    RoomChanged,
    SessionsEnded,
    decode,
    encode,
)
from tests.helpers.broker import Recorder


@pytest.mark.parametrize("message", [PollChanged(42), SessionsEnded(7), RoomChanged(3)])
def test_a_message_reads_back_as_itself(message: Message) -> None:
    assert decode(encode(message)) == message
    assert decode(encode(message).encode()) == message


def test_a_poll_change_is_the_bare_poll_id_as_every_version_sent_it() -> None:
    assert encode(PollChanged(42)) == "42"
    assert decode(b"42") == PollChanged(42)


def test_a_room_change_names_its_room_after_a_prefix_no_poll_id_can_start_with() -> None:
    assert encode(RoomChanged(3)) == "room-changed:3"
    assert decode(b"room-changed:12") == RoomChanged(12)
    assert decode(b"12") == PollChanged(12)  # the same number, another kind of news


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not-a-poll-id",
        b"-1",
        b"4 2",
        b"sessions-ended:",
        b"sessions-ended:x",
        "٤٢",
        b"room-changed:",
        b"room-changed:x",
        b"room-changed:-3",
        b"room-changed: 3",
        b"room-changed:3:4",
        "room-changed:٣",
        b"Room-Changed:3",
        b"room-changed:sessions-ended:3",
        b"\xffroom-changed:3",
    ],
)
def test_anything_else_is_malformed(payload: bytes | str) -> None:
    assert decode(payload) is None


async def test_listeners_get_the_messages_of_their_kind() -> None:
    heard = Recorder()
    listeners = Listeners(heard.on_change, heard.on_resync, heard.on_sessions_ended)
    await listeners.deliver(PollChanged(3))
    await listeners.deliver(SessionsEnded(9))
    assert await heard.next_change() == 3
    assert await heard.next_sessions_ended() == 9


async def test_a_room_change_goes_to_the_room_listener_only() -> None:
    heard = Recorder()
    listeners = Listeners(
        heard.on_change, heard.on_resync, heard.on_sessions_ended, heard.on_room_changed
    )
    await listeners.deliver(RoomChanged(5))
    await listeners.deliver(PollChanged(5))
    assert await heard.next_room_change() == 5
    assert await heard.next_change() == 5
    assert heard.no_change_yet() and heard.room_changes.empty() and heard.sessions_ended.empty()


async def test_without_a_room_listener_room_changes_are_dropped() -> None:
    heard = Recorder()
    await Listeners(heard.on_change, heard.on_resync).deliver(RoomChanged(5))
    assert heard.no_change_yet() and heard.room_changes.empty()


async def test_without_a_sign_out_listener_sign_outs_are_dropped() -> None:
    heard = Recorder()
    await Listeners(heard.on_change, heard.on_resync).deliver(SessionsEnded(9))
    assert heard.no_change_yet() and heard.sessions_ended.empty()
