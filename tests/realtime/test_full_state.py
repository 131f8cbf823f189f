"""Full state on connect: shared parts rendered once per snapshot; a signed-in viewer's vote
form once per response already chosen, with their own CSRF token in its slot; the owner's
panel per socket."""

from __future__ import annotations

import pytest

from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import settle
from tests.helpers.sockets import FakeSocket, assert_swappable

pytestmark = pytest.mark.usefixtures("orm")


async def test_a_reconnect_storm_renders_the_shared_state_once(publisher: Publisher) -> None:
    poll = await make_poll(show_voters="everyone")
    for n in range(5):
        await store_vote(poll, await make_user(f"S{n}"), (await choice_ids(poll))[0])
    sockets = [FakeSocket() for _ in range(40)]
    for socket in sockets:
        await publisher.connect(socket, poll, None, "csrf")
    await settle(publisher)
    assert publisher.renders["full"] == 1
    assert all(socket.sent[0].count('class="voter"') == 5 for socket in sockets)


async def test_each_signed_in_viewer_gets_their_own_vote_form(publisher: Publisher) -> None:
    poll = await make_poll()
    ada, bob = await make_user("Ada"), await make_user("Bob")
    await store_vote(poll, ada, (await choice_ids(poll))[1])
    sockets = {name: FakeSocket() for name in ("ada", "bob", "guest1", "guest2")}
    await publisher.connect(sockets["ada"], poll, ada, "ada-token")
    await publisher.connect(sockets["bob"], poll, bob, "bob-token")
    await publisher.connect(sockets["guest1"], poll, None, "")
    await publisher.connect(sockets["guest2"], poll, None, "")
    await settle(publisher)
    first = {name: socket.sent[0] for name, socket in sockets.items()}
    for message in first.values():
        assert_swappable(message)
    assert "ada-token" in first["ada"] and "bob-token" not in first["ada"]
    assert "bob-token" in first["bob"]
    assert "Sign in to vote" in first["guest1"] and first["guest1"] == first["guest2"]
    assert publisher.renders["personal"] == 2  # signed-out viewers share one render
    assert publisher.renders["full"] == 1


async def test_a_new_state_of_the_poll_is_rendered_afresh(publisher: Publisher) -> None:
    poll = await make_poll()
    await publisher.connect(FakeSocket(), poll, None, "")
    await settle(publisher)
    await store_vote(poll, await make_user(), (await choice_ids(poll))[0])
    await publisher.on_change(poll.id)
    await settle(publisher)
    late = FakeSocket()
    await publisher.connect(late, poll, None, "")
    await settle(publisher)
    assert 'data-total-votes="1"' in late.sent[0]
    assert publisher.renders["full"] == 2


async def test_signed_in_viewers_share_one_vote_form_render_each_with_their_token(
    publisher: Publisher,
) -> None:
    owner = await make_user("Owner")
    poll = await make_poll(owner)
    students = [await make_user(f"S{n}") for n in range(30)]
    sockets = [FakeSocket() for _ in students]
    for n, (student, socket) in enumerate(zip(students, sockets, strict=True)):
        await publisher.connect(socket, poll, student, f"token-{n:02d}-x")
    await publisher.connect(FakeSocket(), poll, owner, "owner-token")
    await settle(publisher)
    for n, socket in enumerate(sockets):
        assert_swappable(socket.sent[0])
        assert f'value="token-{n:02d}-x"' in socket.sent[0]
        assert socket.sent[0].count("token-") == 1  # theirs alone
    assert 'id="vote-form"' in sockets[0].sent[0] and "ws-send" in sockets[0].sent[0]
    assert publisher.renders["personal"] == 2  # the students' one, and the owner's
