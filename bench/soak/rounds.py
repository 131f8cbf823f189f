"""One poll's life, the unit the soak repeats: created, watched by sockets that vote, drop
(some abruptly), stall or leave, then closed and deleted. Every step is bounded in time."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from bench.common.owner import Owner
from bench.soak.options import MAX_ROUNDS, REQUEST_TIMEOUT, ROUND_TIMEOUT, Sizes

STALLED_BUFFER = 4096  # bytes a stalled reader's kernel accepts before the server must wait


@dataclass
class Page:
    """One open socket and, unless it stalls, the task that reads it."""

    connection: ClientConnection
    reader: asyncio.Task[None] | None
    signed_in: bool = False

    def drop(self) -> None:
        """Gone without a close frame: a phone out of coverage."""
        if self.reader is not None:
            self.reader.cancel()
        self.connection.transport.abort()

    async def leave(self) -> None:
        """A close frame and its answer; a stalled page, which reads nothing, just goes."""
        if self.reader is None:
            self.drop()
            return
        self.reader.cancel()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.connection.close(), REQUEST_TIMEOUT)
        self.connection.transport.abort()


async def read_all(connection: ClientConnection) -> None:
    with contextlib.suppress(Exception):
        async for _ in connection:
            pass


async def open_page(uri: str, cookie: str | None, stalled: bool) -> Page:
    headers = {"Cookie": cookie} if cookie else {}
    sock = None
    if stalled:
        host, port = uri.split("//", 1)[1].split("/", 1)[0].split(":")
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, STALLED_BUFFER)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
    connection = await connect(
        uri,
        additional_headers=headers,
        open_timeout=REQUEST_TIMEOUT,
        max_queue=1 if stalled else 16,
        sock=sock,
    )
    reader = None if stalled else asyncio.create_task(read_all(connection))
    return Page(connection, reader, signed_in=cookie is not None)


class Rounds:
    """Polls' lives, `rounds_at_once` at a time, until `deadline` (loop time)."""

    def __init__(self, owner: Owner, ws_url: str, cookies: Sequence[str], sizes: Sizes) -> None:
        self.owner = owner
        self.ws_url = ws_url
        self.cookies = cookies
        self.sizes = sizes
        self.done: Counter[str] = Counter()

    async def run_until(self, deadline: float, seed: int) -> None:
        await asyncio.gather(
            *(
                self._worker(deadline, random.Random(seed + n))
                for n in range(self.sizes.rounds_at_once)
            )
        )

    async def _worker(self, deadline: float, rng: random.Random) -> None:
        loop = asyncio.get_running_loop()
        for _ in range(MAX_ROUNDS):
            if loop.time() >= deadline:
                return
            try:
                async with asyncio.timeout(ROUND_TIMEOUT):
                    await self.one_round(rng)
            except Exception as error:  # a refused socket or a slow request: count it, go on
                self.done[f"error {type(error).__name__}"] += 1

    async def one_round(self, rng: random.Random) -> None:
        sizes = self.sizes
        closes_in = 1 if rng.random() < sizes.timed_share else None
        slug = await asyncio.to_thread(self.owner.create_poll, "everyone", closes_in)
        self.done["polls"] += 1
        pages: list[Page] = []
        deleted = False
        try:
            choices = (await asyncio.to_thread(self.owner.results, slug))["choices"]
            uri = f"{self.ws_url}/polls/{slug}/ws"
            cookies = rng.sample(list(self.cookies), sizes.sockets // 2)
            for n in range(sizes.sockets):
                stalled = rng.random() < sizes.stall_share
                cookie = cookies[n] if n < len(cookies) and not stalled else None
                pages.append(await open_page(uri, cookie, stalled))
                self.done["sockets"] += 1
            await self._vote([page for page in pages if page.signed_in], choices, rng)
            for page in rng.sample(pages, round(len(pages) * sizes.drop_share)):
                page.drop()
                pages.remove(page)
                self.done["dropped"] += 1
            await asyncio.sleep(rng.uniform(0.5, 2.0))  # watched a while
            await self._end(slug, pages, rng)
            deleted = True
        finally:
            for page in pages:
                page.drop()
            if not deleted:  # cut short: the poll (and its close timer) must not stay
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(self.owner.delete_poll, slug)

    async def _vote(
        self, voters: Sequence[Page], choices: Sequence[dict[str, Any]], rng: random.Random
    ) -> None:
        for _ in range(rng.randint(1, 3)):
            for page in voters:
                choice = rng.choice(choices)["id"]
                await page.connection.send(json.dumps({"choice": str(choice)}))
                self.done["votes"] += 1
            await asyncio.sleep(rng.uniform(0.1, 0.5))

    async def _end(self, slug: str, pages: list[Page], rng: random.Random) -> None:
        """Delete with the pages open (the server closes them), or after they left, or
        after closing the poll first."""
        ending = rng.choice(("delete-open", "leave-then-delete", "close-then-delete"))
        if ending == "leave-then-delete":
            await asyncio.gather(*(page.leave() for page in pages))
            pages.clear()
        if ending == "close-then-delete":
            await asyncio.to_thread(self.owner.close_poll, slug)
        await asyncio.to_thread(self.owner.delete_poll, slug)
        self.done[ending] += 1
