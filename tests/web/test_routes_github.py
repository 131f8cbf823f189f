"""GET /login/github -> GitHub -> GET /auth/github/callback, against a fake GitHub in-process."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest
from starlette.testclient import TestClient

from crowdsource.auth.tokens import COOKIE_NAME
from crowdsource.domain.models import User
from tests.helpers.client import (
    assert_sign_in_failed,
    create_poll,
    run,
    sets_token,
    token_claims,
    vote,
)
from tests.helpers.fake_github import API_URL, CLIENT_ID, CLIENT_SECRET, GITHUB_URL, FakeGitHub, ada
from tests.helpers.pkce import s256

CALLBACK = "http://testserver/auth/github/callback"


@pytest.fixture
def github() -> FakeGitHub:
    return FakeGitHub()


GITHUB_SETTINGS = {
    "github_client_id": CLIENT_ID,
    "github_client_secret": CLIENT_SECRET,
    "github_url": GITHUB_URL,
    "github_api_url": API_URL,
}


@pytest.fixture
def app_factory(
    app_client_factory: Callable[..., TestClient], github: FakeGitHub
) -> Callable[..., TestClient]:
    """A client of an app configured for the fake GitHub; `overrides` change its settings."""
    return lambda **overrides: app_client_factory(
        github.transport, **{**GITHUB_SETTINGS, **overrides}
    )


@pytest.fixture
def client(app_factory: Callable[..., TestClient]) -> TestClient:
    return app_factory()


def start(client: TestClient, github: FakeGitHub, next_path: str = "/polls/abc") -> str:
    """Follow "Sign in with GitHub" to GitHub's authorize URL; returns its `state`."""
    response = client.get("/login/github", params={"next": next_path}, follow_redirects=False)
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{GITHUB_URL}/login/oauth/authorize"
    )
    query = github.authorize(response.headers["location"])
    assert query["client_id"] == CLIENT_ID
    assert query["scope"] == "read:user"
    assert query["redirect_uri"] == CALLBACK
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    return query["state"]


def come_back(client: TestClient, **params: str) -> httpx2.Response:
    return client.get("/auth/github/callback", params=params, follow_redirects=False)


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


def test_missing_name_and_avatar_fall_back_to_login_and_initials(
    client: TestClient, github: FakeGitHub
) -> None:
    github.users["good-code"] = ada(name=None, avatar_url="javascript:alert(1)")
    come_back(client, code="good-code", state=start(client, github))
    claims = token_claims(client)
    assert claims["name"] == "octo-ada"
    assert claims["avatar"] == "/avatars/octo-ada.svg"


def test_an_avatar_on_another_host_is_replaced_by_the_initials_avatar(
    client: TestClient, github: FakeGitHub
) -> None:
    """Only GitHub's avatar host serves pictures: every owner's browser would load anything
    else from a host someone else chose (and tell it who looked, and when)."""
    github.users["good-code"] = ada(avatar_url="https://tracker.example/ada.png")
    come_back(client, code="good-code", state=start(client, github))
    assert token_claims(client)["avatar"] == "/avatars/octo-ada.svg"
    user = run(client, User.get, login="octo-ada")
    assert user.avatar_url == "/avatars/octo-ada.svg"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_next_on_another_site_goes_home(
    client: TestClient, target: str, github: FakeGitHub
) -> None:
    response = come_back(client, code="good-code", state=start(client, github, target))
    assert response.headers["location"] == "/"


def test_denied_access_is_explained_without_a_cookie(
    client: TestClient, github: FakeGitHub
) -> None:
    state = start(client, github)
    response = come_back(
        client, error="access_denied", error_description="The user has denied", state=state
    )
    assert_sign_in_failed(response, 403, "You chose not to let Crowdsource see your GitHub account")
    assert 'href="/login/github?next=/polls/abc"' in response.text
    assert COOKIE_NAME not in client.cookies


def test_other_provider_errors_are_explained(client: TestClient, github: FakeGitHub) -> None:
    response = come_back(client, error="redirect_uri_mismatch", state=start(client, github))
    assert_sign_in_failed(response, 400, "GitHub refused the sign-in (redirect_uri_mismatch)")


def test_a_forged_state_is_refused(client: TestClient, github: FakeGitHub) -> None:
    start(client, github)
    response = come_back(client, code="good-code", state="forged-state")
    assert_sign_in_failed(
        response, 400, "already been used, has expired, or was started in another"
    )
    assert github.requests == []


def test_a_callback_without_a_started_sign_in_is_refused(client: TestClient) -> None:
    response = come_back(client, code="good-code", state="anything")
    assert_sign_in_failed(response, 400, "already been used")


def test_a_replayed_callback_is_refused(client: TestClient, github: FakeGitHub) -> None:
    state = start(client, github)
    assert come_back(client, code="good-code", state=state).status_code == 303
    client.cookies.delete(COOKIE_NAME)
    replay = come_back(client, code="good-code", state=state)
    assert_sign_in_failed(replay, 400, "already been used")
    assert COOKIE_NAME not in client.cookies


def test_a_callback_without_code_or_error_is_refused(
    client: TestClient, github: FakeGitHub
) -> None:
    response = come_back(client, state=start(client, github))
    assert_sign_in_failed(response, 400, "GitHub sent you back without a sign-in code")


def raising(error: type[httpx2.TransportError]) -> Callable[[httpx2.Request], httpx2.Response]:
    def answer(request: httpx2.Request) -> httpx2.Response:
        raise error("simulated", request=request)

    return answer


@pytest.mark.parametrize(
    ("endpoint", "answer", "status", "message"),
    [
        ("token", raising(httpx2.ConnectError), 400, "We could not reach GitHub"),
        ("token", raising(httpx2.ConnectTimeout), 400, "GitHub did not answer in time"),
        ("user", raising(httpx2.ReadTimeout), 400, "GitHub did not answer in time"),
        ("user", raising(httpx2.ConnectError), 400, "We could not reach GitHub"),
        (
            "token",
            lambda r: httpx2.Response(502, text="<html>Bad gateway</html>"),
            400,
            "GitHub answered with an error (HTTP 502)",
        ),
        ("token", lambda r: httpx2.Response(200, text="<html>hi</html>"), 400, "made no sense"),
        ("token", lambda r: httpx2.Response(200, json=["x"]), 400, "made no sense"),
        ("token", lambda r: httpx2.Response(200, json={"token_type": "bearer"}), 400, "no sense"),
        (
            "token",
            lambda r: httpx2.Response(200, json={"error": "bad_verification_code"}),
            400,
            "GitHub refused the sign-in (bad_verification_code)",
        ),
        (
            "user",
            lambda r: httpx2.Response(401, json={"message": "Bad credentials"}),
            400,
            "GitHub answered with an error (HTTP 401)",
        ),
        ("user", lambda r: httpx2.Response(200, text="not json"), 400, "made no sense"),
        ("user", lambda r: httpx2.Response(200, json=[1, 2]), 400, "made no sense"),
    ],
)
def test_github_failing_is_explained_without_a_cookie(
    client: TestClient,
    github: FakeGitHub,
    endpoint: str,
    answer: Callable[[httpx2.Request], httpx2.Response],
    status: int,
    message: str,
) -> None:
    setattr(github, f"{endpoint}_answer", answer)
    response = come_back(client, code="good-code", state=start(client, github))
    assert_sign_in_failed(response, status, message)
    assert run(client, User.filter(provider="github").count) == 0


@pytest.mark.parametrize(
    "user",
    [
        ada(id=None),
        {"login": "octo-ada", "name": "No id"},
        ada(id="12ab"),
        ada(id=True),
        ada(login=None),
        {"id": 7},
        ada(login="guest~abcd1234"),
        ada(login="someone@oidc"),
        ada(login=""),
    ],
)
def test_a_profile_without_a_usable_id_or_login_is_refused(
    client: TestClient, github: FakeGitHub, user: dict[str, Any]
) -> None:
    github.users["good-code"] = user
    response = come_back(client, code="good-code", state=start(client, github))
    assert_sign_in_failed(response, 400, "GitHub&#39;s answer made no sense")
    assert run(client, User.filter(provider="github").count) == 0


def test_sign_in_failure_keeps_next_for_the_retry(client: TestClient, github: FakeGitHub) -> None:
    response = come_back(client, error="access_denied", state=start(client, github, "/polls/xyz"))
    assert 'href="/login/github?next=/polls/xyz"' in response.text
    assert response.text.count('href="/login?next=/polls/xyz"') == 2  # the page and the header


def test_github_routes_are_not_found_when_github_is_not_configured(
    app_factory: Callable[..., TestClient], github: FakeGitHub
) -> None:
    client = app_factory(github_client_id=None, github_client_secret=None)
    assert client.get("/login/github", follow_redirects=False).status_code == 404
    assert come_back(client, code="good-code", state="x").status_code == 404
    assert "Sign in with GitHub" not in client.get("/login").text
    assert github.requests == []


def test_github_avatar_of_a_known_login_falls_back_to_initials_of_the_name(
    client: TestClient, github: FakeGitHub
) -> None:
    come_back(client, code="good-code", state=start(client, github))
    svg = client.get("/avatars/octo-ada.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert ">AL</text>" in svg.text


def test_the_owner_sees_the_github_avatar_with_its_initials_fallback(
    client: TestClient, github: FakeGitHub
) -> None:
    come_back(client, code="good-code", state=start(client, github))
    slug = create_poll(client)
    choice = re.search(r'name="choice" value="(\d+)"', client.get(f"/polls/{slug}").text)
    assert choice and vote(client, slug, choice.group(1)).status_code == 303
    page = client.get(f"/polls/{slug}").text
    voter = re.search(r'<img class="voter"[^>]*data-voter="octo-ada"[^>]*>', page)
    assert voter, page
    assert 'src="https://avatars.github.test/u/583231?v=4&amp;s=80"' in voter.group(0)
    assert 'data-fallback="/avatars/octo-ada.svg"' in voter.group(0)
    assert 'alt="octo-ada"' in voter.group(0)
    assert 'class="avatar-sm"' in page and 'data-fallback="/avatars/octo-ada.svg" alt=""' in page
    assert '<script src="/static/js/avatars.js"></script>' in page


def test_images_load_only_from_the_avatar_origins_the_sign_in_allows(
    app_factory: Callable[..., TestClient],
) -> None:
    """One list: the Content-Security-Policy's img-src is the settings' avatar origins."""
    client = app_factory(github_url="http://ghe.test", github_api_url="http://ghe.test/api/v3")
    policy = client.get("/").headers["content-security-policy"]
    assert "img-src 'self' data: http://ghe.test http://avatars.ghe.test;" in policy
    assert client.app.state.settings.avatar_origins == (
        "http://ghe.test",
        "http://avatars.ghe.test",
    )


def test_avatar_hosts_add_to_githubs_in_the_policy(app_factory: Callable[..., TestClient]) -> None:
    policy = (
        app_factory(avatar_hosts=("https://*.school.test",))
        .get("/")
        .headers["content-security-policy"]
    )
    assert (
        "img-src 'self' data: https://github.test https://avatars.github.test "
        "https://*.school.test;" in policy
    )
