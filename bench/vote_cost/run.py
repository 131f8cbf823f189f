"""The benchmark itself (__main__.py chose which source folder's crowdsource it imports)."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from tortoise.context import TortoiseContext

from bench.common.voters import listed_on_roster, unsaved_students
from crowdsource.domain import clock
from crowdsource.domain.ballots import Ballot, store_ballots
from crowdsource.domain.db import migrate, tortoise_config
from crowdsource.domain.kinds import read_given
from crowdsource.domain.models import Choice, Poll, Room, User

WARM_UP = 20  # ballots before timing: the first build Tortoise's statements and caches


async def seed(voters: int, roster: bool = False) -> tuple[Poll, list[int], list[User]]:
    """A room showing a four-response poll, and `voters` students yet to vote; `roster`:
    the room's roster lists every one of them (GitHub users, as a roster's members are)."""
    owner = await User.create(
        provider="guest", provider_id="owner", login="guest~owner", name="Owner", avatar_url=""
    )
    room = await Room.create(owner=owner, name="CS 101", code="BENCH1")
    poll = await Poll.create(
        slug="vote0000", owner=owner, question="Which?", show_voters="everyone", room=room
    )
    choices = [
        (await Choice.create(poll=poll, label=f"Response {n + 1}", position=n)).id for n in range(4)
    ]
    await Room.filter(id=room.id).update(current_id=poll.id)
    await User.bulk_create(unsaved_students(voters, "v"), batch_size=1000)
    students = User.filter(provider_id__startswith="v")
    if roster:
        await listed_on_roster(room, students)
    return poll, choices, list(await students.order_by("id"))


def ballot(poll: Poll, choices: list[int], voter: User, n: int) -> Ballot:
    given = read_given(poll.kind, str(choices[n % len(choices)]), None)
    return Ballot(poll.id, voter.id, given, clock.now(), poll.room_id, None, voter.token_version)  # type: ignore[attr-defined]


async def per_ballot_ms(
    poll: Poll, choices: list[int], voters: list[User], batch: int
) -> list[tuple[float, float]]:
    """Process CPU per ballot, and the time its transaction took from start to stored, of
    each transaction of `batch` ballots (ms)."""
    times = []
    for start in range(0, len(voters) - batch + 1, batch):
        ballots = [
            ballot(poll, choices, v, start + n) for n, v in enumerate(voters[start : start + batch])
        ]
        started, began = time.process_time(), time.perf_counter()
        outcomes = await store_ballots(ballots)
        took = (time.perf_counter() - began) * 1000
        times.append(((time.process_time() - started) * 1000 / batch, took))
        refused = [o for o in outcomes if isinstance(o, Exception)]
        assert not refused, refused
    return times


def row(label: str, times: list[tuple[float, float]], counted: str = "") -> str:
    """One line of the report: the medians of `times`, and how many went into them."""
    cpu = statistics.median(t[0] for t in times)
    took = statistics.median(t[1] for t in times)
    return f"| {label} ({len(times)}{counted}) | {cpu:.3f} ms | {took:.3f} ms |"


async def measure(args: argparse.Namespace, database_url: str) -> None:
    await migrate(database_url)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        poll, choices, users = await seed(WARM_UP + 2 * args.voters, args.roster)
        await per_ballot_ms(poll, choices, users[:WARM_UP], 1)
        alone = await per_ballot_ms(poll, choices, users[WARM_UP : WARM_UP + args.voters], 1)
        # the same voters again: changes of mind replace their stored ballots
        again = await per_ballot_ms(poll, choices, users[WARM_UP : WARM_UP + args.voters], 1)
        burst = await per_ballot_ms(poll, choices, users[WARM_UP + args.voters :], args.batch)
    print(f"crowdsource from {Path(__import__('crowdsource').__file__).parent}")
    roster = "; the room's roster lists every voter" if args.roster else ""
    print(f"database: {database_url.split(':', 1)[0]}{roster}; medians")
    print("| ballots stored | process CPU per ballot | transaction start to stored |")
    print("|---|---|---|")
    print(row("one at a time, a first vote", alone))
    print(row("one at a time, a change of mind", again))
    print(row(f"{args.batch} per transaction", burst, " transactions"))


def run(args: argparse.Namespace) -> int:
    if args.database_url:
        asyncio.run(measure(args, args.database_url))
        return 0
    with tempfile.TemporaryDirectory(prefix="crowdsource-vote-cost-") as folder:
        asyncio.run(measure(args, f"sqlite://{Path(folder) / 'votes.sqlite3'}"))
    return 0
