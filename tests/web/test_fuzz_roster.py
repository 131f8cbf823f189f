"""Property-based fuzzing of a room's roster: whatever logins, organisation and team an owner
types (on the host console or when creating the room), the server answers without failing
and stores only logins, organisations and teams of the forms a provider can give."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from crowdsource.domain.models import LOGIN_MAX, Room
from crowdsource.domain.roster import LOGIN, ORG, TEAM
from crowdsource.domain.roster_models import ORG_MAX, TEAM_MAX, RoomRoster, RosterMember
from tests.helpers.client import csrf_of, run, sign_in_guest
from tests.helpers.fuzzing import FUZZ, has_control_characters, nasty_text
from tests.helpers.rooms import create_room
from tests.helpers.roster import set_roster

# Lines that are nearly logins (a provider's shapes, padded, cased, or too long) and anything.
login_like = st.one_of(
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,45}(_[a-z]{1,5})?", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9._-]{1,20}@[a-z0-9-]{1,10}", fullmatch=True),
    st.sampled_from(["guest~ada", " octo-ada ", "-ada", "ada--b", "OCTO-ADA", "a" * 300]),
    nasty_text,
)
members_text = st.one_of(
    st.lists(login_like, max_size=8).map("\n".join),
    st.lists(login_like, max_size=8).map("\r\n".join),
    nasty_text,
)
name_like = st.one_of(
    st.just(""), st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,50}", fullmatch=True), nasty_text
)


@pytest.fixture
def owner(client_factory: Callable[..., TestClient]) -> TestClient:
    """One owner for every example (hypothesis reuses function-scoped fixtures)."""
    client = client_factory(polls_per_minute=100_000)
    sign_in_guest(client, "Fuzz Owner")
    return client


@FUZZ
@given(members=members_text, org=name_like, team=name_like)
def test_any_roster_form_is_answered_and_stores_only_valid_names(
    owner: TestClient, members: str, org: str, team: str
) -> None:
    code = _the_room(owner)
    response = set_roster(owner, code, members=members, org=org, team=team)
    assert response.status_code in {303, 400, 413, 429}
    event(f"roster form: {response.status_code}")
    _assert_valid_rosters(owner)


@FUZZ
@given(name=nasty_text, members=members_text, org=name_like, team=name_like)
def test_any_new_room_with_a_roster_is_answered_and_stores_only_valid_names(
    owner: TestClient, name: str, members: str, org: str, team: str
) -> None:
    fields = {"name": name, "members": members, "github_org": org, "github_team": team}
    token = csrf_of(owner.get("/rooms").text)
    response = owner.post("/rooms", data={**fields, "csrf_token": token}, follow_redirects=False)
    assert response.status_code in {303, 400, 413, 429}
    event(f"new room: {response.status_code}")
    for stored in run(owner, lambda: Room.all().values_list("name", flat=True)):
        assert stored and not has_control_characters(stored) and len(stored) <= 80
    _assert_valid_rosters(owner)


def _the_room(client: TestClient) -> str:
    """The fuzzing owner's one room, made on first use."""
    codes = run(client, lambda: Room.all().values_list("code", flat=True))
    return codes[0] if codes else create_room(client)


def _assert_valid_rosters(client: TestClient) -> None:
    for login, key in run(client, lambda: RosterMember.all().values_list("login", "login_key")):
        assert len(login) <= LOGIN_MAX and LOGIN.fullmatch(login) and key == key.casefold()
    for org, team in run(client, lambda: RoomRoster.all().values_list("github_org", "github_team")):
        assert org == "" or (len(org) <= ORG_MAX and ORG.fullmatch(org))
        assert team == "" or (org and len(team) <= TEAM_MAX and TEAM.fullmatch(team))
