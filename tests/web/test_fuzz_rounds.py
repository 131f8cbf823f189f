"""Property-based fuzzing of peer instruction: whatever a client sends to POST
/polls/{slug}/rounds (end time, time zone, way back; owner or not) and as `confidence` (form
field or socket frame key), the server answers without failing, a round only ever moves one
step on the owner's word, and nothing but sure | unsure | guess (or none) is stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from crowdsource.domain.models import Poll, Vote
from tests.helpers.client import create_poll, csrf_of, run, sign_in_guest, vote
from tests.helpers.fuzzing import FUZZ, json_values, nasty_text
from tests.helpers.sockets import receive_until

LEVELS = {None, "sure", "unsure", "guess"}


@pytest.fixture
def asked(client_factory: Callable[..., TestClient]) -> tuple[TestClient, str, str]:
    """An owner (also voting, without rate limits), a question asking how sure, a response."""
    owner = client_factory(votes_per_second=1000, polls_per_minute=100_000)
    sign_in_guest(owner, "Fuzz Owner")
    slug = create_poll(owner, ask_confidence="on")
    first = owner.get(f"/polls/{slug}/results.json").json()["choices"][0]["id"]
    return owner, slug, first


def round_of(client: TestClient, slug: str) -> int:
    return run(client, lambda: Poll.get(slug=slug).values_list("round", flat=True))


def stored_confidence(client: TestClient) -> set[str | None]:
    return set(run(client, lambda: Vote.all().values_list("confidence", flat=True)))


@FUZZ
@given(
    closes_at=nasty_text | st.sampled_from(["2030-01-01T10:00", "1999-01-01T00:00", "9" * 40]),
    timezone=nasty_text,
    back=nasty_text | st.sampled_from(["/r/ABCDEF", "//evil.example", "https://evil.example"]),
    with_token=st.booleans(),
)
def test_vote_again_with_any_form_moves_one_round_at_most(
    asked: tuple[TestClient, str, str], closes_at: str, timezone: str, back: str, with_token: bool
) -> None:
    owner, slug, first = asked
    vote(owner, slug, first)  # a vote in this round: Vote again is allowed
    before = round_of(owner, slug)
    token = csrf_of(owner.get(f"/polls/{slug}").text) if with_token else "forged"
    data = {"csrf_token": token, "closes_at": closes_at, "timezone": timezone, "next": back}
    response = owner.post(f"/polls/{slug}/rounds", data=data, follow_redirects=False)
    assert response.status_code < 500
    after = round_of(owner, slug)
    assert after in (before, before + 1)
    if not with_token:
        assert after == before
    location = response.headers.get("location", "")
    assert not location.startswith(("//", "http")), location  # never sent off the site


@FUZZ
@given(slug=nasty_text)
def test_vote_again_on_any_slug_is_answered_and_changes_nothing(
    asked: tuple[TestClient, str, str], slug: str
) -> None:
    owner, real, _ = asked
    token = csrf_of(owner.get(f"/polls/{real}").text)
    response = owner.post(
        f"/polls/{quote(slug, safe='')}/rounds", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code < 500
    assert round_of(owner, real) == 1 or slug == real


@FUZZ
@given(confidence=nasty_text | st.sampled_from(["SURE", " sure", "sure\x00", "guessing"]))
def test_any_confidence_in_a_form_stores_a_level_or_nothing(
    asked: tuple[TestClient, str, str], confidence: str
) -> None:
    owner, slug, first = asked
    response = vote(owner, slug, first, confidence=confidence)
    assert response.status_code < 500
    assert stored_confidence(owner) <= LEVELS


@FUZZ
@given(confidence=json_values)
def test_any_confidence_in_a_frame_stores_a_level_or_nothing(
    asked: tuple[TestClient, str, str], confidence: object
) -> None:
    owner, slug, first = asked
    frame = {"choice": first, "confidence": confidence}
    with owner.websocket_connect(f"/polls/{slug}/ws") as ws:
        receive_until(ws, 'id="vote-panel"')
        ws.send_text(json.dumps(frame))
        answer = receive_until(ws, 'id="vote-status"')
    stored = stored_confidence(owner)
    assert stored <= LEVELS
    if "vote-status-ok" in answer and confidence in LEVELS:
        assert stored == {confidence}  # a level said is stored as said
