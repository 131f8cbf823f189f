"""The benchmarks' own set-up runs against the current code (a renamed API breaks it here,
not only in a 10-minute benchmark run)."""

from __future__ import annotations

from pathlib import Path

import jwt

from bench.common.voters import mint_voters
from bench.soak.monitor import Sample
from bench.soak.probe import map_sizes
from bench.soak.verdict import problems_at
from crowdsource.app import create_app
from crowdsource.auth.tokens import AUDIENCE, COOKIE_NAME
from tests.helpers.client import TEST_SECRET, make_settings


async def test_voters_are_minted_with_signed_cookies(tmp_path: Path) -> None:
    cookies = await mint_voters(tmp_path, TEST_SECRET, "http://127.0.0.1:8123", 3)
    assert len(cookies) == 3
    names, tokens = zip(*(cookie.split("=", 1) for cookie in cookies), strict=True)
    assert set(names) == {COOKIE_NAME}
    claims = [
        jwt.decode(
            token,
            TEST_SECRET,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer="http://127.0.0.1:8123",
        )
        for token in tokens
    ]
    assert [claim["name"] for claim in claims] == ["Student 1", "Student 2", "Student 3"]
    assert all(claim["avatar"].startswith("/avatars/guest~") for claim in claims)


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
