"""Tallies made by hand for the in-process benchmarks, without a database: a question's
responses, each with its voters. `crowdsource` is imported when one is made, so a
benchmark's `--src` (bench/common/source.py) has chosen the tree by then."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def hand_tally(responses: Sequence[tuple[str, Sequence[Any]]]) -> Any:
    """An open question whose results everyone sees; `responses`: (label, its voters as
    `domain.tally.Voter`s), numbered from 1 in that order."""
    from crowdsource.domain.tally import ChoiceTally, Tally
    from crowdsource.domain.visibility import ResultsVisibility

    choices = tuple(
        ChoiceTally(number, label, len(voters), tuple(voters))
        for number, (label, voters) in enumerate(responses, 1)
    )
    return Tally(
        poll_id=1,
        slug="bench",
        question="Which?",
        is_open=True,
        closes_at=None,
        results_visibility=ResultsVisibility.ALWAYS,
        choices=choices,
    )
