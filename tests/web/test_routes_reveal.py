"""POST /polls/{slug}/reveal: the owner shows a quiz's answer on every screen; what each
person then sees (their verdict), results.json and the CSV before and after."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.helpers.client import choice_ids, create_poll, csrf_of, vote
from tests.helpers.quiz import leaks, marked_correct
from tests.helpers.quiz import verdict as verdict_of
from tests.helpers.sockets import receive_until, send_vote


def reveal(client: TestClient, slug: str, **extra: str) -> object:
    token = csrf_of(client.get(f"/polls/{slug}").text)
    return client.post(
        f"/polls/{slug}/reveal", data={"csrf_token": token, **extra}, follow_redirects=False
    )


def verdict(client: TestClient, slug: str) -> str:
    return verdict_of(client.get(f"/polls/{slug}").text)


def test_the_owner_sees_the_answer_from_the_start_and_others_only_after_reveal(
    people: dict[str, TestClient],
) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner, correct=["2"])
    right = choice_ids(owner, slug)[1]
    page = owner.get(f"/polls/{slug}").text
    assert marked_correct(page) == {right} and "✓ correct" in page
    assert owner.get(f"/polls/{slug}/results.json").json()["correct"] == [right]
    assert ">Reveal answer</button>" in page
    assert not leaks(ada.get(f"/polls/{slug}").text)
    assert ada.get(f"/polls/{slug}/results.json").json()["correct"] is None

    response = reveal(owner, slug)

    assert response.status_code == 303
    assert response.headers["location"] == f"/polls/{slug}#owner-panel"
    owner_page = owner.get(f"/polls/{slug}").text
    assert "The answer is shown on every screen." in owner_page
    assert ">Reveal answer</button>" not in owner_page
    for person in ("ada", "visitor"):
        assert marked_correct(people[person].get(f"/polls/{slug}").text) == {right}
        assert people[person].get(f"/polls/{slug}/results.json").json()["correct"] == [right]


def test_each_voter_learns_whether_they_were_right(people: dict[str, TestClient]) -> None:
    owner, ada, bob = people["owner"], people["ada"], people["bob"]
    slug = create_poll(owner, choices=["A", "B", "C"], correct=["1"])
    first, second, _ = choice_ids(owner, slug)
    vote(ada, slug, first)
    vote(bob, slug, second)
    assert verdict(ada, slug) == "" and verdict(bob, slug) == ""

    reveal(owner, slug)

    assert verdict(ada, slug) == "✓ You chose A — correct."
    assert verdict(bob, slug) == "✗ You chose B — the answer was A."
    assert verdict(people["visitor"], slug) == ""  # nothing chosen, nothing to judge


def test_several_picks_say_how_many_were_right(people: dict[str, TestClient]) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner, choices=["A", "B", "C"], kind="multiple", correct=["1", "3"])
    first, second, _ = choice_ids(owner, slug)
    token = csrf_of(ada.get(f"/polls/{slug}").text)
    ada.post(f"/polls/{slug}/votes", data={"choice": [first, second], "csrf_token": token})

    reveal(owner, slug)

    assert verdict(ada, slug) == (
        "✗ You chose A and B — 1 of your 2 picks is correct; the answer was A and C."
    )


def test_others_cannot_reveal(people: dict[str, TestClient]) -> None:
    owner, ada, visitor = people["owner"], people["ada"], people["visitor"]
    slug = create_poll(owner, correct=["2"])
    response = reveal(ada, slug)
    assert response.status_code == 403 and not leaks(response.text)
    signed_out = reveal(visitor, slug)
    assert signed_out.status_code == 303 and "/login" in signed_out.headers["location"]
    assert ada.get(f"/polls/{slug}/results.json").json()["correct"] is None


def test_a_reveal_needs_the_csrf_token_and_a_poll(people: dict[str, TestClient]) -> None:
    owner = people["owner"]
    slug = create_poll(owner, correct=["2"])
    forged = owner.post(f"/polls/{slug}/reveal", data={}, follow_redirects=False)
    assert forged.status_code == 403
    assert owner.get(f"/polls/{slug}/results.json").json()["correct"] is not None
    assert people["ada"].get(f"/polls/{slug}/results.json").json()["correct"] is None
    token = csrf_of(owner.get(f"/polls/{slug}").text)
    missing = owner.post("/polls/nosuchpoll1/reveal", data={"csrf_token": token})
    assert missing.status_code == 404


def test_a_poll_that_is_no_quiz_says_so(people: dict[str, TestClient]) -> None:
    owner = people["owner"]
    slug = create_poll(owner)
    response = reveal(owner, slug)
    assert response.status_code == 400
    assert "This poll is no quiz: none of its responses is marked correct." in response.text
    assert ">Reveal answer</button>" not in owner.get(f"/polls/{slug}").text
    assert owner.get(f"/polls/{slug}/results.json").json()["correct"] is None


def test_revealing_twice_says_it_is_already_shown(people: dict[str, TestClient]) -> None:
    owner = people["owner"]
    slug = create_poll(owner, correct=["2"])
    assert reveal(owner, slug).status_code == 303
    again = reveal(owner, slug)
    assert again.status_code == 303
    assert "The answer was already shown on every screen." in owner.get(f"/polls/{slug}").text


def test_the_host_console_reveals_and_goes_back_to_itself(
    people: dict[str, TestClient],
) -> None:
    owner = people["owner"]
    slug = create_poll(owner, correct=["2"])
    response = reveal(owner, slug, next="/polls")
    assert response.headers["location"] == "/polls"


def test_the_csv_is_the_owner_s_and_says_which_votes_were_correct(
    people: dict[str, TestClient],
) -> None:
    owner, ada, bob = people["owner"], people["ada"], people["bob"]
    slug = create_poll(owner, choices=["A", "B"], correct=["2"])
    first, second = choice_ids(owner, slug)
    vote(ada, slug, first)
    vote(bob, slug, second)
    rows = owner.get(f"/polls/{slug}/results.csv").text.splitlines()
    assert rows[0] == "voter,name,response,voted_at,round,confidence,correct"
    assert [row.rsplit(",", 1)[1] for row in rows[1:]] == ["no", "yes"]
    assert people["ada"].get(f"/polls/{slug}/results.csv").status_code == 403
    plain = create_poll(owner)
    assert owner.get(f"/polls/{plain}/results.csv").text.startswith(
        "voter,name,response,voted_at,round,confidence\r\n"
    )


def test_a_change_of_mind_after_the_reveal_changes_the_verdict_live(
    people: dict[str, TestClient],
) -> None:
    owner, ada = people["owner"], people["ada"]
    slug = create_poll(owner, choices=["A", "B"], correct=["1"])
    first, second = choice_ids(owner, slug)
    vote(ada, slug, first)
    reveal(owner, slug)
    with ada.websocket_connect(f"/polls/{slug}/ws") as ws:
        assert verdict_of(receive_until(ws, "quiz-verdict")) == "✓ You chose A — correct."
        send_vote(ws, second)
        changed = receive_until(ws, "the answer was")
    assert verdict_of(changed) == "✗ You chose B — the answer was A."
