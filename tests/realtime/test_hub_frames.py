"""The hub's direct path: sockets whose connection takes frames are written to in the
caller's turn, every socket of a group gets the very same frame bytes, and a stalled or
closing socket holds only its own bounded outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from websockets.frames import Frame as WireFrame
from websockets.frames import Opcode

from crowdsource.realtime.frames import Frame, text_frame
from crowdsource.realtime.hub import OUTBOX_SIZE, Client, Hub
from tests.helpers.sockets import FakeSocket
from tests.helpers.waiting import wait_until


class FakeConnection:
    """A FrameSink: what is written, a write buffer that can fill, a connection that can go."""

    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.full = False
        self.gone = False
        self.callback: Callable[[], None] | None = None

    def frames_open(self) -> bool:
        return not self.gone

    def frames_ready(self) -> bool:
        return not self.full and not self.gone

    def write_frame(self, frame: bytes) -> None:
        assert self.frames_ready(), "written while full or gone"
        self.written.append(frame)

    def when_frames_ready(self, callback: Callable[[], None] | None) -> None:
        self.callback = callback

    def drain(self) -> None:
        """The buffer drained (or the connection was lost): uvicorn's resume_writing."""
        self.full = False
        callback, self.callback = self.callback, None
        if callback is not None:
            callback()

    def texts(self) -> list[str]:
        return [
            frame[2:].decode() if frame[1] < 126 else frame[4:].decode() for frame in self.written
        ]


@dataclass(eq=False)
class Member:
    client: Client


def framed(hub: Hub[Member], group: int = 1) -> tuple[Member, FakeConnection, FakeSocket]:
    connection, socket = FakeConnection(), FakeSocket()
    member = Member(Client(socket, lambda: "FULL", frames=connection))
    hub.join(group, member)
    return member, connection, socket


def expected(text: str) -> bytes:
    return WireFrame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])


def test_a_frame_is_what_websockets_itself_would_send() -> None:
    for size in (0, 1, 125, 126, 65535, 65536, 200_000):
        text = "é" * (size // 2) + "x" * (size % 2)
        assert text_frame(text.encode()) == expected(text), size


async def test_every_socket_of_a_group_gets_the_same_bytes_at_once() -> None:
    hub: Hub[Member] = Hub()
    members = [framed(hub) for _ in range(5)]
    hub.offer_all(1, "<p id='x'>é</p>")
    # Written in the caller's turn: no task, no await per socket.
    frames = [connection.written for _, connection, _ in members]
    assert all(len(written) == 1 for written in frames)
    assert all(written[0] is frames[0][0] for written in frames)  # framed once, shared
    assert frames[0][0] == expected("<p id='x'>é</p>")
    assert all(member.client.writer is None for member, _, _ in members)
    assert all(socket.sent == [] for _, _, socket in members)  # nothing through ASGI send


async def test_an_update_with_nothing_to_say_is_not_written() -> None:
    hub: Hub[Member] = Hub()
    member, connection, _ = framed(hub)
    for empty in ("", Frame("")):
        member.client.offer(empty)
    assert connection.written == [] and member.client.queued() == 0
    member.client.offer(Frame("<p id='x'></p>"))
    assert connection.texts() == ["<p id='x'></p>"]


async def test_a_stalled_socket_does_not_delay_the_others() -> None:
    hub: Hub[Member] = Hub()
    (_, slow, _), (_, fast, _) = framed(hub), framed(hub)
    slow.full = True  # its client stopped reading: the write buffer is above its mark
    for n in range(OUTBOX_SIZE * 3):
        hub.offer_all(1, f"m{n}")
    assert fast.texts() == [f"m{n}" for n in range(OUTBOX_SIZE * 3)]
    assert slow.written == []
    await asyncio.sleep(0)
    slow.drain()
    assert slow.texts() == ["FULL"]  # overflow dropped the deltas for one full state
    hub.offer_all(1, "after")
    assert slow.texts() == ["FULL", "after"] and fast.texts()[-1] == "after"


async def test_a_stalled_socket_that_catches_up_gets_what_waited_in_order() -> None:
    hub: Hub[Member] = Hub()
    _, connection, _ = framed(hub)
    connection.full = True
    for n in range(3):
        hub.offer_all(1, f"m{n}")
    await asyncio.sleep(0)  # the outbox's pump finds the buffer full, and waits for it
    connection.drain()
    assert connection.texts() == ["m0", "m1", "m2"]


async def test_a_socket_that_closes_mid_fan_out_takes_nothing_more() -> None:
    hub: Hub[Member] = Hub()
    members = [framed(hub) for _ in range(4)]
    members[1][1].gone = True  # its connection was lost during a previous write
    members[2][1].full = True  # and this one's buffer is full
    hub.offer_all(1, "first")
    await asyncio.sleep(0)
    members[2][1].gone = True  # lost while stalled: uvicorn's connection_lost
    members[2][1].drain()
    hub.offer_all(1, "second")
    assert members[0][1].texts() == members[3][1].texts() == ["first", "second"]
    assert members[1][1].written == [] and members[2][1].written == []
    assert not members[2][0].client.queued()  # what waited is dropped, not kept


async def test_a_full_state_is_rendered_once_when_its_turn_comes() -> None:
    hub: Hub[Member] = Hub()
    renders: list[int] = []
    connection = FakeConnection()

    def full_state() -> str:
        renders.append(1)
        return "FULL"

    client = Client(FakeSocket(), full_state, frames=connection)
    hub.join(1, Member(client))
    for _ in range(3):
        client.request_resync()
    client.offer("a delta the full state covers")
    client.tell("your vote is in")
    await wait_until(lambda: len(connection.written) == 2)
    assert connection.texts() == ["FULL", "your vote is in"] and renders == [1]


async def test_closing_sends_what_was_queued_then_the_close_through_the_socket() -> None:
    hub: Hub[Member] = Hub()
    member, connection, socket = framed(hub)
    connection.full = True
    member.client.tell("That message was too big to accept.")
    member.client.close(1009, "frame too big")
    hub.offer_all(1, "not after the close")
    await asyncio.sleep(0)
    connection.drain()
    await member.client.finish(2)
    assert connection.texts() == ["That message was too big to accept."]
    assert socket.closed == 1009
    await hub.leave(1, member)


async def test_a_frame_is_shared_and_made_once() -> None:
    frame = Frame("same")
    assert frame.wire is frame.wire and frame.wire == expected("same")


async def test_an_idle_socket_that_takes_frames_holds_no_outbox() -> None:
    hub: Hub[Member] = Hub()
    member, connection, _ = framed(hub)
    member.client.request_resync()  # its full state on connect waits for a pump
    assert member.client.queued() == 1
    await wait_until(lambda: connection.texts() == ["FULL"])
    assert member.client._outbox is None  # about 3 KB per idle socket otherwise
    hub.offer_all(1, "delta")
    assert connection.texts() == ["FULL", "delta"] and member.client._outbox is None
