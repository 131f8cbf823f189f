"""GitHub avatars: the picture a sign-in keeps, its initials fallback, the policy that loads it."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.testclient import TestClient

from crowdsource.domain.models import User
from tests.helpers.client import create_poll, run, token_claims, vote
from tests.helpers.fake_github import FakeGitHub, ada
from tests.helpers.github_sign_in import come_back, start


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
