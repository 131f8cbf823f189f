"""The benchmark itself (__main__.py chose which source folder's crowdsource it imports)."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send
from tortoise.context import TortoiseContext

from bench import large_poll
from bench.common.voters import unsaved_students
from crowdsource.app import create_app, tune_garbage_collector
from crowdsource.domain import clock
from crowdsource.domain.db import migrate, tortoise_config
from crowdsource.domain.models import Choice, Poll, Room, User, Vote
from crowdsource.settings import Settings

ROOM_CODE = "LARGE2"  # the room whose current question the poll is


async def seed(database_url: str, votes: int, responses: int) -> str:
    """A poll shown with its voters to everyone, the current question of a room, and
    `votes` guests' votes, in bulk."""
    await migrate(database_url)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        owner = await User.create(
            provider="guest",
            provider_id="owner",
            login="guest~owner",
            name="Owner",
            avatar_url="/avatars/guest~owner.svg",
        )
        room = await Room.create(code=ROOM_CODE, owner=owner, name="A large course")
        poll = await Poll.create(
            slug="large2000000",
            owner=owner,
            question="Which one?",
            show_voters="everyone",
            room=room,
        )
        room.current = poll
        await room.save()
        choices = [
            await Choice.create(poll=poll, label=f"Response {n + 1}", position=n)
            for n in range(responses)
        ]
        await User.bulk_create(unsaved_students(votes, "g"), batch_size=1000)
        stored = await User.filter(provider_id__startswith="g").order_by("id")
        now = clock.now()
        await Vote.bulk_create(
            [
                Vote(poll=poll, choice=choices[n % responses], voter=user, cast_at=now)
                for n, user in enumerate(stored)
            ],
            batch_size=1000,
        )
        return poll.slug


class ServerClock:
    """The app, timed where it runs: the wall time from the request's arrival to its last
    byte, and the CPU time the process spent meanwhile (the event loop and the database's
    thread; the test client only waits then), in ms per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.wall: list[float] = []
        self.cpu: list[float] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wall, cpu = time.perf_counter(), time.process_time()
        await self.app(scope, receive, send)
        self.wall.append((time.perf_counter() - wall) * 1000)
        self.cpu.append((time.process_time() - cpu) * 1000)


@dataclass
class Timing:
    """Median and worst of `repeat` GETs, in ms: seen by the client, and in the server."""

    client: list[float]
    wall: list[float]
    cpu: list[float]
    size: int

    @classmethod
    def of(cls, timings: list[Timing]) -> Timing:
        """One request each: together."""
        return cls(
            [t.client[0] for t in timings],
            [t.wall[0] for t in timings],
            [t.cpu[0] for t in timings],
            timings[-1].size,
        )

    def cells(self) -> str:
        return " | ".join(
            f"{statistics.median(spent):.1f} / {max(spent):.1f}"
            for spent in (self.client, self.wall, self.cpu)
        )


def timed(client: TestClient, server: ServerClock, path: str, repeat: int) -> Timing:
    """`repeat` GETs of `path`, timed by the client and by the server."""
    spent, size = [], 0
    server.wall.clear()
    server.cpu.clear()
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        spent.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:200]
        size = len(response.content)
    return Timing(spent, list(server.wall), list(server.cpu), size)


def vote_then_read(client: TestClient, server: ServerClock, slug: str, n: int) -> Timing:
    """A new guest votes from the poll's page (one submit signs them in), then results.json
    is read once: the request after a change, timed as `timed` does."""
    client.cookies.clear()
    page = client.get(f"/polls/{slug}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    choice = re.search(r'name="choice" value="(\d+)"', page)
    assert token and choice, "the poll's page has no vote form for a guest"
    fields = {"choice": choice[1], "csrf_token": token[1], "name": f"Late guest {n}"}
    voted = client.post(f"/polls/{slug}/votes", data=fields, follow_redirects=False)
    assert voted.status_code == 303, voted.text[:200]
    return timed(client, server, f"/polls/{slug}/results.json", 1)


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="crowdsource-large-") as folder:
        database_url = args.database_url or f"sqlite://{Path(folder) / 'large.sqlite3'}"
        print(f"Seeding {args.votes:,} votes on {args.responses} responses …", flush=True)
        slug = asyncio.run(seed(database_url, args.votes, args.responses))
        settings = Settings(
            secret_key="b" * 48,
            public_url="http://testserver",
            data_dir=Path(folder),
            database_url=database_url,
        )
        app = create_app(settings)
        tune_garbage_collector()  # as `crowdsource serve` does (app.py: app_from_env)
        server = ServerClock(app)
        with TestClient(server) as client:
            print(f"\n{large_poll.__doc__.splitlines()[0]}")
            print(f"Crowdsource from {args.src}; database: {database_url.split(':', 1)[0]}\n")
            print(
                "| request | first (tally read): server wall / CPU, ms | then median / worst, "
                "ms: client | server wall | server CPU | bytes |"
            )
            print("|---|---|---|---|---|---|")
            pages = {
                "/polls/{slug}/results.json": f"/polls/{slug}/results.json",
                "/polls/{slug}/present": f"/polls/{slug}/present",
                "/polls/{slug}/embed": f"/polls/{slug}/embed",
                "/polls/{slug} (the voters' page, signed out)": f"/polls/{slug}",
                "/r/{code} (the room's page, signed out)": f"/r/{ROOM_CODE}",
                "/r/{code}/present": f"/r/{ROOM_CODE}/present",
            }
            for name, url in pages.items():
                app.state.tallies.forget_all()
                first = timed(client, server, url, 1)
                then = timed(client, server, url, args.repeat)
                print(
                    f"| {name} | {first.wall[0]:.1f} / {first.cpu[0]:.1f} "
                    f"| {then.cells()} | {then.size:,} |"
                )
            after = [vote_then_read(client, server, slug, n) for n in range(args.repeat)]
            print(
                f"| /polls/{{slug}}/results.json right after a guest's vote | n/a | "
                f"{Timing.of(after).cells()} | {after[-1].size:,} |"
            )
            with client.websocket_connect(f"/polls/{slug}/ws") as socket:
                full_state = socket.receive_text()
            avatars = full_state.count('class="voter"')
            load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
            print(f"\nLoad average (1, 5, 15 min; 2 cores: the machine's other work): {load}")
            print(
                f"Full state sent to a new socket: {len(full_state.encode()):,} bytes, "
                f"{avatars} avatars, {args.votes:,} voters."
            )
    return 0
