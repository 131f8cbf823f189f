"""The poll's owner: a browser-like HTTP client that signs in as a guest and creates polls
with the forms' CSRF tokens, like a person."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from crowdsource.auth.tokens import COOKIE_NAME

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ROOM_HOST = re.compile(r"/r/([A-Z0-9]{6})/host$")
STAGE_POLL = re.compile(r'id="stage"[^>]*data-poll="([^"]*)"')  # a room page's question


class _Stay(urllib.request.HTTPRedirectHandler):
    """Do not follow redirects: the 303 of a form is the answer wanted."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Owner:
    """A browser-like HTTP client with a cookie jar: sign in as a guest, create polls."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.opener = urllib.request.build_opener(cookies)
        self.stay = urllib.request.build_opener(cookies, _Stay())

    def _open(self, path: str, form: dict[str, Any] | None = None) -> tuple[str, str]:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        headers = {"Origin": self.base_url} if data is not None else {}
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers)
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def _csrf(self, path: str) -> str:
        match = CSRF.search(self._open(path)[1])
        if match is None:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1)

    def sign_in(self, name: str = "Bench Owner") -> None:
        """GET /login for the CSRF token and session cookie, POST /login/guest."""
        token = self._csrf("/login")
        self._open("/login/guest", {"name": name, "next": "/", "csrf_token": token})
        if not any(cookie.name == COOKIE_NAME for cookie in self.jar):
            raise RuntimeError("guest sign-in did not set the token cookie")

    @property
    def cookie(self) -> str:
        """The owner's token cookie, for the owner's own socket (the projector view)."""
        token = next(cookie.value for cookie in self.jar if cookie.name == COOKIE_NAME)
        return f"{COOKIE_NAME}={token}"

    def create_poll(
        self, show_voters: str, closes_in: int | None = None, kind: str = "single"
    ) -> str:
        """POST /polls with the form's CSRF token; returns the new poll's slug. With
        `closes_in`, voting ends that many minutes later (a close timer in the server);
        `kind="text"`: an open question (no responses)."""
        form = {
            "question": "How well do you follow?",
            "choices": ["Old hat", "Getting there", "Lost me"] if kind != "text" else [],
            "kind": kind,
            "results_visibility": "always",
            "show_voters": show_voters,
            "csrf_token": self._csrf("/"),
        }
        if closes_in is not None:
            form["closes_in"] = str(closes_in)
        final_url, _ = self._open("/polls", form)
        return final_url.rstrip("/").rsplit("/", 1)[1]

    def close_poll(self, slug: str) -> None:
        """The owner panel's "Close voting" button."""
        self._open(f"/polls/{slug}/close", {"csrf_token": self._csrf(f"/polls/{slug}")})

    def delete_poll(self, slug: str) -> None:
        """The delete page, confirmed: every open page of the poll is told it is gone."""
        token = self._csrf(f"/polls/{slug}/delete")
        self._open(f"/polls/{slug}/delete", {"confirm": "yes", "csrf_token": token})

    def create_room(self, name: str = "Bench room") -> str:
        """POST /rooms; returns the room's code (from the host console it lands on)."""
        final_url, _ = self._open("/rooms", {"name": name, "csrf_token": self._csrf("/rooms")})
        match = ROOM_HOST.search(final_url)
        if match is None:
            raise RuntimeError(f"creating a room landed on {final_url}")
        return match.group(1)

    def set_roster(self, code: str, logins: list[str]) -> None:
        """The host console's roster card: only these logins vote in the room."""
        form = {"members": "\n".join(logins), "csrf_token": self._csrf(f"/r/{code}/host")}
        final_url, page = self._open(f"/r/{code}/roster", form)
        if "only the people on the roster vote now" not in page:
            raise RuntimeError(f"setting room {code}'s roster landed on {final_url}")

    def current_question(self, code: str) -> str:
        """The slug of the question the room's screens show now."""
        match = STAGE_POLL.search(self._open(f"/r/{code}")[1])
        if match is None or not match.group(1):
            raise RuntimeError(f"room {code} shows no question")
        return match.group(1)

    def host_token(self, code: str) -> str:
        """The CSRF token of the room's host console (fetched before a timed launch)."""
        return self._csrf(f"/r/{code}/host")

    def ask_in_room(self, code: str, token: str, show_voters: str, question: str) -> None:
        """The host console's "Ask now": POST /r/{code}/polls with `launch=1`; returns at
        the 303, without loading the console again."""
        form = {
            "question": question,
            "choices": ["Old hat", "Getting there", "Lost me"],
            "results_visibility": "always",
            "show_voters": show_voters,
            "launch": "1",
            "csrf_token": token,
        }
        data = urllib.parse.urlencode(form, doseq=True).encode()
        request = urllib.request.Request(
            f"{self.base_url}/r/{code}/polls", data=data, headers={"Origin": self.base_url}
        )
        try:
            with self.stay.open(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as answer:
            status = answer.code
        if status != 303:
            raise RuntimeError(f"asking in room {code} answered {status}")

    def results(self, slug: str) -> dict[str, Any]:
        return json.loads(self._open(f"/polls/{slug}/results.json")[1])
