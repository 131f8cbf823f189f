"""python -m bench.large_poll: see the package's docstring."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient
from tortoise.context import TortoiseContext

from bench import large_poll
from crowdsource.app import create_app
from crowdsource.domain import clock
from crowdsource.domain.db import migrate, tortoise_config
from crowdsource.domain.models import Choice, Poll, User, Vote
from crowdsource.settings import Settings


async def seed(database_url: str, votes: int, responses: int) -> str:
    """A poll shown with its voters to everyone, and `votes` guests' votes, in bulk."""
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
        poll = await Poll.create(
            slug="large2000000", owner=owner, question="Which one?", show_voters="everyone"
        )
        choices = [
            await Choice.create(poll=poll, label=f"Response {n + 1}", position=n)
            for n in range(responses)
        ]
        users = [
            User(
                provider="guest",
                provider_id=f"g{n}",
                login=f"guest~g{n:05d}",
                name=f"Student {n}",
                avatar_url=f"/avatars/guest~g{n:05d}.svg",
            )
            for n in range(votes)
        ]
        await User.bulk_create(users, batch_size=1000)
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


def timed(client: TestClient, path: str, repeat: int) -> tuple[float, float, int]:
    """Median and worst server-side wall time of `repeat` GETs (ms), and the body's size."""
    spent, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        spent.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:200]
        size = len(response.content)
    return statistics.median(spent), max(spent), size


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.large_poll", description=__doc__)
    parser.add_argument("--votes", type=int, default=20_000)
    parser.add_argument("--responses", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crowdsource-large-") as folder:
        database_url = f"sqlite://{Path(folder) / 'large.sqlite3'}"
        print(f"Seeding {args.votes:,} votes on {args.responses} responses …", flush=True)
        slug = asyncio.run(seed(database_url, args.votes, args.responses))
        settings = Settings(
            secret_key="b" * 48,
            public_url="http://testserver",
            data_dir=Path(folder),
            database_url=database_url,
        )
        with TestClient(create_app(settings)) as client:
            print(f"\n{large_poll.__doc__.splitlines()[0]}\n")
            print("| request | first (tally read), ms | then median / worst, ms | bytes |")
            print("|---|---|---|---|")
            for path in ("results.json", "present", "embed"):
                client.app.state.tallies.forget_all()  # type: ignore[attr-defined]
                first, _, _ = timed(client, f"/polls/{slug}/{path}", 1)
                median, worst, size = timed(client, f"/polls/{slug}/{path}", args.repeat)
                print(
                    f"| /polls/{{slug}}/{path} | {first:.1f} | {median:.1f} / {worst:.1f} "
                    f"| {size:,} |"
                )
            with client.websocket_connect(f"/polls/{slug}/ws") as socket:
                full_state = socket.receive_text()
            avatars = full_state.count('class="voter"')
            print(
                f"\nFull state sent to a new socket: {len(full_state.encode()):,} bytes, "
                f"{avatars} avatars, {args.votes:,} voters."
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
