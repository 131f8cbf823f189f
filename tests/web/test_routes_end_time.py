"""A poll's end time over HTTP: the scheduled close through the running app (at the end
time, by the clock alone, after a restart), and the end time in the create form and on the
page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from starlette.testclient import TestClient

from crowdsource.domain.models import Poll
from tests.helpers.announcer import RecordingAnnouncer as Announcements
from tests.helpers.client import (
    choice_ids,
    create_poll,
    csrf_of,
    results,
    run,
    sign_in_guest,
    vote,
)
from tests.helpers.owner_controls import iso_in, stored
from tests.helpers.waiting import wait_until_sync

# Scheduled close through the running app -----------------------------------------------------


def test_a_poll_closes_by_itself_at_its_end_time(
    owner: TestClient, student: TestClient, announced: Announcements
) -> None:
    slug = create_poll(owner, closes_at=iso_in(1.0))
    poll = stored(owner, slug)
    assert poll and poll.closes_at
    assert results(student, slug)["state"] == "open"
    wait_until_sync(lambda: announced == [poll.id] * 2)  # the creation, the close
    again = stored(owner, slug)
    assert again and again.closed_at == poll.closes_at
    page = student.get(f"/polls/{slug}").text
    assert 'data-state="closed"' in page and 'id="vote-form"' not in page
    assert "Voting closed" in page


def test_the_clock_not_the_timer_refuses_late_votes(owner: TestClient, student: TestClient) -> None:
    """Travel past the end: the timer has not fired (real time did not pass), yet the vote is
    refused, the page says closed and results.json says closed."""
    slug = create_poll(owner, closes_in="1")
    first = choice_ids(owner, slug)[0]
    assert vote(student, slug, first).status_code == 303
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=61), tick=False):
        refused = vote(student, slug, first)
        assert refused.status_code == 409 and "Voting has closed" in refused.text
        assert results(student, slug)["state"] == "closed"
        assert 'data-state="closed"' in student.get(f"/polls/{slug}").text
    stored_poll = stored(owner, slug)
    assert stored_poll and stored_poll.closed_at is None  # no timer was involved
    assert results(owner, slug)["total_votes"] == 1


def test_a_restart_closes_what_ended_while_down_and_rearms_the_rest(
    client_factory: Callable[..., TestClient], settings_factory: Callable[..., Any]
) -> None:
    from crowdsource.app import create_app

    first = client_factory()
    sign_in_guest(first, "Alex Owner")
    ended, upcoming, endless = (create_poll(first, closes_at=iso_in(3600)) for _ in range(3))
    run(first, Poll.filter(slug=endless).update, closes_at=None)
    run(first, Poll.filter(slug=ended).update, closes_at=datetime.now(UTC) - timedelta(minutes=1))
    first.__exit__(None, None, None)  # down; its timer for `ended` (an hour away) never ran
    with TestClient(create_app(settings_factory())) as second:
        found = {slug: stored(second, slug) for slug in (ended, upcoming, endless)}
        assert found[ended] and found[ended].closed_at == found[ended].closes_at
        assert found[upcoming] and found[upcoming].closed_at is None
        assert second.app.state.closing.armed == {found[upcoming].id}  # type: ignore[attr-defined]
        assert results(second, ended)["state"] == "closed"
        assert results(second, endless)["state"] == "open"
    first.__enter__()  # the fixture closes it again


# End time on the page and in the create form ----------------------------------------------


def test_quick_end_time_choices_work_without_javascript(owner: TestClient) -> None:
    form = owner.get("/").text
    for minutes in ("1", "5", "15"):
        assert f'name="closes_in" value="{minutes}"' in form
    before = datetime.now(UTC)
    slug = create_poll(owner, closes_in="15")
    end = datetime.fromisoformat(results(owner, slug)["closes_at"])
    assert before + timedelta(minutes=15) <= end <= before + timedelta(minutes=15, seconds=3)
    poll = stored(owner, slug)
    assert poll and owner.app.state.closing.armed == {poll.id}  # type: ignore[attr-defined]


def test_a_quick_choice_and_a_date_together_are_refused_with_the_choice_kept(
    owner: TestClient,
) -> None:
    token = csrf_of(owner.get("/").text)
    response = owner.post(
        "/polls",
        data={
            "question": "Q",
            "choices": ["a", "b"],
            "closes_in": "5",
            "closes_at": "2099-01-01T10:00",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert "not both" in response.text
    assert 'name="closes_in" value="5" checked' in response.text
    assert run(owner, Poll.all().count) == 0


def test_the_page_shows_the_end_time_in_utc_and_the_server_clock(
    owner: TestClient, student: TestClient
) -> None:
    slug = create_poll(owner, closes_at="2099-01-01T10:00:00+02:00")
    with time_machine.travel(datetime(2098, 12, 31, 23, 59, 58, 123000, tzinfo=UTC), tick=False):
        page = student.get(f"/polls/{slug}").text
    meta = re.search(r'<p class="poll-meta" id="poll-meta"[^>]*>.*?</p>', page, re.S)
    assert meta
    assert 'data-server-now="2098-12-31T23:59:58.123Z"' in meta.group(0)
    assert (
        '<time datetime="2099-01-01T08:00:00Z" data-local-time>Jan 1, 2099, 8:00\u202fAM UTC</time>'
        in (meta.group(0))
    )
    assert 'data-countdown="2099-01-01T08:00:00Z"' in meta.group(0)
    assert '<script src="/static/js/countdown.js"></script>' in page
