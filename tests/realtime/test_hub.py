"""The hub's outbox rules: bounded, ordered, overflow becomes one full-state send."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import pytest

from crowdsource.realtime.hub import OUTBOX_SIZE, Client, Hub
from tests.helpers.sockets import FakeSocket
from tests.helpers.waiting import wait_until


@dataclass(eq=False)
class Member:
    """The least a hub member is: something holding one client."""

    client: Client


def client_for(socket: FakeSocket) -> Client:
    return Client(socket=socket, full_state=lambda: "FULL")


def join(hub: Hub[Member], group: int, client: Client) -> Member:
    member = Member(client)
    hub.join(group, member)
    return member


async def drain(hub: Hub[Member], group: int, client: Client) -> None:
    client.close(1000)
    assert client.writer is not None
    await asyncio.wait_for(client.writer, 2)
    for member in hub.members(group):
        if member.client is client:
            await hub.leave(group, member)


async def test_messages_arrive_in_order() -> None:
    hub, socket = Hub[Member](), FakeSocket()
    client = client_for(socket)
    join(hub, 1, client)
    for n in range(5):
        client.offer(f"m{n}")
    await drain(hub, 1, client)
    assert socket.sent == ["m0", "m1", "m2", "m3", "m4"]
    assert socket.closed == 1000


async def test_a_stalled_socket_does_not_delay_the_others() -> None:
    hub, gate = Hub[Member](), asyncio.Event()
    slow, fast = FakeSocket(gate), FakeSocket()
    slow_client, fast_client = client_for(slow), client_for(fast)
    join(hub, 1, slow_client)
    join(hub, 1, fast_client)
    for n in range(OUTBOX_SIZE * 3):
        hub.offer_all(1, f"m{n}")
        await asyncio.sleep(0)
    await drain(hub, 1, fast_client)
    assert len(fast.sent) == OUTBOX_SIZE * 3
    assert slow.sent == []
    gate.set()
    await drain(hub, 1, slow_client)
    assert slow.sent[-1] == "FULL"  # overflow dropped the deltas for one full state
    assert len(slow.sent) <= 2


async def test_deltas_offered_while_a_resync_is_pending_are_dropped() -> None:
    hub, gate = Hub[Member](), asyncio.Event()
    socket = FakeSocket(gate)
    client = client_for(socket)
    client.request_resync()
    join(hub, 1, client)
    client.offer("delta already covered by the full state")
    gate.set()
    await drain(hub, 1, client)
    assert socket.sent == ["FULL"]


async def test_a_broken_socket_ends_only_its_own_writer() -> None:
    class Broken(FakeSocket):
        async def send_text(self, data: str) -> None:
            raise ConnectionResetError

    hub, healthy = Hub[Member](), FakeSocket()
    broken_client, healthy_client = client_for(Broken()), client_for(healthy)
    join(hub, 1, broken_client)
    join(hub, 1, healthy_client)
    hub.offer_all(1, "hello")
    await wait_until(lambda: broken_client.writer is not None and broken_client.writer.done())
    await drain(hub, 1, healthy_client)
    assert healthy.sent == ["hello"]


async def test_a_full_state_that_fails_to_render_closes_its_socket_with_1011(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken_render() -> str:
        raise KeyError("a bug in a template's data")

    hub, socket = Hub[Member](), FakeSocket()
    client = Client(socket=socket, full_state=broken_render)
    join(hub, 1, client)
    client.request_resync()
    with caplog.at_level(logging.ERROR, logger="crowdsource.realtime"):
        await wait_until(lambda: client.writer is not None and client.writer.done())
    assert socket.closed == 1011 and socket.sent == []
    assert "rendering the full state of a socket failed" in caplog.text
    await hub.leave(1, hub.members(1)[0])


async def test_groups_count_and_forget_their_members() -> None:
    hub: Hub[Member] = Hub()
    a, b = join(hub, 7, client_for(FakeSocket())), join(hub, 7, client_for(FakeSocket()))
    assert hub.count(7) == 2 and hub.groups() == [7]
    assert set(hub.members(7)) == {a, b}
    writer = a.client.writer
    await hub.leave(7, a)
    await hub.leave(7, b)
    assert hub.count(7) == 0 and hub.groups() == [] and hub.members(7) == []
    assert writer is not None and writer.cancelled()
    assert a.client.writer is None  # the client keeps no finished task (and no cycle)


async def test_close_all_closes_every_socket_of_every_group() -> None:
    hub: Hub[Member] = Hub()
    sockets = [FakeSocket() for _ in range(3)]
    members = [
        join(hub, group, client_for(socket))
        for group, socket in zip((1, 1, 2), sockets, strict=True)
    ]
    hub.offer_all(1, "last words")
    hub.close_all(1012, "server restarting")
    for member in members:
        assert member.client.writer is not None
        await asyncio.wait_for(member.client.writer, 2)
    assert [socket.closed for socket in sockets] == [1012, 1012, 1012]
    assert sockets[0].sent == sockets[1].sent == ["last words"] and sockets[2].sent == []


async def test_a_personal_message_survives_a_pending_resync() -> None:
    hub, gate = Hub[Member](), asyncio.Event()
    socket = FakeSocket(gate)
    client = client_for(socket)
    client.request_resync()
    join(hub, 1, client)
    client.offer("a delta the full state covers")
    client.tell("your vote is in")
    for n in range(OUTBOX_SIZE + 5):  # overflow after the ack was queued
        client.tell(f"ack {n}")
    gate.set()
    await drain(hub, 1, client)
    assert "a delta the full state covers" not in socket.sent
    assert socket.sent[0] == "FULL" and socket.sent[-1] == f"ack {OUTBOX_SIZE + 4}"
