"""`multiple` and `scale` over the poll's socket: a list of picks in the frame, the rule on
picks enforced with the broken part said, deltas that move each pick's avatar and a scale's
mean."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.helpers.client import CHOICES, choice_ids, create_poll, votes_of
from tests.helpers.sockets import receive_until, send_vote, ws_url


def test_a_list_of_picks_is_one_vote_and_moves_every_screen(
    owner: TestClient, voters: list[TestClient]
) -> None:
    slug = create_poll(owner, kind="multiple", choices=CHOICES, max_picks="2")
    hammer, saw, drill, _ = choice_ids(owner, slug)
    ada = voters[0]
    with (
        owner.websocket_connect(ws_url(slug)) as owner_ws,
        ada.websocket_connect(ws_url(slug)) as ada_ws,
    ):
        receive_until(owner_ws, 'id="results"')
        receive_until(ada_ws, 'id="results"')
        send_vote(owner_ws, [drill])  # the first vote brings the owner "Vote again": a full
        receive_until(owner_ws, 'data-total-votes="1"')  # state; the deltas follow
        send_vote(ada_ws, [hammer, saw])
        assert "vote-status-ok" in receive_until(ada_ws, "vote-status")
        added = receive_until(owner_ws, 'data-total-votes="2"')
        assert re.search(
            rf'id="voters-{hammer}" hx-swap-oob="beforeend"><img [^>]*id="voter-{hammer}-\d+"',
            added,
        )
        assert re.search(
            rf'id="voters-{saw}" hx-swap-oob="beforeend"><img [^>]*id="voter-{saw}-\d+"', added
        )
        send_vote(ada_ws, [saw, drill])  # Hammer dropped, Drill added, Saw kept
        moved = receive_until(owner_ws, f'id="voters-{drill}" hx-swap-oob="beforeend"')
    assert re.search(rf'<img id="voter-{hammer}-\d+" hx-swap-oob="delete">', moved)
    assert f'id="voters-{saw}" hx-swap-oob="beforeend"' not in moved
    assert votes_of(owner, slug) == [0, 1, 2, 0]


def test_a_broken_rule_over_the_socket_says_which(
    owner: TestClient, voters: list[TestClient]
) -> None:
    slug = create_poll(owner, kind="multiple", choices=CHOICES, min_picks="2", max_picks="3")
    ids = choice_ids(owner, slug)
    with voters[0].websocket_connect(ws_url(slug)) as ws:
        receive_until(ws, 'id="results"')
        send_vote(ws, ids[0])  # a lone id is a list of one
        assert "Pick at least 2 responses." in receive_until(ws, "vote-status")
        send_vote(ws, ids)
        assert "Pick at most 3 responses." in receive_until(ws, "vote-status")
    assert votes_of(owner, slug) == [0, 0, 0, 0]


def test_a_scale_vote_pushes_the_mean_and_median(
    owner: TestClient, voters: list[TestClient]
) -> None:
    slug = create_poll(owner, kind="scale", scale_min="1", scale_max="5")
    ids = choice_ids(owner, slug)
    ada, bob, _ = voters
    with (
        owner.websocket_connect(ws_url(slug)) as owner_ws,
        ada.websocket_connect(ws_url(slug)) as ada_ws,
        bob.websocket_connect(ws_url(slug)) as bob_ws,
    ):
        first = receive_until(owner_ws, 'id="results"')
        assert 'data-mean="" data-median=""' in first
        receive_until(ada_ws, 'id="results"')
        receive_until(bob_ws, 'id="results"')
        send_vote(ada_ws, ids[1])
        receive_until(ada_ws, "vote-status-ok")
        receive_until(owner_ws, 'data-mean="2.00"')
        send_vote(bob_ws, ids[4])
        assert 'data-median="3.50"' in receive_until(owner_ws, 'data-mean="3.50"')
        send_vote(bob_ws, ids[2])  # a change of mind: the same total, a new mean
        assert "data-total-votes" not in receive_until(owner_ws, 'data-mean="2.50"')
        send_vote(ada_ws, [ids[0], ids[1]])  # a scale takes one number
        assert "vote-status-error" in receive_until(ada_ws, "vote-status")
