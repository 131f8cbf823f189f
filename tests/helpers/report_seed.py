"""Fill a live server's room with a term of answers (students by questions) for the report's
browser test: written straight into its SQLite database from a thread of our own."""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

from tortoise.context import TortoiseContext

from crowdsource.domain import clock, poll_store
from crowdsource.domain.db import tortoise_config
from crowdsource.domain.models import Choice, Poll, Room, Vote
from crowdsource.domain.poll_input import PollSpec
from crowdsource.domain.roster_models import RoomRoster, RosterMember
from tests.helpers.roster import github_user

FIRST = ("Ada", "Bo", "Chen", "Dara", "Emeka", "Fatima", "Gus", "Hana", "Ivo", "Jun", "Kiri")
LAST = ("Okafor", "Lindqvist", "Nakamura", "Silva", "Haddad", "Novak", "Mensah", "Quinn")


async def _seed(url: str, code: str, students: int, questions: int) -> None:
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        room = await Room.get(code=code)
        owner = await room.owner
        logins = [f"student-{n:03d}" for n in range(students)]
        await RoomRoster.create(room=room)
        listed = logins[:-2]  # the last two answered without being on the roster
        await RosterMember.bulk_create(
            [RosterMember(room=room, login=x, login_key=x) for x in listed]
        )
        people = []
        for n, login in enumerate(logins):
            person = await github_user(login)
            person.name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 5) % len(LAST)]}"
            await person.save()
            people.append(person)
        votes = []
        for q in range(questions):
            spec = PollSpec(f"Question {q + 1}", ("A", "B", "C", "D"), None)
            poll = await poll_store.create_poll(owner, spec)
            await Poll.filter(id=poll.id).update(room_id=room.id, position=q, closed_at=clock.now())
            ids = [c.id for c in await Choice.filter(poll_id=poll.id).order_by("position")]
            if q % 3 == 0:  # every third question is a quiz: B is right
                await Choice.filter(id=ids[1]).update(correct=True)
            for n, person in enumerate(people):
                if (n * 7 + q * 3) % 11 < 9 - (n % 4):  # some answer nearly always, some less
                    pick = ids[1] if (n + q) % 4 else ids[(n + q) % 4]
                    votes.append(Vote(poll=poll, choice_id=pick, voter=person, cast_at=clock.now()))
        await Vote.bulk_create(votes, batch_size=500)


def seed_term(data_dir: Path, code: str, students: int = 120, questions: int = 40) -> None:
    """`students` signed-in students (the last two off the roster) answering some of
    `questions` closed questions of the room `code`; every third one a quiz."""
    url = f"sqlite://{data_dir / 'crowdsource.sqlite3'}"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _seed(url, code, students, questions)).result()
