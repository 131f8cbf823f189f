"""A results update's response rows are rendered once for every surface that shows them
alike (a room's students and its projector), and apart where they differ: a quiz's marks
for its owner never reach a projector."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from crowdsource.domain.tally import ChoiceTally, Tally
from crowdsource.domain.visibility import COUNTS, OWNER
from crowdsource.realtime.fragments import Fragments
from crowdsource.web.templating import fragment_renderer
from tests.helpers.realtime import SITE


class CountingRender:
    """The app's renderer, counting the response rows it renders."""

    def __init__(self) -> None:
        self.render = fragment_renderer(SITE)
        self.rows = 0

    def __call__(self, template: str, /, **context: Any) -> str:
        self.rows += template == "partials/choice.html"
        return self.render(template, **context)


def results(*votes: int, correct: frozenset[int] = frozenset()) -> Tally:
    choices = tuple(ChoiceTally(n + 1, f"Choice {n + 1}", v, ()) for n, v in enumerate(votes))
    return Tally(1, "slug", "Question?", True, None, "always", choices, correct_ids=correct)


def test_the_students_and_the_projector_share_the_rows_of_one_update() -> None:
    counting = CountingRender()
    fragments = Fragments(counting)
    before, after = results(1, 0, 0), results(1, 1, 0)
    page = fragments.delta(before, after, COUNTS, "page")
    room = fragments.delta(before, after, COUNTS, "room")
    assert counting.rows == 3  # every row changed with the total, rendered once for both
    assert 'id="results-table"' in room and 'id="results-table"' not in page
    for n in (1, 2, 3):
        assert page.count(f'id="result-{n}"') == room.count(f'id="result-{n}"') == 1
    fragments.delta(after, results(1, 1, 1), COUNTS, "page")  # the next publish: new rows
    assert counting.rows == 6


def test_a_quiz_s_marks_for_its_owner_stay_off_the_projector() -> None:
    counting = CountingRender()
    fragments = Fragments(counting)
    before = results(1, 0, correct=frozenset({2}))
    after = replace(before, choices=(before.choices[0], replace(before.choices[1], votes=1)))
    page = fragments.delta(before, after, OWNER, "page")
    room = fragments.delta(before, after, OWNER, "room")
    assert "correct-mark" in page and "correct-mark" not in room
    assert 'data-correct="true"' in page and 'data-correct="true"' not in room
    assert counting.rows == 4  # two rows for each surface: they differ
