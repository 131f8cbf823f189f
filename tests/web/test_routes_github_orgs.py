"""GitHub organisations and teams read at sign-in for rooms' rosters: `read:org` asked only
when some room names an organisation, memberships replaced at each sign-in, GitHub
Enterprise under its API path, and an organisation GitHub does not know (warned, kept)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import httpx2
import pytest
from starlette.testclient import TestClient

from crowdsource.domain.models import User
from crowdsource.domain.roster_models import GitHubMembership
from tests.helpers.client import run, sign_in_guest
from tests.helpers.fake_github import SETTINGS, FakeGitHub
from tests.helpers.rooms import create_room
from tests.helpers.roster import set_roster


@pytest.fixture
def github() -> FakeGitHub:
    fake = FakeGitHub()
    fake.orgs["good-code"] = ["CS101", "chess-club"]
    fake.teams["good-code"] = [("CS101", "section-b")]
    fake.known_orgs = {"cs101"}
    return fake


@pytest.fixture
def app(app_client_factory: Callable[..., TestClient], github: FakeGitHub) -> TestClient:
    return app_client_factory(github.transport, **SETTINGS)


def sign_in_with_github(client: TestClient, github: FakeGitHub) -> str:
    """The whole OAuth round; returns the scope the authorize URL asked for."""
    response = client.get("/login/github", params={"next": "/"}, follow_redirects=False)
    query = github.authorize(response.headers["location"])
    back = client.get(
        "/auth/github/callback",
        params={"code": "good-code", "state": query["state"]},
        follow_redirects=False,
    )
    assert back.status_code == 303, back.text
    return query["scope"]


def groups(client: TestClient) -> set[tuple[str, str]]:
    async def read() -> set[tuple[str, str]]:
        user = await User.get(login="octo-ada")
        rows = await GitHubMembership.filter(user_id=user.id).values_list("org", "team")
        return {(str(org), str(team)) for org, team in rows}

    return run(client, read)


def org_room(app: TestClient, org: str = "cs101") -> str:
    """An instructor (a guest here) with a room whose roster names `org`."""
    owner = TestClient(app.app)
    owner.portal, owner.stream_send = app.portal, app.stream_send
    owner.stream_receive, owner.task = app.stream_receive, app.task
    sign_in_guest(owner, "Alex Owner")
    code = create_room(owner)
    response = set_roster(owner, code, org=org)
    assert response.status_code == 303
    return owner.get(f"/r/{code}/host").text


def test_without_org_rosters_only_read_user_is_asked_and_nothing_read(
    app: TestClient, github: FakeGitHub
) -> None:
    assert sign_in_with_github(app, github) == "read:user"
    assert not any(r.url.path.startswith("/user/") for r in github.requests)
    assert groups(app) == set()


def test_with_an_org_roster_read_org_is_asked_and_memberships_stored(
    app: TestClient, github: FakeGitHub
) -> None:
    org_room(app)
    assert sign_in_with_github(app, github) == "read:user read:org"
    assert groups(app) == {("cs101", ""), ("chess-club", ""), ("cs101", "section-b")}
    assert github.last("/user/teams").headers["authorization"] == "Bearer token-good-code"
    github.orgs["good-code"], github.teams["good-code"] = ["cs101"], []  # left a team
    sign_in_with_github(app, github)
    assert groups(app) == {("cs101", "")}


def test_when_github_will_not_say_memberships_are_kept(app: TestClient, github: FakeGitHub) -> None:
    org_room(app)
    sign_in_with_github(app, github)
    github.orgs_answer = lambda request: httpx2.Response(403, json={"message": "scope"})
    sign_in_with_github(app, github)  # signs in all the same
    assert ("cs101", "section-b") in groups(app)


def test_github_enterprise_answers_the_same_paths(
    app_client_factory: Callable[..., TestClient], github: FakeGitHub
) -> None:
    github.api_url = "https://ghe.test/api/v3"
    app = app_client_factory(github.transport, **{**SETTINGS, "github_api_url": github.api_url})
    org_room(app)
    sign_in_with_github(app, github)
    assert urlsplit(str(github.last("/user/orgs").url)).path == "/api/v3/user/orgs"
    assert ("cs101", "section-b") in groups(app)


def test_an_org_github_does_not_know_is_warned_about_and_kept(app: TestClient) -> None:
    host = org_room(app, "no-such-org")
    assert "GitHub knows no organisation “no-such-org”" in host
    assert "The roster keeps it" in host and 'value="no-such-org"' in host
    assert "GitHub knows no organisation" not in org_room(app, "cs101")
