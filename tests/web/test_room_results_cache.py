"""The results of the projector, the embed, the voters' page and a room's pages are rendered
once per state of the poll and kept on the tally cache's snapshot (web/results_render.py):
one audience's render never reaches another, nothing of one request is in it, and every
change shows on the next request."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from crowdsource.domain.tally_reads import tally_of
from crowdsource.domain.visibility import COUNTS, EVERYTHING, HIDDEN
from crowdsource.realtime.fragments import PAGE, ROOM
from crowdsource.realtime.snapshot import Snapshot
from crowdsource.web.results_render import results_html
from tests.helpers.client import create_poll, csrf_of, vote
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.quiz import leaks, marked_correct
from tests.helpers.rooms import ask, create_room

ROOM_PATHS = ("present", "embed")


def owner_post(owner: TestClient, slug: str, action: str, **data: str) -> None:
    token = csrf_of(owner.get(f"/polls/{slug}").text)
    response = owner.post(
        f"/polls/{slug}/{action}", data={"csrf_token": token, **data}, follow_redirects=False
    )
    assert response.status_code == 303, response.text[:300]


def results_of(page: str) -> str:
    found = re.search(r'<section id="results".*?</section>', page, re.DOTALL)
    assert found, page[:300]
    return found.group(0)


@pytest.mark.usefixtures("orm")
async def test_a_render_for_one_audience_is_never_served_to_another() -> None:
    poll = await make_poll(show_voters="everyone")
    await store_vote(poll, await make_user("Sam Student"), (await choice_ids(poll))[0])
    snapshot = Snapshot(poll, await tally_of(poll))
    for surface in (ROOM, PAGE):
        everything = results_html(snapshot, EVERYTHING, surface)  # first: others must not get it
        counts = results_html(snapshot, COUNTS, surface)
        hidden = results_html(snapshot, HIDDEN, surface)
        assert 'class="voter"' in everything and "Sam Student" in everything
        assert 'class="voter"' not in counts and "Sam Student" not in counts
        assert 'data-total-votes="1"' in counts
        assert "Sam Student" not in hidden and 'id="result-' not in hidden
    # The students' page and the projector say different things of hidden results.
    assert results_html(snapshot, HIDDEN, ROOM) != results_html(snapshot, HIDDEN, PAGE)


@pytest.mark.parametrize("path", ROOM_PATHS)
def test_a_quizs_answer_stays_off_the_room_screens_until_revealed_then_shows_at_once(
    people: dict[str, TestClient], path: str
) -> None:
    owner, ada, visitor = people["owner"], people["ada"], people["visitor"]
    slug = create_poll(owner, correct=["2"])
    right = owner.get(f"/polls/{slug}/results.json").json()["choices"][1]["id"]
    assert not leaks(results_of(owner.get(f"/polls/{slug}/{path}").text))  # the owner's first
    assert not leaks(results_of(visitor.get(f"/polls/{slug}/{path}").text))
    vote(ada, slug, right)
    assert 'data-total-votes="1"' in visitor.get(f"/polls/{slug}/{path}").text
    owner_post(owner, slug, "reveal")
    assert marked_correct(visitor.get(f"/polls/{slug}/{path}").text) == {str(right)}


@pytest.mark.parametrize("path", ROOM_PATHS)
def test_every_change_of_the_poll_shows_on_the_next_request(
    people: dict[str, TestClient], path: str
) -> None:
    owner, ada, visitor = people["owner"], people["ada"], people["visitor"]
    slug = create_poll(owner, results_visibility="after_close", show_voters="everyone")
    url = f"/polls/{slug}/{path}"
    choice = owner.get(f"/polls/{slug}/results.json").json()["choices"][0]["id"]
    vote(ada, slug, choice)
    shown = results_of(visitor.get(url).text)
    assert "Results appear when voting closes." in shown and "Ada" not in shown
    assert 'data-round="1"' in shown
    owner_post(owner, slug, "close")
    shown = results_of(visitor.get(url).text)
    assert 'data-state="closed"' in shown and 'class="voter"' in shown
    owner_post(owner, slug, "visibility", results_visibility="after_close", show_voters="owner")
    assert 'class="voter"' not in results_of(visitor.get(url).text)  # names gone at once
    owner_post(owner, slug, "rounds")
    shown = results_of(visitor.get(url).text)
    assert 'data-round="2"' in shown and 'data-state="open"' in shown
    owner_post(owner, slug, "language", language="fr")
    assert "Résultats" in results_of(visitor.get(url).text)


def test_what_is_per_request_stays_out_of_the_shared_render(
    owner: TestClient, student: TestClient
) -> None:
    slug = create_poll(owner)
    mine = owner.get(f"/polls/{slug}/present")  # rendered and kept on the owner's request
    theirs = student.get(f"/polls/{slug}/present")
    assert results_of(mine.text) == results_of(theirs.text)
    assert "<kbd>c</kbd>" in mine.text and "<kbd>c</kbd>" not in theirs.text  # owner's keys
    assert csrf_of(mine.text) not in theirs.text  # the owner's keys' forms carry it
    assert csrf_of(owner.get(f"/polls/{slug}").text) not in theirs.text


def test_on_the_voters_page_and_the_rooms_the_owners_render_never_reaches_a_voter(
    people: dict[str, TestClient],
) -> None:
    owner, ada, visitor = people["owner"], people["ada"], people["visitor"]
    slug = create_poll(owner, correct=["2"])
    code = create_room(owner)
    asked = ask(owner, code, correct=["2"])
    right = owner.get(f"/polls/{slug}/results.json").json()["choices"][1]["id"]
    vote(ada, slug, right)
    pages = (f"/polls/{slug}", f"/polls/{asked}", f"/r/{code}")
    for path in pages:  # the owner's render first: it is kept, and must stay the owner's
        assert marked_correct(results_of(owner.get(path).text))
    for path in pages:
        for client in (ada, visitor):
            assert not leaks(results_of(client.get(path).text)), path
    owner_post(owner, slug, "reveal")
    assert marked_correct(results_of(visitor.get(f"/polls/{slug}").text)) == {str(right)}
