"""WS /polls/{slug}/ws refusals: bad frames, votes it may not take, sockets it closes."""

from __future__ import annotations

import json
import logging

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.helpers.client import choice_ids, create_poll, csrf_of, votes_stored
from tests.helpers.sockets import receive_until, send_vote, ws_url


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ("not json at all", "could not be read"),
        ("[1, 2]", "Pick one"),
        ('{"HEADERS": {}}', "Pick one"),
        ('{"choice": "999999"}', "not part of this poll"),
        ('{"choice": {"$ne": 1}}', "Pick one"),
        ('{"choice": "1 OR 1=1"}', "Pick one"),
    ],
)
def test_bad_frames_get_an_error_fragment_and_change_nothing(
    people: dict[str, TestClient], frame: str, message: str
) -> None:
    slug = create_poll(people["owner"])
    with people["ada"].websocket_connect(ws_url(slug)) as ws:
        receive_until(ws, 'id="results"')
        ws.send_text(frame)
        error = receive_until(ws, 'id="vote-status"')
        send_vote(ws, choice_ids(people["owner"], slug)[0])  # the socket stays open
        receive_until(ws, "is in.")
    assert message in error and "vote-status-error" in error and 'hx-swap-oob="true"' in error
    assert votes_stored(people["owner"]) == 1


@pytest.mark.parametrize("frame", ["[" * 4000, '{"a":[' * 682], ids=["lists", "objects"])
def test_json_nested_thousands_deep_is_bad_input_not_a_crash(
    people: dict[str, TestClient], frame: str, caplog: pytest.LogCaptureFixture
) -> None:
    slug = create_poll(people["owner"])
    with caplog.at_level(logging.WARNING), people["ada"].websocket_connect(ws_url(slug)) as ws:
        receive_until(ws, 'id="results"')
        ws.send_text(frame)
        assert "could not be read" in receive_until(ws, "vote-status-error")
        send_vote(ws, choice_ids(people["owner"], slug)[0])  # the socket stays usable
        receive_until(ws, "is in.")
    assert [
        record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR
    ] == []
    assert votes_stored(people["owner"]) == 1


def test_a_choice_from_another_poll_is_refused(people: dict[str, TestClient]) -> None:
    slug, other = create_poll(people["owner"]), create_poll(people["owner"])
    with people["ada"].websocket_connect(ws_url(slug)) as ws:
        send_vote(ws, choice_ids(people["owner"], other)[0])
        assert "not part of this poll" in receive_until(ws, "vote-status-error")
    assert votes_stored(people["owner"]) == 0


def test_signed_out_viewers_watch_but_cannot_vote(people: dict[str, TestClient]) -> None:
    slug = create_poll(people["owner"])
    with people["visitor"].websocket_connect(ws_url(slug)) as ws:
        assert 'data-total-votes="0"' in receive_until(ws, 'id="results"')
        send_vote(ws, choice_ids(people["owner"], slug)[0])
        assert "Sign in to vote." in receive_until(ws, "vote-status-error")
    assert votes_stored(people["owner"]) == 0


def test_votes_after_close_are_refused_and_viewers_see_it_close(
    people: dict[str, TestClient],
) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    first = choice_ids(owner, slug)[0]
    with ada.websocket_connect(ws_url(slug)) as ws:
        receive_until(ws, 'id="results"')
        token = csrf_of(owner.get(f"/polls/{slug}").text)
        owner.post(f"/polls/{slug}/close", data={"csrf_token": token})
        closed = receive_until(ws, 'data-state="closed"')
        send_vote(ws, first)
        refused = receive_until(ws, "vote-status-error")
    assert "Voting closed." in closed and 'id="vote-form"' not in closed
    assert "Voting has closed" in refused
    assert votes_stored(owner) == 0


def test_a_frame_over_4_kib_closes_the_socket_with_1009(people: dict[str, TestClient]) -> None:
    slug = create_poll(people["owner"])
    with people["ada"].websocket_connect(ws_url(slug)) as ws:
        receive_until(ws, 'id="results"')
        ws.send_text(json.dumps({"choice": "1", "padding": "x" * 5000}))
        assert "too big" in receive_until(ws, "vote-status-error")
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                ws.receive_text()
    assert closed.value.code == 1009
    assert votes_stored(people["owner"]) == 0


def test_a_client_that_keeps_misbehaving_is_disconnected(people: dict[str, TestClient]) -> None:
    slug = create_poll(people["owner"])
    with people["ada"].websocket_connect(ws_url(slug)) as ws:
        receive_until(ws, 'id="results"')
        for _ in range(21):
            ws.send_text("nonsense")
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                ws.receive_text()
    assert closed.value.code == 1008


def test_a_foreign_origin_is_refused_before_accept(people: dict[str, TestClient]) -> None:
    slug = create_poll(people["owner"])
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        people["ada"].websocket_connect(ws_url(slug), headers={"origin": "https://evil.example"}),
    ):
        pass
    assert refused.value.code == 1008
    with people["ada"].websocket_connect(
        ws_url(slug), headers={"origin": "http://testserver"}
    ) as ws:
        assert 'id="results"' in receive_until(ws, 'id="results"')


def test_an_unknown_poll_is_refused(people: dict[str, TestClient]) -> None:
    with pytest.raises(WebSocketDisconnect), people["ada"].websocket_connect(ws_url("nope")):
        pass
