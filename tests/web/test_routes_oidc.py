"""GET /login/oidc -> any OpenID Connect provider -> GET /auth/oidc/callback, faked in-process."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

import httpx2
import pytest
from joserfc.jwk import RSAKey
from starlette.testclient import TestClient

from crowdsource.auth.oidc import subject_key
from crowdsource.domain.models import User
from tests.helpers import fake_github, fake_oidc
from tests.helpers.client import assert_sign_in_failed, create_poll, run, token_claims, vote
from tests.helpers.fake_github import FakeGitHub
from tests.helpers.fake_oidc import FakeOidc

OIDC_SETTINGS = {
    "oidc_discovery_url": fake_oidc.DISCOVERY_URL,
    "oidc_client_id": fake_oidc.CLIENT_ID,
    "oidc_client_secret": fake_oidc.CLIENT_SECRET,
    "oidc_name": "School Login",
    "avatar_hosts": ("https://pictures.school.test",),  # as AVATAR_HOSTS lists it
}


@pytest.fixture
def oidc() -> FakeOidc:
    return FakeOidc()


@pytest.fixture
def github() -> FakeGitHub:
    return FakeGitHub()


@pytest.fixture
def client(
    app_client_factory: Callable[..., TestClient], oidc: FakeOidc, github: FakeGitHub
) -> TestClient:
    """An app with both the OpenID provider and GitHub, each faked on its own host."""

    def network(request: httpx2.Request) -> httpx2.Response:
        if request.url.host.endswith("github.test"):
            return github.handle(request)
        return oidc.handle(request)

    return app_client_factory(
        httpx2.MockTransport(network),
        **OIDC_SETTINGS,
        github_client_id=fake_github.CLIENT_ID,
        github_client_secret=fake_github.CLIENT_SECRET,
        github_url=fake_github.GITHUB_URL,
        github_api_url=fake_github.API_URL,
    )


def start(client: TestClient, oidc: FakeOidc, next_path: str = "/polls/abc") -> str:
    """Follow "Sign in with School Login"; the provider issues code "c1"; returns the state."""
    response = client.get("/login/oidc", params={"next": next_path}, follow_redirects=False)
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert (
        f"{location.scheme}://{location.netloc}{location.path}" == f"{fake_oidc.ISSUER}/authorize"
    )
    query = oidc.authorize(response.headers["location"], "c1")
    assert query["client_id"] == fake_oidc.CLIENT_ID
    assert query["scope"] == "openid profile email"
    assert query["redirect_uri"] == "http://testserver/auth/oidc/callback"
    assert query["code_challenge_method"] == "S256"
    return query["state"]


def initials_of(login: str) -> str:
    """The generated avatar's address for `login`."""
    return f"/avatars/{quote(login, safe='')}.svg"


def come_back(client: TestClient, **params: str) -> httpx2.Response:
    return client.get("/auth/oidc/callback", params=params, follow_redirects=False)


def test_login_page_names_the_provider(client: TestClient) -> None:
    page = client.get("/login?next=/polls/abc").text
    assert 'href="/login/oidc?next=/polls/abc">Sign in with School Login</a>' in page
    assert 'href="/login/github?next=/polls/abc">Sign in with GitHub</a>' in page


def test_sign_in_verifies_the_id_token_and_sets_the_cookie(
    client: TestClient, oidc: FakeOidc
) -> None:
    response = come_back(client, code="c1", state=start(client, oidc))
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/polls/abc"
    claims = token_claims(client)
    assert claims["login"] == "ada@school-login"
    assert claims["name"] == "Ada Lovelace"
    assert claims["avatar"] == "https://pictures.school.test/ada.png"
    user = run(client, User.get, id=int(claims["sub"]))
    assert (user.provider, user.provider_id) == ("oidc", subject_key(fake_oidc.ISSUER, "u-4711"))


def sign_in_as(client: TestClient, oidc: FakeOidc, subject: str, username: str) -> str:
    """Sign in (again) as `subject`, who wants `username`; returns the login given."""
    client.cookies.clear()
    oidc.id_claims["sub"] = oidc.userinfo["sub"] = subject
    oidc.userinfo["preferred_username"] = username
    assert come_back(client, code="c1", state=start(client, oidc)).status_code == 303
    return str(token_claims(client)["login"])


def test_a_newcomer_with_the_same_derived_login_never_takes_it(
    client: TestClient, oidc: FakeOidc
) -> None:
    """`ada` and `ada-` both clean to `ada`: each keeps a login of their own, and each vote
    keeps its voter's name on the page and in the CSV, whoever signed in last."""
    assert sign_in_as(client, oidc, "u-4711", "ada") == "ada@school-login"
    slug = create_poll(client, show_voters="everyone")
    choices = client.get(f"/polls/{slug}/results.json").json()["choices"]
    okay, no_idea = (choice["id"] for choice in choices[1:])
    assert vote(client, slug, okay).status_code == 303
    assert sign_in_as(client, oidc, "u-666", "ada-") == "ada+2@school-login"
    assert vote(client, slug, no_idea).status_code == 303
    assert sign_in_as(client, oidc, "u-4711", "ada") == "ada@school-login"
    page = client.get(f"/polls/{slug}").text
    voters = {
        chunk.split('"', 1)[0]: re.findall(r'data-voter="([^"]+)"', chunk)
        for chunk in page.split('id="voters-')[1:]
    }
    assert (voters[okay], voters[no_idea]) == (["ada@school-login"], ["ada+2@school-login"])
    rows = client.get(f"/polls/{slug}/results.csv").text.splitlines()[1:]
    assert sorted((row.split(",")[0], row.split(",")[2]) for row in rows) == [
        ("ada+2@school-login", "No idea"),
        ("ada@school-login", "Okay"),
    ]


def test_an_oidc_login_never_takes_a_github_login(
    client: TestClient, oidc: FakeOidc, github: FakeGitHub
) -> None:
    oidc.userinfo["preferred_username"] = "octo-ada"
    come_back(client, code="c1", state=start(client, oidc))
    oidc_login = token_claims(client)["login"]
    client.cookies.clear()
    github_start = client.get("/login/github", follow_redirects=False).headers["location"]
    state = github.authorize(github_start)["state"]
    response = client.get(
        "/auth/github/callback",
        params={"code": "good-code", "state": state},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (oidc_login, token_claims(client)["login"]) == ("octo-ada@school-login", "octo-ada")
    assert run(client, User.all().count) == 2


def test_a_new_sign_in_refreshes_the_profile(client: TestClient, oidc: FakeOidc) -> None:
    come_back(client, code="c1", state=start(client, oidc))
    first = token_claims(client)
    oidc.userinfo["picture"] = "https://pictures.school.test/ada-2.png"
    oidc.id_claims["name"] = "Ada King"
    come_back(client, code="c1", state=start(client, oidc))
    second = token_claims(client)
    assert second["sub"] == first["sub"]
    assert (second["name"], second["avatar"]) == ("Ada King", oidc.userinfo["picture"])


@pytest.mark.parametrize(
    "picture",
    [
        "https://tracker.example/ada.png",
        "http://pictures.school.test/ada.png",
        "https://pictures.school.test.tracker.example/ada.png",
        "https://tracker.example\\@pictures.school.test/ada.png",
    ],
)
def test_a_picture_on_a_host_the_operator_did_not_list_is_replaced_by_initials(
    client: TestClient, oidc: FakeOidc, picture: str
) -> None:
    oidc.userinfo["picture"] = picture
    come_back(client, code="c1", state=start(client, oidc))
    claims = token_claims(client)
    assert claims["avatar"] == initials_of(claims["login"])


def test_without_avatar_hosts_no_oidc_picture_is_shown(
    app_client_factory: Callable[..., TestClient], oidc: FakeOidc
) -> None:
    client = app_client_factory(
        httpx2.MockTransport(oidc.handle), **{**OIDC_SETTINGS, "avatar_hosts": ()}
    )
    come_back(client, code="c1", state=start(client, oidc))
    claims = token_claims(client)
    assert claims["avatar"] == initials_of(claims["login"])
    assert "img-src 'self' data:;" in client.get("/").headers["content-security-policy"]


def test_without_userinfo_the_id_token_claims_are_enough(
    client: TestClient, oidc: FakeOidc
) -> None:
    del oidc.metadata["userinfo_endpoint"]
    oidc.id_claims.update(
        email="grace.h@school.test", email_verified=True, name="", given_name="Grace"
    )
    come_back(client, code="c1", state=start(client, oidc))
    claims = token_claims(client)
    assert claims["login"] == "grace.h@school-login"
    assert claims["name"] == "Grace"
    assert claims["avatar"] == "/avatars/grace.h%40school-login.svg"
    svg = client.get(claims["avatar"])
    assert svg.status_code == 200 and ">G</text>" in svg.text


def test_denied_access_is_explained(client: TestClient, oidc: FakeOidc) -> None:
    response = come_back(client, error="access_denied", state=start(client, oidc))
    assert_sign_in_failed(response, 403, "see your School Login account")
    assert 'href="/login/oidc?next=/polls/abc"' in response.text


def test_provider_unreachable_at_the_start_is_explained(client: TestClient, oidc: FakeOidc) -> None:
    oidc.discovery_down = True
    response = client.get("/login/oidc", params={"next": "/polls/abc"})
    assert_sign_in_failed(response, 400, "We could not reach School Login")


def test_a_discovery_document_without_endpoints_is_explained(
    client: TestClient, oidc: FakeOidc
) -> None:
    del oidc.metadata["authorization_endpoint"]
    assert_sign_in_failed(client.get("/login/oidc"), 400, "School Login&#39;s answer made no")


def impostor_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "good"})


@pytest.mark.parametrize(
    "lie",
    [
        pytest.param(lambda o: setattr(o, "signing_key", impostor_key()), id="forged-signature"),
        pytest.param(
            lambda o: setattr(o, "signing_key", fake_oidc.rsa_key("unknown")), id="unknown-key"
        ),
        pytest.param(lambda o: o.id_claims.update(aud="another-client"), id="another-audience"),
        pytest.param(lambda o: o.id_claims.update(iss="https://evil.test"), id="another-issuer"),
        pytest.param(lambda o: o.id_claims.update(exp=1), id="expired"),
        pytest.param(lambda o: o.nonces.update(c1="replayed-nonce"), id="wrong-nonce"),
        pytest.param(lambda o: o.userinfo.update(sub="someone-else"), id="userinfo-of-another"),
    ],
)
def test_id_tokens_that_do_not_verify_are_refused(
    client: TestClient, oidc: FakeOidc, lie: Callable[[FakeOidc], None]
) -> None:
    state = start(client, oidc)
    lie(oidc)
    response = come_back(client, code="c1", state=state)
    assert_sign_in_failed(response, 400, "School Login&#39;s answer made no sense")
    assert run(client, User.filter(provider="oidc").count) == 0


def test_the_code_is_exchanged_with_the_pkce_verifier_of_this_sign_in(
    client: TestClient, oidc: FakeOidc
) -> None:
    """S256: a code someone intercepted cannot be redeemed without this browser's verifier."""
    state = start(client, oidc)
    oidc.challenges["c1"] = "the-challenge-of-another-browser"
    response = come_back(client, code="c1", state=state)
    assert_sign_in_failed(response, 400, "School Login refused the sign-in (invalid_grant)")
    assert run(client, User.filter(provider="oidc").count) == 0


def test_a_token_endpoint_error_is_explained(client: TestClient, oidc: FakeOidc) -> None:
    response = come_back(client, code="unknown-code", state=start(client, oidc))
    assert_sign_in_failed(response, 400, "School Login refused the sign-in (invalid_grant)")


def test_oidc_routes_are_not_found_when_not_configured(
    app_client_factory: Callable[..., TestClient],
) -> None:
    client = app_client_factory()
    assert client.get("/login/oidc", follow_redirects=False).status_code == 404
    assert come_back(client, code="c1", state="x").status_code == 404
    assert "/login/oidc" not in client.get("/login").text
