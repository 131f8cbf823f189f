"""Rooms over HTTP: my rooms, the code form, the students' page, projector, QR, CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from starlette.testclient import TestClient

from crowdsource.domain.models import Room, User
from tests.helpers.client import csrf_of, run, vote
from tests.helpers.rooms import ask, create_room, host_post


def test_a_new_room_gets_a_code_and_its_console(owner: TestClient) -> None:
    code = create_room(owner, "CS 101 — Spring")
    host = owner.get(f"/r/{code}/host")
    assert host.status_code == 200
    assert "CS 101 — Spring" in host.text and code in host.text
    assert f"http://testserver/r/{code}" in host.text  # the join link, as text
    assert f'src="/r/{code}/qr.svg"' in host.text
    assert "CS 101 — Spring" in owner.get("/rooms").text


def test_room_names_are_checked(owner: TestClient) -> None:
    token = csrf_of(owner.get("/rooms").text)
    for name, message in (("", "Give the room a name"), ("x" * 81, "Keep the name to 80")):
        response = owner.post("/rooms", data={"name": name, "csrf_token": token})
        assert response.status_code == 400 and message in response.text
    assert run(owner, Room.all().count) == 0


def test_my_rooms_and_creating_need_a_sign_in(stranger: TestClient) -> None:
    assert stranger.get("/rooms", follow_redirects=False).headers["location"].startswith("/login")


def test_join_accepts_any_case_dashes_and_spaces(owner: TestClient, stranger: TestClient) -> None:
    code = create_room(owner)
    typed = f"{code[:3].lower()}-{code[3:]}"
    response = stranger.get("/join", params={"code": typed}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/r/{code}"
    spaced = stranger.get(
        "/join", params={"code": f" {code[:3]} {code[3:]} "}, follow_redirects=False
    )
    assert spaced.headers["location"] == f"/r/{code}"
    lower = stranger.get(f"/r/{code.lower()}", follow_redirects=False)
    assert lower.status_code == 308 and lower.headers["location"] == f"/r/{code}"


def test_wrong_codes_get_the_form_again(client: TestClient) -> None:
    page = client.get("/join")
    assert page.status_code == 200 and 'name="code"' in page.text
    unknown = client.get("/join", params={"code": "ZZZZZZ"})
    assert unknown.status_code == 404
    assert "No room has the code ZZZZZZ" in unknown.text and 'name="code"' in unknown.text
    bad = client.get("/join", params={"code": "K0QM1X"})
    assert bad.status_code == 400 and "no 0, O, 1 or I" in bad.text
    assert client.get("/r/ZZZZZZ").status_code == 404


def test_guessing_codes_is_rate_limited(client: TestClient) -> None:
    codes = [f"ZZZZ{a}{b}" for a in "234567" for b in "2345678"][:35]
    statuses = [client.get("/join", params={"code": code}).status_code for code in codes]
    assert statuses[:30] == [404] * 30
    assert statuses[30:] == [429] * 5


def test_the_students_page_waits_then_shows_the_question(
    owner: TestClient, stranger: TestClient
) -> None:
    code = create_room(owner)
    waiting = stranger.get(f"/r/{code}")
    assert waiting.status_code == 200
    assert f'data-room-code="{code}"' in waiting.text
    assert 'id="stage"' in waiting.text and 'data-poll=""' in waiting.text
    assert "Waiting for the next question…" in waiting.text
    assert "Reload for the next question" in waiting.text
    slug = ask(owner, code)
    shown = stranger.get(f"/r/{code}").text
    assert f'data-poll="{slug}"' in shown and "Which one is a prime?" in shown
    assert 'id="results"' in shown and 'data-state="open"' in shown


def test_a_student_votes_without_javascript_and_comes_back_to_the_room(
    owner: TestClient, student: TestClient
) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    page = student.get(f"/r/{code}").text
    assert 'id="vote-form"' in page and f'name="poll" value="{slug}"' in page
    choice = re.findall(r'name="choice" value="(\d+)"', page)[1]
    response = vote(student, slug, choice, poll=slug, next=f"/r/{code}")
    assert response.status_code == 303 and response.headers["location"] == f"/r/{code}"
    assert "Your vote for “7” is in." in student.get(f"/r/{code}").text


def test_a_late_form_vote_is_refused_and_nothing_is_stored(
    owner: TestClient, student: TestClient
) -> None:
    code = create_room(owner)
    old = ask(owner, code)
    page = student.get(f"/r/{code}").text
    choice = re.findall(r'name="choice" value="(\d+)"', page)[0]
    ask(owner, code, question="Next one?", choices=["Yes", "No"])
    response = student.post(
        f"/polls/{old}/votes",
        data={"choice": choice, "poll": old, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert response.status_code == 409
    assert "That question has ended" in response.text
    assert owner.get(f"/polls/{old}/results.json").json()["total_votes"] == 0


def test_the_room_projector_always_shows_code_link_and_qr(
    owner: TestClient, stranger: TestClient
) -> None:
    code = create_room(owner)
    for _ in range(2):
        page = stranger.get(f"/r/{code}/present").text
        assert f'data-room-code="{code}"' in page and f">{code}<" in page
        assert f'src="/r/{code}/qr.svg"' in page and f"testserver<wbr>/r/{code}" in page
        assert 'id="stage"' in page and 'id="vote-form"' not in page
        ask(owner, code)
    assert "Which one is a prime?" in page and 'data-total-votes="0"' in page
    qr = stranger.get(f"/r/{code}/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml"


def test_the_room_csv_has_every_ballot_of_every_question(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    code = create_room(owner)
    first = ask(owner, code, question="=SUM(A1)", choices=["A", "B"])
    page = student.get(f"/r/{code}").text
    vote(student, first, re.findall(r'name="choice" value="(\d+)"', page)[0], poll=first)
    second = ask(owner, code, question="Second?", choices=["Yes", "No"])
    page = student.get(f"/r/{code}").text
    vote(student, second, re.findall(r'name="choice" value="(\d+)"', page)[1], poll=second)
    ask(owner, code, question="Third?", choices=["Yes", "No"])
    host = owner.get(f"/r/{code}/host").text
    assert host.count("1 vote<") == 2  # the list: each closed question with its voters
    response = owner.get(f"/r/{code}/results.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["poll", "question", "voter", "response", "round", "confidence", "time"]
    assert [row[:2] + row[3:6] for row in rows[1:]] == [
        [first, "'=SUM(A1)", "A", "1", ""],
        [second, "Second?", "No", "1", ""],
    ]
    assert all(row[2].startswith("guest~") and row[6].endswith("Z") for row in rows[1:])
    assert student.get(f"/r/{code}/results.csv").status_code == 403
    assert stranger.get(f"/r/{code}/results.csv", follow_redirects=False).status_code == 303


def test_rename_and_archive(owner: TestClient, student: TestClient) -> None:
    code = create_room(owner)
    ask(owner, code)
    assert host_post(owner, f"/r/{code}/settings", name="CS 102").status_code == 303
    assert "CS 102" in owner.get(f"/r/{code}/host").text
    too_long = host_post(owner, f"/r/{code}/settings", name="y" * 81)
    assert too_long.status_code == 400 and "Keep the name to 80" in too_long.text
    assert host_post(owner, f"/r/{code}/settings", archived="1").status_code == 303
    page = student.get(f"/r/{code}").text
    assert "This room is archived." in page and 'data-poll=""' in page
    assert host_post(owner, f"/r/{code}/settings", archived="0").status_code == 303
    assert "Waiting for the next question…" in student.get(f"/r/{code}").text
    assert host_post(student, f"/r/{code}/settings", name="Mine").status_code == 403


def test_the_home_page_offers_the_code_form_to_everyone_and_rooms_to_instructors(
    owner: TestClient, stranger: TestClient
) -> None:
    visitor = stranger.get("/").text
    assert "Join with a code" in visitor and 'action="/join"' in visitor
    assert "Your rooms" not in visitor and 'href="/rooms"' not in visitor
    instructor = owner.get("/").text
    assert "Join with a code" in instructor and "Your rooms" in instructor
    assert instructor.count('href="/rooms"') == 2  # the header's "My rooms", and the card
    assert "one link and one short code for the whole term" in instructor


def test_the_room_projector_takes_a_theme_like_the_polls(
    owner: TestClient, stranger: TestClient
) -> None:
    code = create_room(owner)
    dark = stranger.get(f"/r/{code}/present", params={"theme": "dark"}).text
    assert '<body class="present room-present theme-dark">' in dark
    odd = stranger.get(f"/r/{code}/present", params={"theme": "<b>"}).text
    assert '<body class="present room-present">' in odd


def test_a_signed_out_student_votes_from_the_room_in_one_submit(
    owner: TestClient, stranger: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    page = stranger.get(f"/r/{code}").text
    assert 'name="name"' in page and f'name="poll" value="{slug}"' in page
    choice = re.findall(r'name="choice" value="(\d+)"', page)[1]
    response = stranger.post(
        f"/polls/{slug}/votes",
        data={"choice": choice, "name": "Mei", "poll": slug, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"/r/{code}"
    assert "Your vote for “7” is in." in stranger.get(f"/r/{code}").text
    # The room moves on before another signed-out student presses Vote: refused, no guest.
    ask(owner, code, question="Next?", choices=["Yes", "No"])
    users = run(owner, User.all().count)
    phone = client_factory()
    page = phone.get(f"/r/{code}").text  # its form token; the question it saw is the old one
    refused = phone.post(
        f"/polls/{slug}/votes",
        data={"choice": choice, "name": "Tom", "poll": slug, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert refused.status_code == 409 and "That question has ended" in refused.text
    assert run(owner, User.all().count) == users
    assert owner.get(f"/polls/{slug}/results.json").json()["total_votes"] == 1
