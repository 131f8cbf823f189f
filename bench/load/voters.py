"""Voters for the load test: each casts a few votes on a schedule, changing their mind each
time, and sends every vote again until the server acknowledges it, as a person would.

Over a socket a vote is acknowledged by the `vote-status-ok` fragment naming the response;
over the form (no JavaScript) by the `303` back to the poll. A vote is sent again when the
server refused it (slow down), the socket closed or the request failed before an answer (a
restart), or no acknowledgement came within ACK_TIMEOUT. Every attempt is recorded."""

from __future__ import annotations

import asyncio
import random
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import httpx2

from bench.common.crowd import vote_frame
from bench.common.owner import CSRF
from bench.load.pages import Page, reconnect_delay

ACK_TIMEOUT = 15.0
SOCKET, FORM = "socket", "form"


@dataclass(frozen=True)
class Attempt:
    """One try to get one vote stored. outcome: ok, refused, lost, timeout, or `http NNN`."""

    channel: str
    sent_at: float
    answered_at: float
    outcome: str


@dataclass
class Ballot:
    """The poll as voters see it: response ids and labels, the page URL."""

    base_url: str
    slug: str
    labels: dict[str, str]  # choice id -> label

    @property
    def page_path(self) -> str:
        return f"/polls/{self.slug}"

    @property
    def page_url(self) -> str:
        return self.base_url + self.page_path


@dataclass(eq=False)
class Voter(ABC):
    """One person: `times` are when (seconds after the start) they vote or change their mind."""

    user_id: int
    cookie: str
    times: list[float]
    rng: random.Random
    acked: str | None = None  # the last choice the server acknowledged
    pending: str | None = None  # sent, not yet acknowledged: may be stored already
    attempts: list[Attempt] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)  # press -> acknowledged, retries included

    channel = ""

    def next_choice(self, ballot: Ballot) -> str:
        others = [choice for choice in ballot.labels if choice != self.acked]
        return self.rng.choice(others)

    async def run(self, ballot: Ballot, start: float) -> None:
        for at in self.times:
            await asyncio.sleep(max(0.0, start + at - time.perf_counter()))
            choice = self.next_choice(ballot)
            began, self.pending = time.perf_counter(), choice
            await self.cast(ballot, choice)
            self.waits.append(time.perf_counter() - began)
            self.acked, self.pending = choice, None

    @abstractmethod
    async def cast(self, ballot: Ballot, choice: str) -> None:
        """Send one vote until the server acknowledges it, recording every attempt."""

    def record(self, sent_at: float, outcome: str) -> None:
        self.attempts.append(Attempt(self.channel, sent_at, time.perf_counter(), outcome))


@dataclass(eq=False)
class SocketVoter(Voter):
    """Votes over its own poll page's socket, which also shows it the live results."""

    page: Page | None = None

    channel = SOCKET

    async def cast(self, ballot: Ballot, choice: str) -> None:
        assert self.page is not None
        frame = vote_frame(choice, ballot.page_url)
        while True:
            await self.page.wait_open()  # htmx queues a vote made while reconnecting
            outcome_of = self.page.expect(ballot.labels[choice])
            sent_at = time.perf_counter()
            if not self.page.send(frame):
                await asyncio.sleep(0.05)
                continue
            try:
                outcome = await asyncio.wait_for(outcome_of, ACK_TIMEOUT)
            except TimeoutError:
                outcome = "timeout"
            self.record(sent_at, outcome)
            if outcome == "ok":
                return
            if outcome == "refused":
                await asyncio.sleep(1.0 + self.rng.random())


@dataclass(eq=False)
class FormVoter(Voter):
    """Votes with the plain form: GET the page for its CSRF token, POST, follow the 303."""

    client: httpx2.AsyncClient | None = None
    csrf: str | None = None
    retry: int = 0

    channel = FORM

    def open_client(self, ballot: Ballot) -> None:
        name, value = self.cookie.split("=", 1)
        self.client = httpx2.AsyncClient(
            base_url=ballot.base_url,
            cookies={name: value},
            timeout=ACK_TIMEOUT,
            limits=httpx2.Limits(max_connections=1, max_keepalive_connections=1),
        )

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()

    async def load_page(self, ballot: Ballot) -> None:
        assert self.client is not None
        response = await self.client.get(ballot.page_path)
        found = CSRF.search(response.text)
        if response.status_code != 200 or found is None:
            raise httpx2.HTTPError(f"poll page: HTTP {response.status_code}")
        self.csrf = found.group(1)

    async def cast(self, ballot: Ballot, choice: str) -> None:
        assert self.client is not None
        while True:
            sent_at, posted = time.perf_counter(), False
            try:
                if self.csrf is None:
                    await self.load_page(ballot)
                    sent_at = time.perf_counter()
                posted = True
                response = await self.client.post(
                    f"{ballot.page_path}/votes",
                    data={"choice": choice, "csrf_token": self.csrf},
                    headers={"Origin": ballot.base_url},
                )
            except httpx2.HTTPError:  # connection refused or cut: the server is restarting
                if posted:
                    self.record(sent_at, "lost")
                await asyncio.sleep(reconnect_delay(self.retry))
                self.retry += 1
                continue
            self.retry = 0
            outcome = answer(response, ballot)
            self.record(sent_at, outcome)
            if outcome == "ok":
                await self.after_vote(ballot)
                return
            if response.status_code == 403:
                self.csrf = None  # an expired form: reload the page
            await asyncio.sleep(1.0 + self.rng.random())

    async def after_vote(self, ballot: Ballot) -> None:
        """The browser follows the 303 to the page; its form has the next CSRF token."""
        try:
            await self.load_page(ballot)
        except httpx2.HTTPError:
            self.csrf = None  # the vote is in; the next one reloads the page first


def answer(response: httpx2.Response, ballot: Ballot) -> str:
    """ok: the 303 back to the poll (a 303 to /login means signed out: not stored)."""
    if response.status_code == 303 and response.headers.get("location") == ballot.page_path:
        return "ok"
    if response.status_code == 429:
        return "refused"
    return f"http {response.status_code}"
