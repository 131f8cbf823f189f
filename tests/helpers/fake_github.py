"""GitHub's three OAuth endpoints as an `httpx2.MockTransport` handler, with switchable
failures: route tests drive the whole sign-in without a network."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2

from tests.helpers.pkce import s256

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret-0123456789"
GITHUB_URL = "https://github.test"
API_URL = "https://api.github.test"
# The app's settings (`Settings` fields) that send its GitHub sign-in to this fake.
SETTINGS = {
    "github_client_id": CLIENT_ID,
    "github_client_secret": CLIENT_SECRET,
    "github_url": GITHUB_URL,
    "github_api_url": API_URL,
}

Answer = Callable[[httpx2.Request], httpx2.Response]


def ada(**changes: Any) -> dict[str, Any]:
    """GitHub's `/user` answer for one person; `changes` override fields."""
    user: dict[str, Any] = {
        "id": 583231,
        "login": "octo-ada",
        "name": "Ada Lovelace",
        "avatar_url": "https://avatars.github.test/u/583231?v=4",
        "email": None,
    }
    user.update(changes)
    return user


class FakeGitHub:
    """Knows one user per authorization code. Set `token_answer` or `user_answer` to make an
    endpoint misbehave; every request is kept in `requests`. As GitHub does with PKCE, a code
    is only exchanged with the `code_verifier` of a challenge its authorize URL carried."""

    def __init__(self, api_url: str = API_URL) -> None:
        self.api_url = api_url
        self.users: dict[str, dict[str, Any]] = {"good-code": ada()}
        self.token_answer: Answer | None = None
        self.user_answer: Answer | None = None
        self.requests: list[httpx2.Request] = []
        self.challenges: set[str] = set()  # S256 code challenges of authorize URLs seen
        # Memberships per authorization code: `GET /user/orgs` and `GET /user/teams`
        # (`(org, team slug)`); `orgs_answer` makes those misbehave. `known_orgs`: what
        # `GET /orgs/{org}` finds.
        self.orgs: dict[str, list[str]] = {}
        self.teams: dict[str, list[tuple[str, str]]] = {}
        self.orgs_answer: Answer | None = None
        self.known_orgs: set[str] = set()

    def authorize(self, url: str) -> dict[str, str]:
        """The browser visits GitHub's authorize `url`: its query, the challenge kept."""
        query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
        if query.get("code_challenge_method") == "S256" and query.get("code_challenge"):
            self.challenges.add(query["code_challenge"])
        return query

    @property
    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handle)

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        url = str(request.url).split("?")[0]
        if url == f"{GITHUB_URL}/login/oauth/access_token":
            return (self.token_answer or self.token)(request)
        if url == f"{self.api_url}/user":
            return (self.user_answer or self.user)(request)
        if url in (f"{self.api_url}/user/orgs", f"{self.api_url}/user/teams"):
            return (self.orgs_answer or self.memberships)(request)
        if url.startswith(f"{self.api_url}/orgs/"):
            org = url.rsplit("/", 1)[1]
            if org.lower() in self.known_orgs:
                return httpx2.Response(200, json={"login": org, "type": "Organization"})
        return httpx2.Response(404, json={"message": "Not Found"})

    def token(self, request: httpx2.Request) -> httpx2.Response:
        form = {key: values[0] for key, values in parse_qs(request.content.decode()).items()}
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return httpx2.Response(200, json={"error": "incorrect_client_credentials"})
        if form.get("code") not in self.users:
            return httpx2.Response(200, json={"error": "bad_verification_code"})
        if s256(form.get("code_verifier", "")) not in self.challenges:
            return httpx2.Response(200, json={"error": "bad_verification_code"})
        return httpx2.Response(
            200,
            json={"access_token": f"token-{form['code']}", "token_type": "bearer", "scope": ""},
        )

    def user(self, request: httpx2.Request) -> httpx2.Response:
        bearer = request.headers.get("authorization", "")
        code = bearer.removeprefix("Bearer token-")
        if not bearer.startswith("Bearer token-") or code not in self.users:
            return httpx2.Response(401, json={"message": "Bad credentials"})
        return httpx2.Response(200, json=self.users[code])

    def memberships(self, request: httpx2.Request) -> httpx2.Response:
        """GitHub's `/user/orgs` or `/user/teams` page for the token's person (one page)."""
        code = request.headers.get("authorization", "").removeprefix("Bearer token-")
        if code not in self.users:
            return httpx2.Response(401, json={"message": "Bad credentials"})
        if request.url.path.endswith("/orgs"):
            return httpx2.Response(200, json=[{"login": org} for org in self.orgs.get(code, [])])
        teams = [
            {"slug": slug, "name": slug.title(), "organization": {"login": org}}
            for org, slug in self.teams.get(code, [])
        ]
        return httpx2.Response(200, json=teams)

    def last(self, path_end: str) -> httpx2.Request:
        return next(r for r in reversed(self.requests) if r.url.path.endswith(path_end))
