"""An OpenID Connect provider as an `httpx2.MockTransport` handler: discovery, JWKS, a token
endpoint that signs ID tokens (RS256) and userinfo. Tests bend `id_claims`, `userinfo` or
`signing_key` to make it lie."""

from __future__ import annotations

import base64
import time
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.helpers.pkce import s256

ISSUER = "https://id.school.test"
DISCOVERY_URL = f"{ISSUER}/.well-known/openid-configuration"
CLIENT_ID = "crowdsource-oidc-client"
CLIENT_SECRET = "oidc-client-secret-0123456789"


@cache
def rsa_key(kid: str) -> RSAKey:
    """Keys are slow to make: one per kid for the whole run."""
    return RSAKey.generate_key(2048, parameters={"kid": kid})


class FakeOidc:
    def __init__(self) -> None:
        self.signing_key = rsa_key("good")
        self.nonces: dict[str, str] = {}  # authorization code -> nonce of that sign-in
        self.challenges: dict[str, str] = {}  # authorization code -> its S256 code challenge
        self.id_claims: dict[str, Any] = {"sub": "u-4711", "name": "Ada Lovelace"}
        self.userinfo: dict[str, Any] = {
            "sub": "u-4711",
            "preferred_username": "ada",
            "picture": "https://pictures.school.test/ada.png",
            "email": "ada@school.test",
        }
        self.metadata: dict[str, Any] = {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/authorize",
            "token_endpoint": f"{ISSUER}/token",
            "userinfo_endpoint": f"{ISSUER}/userinfo",
            "jwks_uri": f"{ISSUER}/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
        }
        self.discovery_down = False

    def authorize(self, url: str, code: str) -> dict[str, str]:
        """The browser visits the authorize `url` and the provider will answer with `code`:
        the code remembers that sign-in's nonce and PKCE challenge. Returns the URL's query."""
        query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
        self.nonces[code] = query.get("nonce", "")
        if query.get("code_challenge_method") == "S256":
            self.challenges[code] = query.get("code_challenge", "")
        return query

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        """Answer one request, as an `httpx2.MockTransport` handler."""
        url = str(request.url)
        if url == DISCOVERY_URL:
            if self.discovery_down:
                raise httpx2.ConnectError("simulated", request=request)
            return httpx2.Response(200, json=self.metadata)
        if url == f"{ISSUER}/jwks":
            return httpx2.Response(200, json={"keys": [rsa_key("good").as_dict(private=False)]})
        if url == f"{ISSUER}/token":
            return self.token(request)
        if url == f"{ISSUER}/userinfo":
            if request.headers.get("authorization") != "Bearer oidc-access-token":
                return httpx2.Response(401, json={"error": "invalid_token"})
            return httpx2.Response(200, json=self.userinfo)
        return httpx2.Response(404)

    def token(self, request: httpx2.Request) -> httpx2.Response:
        form = {key: values[0] for key, values in parse_qs(request.content.decode()).items()}
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {basic}":
            return httpx2.Response(401, json={"error": "invalid_client"})
        code = form.get("code", "")
        nonce = self.nonces.get(code)
        challenge = self.challenges.get(code)
        if nonce is None or not challenge or s256(form.get("code_verifier", "")) != challenge:
            return httpx2.Response(400, json={"error": "invalid_grant"})
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.id_claims,
        }
        header = {"alg": "RS256", "kid": self.signing_key.kid}
        id_token = jwt.encode(header, claims, self.signing_key)
        return httpx2.Response(
            200,
            json={
                "access_token": "oidc-access-token",
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
        )
