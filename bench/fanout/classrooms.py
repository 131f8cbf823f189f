"""The rooms of the school stage: each room's sockets (its students and its projector), its
launched question, the votes sent in it and what its sockets ended on."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.common.crowd import Crowd, Viewer
from bench.common.owner import Owner
from bench.common.watch import Watch
from bench.fanout.switches import Switches


@dataclass
class Classroom:
    """One room and its own instructor (`owner`, signed in as a guest: one person does not
    create a hundred questions a minute): `crowd` holds its students' sockets (the audience
    page's, `/r/{code}/ws`) and last its projector (the owner's `/r/{code}/ws?view=room`, as
    `/r/{code}/present` opens it)."""

    owner: Owner
    code: str
    crowd: Crowd
    students: list[Viewer] = field(default_factory=list)
    slug: str = ""  # the question launched in this room
    choices: list[str] = field(default_factory=list)
    launch_ms: float = 0.0  # "Ask now" → every socket of the room shows the question
    sent: list[float] = field(default_factory=list)  # when each vote of the room was sent
    voted: list[Viewer] = field(default_factory=list)  # who sent each of them
    watch: Watch | None = None
    stored: int | None = None  # total_votes in the question's results.json

    async def open(self, bases: Sequence[str], cookies: Sequence[str]) -> None:
        """The students' sockets, taking turns over `bases` (`ws://host:port` of each server
        process), then the projector's."""
        await self.crowd.open(cookies, uris=[f"{base}/r/{self.code}/ws" for base in bases])
        self.students = list(self.crowd.viewers)
        await self.crowd.open([self.owner.cookie])

    async def launch(self, show_voters: str) -> None:
        """The host console's "Ask now"; wait until every socket of the room shows it."""
        switches = Switches(self.crowd.viewers)
        switches.arm()
        owner = self.owner
        token = await asyncio.to_thread(owner.host_token, self.code)
        launched = time.perf_counter()
        question = f"Room {self.code}: how well do you follow?"
        asking = asyncio.to_thread(owner.ask_in_room, self.code, token, show_voters, question)
        await asyncio.gather(asking, switches.done.wait())
        self.launch_ms = switches.latency(self.crowd.viewers, launched)[1]
        self.slug, self.choices = switches.slug, switches.choices()
        for viewer in self.crowd.viewers:
            viewer.on_message = None

    def frame(self, n: int, origin: str) -> str:
        """The n-th student's vote as htmx's ws extension sends the room's vote form (with
        the question the student saw in `poll`) from the room's page on `origin`."""
        page = f"{origin}/r/{self.code}"
        headers = {"HX-Request": "true", "HX-Trigger": "vote-form", "HX-Current-URL": page}
        choice = self.choices[n % len(self.choices)]
        return json.dumps({"choice": choice, "poll": self.slug, "HEADERS": headers})

    def follow(self) -> Watch:
        """Start a watch over every socket of the room from 0 to one vote per student."""
        self.crowd.reset()
        self.sent.clear()
        self.voted.clear()
        self.watch = self.crowd.watch(0, len(self.students))
        return self.watch

    def latencies(self) -> tuple[list[float], list[float]]:
        """Vote → last and → first socket of this room, ms, for the votes all of them saw
        (the k-th vote sent is taken as the one that made the total k + 1)."""
        assert self.watch is not None
        watch = self.watch
        seen = [k for k in range(len(self.sent)) if watch.reached[k] == watch.viewers]
        last = [1000 * (watch.last_seen[k] - self.sent[k]) for k in seen]
        first = [1000 * (watch.first_seen[k] - self.sent[k]) for k in seen]
        return last, first

    def acknowledged(self) -> list[float]:
        """Vote → the voter's own "counted" status (the vote stored), ms."""
        pairs = zip(self.sent, self.voted, strict=True)
        return [1000 * (voter.acks[0] - sent) for sent, voter in pairs if voter.acks]

    def behind(self) -> int:
        """Sockets whose last total is not the number of votes cast in the room."""
        return sum(viewer.total != len(self.sent) for viewer in self.crowd.viewers)

    def exact(self) -> bool:
        """Stored votes == votes cast == what each of the room's sockets last showed."""
        return self.stored == len(self.sent) and self.behind() == 0


# One student's vote: when (seconds after the start), in which room, which student of it.
Vote = tuple[float, Classroom, int]


def schedule(rooms: Sequence[Classroom], seconds: float, seed: int = 18) -> list[Vote]:
    """(when, room, student) for every student's one vote: spread at random over `seconds`
    (a school's votes do not come all at once, nor room by room)."""
    rng = random.Random(seed)
    votes = [(room, n) for room in rooms for n in range(len(room.students))]
    times = sorted(rng.uniform(0, seconds) for _ in votes)
    rng.shuffle(votes)
    return [(when, room, n) for when, (room, n) in zip(times, votes, strict=True)]


async def cast(plan: Sequence[Vote], origin: str) -> float:
    """Send every vote of `plan` at its time; returns when the last one was sent."""
    start = time.perf_counter()
    for when, room, n in plan:
        delay = start + when - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        room.sent.append(time.perf_counter())
        room.voted.append(room.students[n])
        room.students[n].send(room.frame(n, origin))
    return time.perf_counter()
