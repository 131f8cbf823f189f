"""Rounds (peer instruction) and confidence as results show them: the round voted in now,
the finished rounds' counts, the shift from the previous round, and how sure the voters of
each response are. Read with the tally (tally.py's `peer`); written by round_store.py.

Who sees what, round by round: the previous round's counts are shown wherever (and to whom)
the current round's results are shown, never its voters' names; the shift's names only in
the owner's own renders, its counts wherever results are shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crowdsource.domain.confidence import Confidence
from crowdsource.domain.kinds import Kind
from crowdsource.domain.models import Pick, Poll, RoundBallot, Vote
from crowdsource.domain.shift import Shift, shift_between

NO_CONFIDENCE = (0, 0, 0)
CONFIDENCE_CELLS = 20  # the owner's stacked bar of a response: this many cells, each a level


@dataclass(frozen=True)
class FinishedRound:
    """A finished round's counts: `votes` per response id; `total_votes`: people."""

    round: int
    total_votes: int
    votes: Mapping[int, int]


@dataclass(frozen=True)
class Peer:
    """A question's rounds and confidence. `confidence`: per response id, how many of its
    voters said sure, unsure, guess; `confident_wrong`: voters who were sure and did not
    pick exactly the correct responses (a quiz; meaningful once revealed)."""

    round: int = 1
    ask_confidence: bool = False
    finished: tuple[FinishedRound, ...] = ()
    shift: Shift | None = None
    confidence_of: Mapping[int, str] = field(default_factory=dict)
    confidence: Mapping[int, tuple[int, int, int]] = field(default_factory=dict)
    confident_wrong: int = 0

    @property
    def previous(self) -> FinishedRound | None:
        """The round before this one (none in round 1)."""
        return self.finished[-1] if self.finished else None

    def previous_votes(self, choice_id: int) -> int:
        previous = self.previous
        return previous.votes.get(choice_id, 0) if previous else 0

    def sure(self, choice_id: int) -> tuple[int, int, int]:
        """(sure, unsure, guess) among the voters of one response."""
        return self.confidence.get(choice_id, NO_CONFIDENCE)

    def stacked(self, choice_id: int) -> list[str]:
        """The stacked bar of one response's confidence: CONFIDENCE_CELLS levels (sure
        first, then unsure, guess, and "none" for voters who did not say), in proportion."""
        counts = self.sure(choice_id)
        total = sum(counts)
        if not total:
            return []
        cells = [round(CONFIDENCE_CELLS * count / total) for count in counts]
        cells[-1] = max(0, CONFIDENCE_CELLS - sum(cells[:-1]))  # rounding: still the width
        return [level.value for level, n in zip(Confidence, cells, strict=True) for _ in range(n)]


NO_PEER = Peer()


def _by_round(rows: Sequence[tuple[Any, ...]]) -> dict[int, dict[int, set[int]]]:
    """round -> person -> responses picked."""
    rounds: dict[int, dict[int, set[int]]] = {}
    for number, voter_id, choice_id in rows:
        rounds.setdefault(number, {}).setdefault(voter_id, set()).add(choice_id)
    return rounds


async def peer_of(poll: Poll, voters: Mapping[int, Sequence[Any]], correct: frozenset[int]) -> Peer:
    """The rounds and confidence of `poll`, given the current round's `voters` per response
    id (in the poll's order, each list oldest first). No query in round 1 without
    confidence; otherwise one or two."""
    if (poll.round <= 1 and not poll.ask_confidence) or Kind(poll.kind) == Kind.TEXT:
        return NO_PEER
    current: dict[int, set[int]] = {}
    shown: dict[int, Any] = {}
    for choice_id, people in voters.items():
        for voter in people:
            current.setdefault(voter.user_id, set()).add(choice_id)
            shown.setdefault(voter.user_id, voter)
    confidence_of = await _confidence_of(poll) if poll.ask_confidence else {}
    finished: list[FinishedRound] = []
    shift = None
    if poll.round > 1:
        rows = await RoundBallot.filter(poll_id=poll.id, round__lt=poll.round).values_list(
            "round", "voter_id", "choice_id"
        )
        rounds = _by_round(rows)
        for number in range(1, poll.round):
            ballots = rounds.get(number, {})
            votes: dict[int, int] = {choice_id: 0 for choice_id in voters}
            for picks in ballots.values():
                for choice_id in picks:
                    votes[choice_id] = votes.get(choice_id, 0) + 1
            finished.append(FinishedRound(number, len(ballots), votes))
        previous = {
            person: frozenset(picks) for person, picks in rounds.get(poll.round - 1, {}).items()
        }
        now = {person: frozenset(picks) for person, picks in current.items()}
        shift = shift_between(previous, now, list(voters), correct, shown)
    return Peer(
        round=poll.round,
        ask_confidence=poll.ask_confidence,
        finished=tuple(finished),
        shift=shift,
        confidence_of=confidence_of,
        confidence={
            choice_id: _counted(confidence_of.get(voter.user_id) for voter in people)
            for choice_id, people in voters.items()
        },
        confident_wrong=sum(
            1
            for person, picks in current.items()
            if correct and confidence_of.get(person) == Confidence.SURE and picks != correct
        ),
    )


def _counted(said: Any) -> tuple[int, int, int]:
    values = list(said)
    return tuple(values.count(level.value) for level in Confidence)  # type: ignore[return-value]


async def _confidence_of(poll: Poll) -> dict[int, str]:
    """person -> what they said, in the current round (none said: left out)."""
    model = Pick if poll.kind == Kind.MULTIPLE else Vote
    rows = await model.filter(poll_id=poll.id, confidence__isnull=False).values_list(
        "voter_id", "confidence"
    )
    return {int(voter_id): str(said) for voter_id, said in rows}


@dataclass(frozen=True)
class PastBallot:
    """One ballot of a finished round, as exports list it (a `multiple` pick per row)."""

    poll_id: int
    round: int
    login: str
    name: str
    choice_id: int
    label: str
    confidence: str | None
    cast_at: Any


async def past_ballots(poll_ids: Sequence[int]) -> list[PastBallot]:
    """Every finished round's ballots of these polls, round by round, each in the order cast."""
    rows = await (
        RoundBallot.filter(poll_id__in=list(poll_ids))
        .order_by("round", "cast_at", "id")
        .values_list(
            "poll_id",
            "round",
            "voter__login",
            "voter__name",
            "choice_id",
            "choice__label",
            "confidence",
            "cast_at",
        )
    )
    return [PastBallot(*row) for row in rows]
