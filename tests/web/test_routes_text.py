"""Text questions over HTTP and the socket: answering, replacing, refusals, escaping, hiding,
results.json and the CSV, live deltas and the capped full state (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from starlette.testclient import TestClient

from crowdsource.domain.models import Answer, Poll
from crowdsource.domain.open_answers import LATEST_ANSWERS
from tests.helpers.answers import (
    HOSTILE,
    answer,
    answer_ids,
    cloud,
    create_text_poll,
    hide,
    send_answer,
)
from tests.helpers.client import results, run
from tests.helpers.factories import make_user, store_answer
from tests.helpers.sockets import receive_until, ws_url


def test_the_vote_form_is_a_text_box_that_posts_without_javascript(owner: TestClient) -> None:
    slug = create_text_poll(owner)
    form = owner.get(f"/polls/{slug}").text.split('id="vote-form"')[1].split("</form>")[0]
    assert f'method="post" action="/polls/{slug}/votes"' in owner.get(f"/polls/{slug}").text
    assert '<textarea id="vote-answer" name="answer"' in form
    assert 'data-maxlength="280"' in form and "Up to 280 characters." in form
    assert 'data-count-for="vote-answer"' in form
    assert 'type="radio"' not in form and " maxlength=" not in form


def test_an_answer_is_listed_escaped_with_its_words(owner: TestClient, student: TestClient) -> None:
    slug = create_text_poll(owner)
    response = answer(student, slug, f"Recursion again {HOSTILE}")
    assert response.status_code == 303
    page = student.get(f"/polls/{slug}").text
    assert "Your answer is in." in page
    for html in (page, owner.get(f"/polls/{slug}").text, owner.get(f"/polls/{slug}/embed").text):
        assert "<img src=x" not in html and "<script>alert" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert len(answer_ids(html)) == 1
        assert cloud(html)["recursion"] == 1
        assert 'data-total-votes="1"' in html
    document = results(owner, slug)
    assert document["total_votes"] == 1
    assert document["answers"] == [
        {"id": answer_ids(page)[0], "text": f"Recursion again {HOSTILE}"}
    ]
    assert {"word": "recursion", "count": 1} in document["words"]  # type: ignore[operator]


def test_a_new_answer_replaces_the_last_and_the_form_shows_it(
    owner: TestClient, student: TestClient
) -> None:
    slug = create_text_poll(owner)
    answer(student, slug, "loops")
    answer(student, slug, "  pointers  ")
    page = student.get(f"/polls/{slug}").text
    assert ">pointers</textarea>" in page
    assert "Sending a new answer replaces yours." in page
    document = results(owner, slug)
    assert document["total_votes"] == 1
    assert [a["text"] for a in document["answers"]] == ["pointers"]  # type: ignore[union-attr]
    assert [w["word"] for w in document["words"]] == ["pointers"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("that darn recursion", "Please rephrase"),
        ("x" * 281, "Keep your answer to 280 characters (it has 281)."),
        ("   ", "Write your answer, then send it."),
    ],
)
def test_a_refused_answer_says_why_by_the_field_and_keeps_what_was_typed(
    owner: TestClient, student: TestClient, typed: str, message: str
) -> None:
    slug = create_text_poll(owner, banned_words="darn, heck")
    response = answer(student, slug, typed)
    assert response.status_code == 400
    status = response.text.split('id="vote-status"')[1].split("</p>")[0]
    assert message in status
    assert f">{typed}</textarea>" in response.text
    assert 'aria-describedby="vote-answer-hint vote-status" aria-invalid="true"' in response.text
    assert results(owner, slug)["total_votes"] == 0


def test_answers_over_the_socket_arrive_as_one_appended_answer_and_the_changed_words(
    people: dict[str, TestClient],
) -> None:
    owner, ada, bob, visitor = people["owner"], people["ada"], people["bob"], people["visitor"]
    slug = create_text_poll(owner)
    with (
        visitor.websocket_connect(ws_url(slug)) as watcher,
        ada.websocket_connect(ws_url(slug)) as ada_ws,
        bob.websocket_connect(ws_url(slug)) as bob_ws,
    ):
        for ws in (watcher, ada_ws, bob_ws):
            ws.receive_text()
        send_answer(ada_ws, "Recursion and loops")
        assert "Your answer is in." in receive_until(ada_ws, "vote-status")
        first = receive_until(watcher, "data-answer-id")
        assert first.count("data-answer-id") == 1
        assert '<ol id="answers" hx-swap-oob="beforeend">' in first
        assert cloud(first) == {"recursion": 1, "loops": 1}
        assert 'id="results"' not in first  # a delta, not the whole results
        send_answer(bob_ws, f"recursion {HOSTILE}")
        second = receive_until(watcher, "data-answer-id")
        assert second.count("data-answer-id") == 1 and "Recursion and loops" not in second
        assert "<img src=x" not in second and "&lt;img src=x" in second
        assert cloud(second)["recursion"] == 2 and "loops" not in cloud(second)
        assert 'data-total-votes="2"' in second
        send_answer(ada_ws, "only loops now")  # replaced: her old one goes, the new one comes
        third = receive_until(watcher, "only loops now")
        ada_id = answer_ids(first)[0]
        assert f'<li id="answer-{ada_id}" hx-swap-oob="delete">' in third
        assert answer_ids(third) == [ada_id]
        assert cloud(third) == {"recursion": 1, "now": 1}  # "loops" kept its count of 1


def test_a_refused_frame_says_please_rephrase(people: dict[str, TestClient]) -> None:
    slug = create_text_poll(people["owner"], banned_words="darn")
    with people["ada"].websocket_connect(ws_url(slug)) as ws:
        ws.receive_text()
        send_answer(ws, "DARN it")
        assert "Please rephrase" in receive_until(ws, "vote-status")
        send_answer(ws, "y" * 300)
        assert "Keep your answer to 280 characters" in receive_until(ws, "vote-status")


def test_the_owner_hides_an_answer_and_it_leaves_every_screen_live(
    people: dict[str, TestClient],
) -> None:
    owner, ada, bob, visitor = people["owner"], people["ada"], people["bob"], people["visitor"]
    slug = create_text_poll(owner)
    answer(ada, slug, "kind words")
    answer(bob, slug, "rude words")
    page = owner.get(f"/polls/{slug}").text
    ada_id, bob_id = answer_ids(page)
    assert f'formaction="/polls/{slug}/answers/{bob_id}/hide"' in page
    assert 'id="answer-hide-form"' in page and 'form="answer-hide-form"' in page
    back = page.split('id="answer-hide-form"')[1].split("</form>")[0]
    assert f'name="next" value="/polls/{slug}#answers"' in back
    assert "formaction" not in visitor.get(f"/polls/{slug}").text
    with visitor.websocket_connect(ws_url(slug)) as watcher:
        watcher.receive_text()
        response = hide(owner, slug, bob_id, next=f"/polls/{slug}#answers")
        assert response.status_code == 303
        assert response.headers["location"] == f"/polls/{slug}#answers"
        gone = receive_until(watcher, f'id="answer-{bob_id}"')
        assert f'<li id="answer-{bob_id}" hx-swap-oob="delete">' in gone
        assert "rude" not in cloud(gone) or cloud(gone) == {}
        assert 'data-total-votes="1"' in gone
    assert "The answer is hidden from every screen." in owner.get(f"/polls/{slug}").text
    document = results(visitor, slug)
    assert document["answers"] == [{"id": ada_id, "text": "kind words"}]
    assert "rude" not in [w["word"] for w in document["words"]]  # type: ignore[union-attr]
    assert "rude words" not in visitor.get(f"/polls/{slug}/present").text
    again = hide(owner, slug, bob_id)  # a second click: nothing to hide, said so
    assert again.status_code == 303
    assert "already hidden" in owner.get(f"/polls/{slug}").text


def test_only_the_owner_hides_and_a_bad_id_is_refused_clearly(
    people: dict[str, TestClient],
) -> None:
    owner, ada, visitor = people["owner"], people["ada"], people["visitor"]
    slug = create_text_poll(owner)
    answer(ada, slug, "mine")
    (ada_id,) = answer_ids(owner.get(f"/polls/{slug}").text)
    refused = hide(ada, slug, ada_id)
    assert refused.status_code == 403
    assert "Only the person who created this poll" in refused.text
    assert hide(visitor, slug, ada_id).status_code in (303, 403)  # sign in first, or refused
    assert hide(owner, slug, "abc").status_code == 404
    assert "There is no such answer" in hide(owner, slug, "99999999999999").text
    assert hide(owner, "nosuchpoll1", ada_id).status_code == 404
    no_token = owner.post(f"/polls/{slug}/answers/{ada_id}/hide", follow_redirects=False)
    assert no_token.status_code == 403
    assert len(results(visitor, slug)["answers"]) == 1  # type: ignore[arg-type]


def test_the_host_console_hides_back_to_itself(owner: TestClient, student: TestClient) -> None:
    slug = create_text_poll(owner)
    answer(student, slug, "from the room")
    (answer_id,) = answer_ids(owner.get(f"/polls/{slug}").text)
    response = hide(owner, slug, answer_id, next="/r/ABCDEF/host#stage")
    assert response.headers["location"] == "/r/ABCDEF/host#stage"
    assert hide(owner, slug, answer_id, next="https://evil.example/").headers["location"] != (
        "https://evil.example/"
    )


def many_answers(client: TestClient, slug: str, count: int) -> None:
    async def store() -> None:
        poll = await Poll.get(slug=slug)
        for number in range(count):
            await store_answer(poll, await make_user(f"Student {number}"), f"idea number{number}")

    run(client, store)


def test_the_full_state_lists_only_the_latest_answers(people: dict[str, TestClient]) -> None:
    owner, visitor = people["owner"], people["visitor"]
    slug = create_text_poll(owner)
    many_answers(owner, slug, LATEST_ANSWERS + 10)
    with visitor.websocket_connect(ws_url(slug)) as ws:
        full = ws.receive_text()
    assert len(answer_ids(full)) == LATEST_ANSWERS
    assert "idea number59" in full and "idea number9<" not in full
    assert f"Latest {LATEST_ANSWERS} of 60 answers" in full
    assert "Show all answers" not in full  # only on the owner's page
    owner_page = owner.get(f"/polls/{slug}").text
    assert f"/polls/{slug}?answers=all#all-answers" in owner_page
    everything = owner.get(f"/polls/{slug}?answers=all").text
    listed = everything.split('id="all-answers"')[1]
    assert listed.count("answer-hide-all-form") == 61  # its form and a Hide per answer
    assert "idea number0<" in listed
    assert 'id="all-answers"' not in visitor.get(f"/polls/{slug}?answers=all").text
    assert len(results(visitor, slug)["answers"]) == 60  # type: ignore[arg-type]


def test_hiding_one_of_the_latest_brings_an_older_one_back_at_the_top(
    people: dict[str, TestClient],
) -> None:
    owner, visitor = people["owner"], people["visitor"]
    slug = create_text_poll(owner)
    many_answers(owner, slug, LATEST_ANSWERS + 1)
    with visitor.websocket_connect(ws_url(slug)) as ws:
        shown = answer_ids(ws.receive_text())
        newest = shown[-1]
        hide(owner, slug, newest)
        delta = receive_until(ws, f'id="answer-{newest}"')
    assert '<ol id="answers" hx-swap-oob="afterbegin">' in delta
    assert answer_ids(delta) == [str(int(shown[0]) - 1)]


def test_hidden_results_rules_hold_for_answers(people: dict[str, TestClient]) -> None:
    owner, ada, visitor = people["owner"], people["ada"], people["visitor"]
    slug = create_text_poll(owner, results_visibility="after_close")
    answer(ada, slug, "secret thought")
    for html in (
        visitor.get(f"/polls/{slug}").text,
        visitor.get(f"/polls/{slug}/present").text,
        visitor.get(f"/polls/{slug}/embed").text,
    ):
        assert "secret thought" not in html and "data-word" not in html
    document = results(visitor, slug)
    assert document["answers"] is None and document["words"] is None
    with visitor.websocket_connect(ws_url(slug)) as ws:
        assert "secret" not in ws.receive_text()


def test_voters_are_shown_with_answers_only_where_the_audience_sees_voters(
    owner: TestClient, student: TestClient, client: TestClient
) -> None:
    slug = create_text_poll(owner)
    answer(student, slug, "named or not")
    assert 'class="answer-name"' in owner.get(f"/polls/{slug}").text
    assert 'class="answer-name"' not in client.get(f"/polls/{slug}").text


def test_the_csv_has_one_row_per_shown_answer_with_its_text(
    owner: TestClient, student: TestClient
) -> None:
    slug = create_text_poll(owner)
    answer(student, slug, "=HYPERLINK(1), first")
    rows = list(csv.reader(io.StringIO(owner.get(f"/polls/{slug}/results.csv").text)))
    assert rows[0] == ["voter", "name", "response", "voted_at", "round", "confidence"]
    assert rows[1][2] == "'=HYPERLINK(1), first"
    (answer_id,) = answer_ids(owner.get(f"/polls/{slug}").text)
    hide(owner, slug, answer_id)
    assert len(owner.get(f"/polls/{slug}/results.csv").text.strip().splitlines()) == 1
    assert run(owner, Answer.filter(hidden=True).count) == 1


def test_a_text_poll_has_no_answers_key_for_other_kinds(owner: TestClient) -> None:
    from tests.helpers.client import create_poll

    document = results(owner, create_poll(owner))
    assert "answers" not in document and "words" not in document
    assert re.search(r"\d", str(document["total_votes"]))
