"""WS /polls/{slug}/ws with Starlette's TestClient: full state, fan-out, deltas, resync."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from crowdsource.web.routes import live
from tests.helpers.client import choice_ids, create_poll, csrf_of, vote, votes_stored
from tests.helpers.sockets import assert_swappable, receive_until, send_vote, ws_url


def test_connect_sends_the_full_state_first(people: dict[str, TestClient]) -> None:
    slug = create_poll(people["owner"])
    with people["visitor"].websocket_connect(ws_url(slug)) as ws:
        first = ws.receive_text()
    assert 'id="results"' in first and 'data-state="open"' in first
    assert 'data-total-votes="0"' in first
    assert 'id="vote-panel"' in first and 'id="poll-meta"' in first
    assert_swappable(first)


def test_a_vote_on_the_socket_reaches_every_viewer_with_the_avatar(
    people: dict[str, TestClient],
) -> None:
    owner, ada, visitor = people["owner"], people["ada"], people["visitor"]
    slug = create_poll(owner)
    first = choice_ids(owner, slug)[0]
    with (
        owner.websocket_connect(ws_url(slug)) as owner_ws,
        visitor.websocket_connect(ws_url(slug)) as visitor_ws,
        ada.websocket_connect(ws_url(slug)) as ada_ws,
    ):
        for ws in (owner_ws, visitor_ws, ada_ws):
            receive_until(ws, 'id="results"')
        send_vote(owner_ws, choice_ids(owner, slug)[1])  # the first vote (a full state to
        receive_until(owner_ws, 'data-total-votes="1"')  # the owner: "Vote again" appears)
        receive_until(visitor_ws, 'data-total-votes="1"')
        send_vote(ada_ws, first)
        assert "Your vote for “Old hat” is in." in receive_until(ada_ws, "vote-status")
        owner_update = receive_until(owner_ws, 'data-total-votes="2"')
        visitor_update = receive_until(visitor_ws, 'data-total-votes="2"')
    assert f'data-choice-id="{first}" data-votes="1"' in owner_update
    assert re.search(
        rf'id="voters-{first}" hx-swap-oob="beforeend">'
        r'<img class="voter" id="voter-\d+" data-voter="guest~',
        owner_update,
    )
    assert 'alt="Ada (guest)" title="Ada (guest)"' in owner_update  # a guest, not a GitHub Ada
    assert 'class="voter"' not in visitor_update  # show_voters=owner: nobody else gets avatars
    assert votes_stored(owner) == 2


def test_a_live_vote_turns_the_button_into_change_my_vote(people: dict[str, TestClient]) -> None:
    """The label follows the vote at once, not only after a reload: students stop tapping
    "Vote" again to be sure."""
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    with ada.websocket_connect(ws_url(slug)) as ws:
        state = receive_until(ws, 'id="vote-panel"')
        assert re.search(r'<button type="submit" id="vote-button" [^>]*>Vote</button>', state)
        assert 'id="vote-button" class="primary vote-button" hx-swap-oob' not in state
        send_vote(ws, choice_ids(owner, slug)[0])
        status = receive_until(ws, "vote-status")
    assert re.search(
        r'<button type="submit" id="vote-button" [^>]*hx-swap-oob="true">Change my vote</button>',
        status,
    )


def test_changing_a_vote_moves_the_avatar(people: dict[str, TestClient]) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    first, second, third = choice_ids(owner, slug)
    with (
        owner.websocket_connect(ws_url(slug)) as owner_ws,
        ada.websocket_connect(ws_url(slug)) as ada_ws,
    ):
        receive_until(owner_ws, 'id="results"')
        send_vote(owner_ws, third)  # the first vote brings the owner "Vote again" (a full state)
        receive_until(owner_ws, 'data-total-votes="1"')
        send_vote(ada_ws, first)
        receive_until(owner_ws, f'id="voters-{first}" hx-swap-oob="beforeend"')
        send_vote(ada_ws, second)
        moved = receive_until(owner_ws, f'id="voters-{second}" hx-swap-oob="beforeend"')
    voter_id = re.search(r'id="voter-(\d+)" hx-swap-oob="delete"', moved)
    assert voter_id, moved
    assert moved.index("delete") < moved.index(f'id="voters-{second}" hx-swap-oob="beforeend"')
    assert f'data-choice-id="{first}" data-votes="0"' in moved
    assert f'data-choice-id="{second}" data-votes="1"' in moved
    assert [c["votes"] for c in owner.get(f"/polls/{slug}/results.json").json()["choices"]] == [
        0,
        1,
        1,
    ]


def test_a_form_post_vote_moves_everyone_s_screen(people: dict[str, TestClient]) -> None:
    owner, bob = people["owner"], people["bob"]
    slug = create_poll(owner)
    second = choice_ids(owner, slug)[1]
    with owner.websocket_connect(ws_url(slug)) as owner_ws:
        receive_until(owner_ws, 'id="results"')
        assert vote(bob, slug, second).status_code == 303
        update = receive_until(owner_ws, 'data-total-votes="1"')
    assert f'data-choice-id="{second}" data-votes="1"' in update


def test_a_reconnecting_viewer_gets_the_true_state(people: dict[str, TestClient]) -> None:
    owner, ada, bob = people["owner"], people["ada"], people["bob"]
    slug = create_poll(owner)
    first, second, _ = choice_ids(owner, slug)
    vote(ada, slug, first)
    vote(bob, slug, second)
    with owner.websocket_connect(ws_url(slug)) as ws:
        state = receive_until(ws, 'id="results"')
    assert 'data-total-votes="2"' in state
    assert f'data-choice-id="{first}" data-votes="1"' in state and state.count('class="voter"') == 2


def test_after_vote_results_appear_for_the_voter_only(
    client_factory: Callable[..., TestClient], people: dict[str, TestClient]
) -> None:
    owner, ada, visitor = people["owner"], people["ada"], people["visitor"]
    slug = create_poll(owner, results_visibility="after_vote")
    with (
        ada.websocket_connect(ws_url(slug)) as ada_ws,
        visitor.websocket_connect(ws_url(slug)) as visitor_ws,
    ):
        assert "data-total-votes" not in receive_until(ada_ws, 'id="results"')
        receive_until(visitor_ws, 'id="results"')
        send_vote(ada_ws, choice_ids(owner, slug)[0])
        revealed = receive_until(ada_ws, "data-total-votes")
        assert 'data-total-votes="1"' in revealed
        ada_ws.send_text("ping")  # let the visitor's socket get everything queued so far
        receive_until(ada_ws, "vote-status-error")
    with visitor.websocket_connect(ws_url(slug)) as again:
        assert "data-total-votes" not in receive_until(again, 'id="results"')


def test_presence_counts_the_open_sockets(people: dict[str, TestClient]) -> None:
    slug = create_poll(people["owner"])
    with people["ada"].websocket_connect(ws_url(slug)) as first:
        receive_until(first, "1 watching")
        with people["bob"].websocket_connect(ws_url(slug)):
            receive_until(first, "2 watching")
        receive_until(first, "1 watching")


def test_the_owner_s_controls_follow_a_close_by_the_clock(people: dict[str, TestClient]) -> None:
    owner = people["owner"]
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    slug = create_poll(owner, closes_at=soon)
    with owner.websocket_connect(ws_url(slug)) as ws:
        first = receive_until(ws, 'id="results"')
        assert 'id="owner-panel"' not in first  # the page already shows it
        closed = receive_until(ws, 'data-state="closed"')
    assert 'id="owner-panel"' in closed
    assert (
        f'action="/polls/{slug}/reopen"' in closed and f'action="/polls/{slug}/close"' not in closed
    )


def test_only_the_owner_gets_the_controls(people: dict[str, TestClient]) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    with ada.websocket_connect(ws_url(slug)) as ws:
        receive_until(ws, 'id="results"')
        owner.post(
            f"/polls/{slug}/close", data={"csrf_token": csrf_of(owner.get(f"/polls/{slug}").text)}
        )
        closed = receive_until(ws, 'data-state="closed"')
    assert 'id="owner-panel"' not in closed and "/reopen" not in closed


def test_extending_a_poll_moves_every_viewer_s_countdown(people: dict[str, TestClient]) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner, closes_at=(datetime.now(UTC) + timedelta(minutes=10)).isoformat())
    with ada.websocket_connect(ws_url(slug)) as ws:
        receive_until(ws, 'id="results"')
        token = csrf_of(owner.get(f"/polls/{slug}").text)
        owner.post(f"/polls/{slug}/extend", data={"minutes": "15", "csrf_token": token})
        moved = receive_until(ws, 'id="poll-meta"')
    new_end = owner.get(f"/polls/{slug}/results.json").json()["closes_at"]
    assert f'datetime="{new_end}"' in moved


def test_a_socket_joining_a_watched_poll_reads_no_poll_of_its_own(
    people: dict[str, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    slug = create_poll(people["owner"])
    read: list[str] = []
    real = live.get_poll

    async def counting(slug: str) -> object:
        read.append(slug)
        return await real(slug)

    monkeypatch.setattr(live, "get_poll", counting)
    with people["ada"].websocket_connect(ws_url(slug)) as first:
        receive_until(first, 'id="results"')
        with people["bob"].websocket_connect(ws_url(slug)) as second:
            receive_until(second, 'id="results"')
            send_vote(second, choice_ids(people["owner"], slug)[0])
            receive_until(second, 'data-total-votes="1"')
    assert read == [slug]  # the second socket took the poll its publisher had read
