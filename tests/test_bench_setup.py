"""The benchmarks' own set-up runs against the current code (a renamed API breaks it here,
not only in a 10-minute benchmark run)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import jwt
import pytest
from tortoise.context import TortoiseContext

from bench.common.crowd import Viewer
from bench.common.servers import sqlite_url
from bench.common.voters import mint_voters, student_login
from bench.fanout.switches import Switches, combined
from bench.soak.monitor import Sample
from bench.soak.probe import map_sizes
from bench.soak.verdict import problems_at
from crowdsource.app import create_app
from crowdsource.auth.tokens import AUDIENCE, COOKIE_NAME
from crowdsource.domain.db import tortoise_config
from crowdsource.domain.models import User
from crowdsource.domain.tally import ChoiceTally, Tally
from crowdsource.domain.visibility import COUNTS, ResultsVisibility
from crowdsource.realtime.fragments import PAGE
from crowdsource.realtime.stages import RoomView
from tests.helpers.client import TEST_SECRET, make_settings
from tests.helpers.realtime import fragments


def minted_claims(cookies: list[str]) -> list[dict[str, Any]]:
    names, tokens = zip(*(cookie.split("=", 1) for cookie in cookies), strict=True)
    assert set(names) == {COOKIE_NAME}
    return [
        jwt.decode(
            token,
            TEST_SECRET,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer="http://127.0.0.1:8123",
        )
        for token in tokens
    ]


async def test_voters_are_minted_with_signed_cookies(tmp_path: Path) -> None:
    cookies = await mint_voters(sqlite_url(tmp_path), TEST_SECRET, "http://127.0.0.1:8123", 3)
    assert len(cookies) == 3
    claims = minted_claims(cookies)
    assert [claim["name"] for claim in claims] == ["Student 1", "Student 2", "Student 3"]
    assert all(claim["avatar"].startswith("/avatars/guest~") for claim in claims)


async def test_github_voters_are_minted_as_the_logins_a_roster_lists(tmp_path: Path) -> None:
    """`--roster` lists `student_login(n)`: the n-th cookie must be that GitHub user's."""
    cookies = await mint_voters(
        sqlite_url(tmp_path), TEST_SECRET, "http://127.0.0.1:8123", 2, github=True
    )
    claims = minted_claims(cookies)
    assert [claim["login"] for claim in claims] == [student_login(0), student_login(1)]
    url = sqlite_url(tmp_path)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        providers = await User.filter(login__in=[student_login(0), student_login(1)]).values_list(
            "provider", flat=True
        )
    assert list(providers) == ["github", "github"]


def test_the_soak_probe_reads_every_map_of_a_real_app(tmp_path: Path) -> None:
    sizes = map_sizes(create_app(make_settings(tmp_path)))
    assert set(sizes) >= {"sockets", "snapshots", "presence_sent", "close_timers", "vote_queue"}
    assert set(sizes.values()) == {0}


def soak_sample(tasks: int, fds: int, **maps: int) -> Sample:
    sizes = {"sockets": 0, "snapshots": 0, "close_tasks": 1, **maps}
    return Sample(0.0, 0, fds, {"maps": sizes, "tasks": tasks, "gc": []})


def test_the_soak_verdict_names_what_did_not_come_back_to_its_floor() -> None:
    idle = soak_sample(tasks=6, fds=17)
    assert problems_at(soak_sample(tasks=7, fds=18), idle) == []
    left = soak_sample(tasks=30, fds=40, snapshots=3, close_tasks=2)
    assert problems_at(left, idle) == [
        "snapshots = 3 (floor 0)",
        "close_tasks = 2 (floor 1)",
        "tasks = 30 (idle server: 6)",
        "file descriptors = 40 (idle server: 17)",
    ]


async def test_the_room_stage_reads_a_real_switch_message() -> None:
    """bench/fanout/switches.py finds a socket's switch in the markup the app pushes."""
    room = RoomView(1, "ABC234", "CS 101", 1, False, 5, ())
    choices = tuple(ChoiceTally(n, f"Choice {n}", 0, ()) for n in (11, 12))
    tally = Tally(5, "q-slug", "Question?", True, None, ResultsVisibility.ALWAYS, choices)
    message = fragments().stage(room, tally, COUNTS, PAGE).encode()
    viewers = [Viewer("ws://127.0.0.1:9/r/ABC234/ws", None, None, False) for _ in "ab"]
    switches = Switches(viewers)
    switches.arm()
    viewers[0].total = 7  # what the question before ended on
    switches.heard(viewers[0], message, 1.0)
    assert viewers[0].total == 0 and switches.slug == "q-slug" and not switches.done.is_set()
    switches.heard(viewers[0], message, 2.0)  # the same question again is no second switch
    switches.heard(viewers[1], message, 3.0)
    assert switches.done.is_set()
    assert switches.latency(viewers, 0.5) == (500.0, 2500.0)
    assert switches.choices() == ["11", "12"]


def test_the_room_stage_sums_up_its_rounds() -> None:
    rounds = [
        {"settle_ms": 100.0, "stored_total": 1000, "process A|settle_ms": 90.0},
        {"settle_ms": 300.0, "stored_total": 999, "process A|settle_ms": 80.0},
        {"settle_ms": 200.0, "stored_total": 1000, "process A|settle_ms": "not settled"},
    ]
    assert combined(rounds) == {
        "settle_ms": 200.0,
        "settle_max_ms": 300.0,
        "stored_total": 1000,
        "stored_total_min": 999,
        "process A|settle_ms": "not settled (1 of 3)",
    }


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--quick", "--kind", "text"],
        ["--kind", "multiple", "--languages", "3"],
        ["--roster"],
        ["--postgres", "--roster"],
    ],
)
def test_the_fanout_benchmarks_command_line_parses(argv: list[str]) -> None:
    from bench.fanout.cli import parse_args, sizes_from

    args = parse_args(argv)
    assert args.kind in ("single", "multiple", "text")
    assert sizes_from(args).users >= sizes_from(args).viewers


def test_sqlite_pragmas_are_refused_on_postgresql(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.fanout.cli import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--postgres", "--sqlite", "synchronous=NORMAL"])
    assert "not with --postgres" in capsys.readouterr().err


def test_a_roster_asks_a_single_choice_question() -> None:
    from bench.fanout.cli import parse_args, sizes_from

    with pytest.raises(SystemExit, match="--roster"):
        sizes_from(parse_args(["--roster", "--kind", "text"]))


def test_the_publish_cost_benchmark_tells_the_owner_its_room_s_roster(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.publish_cost.run import run
    from crowdsource.domain import participation

    reads: list[int] = []
    read = participation.roster_users

    async def counted(room_id: int) -> tuple[list[str], list[participation.Person]] | None:
        found = await read(room_id)
        reads.append(len(found[1]) if found else 0)
        return found

    monkeypatch.setattr(participation, "roster_users", counted)
    args = argparse.Namespace(sockets=2, voters=3, responses=2, repeat=2, news="named")
    run(argparse.Namespace(**vars(args), owner="roster"))
    assert "#roster: the room's roster of every student" in capsys.readouterr().out
    assert reads and reads[0] == 3 + 2 * 2 + 2 + 2  # voters, the later voters, the sockets


def test_the_school_stage_takes_its_sizes_from_the_command_line() -> None:
    from bench.fanout.cli import parse_args, sizes_from
    from bench.fanout.stages import STAGES

    argv = ["--stages", "school", "--school-rooms", "3", "--school-students", "4"]
    sizes = sizes_from(parse_args([*argv, "--school-seconds", "2.5"]))
    assert (sizes.school_rooms, sizes.school_students, sizes.school_seconds) == (3, 4, 2.5)
    assert "school" in STAGES and sizes.users >= 3 * 4 + 1
    quick = sizes_from(parse_args(["--quick", "--stages", "school"]))
    full = sizes_from(parse_args(["--stages", "school"]))
    assert (full.school_rooms, full.school_students, full.school_seconds) == (100, 50, 10)
    assert quick.school_rooms * quick.school_students < full.school_rooms * full.school_students
    assert full.users == 100 * 50 + 1  # one signed-in student per seat, and the probe
    with pytest.raises(SystemExit):
        sizes_from(parse_args(["--school-rooms", "0"]))


async def test_the_school_stage_spreads_every_students_vote_and_checks_each_room() -> None:
    from bench.common.crowd import Crowd
    from bench.common.owner import Owner
    from bench.fanout.classrooms import Classroom, schedule
    from bench.fanout.targets import school_verdict

    uri = "ws://127.0.0.1:9/r/ABC234/ws"
    rooms = []
    for code in ("ABC234", "DEF567"):
        room = Classroom(Owner("http://127.0.0.1:9"), code, Crowd(uri, None, False, False))
        room.crowd.viewers = [Viewer(uri, None, None, False) for _ in range(4)]
        room.students = room.crowd.viewers[:3]  # the fourth socket is the projector
        rooms.append(room)
    plan = schedule(rooms, 10.0)
    assert sorted((room.code, n) for _, room, n in plan) == sorted(
        (room.code, n) for room in rooms for n in range(3)
    )
    times = [when for when, _, _ in plan]
    assert times == sorted(times) and times[0] >= 0 and times[-1] <= 10.0
    assert len({room.code for _, room, _ in plan[:3]}) == 2  # the rooms' votes interleave
    room = rooms[0]
    room.watch = room.follow()
    room.sent = [0.0, 1.0, 2.0]
    room.stored = 3
    for viewer in room.crowd.viewers:
        viewer.total = 3
    assert room.exact()
    room.crowd.viewers[-1].total = 2  # the projector missed the last vote
    assert room.behind() == 1 and not room.exact()
    room.crowd.viewers[-1].total, room.stored = 3, 2  # one vote was not stored
    assert not room.exact()
    sizes = {"school_rooms": 2, "school_students": 3}
    met = {"school.latency_p99_ms": 120.0, "school.rooms_off": 0}
    assert school_verdict(met, sizes).endswith("PASS")
    assert school_verdict(met | {"school.rooms_off": 1}, sizes).endswith("FAIL")
    assert school_verdict(met | {"school.latency_p99_ms": 151.0}, sizes).endswith("FAIL")
    assert school_verdict({}, sizes).endswith("FAIL")


def test_a_run_disturbed_by_other_processes_or_by_the_hosts_other_guests_says_so() -> None:
    from bench.fanout.report import disturbances

    results = {
        "crowdsource": {"school.others_cpu_pct": 5.0, "school.steal_cpu_pct": 31.0},
        "naive": {"steady.others_cpu_pct": 42.0, "steady.steal_cpu_pct": 0.0},
    }
    assert disturbances(results) == [
        "- crowdsource school: other guests took 31 % of a core",
        "- naive steady: other processes used 42 % of a core",
    ]


def test_the_vote_cost_benchmark_stores_every_ballot_it_times(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bench.vote_cost.run import run

    run(argparse.Namespace(voters=3, batch=2, database_url=None, roster=False))  # refusals raise
    report = capsys.readouterr().out
    assert "| ballots stored | process CPU per ballot | transaction start to stored |" in report
    assert "| one at a time, a first vote (3) |" in report
    assert "| 2 per transaction (1 transactions) |" in report


def test_the_roster_benchmark_runs_with_voters_new_to_the_panel(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.roster_push import main

    monkeypatch.setattr("sys.argv", ["bench.roster_push", "--newcomers"])
    main()
    report = capsys.readouterr().out
    assert "1,000 members, 200 votes from newcomers; per vote, ms: status median " in report
    assert "bytes per vote: median 11,9" in report  # a row each, not the whole panel


def test_the_roster_read_benchmark_finds_every_member_through_the_index(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.roster_read import main

    argv = ["bench.roster_read", "--members", "3", "--accounts", "10", "--repeat", "2"]
    monkeypatch.setattr("sys.argv", argv)
    main()  # asserts it found the 3 members
    report = capsys.readouterr().out
    assert "database: sqlite; plan: SEARCH users USING INDEX users_lower_login" in report
    assert "a roster of 3 among 10 accounts, 2 reads: median " in report


def test_the_large_poll_benchmark_reads_every_page_of_a_rooms_question(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bench.large_poll.run import run

    run(argparse.Namespace(votes=30, responses=3, repeat=2, src="src"))  # each page: a 200
    report = capsys.readouterr().out
    for page in (
        "/polls/{slug} (the voters' page",
        "/r/{code} (the room's page",
        "/r/{code}/present",
    ):
        assert f"| {page}" in report
    assert "Full state sent to a new socket: " in report and "30 voters." in report
