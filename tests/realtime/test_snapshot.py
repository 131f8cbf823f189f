"""A snapshot: the baseline for deltas, and the render cache of that state of the poll."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crowdsource.domain.models import Poll
from crowdsource.domain.tally_reads import tally_of
from crowdsource.realtime.snapshot import Snapshot
from tests.helpers.factories import make_poll

pytestmark = pytest.mark.usefixtures("orm")


async def test_renders_are_cached_per_key_and_per_snapshot() -> None:
    poll = await make_poll()
    tally = await tally_of(poll)
    first, second = Snapshot(poll, tally), Snapshot(poll, tally)
    renders: list[str] = []

    def render(text: str) -> str:
        renders.append(text)
        return text

    assert first.cached(("shared", "page"), lambda: render("A")) == "A"
    assert first.cached(("shared", "page"), lambda: render("B")) == "A"
    assert first.cached(("shared", "room"), lambda: render("C")) == "C"
    assert second.cached(("shared", "page"), lambda: render("D")) == "D"  # a new state
    assert renders == ["A", "C", "D"]
    assert first == second  # the cache is no part of the state


async def test_controls_follow_the_rules_and_the_timing() -> None:
    poll = await make_poll()
    before = Snapshot(poll, await tally_of(poll))
    closes_at = datetime(2030, 1, 1, tzinfo=UTC)
    await Poll.filter(id=poll.id).update(closes_at=closes_at, results_visibility="after_close")
    reread = await Poll.get(id=poll.id)  # as the publisher reads it after a change
    after = Snapshot(reread, await tally_of(reread))
    assert before.rules == ("always", "owner") and after.rules == ("after_close", "owner")
    assert after.timing == (closes_at, None)
    assert before.controls != after.controls
