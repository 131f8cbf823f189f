"""What depends on who is asking is never kept by a cache: `Cache-Control: private, no-store`
on every response to a signed-in person (or setting a cookie); static files and responses the
same for everyone keep their own caching."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.helpers.client import create_poll, csrf_of, vote

PRIVATE = "private, no-store"


def owner_paths(slug: str) -> list[str]:
    return [
        "/",
        "/polls",
        f"/polls/{slug}",
        f"/polls/{slug}/delete",
        f"/polls/{slug}/results.csv",
        f"/polls/{slug}/results.json",
        f"/polls/{slug}/present",
        "/polls/nope",
    ]


def test_every_page_of_a_signed_in_owner_is_private(owner: TestClient) -> None:
    slug = create_poll(owner)
    for path in owner_paths(slug):
        response = owner.get(path)
        assert response.headers["cache-control"] == PRIVATE, (path, response.status_code)


def test_a_voters_page_and_answers_are_private(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner, results_visibility="after_vote")
    choice = owner.get(f"/polls/{slug}/results.json").json()["choices"][0]["id"]
    response = vote(student, slug, choice)
    assert response.headers["cache-control"] == PRIVATE
    assert student.get(f"/polls/{slug}").headers["cache-control"] == PRIVATE


def test_a_response_that_sets_a_cookie_is_private(stranger: TestClient) -> None:
    token = csrf_of(stranger.get("/login").text)
    response = stranger.post(
        "/login/guest", data={"name": "Kim", "csrf_token": token}, follow_redirects=False
    )
    assert "crowdsource_token=" in response.headers["set-cookie"]
    assert response.headers["cache-control"] == PRIVATE


@pytest.mark.parametrize("path", ["/static/app.css", "/static/vendor/htmx.min.js"])
def test_static_files_are_not_made_private(owner: TestClient, path: str) -> None:
    assert "no-store" not in owner.get(path).headers.get("cache-control", "")


def test_what_is_the_same_for_everyone_keeps_its_public_caching(owner: TestClient) -> None:
    slug = create_poll(owner)
    assert owner.get(f"/polls/{slug}/qr.svg").headers["cache-control"].startswith("public")
    assert owner.get("/avatars/someone.svg").headers["cache-control"].startswith("public")


def test_a_signed_out_request_without_cookies_is_not_marked_private(
    owner: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    response = stranger.get(f"/polls/{slug}/results.json")
    assert response.status_code == 200 and "set-cookie" not in response.headers
    assert response.headers["cache-control"] == "no-store"  # live numbers: still never stored
