"""The write commands: each commits, then announces once (the announcer, reading the database
at that moment, sees the change), keeps the close timer in step, and announces nothing when it
refuses or changes nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from crowdsource.domain import poll_store
from crowdsource.domain.closing import CloseScheduler
from crowdsource.domain.models import Poll, Vote
from crowdsource.domain.poll_input import PollInvalid, PollSpec
from crowdsource.domain.polls import PollCommands
from crowdsource.domain.vote_refusals import NotAChoice, PollClosed
from tests.helpers.announcer import RecordingAnnouncer, recorded_commands
from tests.helpers.factories import choice_ids, make_poll, make_user
from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.usefixtures("orm")


@dataclass
class Wired:
    """Commands as app.py wires them; `seen` is the stored poll (None: gone) and its number of
    votes, read by the announcer at each announcement."""

    commands: PollCommands
    announced: RecordingAnnouncer
    closing: CloseScheduler
    seen: list[tuple[Poll | None, int]] = field(default_factory=list)


@pytest.fixture
async def wired() -> AsyncIterator[Wired]:
    seen: list[tuple[Poll | None, int]] = []

    async def look(poll_id: int) -> None:
        seen.append(
            (await Poll.get_or_none(id=poll_id), await Vote.filter(poll_id=poll_id).count())
        )

    commands, announced, closing = recorded_commands(then=look)
    await closing.start()
    yield Wired(commands, announced, closing, seen)
    await closing.stop()


def in_an_hour() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)


def stored_poll(wired: Wired) -> Poll:
    poll, _ = wired.seen[-1]
    assert poll is not None
    return poll


async def test_create_announces_the_stored_poll_and_arms_its_end_time(wired: Wired) -> None:
    spec = PollSpec("Ready?", ("Yes", "No"), closes_at=in_an_hour())
    poll = await wired.commands.create(await make_user(), spec)
    assert wired.announced == [poll.id]
    assert stored_poll(wired).question == "Ready?"
    assert wired.closing.armed == {poll.id}


async def test_a_vote_is_announced_once_after_it_was_stored(wired: Wired) -> None:
    poll = await make_poll()
    first = (await choice_ids(poll))[0]
    chosen = await wired.commands.cast_vote(poll, await make_user(), str(first))
    assert chosen.labels == ("Old hat",)
    assert wired.announced == [poll.id] and wired.seen[-1][1] == 1
    assert wired.announced.ballots == [poll.id]  # as news of ballots only: nothing else moved


async def test_each_vote_of_a_group_commit_is_announced_once(wired: Wired) -> None:
    poll = await make_poll()
    ids = await choice_ids(poll)
    voters = [await make_user(f"Voter {n}") for n in range(10)]
    await asyncio.gather(
        *(wired.commands.cast_vote(poll, voter, ids[n % 3]) for n, voter in enumerate(voters))
    )
    assert wired.announced == [poll.id] * 10
    assert all(votes >= 1 for _, votes in wired.seen)  # never before its batch committed


async def test_a_refused_vote_is_not_announced(wired: Wired) -> None:
    poll, other = await make_poll(), await make_poll()
    voter = await make_user()
    with pytest.raises(NotAChoice):
        await wired.commands.cast_vote(poll, voter, (await choice_ids(other))[0])
    with pytest.raises(NotAChoice):
        await wired.commands.cast_vote(poll, voter, "not a number")
    await poll_store.close_poll(poll)
    with pytest.raises(PollClosed):
        await wired.commands.cast_vote(poll, voter, (await choice_ids(poll))[0])
    assert wired.announced == [] and await Vote.all().count() == 0


async def test_close_announces_the_closed_poll_and_drops_its_timer(wired: Wired) -> None:
    poll = await wired.commands.create(await make_user(), PollSpec("Q?", ("A", "B"), in_an_hour()))
    wired.announced.clear()
    assert await wired.commands.close(poll) is True
    assert wired.announced == [poll.id] and stored_poll(wired).closed_at is not None
    assert wired.closing.armed == frozenset()
    assert await wired.commands.close(poll) is False  # already closed: nothing new to say
    assert wired.announced == [poll.id]


async def test_reopen_announces_the_open_poll_and_arms_the_new_end(wired: Wired) -> None:
    poll = await make_poll()
    await poll_store.close_poll(poll)
    end = in_an_hour()
    await wired.commands.reopen(poll, end)
    assert wired.announced == [poll.id]
    assert (stored_poll(wired).closed_at, stored_poll(wired).closes_at) == (None, end)
    assert wired.closing.armed == {poll.id}


async def test_a_refused_reopen_is_not_announced(wired: Wired) -> None:
    poll = await make_poll()
    await poll_store.close_poll(poll)
    with pytest.raises(PollInvalid):
        await wired.commands.reopen(poll, datetime.now(UTC) - timedelta(minutes=1))
    assert wired.announced == [] and wired.closing.armed == frozenset()


async def test_extend_announces_the_new_end_and_rearms(wired: Wired) -> None:
    poll = await make_poll(closes_at=in_an_hour())
    new_end = await wired.commands.extend(poll, 5)
    assert wired.announced == [poll.id] and stored_poll(wired).closes_at == new_end
    assert wired.closing.armed == {poll.id}
    with pytest.raises(PollInvalid):
        await wired.commands.extend(poll, 0)
    assert wired.announced == [poll.id]


async def test_visibility_is_announced_only_when_it_changed(wired: Wired) -> None:
    poll = await make_poll()
    assert await wired.commands.set_visibility(poll, "after_close", "everyone") is True
    assert wired.announced == [poll.id]
    assert (stored_poll(wired).results_visibility, stored_poll(wired).show_voters) == (
        "after_close",
        "everyone",
    )
    assert await wired.commands.set_visibility(poll, "after_close", "everyone") is False
    with pytest.raises(PollInvalid):
        await wired.commands.set_visibility(poll, "sometimes", "strangers")
    assert wired.announced == [poll.id]


async def test_duplicate_announces_the_copy(wired: Wired) -> None:
    original = await make_poll(closes_at=in_an_hour())
    wired.closing.arm(original)
    copy = await wired.commands.duplicate(original, await make_user("New Owner"))
    assert wired.announced == [copy.id] and stored_poll(wired).slug == copy.slug
    assert wired.closing.armed == {original.id}  # the copy has no end time: no timer


async def test_delete_forgets_the_timer_and_announces_the_poll_gone(wired: Wired) -> None:
    poll = await make_poll(closes_at=in_an_hour())
    wired.closing.arm(poll)
    assert await wired.commands.delete(poll) is True
    assert wired.announced == [poll.id] and wired.seen[-1] == (None, 0)
    assert wired.closing.armed == frozenset()
    assert await wired.commands.delete(poll) is False
    assert wired.announced == [poll.id]


async def test_the_scheduled_close_announces_through_the_same_announcer(wired: Wired) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=0.5)
    poll = await wired.commands.create(await make_user(), PollSpec("Q?", ("A", "B"), soon))
    await wait_until(
        lambda: len(wired.announced) == 2 and len(wired.seen) == 2,
        what="the close, announced and looked at",
    )
    assert wired.announced == [poll.id, poll.id]  # the creation, then the close
    # (on a slow machine the timer may fire while the creation is still being announced)
    assert [poll.closed_at for poll, _ in wired.seen if poll] in ([None, soon], [soon, None])


async def test_a_failed_announcement_keeps_the_stored_change(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(poll_id: int) -> None:
        raise ConnectionError("the broker is away")

    commands, announced, _ = recorded_commands(then=broken)
    poll = await make_poll()
    with caplog.at_level(logging.ERROR, logger="crowdsource.announcer"):
        assert await commands.close(poll) is True
    assert announced == [poll.id] and (await Poll.get(id=poll.id)).closed_at is not None
    assert "announcing a change of poll" in caplog.text
