"""GitHub sign-in refused: denied, forged or replayed callbacks, GitHub failing or nonsense."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from starlette.testclient import TestClient

from crowdsource.auth.tokens import COOKIE_NAME
from crowdsource.domain.models import User
from tests.helpers.client import assert_sign_in_failed, run
from tests.helpers.fake_github import FakeGitHub, ada
from tests.helpers.github_sign_in import come_back, start


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
