"""Deltas of `multiple` and `scale` results: an avatar per pick with its own id, picks added
and dropped as deltas, a scale's mean and median pushed with every change."""

from __future__ import annotations

import re
from dataclasses import replace

from crowdsource.domain.kinds import Kind
from crowdsource.domain.tally import ChoiceTally, Tally
from crowdsource.domain.visibility import EVERYTHING
from crowdsource.realtime.fragments import VoterMove, voter_moves
from tests.helpers.realtime import fragments
from tests.helpers.sockets import assert_swappable
from tests.helpers.tallies import tally, voter


def picks(*rows: tuple[int, tuple[int, ...]]) -> Tally:
    """A `multiple` poll's tally: rows of (choice id, ids of the people who picked it)."""
    people = {user for _, users in rows for user in users}
    return replace(tally(*rows), kind=Kind.MULTIPLE, people=len(people))


def scale(*votes: int) -> Tally:
    """A 1-5 scale's tally with one voter per number given."""
    choices = tuple(
        ChoiceTally(number, str(number), votes.count(number), ()) for number in range(1, 6)
    )
    return replace(tally(), choices=choices, kind=Kind.SCALE, people=len(votes))


def test_picks_added_and_dropped_are_moves_per_response() -> None:
    before = picks((1, (7,)), (2, (7,)), (3, ()))
    after = picks((1, (7,)), (2, ()), (3, (7,)))
    assert voter_moves(before, after) == [
        VoterMove(7, was_shown=True, from_choice_id=2),
        VoterMove(7, was_shown=False, choice_id=3, voter=voter(7)),
    ]


def test_a_multiple_delta_deletes_and_appends_avatars_by_their_own_ids() -> None:
    before = picks((1, (7,)), (2, (7,)), (3, ()))
    after = picks((1, (7, 8)), (2, ()), (3, (7,)))
    message = fragments().delta(before, after, EVERYTHING)
    assert_swappable(message)
    assert '<img id="voter-2-7" hx-swap-oob="delete">' in message
    assert re.search(
        r'id="voters-3" hx-swap-oob="beforeend"><img class="voter" id="voter-3-7"', message
    )
    assert re.search(
        r'id="voters-1" hx-swap-oob="beforeend"><img class="voter" id="voter-1-8"', message
    )
    assert message.index("delete") < message.index('id="voters-3" hx-swap-oob="beforeend"')
    assert 'data-total-votes="2"' in message and "of 2 people" in message
    assert re.search(r'data-choice-id="1" data-votes="2"', message)


def test_the_full_results_give_each_pick_its_own_avatar_id() -> None:
    shown = fragments().results(picks((1, (7,)), (2, (7,))), EVERYTHING)
    assert re.findall(r'<img class="voter" id="([^"]+)"', shown) == ["voter-1-7", "voter-2-7"]


def test_a_scale_delta_carries_the_new_mean_and_median() -> None:
    message = fragments().delta(scale(1, 2), scale(1, 2, 5), EVERYTHING)
    assert_swappable(message)
    assert re.search(r'id="scale-summary" [^>]*data-mean="2.67" data-median="2.00"', message)
    changed_mind = fragments().delta(scale(1, 2), scale(1, 4), EVERYTHING)
    assert 'data-mean="2.50"' in changed_mind and 'data-median="2.50"' in changed_mind


def test_a_scale_s_results_carry_the_mean_and_median() -> None:
    shown = fragments().results(scale(2, 3, 3, 5), EVERYTHING)
    assert re.search(r'id="results" [^>]*data-mean="3.25" data-median="3.00"', shown)
    empty = fragments().results(scale(), EVERYTHING)
    assert 'data-mean="" data-median=""' in empty
