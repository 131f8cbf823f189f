"""A poll with more voters than pictures: every screen shows the first voters' avatars and
"+ N more", in full states and deltas alike, so a message stays small however many vote."""

from __future__ import annotations

import re

import pytest

from crowdsource.domain.avatar_budget import per_response
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import settle
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")

VOTERS = 130  # two responses: 65 each, 60 shown


def avatars(html: str, choice_id: int) -> int:
    block = html.split(f'id="voters-{choice_id}"', 1)[1].split("</div>", 1)[0]
    return block.count('class="voter"')


def more(html: str, choice_id: int) -> str:
    found = re.search(rf'id="voters-more-{choice_id}"( hidden)?>([^<]*)<', html)
    assert found, f"no +more line for {choice_id}"
    return "" if found.group(1) else found.group(2)


async def test_a_full_state_shows_the_first_voters_and_counts_the_others(
    publisher: Publisher,
) -> None:
    poll = await make_poll(choices=("Yes", "No"), show_voters="everyone")
    yes, no = await choice_ids(poll)
    people = [await make_user(f"S{n}") for n in range(VOTERS)]
    for n, person in enumerate(people):
        await store_vote(poll, person, yes if n % 2 == 0 else no)
    socket = FakeSocket()
    await publisher.connect(socket, poll, None, "")
    await settle(publisher)
    first = socket.sent[0]
    shown = per_response(2)
    assert avatars(first, yes) == shown and avatars(first, no) == shown
    assert more(first, yes) == f"+ {VOTERS // 2 - shown} more"
    assert len(first.encode()) < 64 * 1024

    # A voter beyond the pictures: the count moves, no avatar is added.
    await store_vote(poll, await make_user("Late"), yes)
    await publisher.on_change(poll.id)
    await settle(publisher)
    update = socket.sent[-1]
    assert 'class="voter"' not in update
    assert more(update, yes) == f"+ {VOTERS // 2 + 1 - shown} more"

    # A shown voter changes their mind: their avatar goes, the next voter's appears.
    await store_vote(poll, people[0], no)
    await publisher.on_change(poll.id)
    await settle(publisher)
    update = socket.sent[-1]
    assert f"voter-{people[0].id}" in update  # removed from Yes (shown no more under No)
    assert f'id="voter-{people[2 * shown].id}"' in update  # the 61st Yes voter now shows


async def test_few_voters_have_no_more_line(publisher: Publisher) -> None:
    poll = await make_poll(show_voters="everyone")
    ids = await choice_ids(poll)
    await store_vote(poll, await make_user("Ada"), ids[0])
    socket = FakeSocket()
    await publisher.connect(socket, poll, None, "")
    await settle(publisher)
    assert more(socket.sent[0], ids[0]) == "" and avatars(socket.sent[0], ids[0]) == 1
