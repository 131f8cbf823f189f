"""How long a room's roster takes to read (`participation.roster_users`: its listed logins,
then the people on it who signed in) among many accounts, in-process on SQLite.

    python -m bench.roster_read                               # 1,000 listed, 100,000 accounts
    python -m bench.roster_read --accounts 20000 --members 300
    python -m bench.roster_read --src /tmp/before/src         # an older tree (same schema)

The roster is read once per question, every `ROSTER_REREAD_SECONDS` while votes come, and at
each load of the host's console; a vote meets it then. The plan line says whether the users
were found through an index or by reading every account."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.common.source import add_source_option, use_source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_source_option(parser)
    parser.add_argument("--members", type=int, default=1000, help="logins listed and signed in")
    parser.add_argument("--accounts", type=int, default=100_000, help="accounts in all")
    parser.add_argument("--repeat", type=int, default=20, help="reads timed")
    args = parser.parse_args()
    use_source(args.src)
    with tempfile.TemporaryDirectory(prefix="crowdsource-roster-") as folder:
        asyncio.run(measure(args, f"sqlite://{Path(folder) / 'roster.sqlite3'}"))


async def measure(args: argparse.Namespace, database_url: str) -> None:
    from tortoise import connections
    from tortoise.context import TortoiseContext

    from crowdsource.domain.db import migrate, tortoise_config
    from crowdsource.domain.models import Room, User
    from crowdsource.domain.participation import roster_users
    from crowdsource.domain.roster_models import RoomRoster, RosterMember

    await migrate(database_url)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        owner = await User.create(
            provider="guest", provider_id="owner", login="guest~owner", name="Owner", avatar_url=""
        )
        room = await Room.create(code="READ00", owner=owner, name="Roster read")
        await User.bulk_create(
            [User(provider="github", provider_id=f"r{n}", login=f"Student-{n}", name=f"S {n}",
                  avatar_url="") for n in range(max(args.accounts - 1, args.members))],
            batch_size=1000,
        )  # fmt: skip
        await RoomRoster.create(room=room)
        await RosterMember.bulk_create(
            [RosterMember(room=room, login=f"student-{n}", login_key=f"student-{n}")
             for n in range(args.members)],
            batch_size=1000,
        )  # fmt: skip
        plan = await connections.get("default").execute_query_dict(
            "EXPLAIN QUERY PLAN SELECT id FROM users WHERE LOWER(login) IN ('a', 'b')"
        )
        wall, cpu = [], []
        for _ in range(args.repeat):
            started, used = time.perf_counter(), time.process_time()
            _, people = await roster_users(room.id)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
    assert len(people) == args.members, "every listed login is found"
    print(f"crowdsource from {Path(__import__('crowdsource').__file__).parent}")
    print(f"plan: {'; '.join(str(row['detail']) for row in plan)}")
    print(
        f"a roster of {args.members:,} among {args.accounts:,} accounts, {args.repeat} reads: "
        f"median {statistics.median(wall):.2f} ms (CPU {statistics.median(cpu):.2f} ms), "
        f"max {max(wall):.2f} ms"
    )


if __name__ == "__main__":
    main()
