"""One fan-out run: mint the voters, run every chosen stage against every server under test
(a fresh system per stage), then print the report."""

from __future__ import annotations

import argparse
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from bench.common.run_setup import raise_fd_limit, work_folder
from bench.common.servers import sqlite_url
from bench.common.voters import mint_voters
from bench.fanout.cli import sizes_from
from bench.fanout.live import live
from bench.fanout.options import Figures, Options, Sizes, Target
from bench.fanout.report import print_report
from bench.fanout.stages import STAGES
from tests.helpers.services import PostgresServer, free_port


async def run_target(target: Target, options: Options) -> dict[str, Figures]:
    """Every chosen stage against one server, each with a fresh server process (or fresh
    processes and Redis): the figures under the target's name, and each process's under
    `<name> process X` when there are several."""
    results: dict[str, Figures] = {target.name: {}}
    for stage in STAGES.values():
        if stage.name not in options.stages:
            continue
        started = time.perf_counter()
        async with live(target, options, stage.name) as running:
            measured = await stage.measure(running, options)
        for key, value in measured.items():
            group, _, name = key.rpartition("|")
            column = f"{target.name} {group}" if group else target.name
            results.setdefault(column, {})[f"{stage.name}.{name}"] = value
        elapsed = time.perf_counter() - started
        print(f"  {target.name}: {stage.name} done in {elapsed:.0f} s", flush=True)
    return results


VIEWER_LANGUAGES = ("en", "fr", "ar", "es", "de", "pt-BR")


def speaking(cookies: list[str], languages: int) -> list[str]:
    """The viewers' cookies, each with a language in turn (`languages` of them): a room whose
    students read three languages costs the server three renders of each update."""
    if languages <= 1:
        return cookies
    chosen = VIEWER_LANGUAGES[:languages]
    return [
        f"{cookie}; crowdsource_lang={chosen[n % languages]}" for n, cookie in enumerate(cookies)
    ]


@contextmanager
def database(args: argparse.Namespace, workdir: Path) -> Iterator[tuple[str, int | None]]:
    """The database every stage's Crowdsource runs on, and its server's process id: the
    work folder's SQLite file, or a PostgreSQL cluster of the run's own (`--postgres`)."""
    if not args.postgres:
        yield sqlite_url(workdir / "app", args.sqlite), None
        return
    reason = PostgresServer.missing_reason()
    if reason:
        raise SystemExit(f"--postgres: {reason}")
    server = PostgresServer(durable=True).start()
    try:
        server.sql("CREATE DATABASE crowdsource")
        yield server.url("crowdsource"), server.pid
    finally:
        server.stop()


async def measure(
    args: argparse.Namespace, sizes: Sizes, workdir: Path, url: str, database_pid: int | None
) -> dict[str, Figures]:
    settings = ["off", "on"] if args.deflate == "both" else [args.deflate]
    targets = [
        Target(app, deflate == "on")
        for deflate in settings
        for app in ([True] if args.no_naive or args.processes > 1 else [True, False])
    ]
    secret = secrets.token_urlsafe(48)
    port = free_port()  # every stage's first server listens here: the tokens' issuer
    print(f"Work folder {workdir}; minting {sizes.users:,} voters …", flush=True)
    options = Options(
        sizes,
        workdir,
        secret,
        speaking(
            await mint_voters(
                url,
                secret,
                f"http://127.0.0.1:{port}",
                sizes.users,
                github=args.roster,
            ),
            args.languages,
        ),
        args.show_voters,
        args.naive_max_messages,
        args.timeout,
        args.profile,
        args.src.resolve(),
        frozenset(args.stages.split(",")),
        url,
        args.processes,
        args.votes_on,
        port,
        args.kind,
        args.roster,
        database_pid,
    )
    results: dict[str, Figures] = {}
    for target in targets:
        print(f"{target.name} …", flush=True)
        results.update(await run_target(target, options))
    return results


async def main(args: argparse.Namespace) -> int:
    sizes = sizes_from(args)
    raise_fd_limit(sizes.users + 2)
    started = time.perf_counter()
    with (
        work_folder("crowdsource-bench-", keep=args.keep or args.profile) as workdir,
        database(args, workdir) as (url, database_pid),
    ):
        results = await measure(args, sizes, workdir, url, database_pid)
    sections = [section for stage in STAGES.values() for section in stage.sections]
    print_report(args, asdict(sizes), results, sections)
    print(f"Run took {time.perf_counter() - started:.0f} s.")
    return 0
