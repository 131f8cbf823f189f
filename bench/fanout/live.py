"""One stage's running system: fresh server process(es) (and Redis), the owner's poll, a
probe voter and an empty crowd, all stopped again when the stage ends."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.common.crowd import Crowd, Viewer, answer_frame, quiet, vote_frame
from bench.common.gc_timing import summary
from bench.common.owner import Owner
from bench.common.servers import crowdsource_server, naive_server, stop
from bench.common.voters import student_login
from bench.fanout.options import Options, Target
from crowdsource.domain.roster import ROSTER_MAX
from tests.helpers.live_server import ServerProcess
from tests.helpers.services import RedisServer, free_port


@dataclass
class Live:
    """One running server with a crowd on one poll, a probe voter and (for Crowdsource) the
    owner who created the poll."""

    target: Target
    server: ServerProcess
    crowd: Crowd
    probe: Viewer
    choices: list[str]
    page_url: str
    owner: Owner | None = None
    slug: str = ""
    others: list[ServerProcess] = field(default_factory=list)  # processes B, … behind Redis
    redis_pid: int | None = None
    votes_everywhere: bool = False  # with several processes: every viewer votes, not only A's
    answers: bool = False  # a text question: `choices` are open answers, sent as `answer`
    picks: int = 1  # responses per vote: 2 for a `multiple` poll
    profiled: bool = False  # the servers record a profile of each measured phase (`Meter`)
    database_pid: int | None = None  # PostgreSQL's, whose CPU is the server's (`Meter`)

    def profile(self, phase: signal.Signals) -> None:
        """Start or stop recording the servers' profiles of a measured phase (`--profile`:
        bench/common/phase_profile.py's START and STOP)."""
        if self.profiled:
            for server in self.servers:
                os.kill(server.pid, phase)

    def frame(self, choice: str | list[str]) -> str:
        """The vote form's frame for these responses, or for this open answer."""
        if self.answers and isinstance(choice, str):
            return answer_frame(choice, self.page_url)
        return vote_frame(choice, self.page_url)

    @property
    def servers(self) -> list[ServerProcess]:
        return [self.server, *self.others]

    @property
    def uris(self) -> list[str]:
        """Where the viewers' sockets go: the same poll on every process, in turn."""
        path = self.page_url.removeprefix(self.server.url)
        return [f"ws://127.0.0.1:{server.port}{path}" for server in self.servers]

    def groups(self) -> dict[str, tuple[ServerProcess, list[Viewer]]]:
        """Each process and the viewers connected to it (none with one process)."""
        if not self.others:
            return {}
        return {
            f"process {chr(ord('A') + n)}": (
                server,
                [viewer for viewer in self.crowd.viewers if viewer.uri == uri],
            )
            for n, (server, uri) in enumerate(zip(self.servers, self.uris, strict=True))
        }

    def voters(self) -> list[Viewer]:
        """The viewers who vote: all of them, or with several processes those of process A
        unless --votes-on both."""
        if self.votes_everywhere or not self.others:
            return list(self.crowd.viewers)
        return [viewer for viewer in self.crowd.viewers if viewer.uri == self.uris[0]]

    def choice(self, n: int) -> str:
        return self.choices[n % len(self.choices)]

    def ballot(self, n: int) -> str | list[str]:
        """What the n-th vote on the poll sends: a response, or `picks` of them (a list)."""
        if self.picks == 1:
            return self.choice(n)
        return [self.choice(n + k) for k in range(self.picks)]

    def total(self) -> int:
        """What every viewer shows now."""
        return min((viewer.total for viewer in self.crowd.viewers), default=0)

    async def stored_total(self) -> int | None:
        if self.owner is None:
            return None
        results = await asyncio.to_thread(self.owner.results, self.slug)
        return results["total_votes"]


def gc_json(options: Options, target: Target, stage: str, n: int) -> Path:
    """Where a server's garbage collections are written (bench/common/gc_timing.py)."""
    return options.workdir / f"{target.name}-{stage}{'-' + str(n) if n else ''}-gc.json"


def print_gc(options: Options, target: Target, stage: str, count: int) -> None:
    """Each process's collections during the stage, one line each."""
    for n in range(count):
        path = gc_json(options, target, stage, n)
        if path.exists():
            print(f"  gc, {target.name} {stage} {n or ''}: {summary(json.loads(path.read_text()))}")


def servers_for(
    target: Target, options: Options, stage: str, redis: RedisServer | None
) -> list[ServerProcess]:
    """The processes one stage runs against: the naive floor, or `--processes` Crowdsource
    processes on one data folder (behind `redis` when there are several)."""
    if not target.app:
        return [naive_server(options.workdir, deflate=target.deflate)]
    port = options.port or free_port()
    public_url = f"http://127.0.0.1:{port}"  # one Origin for every process; the tokens' issuer
    return [
        crowdsource_server(
            options.workdir / "app",
            options.secret,
            deflate=target.deflate,
            src=options.src,
            database_url=options.database_url,
            profile=(
                options.workdir / f"{target.name}-{stage}{'-' + str(n) if n else ''}.prof"
                if options.profile
                else None
            ),
            redis_url=redis.url() if redis else None,
            public_url=public_url,
            name=f"server-{n}" if n else "server",
            port=None if n else port,
            gc_json=gc_json(options, target, stage, n),
        )
        for n in range(options.processes)
    ]


TOPICS = ("recursion", "closures", "pointers", "loops", "types", "async", "git", "tests", "lambdas")
TOPICS += ("graphs", "trees", "heaps", "caching", "threads", "queues", "sorting", "hashing")


def open_answers() -> list[str]:
    """Answers of a text question: varied enough that each changes a few of the cloud's words."""
    return [
        f"{first} then {second}, mostly {third}"
        for first in TOPICS
        for second in TOPICS[::2]
        for third in TOPICS[::5]
        if first != second
    ]


def poll_of(owner: Owner, options: Options) -> str:
    """The owner's new poll; with `--roster`, the question asked in a room whose roster
    lists the students (the first of them, as many as a roster holds, and the probe)."""
    if not options.roster:
        return owner.create_poll(options.show_voters, None, options.kind)
    code = owner.create_room()
    voters = len(options.cookies)
    listed = [*range(min(voters - 1, ROSTER_MAX - 1)), voters - 1]  # the probe is the last
    owner.set_roster(code, [student_login(n) for n in listed])
    token = owner.host_token(code)
    owner.ask_in_room(code, token, options.show_voters, "How well do you follow?")
    return owner.current_question(code)


@asynccontextmanager
async def live(target: Target, options: Options, stage: str) -> AsyncIterator[Live]:
    redis: RedisServer | None = None
    if target.app and options.processes > 1:
        redis = await asyncio.to_thread(RedisServer().start)
    server, *others = servers_for(target, options, stage, redis)
    crowd: Crowd | None = None
    probe: Crowd | None = None
    try:
        for each in [server, *others]:
            await asyncio.to_thread(each.start)
        owner, slug, choices, path = None, "", ["1", "2", "3"], "/ws"
        if target.app:
            owner = Owner(server.url)
            await asyncio.to_thread(owner.sign_in)
            slug = await asyncio.to_thread(poll_of, owner, options)
            results = await asyncio.to_thread(owner.results, slug)
            choices = [choice["id"] for choice in results["choices"]] or open_answers()
            path = f"/polls/{slug}/ws"
        uri = f"ws://127.0.0.1:{server.port}{path}"
        crowd = Crowd(uri, server.url, target.deflate)
        probe = Crowd(uri, server.url, target.deflate)
        await probe.open([options.cookies[-1]])
        await quiet(0.3)
        yield Live(
            target,
            server,
            crowd,
            probe.viewers[0],
            choices,
            server.url + path,
            owner,
            slug,
            others,
            redis.process.pid if redis and redis.process else None,
            options.votes_on == "both",
            options.kind == "text",
            2 if target.app and options.kind == "multiple" else 1,
            target.app and options.profile,
            options.database_pid if target.app else None,
        )
    finally:
        for opened in (crowd, probe):
            if opened is not None:
                opened.close()
        await asyncio.sleep(0.3)
        for each in [server, *others]:
            await asyncio.to_thread(stop, each)
        if target.app:
            print_gc(options, target, stage, 1 + len(others))
        if redis is not None:
            redis.stop()
