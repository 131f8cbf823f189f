"""The owner's duplicate and delete over HTTP: a fresh copy with a new link; a delete asked
first once votes came, for the owner only, after which the link answers 404."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.helpers.announcer import RecordingAnnouncer as Announcements
from tests.helpers.client import choice_ids, create_poll, csrf_of, results, vote
from tests.helpers.owner_controls import (
    close_now,
    iso_in,
    post,
    stored,
)


def test_duplicate_opens_a_fresh_copy_with_a_new_link(
    owner: TestClient, student: TestClient, announced: Announcements
) -> None:
    slug = create_poll(
        owner, question="Again?", choices=["One", "Two"], results_visibility="after_vote"
    )
    vote(student, slug, choice_ids(owner, slug)[0])
    close_now(owner, slug)
    response = post(owner, slug, "duplicate")
    assert response.status_code == 303
    copy = response.headers["location"].split("/")[2].split("#")[0]
    assert copy != slug
    data = results(owner, copy)
    assert (data["question"], data["state"], data["total_votes"]) == ("Again?", "open", 0)
    assert [c["label"] for c in data["choices"]] == ["One", "Two"]
    assert "fresh copy" in owner.get(f"/polls/{copy}").text
    copied = stored(owner, copy)
    assert copied and copied.results_visibility == "after_vote" and announced[-1] == copied.id
    assert results(owner, slug)["total_votes"] == 1


def test_delete_asks_first_then_the_link_answers_404(
    owner: TestClient, student: TestClient, announced: Announcements
) -> None:
    slug = create_poll(owner, question="Gone soon?", closes_at=iso_in(3600))
    vote(student, slug, choice_ids(owner, slug)[0])
    announced.clear()
    poll = stored(owner, slug)
    assert poll
    confirm = owner.get(f"/polls/{slug}/delete")
    assert confirm.status_code == 200
    assert "Delete “Gone soon?”?" in confirm.text and "1 vote " in confirm.text
    assert 'name="confirm" value="yes"' in confirm.text
    unconfirmed = post(owner, slug, "delete")
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.text
    assert stored(owner, slug) is not None and announced == []
    response = post(owner, slug, "delete", confirm="yes")
    assert (response.status_code, response.headers["location"]) == (303, "/polls")
    assert "Deleted “Gone soon?”." in owner.get("/polls").text
    assert announced == [poll.id]
    assert owner.app.state.closing.armed == frozenset()  # type: ignore[attr-defined]
    for path in ("", "/results.json", "/delete"):
        assert student.get(f"/polls/{slug}{path}").status_code == 404
    assert vote_after_delete(student, slug).status_code == 404


def test_a_poll_without_votes_is_deleted_in_one_step(
    owner: TestClient, student: TestClient, announced: Announcements
) -> None:
    slug = create_poll(owner, question="Typo in it?")
    page = owner.get(f"/polls/{slug}").text
    assert f'<form method="post" action="/polls/{slug}/delete">' in page
    assert ">Delete poll</button>" in page and "Delete…" not in page
    response = post(owner, slug, "delete")
    assert (response.status_code, response.headers["location"]) == (303, "/polls")
    assert stored(owner, slug) is None
    other = create_poll(owner, question="Counted?")
    vote(student, slug=other, choice=choice_ids(owner, other)[0])
    assert f'href="/polls/{other}/delete">Delete…</a>' in owner.get(f"/polls/{other}").text
    assert post(owner, other, "delete").status_code == 400  # votes came: it asks after all
    assert stored(owner, other) is not None


def vote_after_delete(client: TestClient, slug: str) -> Any:
    token = csrf_of(client.get("/").text)
    return client.post(f"/polls/{slug}/votes", data={"choice": "1", "csrf_token": token})


def test_the_delete_confirmation_is_for_the_owner_only(
    owner: TestClient, student: TestClient, stranger: TestClient
) -> None:
    slug = create_poll(owner)
    assert student.get(f"/polls/{slug}/delete").status_code == 403
    response = stranger.get(f"/polls/{slug}/delete", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/login?next=/polls/{slug}/delete",
    )
