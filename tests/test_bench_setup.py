"""The benchmarks' own set-up runs against the current code (a renamed API breaks it here,
not only in a 10-minute benchmark run)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import jwt
import pytest
from tortoise.context import TortoiseContext

from bench import SRC
from bench.common.servers import sqlite_url
from bench.common.voters import mint_voters, student_login
from bench.soak.monitor import Sample
from bench.soak.probe import Pauses, map_sizes
from bench.soak.verdict import problems_at
from crowdsource.app import create_app
from crowdsource.auth.tokens import AUDIENCE, COOKIE_NAME
from crowdsource.domain.db import tortoise_config
from crowdsource.domain.models import User
from tests.helpers.client import TEST_SECRET, make_settings


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
    run(argparse.Namespace(**vars(args), owner="roster", voters_are="away", votes="new"))
    assert "#roster: the room's roster of every student" in capsys.readouterr().out
    assert reads and reads[0] == 3 + 2 * 2 + 2 + 2  # voters, the later voters, the sockets


@pytest.mark.parametrize(("voters_are", "shown_results"), [("away", 0), ("watching", 2)])
def test_the_publish_cost_benchmark_s_watching_voters_are_shown_the_results(
    voters_are: str,
    shown_results: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bench.publish_cost.run import run
    from crowdsource.realtime.full_state import FullStates

    full_states: list[int] = []
    render = FullStates.render

    def counted(self: FullStates, subscriber: Any, snapshot: Any) -> str:
        full_states.append(subscriber.viewer.user_id or 0)
        return render(self, subscriber, snapshot)

    monkeypatch.setattr(FullStates, "render", counted)
    args = argparse.Namespace(sockets=5, voters=3, responses=2, repeat=2, news="named")
    run(argparse.Namespace(**vars(args), owner="away", voters_are=voters_are, votes="new"))

    assert len(full_states) == 5 + shown_results  # each socket's first, then each voter's
    assert ("watching it" in capsys.readouterr().out) == (voters_are == "watching")


@pytest.mark.parametrize(("votes", "totals"), [("new", [7, 8, 9]), ("changed", [5] * 3)])
def test_the_publish_cost_benchmark_s_changed_votes_move_voters(
    votes: str,
    totals: list[int],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bench.publish_cost.run import run
    from crowdsource.realtime import poll_publishing

    patched = poll_publishing.patched
    seen: list[tuple[int, set[int]]] = []

    def counted(*args: Any) -> Any:
        found = patched(*args)
        before, after = args[2], found[0]
        moved = {u for u, choice in after.placed.items() if before.placed.get(u) != choice}
        seen.append((after.total_votes, moved - set(after.placed.keys() - before.placed.keys())))
        return found

    monkeypatch.setattr(poll_publishing, "patched", counted)
    args = argparse.Namespace(sockets=2, voters=5, responses=2, repeat=2, news="named")
    run(argparse.Namespace(**vars(args), owner="away", voters_are="away", votes=votes))

    # the first publish reads the poll whole; each after it is patched
    assert [total for total, _ in seen] == totals  # the same voters, or one more each time
    assert all(len(changed) == (votes == "changed") for _, changed in seen)  # a pick moved
    assert ("a changed pick" in capsys.readouterr().out) == (votes == "changed")


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
    told = re.search(r"bytes per vote: median ([\d,]+)", report)
    assert told, report
    # A row and the count each: not the whole panel (459 KB), nor the missing logins (11 KB).
    assert 300 < int(told.group(1).replace(",", "")) < 2_000, report


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

    run(argparse.Namespace(votes=30, responses=3, repeat=2, src="src", database_url=None))
    report = capsys.readouterr().out  # each page answered 200, or `timed` raised
    assert "database: sqlite" in report
    for page in (
        "/polls/{slug} (the voters' page",
        "/r/{code} (the room's page",
        "/r/{code}/present",
    ):
        assert f"| {page}" in report
    assert "Full state sent to a new socket: " in report and "30 voters." in report


@pytest.mark.postgres
def test_the_large_poll_benchmark_reads_the_pages_on_postgresql(
    shared_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench.large_poll.run import run

    run(
        argparse.Namespace(votes=30, responses=3, repeat=2, src="src", database_url=shared_database)
    )
    report = capsys.readouterr().out
    assert "database: postgres" in report
    assert "| /polls/{slug}/results.json |" in report and "30 voters." in report


def test_collections_count_from_the_freeze_on_without_walking_the_frozen_heap_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The servers' collection timing (bench/common/gc_timing.py) skips what start-up
    collects, and once the heap is frozen it does not ask again: the count walks every
    frozen object, at each collection's start and stop that was the server's CPU."""
    answers = iter([0, 0, 88_000])  # two asks before the freeze, one after
    monkeypatch.setattr("gc.get_freeze_count", lambda: next(answers))
    pauses = Pauses(since_freeze=True)
    for generation in (0, 0, 1):
        pauses._callback("start", {"generation": generation})
        pauses._callback("stop", {"generation": generation, "collected": 3})
    report = pauses.report()
    assert [g["count"] for g in report] == [1, 1, 0]  # the first, before the freeze: not
    assert [g["collected"] for g in report] == [3, 3, 0]


def test_the_update_render_benchmark_times_a_room_s_two_real_updates(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What it renders is what a vote pushes: the new total to the students, and to the
    projector the new voter's picture; the report has a row per update, and `--against`
    runs both trees in turn."""
    from bench.update_render import main, room_tally
    from crowdsource.domain.visibility import Audience
    from crowdsource.realtime.fragments import PAGE, ROOM, Fragments
    from crowdsource.web.templating import render_fragment

    fragments, before, after = Fragments(render_fragment), room_tally(7), room_tally(8)
    students = fragments.delta(before, after, Audience(True, False), PAGE)
    projector = fragments.delta(before, after, Audience(True, True, True), ROOM)
    assert 'data-total-votes="8"' in students and 'id="voter-' not in students
    assert 'data-total-votes="8"' in projector and 'id="voter-7"' in projector
    assert 'id="results-table"' in projector

    monkeypatch.setattr("sys.argv", ["bench.update_render", "--rounds", "2", "--publishes", "3"])
    main()
    rows = [line for line in capsys.readouterr().out.splitlines() if "update" in line]
    assert len(rows) == 3 and all(line.count("|") == 5 for line in rows)
    argv = ["bench.update_render", "--against", str(SRC), "--turns", "1", "--rounds", "1"]
    monkeypatch.setattr("sys.argv", [*argv, "--publishes", "2"])
    main()
    report = capsys.readouterr().out
    assert f"| this checkout | {SRC} |" in report and report.count(" (") >= 6


def test_the_join_cost_benchmark_reports_each_part_of_a_join(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A row per part, each a figure per round; the addresses are read from connections
    uvloop really accepted, the upgrade request reaches websockets as a `Request`, and both
    sockets' routes are found (none missing raises)."""
    from bench.join_cost.__main__ import main

    main(["--calls", "20"])
    rows = capsys.readouterr().out.splitlines()[2:]
    names = [re.split(r"\s{2,}", row.strip())[0] for row in rows]
    assert names == [
        "token, first sight",
        "token, seen before",
        "CSRF token",
        "socket CSRF, no seed",
        "addresses, both protocols",
        "upgrade request, read",
        "socket's route, found",
    ]
    assert all(len(re.findall(r"\d+\.\d", row)) == 6 for row in rows)  # median and 5 rounds
