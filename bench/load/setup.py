"""The load test's set-up and tear-down: voters minted, the server started, the owner's poll,
every page's socket and every form voter's first page; and all of it closed again."""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from bench.common.owner import Owner
from bench.common.servers import crowdsource_server, sqlite_url, stop
from bench.common.voters import mint_voters
from bench.load.options import LIMITS, OPEN_PARALLEL, Sizes
from bench.load.pages import Page
from bench.load.restart import Monitor
from bench.load.voters import Ballot, FormVoter, SocketVoter, Voter
from tests.helpers.live_server import LiveServer


@dataclass
class Run:
    sizes: Sizes
    server: LiveServer
    owner: Owner
    ballot: Ballot
    viewers: list[Page]
    voters: list[Voter]
    monitor: Monitor

    @property
    def pages(self) -> list[Page]:
        return self.viewers + [v.page for v in self.voters if isinstance(v, SocketVoter) and v.page]


def user_id(cookie: str) -> int:
    """The `sub` of a minted token (this process signed it)."""
    return int(jwt.decode(cookie.split("=", 1)[1], options={"verify_signature": False})["sub"])


def make_voters(
    sizes: Sizes, cookies: Sequence[str], uri: str, origin: str, seed: int
) -> list[Voter]:
    rng = random.Random(seed)
    by_form = set(rng.sample(range(sizes.voters), sizes.form_voters))
    in_burst = set(rng.sample(range(sizes.voters), round(sizes.voters * sizes.burst)))
    voters: list[Voter] = []
    for n, cookie in enumerate(cookies):
        own = random.Random(seed * 100_003 + n)
        times = [own.uniform(0, sizes.seconds) for _ in range(sizes.votes)]
        if n in in_burst:  # in flight when SIGTERM comes
            times[-1] = sizes.restart_s + own.uniform(-0.1, 0.0)
        times.sort()
        if n in by_form:
            voters.append(FormVoter(user_id(cookie), cookie, times, own))
        else:
            page = Page(uri, origin, cookie)
            voters.append(SocketVoter(user_id(cookie), cookie, times, own, page=page))
    return voters


async def gated(jobs: Sequence[Any], parallel: int = OPEN_PARALLEL) -> None:
    gate = asyncio.Semaphore(parallel)

    async def one(job: Any) -> None:
        async with gate:
            await job

    await asyncio.gather(*(one(job) for job in jobs))


async def set_up(sizes: Sizes, workdir: Path, args: argparse.Namespace) -> Run:
    secret = secrets.token_urlsafe(48)
    data_dir = workdir / "app"
    print(f"Work folder {workdir}; minting {sizes.voters:,} voters …", flush=True)
    server = crowdsource_server(data_dir, secret, deflate=False, src=args.src.resolve())
    # The tokens' issuer is the server's PUBLIC_URL: its default, the server's URL.
    cookies = await mint_voters(sqlite_url(data_dir), secret, server.url, sizes.voters)
    server.env.update(LIMITS, LOG_LEVEL="info")  # the log shows the shutdown and its errors
    await asyncio.to_thread(server.start)
    try:
        return await open_everything(sizes, server, cookies, args)
    except BaseException:
        await asyncio.to_thread(stop, server)
        raise


async def open_everything(
    sizes: Sizes, server: LiveServer, cookies: list[str], args: argparse.Namespace
) -> Run:
    """The owner's poll, every page's socket and every form voter's first page."""
    owner = Owner(server.url)
    await asyncio.to_thread(owner.sign_in)
    slug = await asyncio.to_thread(owner.create_poll, args.show_voters)
    results = await asyncio.to_thread(owner.results, slug)
    ballot = Ballot(server.url, slug, {c["id"]: c["label"] for c in results["choices"]})
    uri = f"ws://127.0.0.1:{server.port}/polls/{slug}/ws"
    viewers = [
        Page(uri, server.url, owner.cookie if n == 0 else None) for n in range(sizes.viewers)
    ]
    voters = make_voters(sizes, cookies, uri, server.url, args.seed)
    monitor = Monitor(server)
    run = Run(sizes, server, owner, ballot, viewers, voters, monitor)
    print(f"Opening {len(run.pages):,} poll pages and {sizes.form_voters:,} forms …", flush=True)
    await gated([page.first_open() for page in run.pages])
    forms = [voter for voter in voters if isinstance(voter, FormVoter)]
    for voter in forms:
        voter.open_client(ballot)
    await gated([voter.load_page(ballot) for voter in forms])
    return run


async def tear_down(run: Run) -> None:
    await run.monitor.stop()
    await asyncio.gather(*(page.stop() for page in run.pages))
    await asyncio.gather(*(v.close() for v in run.voters if isinstance(v, FormVoter)))
    await asyncio.to_thread(stop, run.server)
