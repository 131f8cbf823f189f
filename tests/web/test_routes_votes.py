"""Voting by form over HTTP, and closing: a vote counted and changed, the votes refused
(signed out, without CSRF, a bad choice, another poll's), and close, by its owner only."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from crowdsource.domain.models import Vote
from tests.helpers.client import choice_ids, create_poll, csrf_of, run, vote


def test_voting_by_form_counts_and_redirects_back(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner)
    first, second, _ = choice_ids(owner, slug)
    response = vote(student, slug, first)
    assert (response.status_code, response.headers["location"]) == (303, f"/polls/{slug}")
    page = student.get(f"/polls/{slug}").text
    assert "Your vote for “Old hat” is in." in page
    assert f'value="{first}" required checked' in page
    vote(student, slug, second)
    data = owner.get(f"/polls/{slug}/results.json").json()
    assert [c["votes"] for c in data["choices"]] == [0, 1, 0]
    assert data["total_votes"] == 1


def test_vote_signed_out_goes_to_sign_in(owner: TestClient, stranger: TestClient) -> None:
    slug = create_poll(owner)
    response = stranger.post(f"/polls/{slug}/votes", data={"choice": "1"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/login?next=/polls/{slug}",
    )


def test_vote_without_csrf_is_forbidden(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner)
    response = student.post(f"/polls/{slug}/votes", data={"choice": choice_ids(owner, slug)[0]})
    assert response.status_code == 403
    assert run(owner, Vote.all().count) == 0


@pytest.mark.parametrize("bad", ["", "abc", "99999", "<script>"])
def test_bad_choice_gets_the_page_with_a_message(
    owner: TestClient, student: TestClient, bad: str
) -> None:
    slug = create_poll(owner)
    response = vote(student, slug, bad)
    assert response.status_code == 400
    assert 'id="vote-status"' in response.text
    assert "vote-status-error" in response.text
    assert run(owner, Vote.all().count) == 0


def test_a_choice_of_another_poll_is_refused(owner: TestClient, student: TestClient) -> None:
    slug, other = create_poll(owner), create_poll(owner)
    response = vote(student, slug, choice_ids(owner, other)[0])
    assert response.status_code == 400
    assert "not part of this poll" in response.text
    assert run(owner, Vote.all().count) == 0


def test_close_stops_voting_and_keeps_results(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner)
    first, second, _ = choice_ids(owner, slug)
    vote(student, slug, first)
    token = csrf_of(owner.get(f"/polls/{slug}").text)
    response = owner.post(
        f"/polls/{slug}/close", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    refused = vote(student, slug, second)
    assert refused.status_code == 409
    assert "Voting has closed" in refused.text
    page = student.get(f"/polls/{slug}").text
    assert (
        'data-state="closed"' in page and 'id="vote-form"' not in page and "Voting closed" in page
    )
    assert owner.get(f"/polls/{slug}/results.json").json()["state"] == "closed"
    assert [c["votes"] for c in owner.get(f"/polls/{slug}/results.json").json()["choices"]] == [
        1,
        0,
        0,
    ]


def test_close_by_someone_else_is_forbidden(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner)
    token = csrf_of(student.get(f"/polls/{slug}").text)
    assert student.post(f"/polls/{slug}/close", data={"csrf_token": token}).status_code == 403
    assert owner.get(f"/polls/{slug}/results.json").json()["state"] == "open"


def test_close_signed_out_goes_to_sign_in_and_without_csrf_is_forbidden(
    owner: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    response = stranger.post(f"/polls/{slug}/close", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/login?next=/polls/{slug}",
    )
    assert owner.post(f"/polls/{slug}/close", data={}).status_code == 403
