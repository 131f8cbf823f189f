"""The verdict of the load test: the database against what voters were told, and every page
against the database."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.load.pages import Page
from bench.load.voters import Voter


@dataclass(frozen=True)
class Stored:
    """The poll's votes as the database holds them."""

    rows: list[tuple[int, str]]  # (voter id, choice id), one per row

    @property
    def by_choice(self) -> dict[str, int]:
        return dict(Counter(choice for _, choice in self.rows))

    @property
    def total(self) -> int:
        return len(self.rows)


def read_votes(database: Path, slug: str) -> Stored:
    """Read the SQLite file directly (read-only), not through the app."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT v.voter_id, v.choice_id FROM votes v JOIN polls p ON p.id = v.poll_id "
            "WHERE p.slug = ?",
            (slug,),
        ).fetchall()
    return Stored([(int(voter), str(choice)) for voter, choice in rows])


@dataclass
class Verdict:
    voters: int = 0
    unfinished: int = 0  # voters whose votes were not all acknowledged in time
    acks_lost: list[int] = field(default_factory=list)  # acknowledged, not stored as told
    duplicates: list[int] = field(default_factory=list)  # more than one row for one voter
    unacknowledged_rows: list[int] = field(default_factory=list)  # a row nobody was told of
    stored_total: int = 0
    stored_by_choice: dict[str, int] = field(default_factory=dict)
    expected_by_choice: dict[str, int] = field(default_factory=dict)
    json_matches: bool = False
    pages: int = 0
    pages_wrong: list[str] = field(default_factory=list)
    pages_closed: int = 0

    @property
    def passed(self) -> bool:
        return (
            not self.unfinished
            and not self.acks_lost
            and not self.duplicates
            and not self.unacknowledged_rows
            and self.stored_by_choice == self.expected_by_choice
            and self.json_matches
            and not self.pages_wrong
            and not self.pages_closed
        )


def check(
    voters: Sequence[Voter],
    pages: Sequence[Page],
    stored: Stored,
    results: dict[str, object],
    choices: Sequence[str],
) -> Verdict:
    verdict = Verdict(voters=len(voters), pages=len(pages))
    verdict.unfinished = sum(len(voter.waits) < len(voter.times) for voter in voters)
    rows_of = Counter(voter for voter, _ in stored.rows)
    stored_choice = dict(stored.rows)
    told = {voter.user_id: voter.acked for voter in voters if voter.acked is not None}
    # A vote sent and not acknowledged (a voter cut off at the end) may be stored, or not.
    maybe = {voter.user_id: voter.pending for voter in voters if voter.pending is not None}
    verdict.duplicates = sorted(voter for voter, rows in rows_of.items() if rows > 1)
    verdict.acks_lost = sorted(
        voter
        for voter, choice in told.items()
        if stored_choice.get(voter) not in (choice, maybe.get(voter))
    )
    verdict.unacknowledged_rows = sorted(
        voter for voter in rows_of if voter not in told and stored_choice[voter] != maybe.get(voter)
    )
    verdict.stored_total = stored.total
    zero = dict.fromkeys(choices, 0)
    verdict.stored_by_choice = zero | stored.by_choice
    verdict.expected_by_choice = zero | dict(Counter(told.values()))
    json_counts = {str(c["id"]): c["votes"] for c in results["choices"]}  # type: ignore[attr-defined]
    verdict.json_matches = (
        results["total_votes"] == stored.total and json_counts == verdict.stored_by_choice
    )
    for n, page in enumerate(pages):
        if not page.is_open:
            verdict.pages_closed += 1
        if page.total != stored.total or page.counts != verdict.stored_by_choice:
            verdict.pages_wrong.append(f"page {n}: total {page.total}, counts {page.counts}")
    return verdict
