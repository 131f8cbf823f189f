"""The owner's lifecycle controls over HTTP: close, reopen, extend, reveal, duplicate, delete;
who may use them; what each announces; the end time on the page and in results.json."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from starlette.testclient import TestClient

from crowdsource.domain import poll_queries, poll_store
from crowdsource.domain.models import Poll
from tests.helpers.announcer import RecordingAnnouncer as Announcements
from tests.helpers.client import create_poll, csrf_of, run, sign_in_guest, vote
from tests.helpers.waiting import wait_until_sync


@pytest.fixture
def announced(owner: TestClient, monkeypatch: pytest.MonkeyPatch) -> Announcements:
    """Every announcement (of the commands and of the scheduled close) on its way to the
    broker, which the app injected as their one announcer."""
    broker = owner.app.state.broker  # type: ignore[attr-defined]
    recorder = Announcements(then=broker.poll_changed)
    monkeypatch.setattr(broker, "poll_changed", recorder.poll_changed)
    monkeypatch.setattr(broker, "votes_changed", recorder.votes_changed)  # a vote's
    return recorder


def stored(client: TestClient, slug: str) -> Poll | None:
    return run(client, Poll.get_or_none, slug=slug)


def post(client: TestClient, slug: str, action: str, **data: Any) -> Any:
    """Post an owner form as the page would: with the CSRF token of this client's page."""
    token = csrf_of(client.get("/").text)
    return client.post(
        f"/polls/{slug}/{action}", data={"csrf_token": token, **data}, follow_redirects=False
    )


def results(client: TestClient, slug: str) -> dict[str, Any]:
    return client.get(f"/polls/{slug}/results.json").json()


def choice_ids(client: TestClient, slug: str) -> list[str]:
    return [choice["id"] for choice in results(client, slug)["choices"]]


def iso_in(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def close_now(client: TestClient, slug: str) -> None:
    assert post(client, slug, "close").status_code == 303


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


# Reveal: every visibility combination, on the page and in results.json ----------------------


def expected_audience(results_rule: str, voters_rule: str, voted: bool, closed: bool) -> tuple:
    shown = (
        results_rule == "always"
        or (results_rule == "after_vote" and (voted or closed))
        or (results_rule == "after_close" and closed)
    )
    return shown, shown and voters_rule == "everyone"


def seen_by(client: TestClient, slug: str) -> tuple[bool, bool]:
    """(results shown, voters shown) on the page, checked against results.json."""
    page = client.get(f"/polls/{slug}").text
    data = results(client, slug)
    shown = "data-total-votes" in page
    assert (data["total_votes"] is not None) == shown
    assert {c["votes"] is None for c in data["choices"]} == {not shown}
    return shown, 'class="voter"' in page


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("voters_rule", ["owner", "everyone"])
@pytest.mark.parametrize("results_rule", ["always", "after_vote", "after_close"])
def test_each_visibility_setting_is_honoured_for_every_viewer(
    owner: TestClient,
    student: TestClient,
    stranger: TestClient,
    client_factory: Callable[..., TestClient],
    announced: Announcements,
    results_rule: str,
    voters_rule: str,
    closed: bool,
) -> None:
    onlooker = client_factory()
    sign_in_guest(onlooker, "Olly Onlooker")
    slug = create_poll(owner)
    vote(student, slug, choice_ids(owner, slug)[0])
    announced.clear()
    response = post(
        owner, slug, "visibility", results_visibility=results_rule, show_voters=voters_rule
    )
    assert response.status_code == 303
    if closed:
        close_now(owner, slug)
    assert seen_by(owner, slug) == (True, True)
    assert seen_by(student, slug) == expected_audience(results_rule, voters_rule, True, closed)
    for viewer in (onlooker, stranger):
        assert seen_by(viewer, slug) == expected_audience(results_rule, voters_rule, False, closed)
    changed_settings = (results_rule, voters_rule) != ("always", "owner")
    poll = stored(owner, slug)
    assert poll and announced == [poll.id] * (changed_settings + closed)


def test_reveal_now_shows_results_to_everyone_and_keeps_the_voter_setting(
    owner: TestClient, student: TestClient
) -> None:
    slug = create_poll(owner, results_visibility="after_close", show_voters="everyone")
    vote(student, slug, choice_ids(owner, slug)[0])
    assert "Reveal results to everyone" in owner.get(f"/polls/{slug}").text
    assert seen_by(student, slug) == (False, False)
    assert post(owner, slug, "visibility", results_visibility="always").status_code == 303
    assert seen_by(student, slug) == (True, True)
    page = owner.get(f"/polls/{slug}").text
    assert "Reveal results to everyone" not in page
    assert "Results are shown to everyone, live." in page
    assert '<option value="everyone" selected>' in page


def test_a_bad_visibility_value_says_so_and_changes_nothing(owner: TestClient) -> None:
    slug = create_poll(owner)
    response = post(owner, slug, "visibility", results_visibility="never", show_voters="all")
    assert response.status_code == 400
    assert "Choose when results are shown." in response.text
    poll = stored(owner, slug)
    assert poll and (poll.results_visibility, poll.show_voters) == ("always", "owner")


# Duplicate, delete ---------------------------------------------------------------------------


def test_duplicate_opens_a_fresh_copy_with_a_new_link(
    owner: TestClient, student: TestClient, announced: Announcements
) -> None:
    slug = create_poll(
        owner, question="Again?", choices=["One", "Two"], results_visibility="after_vote"
    )
    vote(student, slug, choice_ids(owner, slug)[0])
    close_now(owner, slug)
    response = post(owner, slug, "duplicate")
    assert response.status_code == 303
    copy = response.headers["location"].split("/")[2].split("#")[0]
    assert copy != slug
    data = results(owner, copy)
    assert (data["question"], data["state"], data["total_votes"]) == ("Again?", "open", 0)
    assert [c["label"] for c in data["choices"]] == ["One", "Two"]
    assert "fresh copy" in owner.get(f"/polls/{copy}").text
    copied = stored(owner, copy)
    assert copied and copied.results_visibility == "after_vote" and announced[-1] == copied.id
    assert results(owner, slug)["total_votes"] == 1


def test_delete_asks_first_then_the_link_answers_404(
    owner: TestClient, student: TestClient, announced: Announcements
) -> None:
    slug = create_poll(owner, question="Gone soon?", closes_at=iso_in(3600))
    vote(student, slug, choice_ids(owner, slug)[0])
    announced.clear()
    poll = stored(owner, slug)
    assert poll
    confirm = owner.get(f"/polls/{slug}/delete")
    assert confirm.status_code == 200
    assert "Delete “Gone soon?”?" in confirm.text and "1 vote " in confirm.text
    assert 'name="confirm" value="yes"' in confirm.text
    unconfirmed = post(owner, slug, "delete")
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.text
    assert stored(owner, slug) is not None and announced == []
    response = post(owner, slug, "delete", confirm="yes")
    assert (response.status_code, response.headers["location"]) == (303, "/polls")
    assert "Deleted “Gone soon?”." in owner.get("/polls").text
    assert announced == [poll.id]
    assert owner.app.state.closing.armed == frozenset()  # type: ignore[attr-defined]
    for path in ("", "/results.json", "/delete"):
        assert student.get(f"/polls/{slug}{path}").status_code == 404
    assert vote_after_delete(student, slug).status_code == 404


def test_a_poll_without_votes_is_deleted_in_one_step(
    owner: TestClient, student: TestClient, announced: Announcements
) -> None:
    slug = create_poll(owner, question="Typo in it?")
    page = owner.get(f"/polls/{slug}").text
    assert f'<form method="post" action="/polls/{slug}/delete">' in page
    assert ">Delete poll</button>" in page and "Delete…" not in page
    response = post(owner, slug, "delete")
    assert (response.status_code, response.headers["location"]) == (303, "/polls")
    assert stored(owner, slug) is None
    other = create_poll(owner, question="Counted?")
    vote(student, slug=other, choice=choice_ids(owner, other)[0])
    assert f'href="/polls/{other}/delete">Delete…</a>' in owner.get(f"/polls/{other}").text
    assert post(owner, other, "delete").status_code == 400  # votes came: it asks after all
    assert stored(owner, other) is not None


def vote_after_delete(client: TestClient, slug: str) -> Any:
    token = csrf_of(client.get("/").text)
    return client.post(f"/polls/{slug}/votes", data={"choice": "1", "csrf_token": token})


def test_the_delete_confirmation_is_for_the_owner_only(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    assert student.get(f"/polls/{slug}/delete").status_code == 403
    response = stranger.get(f"/polls/{slug}/delete", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/login?next=/polls/{slug}/delete",
    )


# CSV -----------------------------------------------------------------------------------------


def csv_rows(client: TestClient, slug: str) -> list[list[str]]:
    response = client.get(f"/polls/{slug}/results.csv")
    assert response.status_code == 200
    header, *rows = response.text.strip().split("\r\n")
    assert header == "voter,name,response,voted_at,round,confidence"
    return [row.split(",") for row in rows]


def test_csv_has_one_row_per_current_vote_during_and_after_the_poll_whatever_the_visibility(
    owner: TestClient, student: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    slug = create_poll(owner, results_visibility="after_close", show_voters="owner")
    first, second, _ = choice_ids(owner, slug)
    other = client_factory()
    sign_in_guest(other, "Kim Second")
    vote(student, slug, first)
    vote(other, slug, second)
    vote(student, slug, second)  # a change of mind replaces the row
    during = csv_rows(owner, slug)
    assert sorted((name, response) for _, name, response, *_ in during) == [
        ("Kim Second (guest)", "Okay"),
        ("Sam Student (guest)", "Okay"),
    ]
    assert all(login.startswith("guest~") for login, *_ in during)
    times = [voted_at for _, _, _, voted_at, _, _ in during]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", t) for t in times)
    assert times == sorted(times)
    close_now(owner, slug)
    assert csv_rows(owner, slug) == during
    assert student.get(f"/polls/{slug}/results.csv").status_code == 403
