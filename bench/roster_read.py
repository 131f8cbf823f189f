"""How long a room's roster takes to read (`participation.roster_users`: its listed logins,
then the people on it who signed in) among many accounts, in-process, on a fresh SQLite
file or an empty PostgreSQL database.

    python -m bench.roster_read                               # 1,000 listed, 100,000 accounts
    python -m bench.roster_read --accounts 20000 --members 300
    python -m bench.roster_read --src /tmp/before/src         # an older tree (same schema)
    python -m bench.roster_read --database-url postgres://u@127.0.0.1:5432/empty

The roster is read once per question, every `ROSTER_REREAD_SECONDS` while votes come, and at
each load of the host's console; a vote meets it then. The plan line says whether the users
were found through an index or by reading every account."""

from __future__ import annotations

import argparse
import ast
import asyncio
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common.source import add_source_option, use_source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_source_option(parser)
    parser.add_argument("--members", type=int, default=1000, help="logins listed and signed in")
    parser.add_argument("--accounts", type=int, default=100_000, help="accounts in all")
    parser.add_argument("--repeat", type=int, default=20, help="reads timed")
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database to use instead of a fresh SQLite file"
    )
    args = parser.parse_args()
    use_source(args.src)
    if args.database_url:
        asyncio.run(measure(args, args.database_url))
        return
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
        plan = await query_plan(connections.get("default"), room.id)
        wall, cpu = [], []
        for _ in range(args.repeat):
            started, used = time.perf_counter(), time.process_time()
            _, people = await roster_users(room.id)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
    assert len(people) == args.members, "every listed login is found"
    print(f"crowdsource from {Path(__import__('crowdsource').__file__).parent}")
    print(f"database: {database_url.split(':', 1)[0]}; plan: {plan}")
    print(
        f"a roster of {args.members:,} among {args.accounts:,} accounts, {args.repeat} reads: "
        f"median {statistics.median(wall):.2f} ms (CPU {statistics.median(cpu):.2f} ms), "
        f"max {max(wall):.2f} ms"
    )


async def query_plan(connection: Any, room_id: int) -> str:
    """How the database finds the roster's accounts, in one line: the statement the app
    sends for them (`participation.roster_users`), explained with the planner's own
    choices (after ANALYZE), through the index on `lower(login)` or by reading every
    account."""
    from crowdsource.domain.participation import roster_users
    from tests.helpers.queries import statements

    with statements() as sent:
        await roster_users(room_id)
    (logged,) = [sql for sql in sent if 'from "users"' in sql.lower()]
    sql, _, values = logged.rpartition(": ")
    params = ast.literal_eval(values)
    if connection.capabilities.dialect == "sqlite":
        rows = await connection.execute_query_dict(f"EXPLAIN QUERY PLAN {sql}", params)
        return "; ".join(str(row["detail"]) for row in rows)
    await connection.execute_script("ANALYZE")
    rows = await connection.execute_query_dict(f"EXPLAIN {sql}", params)
    steps = [str(row["QUERY PLAN"]).strip(" ->") for row in rows]
    return "; ".join(step.split("  (")[0] for step in steps if PLAN_STEP.search(step))


PLAN_STEP = re.compile(r"Scan|Join|Loop|Aggregate")


if __name__ == "__main__":
    main()
