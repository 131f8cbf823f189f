"""The fan-out benchmark's command line: its options, and the sizes they ask for."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import SRC, fanout
from bench.common.run_setup import sizes_from_args
from bench.fanout.options import QUICK, Sizes
from bench.fanout.stages import STAGES


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fanout",
        description=fanout.__doc__.split("\n\n")[0],
        epilog="Defaults are the sizes of issue 3 (6 to 10 minutes on 2 cores); --quick is a "
        "smoke run under a minute.",
    )
    defaults = Sizes()
    parser.add_argument("--quick", action="store_true", help="small sizes (100 viewers)")
    parser.add_argument("--viewers", type=int, help=f"steady viewers ({defaults.viewers})")
    parser.add_argument("--rate", type=float, help=f"steady votes per second ({defaults.rate:g})")
    parser.add_argument("--seconds", type=float, help=f"steady duration ({defaults.seconds:g})")
    parser.add_argument("--burst-viewers", type=int, help=f"({defaults.burst_viewers})")
    parser.add_argument("--burst-voters", type=int, help=f"({defaults.burst_voters})")
    parser.add_argument("--crowd-viewers", type=int, help=f"({defaults.crowd_viewers})")
    parser.add_argument("--crowd-voters", type=int, help=f"({defaults.crowd_voters})")
    parser.add_argument(
        "--room-students", type=int, help=f"students in the room ({defaults.room_students})"
    )
    parser.add_argument(
        "--room-launches",
        type=int,
        help=f"questions asked in the room, each then voted on ({defaults.room_launches})",
    )
    parser.add_argument(
        "--school-rooms", type=int, help=f"rooms in the school ({defaults.school_rooms})"
    )
    parser.add_argument(
        "--school-students",
        type=int,
        help=f"students in each room, besides its projector ({defaults.school_students})",
    )
    parser.add_argument(
        "--school-seconds",
        type=float,
        help=f"every student votes once within this many seconds ({defaults.school_seconds:g})",
    )
    parser.add_argument(
        "--deflate",
        choices=["off", "on", "both"],
        default="both",
        help="permessage-deflate on the servers (clients always offer it; default: both)",
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the naive broadcast")
    parser.add_argument(
        "--naive-max-messages",
        type=int,
        default=1_100_000,
        help="skip a naive burst that would send more messages than this (default 1,100,000: "
        "1,000 x 1,000 runs, 3,000 x 1,000 would take minutes)",
    )
    parser.add_argument(
        "--show-voters",
        choices=["everyone", "owner"],
        default="owner",
        help="the poll's setting (default: owner, the app's default: only the owner's "
        "socket gets avatars; 'everyone' pushes an avatar per vote to every viewer)",
    )
    parser.add_argument("--timeout", type=float, default=180, help="give up a phase after (s)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile Crowdsource's measured phases (cProfile); .prof files stay in the work dir",
    )
    parser.add_argument(
        "--stages",
        default=",".join(STAGES),
        help=f"comma-separated subset of {','.join(STAGES)} (default: all)",
    )
    parser.add_argument(
        "--src",
        type=Path,
        default=SRC,
        help="run Crowdsource from this source folder instead of the checkout's src/ "
        "(to compare a patched live layer; the database schema must be the same)",
    )
    parser.add_argument(
        "--sqlite",
        default="",
        metavar="PRAGMAS",
        help="SQLite pragmas for Crowdsource as DATABASE_URL query parameters, such as "
        "'synchronous=FULL' (default: none, the app's own: WAL with synchronous=NORMAL)",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="run Crowdsource on PostgreSQL instead of SQLite: a cluster of its own for the "
        "run (initdb, pg_ctl: Debian's postgresql), with PostgreSQL's durable defaults; its "
        "CPU counts as the server's",
    )
    parser.add_argument(
        "--processes",
        type=int,
        choices=[1, 2],
        default=1,
        help="Crowdsource processes per stage (default 1); 2 runs them on one SQLite file "
        "behind a fresh redis-server, viewers split half and half (no naive broadcast)",
    )
    parser.add_argument(
        "--votes-on",
        choices=["a", "both"],
        default="a",
        help="with --processes 2: only process A's viewers vote (default), or every viewer "
        "on its own process, so both processes write the SQLite file",
    )
    parser.add_argument(
        "--kind",
        choices=["single", "multiple", "text"],
        default="single",
        help="the poll's kind (default single); multiple: each vote picks two responses; "
        "text: every vote is an open answer, the viewers get one appended answer and the "
        "cloud's changed words per update",
    )
    parser.add_argument(
        "--languages",
        type=int,
        choices=range(1, 7),
        default=1,
        metavar="N",
        help="viewers take turns over the first N of en fr ar es de pt-BR (their "
        "crowdsource_lang cookie), so each update is rendered in N languages (default 1)",
    )
    parser.add_argument(
        "--roster",
        action="store_true",
        help="the voters are GitHub users; the poll is a room's question and that room (and "
        "the room stage's) has a roster listing the students, so the owner's page is told "
        "#roster, read from that roster, with each publish (a single-choice poll only)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, DBs)")
    args = parser.parse_args(argv)
    if args.postgres and args.sqlite:
        parser.error("--sqlite sets SQLite's pragmas: not with --postgres")
    return args


def sizes_from(args: argparse.Namespace) -> Sizes:
    sizes = sizes_from_args(QUICK if args.quick else Sizes(), args)
    unknown = set(args.stages.split(",")) - set(STAGES)
    if unknown:
        raise SystemExit(f"unknown stage(s): {', '.join(sorted(unknown))}")
    if sizes.warm + sizes.steady_votes > sizes.viewers:
        raise SystemExit("--viewers must exceed 10 + rate x seconds: each vote is a new voter")
    if sizes.burst_voters > sizes.burst_viewers or sizes.crowd_voters > sizes.crowd_viewers:
        raise SystemExit("voters vote over their own viewer sockets: voters <= viewers")
    if min(sizes.school_rooms, sizes.school_students) < 1 or sizes.school_seconds <= 0:
        raise SystemExit("the school needs at least one room of one student and some seconds")
    if args.roster and args.kind != "single":
        raise SystemExit("--roster asks a room's question: a single-choice poll")
    voting_share = 1 if args.votes_on == "both" else args.processes
    voting = -(-sizes.viewers // voting_share), -(-sizes.burst_viewers // voting_share)
    if sizes.warm + sizes.steady_votes > voting[0] or sizes.burst_voters > voting[1]:
        raise SystemExit("with --processes 2 only process A's half of the viewers vote")
    if sizes.crowd_voters > -(-sizes.crowd_viewers // voting_share):
        raise SystemExit("with --processes 2 only process A's half of the viewers vote")
    return sizes
