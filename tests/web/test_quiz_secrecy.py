"""A quiz's answer stays secret until its owner reveals it: every response body and every
socket frame anyone but the owner can get, on every surface (poll and room pages, both
sockets, projector and embed — the owner's own included —, results.json, the CSV), through
votes, every audience, a close and a reopen. Then, after the reveal, all of them mark it,
live on the sockets already open."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from starlette.testclient import TestClient

from tests.helpers.client import csrf_of, owner_and_class, vote
from tests.helpers.quiz import drain, leaks, marked_correct, receive_marked, verdict
from tests.helpers.rooms import ask, create_room, host_post, room_socket
from tests.helpers.sockets import send_vote

# Every audience in turn: results hidden, counts only, counts with voters.
AUDIENCES = (("always", "owner"), ("always", "everyone"))


def bodies(people: dict[str, TestClient], slug: str, code: str) -> dict[str, str]:
    """Every page a non-owner can load, and the owner's public screens."""
    found = {}
    for name in ("ada", "bob", "visitor"):
        client = people[name]
        for path in (
            f"/polls/{slug}",
            f"/polls/{slug}/results.json",
            f"/polls/{slug}/results.csv",
            f"/polls/{slug}/present",
            f"/polls/{slug}/embed",
            f"/r/{code}",
            f"/r/{code}/present",
            f"/r/{code}/host",
            f"/r/{code}/results.csv",
        ):
            found[f"{name} {path}"] = client.get(path).text
    for path in (f"/polls/{slug}/present", f"/polls/{slug}/embed", f"/r/{code}/present"):
        found[f"owner {path}"] = people["owner"].get(path).text
    return found


def open_sockets(stack: ExitStack, people: dict[str, TestClient], slug: str, code: str) -> Any:
    """Both sockets, every surface, for the students, a visitor and the owner's projector."""
    sockets = {}
    for name in ("ada", "bob", "visitor"):
        sockets[f"{name} poll"] = f"/polls/{slug}/ws"
        sockets[f"{name} room"] = room_socket(code)
    for name in ("visitor", "owner"):
        sockets[f"{name} poll projector"] = f"/polls/{slug}/ws?view=room"
        sockets[f"{name} room projector"] = room_socket(code, "room")
    return {
        key: stack.enter_context(people[key.split()[0]].websocket_connect(path))
        for key, path in sockets.items()
    }


def owner_post(owner: TestClient, slug: str, action: str, **data: str) -> None:
    token = csrf_of(owner.get(f"/polls/{slug}").text)
    response = owner.post(f"/polls/{slug}/{action}", data={"csrf_token": token, **data})
    assert response.status_code == 200, response.text


def test_nobody_but_the_owner_learns_the_answer_before_the_reveal(
    client_factory: Callable[..., TestClient],
) -> None:
    people = owner_and_class(client_factory)
    owner, ada, bob = people["owner"], people["ada"], people["bob"]
    code = create_room(owner)
    slug = ask(owner, code, correct=["2"], results_visibility="after_close")
    choices = owner.get(f"/polls/{slug}/results.json").json()["choices"]
    wrong, right = choices[0]["id"], choices[1]["id"]
    seen: dict[str, list[str]] = {}
    with ExitStack() as stack:
        sockets = open_sockets(stack, people, slug, code)
        host = stack.enter_context(owner.websocket_connect(room_socket(code, "host")))

        def gather(step: str) -> None:
            for key, ws in sockets.items():
                seen.setdefault(key, []).extend(drain(ws))
            for key, body in bodies(people, slug, code).items():
                seen[f"{step}: {key}"] = [body]

        gather("hidden")
        send_vote(sockets["ada poll"], right)
        vote(bob, slug, wrong)
        gather("votes")
        for results, voters in AUDIENCES:
            owner_post(owner, slug, "visibility", results_visibility=results, show_voters=voters)
            gather(f"{results} {voters}")
        owner_post(owner, slug, "close")
        gather("closed")
        owner_post(owner, slug, "reopen")
        gather("reopened")
        host_page = owner.get(f"/r/{code}/host").text
        assert marked_correct(host_page) == {right} and ">Reveal answer</button>" in host_page

        for where, texts in seen.items():
            for text in texts:
                assert not leaks(text), (where, leaks(text))

        response = host_post(owner, f"/polls/{slug}/reveal", next=f"/r/{code}/host")
        assert response.headers["location"] == f"/r/{code}/host"

        live = {key: receive_marked(ws) for key, ws in sockets.items()}
        assert marked_correct(receive_marked(host)) == {right}
    for key, frame in live.items():
        assert marked_correct(frame) == {right}, key
    for surface in ("poll", "room"):
        assert verdict(live[f"ada {surface}"]) == "✓ You chose 7 — correct."
        assert verdict(live[f"bob {surface}"]) == "✗ You chose 4 — the answer was 7."
    for key, body in bodies(people, slug, code).items():
        if key.endswith((".csv", "/host")):
            continue
        if key.endswith(".json"):
            assert ada.get(f"/polls/{slug}/results.json").json()["correct"] == [right]
        else:
            assert marked_correct(body) == {right}, key
