"""#roster on the owner's screens: who answered the current question, live, with the
count and the missing logins to copy; with and without a roster."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.testclient import TestClient

from tests.helpers.client import sign_in_guest, vote
from tests.helpers.rooms import ask, create_room, room_socket
from tests.helpers.roster import set_roster, sign_in_as
from tests.helpers.sockets import choice_ids_in, receive_until


def answered(html: str) -> dict[str, str]:
    """The members' answered state in a page's or a whole push's #roster, or in a vote's
    out-of-band rows (partials/roster_delta.html)."""
    section = html[html.index('id="roster"') :] if 'id="roster"' in html else html
    section = section[: section.index("</section>")] if "</section>" in section else section
    return dict(re.findall(r'data-member="([^"]+)" data-answered="(true|false)"', section))


def test_the_console_greys_out_the_roster_until_each_answers_live(
    client_factory: Callable[..., TestClient],
) -> None:
    owner, ada, bob = client_factory(), client_factory(), client_factory()
    sign_in_guest(owner, "Alex Owner")
    code = create_room(owner)
    set_roster(owner, code, "octo-ada\nocto-bob\nnever-signed-in")
    sign_in_as(ada, "octo-ada")
    sign_in_as(bob, "Octo-Bob")
    slug = ask(owner, code)
    host = owner.get(f"/r/{code}/host").text
    assert answered(host) == {
        "never-signed-in": "false",
        "octo-ada": "false",
        "Octo-Bob": "false",
    }
    assert "0 of 3 answered" in host and 'data-copy-target="roster-missing-logins"' in host
    seven = choice_ids_in(host)[1]
    with owner.websocket_connect(room_socket(code, "host")) as console:
        receive_until(console, 'id="stage"')
        assert vote(ada, slug, seven).status_code == 303
        pushed = receive_until(console, "1 of 3 answered")
        assert 'hx-swap-oob="true"' in pushed
        assert answered(pushed)["octo-ada"] == "true" and answered(pushed)["Octo-Bob"] == "false"
        assert ">never-signed-in Octo-Bob</textarea>" in pushed
        vote(bob, slug, seven)
        delta = receive_until(console, "2 of 3 answered")
        assert answered(delta) == {"Octo-Bob": "true"}  # the one row that changed
        assert "roster-missing-logins" not in delta  # the page fills it from the rows
    page = owner.get(f"/polls/{slug}").text  # the owner's poll page shows it too
    assert "2 of 3 answered" in page and 'id="roster"' in page
    assert all("js/roster.js" in screen for screen in (host, page))
    assert 'id="roster"' not in ada.get(f"/polls/{slug}").text  # for the owner only
    assert 'id="roster"' not in ada.get(f"/r/{code}").text


def test_without_a_roster_everyone_seen_in_the_room_counts(
    client_factory: Callable[..., TestClient],
) -> None:
    owner, ada, bob = client_factory(), client_factory(), client_factory()
    sign_in_guest(owner, "Alex Owner")
    sign_in_guest(ada, "Ada")
    sign_in_guest(bob, "Bob")
    code = create_room(owner)
    slug = ask(owner, code)
    seven = choice_ids_in(owner.get(f"/r/{code}/host").text)[1]
    with (
        bob.websocket_connect(room_socket(code)) as bob_ws,
        owner.websocket_connect(room_socket(code, "host")) as console,
    ):
        receive_until(bob_ws, 'id="stage"')
        receive_until(console, 'id="stage"')
        vote(ada, slug, seven)
        pushed = receive_until(console, "1 of 2 answered")
        assert "No roster in this room" in pushed
        assert sorted(answered(pushed).values()) == ["false", "true"]
