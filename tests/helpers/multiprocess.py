"""Two real `crowdsource serve` processes behind one public URL, and the people who use them:
an HTTP client with its cookies (guest sign-in through the forms) and `websockets` sockets
that send the shared PUBLIC_URL as their Origin, as a browser behind the load balancer would.
The multi-process tests' fixtures (tests/conftest.py) are built from these."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx2
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

from crowdsource.auth.tokens import COOKIE_NAME
from tests.helpers.client import csrf_of
from tests.helpers.live_server import LiveServer

WAIT = 15.0  # seconds; generous bound for one message to arrive, never a speed claim
REDIS_RETURN_WAIT = 30.0  # the listener's backoff is capped at 5 s; this bounds reconnect+resync
QUIET = 1.0  # how long "nothing arrives" is watched for
PUBLIC_URL = "http://polls.crowdsource.test"  # the load balancer both processes stand behind
CHOICES = ["Old hat", "Okay", "No idea"]

TOTAL = re.compile(r'data-total-votes="(\d+)"')
CHOICE_VOTES = re.compile(r'data-choice-id="(\d+)" data-votes="(\d+)"')
STATE = re.compile(r'id="results"[^>]*data-state="(\w+)"')
WATCHING = re.compile(r"(\d+) (?:watching|in the room)")
STATUS = re.compile(r'<p id="vote-status"[^>]*>(.*?)</p>', re.DOTALL)
STAGE_POLL = re.compile(r'id="stage"[^>]*data-poll="([^"]*)"')


def start_two(tmp_path: Path, env: dict[str, str]) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Processes A and B with the same settings, as behind a load balancer; their logs are
    printed at the end (shown when a test fails)."""
    servers = [LiveServer(tmp_path / name, env) for name in ("a", "b")]
    try:
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_until_ready()
        yield servers[0], servers[1]
    finally:
        for name, server in zip("AB", servers, strict=True):
            server.stop()
            print(f"--- log of process {name} ---\n{server.log()}")


class Screen:
    """What one open page shows, as far as the numbers go: updated from every fragment the
    server pushes (full states and deltas carry the same attributes). On a room's socket,
    `poll` is the question its `#stage` shows ("" while it waits)."""

    def __init__(self, socket: ClientConnection, name: str) -> None:
        self.socket = socket
        self.name = name
        self.total: int | None = None
        self.votes: dict[str, int] = {}
        self.state: str | None = None
        self.status = ""
        self.watching: int | None = None
        self.poll: str | None = None
        self.seen: list[str] = []  # every fragment pushed, in order

    def apply(self, message: str) -> None:
        self.seen.append(message)
        for poll in STAGE_POLL.findall(message):
            self.poll, self.total, self.votes, self.state = poll, None, {}, None
        for total in TOTAL.findall(message):
            self.total = int(total)
        for choice_id, votes in CHOICE_VOTES.findall(message):
            self.votes[choice_id] = int(votes)
        for state in STATE.findall(message):
            self.state = state
        for watching in WATCHING.findall(message):
            self.watching = int(watching)
        for status in STATUS.findall(message):
            self.status = html.unescape(status.strip())

    def shows(self, total: int, votes: dict[str, int] | None = None) -> bool:
        return self.total == total and (votes is None or self.votes == votes)

    async def expect(
        self, condition: Callable[[Screen], bool], what: str, within: float = WAIT
    ) -> None:
        """Read pushed fragments until `condition` holds; fail after `within` seconds."""
        try:
            async with asyncio.timeout(within):
                while not condition(self):
                    self.apply(await self._next())
        except TimeoutError:
            raise AssertionError(f"no {what} within {within:.0f} s on {self}") from None

    def __str__(self) -> str:
        return (
            f"{self.name}: total={self.total} votes={self.votes} state={self.state} "
            f"poll={self.poll!r} status={self.status!r}"
        )

    async def quiet_for(self, seconds: float = QUIET) -> None:
        """Apply whatever arrives during `seconds` (to check that something did not change)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                while True:
                    self.apply(await self._next())

    async def _next(self) -> str:
        message = await self.socket.recv()
        assert isinstance(message, str), "the server sends text frames"
        return message

    async def vote(self, choice: str, **fields: str) -> None:
        """Vote over this socket, as htmx's ws extension sends the form (a room's form adds
        `poll`); wait for the answer."""
        self.status = ""
        await self.socket.send(json.dumps({"choice": choice, **fields, "HEADERS": {}}))
        await self.expect(lambda s: s.status != "", "answer to the vote")
        assert is_in(self.status), self.status


def is_in(text: str) -> bool:
    """The confirmation a voter gets: “Your vote for “…” is in.”"""
    return re.search(r"Your vote for “[^”]+” is in\.", text) is not None


class Person:
    """Someone at a browser: one cookie jar across both processes (the cookie is signed with
    the shared secret, so either process accepts it, as behind a load balancer)."""

    def __init__(self, http: httpx2.AsyncClient) -> None:
        self.http = http

    async def sign_in(self, server: LiveServer, name: str) -> Person:
        login = await self.http.get(f"{server.url}/login")
        response = await self.http.post(
            f"{server.url}/login/guest",
            data={"name": name, "next": "/", "csrf_token": csrf_of(login.text)},
        )
        assert response.status_code == 303, response.text
        assert self.http.cookies.get(COOKIE_NAME)
        return self

    async def create_poll(self, server: LiveServer, **fields: str) -> str:
        home = await self.http.get(f"{server.url}/")
        data: dict[str, Any] = {
            "question": "How well do you follow?",
            "choices": CHOICES,
            "csrf_token": csrf_of(home.text),
            **fields,
        }
        response = await self.http.post(f"{server.url}/polls", data=data)
        assert response.status_code == 303, response.text
        return response.headers["location"].rsplit("/", 1)[1]

    async def vote_by_form(self, server: LiveServer, slug: str, choice: str) -> None:
        poll_page = await self.http.get(f"{server.url}/polls/{slug}")
        response = await self.http.post(
            f"{server.url}/polls/{slug}/votes",
            data={"choice": choice, "csrf_token": csrf_of(poll_page.text)},
        )
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"/polls/{slug}"
        back = await self.http.get(f"{server.url}/polls/{slug}")
        assert is_in(html.unescape(back.text)), "no confirmation after the form vote"

    async def start_round(self, server: LiveServer, slug: str) -> None:
        """The owner panel's "Vote again" (POST /polls/{slug}/rounds)."""
        poll_page = await self.http.get(f"{server.url}/polls/{slug}")
        response = await self.http.post(
            f"{server.url}/polls/{slug}/rounds", data={"csrf_token": csrf_of(poll_page.text)}
        )
        assert response.status_code == 303, response.text

    async def results(self, server: LiveServer, slug: str) -> dict[str, Any]:
        response = await self.http.get(f"{server.url}/polls/{slug}/results.json")
        assert response.status_code == 200, response.text
        return response.json()

    async def create_room(self, server: LiveServer, name: str = "CS 101") -> str:
        """POST /rooms through its form; returns the room's code."""
        rooms = await self.http.get(f"{server.url}/rooms")
        response = await self.http.post(
            f"{server.url}/rooms", data={"name": name, "csrf_token": csrf_of(rooms.text)}
        )
        assert response.status_code == 303, response.text
        return response.headers["location"].split("/")[2]

    async def ask(self, server: LiveServer, code: str, question: str) -> str:
        """The host console's "Ask now" (launch=1); returns the slug every screen shows."""
        host = await self.http.get(f"{server.url}/r/{code}/host")
        response = await self.http.post(
            f"{server.url}/r/{code}/polls",
            data={
                "question": question,
                "choices": CHOICES,
                "launch": "1",
                "csrf_token": csrf_of(host.text),
            },
        )
        assert response.status_code == 303, response.text
        page = await self.http.get(f"{server.url}/r/{code}")
        found = STAGE_POLL.search(page.text)
        assert found and found.group(1), "no current question after asking"
        return found.group(1)

    @asynccontextmanager
    async def watch(
        self, server: LiveServer, slug: str, view: str | None = None
    ) -> AsyncIterator[Screen]:
        """An open page of the poll on `server`: its socket, signed in when this person is."""
        async with self._open(server, f"/polls/{slug}/ws", view) as screen:
            await screen.expect(lambda s: s.total is not None or s.state is not None, "state")
            yield screen

    @asynccontextmanager
    async def watch_room(
        self, server: LiveServer, code: str, view: str | None = None
    ) -> AsyncIterator[Screen]:
        """An open page of the room on `server` (`view`: "room" the projector, "host" the
        console): its socket, once its first `#stage` arrived."""
        async with self._open(server, f"/r/{code}/ws", view) as screen:
            await screen.expect(lambda s: s.poll is not None, "stage")
            yield screen

    @asynccontextmanager
    async def _open(self, server: LiveServer, path: str, view: str | None) -> AsyncIterator[Screen]:
        query = f"?view={view}" if view else ""
        token = self.http.cookies.get(COOKIE_NAME)
        async with connect(
            f"{server.ws_url}{path}{query}",
            origin=Origin(PUBLIC_URL),
            additional_headers={"Cookie": f"{COOKIE_NAME}={token}"} if token else None,
            compression=None,
            open_timeout=WAIT,
        ) as socket:
            yield Screen(socket, f"{view or 'page'} of {path} on {server.url}")


@asynccontextmanager
async def making_people() -> AsyncIterator[Callable[[], Person]]:
    """Make people; their HTTP clients are closed at the end."""
    clients: list[httpx2.AsyncClient] = []

    def make() -> Person:
        clients.append(httpx2.AsyncClient(timeout=WAIT, follow_redirects=False))
        return Person(clients[-1])

    try:
        yield make
    finally:
        for client in clients:
            await client.aclose()
