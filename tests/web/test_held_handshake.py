"""web/held_handshake.py: a socket's `101 Switching Protocols` and its first message leave in
one write; alone when nothing follows, in order with whatever is written, and before the
connection is closed."""

from __future__ import annotations

import asyncio

import pytest

from crowdsource.realtime.frames import text_frame
from crowdsource.web.held_handshake import HeldHandshake
from tests.helpers.socket_protocol import Opened, Transport

RESPONSE = b"HTTP/1.1 101 Switching Protocols\r\n\r\n"


class Holder:
    """What HeldHandshake needs of a protocol: its transport and its loop."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport = Transport()
        self.loop = asyncio.get_running_loop()


async def turns(count: int) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


async def test_the_response_and_the_first_message_are_one_write() -> None:
    holder = Holder()
    real = holder.transport
    HeldHandshake(holder).write(RESPONSE)
    holder.transport.write(b"first")
    assert real.writes == [RESPONSE + b"first"]  # type: ignore[attr-defined]
    assert holder.transport is real  # what follows goes straight to the transport
    holder.transport.write(b"second")
    await turns(3)  # the hold's own release finds nothing left to do
    assert real.writes == [RESPONSE + b"first", b"second"]  # type: ignore[attr-defined]


async def test_a_response_without_a_message_goes_out_alone_two_turns_later() -> None:
    holder = Holder()
    real = holder.transport
    HeldHandshake(holder).write(RESPONSE)
    await turns(1)
    assert real.writes == []  # type: ignore[attr-defined]  # the first message's turn
    await turns(1)
    assert real.writes == [RESPONSE]  # type: ignore[attr-defined]
    assert holder.transport is real


async def test_closing_writes_what_is_held_first_and_a_closed_transport_gets_nothing() -> None:
    holder = Holder()
    real = holder.transport
    HeldHandshake(holder).write(RESPONSE)
    holder.transport.close()
    assert real.writes == [RESPONSE] and real.is_closing()  # type: ignore[attr-defined]
    assert holder.transport is real

    lost = Holder()
    HeldHandshake(lost).write(RESPONSE)
    lost.transport.transport.close()  # type: ignore[attr-defined]  # gone meanwhile
    await turns(2)
    assert lost.transport.writes == []  # type: ignore[attr-defined]


async def test_the_held_transport_answers_for_the_real_one() -> None:
    holder = Holder()
    real = holder.transport
    HeldHandshake(holder)
    assert holder.transport is not real
    assert holder.transport.is_closing() is False
    assert holder.transport.get_extra_info("peername") == ("127.0.0.1", 50000)
    holder.transport.writelines([RESPONSE, b"first"])
    assert real.writes == [RESPONSE + b"first"]  # type: ignore[attr-defined]


@pytest.mark.usefixtures("quiet_uvicorn")
async def test_a_socket_is_accepted_with_its_first_frame_in_one_write() -> None:
    opened = Opened(deflate=False)
    await opened.handshake()
    written = opened.transport.writes
    assert written == []  # accepted: the response waits for the first message
    frame = text_frame(b"<p id='x'></p>")
    opened.protocol.write_frame(frame)
    assert len(written) == 1 and written[0].startswith(b"HTTP/1.1 101 ")
    assert written[0].endswith(b"\r\n\r\n" + frame)
    opened.protocol.write_frame(frame)
    assert written[1:] == [frame]
    opened.release.set()
