"""What travels on the broker's channel: poll changes as before, sign-outs beside them."""

from __future__ import annotations

import pytest

from crowdsource.realtime.broker.messages import (
    Listeners,
    PollChanged,
    SessionsEnded,
    decode,
    encode,
)
from tests.helpers.broker import Recorder


@pytest.mark.parametrize("message", [PollChanged(42), SessionsEnded(7)])
def test_a_message_reads_back_as_itself(message: PollChanged | SessionsEnded) -> None:
    assert decode(encode(message)) == message
    assert decode(encode(message).encode()) == message


def test_a_poll_change_is_the_bare_poll_id_as_every_version_sent_it() -> None:
    assert encode(PollChanged(42)) == "42"
    assert decode(b"42") == PollChanged(42)


@pytest.mark.parametrize(
    "payload", [b"", b"not-a-poll-id", b"-1", b"4 2", b"sessions-ended:", b"sessions-ended:x", "٤٢"]
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


async def test_without_a_sign_out_listener_sign_outs_are_dropped() -> None:
    heard = Recorder()
    await Listeners(heard.on_change, heard.on_resync).deliver(SessionsEnded(9))
    assert heard.no_change_yet() and heard.sessions_ended.empty()
