"""WS /r/{code}/ws: full state on connect, the current question's deltas, one message that
replaces #stage when the instructor moves on, and votes for the current question only."""

from __future__ import annotations

import json
import re

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from crowdsource.domain.models import Vote
from tests.helpers.client import run
from tests.helpers.queries import statements
from tests.helpers.rooms import ask, create_room, host_post, launch, room_socket
from tests.helpers.sockets import assert_swappable, choice_ids_in, receive_until


def send(ws: object, choice: str, poll: str | None = None) -> None:
    frame = {"choice": choice, "HEADERS": {"HX-Request": "true"}}
    if poll is not None:
        frame["poll"] = poll
    ws.send_text(json.dumps(frame))  # type: ignore[attr-defined]


def test_connect_while_waiting_sends_the_waiting_stage(people: dict[str, TestClient]) -> None:
    code = create_room(people["owner"])
    with people["visitor"].websocket_connect(f"/r/{code}/ws") as ws:
        first = ws.receive_text()
    assert_swappable(first)
    assert 'id="stage"' in first and 'data-poll=""' in first
    assert "Waiting for the next question…" in first
    assert 'id="presence"' in first


def test_a_launch_replaces_the_stage_everywhere_with_the_full_question(
    people: dict[str, TestClient],
) -> None:
    owner, ada, visitor = people["owner"], people["ada"], people["visitor"]
    code = create_room(owner)
    with (
        ada.websocket_connect(room_socket(code)) as ada_ws,
        visitor.websocket_connect(room_socket(code, "room")) as projector,
        owner.websocket_connect(room_socket(code, "host")) as host,
    ):
        for ws in (ada_ws, projector, host):
            receive_until(ws, 'id="stage"')
        slug = ask(owner, code)
        student = receive_until(ada_ws, f'data-poll="{slug}"')
        wall = receive_until(projector, f'data-poll="{slug}"')
        console = receive_until(host, f'data-poll="{slug}"')
    # One message: the stage, with the question, its results and (for a student) the form.
    assert student.startswith('<section id="stage"')
    assert "Which one is a prime?" in student and 'data-total-votes="0"' in student
    assert 'id="vote-form"' in student and f'name="poll" value="{slug}"' in student
    assert 'id="vote-form"' not in wall and 'data-total-votes="0"' in wall
    assert "Close voting" in console and 'id="room-questions"' in console
    assert 'data-question-state="live"' in console


def test_votes_on_the_room_socket_reach_every_screen(people: dict[str, TestClient]) -> None:
    owner, ada, visitor = people["owner"], people["ada"], people["visitor"]
    code = create_room(owner)
    slug = ask(owner, code)
    with (
        ada.websocket_connect(room_socket(code)) as ada_ws,
        visitor.websocket_connect(room_socket(code, "room")) as projector,
        owner.websocket_connect(room_socket(code, "host")) as host,
        visitor.websocket_connect(f"/polls/{slug}/ws") as poll_page,
    ):
        first = receive_until(ada_ws, 'id="stage"')
        for ws in (projector, host, poll_page):
            receive_until(ws, 'id="results"')
        seven = choice_ids_in(first)[1]
        send(ada_ws, seven, slug)
        assert "Your vote for “7” is in." in receive_until(ada_ws, "vote-status")
        assert f'data-choice-id="{seven}" data-votes="1"' in receive_until(
            projector, 'data-total-votes="1"'
        )
        console = receive_until(host, 'data-total-votes="1"')
        assert 'data-voter="guest~' in console  # the owner sees who voted
        receive_until(poll_page, 'data-total-votes="1"')  # the poll's own page follows too
    assert run(owner, Vote.all().count) == 1


def test_a_vote_for_a_question_that_has_ended_is_refused(people: dict[str, TestClient]) -> None:
    owner, ada = people["owner"], people["ada"]
    code = create_room(owner)
    old = ask(owner, code)
    with ada.websocket_connect(room_socket(code)) as ada_ws:
        first = receive_until(ada_ws, 'id="stage"')
        new = ask(owner, code, question="Next?", choices=["Yes", "No"])
        receive_until(ada_ws, f'data-poll="{new}"')
        send(ada_ws, choice_ids_in(first)[0], old)
        status = receive_until(ada_ws, "vote-status-error")
    assert "That question has ended" in status
    assert run(owner, Vote.all().count) == 0
    assert owner.get(f"/polls/{old}/results.json").json()["state"] == "closed"


def test_moving_on_clears_the_status_of_the_question_before(
    people: dict[str, TestClient],
) -> None:
    """ "Your vote … is in" under the next question would say a vote was cast that was not."""
    owner, ada = people["owner"], people["ada"]
    code = create_room(owner)
    slug = ask(owner, code)
    with ada.websocket_connect(room_socket(code)) as ada_ws:
        send(ada_ws, choice_ids_in(receive_until(ada_ws, 'id="stage"'))[0], slug)
        assert "is in." in receive_until(ada_ws, "vote-status")
        new = ask(owner, code, question="Next?", choices=["Yes", "No"])
        cleared = receive_until(ada_ws, f'data-poll="{new}"')  # in the same message
    assert re.search(r'<p id="vote-status"[^>]*></p>', cleared), cleared


def test_a_vote_while_the_room_waits_is_refused(people: dict[str, TestClient]) -> None:
    owner, ada = people["owner"], people["ada"]
    code = create_room(owner)
    slug = ask(owner, code)
    with ada.websocket_connect(room_socket(code)) as ada_ws:
        first = receive_until(ada_ws, 'id="stage"')
        host_post(owner, f"/r/{code}/current", poll="")
        receive_until(ada_ws, 'data-poll=""')
        send(ada_ws, choice_ids_in(first)[0])
        assert "no question to answer right now" in receive_until(ada_ws, "vote-status-error")
    assert run(owner, Vote.all().count) == 0
    assert slug


def test_a_late_joiner_lands_on_the_current_question(people: dict[str, TestClient]) -> None:
    owner, bob = people["owner"], people["bob"]
    code = create_room(owner)
    ask(owner, code)
    second = ask(owner, code, question="Second?", choices=["A", "B"])
    with bob.websocket_connect(room_socket(code)) as ws:
        first = receive_until(ws, 'id="stage"')
    assert f'data-poll="{second}"' in first and "Second?" in first


def test_a_socket_joining_a_room_watched_here_sends_no_query_for_the_room(
    people: dict[str, TestClient],
) -> None:
    owner, ada, bob, visitor = people["owner"], people["ada"], people["bob"], people["visitor"]
    code = create_room(owner)
    slug = ask(owner, code)
    with ada.websocket_connect(room_socket(code)) as first:
        receive_until(first, f'data-poll="{slug}"')
        with statements() as sql, bob.websocket_connect(room_socket(code)) as second:
            joined = receive_until(second, 'id="stage"')
        assert not [statement for statement in sql if '"rooms"' in statement]
        assert f'data-poll="{slug}"' in joined and 'id="vote-form"' in joined
        # The code as typed (any case, a dash) is looked up as before.
        typed = f"{code[:3]}-{code[3:]}".lower()
        with visitor.websocket_connect(room_socket(typed)) as third:
            assert f'data-poll="{slug}"' in receive_until(third, 'id="stage"')


def test_next_launches_the_next_prepared_question_then_waits(
    people: dict[str, TestClient],
) -> None:
    owner, ada = people["owner"], people["ada"]
    code = create_room(owner)
    one = ask(owner, code, question="One?", launch="0")
    two = ask(owner, code, question="Two?", launch="0")
    with ada.websocket_connect(room_socket(code)) as ws:
        receive_until(ws, 'data-poll=""')
        for slug in (one, two, ""):
            assert host_post(owner, f"/r/{code}/next").status_code == 303
            receive_until(ws, f'data-poll="{slug}"')


def test_unknown_codes_and_foreign_origins_are_refused(people: dict[str, TestClient]) -> None:
    code = create_room(people["owner"])
    with (
        pytest.raises(WebSocketDisconnect),
        people["visitor"].websocket_connect(room_socket("ZZZZZZ")) as ws,
    ):
        ws.receive_text()
    with (
        pytest.raises(WebSocketDisconnect),
        people["visitor"].websocket_connect(
            room_socket(code), headers={"origin": "https://evil.example"}
        ) as ws,
    ):
        ws.receive_text()


def test_only_the_owner_gets_the_host_view(people: dict[str, TestClient]) -> None:
    owner, ada = people["owner"], people["ada"]
    code = create_room(owner)
    slug = ask(owner, code)
    with ada.websocket_connect(room_socket(code, "host")) as ws:
        first = receive_until(ws, 'id="stage"')
    assert "Close voting" not in first and 'id="room-questions"' not in first
    assert f'data-poll="{slug}"' in first and 'id="vote-form"' in first
    assert launch(ada, code, slug).status_code == 403
