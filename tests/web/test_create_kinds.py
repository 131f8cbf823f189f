"""The create form per kind (a poll's and a room's prepared questions): the kind first, only
its fields shown, a no-JavaScript "Choose" that keeps what was typed, every problem next to
its field with what was typed kept."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from crowdsource.domain.models import Choice, Poll
from tests.helpers.client import create_poll, csrf_of, run
from tests.helpers.rooms import ask, create_room, host_post


def section(page: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    match = re.search(rf'<[a-z]+ [^>]*id="{element_id}"[^>]*>', page)
    assert match, element_id
    return match.group(0)


def shown(page: str, element_id: str) -> bool:
    return " hidden" not in section(page, element_id)


def post_form(client: TestClient, **fields: object) -> str:
    token = csrf_of(client.get("/").text)
    data = {"question": "Pick your tools", "csrf_token": token, **fields}
    return client.post("/polls", data=data).text


def test_the_kind_comes_first_and_single_shows_responses_only(owner: TestClient) -> None:
    page = owner.get("/").text
    assert page.index('name="kind"') < page.index('name="choices"')
    assert re.search(r'<input type="radio" name="kind" value="single" checked', page)
    assert shown(page, "choices-settings")
    for other in ("picks-settings", "scale-settings", "text-settings"):
        assert not shown(page, other)
    assert 'name="choose_kind"' in page and "formnovalidate" in page
    assert page.count('name="correct"') == 4  # a "correct answer" box per response box


def test_choose_without_javascript_shows_the_kind_s_fields_and_keeps_the_typing(
    owner: TestClient,
) -> None:
    page = post_form(
        owner,
        kind="scale",
        choose_kind="1",
        choices=["Hammer", "", "Saw"],
        correct=["3"],
        correct_by_box="1",
        scale_max_label="Loud",
    )
    assert shown(page, "scale-settings") and not shown(page, "choices-settings")
    assert not shown(page, "picks-settings") and not shown(page, "text-settings")
    assert re.search(r'value="scale" checked', page)
    assert 'value="Pick your tools"' in page or ">Pick your tools<" in page
    assert 'value="Hammer"' in page and 'value="Saw"' in page  # kept, hidden
    assert 'value="Loud"' in page
    assert re.search(r'name="correct" value="3" checked', page)
    assert "problem" not in page  # a choice, not a submit: no errors
    assert run(owner, Poll.all().count) == 0
    back = post_form(owner, kind="multiple", choose_kind="1", choices=["Hammer", "Saw"])
    assert shown(back, "picks-settings") and shown(back, "choices-settings")


def test_add_a_response_keeps_the_correct_mark_on_its_response(owner: TestClient) -> None:
    page = post_form(
        owner,
        kind="multiple",
        add_choice="1",
        choices=["Hammer", "", "Saw"],
        correct=["3"],
        correct_by_box="1",
    )
    # The blank box is dropped: Saw is now second, and still marked correct.
    assert re.search(r'id="choice-2" name="choices" type="text" [^>]*value="Saw"', page)
    assert re.search(r'name="correct" value="2" checked', page)
    assert shown(page, "picks-settings")


def test_a_quiz_marked_by_box_counts_among_the_written_responses(owner: TestClient) -> None:
    slug = create_poll(
        owner, kind="single", choices=["Hammer", "", "Saw"], correct=["3"], correct_by_box="1"
    )
    poll = run(owner, Poll.get, slug=slug)
    rows = run(owner, lambda: Choice.filter(poll_id=poll.id).order_by("position"))
    assert [(row.label, row.correct) for row in rows] == [("Hammer", False), ("Saw", True)]


def test_multiple_errors_stand_next_to_their_fields_with_the_typing_kept(
    owner: TestClient,
) -> None:
    page = post_form(owner, kind="multiple", choices=["a", "b", "c"], min_picks="3", max_picks="2")
    assert shown(page, "picks-settings")
    assert re.search(r'id="min_picks" [^>]*value="3"', page)
    assert re.search(r'id="max_picks" [^>]*value="2" aria-describedby="max_picks-error"', page)
    assert 'id="max_picks-error">At most must not be fewer than at least (3).' in page
    page = post_form(owner, kind="multiple", choices=["a", "b"], min_picks="9")
    assert re.search(r'id="min_picks-error">Give a whole number from 1 to the number', page)


def test_scale_errors_stand_next_to_their_fields(owner: TestClient) -> None:
    page = post_form(owner, kind="scale", scale_min="5", scale_max="11", scale_min_label="x" * 41)
    assert 'id="scale_min-error">A scale starts at 0 or 1.' in page
    assert 'id="scale_max-error">A scale ends at a number from 2 to 10.' in page
    assert re.search(r'id="scale_max" [^>]*value="11"', page)
    assert 'id="scale_min_label-error">Keep this label to 40 characters' in page
    assert "Give at least" not in page  # a scale's responses are its numbers


def test_text_and_quiz_errors_stand_next_to_their_fields(owner: TestClient) -> None:
    page = post_form(owner, kind="text", banned_words=", ".join(f"word{n}" for n in range(99)))
    assert shown(page, "text-settings") and 'id="banned_words-error"' in page
    page = post_form(owner, kind="single", choices=["a", "b"], correct=["1", "2"])
    assert 'id="correct-error">A pick-one question has one correct response.' in page
    assert re.search(r'name="correct" value="1" checked', page)
    page = post_form(owner, kind="riddle", choices=["a", "b"])
    assert 'id="kind-error">Choose the kind of question.' in page


def test_each_kind_is_created_from_the_form(owner: TestClient) -> None:
    multiple = create_poll(owner, kind="multiple", min_picks="1", max_picks="2")
    scale = create_poll(owner, kind="scale", scale_min="0", scale_max="10", choices=[])
    assert owner.get(f"/polls/{multiple}/results.json").json()["kind"] == "multiple"
    data = owner.get(f"/polls/{scale}/results.json").json()
    assert data["kind"] == "scale"
    assert [choice["label"] for choice in data["choices"]] == [str(n) for n in range(11)]


def test_a_room_s_prepared_question_edits_with_its_kind(owner: TestClient) -> None:
    code = create_room(owner)
    fields = {"question": "How sure?", "kind": "scale", "scale_min": "0", "scale_max": "7"}
    slug = ask(owner, code, launch="0", choices=[], scale_min_label="Lost", **fields)
    page = owner.get(f"/r/{code}/host?edit={slug}").text
    assert re.search(r'value="scale" checked', page) and shown(page, "scale-settings")
    assert re.search(r'id="scale_max" [^>]*value="7"', page) and 'value="Lost"' in page
    assert re.search(r'name="scale_min" value="0" checked', page)
    fields["kind"] = "multiple"
    chosen = host_post(owner, f"/r/{code}/polls/{slug}", **fields, choose_kind="1").text
    assert shown(chosen, "picks-settings") and ">How sure?</textarea>" in chosen
    assert f'action="/r/{code}/polls/{slug}"' in chosen  # still editing that question
    assert run(owner, Poll.get, slug=slug).kind == "scale"  # choosing saved nothing


def test_a_room_question_s_problems_keep_its_kind(owner: TestClient) -> None:
    code = create_room(owner)
    page = host_post(
        owner,
        f"/r/{code}/polls",
        question="Q",
        kind="multiple",
        choices=["a", "b"],
        max_picks="5",
        launch="1",
    ).text
    assert shown(page, "picks-settings") and 'id="max_picks-error"' in page
