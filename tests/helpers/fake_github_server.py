"""A stand-in for GitHub on 127.0.0.1 that a real browser can visit: an authorize page with
one button per known person (and "Cancel"), the token endpoint, `/api/v3/user` (and
`/api/v3/user/orgs`, `/api/v3/user/teams`) as GitHub Enterprise serves it (a code is
exchanged only with the PKCE verifier of a challenge its authorize page was shown with),
and avatars: an identicon per person, as GitHub draws for people without a photo (404 for
people listed in `broken_avatars`)."""

from __future__ import annotations

import hashlib
import json
from html import escape
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.helpers.pkce import s256
from tests.helpers.sites import LoopbackSite

CLIENT_ID = "browser-client-id"
CLIENT_SECRET = "browser-client-secret-0123456789"


def identicon_svg(login: str) -> str:
    """A 5x5 mirrored pattern in one colour, both taken from the login's hash."""
    digest = hashlib.md5(login.encode()).digest()
    cells = "".join(
        f'<rect x="{x + 0.5}" y="{row + 0.5}" width="1" height="1"/>'
        for row in range(5)
        for col in range(3)
        if digest[1 + row * 3 + col] % 2 == 0
        for x in sorted({col, 4 - col})
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 6 6" width="64" height="64">'
        f'<rect width="6" height="6" fill="#f0f0f0"/>'
        f'<g fill="hsl({digest[0] * 360 // 256},60%,48%)">{cells}</g></svg>'
    )


class FakeGitHubServer(LoopbackSite):
    def __init__(self, people: dict[str, str]) -> None:
        """`people`: login -> display name; each gets a numeric id from its position."""
        self.people = people
        self.broken_avatars: set[str] = set()
        self.challenges: set[str] = set()  # S256 code challenges of authorize pages shown
        self.orgs: dict[str, list[str]] = {}  # login -> organisations (`/user/orgs`)
        self.teams: dict[str, list[tuple[str, str]]] = {}  # login -> (org, team slug)
        super().__init__()
        self.api_url = f"{self.url}/api/v3"

    def env(self) -> dict[str, str]:
        """What the app under test needs to use this server as its GitHub."""
        return {
            "GITHUB_CLIENT_ID": CLIENT_ID,
            "GITHUB_CLIENT_SECRET": CLIENT_SECRET,
            "GITHUB_URL": self.url,
            "GITHUB_API_URL": self.api_url,
        }

    def profile(self, login: str) -> dict[str, Any]:
        return {
            "id": 1000 + list(self.people).index(login),
            "login": login,
            "name": self.people[login],
            "avatar_url": f"{self.url}/avatars/{login}.svg",
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: pytest shows failures, not access logs."""

            def send(self, status: int, body: str, content_type: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                if parts.path == "/login/oauth/authorize" and query.get("client_id") != CLIENT_ID:
                    self.send(400, "unknown client_id", "text/plain")
                elif parts.path == "/login/oauth/authorize":
                    if query.get("code_challenge_method") == "S256":
                        server.challenges.add(query.get("code_challenge", ""))
                    self.send(200, authorize_page(query, list(server.people)), "text/html")
                elif parts.path == "/api/v3/user":
                    login = self.headers.get("Authorization", "").removeprefix("Bearer token-")
                    if login in server.people:
                        self.send(200, json.dumps(server.profile(login)), "application/json")
                    else:
                        self.send(401, '{"message": "Bad credentials"}', "application/json")
                elif parts.path in ("/api/v3/user/orgs", "/api/v3/user/teams"):
                    login = self.headers.get("Authorization", "").removeprefix("Bearer token-")
                    if parts.path.endswith("/orgs"):
                        body = [{"login": org} for org in server.orgs.get(login, [])]
                    else:
                        body = [
                            {"slug": slug, "organization": {"login": org}}
                            for org, slug in server.teams.get(login, [])
                        ]
                    self.send(200, json.dumps(body), "application/json")
                elif parts.path.startswith("/avatars/"):
                    login = parts.path.removeprefix("/avatars/").removesuffix(".svg")
                    if login in server.people and login not in server.broken_avatars:
                        self.send(200, identicon_svg(login), "image/svg+xml")
                    else:
                        self.send(404, "not found", "text/plain")
                else:
                    self.send(404, "not found", "text/plain")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path != "/login/oauth/access_token":
                    self.send(404, "not found", "text/plain")
                elif form.get("client_secret") != CLIENT_SECRET:
                    self.send(200, '{"error": "incorrect_client_credentials"}', "application/json")
                elif form.get("code") not in server.people or (
                    s256(form.get("code_verifier", "")) not in server.challenges
                ):
                    self.send(200, '{"error": "bad_verification_code"}', "application/json")
                else:
                    token = {"access_token": f"token-{form['code']}", "token_type": "bearer"}
                    self.send(200, json.dumps(token), "application/json")

        return Handler


def authorize_page(query: dict[str, str], logins: list[str]) -> str:
    """GitHub's consent page, reduced to a choice of who you are: a GET form back to the app."""
    action = escape(query.get("redirect_uri", ""))
    state = escape(query.get("state", ""))
    buttons = "".join(
        f'<button name="code" value="{escape(login)}">Authorize as {escape(login)}</button>'
        for login in logins
    )
    return (
        "<!doctype html><title>Authorize application</title>"
        f'<form method="get" action="{action}"><input type="hidden" name="state" value="{state}">'
        f'{buttons}<button name="error" value="access_denied">Cancel</button></form>'
    )
