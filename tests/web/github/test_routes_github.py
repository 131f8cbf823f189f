"""GitHub sign-in that works: the link, the code exchanged with PKCE, the profile stored."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

import pytest
from starlette.testclient import TestClient

from crowdsource.auth.tokens import COOKIE_NAME
from crowdsource.domain.models import User
from tests.helpers.client import assert_sign_in_failed, run, sets_token, token_claims
from tests.helpers.fake_github import CLIENT_SECRET, FakeGitHub, ada
from tests.helpers.github_sign_in import CALLBACK, come_back, start
from tests.helpers.pkce import s256


def test_login_page_offers_github_and_keeps_next(client: TestClient) -> None:
    page = client.get("/login?next=/polls/abc")
    assert 'href="/login/github?next=/polls/abc"' in page.text
    assert "Sign in with GitHub" in client.get("/").text


def test_sign_in_sets_the_token_from_github_and_returns_to_next(
    client: TestClient, github: FakeGitHub
) -> None:
    state = start(client, github, "/polls/abc?x=1")
    response = come_back(client, code="good-code", state=state)
    assert response.status_code == 303
    assert response.headers["location"] == "/polls/abc?x=1"
    assert sets_token(response)
    claims = token_claims(client)
    assert claims["login"] == "octo-ada"
    assert claims["name"] == "Ada Lovelace"
    assert claims["avatar"] == "https://avatars.github.test/u/583231?v=4&s=80"
    user = run(client, User.get, id=int(claims["sub"]))
    assert (user.provider, user.provider_id, user.login) == ("github", "583231", "octo-ada")
    home = client.get("/")
    assert "Ada Lovelace" in home.text and "Ask the room" in home.text


def test_token_request_posts_the_client_secret_and_user_request_uses_the_token(
    client: TestClient, github: FakeGitHub
) -> None:
    come_back(client, code="good-code", state=start(client, github))
    token_request = github.last("/login/oauth/access_token")
    form = parse_qs(token_request.content.decode())
    assert form["client_secret"] == [CLIENT_SECRET]
    assert form["redirect_uri"] == [CALLBACK]
    assert "authorization" not in token_request.headers
    assert token_request.headers["accept"] == "application/json"
    user_request = github.last("/user")
    assert user_request.headers["authorization"] == "Bearer token-good-code"


def test_the_code_is_only_exchanged_with_this_sign_ins_pkce_verifier(
    client: TestClient, github: FakeGitHub
) -> None:
    """S256: the token request carries the verifier of the challenge in the authorize URL, so
    a code read from a log or a Referer cannot be redeemed without this browser's session."""
    assert come_back(client, code="good-code", state=start(client, github)).status_code == 303
    form = parse_qs(github.last("/login/oauth/access_token").content.decode())
    assert s256(form["code_verifier"][0]) in github.challenges
    client.cookies.delete(COOKIE_NAME)
    state = start(client, github)
    github.challenges = {"the-challenge-of-another-browser"}
    response = come_back(client, code="good-code", state=state)
    assert_sign_in_failed(response, 400, "GitHub refused the sign-in (bad_verification_code)")
    assert not sets_token(response)


def test_a_new_sign_in_refreshes_name_and_avatar_and_keeps_the_user(
    client: TestClient, github: FakeGitHub
) -> None:
    come_back(client, code="good-code", state=start(client, github))
    first = token_claims(client)
    client.cookies.clear()
    github.users["good-code"] = ada(
        name="Ada King", avatar_url="https://avatars.github.test/u/583231?v=5"
    )
    come_back(client, code="good-code", state=start(client, github))
    second = token_claims(client)
    assert second["sub"] == first["sub"]
    assert second["name"] == "Ada King"
    assert second["avatar"] == "https://avatars.github.test/u/583231?v=5&s=80"
    assert run(client, User.filter(provider="github").count) == 1
    user = run(client, User.get, id=int(second["sub"]))
    assert (user.name, user.avatar_url) == ("Ada King", second["avatar"])


def test_github_enterprise_api_under_a_path(
    app_factory: Callable[..., TestClient], github: FakeGitHub
) -> None:
    github.api_url = "https://ghe.test/api/v3"
    client = app_factory(github_api_url="https://ghe.test/api/v3")
    response = come_back(client, code="good-code", state=start(client, github))
    assert response.status_code == 303
    assert str(github.last("/user").url) == "https://ghe.test/api/v3/user"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_next_on_another_site_goes_home(
    client: TestClient, target: str, github: FakeGitHub
) -> None:
    response = come_back(client, code="good-code", state=start(client, github, target))
    assert response.headers["location"] == "/"


def test_github_routes_are_not_found_when_github_is_not_configured(
    app_factory: Callable[..., TestClient], github: FakeGitHub
) -> None:
    client = app_factory(github_client_id=None, github_client_secret=None)
    assert client.get("/login/github", follow_redirects=False).status_code == 404
    assert come_back(client, code="good-code", state="x").status_code == 404
    assert "Sign in with GitHub" not in client.get("/login").text
    assert github.requests == []
