"""Property-based fuzzing: whatever a client sends, the server never fails and stores
nothing that is not a valid vote, poll or name."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from crowdsource.domain.models import Poll, User, Vote
from tests.helpers.client import create_poll, csrf_of, run, sign_in_guest
from tests.helpers.fuzzing import FUZZ, has_control_characters, json_values, nasty_text
from tests.helpers.sockets import receive_until


@pytest.fixture
def poll_and_voter(client_factory: Callable[..., TestClient]) -> tuple[TestClient, str]:
    owner = client_factory(votes_per_second=1000)
    sign_in_guest(owner, "Fuzz Owner")
    return owner, create_poll(owner)


@FUZZ
@given(
    frame=st.one_of(
        json_values.map(json.dumps),
        st.text(max_size=300),
        st.dictionaries(st.just("choice"), json_values).map(json.dumps),
    )
)
def test_socket_frames_never_break_the_server(
    poll_and_voter: tuple[TestClient, str], frame: str
) -> None:
    client, slug = poll_and_voter
    valid = {c["id"] for c in client.get(f"/polls/{slug}/results.json").json()["choices"]}
    with client.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        ws.send_text(frame)
        answer = receive_until(ws, 'id="vote-status"')
    stored = run(client, lambda: Vote.all().values_list("choice_id", flat=True))
    if "vote-status-ok" in answer:
        assert json.loads(frame)["choice"] is not None
    assert {str(choice) for choice in stored} <= valid
    assert len(stored) <= 1


@FUZZ
@given(
    question=nasty_text,
    choices=st.lists(nasty_text, max_size=14),
    closes_at=nasty_text,
    timezone=nasty_text,
    visibility=nasty_text,
)
def test_any_poll_form_is_answered_without_a_crash(
    poll_and_voter: tuple[TestClient, str],
    question: str,
    choices: list[str],
    closes_at: str,
    timezone: str,
    visibility: str,
) -> None:
    client, _ = poll_and_voter
    token = csrf_of(client.get("/").text)
    data: dict[str, Any] = {
        "question": question,
        "choices": choices,
        "closes_at": closes_at,
        "timezone": timezone,
        "results_visibility": visibility,
        "csrf_token": token,
    }
    response = client.post("/polls", data=data, follow_redirects=False)
    assert response.status_code in {303, 400, 413, 429}
    for poll in run(client, lambda: Poll.all().prefetch_related("choices")):
        assert (
            poll.question
            and not has_control_characters(poll.question)
            and len(poll.question) <= 300
        )
        labels = [choice.label for choice in poll.choices]
        assert 2 <= len(labels) <= 12 and not any(has_control_characters(label) for label in labels)


@pytest.fixture
def visitor(client_factory: Callable[..., TestClient]) -> TestClient:
    """One client for every example (hypothesis reuses function-scoped fixtures)."""
    return client_factory(sign_ins_per_minute=100_000, guests_per_poll_per_address=100_000)


@FUZZ
@given(name=nasty_text)
def test_any_guest_name_is_answered_without_a_crash(visitor: TestClient, name: str) -> None:
    client = visitor
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login/guest",
        data={"name": name, "next": "/", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code in {303, 400}
    for stored in run(client, lambda: User.all().values_list("name", flat=True)):
        assert stored and not has_control_characters(stored) and len(stored) <= 40
