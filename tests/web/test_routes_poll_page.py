"""GET /polls/{slug} over HTTP: the page each visitor gets (the vote form, the invitation
to sign in, the share link), escaped text, and a link with no poll behind it."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.testclient import TestClient

from tests.helpers.client import choice_ids, create_poll, run, vote
from tests.helpers.factories import make_poll


def test_poll_text_is_escaped_everywhere(owner: TestClient, student: TestClient) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    slug = create_poll(owner, question=attack, choices=[attack, "safe"])
    vote(student, slug, choice_ids(owner, slug)[0])
    for client in (owner, student):
        html = client.get(f"/polls/{slug}").text
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html
    assert "<script>alert" not in owner.get("/polls").text


def test_unknown_poll_is_404(stranger: TestClient) -> None:
    response = stranger.get("/polls/doesnotexist")
    assert response.status_code == 404
    assert "There is no poll at this link." in response.text


def test_a_visitor_sees_the_vote_form_markup_and_results(
    owner: TestClient, student: TestClient
) -> None:
    slug = create_poll(owner)
    html = student.get(f"/polls/{slug}").text
    assert re.search(r'<form id="vote-form"[^>]*method="post"', html)
    assert html.count('name="choice"') == 3
    assert 'id="results"' in html and 'data-state="open"' in html
    assert 'data-total-votes="0"' in html
    assert "Share this poll" not in html and "Close voting now" not in html


def test_a_signed_out_visitor_votes_from_the_poll_page_where_guests_may_join(
    owner: TestClient, stranger: TestClient
) -> None:
    """One form: the picks, a name, one button (tests/web/test_guest_vote.py posts it)."""
    slug = create_poll(owner)
    html = stranger.get(f"/polls/{slug}").text
    form = re.search(r'<form id="vote-form"[^>]*>.*?</form>', html, re.S)
    assert form and html.count('name="choice"') == 3
    assert 'name="name"' in form.group(0) and "ws-send" not in form.group(0)
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+" form="vote-form"', html)


def test_without_guests_a_signed_out_visitor_is_invited_to_sign_in(
    client_factory: Callable[..., TestClient],
) -> None:
    visitor = client_factory(guest_sign_in=False)
    slug = run(visitor, make_poll).slug
    html = visitor.get(f"/polls/{slug}").text
    invitation = f'<a class="button primary" href="/login?next=/polls/{slug}">Sign in to vote'
    assert invitation in html
    assert 'id="vote-form"' not in html and 'name="name"' not in html


def test_the_owner_sees_the_absolute_share_url_as_text(owner: TestClient) -> None:
    slug = create_poll(owner)
    html = owner.get(f"/polls/{slug}").text
    assert f">http://testserver/polls/{slug}</a>" in html


def test_a_slug_no_poll_could_have_is_simply_not_found(client: TestClient) -> None:
    # Found by fuzzing the room routes: the database refused the lookup (a 500 before):
    # too long for the column, or a NUL byte (PostgreSQL).
    for path in ("/polls/" + "x" * 40, "/polls/" + "x" * 40 + "/results.json", "/polls/a%00b"):
        assert client.get(path).status_code == 404
