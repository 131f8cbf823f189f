"""POST /polls/{slug}/rounds (vote again, peer instruction) and confidence: what each person
sees in each round, live and without JavaScript, in results.json and the CSVs; bad input."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.helpers.client import choice_ids, create_poll, csrf_of, vote
from tests.helpers.sockets import receive_until


def vote_again(client: TestClient, slug: str, **extra: str) -> object:
    token = csrf_of(client.get(f"/polls/{slug}").text)
    return client.post(
        f"/polls/{slug}/rounds", data={"csrf_token": token, **extra}, follow_redirects=False
    )


def attr(page: str, choice: str, name: str) -> str | None:
    found = re.search(rf'id="result-{choice}"[^>]*?\s{name}="(\d+)"', page)
    return found.group(1) if found else None


def test_vote_again_keeps_round_one_and_shows_it_beside_round_two(
    people: dict[str, TestClient],
) -> None:
    owner, ada, bob = people["owner"], people["ada"], people["bob"]
    slug = create_poll(owner, correct=["2"])
    first, second, _ = choice_ids(owner, slug)
    vote(ada, slug, first)
    vote(bob, slug, first)
    assert 'data-round="1"' in owner.get(f"/polls/{slug}").text
    assert ">Vote again</button>" in owner.get(f"/polls/{slug}").text

    response = vote_again(owner, slug)

    assert response.status_code == 303
    owner_page = owner.get(f"/polls/{slug}").text
    assert "Round 2 is open" in owner_page and 'data-round="2"' in owner_page
    assert attr(owner_page, first, "data-votes") == "0"
    assert attr(owner_page, first, "data-votes-previous") == "2"
    ada_page = ada.get(f"/polls/{slug}").text
    assert ">Vote</button>" in ada_page and "checked" not in ada_page  # not voted yet
    vote(ada, slug, second)
    vote(bob, slug, first)
    owner_page = owner.get(f"/polls/{slug}").text
    shift = re.findall(r'data-from="(\d+)" data-to="(\d+)" data-count="(\d+)"', owner_page)
    assert sorted(shift) == sorted([(first, second, "1"), (first, first, "1")])
    assert "1</strong> changed their mind, <strong>1</strong> towards the correct" in owner_page
    assert 'id="shift"' not in ada.get(f"/polls/{slug}").text  # students: counts beside only
    data = people["visitor"].get(f"/polls/{slug}/results.json").json()
    assert data["round"] == 2 and data["total_votes"] == 2
    assert data["rounds"] == [
        {
            "round": 1,
            "total_votes": 2,
            "choices": [
                {"id": first, "votes": 2},
                {"id": second, "votes": 0},
                {"id": data["choices"][2]["id"], "votes": 0},
            ],
        }
    ]
    rows = owner.get(f"/polls/{slug}/results.csv").text.splitlines()
    assert rows[0] == "voter,name,response,voted_at,round,confidence,correct"
    assert [row.split(",")[4] for row in rows[1:]] == ["1", "1", "2", "2"]


def test_the_projector_shows_the_previous_round_and_the_shift_without_names(
    people: dict[str, TestClient],
) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    first, second, _ = choice_ids(owner, slug)
    vote(ada, slug, first)
    vote_again(owner, slug)
    vote(ada, slug, second)
    screen = owner.get(f"/polls/{slug}/present").text
    assert attr(screen, first, "data-votes-previous") == "1"
    assert f'data-from="{first}" data-to="{second}" data-count="1"' in screen
    assert "Ada" not in screen.split('id="shift"')[1].split("</section>")[0]


def test_round_one_hidden_until_close_stays_hidden_in_round_two(
    people: dict[str, TestClient],
) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner, results_visibility="after_close")
    first, *_ = choice_ids(owner, slug)
    vote(ada, slug, first)
    vote_again(owner, slug)
    page = ada.get(f"/polls/{slug}").text
    assert "data-votes-previous" not in page and "Results appear when voting closes." in page
    data = ada.get(f"/polls/{slug}/results.json").json()
    assert data["rounds"][0]["total_votes"] is None
    assert "no results until you close this round" in owner.get(f"/polls/{slug}").text


def test_bad_rounds_change_nothing(people: dict[str, TestClient]) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    refused = vote_again(owner, slug)
    assert refused.status_code == 400 and "Nobody has voted in this round yet" in refused.text
    first, *_ = choice_ids(owner, slug)
    vote(ada, slug, first)
    token = csrf_of(ada.get(f"/polls/{slug}").text)
    other = ada.post(f"/polls/{slug}/rounds", data={"csrf_token": token})
    assert other.status_code == 403
    assert people["visitor"].post(f"/polls/{slug}/rounds", follow_redirects=False).status_code in (
        303,
        403,
    )
    past = vote_again(owner, slug, closes_at="2001-01-01T00:00:00Z")
    assert past.status_code == 400
    text = create_poll(owner, kind="text", choices=[])
    token = csrf_of(ada.get(f"/polls/{text}").text)
    ada.post(f"/polls/{text}/votes", data={"answer": "hm", "csrf_token": token})
    assert "open question cannot be voted on again" in vote_again(owner, text).text
    assert owner.get(f"/polls/{slug}/results.json").json()["round"] == 1


def test_confidence_is_asked_counted_for_the_owner_and_checked(
    people: dict[str, TestClient],
) -> None:
    owner, ada, bob = people["owner"], people["ada"], people["bob"]
    slug = create_poll(owner, correct=["2"], ask_confidence="on")
    first, second, _ = choice_ids(owner, slug)
    assert "How sure are you?" in ada.get(f"/polls/{slug}").text
    vote(ada, slug, first, confidence="sure")
    vote(bob, slug, first, confidence="guess")
    page = owner.get(f"/polls/{slug}").text
    assert attr(page, first, "data-confidence-sure") == "1"
    assert attr(page, first, "data-confidence-guess") == "1"
    assert "data-confidence-sure" not in ada.get(f"/polls/{slug}").text
    refused = vote(bob, slug, second, confidence="maybe")
    assert refused.status_code == 400 and "sure, unsure or guess" in refused.text
    assert attr(owner.get(f"/polls/{slug}").text, second, "data-votes") == "0"
    token = csrf_of(owner.get(f"/polls/{slug}").text)
    owner.post(f"/polls/{slug}/reveal", data={"csrf_token": token})
    assert 'data-confident-wrong="1"' in owner.get(f"/polls/{slug}").text
    rows = owner.get(f"/polls/{slug}/results.csv").text.splitlines()
    assert sorted(row.split(",")[5] for row in rows[1:]) == ["guess", "sure"]


def test_vote_again_resets_every_open_form_live(people: dict[str, TestClient]) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner)
    first, *_ = choice_ids(owner, slug)
    vote(ada, slug, first)
    with ada.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="vote-panel"')
        vote_again(owner, slug)
        message = receive_until(ws, 'data-round="2"')
    assert "Change my vote" not in message and 'data-votes-previous="1"' in message


def test_the_host_console_votes_again_and_the_room_csv_has_rounds(
    people: dict[str, TestClient],
) -> None:
    owner, ada = people["owner"], people["ada"]
    token = csrf_of(owner.get("/rooms").text)
    room = owner.post("/rooms", data={"name": "Physics", "csrf_token": token})
    code = str(room.url).rstrip("/").split("/")[-2]
    host = owner.get(f"/r/{code}/host").text
    token = csrf_of(host)
    owner.post(
        f"/r/{code}/polls",
        data={"question": "Q?", "choices": ["A", "B"], "launch": "1", "csrf_token": token},
    )
    slug = re.search(r'data-poll="([^"]+)"', owner.get(f"/r/{code}/host").text).group(1)
    first, second = choice_ids(owner, slug)
    vote(ada, slug, first)
    host = owner.get(f"/r/{code}/host").text
    assert ">Vote again</button>" in host
    response = vote_again(owner, slug, next=f"/r/{code}/host")
    assert response.headers["location"] == f"/r/{code}/host"
    vote(ada, slug, second)
    assert f'data-from="{first}" data-to="{second}"' in owner.get(f"/r/{code}/host").text
    rows = owner.get(f"/r/{code}/results.csv").text.splitlines()
    assert [row.split(",")[-3] for row in rows[1:]] == ["1", "2"]
