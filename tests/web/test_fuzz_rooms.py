"""Property-based fuzzing of the classroom routes: whatever a client sends to a room (frames,
codes, names, host forms), the server answers without failing and stores nothing invalid."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from crowdsource.domain.models import Poll, Room, Vote
from tests.helpers.client import csrf_of, run, sign_in_guest
from tests.helpers.fuzzing import FUZZ, has_control_characters, json_values, nasty_text
from tests.helpers.rooms import ask, create_room, room_socket
from tests.helpers.sockets import receive_until


@pytest.fixture
def room(client_factory: Callable[..., TestClient]) -> tuple[TestClient, str, str]:
    """An owner (also voting, without a rate limit), their room and its current question."""
    owner = client_factory(votes_per_second=1000, polls_per_minute=100_000)
    sign_in_guest(owner, "Fuzz Owner")
    code = create_room(owner)
    return owner, code, ask(owner, code)


@FUZZ
@given(
    frame=st.one_of(
        json_values.map(json.dumps),
        st.text(max_size=300),
        st.fixed_dictionaries({"choice": json_values, "poll": json_values}).map(json.dumps),
    )
)
def test_room_socket_frames_never_break_the_server(
    room: tuple[TestClient, str, str], frame: str
) -> None:
    client, code, slug = room
    valid = {c["id"] for c in client.get(f"/polls/{slug}/results.json").json()["choices"]}
    with client.websocket_connect(room_socket(code)) as ws:
        receive_until(ws, 'id="stage"')
        ws.send_text(frame)
        answer = receive_until(ws, 'id="vote-status"')
    stored = run(client, lambda: Vote.all().values_list("choice_id", flat=True))
    if "vote-status-ok" in answer:
        sent = json.loads(frame)
        assert sent.get("poll") in (None, slug) or not isinstance(sent.get("poll"), str)
    assert {str(choice) for choice in stored} <= valid and len(stored) <= 1


@FUZZ
@given(typed=nasty_text)
def test_any_typed_code_is_answered_without_a_crash(
    client_factory: Callable[..., TestClient], typed: str
) -> None:
    client = client_factory()
    response = client.get("/join", params={"code": typed}, follow_redirects=False)
    assert response.status_code in {200, 303, 400, 404, 414, 429}
    if response.status_code == 303:
        assert response.headers["location"].startswith("/r/")


@FUZZ
@given(
    name=nasty_text,
    preset=nasty_text,
    poll=nasty_text,
    step=nasty_text,
    question=nasty_text,
    choices=st.lists(nasty_text, max_size=14),
)
def test_any_host_form_is_answered_without_a_crash(
    room: tuple[TestClient, str, str],
    name: str,
    preset: str,
    poll: str,
    step: str,
    question: str,
    choices: list[str],
) -> None:
    client, code, slug = room
    token = csrf_of(client.get(f"/r/{code}/host").text)
    posts: list[tuple[str, dict[str, Any]]] = [
        ("/settings", {"name": name}),
        ("/polls", {"preset": preset, "question": question, "choices": choices, "launch": "1"}),
        ("/current", {"poll": poll}),
        (f"/polls/{slug}/move", {"step": step}),
    ]
    for path, fields in posts:
        response = client.post(
            f"/r/{code}{path}", data={"csrf_token": token, **fields}, follow_redirects=False
        )
        assert response.status_code in {303, 400, 413, 429}, (path, response.status_code)
    for stored in run(client, lambda: Room.all().values_list("name", flat=True)):
        assert stored and not has_control_characters(stored) and len(stored) <= 80
    for stored in run(client, lambda: Poll.all().values_list("question", flat=True)):
        assert stored and not has_control_characters(stored) and len(stored) <= 300
