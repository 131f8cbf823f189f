"""How many avatars a response shows: a share of the poll's budget, never fewer than six."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crowdsource.domain.avatar_budget import (
    AVATARS_SHOWN,
    MIN_PER_RESPONSE,
    more_voters,
    per_response,
    shown_voters,
)


@dataclass
class Row:
    voters: tuple[object, ...]


@pytest.mark.parametrize(("responses", "each"), [(1, 120), (2, 60), (3, 40), (12, 10), (40, 6)])
def test_each_response_gets_a_share_of_the_budget(responses: int, each: int) -> None:
    assert per_response(responses) == each
    assert per_response(responses) * min(responses, AVATARS_SHOWN // MIN_PER_RESPONSE) <= (
        AVATARS_SHOWN
    )


def test_the_first_voters_show_and_the_others_are_counted() -> None:
    row = Row(tuple(range(75)))
    assert shown_voters(row, 2) == tuple(range(60)) and more_voters(row, 2) == 15
    assert more_voters(Row((1, 2)), 2) == 0 and shown_voters(Row(()), 2) == ()
