"""People on (and off) a room's roster: GitHub or school users signed in on a test client
without the OAuth dance (tests/web/test_routes_github_orgs.py drives that), and the roster
set through the host console's form."""

from __future__ import annotations

import itertools
from typing import Any

from starlette.testclient import TestClient

from crowdsource.auth.tokens import COOKIE_NAME, issue_token
from crowdsource.domain.accounts import ProviderProfile, sign_in_with_profile
from crowdsource.domain.models import User
from crowdsource.domain.roster_models import GitHubMembership
from crowdsource.web.urls import initials_avatar
from tests.helpers.client import run
from tests.helpers.rooms import host_post

_ids = itertools.count(50_000)


async def github_user(login: str, groups: tuple[tuple[str, str], ...] = ()) -> User:
    """A GitHub user `login`, member of `groups` ((org, team "") as read at sign-in)."""
    number = next(_ids)
    provider = "oidc" if "@" in login else "github"
    user = await sign_in_with_profile(
        ProviderProfile(provider, str(number), login, login.title(), ""), initials_avatar
    )
    for org, team in groups:
        await GitHubMembership.create(user=user, org=org, team=team)
    return user


def sign_in_as(client: TestClient, login: str, *groups: tuple[str, str]) -> User:
    """`client` is now signed in as the GitHub (or, with an `@`, school) user `login`."""
    user: User = run(client, github_user, login, tuple(groups))
    settings = client.app.state.settings  # type: ignore[attr-defined]
    client.cookies[COOKIE_NAME] = issue_token(user, settings.secret_key, settings.public_origin)
    return user


def set_roster(
    client: TestClient, code: str, members: str = "", org: str = "", team: str = ""
) -> Any:
    """The host console's roster form, posted."""
    return host_post(client, f"/r/{code}/roster", members=members, github_org=org, github_team=team)
