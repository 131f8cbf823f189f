"""The host console's actions over plain HTTP: quick ask, prepared questions (edit, reorder,
delete), what Next will launch, and the refusals, each changing nothing."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from crowdsource.domain.models import Poll
from tests.helpers.client import create_poll, run, vote
from tests.helpers.rooms import ask, create_room, current_slug, host_post, launch

UNDERSTANDING = [
    "This is old hat to me",
    "I have an okay understanding of this",
    "I have no idea what you're babbling about",
]


def question_order(client: TestClient, code: str) -> list[str]:
    """The questions of the room as the console lists them, each with its state."""
    page = client.get(f"/r/{code}/host").text
    rows = re.findall(
        r'data-question-state="(\w+)">.*?class="question-text"[^>]*>([^<]+)<', page, re.S
    )
    return [f"{text} ({state})" for state, text in rows]


def up_next(client: TestClient, code: str) -> str:
    match = re.search(r'<p class="up-next">(.*?)</p>', client.get(f"/r/{code}/host").text)
    assert match
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_a_quick_ask_puts_the_preset_on_every_screen(
    owner: TestClient, student: TestClient
) -> None:
    code = create_room(owner)
    response = host_post(owner, code, "/polls", preset="understanding", launch="1")
    assert response.status_code == 303 and response.headers["location"] == f"/r/{code}/host"
    page = student.get(f"/r/{code}").text
    assert "How well are you following?" in page
    labels = re.findall(r'<span class="option-label">([^<]+)</span>', page)
    assert labels == [label.replace("'", "&#39;") for label in UNDERSTANDING]
    assert "It is on every screen now." in owner.get(f"/r/{code}/host").text


def test_an_unknown_preset_is_refused_and_nothing_is_asked(owner: TestClient) -> None:
    code = create_room(owner)
    response = host_post(owner, code, "/polls", preset="nope", launch="1")
    assert response.status_code == 400
    assert re.search(
        r'class="field-error" id="preset-error">There is no quick question', response.text
    )
    assert "Please fix" not in response.text  # the question form has nothing to fix
    assert run(owner, Poll.all().count) == 0


def test_the_console_says_what_next_will_launch(owner: TestClient) -> None:
    code = create_room(owner)
    for question in ("First?", "Second?"):
        ask(owner, code, question=question, choices=["Yes", "No"], launch="0")
    assert up_next(owner, code) == "Up next: First?"
    assert host_post(owner, code, "/next").status_code == 303
    assert up_next(owner, code) == "Up next: Second?"
    host_post(owner, code, "/next")
    assert up_next(owner, code) == "No prepared question is left: Next shows the waiting screen."
    assert question_order(owner, code) == ["First? (closed)", "Second? (live)"]


def test_prepared_questions_are_edited_reordered_and_deleted(owner: TestClient) -> None:
    code = create_room(owner)
    first = ask(owner, code, question="First?", choices=["A", "B"], launch="0")
    second = ask(owner, code, question="Second?", choices=["C", "D"], launch="0")
    edit = owner.get(f"/r/{code}/host", params={"edit": first}).text
    assert "Edit a prepared question" in edit and ">First?</textarea>" in edit
    edited = host_post(owner, code, f"/polls/{first}", question="First, edited?", choices=["A"])
    assert edited.status_code == 400  # one response is not enough: nothing is saved
    host_post(owner, code, f"/polls/{first}", question="First, edited?", choices=["A", "B"])
    assert question_order(owner, code) == ["First, edited? (ready)", "Second? (ready)"]
    assert host_post(owner, code, f"/polls/{second}/move", step="-1").status_code == 303
    assert question_order(owner, code) == ["Second? (ready)", "First, edited? (ready)"]
    assert host_post(owner, code, f"/polls/{second}/move", step="-1").status_code == 303
    assert host_post(owner, code, f"/polls/{second}/move", step="9").status_code == 400
    assert host_post(owner, code, f"/polls/{second}/delete").status_code == 303
    assert question_order(owner, code) == ["First, edited? (ready)"]


def test_a_launched_question_can_no_longer_be_edited(owner: TestClient) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    response = owner.get(f"/r/{code}/host", params={"edit": slug}, follow_redirects=False)
    assert response.status_code == 303
    assert "can no longer be edited" in owner.get(f"/r/{code}/host").text


def test_deleting_the_question_on_screen_sends_every_screen_back_to_waiting(
    owner: TestClient, student: TestClient
) -> None:
    code = create_room(owner)
    slug = ask(owner, code)
    host_post(owner, code, f"/polls/{slug}/delete")
    assert current_slug(student, code) == ""
    assert "Waiting for the next question…" in student.get(f"/r/{code}").text


def test_questions_of_another_room_or_no_room_are_refused(owner: TestClient) -> None:
    code, other = create_room(owner), create_room(owner, "Another course")
    elsewhere = ask(owner, other)
    standalone = create_poll(owner)
    for slug in (elsewhere, standalone, "nope"):
        assert launch(owner, code, slug).status_code == 400
        assert host_post(owner, code, f"/polls/{slug}/delete").status_code == 400
    assert current_slug(owner, code) == ""
    assert current_slug(owner, other) == elsewhere


def test_the_console_and_its_actions_are_the_owners_alone(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    code = create_room(owner)
    assert student.get(f"/r/{code}/host").status_code == 403
    signed_out = stranger.get(f"/r/{code}/host", follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login")
    refused = student.post(f"/r/{code}/polls", data={"preset": "yes_no", "launch": "1"})
    assert refused.status_code == 403
    assert run(owner, Poll.all().count) == 0


def test_no_id_is_on_the_console_twice(owner: TestClient, student: TestClient) -> None:
    """The console holds the question form (`choice-1`…) beside the live results: a result's
    id that one of the form's fields also had was swapped into the form by every vote."""
    code = create_room(owner)
    slug = ask(owner, code)
    vote_for_first = re.findall(r'name="choice" value="(\d+)"', student.get(f"/r/{code}").text)
    vote(student, slug, vote_for_first[0], poll=slug)
    ids = re.findall(r'\bid="([^"]+)"', owner.get(f"/r/{code}/host").text)
    assert sorted(ids) == sorted(set(ids))
