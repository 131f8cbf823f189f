"""POST /login/guest: how many guests one address may create for one poll."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from starlette.testclient import TestClient

from crowdsource.domain.models import User
from crowdsource.settings import Settings
from crowdsource.web.ratelimit import Limits, Rate
from tests.helpers.client import create_poll, csrf_of, make_settings, run, sets_token


def join_as_guest(client: TestClient, next_path: str, name: str = "Kim") -> int:
    """The next person at this browser signs out and joins as a guest; returns the status."""
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login/guest",
        data={"name": name, "next": next_path, "csrf_token": token},
        follow_redirects=False,
    )
    assert (response.status_code == 303) == sets_token(response)
    if response.status_code == 429:
        assert "Too many guests have joined this poll from your network" in response.text
        assert 'value="Kim"' in response.text  # the form keeps what was typed
    return response.status_code


def test_guests_per_poll_per_address_are_limited(
    client_factory: Callable[..., TestClient],
) -> None:
    owner = client_factory(guests_per_poll_per_address=2)
    join_as_guest(owner, "/")
    first, second = create_poll(owner), create_poll(owner)
    shared_computer = client_factory()
    statuses = [join_as_guest(shared_computer, f"/polls/{first}") for _ in range(3)]
    assert statuses == [303, 303, 429]  # the next person joins; a crowd does not
    assert join_as_guest(shared_computer, f"/polls/{first}/present?x=1") == 429
    assert join_as_guest(shared_computer, f"/polls/{second}") == 303  # another poll
    assert run(owner, User.filter(provider="guest").count) == 4


def test_paths_that_name_no_poll_share_one_allowance(
    client_factory: Callable[..., TestClient],
) -> None:
    client = client_factory(guests_per_poll_per_address=2)
    statuses = [join_as_guest(client, path) for path in ("/", "/polls/made-up", "/polls/x/y")]
    assert statuses == [303, 303, 429]


def test_a_refused_name_takes_nothing_from_the_allowance(
    client_factory: Callable[..., TestClient],
) -> None:
    client = client_factory(guests_per_poll_per_address=1)
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    blank = client.post("/login/guest", data={"name": " ", "next": "/", "csrf_token": token})
    assert blank.status_code == 400
    assert join_as_guest(client, "/") == 303


def test_the_allowance_refills_over_an_hour(tmp_path: Path) -> None:
    settings: Settings = make_settings(tmp_path, guests_per_poll_per_address=400)
    assert Limits.from_settings(settings).guests.rate == Rate(burst=400, per_minute=400 / 60)
