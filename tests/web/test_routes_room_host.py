"""The host console and its actions: owner only, bad input refused with a message and
nothing changed."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from crowdsource.domain.models import Poll, Room
from tests.helpers.client import create_poll, csrf_of, run, vote
from tests.helpers.rooms import ask, create_room, current_slug, host_post, launch, newest_slug


def polls_stored(client: TestClient) -> int:
    return run(client, Poll.all().count)


def question_order(client: TestClient, code: str) -> list[str]:
    """The questions of the room as the console lists them, each with its state."""
    page = client.get(f"/r/{code}/host").text
    rows = re.findall(
        r'data-question-state="(\w+)">.*?class="question-text"[^>]*>([^<]+)<', page, re.S
    )
    return [f"{text} ({state})" for state, text in rows]


def up_next(client: TestClient, code: str) -> str:
    """What the console says Next will do."""
    match = re.search(r'<p class="up-next">(.*?)</p>', client.get(f"/r/{code}/host").text)
    assert match
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_only_the_owner_opens_the_console(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    code = create_room(owner)
    assert owner.get(f"/r/{code}/host").status_code == 200
    assert student.get(f"/r/{code}/host").status_code == 403
    signed_out = stranger.get(f"/r/{code}/host", follow_redirects=False)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == f"/login?next=/r/{code}/host"


def test_every_action_is_the_owners(owner: TestClient, student: TestClient) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    for path, fields in (
        ("/polls", {"preset": "yes_no", "launch": "1"}),
        ("/current", {"poll": ""}),
        ("/next", {}),
        (f"/polls/{slug}", {"question": "Mine?", "choices": ["a", "b"]}),
        (f"/polls/{slug}/move", {"step": "1"}),
        (f"/polls/{slug}/delete", {}),
        ("/settings", {"name": "Mine"}),
    ):
        response = student.post(
            f"/r/{code}{path}", data={"csrf_token": "x", **fields}, follow_redirects=False
        )
        assert response.status_code == 403, path
    assert current_slug(owner, code) == slug and polls_stored(owner) == 1


def test_quick_ask_with_a_preset_puts_it_on_every_screen(owner: TestClient) -> None:
    code = create_room(owner)
    response = host_post(owner, f"/r/{code}/polls", preset="understanding", launch="1")
    assert response.status_code == 303 and response.headers["location"] == f"/r/{code}/host"
    page = owner.get(f"/r/{code}").text
    assert "How well are you following?" in page
    assert "I have no idea what you&#39;re babbling about" in page
    assert "It is on every screen now." in owner.get(f"/r/{code}/host").text


def test_bad_questions_are_refused_and_nothing_is_stored(owner: TestClient) -> None:
    code = create_room(owner)
    for fields, message in (
        ({"preset": "nope", "launch": "1"}, "no quick question called"),
        ({"question": "", "choices": ["a", "b"], "launch": "1"}, "Write a question."),
        ({"question": "Q?", "choices": ["only"], "launch": "0"}, "at least 2 responses"),
        ({"question": "Q" * 301, "choices": ["a", "b"], "launch": "1"}, "300 characters"),
    ):
        response = host_post(owner, f"/r/{code}/polls", **fields)
        assert response.status_code == 400 and message in response.text, fields
    assert polls_stored(owner) == 0 and current_slug(owner, code) == ""


def test_prepared_questions_wait_until_launched(owner: TestClient, student: TestClient) -> None:
    code = create_room(owner)
    slug = ask(owner, code, launch="0")
    assert current_slug(owner, code) == ""
    host = owner.get(f"/r/{code}/host").text
    assert f'data-question="{slug}" data-question-state="ready"' in host
    draft_page = student.get(f"/polls/{slug}").text
    assert "This question has not been asked yet." in draft_page
    assert 'id="vote-form"' not in draft_page
    assert launch(owner, code, slug).status_code == 303
    assert current_slug(owner, code) == slug


def test_current_refuses_foreign_and_unknown_slugs(owner: TestClient, student: TestClient) -> None:
    code = create_room(owner)
    mine = ask(owner, code)
    other_room = create_room(owner, "Other")
    foreign = ask(owner, other_room)
    standalone = create_poll(owner)
    someone_elses = create_poll(student)
    for slug in (foreign, standalone, someone_elses, "no-such-slug"):
        response = launch(owner, code, slug)
        assert response.status_code == 400
        assert "not one of this room" in response.text
    assert current_slug(owner, code) == mine
    assert host_post(owner, f"/r/{code}/current", poll="").status_code == 303
    assert current_slug(owner, code) == ""


def test_editing_a_prepared_question(owner: TestClient) -> None:
    code = create_room(owner)
    slug = ask(owner, code, launch="0")
    form = owner.get(f"/r/{code}/host", params={"edit": slug}).text
    assert "Edit a prepared question" in form and "Which one is a prime?" in form
    saved = host_post(owner, f"/r/{code}/polls/{slug}", question="Edited?", choices=["x", "y"])
    assert saved.status_code == 303
    assert "Edited?" in owner.get(f"/r/{code}/host").text
    bad = host_post(owner, f"/r/{code}/polls/{slug}", question="", choices=["x", "y"])
    assert bad.status_code == 400 and "Write a question." in bad.text
    launch(owner, code, slug)
    late = host_post(owner, f"/r/{code}/polls/{slug}", question="Again?", choices=["x", "y"])
    assert late.status_code == 303
    assert "can no longer be edited" in owner.get(f"/r/{code}/host").text
    assert "Again?" not in owner.get(f"/r/{code}").text


def test_reorder_and_delete(owner: TestClient) -> None:
    code = create_room(owner)
    one = ask(owner, code, question="One?", launch="0")
    two = ask(owner, code, question="Two?", launch="0")
    assert host_post(owner, f"/r/{code}/polls/{two}/move", step="-1").status_code == 303
    assert newest_slug(owner, code) == one
    assert host_post(owner, f"/r/{code}/polls/{two}/move", step="7").status_code == 400
    assert host_post(owner, f"/r/{code}/polls/{one}/delete").status_code == 303
    assert newest_slug(owner, code) == two and polls_stored(owner) == 1


def test_next_walks_the_prepared_questions(owner: TestClient) -> None:
    code = create_room(owner)
    one = ask(owner, code, question="One?", launch="0")
    two = ask(owner, code, question="Two?", launch="0")
    for expected in (one, two, ""):
        assert host_post(owner, f"/r/{code}/next").status_code == 303
        assert current_slug(owner, code) == expected
    assert "No prepared question is left" in owner.get(f"/r/{code}/host").text


def test_controls_of_the_current_question_come_back_to_the_console(owner: TestClient) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    page = owner.get(f"/r/{code}/host").text
    assert f'action="/polls/{slug}/close"' in page
    token = csrf_of(page)
    response = owner.post(
        f"/polls/{slug}/close",
        data={"csrf_token": token, "next": f"/r/{code}/host"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"/r/{code}/host"
    elsewhere = owner.post(
        f"/polls/{slug}/extend",
        data={"csrf_token": token, "minutes": "5", "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"].startswith(f"/polls/{slug}")
    assert run(owner, Room.all().count) == 1


def test_the_console_says_what_next_will_launch(owner: TestClient) -> None:
    code = create_room(owner)
    for question in ("First?", "Second?"):
        ask(owner, code, question=question, choices=["Yes", "No"], launch="0")
    assert up_next(owner, code) == "Up next: First?"
    host_post(owner, f"/r/{code}/next")
    assert up_next(owner, code) == "Up next: Second?"
    host_post(owner, f"/r/{code}/next")
    assert up_next(owner, code) == "No prepared question is left: Next shows the waiting screen."
    assert question_order(owner, code) == ["First? (closed)", "Second? (live)"]


def test_deleting_the_question_on_screen_sends_every_screen_back_to_waiting(
    owner: TestClient, student: TestClient
) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    assert host_post(owner, f"/r/{code}/polls/{slug}/delete").status_code == 303
    assert current_slug(student, code) == ""
    assert "Waiting for the next question…" in student.get(f"/r/{code}").text


def test_no_id_is_on_the_console_twice(owner: TestClient, student: TestClient) -> None:
    """The console holds the question form (`choice-1`…) beside the live results: a result's
    id that one of the form's fields also had was swapped into the form by every vote."""
    code = create_room(owner)
    slug = ask(owner, code)
    first = re.findall(r'name="choice" value="(\d+)"', student.get(f"/r/{code}").text)[0]
    vote(student, slug, first, poll=slug)
    ids = re.findall(r'\bid="([^"]+)"', owner.get(f"/r/{code}/host").text)
    assert sorted(ids) == sorted(set(ids))
