"""Who watches: the audience a viewer gets on each surface, and who gets the controls."""

from __future__ import annotations

import pytest

from crowdsource.domain.models import Poll
from crowdsource.domain.tally_reads import tally_of
from crowdsource.domain.visibility import COUNTS, HIDDEN, OWNER
from crowdsource.realtime.fragments import PAGE, ROOM
from crowdsource.realtime.hub import Client
from crowdsource.realtime.snapshot import Snapshot
from crowdsource.realtime.viewers import Subscriber, Viewer
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")


async def snapshot_of(poll: Poll) -> Snapshot:
    return Snapshot(poll, await tally_of(poll))


async def test_the_owner_sees_everything_on_the_page_and_the_room_s_view_on_the_projector() -> None:
    owner = await make_user("Owner")
    poll = await make_poll(owner)
    snapshot = await snapshot_of(poll)
    on_page, on_projector = Viewer(poll.id, owner, "", PAGE), Viewer(poll.id, owner, "", ROOM)
    assert on_page.audience(snapshot) == OWNER and on_page.owns_page(snapshot)
    assert on_projector.audience(snapshot) == COUNTS and not on_projector.owns_page(snapshot)
    assert on_projector.audience_id is None and on_page.audience_id == owner.id


async def test_after_vote_results_follow_the_viewer_s_own_vote() -> None:
    poll = await make_poll(results_visibility="after_vote")
    ada = await make_user("Ada")
    viewer = Viewer(poll.id, ada, "")
    assert viewer.audience(await snapshot_of(poll)) == HIDDEN
    await store_vote(poll, ada, (await choice_ids(poll))[0])
    assert viewer.audience(await snapshot_of(poll)) == COUNTS
    assert not viewer.owns_page(await snapshot_of(poll))


async def test_a_subscriber_resync_records_the_variant_and_asks_for_full_state() -> None:
    poll = await make_poll()
    subscriber = Subscriber(
        Viewer(poll.id, None, ""), Client(socket=FakeSocket(), full_state=lambda: "FULL")
    )
    subscriber.client.offer("a delta")
    subscriber.resync("counts")
    assert subscriber.variant == "counts" and subscriber.client.resync_pending
    assert subscriber.client.outbox.qsize() == 1  # the delta made way for the full state
