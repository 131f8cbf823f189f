"""`multiple` and `scale` questions over HTTP: the vote form, the rule on picks, results
counting people, avatars per pick, a scale's mean and median, results.json and the CSVs."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.helpers.client import CHOICES, choice_ids, create_poll, vote, votes_of
from tests.helpers.rooms import ask, create_room


def multiple_poll(owner: TestClient, **fields: str) -> str:
    return create_poll(owner, kind="multiple", choices=CHOICES, **fields)


def test_a_multiple_vote_form_has_boxes_and_says_the_rule(owner: TestClient) -> None:
    slug = multiple_poll(owner, min_picks="2", max_picks="3")
    page = owner.get(f"/polls/{slug}").text
    assert page.count('type="checkbox" name="choice"') == 4
    assert 'type="radio" name="choice"' not in page
    assert re.search(r"data-pick-rule>\s*Pick 2 to 3\.</p>", page)
    other = multiple_poll(owner, max_picks="2")
    assert re.search(r"data-pick-rule>\s*Pick up to 2\.</p>", owner.get(f"/polls/{other}").text)


def test_several_picks_count_people_and_a_change_of_mind_replaces_them(
    owner: TestClient, voters: list[TestClient]
) -> None:
    slug = multiple_poll(owner, max_picks="3")
    hammer, saw, drill, _ = choice_ids(owner, slug)
    ada, bob, _ = voters
    assert vote(ada, slug, [hammer, saw]).status_code == 303
    assert vote(bob, slug, [hammer]).status_code == 303
    data = owner.get(f"/polls/{slug}/results.json").json()
    assert data["kind"] == "multiple" and data["total_votes"] == 2  # people, not picks
    assert votes_of(owner, slug) == [2, 1, 0, 0]
    page = owner.get(f"/polls/{slug}").text
    assert 'data-total-votes="2"' in page and "of 2 people" in page
    assert re.search(rf'data-choice-id="{hammer}" data-votes="2"', page)
    assert re.search(r'<progress class="bar" max="100" value="100"', page)  # 2 of 2 people
    assert vote(ada, slug, [drill]).status_code == 303  # the whole set is replaced
    assert votes_of(owner, slug) == [1, 0, 1, 0]
    ada_page = ada.get(f"/polls/{slug}").text
    assert re.search(rf'type="checkbox" name="choice" value="{drill}" checked', ada_page)
    assert not re.search(rf'value="{hammer}" checked', ada_page)


def test_a_broken_rule_is_refused_saying_which(owner: TestClient, voters: list[TestClient]) -> None:
    slug = multiple_poll(owner, min_picks="2", max_picks="3")
    ids = choice_ids(owner, slug)
    too_few = vote(voters[0], slug, ids[:1])
    assert too_few.status_code == 400 and "Pick at least 2 responses." in too_few.text
    assert re.search(rf'name="choice" value="{ids[0]}" checked', too_few.text)  # kept
    too_many = vote(voters[0], slug, ids)
    assert too_many.status_code == 400 and "Pick at most 3 responses." in too_many.text
    none = vote(voters[0], slug, [])
    assert none.status_code == 400
    assert votes_of(owner, slug) == [0, 0, 0, 0]


def test_each_pick_shows_the_avatar_with_its_own_id(
    owner: TestClient, voters: list[TestClient]
) -> None:
    slug = multiple_poll(owner)
    hammer, saw, *_ = choice_ids(owner, slug)
    vote(voters[0], slug, [hammer, saw])
    page = owner.get(f"/polls/{slug}").text
    ids = re.findall(r'<img class="voter" id="([^"]+)"', page)
    assert len(ids) == 2 and len(set(ids)) == 2
    assert ids[0].startswith(f"voter-{hammer}-") and ids[1].startswith(f"voter-{saw}-")


def test_a_scale_is_a_row_of_numbers_with_its_end_words(owner: TestClient) -> None:
    slug = create_poll(
        owner,
        kind="scale",
        scale_min="0",
        scale_max="4",
        scale_min_label="Lost",
        scale_max_label="Easy",
    )
    page = owner.get(f"/polls/{slug}").text
    row = page[page.index('class="scale-row"') : page.index("</fieldset>")]
    assert re.findall(r'class="option-label">(\d+)<', row) == ["0", "1", "2", "3", "4"]
    assert row.count('type="radio" name="choice"') == 5
    assert re.search(r'class="scale-ends" aria-hidden="true"><span>Lost</span><span>Easy', row)
    assert 'data-mean="" data-median=""' in page  # no votes yet


def test_a_scale_s_mean_and_median_on_the_page_and_in_json(
    owner: TestClient, voters: list[TestClient]
) -> None:
    slug = create_poll(owner, kind="scale", scale_min="1", scale_max="5")
    ids = choice_ids(owner, slug)
    for person, number in zip(voters, (1, 2, 5), strict=True):
        assert vote(person, slug, ids[number - 1]).status_code == 303
    data = owner.get(f"/polls/{slug}/results.json").json()
    assert (data["kind"], data["mean"], data["median"]) == ("scale", 2.67, 2.0)
    page = owner.get(f"/polls/{slug}").text
    assert re.search(r'id="results" [^>]*data-mean="2.67" data-median="2.00"', page)
    assert re.search(r"Mean</span> <strong>2.67</strong>", page)
    projector = owner.get(f"/polls/{slug}/present").text
    assert 'class="scale-mean"' in projector and "2.67" in projector
    embed = owner.get(f"/polls/{slug}/embed").text
    assert 'data-mean="2.67"' in embed


def test_hidden_results_hide_the_mean_too(owner: TestClient, voters: list[TestClient]) -> None:
    slug = create_poll(owner, kind="scale", results_visibility="after_close")
    vote(voters[0], slug, choice_ids(owner, slug)[4])
    data = voters[1].get(f"/polls/{slug}/results.json").json()
    assert data["mean"] is None and data["median"] is None
    assert "data-mean" not in voters[1].get(f"/polls/{slug}").text
    assert owner.get(f"/polls/{slug}/results.json").json()["mean"] == 5


def test_the_csv_has_a_row_per_pick_and_a_scale_s_number(
    owner: TestClient, voters: list[TestClient]
) -> None:
    slug = multiple_poll(owner)
    hammer, _, drill, _ = choice_ids(owner, slug)
    vote(voters[0], slug, [hammer, drill])
    rows = owner.get(f"/polls/{slug}/results.csv").text.strip().split("\r\n")[1:]
    assert [row.split(",")[2] for row in rows] == ["Hammer", "Drill"]
    assert all(row.startswith("guest~") for row in rows)
    scale = create_poll(owner, kind="scale", scale_min="0", scale_max="10")
    vote(voters[1], scale, choice_ids(owner, scale)[7])
    rows = owner.get(f"/polls/{scale}/results.csv").text.strip().split("\r\n")[1:]
    assert [row.split(",")[2] for row in rows] == ["7"]


def test_a_room_s_csv_has_a_row_per_pick(owner: TestClient, voters: list[TestClient]) -> None:
    code = create_room(owner)
    slug = ask(owner, code, kind="multiple", choices=CHOICES)
    ids = choice_ids(owner, slug)
    response = vote(voters[0], slug, [ids[1], ids[3]], poll=slug, next=f"/r/{code}")
    assert response.status_code == 303, response.text
    rows = owner.get(f"/r/{code}/results.csv").text.strip().split("\r\n")[1:]
    assert sorted(row.split(",")[3] for row in rows) == ["Glue", "Saw"]


def test_a_room_s_projector_shows_a_scale_s_mean(
    owner: TestClient, voters: list[TestClient]
) -> None:
    code = create_room(owner)
    slug = ask(owner, code, kind="scale", choices=[], scale_min="1", scale_max="3")
    ids = choice_ids(owner, slug)
    response = vote(voters[0], slug, ids[2], poll=slug, next=f"/r/{code}")
    assert response.status_code == 303, response.text
    projector = owner.get(f"/r/{code}/present").text
    assert re.search(r'id="results" [^>]*data-mean="3.00" data-median="3.00"', projector)
    assert re.search(r'class="scale-mean">.*<strong>3.00</strong>', projector)
    assert 'class="scale-row"' in voters[1].get(f"/r/{code}").text  # the students' page
