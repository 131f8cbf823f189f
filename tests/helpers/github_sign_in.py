"""Driving the app's GitHub sign-in routes: out to GitHub's authorize URL and back."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx2
from starlette.testclient import TestClient

from tests.helpers.fake_github import CLIENT_ID, GITHUB_URL, FakeGitHub

CALLBACK = "http://testserver/auth/github/callback"


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
