"""Property-based fuzzing of the kinds of question: whatever a create form or a vote frame
says about picks, scales, open answers or a quiz, the server answers without failing and
stores only polls, picks and answers that its rules allow."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from crowdsource.domain.models import ANSWER_MAX, Answer, Choice, Pick, Poll
from tests.helpers.answers import create_text_poll
from tests.helpers.client import create_poll, csrf_of, run, sign_in_guest
from tests.helpers.fuzzing import FUZZ, has_control_characters, json_values, nasty_text
from tests.helpers.sockets import receive_until

KINDS = {"single", "multiple", "scale", "text"}
# A field is most often nearly right (a small number, a known kind, blank), else anything.
small = st.integers(-1, 12).map(str)
numbers = st.one_of(small, small, st.just(""), st.just(""), nasty_text)
maybe_text = st.one_of(st.just(""), st.just(""), nasty_text)
kinds = st.one_of(
    st.sampled_from(sorted(KINDS)), st.sampled_from(["quiz", "", "SCALE"]), nasty_text
)


@pytest.fixture
def owner(client_factory: Callable[..., TestClient]) -> TestClient:
    """One owner for every example (hypothesis reuses function-scoped fixtures)."""
    client = client_factory(votes_per_second=1000, polls_per_minute=100_000)
    sign_in_guest(client, "Fuzz Owner")
    return client


@FUZZ
@given(
    kind=kinds,
    min_picks=numbers,
    max_picks=numbers,
    scale_min=numbers,
    scale_max=numbers,
    labels=st.tuples(maybe_text, maybe_text),
    banned_words=maybe_text,
    correct=st.lists(numbers, max_size=5),
    choices=st.one_of(st.just([]), st.lists(nasty_text, max_size=8)),
)
def test_any_kind_form_is_answered_and_stores_only_valid_questions(
    owner: TestClient,
    kind: str,
    min_picks: str,
    max_picks: str,
    scale_min: str,
    scale_max: str,
    labels: tuple[str, str],
    banned_words: str,
    correct: list[str],
    choices: list[str],
) -> None:
    data: dict[str, Any] = {
        "question": "Which of these?",
        "choices": choices or ["A", "B", "C"],
        "kind": kind,
        "min_picks": min_picks,
        "max_picks": max_picks,
        "scale_min": scale_min,
        "scale_max": scale_max,
        "scale_min_label": labels[0],
        "scale_max_label": labels[1],
        "banned_words": banned_words,
        "correct": correct,
        "csrf_token": csrf_of(owner.get("/").text),
    }
    response = owner.post("/polls", data=data, follow_redirects=False)
    assert response.status_code in {303, 400, 413, 429}
    event(f"{response.status_code} {kind if response.status_code == 303 else ''}")
    for poll in run(owner, lambda: Poll.all().prefetch_related("choices")):
        _assert_valid_question(poll, sorted(poll.choices, key=lambda choice: choice.position))


def _assert_valid_question(poll: Poll, choices: list[Choice]) -> None:
    assert poll.kind in KINDS
    for text in (poll.scale_min_label, poll.scale_max_label, poll.banned_words):
        assert not has_control_characters(text)
    labels = [choice.label for choice in choices]
    if poll.kind == "text":
        assert labels == []
    elif poll.kind == "scale":
        numbers = [int(label) for label in labels]
        assert numbers[0] in {0, 1} and 2 <= numbers[-1] <= 10
        assert numbers == list(range(numbers[0], numbers[-1] + 1))
    else:
        assert 2 <= len(labels) <= 12 and all(label.strip() for label in labels)
    if poll.kind == "multiple":
        low, high = poll.min_picks or 1, poll.max_picks or len(labels)
        assert 1 <= low <= high <= len(labels)
    if any(choice.correct for choice in choices):
        assert poll.kind in {"single", "multiple"}


@pytest.fixture
def several(owner: TestClient) -> tuple[TestClient, str]:
    """A pick-several question of four responses, two to three picks."""
    slug = create_poll(
        owner, choices=["A", "B", "C", "D"], kind="multiple", min_picks="2", max_picks="3"
    )
    return owner, slug


@FUZZ
@given(
    picks=st.one_of(
        json_values,
        # ("at", n): the n-th response's real id (n past the end: an id of no response).
        st.lists(st.tuples(st.just("at"), st.integers(0, 5)), max_size=6),
        st.lists(st.one_of(st.tuples(st.just("at"), st.integers(0, 5)), json_values), max_size=6),
    ),
    confidence=st.one_of(st.none(), json_values),
)
def test_any_picks_in_a_frame_store_an_allowed_set_or_nothing(
    several: tuple[TestClient, str], picks: object, confidence: object
) -> None:
    client, slug = several
    ids = [c["id"] for c in client.get(f"/polls/{slug}/results.json").json()["choices"]]
    frame: dict[str, Any] = {"choice": _with_ids(picks, ids), "HEADERS": {"HX-Request": "true"}}
    if confidence is not None:
        frame["confidence"] = confidence
    with client.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        ws.send_text(json.dumps(frame))
        receive_until(ws, 'id="vote-status"')
    stored = run(client, lambda: Pick.all().values_list("choice_id", flat=True))
    event(f"{len(stored)} picks stored")
    assert {str(choice) for choice in stored} <= set(ids)
    assert len(stored) == len(set(stored)) and (not stored or 2 <= len(stored) <= 3)


def _with_ids(picks: object, ids: list[str]) -> object:
    """`picks` with each ("at", n) replaced by the n-th id (or one past every id)."""
    if not isinstance(picks, list):
        return picks
    last = max(int(choice) for choice in ids)
    return [
        (ids[item[1]] if item[1] < len(ids) else str(last + item[1]))
        if isinstance(item, tuple)
        else item
        for item in picks
    ]


@FUZZ
@given(answer=st.one_of(nasty_text, json_values))
def test_any_open_answer_in_a_frame_stores_one_clean_line_or_nothing(
    owner: TestClient, answer: object
) -> None:
    slug = _text_question(owner)
    with owner.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="results"')
        ws.send_text(json.dumps({"answer": answer, "HEADERS": {"HX-Request": "true"}}))
        receive_until(ws, 'id="vote-status"')
    stored = run(owner, lambda: Answer.all().values_list("text", flat=True))
    assert len(stored) <= 1
    event("an answer stored" if stored else "no answer")
    for text in stored:
        assert text == text.strip() and 1 <= len(text) <= ANSWER_MAX
        assert not has_control_characters(text)


def _text_question(client: TestClient) -> str:
    """The one open question of the fuzzing owner, made on first use."""
    existing = run(client, lambda: Poll.filter(kind="text").values_list("slug", flat=True))
    return existing[0] if existing else create_text_poll(client, banned_words="spoiler")
