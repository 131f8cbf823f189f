"""Hostile names and text shown on every surface: page, projector, embed, pushes, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from starlette.testclient import TestClient

from tests.helpers.client import create_poll, sign_in_guest, vote
from tests.helpers.sockets import receive_until

ATTACK = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def test_a_hostile_guest_name_is_inert_everywhere(
    client_factory: Callable[..., TestClient],
) -> None:
    owner, attacker = client_factory(), client_factory()
    sign_in_guest(owner, "Alex")
    slug = create_poll(
        owner,
        show_voters="everyone",
        question="Q" + ATTACK[:40],
        choices=["=cmd|' /C calc'!A0", ATTACK[:100]],
    )
    sign_in_guest(attacker, "@" + ATTACK[:39])
    choice = owner.get(f"/polls/{slug}/results.json").json()["choices"][0]["id"]
    with owner.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        vote(attacker, slug, choice)
        pushed = receive_until(ws, 'data-total-votes="1"')
    surfaces = {
        "page": owner.get(f"/polls/{slug}").text,
        "present": owner.get(f"/polls/{slug}/present").text,
        "embed": owner.get(f"/polls/{slug}/embed").text,
        "push": pushed,
        "attacker's own header": attacker.get("/").text,
    }
    for name, html in surfaces.items():
        assert "<img src=x" not in html, name
        assert "<script>alert" not in html, name
        assert "&lt;img src=x onerror=alert(1)&gt;" in html or "&#34;&gt;&lt;img" in html, name
    rows = list(csv.reader(io.StringIO(owner.get(f"/polls/{slug}/results.csv").text)))
    _, name, response, *_ = rows[1]
    assert name.startswith("'@") and response.startswith("'=cmd")
