"""The close scheduler against a real database, with short real delays (timers are real)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from crowdsource.domain import closing, poll_store
from crowdsource.domain.closing import CloseScheduler
from crowdsource.domain.models import Poll
from tests.helpers.announcer import RecordingAnnouncer as Announcements
from tests.helpers.factories import make_poll
from tests.helpers.waiting import wait_until as until

pytestmark = pytest.mark.usefixtures("orm")


def soon(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


@pytest.fixture
async def announced() -> Announcements:
    return Announcements()


@pytest.fixture
async def scheduler(announced: Announcements) -> AsyncIterator[CloseScheduler]:
    running = CloseScheduler(announced)
    yield running
    await running.stop()


async def closed_at(poll: Poll) -> datetime | None:
    return (await Poll.get(id=poll.id)).closed_at


async def test_start_closes_polls_that_ended_while_the_server_was_down(
    scheduler: CloseScheduler, announced: Announcements
) -> None:
    ended = datetime.now(UTC) - timedelta(minutes=3)
    overdue = await make_poll()
    await Poll.filter(id=overdue.id).update(closes_at=ended)
    upcoming = await make_poll(closes_at=soon(3600))
    endless = await make_poll()
    await scheduler.start()
    assert await closed_at(overdue) == ended
    assert announced == [overdue.id]
    assert scheduler.armed == {upcoming.id}
    assert await closed_at(upcoming) is None and await closed_at(endless) is None


async def test_an_armed_poll_closes_at_its_end_time_and_is_announced_once(
    scheduler: CloseScheduler, announced: Announcements
) -> None:
    await scheduler.start()
    end = soon(0.3)
    poll = await make_poll(closes_at=end)
    scheduler.arm(poll)
    assert await closed_at(poll) is None
    await until(lambda: announced == [poll.id])
    assert await closed_at(poll) == end
    assert scheduler.armed == frozenset()
    assert datetime.now(UTC) >= end


async def test_a_poll_armed_at_start_closes_when_its_time_comes(
    scheduler: CloseScheduler, announced: Announcements
) -> None:
    poll = await make_poll(closes_at=soon(0.3))
    await scheduler.start()
    assert scheduler.armed == {poll.id}
    await until(lambda: announced == [poll.id])
    assert await closed_at(poll) is not None


async def test_an_end_time_moved_elsewhere_is_followed(
    scheduler: CloseScheduler, announced: Announcements
) -> None:
    """Another process extended the poll: the old timer finds it not due and re-arms."""
    poll = await make_poll(closes_at=soon(0.3))
    await scheduler.start()
    later = soon(3.0)
    await Poll.filter(id=poll.id).update(closes_at=later)
    await asyncio.sleep(0.5)  # past the old end time: the timer fired and re-armed
    assert await closed_at(poll) is None and scheduler.armed == {poll.id}
    await until(lambda: announced == [poll.id])
    assert await closed_at(poll) == later


async def test_rearming_after_an_extend_replaces_the_timer(
    scheduler: CloseScheduler, announced: Announcements
) -> None:
    poll = await make_poll(closes_at=soon(0.5))
    await scheduler.start()
    await poll_store.extend_poll(poll, 1)
    scheduler.arm(poll)
    await asyncio.sleep(0.7)
    assert announced == [] and scheduler.armed == {poll.id}
    assert await closed_at(poll) is None


async def test_closed_deleted_and_endless_polls_get_no_timer(
    scheduler: CloseScheduler, announced: Announcements
) -> None:
    await scheduler.start()
    closed = await make_poll(closes_at=soon(0.5))
    scheduler.arm(closed)
    await poll_store.close_poll(closed)
    scheduler.arm(closed)
    deleted = await make_poll(closes_at=soon(0.5))
    scheduler.arm(deleted)
    await poll_store.delete_poll(deleted)
    scheduler.forget(deleted.id)
    scheduler.arm(await make_poll())
    assert scheduler.armed == frozenset()
    await asyncio.sleep(0.7)
    assert announced == []


async def test_long_waits_wake_up_in_steps_and_still_close_on_time(
    scheduler: CloseScheduler, announced: Announcements, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(closing, "MAX_SLEEP_SECONDS", 0.1)
    end = soon(2.0)
    poll = await make_poll(closes_at=end)
    await scheduler.start()
    await asyncio.sleep(0.3)  # a few steps of 0.1 s, well before the end
    assert announced == [] and scheduler.armed == {poll.id}
    await until(lambda: announced == [poll.id])
    assert datetime.now(UTC) >= end


async def test_a_database_error_at_the_close_is_retried(
    scheduler: CloseScheduler, announced: Announcements, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(closing, "RETRY_SECONDS", 0.05)
    real = poll_store.close_if_due
    failures = [ConnectionError("database went away")]

    async def flaky(poll_id: int, now: datetime | None = None) -> bool:
        if failures:
            raise failures.pop()
        return await real(poll_id, now)

    monkeypatch.setattr(closing, "close_if_due", flaky)
    poll = await make_poll(closes_at=soon(0.1))
    await scheduler.start()
    await until(lambda: announced == [poll.id])
    assert failures == [] and await closed_at(poll) is not None


async def test_stop_cancels_every_timer(
    scheduler: CloseScheduler, announced: Announcements
) -> None:
    poll = await make_poll(closes_at=soon(0.5))
    await scheduler.start()
    await scheduler.stop()
    assert scheduler.armed == frozenset()
    scheduler.arm(poll)  # a stopped scheduler arms nothing
    await asyncio.sleep(0.7)
    assert announced == [] and await closed_at(poll) is None


async def test_end_times_set_by_another_process_are_picked_up_by_the_sweep(
    announced: Announcements,
) -> None:
    scheduler = CloseScheduler(announced, sweep_seconds=0.1)
    await scheduler.start()
    try:
        other_process_poll = await make_poll(closes_at=soon(0.4))  # never armed here
        assert other_process_poll.id not in scheduler.armed
        await until(lambda: other_process_poll.id in announced)
        assert await closed_at(other_process_poll) == other_process_poll.closes_at
        assert announced.count(other_process_poll.id) == 1
    finally:
        await scheduler.stop()


async def test_two_schedulers_close_a_poll_once(announced: Announcements) -> None:
    first, second = CloseScheduler(announced), CloseScheduler(announced)
    await first.start()
    await second.start()
    try:
        poll = await make_poll(closes_at=soon(0.3))
        first.arm(poll)
        second.arm(poll)
        await until(lambda: poll.id in announced)
        await asyncio.sleep(0.3)
        assert announced == [poll.id]
    finally:
        await first.stop()
        await second.stop()
