"""The benchmark itself (__main__.py chose which source folder's crowdsource it imports)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from tortoise.context import TortoiseContext

from bench.common.voters import listed_on_roster, unsaved_students
from crowdsource.domain import clock
from crowdsource.domain.db import migrate, tortoise_config
from crowdsource.domain.models import Choice, Poll, Room, User, Vote
from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.frames import Frame
from crowdsource.realtime.hub import Hub
from crowdsource.realtime.publisher import Publisher
from crowdsource.settings import Settings
from crowdsource.web.templating import fragment_renderer

SITE = Settings(secret_key="-", public_url="http://bench", data_dir=Path("."), database_url="")


class NullSink:
    """A frame-taking connection that is always ready and drops what it is written."""

    written = 0

    def frames_ready(self) -> bool:
        return True

    def frames_open(self) -> bool:
        return True

    def write_frame(self, frame: bytes) -> None:
        NullSink.written += 1

    def when_frames_ready(self, callback: Callable[[], None] | None) -> None:
        return None


class NullSocket:
    async def send_text(self, data: str) -> None:
        return None

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        return None


async def seed(
    voters: int, responses: int, extra: int, roster: bool, results: str = "always"
) -> tuple[Poll, list[Choice], list[User]]:
    """A poll with voters shown to everyone, `voters` votes in; `extra` users yet to vote.
    `roster`: the poll is a question of a room whose roster lists every one of them (GitHub
    users, as a roster's members are). `results`: when its results are shown."""
    owner = await User.create(
        provider="guest", provider_id="owner", login="guest~owner", name="Owner", avatar_url=""
    )
    room = await Room.create(code="COST00", owner=owner, name="Cost") if roster else None
    poll = await Poll.create(
        slug="cost0000",
        owner=owner,
        question="Which?",
        show_voters="everyone",
        room=room,
        results_visibility=results,
    )
    choices = [
        await Choice.create(poll=poll, label=f"Response {n + 1}", position=n)
        for n in range(responses)
    ]
    await User.bulk_create(unsaved_students(voters + extra, "b"), batch_size=1000)
    students = User.filter(provider_id__startswith="b")
    if room is not None:
        await listed_on_roster(room, students)
    users = list(await students.order_by("id"))
    now = clock.now()
    await Vote.bulk_create(
        [Vote(poll=poll, choice=choices[n % responses], voter=u, cast_at=now)
         for n, u in enumerate(users[:voters])],
        batch_size=1000,
    )  # fmt: skip
    return poll, choices, users[voters:]


async def viewers(publisher: Publisher, poll: Poll, users: list[User], count: int) -> list[Any]:
    """`count` sockets on the poll's page: every other one a signed-in student (their
    session's expiry checked each publish), the rest visitors."""
    expires = clock.now() + timedelta(days=1)
    subscribers = []
    for n in range(count):
        user = users[n] if n % 2 else None
        subscribers.append(
            await publisher.connect(
                NullSocket(), poll, user, "csrf", expires_at=expires, frames=NullSink()
            )
        )
    for _ in range(5):
        await asyncio.sleep(0)  # their full states go out
    return subscribers


async def changed_votes(poll: Poll, args: argparse.Namespace) -> list[Vote]:
    """The stored votes whose voters change their pick in the timed publishes: one each."""
    if args.voters < 2 * args.repeat:
        raise SystemExit("--votes changed: --voters at least twice --repeat")
    return list(await Vote.filter(poll_id=poll.id).order_by("id").limit(2 * args.repeat))


async def cpu_ms(action: Callable[[], Awaitable[object]]) -> float:
    started = time.process_time()
    await action()
    return (time.process_time() - started) * 1000


async def rounds(
    publisher: Publisher,
    poll: Poll,
    choices: list[Choice],
    voters: list[User],
    repeat: int,
    named: bool,
    changed: list[Vote] | None = None,
) -> tuple[list[float], list[float]]:
    """`repeat` times: one more vote stored, then the poll published (CPU ms); and the
    shared results update of that change rendered and framed again on its own (CPU ms).
    `named`: its news names the voter (a tree that cannot take that reads every ballot).
    `changed`: each vote is one of these votes' voters picking the next response instead."""
    publish, render = [], []
    viewer = publisher.hub.members(poll.id)[0].viewer
    for n in range(repeat):
        if changed:
            voter = await change_pick(changed.pop(), choices)
        else:
            voter = voters.pop()
            await Vote.create(
                poll=poll, choice=choices[n % len(choices)], voter=voter, cast_at=clock.now()
            )
        if named:  # the vote's news names its voter, as `cast_vote` announces it
            publisher.snapshots.ballots_changed(poll.id, {voter.id})
        before = publisher.snapshots.get(poll.id)
        publish.append(await cpu_ms(lambda: publisher.polls.publish(poll.id)))
        after = publisher.snapshots.get(poll.id)
        assert before is not None and after is not None
        audience = viewer.audience(after)

        started = time.process_time()
        Frame(publisher.fragments.delta(before.tally, after.tally, audience))
        render.append((time.process_time() - started) * 1000)
    return publish, render


async def change_pick(vote: Vote, choices: list[Choice]) -> User:
    """The vote's voter picks the response after theirs: their row replaced, as a vote
    again stores it (the same row, its response and time new)."""
    ids = [choice.id for choice in choices]
    vote.choice_id = ids[(ids.index(vote.choice_id) + 1) % len(ids)]
    vote.cast_at = clock.now()
    await vote.save(update_fields=["choice_id", "cast_at"])
    return await vote.voter


OWNERS = {
    "away": "the owner's page not open",
    "seen": "the owner's page open (#roster: everyone seen)",
    "roster": "the owner's page open (#roster: the room's roster of every student)",
}


VOTERS = {
    "away": "results shown always, the votes to many sockets cast by students with none open",
    "watching": "results shown after a vote, the votes to many sockets cast by students "
    "watching it (their full state, sent after the publish, not timed)",
}


VOTES = {
    "new": "each timed vote a first vote",
    "changed": "each timed vote a changed pick (a student who had voted)",
}


def med(values: list[float]) -> str:
    return f"{statistics.median(values):.3f}"


async def measure(args: argparse.Namespace, database_url: str) -> None:
    await migrate(database_url)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        watching = args.voters_are == "watching"
        if watching and args.votes == "changed":
            raise SystemExit("--voters-are watching: the votes are first votes (--votes new)")
        if watching and args.repeat > (args.sockets - 1) // 2:
            raise SystemExit("--voters-are watching: --repeat at most half of --sockets")
        poll, choices, users = await seed(
            args.voters,
            args.responses,
            2 * args.repeat + 2 + args.sockets,
            args.owner == "roster",
            "after_vote" if watching else "always",
        )
        later = users[: 2 * args.repeat + 2]
        students = users[2 * args.repeat + 2 :]
        publisher = Publisher(Hub(), Fragments(fragment_renderer(SITE)))
        gc.collect()
        one = await viewers(publisher, poll, students, 1)
        if args.owner != "away":  # its page: told #roster with every publish
            owner = await User.get(provider_id="owner")
            await publisher.connect(NullSocket(), poll, owner, "csrf", frames=NullSink())
        named = args.news == "named" and hasattr(publisher.snapshots, "ballots_changed")
        changing = await changed_votes(poll, args) if args.votes == "changed" else None
        publish_one, render = await rounds(
            publisher, poll, choices, later, args.repeat, named, changing
        )
        many = one + await viewers(publisher, poll, students[1:], args.sockets - 1)
        if watching:  # the signed-in students among them (`viewers`: every other socket)
            later = [s.viewer.user for s in many if s.viewer.user is not None][: args.repeat]
        publish_many, _ = await rounds(
            publisher, poll, choices, later, args.repeat, named, changing
        )
        for _ in range(5):
            await asyncio.sleep(0)  # the last voter's full state goes out, as the others' did
        for subscriber in many:
            await publisher.disconnect(subscriber)
    one_ms = statistics.median(publish_one)
    per_socket_us = (statistics.median(publish_many) - one_ms) * 1000 / max(args.sockets - 1, 1)
    print(f"crowdsource from {Path(__import__('crowdsource').__file__).parent}")
    print(
        f"{args.voters} votes stored before, one more per publish; {args.responses} responses; "
        f"voters shown to everyone; news {'naming its voter' if named else 'naming nobody'}; "
        f"{OWNERS[args.owner]}; "
        f"{VOTERS[args.voters_are]}; "
        f"{VOTES[args.votes]}; "
        f"medians of {args.repeat} publishes, process CPU time"
    )
    print("| figure | CPU |")
    print("|---|---|")
    print(f"| one poll's publish, 1 socket (reads + render + framing) | {one_ms:.3f} ms |")
    print(f"| of which the results update rendered and framed | {med(render)} ms |")
    rest = one_ms - statistics.median(render)
    print(f"| of which the rest (reads, snapshot, diff) | {rest:.3f} ms |")
    print(f"| publish to {args.sockets} sockets | {med(publish_many)} ms |")
    print(f"| per further socket | {per_socket_us:.1f} us |")


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="crowdsource-cost-") as folder:
        database_url = f"sqlite://{Path(folder) / 'cost.sqlite3'}"
        asyncio.run(measure(args, database_url))
    return 0
