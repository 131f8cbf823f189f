"""The one-submit guest vote (DESIGN §2, Forms): where guests may join, a signed-out visitor
votes from the poll page with a name, in one post, with or without JavaScript; where only
providers sign people in, the sign-in page names the poll and comes back to it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from crowdsource.auth.tokens import COOKIE_NAME
from crowdsource.domain.models import User, Vote
from tests.helpers.client import choice_ids, create_poll, csrf_of, run, sets_token
from tests.helpers.factories import make_poll


def guest_vote(client: TestClient, slug: str, **fields: Any) -> httpx2.Response:
    """Post the poll page's own vote form, as a phone without JavaScript does."""
    token = csrf_of(client.get(f"/polls/{slug}").text)
    return client.post(
        f"/polls/{slug}/votes", data={"csrf_token": token, **fields}, follow_redirects=False
    )


def people(client: TestClient) -> int:
    return run(client, User.all().count)


def test_one_submit_signs_the_guest_in_and_stores_the_vote(
    owner: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    okay = choice_ids(owner, slug)[1]
    response = guest_vote(stranger, slug, name="Sam Student", choice=okay)
    assert (response.status_code, response.headers["location"]) == (303, f"/polls/{slug}")
    assert sets_token(response)
    page = stranger.get(f"/polls/{slug}").text
    assert "Your vote for “Okay” is in." in page
    assert re.search(r'class="whoami">.*Sam Student', page)
    assert ">Change my vote</button>" in page and 'name="name"' not in page
    assert owner.get(f"/polls/{slug}/results.json").json()["total_votes"] == 1


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"name": "   ", "choice": "PICK"}, 400, "Tell us a name to show next to your vote."),
        ({"name": "x" * 41, "choice": "PICK"}, 400, "Keep your name to 40 characters."),
        ({"name": "Sam Student"}, 400, "Pick one of the responses."),
    ],
)
def test_a_refused_guest_vote_keeps_the_pick_and_the_name_and_makes_nobody(
    owner: TestClient, stranger: TestClient, fields: dict[str, str], status: int, message: str
) -> None:
    slug = create_poll(owner)
    okay = choice_ids(owner, slug)[1]
    fields = {k: okay if v == "PICK" else v for k, v in fields.items()}
    before = people(owner)
    response = guest_vote(stranger, slug, **fields)
    assert response.status_code == status and message in response.text
    assert not sets_token(response) and people(owner) == before
    assert f'value="{fields["name"]}"' in response.text
    if "choice" in fields:
        assert f'value="{okay}" required checked' in response.text
    assert run(owner, Vote.all().count) == 0


def test_a_closed_poll_makes_no_guest(owner: TestClient, stranger: TestClient) -> None:
    slug = create_poll(owner)
    first = choice_ids(owner, slug)[0]
    token = csrf_of(stranger.get(f"/polls/{slug}").text)
    owner.post(
        f"/polls/{slug}/close", data={"csrf_token": csrf_of(owner.get(f"/polls/{slug}").text)}
    )
    before = people(owner)
    response = stranger.post(
        f"/polls/{slug}/votes",
        data={"csrf_token": token, "name": "Late Larry", "choice": first},
        follow_redirects=False,
    )
    assert response.status_code == 409 and "Voting has closed" in response.text
    assert people(owner) == before and not sets_token(response)


def test_the_guest_form_checks_its_token(owner: TestClient, stranger: TestClient) -> None:
    slug = create_poll(owner)
    stranger.get(f"/polls/{slug}")
    response = stranger.post(
        f"/polls/{slug}/votes",
        data={"csrf_token": "forged", "name": "Mallory", "choice": choice_ids(owner, slug)[0]},
    )
    assert response.status_code == 403 and COOKIE_NAME not in stranger.cookies


def test_the_guest_limit_per_poll_applies_to_the_one_submit_vote(
    client_factory: Callable[..., TestClient],
) -> None:
    owner = client_factory(guests_per_poll_per_address=1)
    slug = run(owner, make_poll).slug
    first = choice_ids(owner, slug)[0]
    assert guest_vote(client_factory(), slug, name="One", choice=first).status_code == 303
    refused = guest_vote(client_factory(), slug, name="Two", choice=first)
    assert refused.status_code == 429 and "Too many guests" in refused.text
    assert 'value="Two"' in refused.text


def test_without_guests_a_name_changes_nothing_and_sign_in_comes_first(
    client_factory: Callable[..., TestClient],
) -> None:
    visitor = client_factory(guest_sign_in=False)
    slug = run(visitor, make_poll).slug
    response = visitor.post(
        f"/polls/{slug}/votes", data={"name": "Sam", "choice": "1"}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/login?next=/polls/{slug}",
    )
    assert not sets_token(response)


def test_the_sign_in_page_names_the_poll_it_returns_to(
    client_factory: Callable[..., TestClient],
) -> None:
    visitor = client_factory(guest_sign_in=False)
    poll = run(visitor, make_poll, question="Is recursion clear yet?")
    page = visitor.get(f"/login?next=/polls/{poll.slug}").text
    assert re.search(r"Sign in to vote on</p>\s*<h1[^>]*>Is recursion clear yet\?</h1>", page)
    assert f'href="/polls/{poll.slug}">Back to the poll</a>' in page
    assert "Sign in to vote and create polls" in visitor.get("/login?next=/polls/nope").text


def test_pushes_keep_a_signed_out_visitor_s_token_and_typing_by_id(
    owner: TestClient, stranger: TestClient
) -> None:
    """A signed-out visitor's pushed panel is rendered once for all of them, without a token:
    htmx keeps the page's token, picks and name (hx-preserve) instead."""
    slug = create_poll(owner)
    with stranger.websocket_connect(f"/polls/{slug}/ws") as ws:
        state = ws.receive_text()
    token = re.search(
        r'<input type="hidden" name="csrf_token" value="" form="vote-form"[^>]*>', state
    )
    assert token and 'id="guest-vote-token" hx-preserve="true"' in token.group(0)
    assert f'<fieldset id="guest-vote-choices-{slug}-1" hx-preserve="true">' in state
    assert 'id="guest-vote-name" hx-preserve="true"' in state
