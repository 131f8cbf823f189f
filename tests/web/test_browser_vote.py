"""One guest vote per browser and poll (issue 21, 7): signing out and joining again as a new
guest does not give a browser a second vote; the next person at a shared computer still
joins. Signing out asks first and comes back to the page it was on."""

from __future__ import annotations

import json
import re

from starlette.testclient import TestClient

from tests.helpers.client import choice_ids, create_poll, csrf_of, sign_in_guest, vote
from tests.helpers.rooms import ask, create_room, room_socket
from tests.helpers.sockets import receive_until

SECOND_VOTE = "This browser has already voted in this poll, as another guest"


def total(client: TestClient, slug: str) -> int:
    return client.get(f"/polls/{slug}/results.json").json()["total_votes"]


def sign_out_from(client: TestClient, path: str) -> str:
    """Press "Sign out" on the page at `path`; returns where it leads."""
    page = client.get(path).text
    form = re.search(r'<form method="post" action="/logout">.*?</form>', page, re.S)
    assert form and f'name="next" value="{path}"' in form.group(0)
    response = client.post(
        "/logout", data={"csrf_token": csrf_of(form.group(0)), "next": path}, follow_redirects=False
    )
    assert response.status_code == 303
    return response.headers["location"]


def test_a_guest_who_signs_out_and_joins_again_cannot_vote_twice(
    owner: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    first, second, _ = choice_ids(owner, slug)
    sign_in_guest(stranger, "Sam")
    assert vote(stranger, slug, first).status_code == 303
    assert sign_out_from(stranger, f"/polls/{slug}") == f"/polls/{slug}"
    # The one-submit form: refused before anyone is made, what was typed kept.
    token = csrf_of(stranger.get(f"/polls/{slug}").text)
    refused = stranger.post(
        f"/polls/{slug}/votes", data={"csrf_token": token, "name": "Sam 2", "choice": second}
    )
    assert refused.status_code == 409 and SECOND_VOTE in refused.text
    assert 'value="Sam 2"' in refused.text
    # Joining is still possible (a shared computer's next person), a second vote here is not:
    sign_in_guest(stranger, "Priya")
    refused = vote(stranger, slug, second)
    assert refused.status_code == 409 and SECOND_VOTE in refused.text
    with stranger.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        ws.send_text(json.dumps({"choice": second}))
        assert SECOND_VOTE in receive_until(ws, "vote-status-error")
    assert total(owner, slug) == 1
    other = create_poll(owner, question="Another question")  # elsewhere Priya votes as usual
    assert vote(stranger, other, choice_ids(owner, other)[0]).status_code == 303
    assert total(owner, other) == 1


def test_the_guest_who_voted_may_still_change_their_mind(
    owner: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    first, second, _ = choice_ids(owner, slug)
    sign_in_guest(stranger, "Sam")
    vote(stranger, slug, first)
    assert vote(stranger, slug, second).status_code == 303
    votes = [c["votes"] for c in owner.get(f"/polls/{slug}/results.json").json()["choices"]]
    assert votes == [0, 1, 0]


def test_sign_out_goes_back_to_the_page_and_never_to_another_site(student: TestClient) -> None:
    assert sign_out_from(student, "/polls") == "/polls"
    sign_in_guest(student, "Sam again")
    token = csrf_of(student.get("/").text)
    response = student.post(
        "/logout",
        data={"csrf_token": token, "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_sign_out_asks_first_and_a_guest_is_told_why(student: TestClient) -> None:
    page = student.get("/").text
    menu = re.search(r'<details class="sign-out">.*?</details>', page, re.S)
    assert menu and "<summary>Sign out</summary>" in menu.group(0)
    assert "A guest has no password" in menu.group(0)


def test_students_do_not_see_the_instructor_s_links(owner: TestClient, student: TestClient) -> None:
    slug = create_poll(owner)
    assert ">My polls</a>" not in student.get(f"/polls/{slug}").text
    assert ">My polls</a>" in owner.get(f"/polls/{slug}").text
    assert ">My polls</a>" in student.get("/").text  # where polls are made, the link is there


def test_a_rooms_socket_refuses_a_browsers_second_guest_too(
    owner: TestClient, stranger: TestClient
) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    first, second, _ = choice_ids(owner, slug)
    sign_in_guest(stranger, "Sam")
    with stranger.websocket_connect(room_socket(code)) as ws:
        receive_until(ws, 'id="stage"')
        ws.send_text(json.dumps({"choice": first, "poll": slug}))
        receive_until(ws, "is in.")
    sign_out_from(stranger, f"/r/{code}")
    sign_in_guest(stranger, "Priya")
    with stranger.websocket_connect(room_socket(code)) as ws:
        receive_until(ws, 'id="stage"')
        ws.send_text(json.dumps({"choice": second, "poll": slug}))
        assert SECOND_VOTE in receive_until(ws, "vote-status-error")
    assert total(owner, slug) == 1
