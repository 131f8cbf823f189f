"""Tallies made by hand for the tests of what is pushed: a poll's rows of responses, each
with the guests who voted for it, without a database."""

from __future__ import annotations

from datetime import UTC, datetime

from crowdsource.domain.tally import ChoiceTally, Tally, Voter

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def voter(user_id: int) -> Voter:
    """Guest `user_id`, who voted at NOW."""
    return Voter(user_id, f"guest~{user_id}", f"Guest {user_id}", "", NOW)


def tally(*rows: tuple[int, tuple[int, ...]]) -> Tally:
    """Rows of (choice id, voter ids); each voter one vote."""
    choices = tuple(
        ChoiceTally(choice_id, f"Choice {choice_id}", len(voters), tuple(map(voter, voters)))
        for choice_id, voters in rows
    )
    return Tally(1, "slug", "Question?", True, None, "always", choices, "everyone")
