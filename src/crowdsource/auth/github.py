"""Sign in with GitHub, or GitHub Enterprise Server, through authlib's Starlette client."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx2
from authlib.integrations.starlette_client import OAuth
from starlette.requests import Request
from starlette.responses import Response

from crowdsource.auth.github_groups import organisation_exists, read_groups, scope_for
from crowdsource.auth.pictures import allowed_picture
from crowdsource.auth.providers import (
    check_access_token,
    check_callback,
    client_kwargs,
    explained,
    json_object,
    nonsense,
)
from crowdsource.domain.accounts import ProviderProfile
from crowdsource.domain.roster_store import any_room_uses_an_org
from crowdsource.settings import Settings

SCOPE = "read:user"
# GitHub logins are letters, digits and hyphens; Enterprise Managed Users add `_shortcode`.
# Nothing else may pass: a guest's `guest~` or an OpenID login's `@` can never be forged here.
LOGIN_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
ID_PATTERN = re.compile(r"[0-9]{1,20}")
AVATAR_SIZE = "80"  # 40 CSS pixels on a 2x screen; GitHub's default is 460


def sized_avatar(url: str) -> str:
    """GitHub's avatar URL with a size parameter, so phones do not fetch 460px pictures."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.setdefault("s", AVATAR_SIZE)
    return urlunsplit(parts._replace(query=urlencode(query)))


def profile_from_user(data: dict[str, Any]) -> ProviderProfile:
    """The profile in GitHub's `GET /user` answer; anything without a usable id or login is
    refused."""
    user_id, login = str(data.get("id")), data.get("login")
    if not (ID_PATTERN.fullmatch(user_id) and isinstance(login, str)):
        raise nonsense("GitHub")
    if not LOGIN_PATTERN.fullmatch(login):
        raise nonsense("GitHub")
    name = data.get("name")
    avatar = data.get("avatar_url")
    if isinstance(avatar, str) and avatar.startswith(("https://", "http://")):
        avatar = sized_avatar(avatar)
    else:
        avatar = ""  # the site draws one
    return ProviderProfile(
        provider="github",
        provider_id=user_id,
        login=login,
        name=name if isinstance(name, str) and name.strip() else login,
        avatar_url=avatar,
    )


class GitHubProvider:
    """OAuth 2 against `GITHUB_URL` (authorize, token) and `GITHUB_API_URL` (`/user`)."""

    name = "github"
    label = "GitHub"

    def __init__(
        self, settings: Settings, transport: httpx2.AsyncBaseTransport | None = None
    ) -> None:
        self.avatar_origins = settings.avatar_origins
        self.api_url = settings.github_api_url
        self.transport = transport
        self.client: Any = OAuth().register(
            name=self.name,
            client_id=settings.github_client_id,
            client_secret=settings.github_client_secret,
            authorize_url=f"{settings.github_url}/login/oauth/authorize",
            access_token_url=f"{settings.github_url}/login/oauth/access_token",
            api_base_url=f"{settings.github_api_url}/",
            client_kwargs={
                "scope": SCOPE,
                "token_endpoint_auth_method": "client_secret_post",
                **client_kwargs(transport),
            },
        )

    async def authorize_redirect(self, request: Request, redirect_uri: str) -> Response:
        scope = scope_for(SCOPE, await any_room_uses_an_org())
        return await self.client.authorize_redirect(request, redirect_uri, scope=scope)

    async def profile(self, request: Request) -> ProviderProfile:
        check_callback(request, self.label)
        with explained(self.label):
            token = await self.client.authorize_access_token(request)
            check_access_token(token, self.label)
            answer = await self.client.get(
                "user", token=token, headers={"Accept": "application/vnd.github+json"}
            )
            profile = profile_from_user(json_object(answer, self.label))
            if await any_room_uses_an_org():
                profile = replace(profile, groups=await read_groups(self.client, token))
            return allowed_picture(profile, self.avatar_origins)

    async def org_exists(self, org: str) -> bool | None:
        """Whether GitHub knows the organisation `org` (None: GitHub did not say)."""
        return await organisation_exists(self.api_url, org, self.transport)
