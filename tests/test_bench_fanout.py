"""The fan-out benchmark's own pieces run against the current code: its command line, how
its room and school stages read what the app pushes and judge a run (a renamed API or a
changed markup breaks it here, not only in a 10-minute benchmark run)."""

from __future__ import annotations

import pytest

from bench.common.crowd import Viewer
from bench.fanout.switches import Switches, combined
from crowdsource.domain.tally import ChoiceTally, Tally
from crowdsource.domain.visibility import COUNTS, ResultsVisibility
from crowdsource.realtime.fragments import PAGE
from crowdsource.realtime.stages import RoomView
from tests.helpers.realtime import fragments


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
