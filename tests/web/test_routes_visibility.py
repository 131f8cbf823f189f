"""Who sees a poll's results and voters over HTTP: every visibility combination for every
viewer, on the page and in results.json; revealing now; a bad setting; and the owner's CSV,
whole whatever the setting."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.helpers.announcer import RecordingAnnouncer as Announcements
from tests.helpers.client import choice_ids, create_poll, results, sign_in_guest, vote
from tests.helpers.owner_controls import (
    close_now,
    post,
    stored,
)

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
