"""Sign in with any OpenID Connect provider (GitLab, Google Workspace, Keycloak, …) found
through its discovery document; the ID token is verified by authlib against the provider's
keys, issuer, our client id and the nonce of this browser's sign-in."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import httpx2
from authlib.integrations.starlette_client import OAuth
from starlette.requests import Request
from starlette.responses import Response

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
from crowdsource.settings import Settings

SCOPE = "openid profile email"
# `@` never appears in a GitHub login and `~` marks guests: `ada@school` cannot be either.
USERNAME_STRIP = re.compile(r"[^A-Za-z0-9._-]+")
USERNAME_MAX = 60
SUFFIX_MAX = 30
PROVIDER_ID_MAX = 100
# Users are keyed by issuer and subject: `sub` is unique only within its issuer.
SUBJECT_KEY_PREFIX = "iss+sub:"


def login_suffix(provider_name: str) -> str:
    """`OIDC_NAME` as the part after `@` in logins: "School Login" -> "school-login"."""
    slug = re.sub(r"[^a-z0-9]+", "-", provider_name.lower()).strip("-")[:SUFFIX_MAX]
    return slug.strip("-") or "oidc"


def _text(claims: dict[str, Any], key: str) -> str:
    value = claims.get(key)
    return value.strip() if isinstance(value, str) else ""


def legacy_provider_id(subject: str) -> str:
    """The id stored before users were keyed by issuer: `sub`, or its hash when long. A row
    stored so is moved to the issuer's key the first time its person signs in again."""
    if len(subject) <= PROVIDER_ID_MAX:
        legacy = subject
    else:
        legacy = "sha256:" + hashlib.sha256(subject.encode()).hexdigest()
    # A subject that looks like a new key must never claim another person's row.
    return "" if legacy.startswith(SUBJECT_KEY_PREFIX) else legacy


def subject_key(issuer: str, subject: str) -> str:
    """The id of one person at one issuer: the same `sub` at two issuers is two people."""
    pair = json.dumps([issuer, subject], ensure_ascii=False)
    return SUBJECT_KEY_PREFIX + hashlib.sha256(pair.encode()).hexdigest()


def email_verified(claims: dict[str, Any]) -> bool:
    """Only a provider that vouches for the address may lend it to a login (some providers
    send the flag as a string)."""
    flag = claims.get("email_verified")
    return flag is True or (isinstance(flag, str) and flag.lower() == "true")


def wanted_username(claims: dict[str, Any], subject: str) -> str:
    """`preferred_username`, else the local part of a verified e-mail, cleaned; else a name
    made from `sub`. Two people may want the same: logins.allocate_login decides."""
    email = _text(claims, "email") if email_verified(claims) else ""
    for raw in (_text(claims, "preferred_username"), email.partition("@")[0]):
        cleaned = USERNAME_STRIP.sub("", raw)[:USERNAME_MAX].strip("._-")
        if cleaned:
            return cleaned
    return "user-" + hashlib.sha256(subject.encode()).hexdigest()[:8]


def profile_from_claims(
    claims: dict[str, Any], suffix: str, label: str, issuer: str
) -> ProviderProfile:
    """A profile from verified ID token (and userinfo) claims of `issuer`; `sub` is required."""
    subject = _text(claims, "sub")
    if not subject or not issuer:
        raise nonsense(label)
    username = wanted_username(claims, subject)
    full_name = " ".join(filter(None, (_text(claims, "given_name"), _text(claims, "family_name"))))
    picture = _text(claims, "picture")
    return ProviderProfile(
        provider="oidc",
        provider_id=subject_key(issuer, subject),
        login=f"{username}@{suffix}",
        name=_text(claims, "name") or full_name or username,
        avatar_url=picture if picture.startswith(("https://", "http://")) else "",
        previous_id=legacy_provider_id(subject),
    )


class OidcProvider:
    """Authorization code flow with a nonce; claims from the ID token, topped up by userinfo."""

    name = "oidc"

    def __init__(
        self, settings: Settings, transport: httpx2.AsyncBaseTransport | None = None
    ) -> None:
        self.label = settings.oidc_name
        self.client_id = settings.oidc_client_id
        self.suffix = login_suffix(settings.oidc_name)
        self.avatar_origins = settings.avatar_origins
        self.client: Any = OAuth().register(
            name=self.name,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            server_metadata_url=settings.oidc_discovery_url,
            client_kwargs={"scope": SCOPE, **client_kwargs(transport)},
        )

    async def authorize_redirect(self, request: Request, redirect_uri: str) -> Response:
        return await self.client.authorize_redirect(request, redirect_uri)

    async def profile(self, request: Request) -> ProviderProfile:
        check_callback(request, self.label)
        with explained(self.label):
            metadata = await self.client.load_server_metadata()
            token = await self.client.authorize_access_token(
                request,
                claims_options={
                    "iss": {"essential": True, "values": [metadata.get("issuer")]},
                    "aud": {"essential": True, "values": [self.client_id]},
                    "sub": {"essential": True},
                },
            )
            check_access_token(token, self.label)
            claims = token.get("userinfo")
            if not isinstance(claims, dict):
                raise nonsense(self.label)
            claims = dict(claims)
            issuer = _text(claims, "iss")  # the ID token's, checked against the metadata
            if metadata.get("userinfo_endpoint"):
                answer = await self.client.get(metadata["userinfo_endpoint"], token=token)
                extra = json_object(answer, self.label)
                if extra.get("sub") != claims.get("sub"):
                    raise nonsense(self.label)
                claims.update(extra)
            profile = profile_from_claims(claims, self.suffix, self.label, issuer)
            return allowed_picture(profile, self.avatar_origins)
