"""The owner's controls over HTTP: who may use them (every control, and its form on the
page), and close, reopen, extend: what each changes, what it announces, what a bad one says."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from crowdsource.domain import poll_queries, poll_store
from crowdsource.domain.models import Poll
from tests.helpers.announcer import RecordingAnnouncer as Announcements
from tests.helpers.client import choice_ids, create_poll, results, run, vote
from tests.helpers.owner_controls import (
    close_now,
    iso_in,
    post,
    stored,
)

# Who may use the controls -------------------------------------------------------------------

ACTIONS = [
    ("close", {}),
    ("reopen", {}),
    ("extend", {"minutes": "5"}),
    ("visibility", {"results_visibility": "after_close", "show_voters": "everyone"}),
    ("duplicate", {}),
    ("delete", {"confirm": "yes"}),
]


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_another_signed_in_user_gets_403_and_nothing_changes(
    owner: TestClient, student: TestClient, action: str, data: dict[str, str]
) -> None:
    slug = create_poll(owner, closes_at=iso_in(3600))
    before = stored(owner, slug)
    response = post(student, slug, action, **data)
    assert response.status_code == 403
    assert "Only the person who created this poll" in response.text
    assert run(owner, Poll.all().count) == 1
    after = stored(owner, slug)
    assert before and after
    assert (after.closed_at, after.closes_at, after.results_visibility, after.show_voters) == (
        before.closed_at,
        before.closes_at,
        before.results_visibility,
        before.show_voters,
    )


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_signed_out_goes_to_sign_in_and_nothing_changes(
    owner: TestClient, stranger: TestClient, action: str, data: dict[str, str]
) -> None:
    slug = create_poll(owner)
    response = stranger.post(f"/polls/{slug}/{action}", data=data, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/login?next=/polls/{slug}",
    )
    assert run(owner, Poll.all().count) == 1 and results(owner, slug)["state"] == "open"


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_the_owner_without_csrf_gets_403_and_nothing_changes(
    owner: TestClient, announced: Announcements, action: str, data: dict[str, str]
) -> None:
    slug = create_poll(owner)
    announced.clear()  # the creation was announced
    response = owner.post(f"/polls/{slug}/{action}", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert run(owner, Poll.all().count) == 1 and results(owner, slug)["state"] == "open"
    assert announced == []


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_an_unknown_poll_is_404(owner: TestClient, action: str, data: dict[str, str]) -> None:
    assert post(owner, "nosuchpoll", action, **data).status_code == 404


@pytest.mark.parametrize(("action", "data"), ACTIONS[1:5])
def test_a_poll_deleted_in_another_tab_meanwhile_is_404(
    owner: TestClient, monkeypatch: pytest.MonkeyPatch, action: str, data: dict[str, str]
) -> None:
    slug = create_poll(owner)
    real_get = poll_queries.get_poll

    async def get_then_delete(found: str) -> Poll:
        poll = await real_get(found)
        await poll_store.delete_poll(poll)
        return poll

    monkeypatch.setattr("crowdsource.web.guards.get_poll", get_then_delete)
    response = post(owner, slug, action, **data)
    assert response.status_code == 404
    assert run(owner, Poll.all().count) == 0


def test_controls_are_rendered_for_the_owner_only(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    owner_page = owner.get(f"/polls/{slug}").text
    for action in ("close", "extend", "visibility", "duplicate"):
        assert f'action="/polls/{slug}/{action}"' in owner_page
    assert f'action="/polls/{slug}/delete"' in owner_page  # no votes yet: one step
    for other in (student, stranger):
        page = other.get(f"/polls/{slug}").text
        assert 'id="owner-panel"' not in page
        for action in ("close", "reopen", "extend", "visibility", "duplicate", "delete"):
            assert f"/polls/{slug}/{action}" not in page


# Close, reopen, extend ----------------------------------------------------------------------


def test_close_announces_once_and_drops_the_timer(
    owner: TestClient, announced: Announcements
) -> None:
    slug = create_poll(owner, closes_at=iso_in(3600))
    poll = stored(owner, slug)
    assert poll and owner.app.state.closing.armed == {poll.id}  # type: ignore[attr-defined]
    response = post(owner, slug, "close")
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/polls/{slug}#owner-panel",
    )
    assert "Voting is closed. Results stay." in owner.get(f"/polls/{slug}").text
    assert post(owner, slug, "close").status_code == 303
    assert "already closed" in owner.get(f"/polls/{slug}").text
    assert announced == [poll.id] * 2  # the creation, the close
    assert owner.app.state.closing.armed == frozenset()  # type: ignore[attr-defined]


def test_reopen_with_a_local_end_time_keeps_the_votes(
    owner: TestClient, student: TestClient, announced: Announcements
) -> None:
    slug = create_poll(owner)
    first = choice_ids(owner, slug)[0]
    vote(student, slug, first)
    close_now(owner, slug)
    page = owner.get(f"/polls/{slug}").text
    assert f'action="/polls/{slug}/reopen"' in page and "Close voting now" not in page
    response = post(owner, slug, "reopen", closes_at="2099-07-01T09:30", timezone="Europe/Paris")
    assert response.status_code == 303
    data = results(owner, slug)
    assert (data["state"], data["closes_at"], data["total_votes"]) == (
        "open",
        "2099-07-01T07:30:00Z",
        1,
    )
    page = owner.get(f"/polls/{slug}").text
    assert 'Voting is open again until <time datetime="2099-07-01T07:30:00Z"' in page
    poll = stored(owner, slug)
    assert poll and owner.app.state.closing.armed == {poll.id}  # type: ignore[attr-defined]
    assert announced == [poll.id] * 4  # the creation, the vote, the close, the reopen
    assert vote(student, slug, choice_ids(owner, slug)[1]).status_code == 303


def test_reopen_without_an_end_time_stays_open_until_closed(owner: TestClient) -> None:
    slug = create_poll(owner, closes_at=iso_in(3600))
    close_now(owner, slug)
    assert post(owner, slug, "reopen", closes_at="").status_code == 303
    assert results(owner, slug)["closes_at"] is None and results(owner, slug)["state"] == "open"
    assert "until you close it" in owner.get(f"/polls/{slug}").text


@pytest.mark.parametrize(
    ("closes_at", "words"),
    [
        ("2001-01-01T10:00", "already passed"),
        ("soon", "date and time"),
        ("9999-12-31T23:59", "before the year 3000"),
    ],
)
def test_reopen_with_a_bad_end_time_says_so_and_changes_nothing(
    owner: TestClient, announced: Announcements, closes_at: str, words: str
) -> None:
    slug = create_poll(owner)
    close_now(owner, slug)
    announced.clear()
    response = post(owner, slug, "reopen", closes_at=closes_at)
    assert response.status_code == 400
    assert re.search(
        rf'id="owner-status" class="[^"]*vote-status-error"[^>]*>[^<]*{words}', response.text
    )
    assert results(owner, slug)["state"] == "closed" and announced == []


def test_extend_moves_the_end_time_and_rearms(owner: TestClient, announced: Announcements) -> None:
    slug = create_poll(owner, closes_at="2099-01-01T10:00:00Z")
    assert ">+1 min</button>" in owner.get(f"/polls/{slug}").text
    assert post(owner, slug, "extend", minutes="15").status_code == 303
    assert results(owner, slug)["closes_at"] == "2099-01-01T10:15:00Z"
    assert (
        'Voting now closes at <time datetime="2099-01-01T10:15:00Z"'
        in owner.get(f"/polls/{slug}").text
    )
    poll = stored(owner, slug)
    assert poll and announced == [poll.id] * 2  # the creation, the extend
    assert owner.app.state.closing.armed == {poll.id}  # type: ignore[attr-defined]


def test_extend_of_a_closed_poll_reopens_it_for_that_long(owner: TestClient) -> None:
    slug = create_poll(owner)
    close_now(owner, slug)
    before = datetime.now(UTC)
    assert post(owner, slug, "extend", minutes="5").status_code == 303
    data = results(owner, slug)
    end = datetime.fromisoformat(data["closes_at"])
    assert data["state"] == "open"
    assert before + timedelta(minutes=5) <= end <= before + timedelta(minutes=5, seconds=3)


@pytest.mark.parametrize("minutes", ["", "0", "1441", "five", "-1", "2.5"])
def test_extend_by_a_bad_number_of_minutes_says_so(
    owner: TestClient, announced: Announcements, minutes: str
) -> None:
    slug = create_poll(owner, closes_at="2099-01-01T10:00:00Z")
    announced.clear()  # the creation was announced
    response = post(owner, slug, "extend", minutes=minutes)
    assert response.status_code == 400
    assert "from 1 to 1440" in response.text
    assert results(owner, slug)["closes_at"] == "2099-01-01T10:00:00Z" and announced == []


def test_extend_past_the_latest_end_time_says_so(
    owner: TestClient, announced: Announcements
) -> None:
    slug = create_poll(owner, closes_at="2999-12-31T23:59:00Z")
    announced.clear()
    response = post(owner, slug, "extend", minutes="5")
    assert response.status_code == 400
    assert "cannot be extended" in response.text
    assert results(owner, slug)["closes_at"] == "2999-12-31T23:59:00Z" and announced == []
