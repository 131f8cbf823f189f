"""The room report over HTTP (`/r/{code}/report`, `/r/{code}/report.csv`): the owner's
only, sortable, the same data as CSV; and a student's own answers (`/r/{code}/mine`)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from crowdsource.domain.models import Poll
from tests.helpers.client import csrf_of, run, sign_in_guest, vote
from tests.helpers.rooms import ask, create_room
from tests.helpers.roster import set_roster, sign_in_as


@pytest.fixture
def course(client_factory: Callable[..., TestClient]) -> dict[str, object]:
    """A room with roster ada, bob, cy; a quiz (7 is right) ada gets right and bob wrong,
    an open question only eve (off the roster, listed later) answers."""
    owner, ada, bob, eve, visitor, evil = (client_factory() for _ in range(6))
    sign_in_guest(evil, "=Evil")
    sign_in_guest(owner, "Alex Owner")
    sign_in_as(ada, "ada")
    sign_in_as(bob, "bob")
    sign_in_as(eve, "eve")
    code = create_room(owner)
    quiz = ask(owner, code, question="Prime?", correct=["2"])
    ids = re.findall(r'data-choice-id="(\d+)"', ada.get(f"/polls/{quiz}").text)
    assert vote(ada, quiz, ids[1]).status_code in (200, 303)
    assert vote(bob, quiz, ids[0]).status_code in (200, 303)
    words = ask(owner, code, question="=Say <b>hi</b>", choices=[], kind="text")
    for person in (eve, evil):
        token = csrf_of(person.get(f"/polls/{words}").text)
        answered = person.post(
            f"/polls/{words}/votes", data={"answer": "=cmd", "csrf_token": token}
        )
        assert answered.status_code in (200, 303)
    ask(owner, code, question="Not yet", launch="0")
    set_roster(owner, code, "ada\nbob\ncy")
    return {"owner": owner, "ada": ada, "bob": bob, "eve": eve, "visitor": visitor, "code": code}


def students(html: str) -> list[str]:
    """The rows' logins, in order, the guest (=Evil) left out."""
    found = re.findall(r'<tr data-student="([^"]+)"', html)
    return [login for login in found if not login.startswith("guest~")]


def test_the_owner_sees_members_by_questions(course: dict) -> None:
    owner, code = course["owner"], course["code"]
    response = owner.get(f"/r/{code}/report")
    assert response.status_code == 200
    html = response.text
    assert students(html) == ["ada", "bob", "cy", "eve"]
    assert html.count('class="report-q"') == 2  # the draft is no column
    assert "not on the roster" in html.split('data-student="eve"')[1].split("</tr>")[0]
    ada = html.split('data-student="ada"')[1].split("</tr>")[0]
    assert 'data-correct="true"' in ada and "answered, right" in ada and "50%" in ada
    bob = html.split('data-student="bob"')[1].split("</tr>")[0]
    assert "answered, wrong" in bob
    assert "&lt;b&gt;hi" in html and "<b>hi" not in html
    assert f'href="/r/{code}/report"' in owner.get(f"/r/{code}/host").text


def test_sort_links_order_the_rows(course: dict) -> None:
    owner, code = course["owner"], course["code"]
    by_rate = owner.get(f"/r/{code}/report?sort=rate").text
    assert students(by_rate) == ["ada", "bob", "eve", "cy"]
    assert f'href="/r/{code}/report?sort=name"' in by_rate
    by_correct = owner.get(f"/r/{code}/report?sort=correct").text
    assert students(by_correct)[:2] == ["ada", "bob"]
    assert students(owner.get(f"/r/{code}/report?sort=%3Cx%3E").text)[0] == "ada"


@pytest.mark.parametrize("path", ["/r/{code}/report", "/r/{code}/report.csv"])
def test_others_are_refused(course: dict, path: str) -> None:
    url = path.format(code=course["code"])
    assert course["ada"].get(url).status_code == 403
    signed_out = course["visitor"].get(url, follow_redirects=False)
    assert signed_out.status_code == 303 and "/login" in signed_out.headers["location"]
    assert course["owner"].get("/r/ZZZZZZ/report").status_code == 404


def test_the_csv_has_a_row_per_student_and_neutralised_cells(course: dict) -> None:
    response = course["owner"].get(f"/r/{course['code']}/report.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "crowdsource-report-" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "login", "name", "on_roster", "Q1 Prime?", "Q1 correct", "Q2 =Say <b>hi</b>",
        "answered", "answer_rate", "correct", "correct_rate",
    ]  # fmt: skip
    by_login = {row[0]: row for row in rows[1:-1]}
    assert by_login["ada"][2:] == ["yes", "yes", "yes", "no", "1", "50%", "1", "100%"]
    assert by_login["bob"][3:5] == ["yes", "no"]
    assert by_login["cy"][3:] == ["no", "", "no", "0", "0%", "0", ""]
    assert by_login["eve"][2] == "no" and by_login["eve"][5] == "yes"
    assert rows[-1][1] == "rate per question" and rows[-1][3:6] == ["40%", "50%", "40%"]
    (evil,) = [row for row in rows if row[1].startswith("'")]
    assert evil[1] == "'=Evil (guest)" and evil[2] == "no"


def test_my_answers_shows_only_mine(course: dict) -> None:
    code = course["code"]
    mine = course["ada"].get(f"/r/{code}/mine")
    assert mine.status_code == 200
    assert "Prime?" in mine.text and "Say" not in mine.text
    assert re.search(r'class="mine-given">\s*7', mine.text) and "=cmd" not in mine.text
    assert 'data-correct="' not in mine.text  # not revealed yet
    eve = course["eve"].get(f"/r/{code}/mine").text
    assert "=cmd" in eve and "Prime?" not in eve
    assert "not answered any question" in course["owner"].get(f"/r/{code}/mine").text
    signed_out = course["visitor"].get(f"/r/{code}/mine", follow_redirects=False)
    assert signed_out.status_code == 303 and "/login" in signed_out.headers["location"]
    assert f'href="/r/{code}/mine"' in course["ada"].get(f"/r/{code}").text


def test_a_nobody_question_shows_who_answered_never_whether_right(course: dict) -> None:
    owner, code = course["owner"], course["code"]
    run(owner, Poll.filter(question="Prime?").update, show_voters="nobody")
    html = owner.get(f"/r/{code}/report").text
    assert "answered, right" not in html and "answered, wrong" not in html
    assert 'data-correct="' not in html and "by correct rate" not in html
    header = owner.get(f"/r/{code}/report.csv").text.splitlines()[0]
    assert "Q1 Prime?" in header and "Q1 correct" not in header
    mine = course["ada"].get(f"/r/{code}/mine").text
    assert "What you chose is not kept with your name" in mine
    assert not re.search(r'class="mine-given">\s*7', mine)
