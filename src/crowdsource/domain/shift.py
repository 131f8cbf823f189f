"""The shift between two rounds of a question (peer instruction): who moved from which
response to which. Pure: it takes each round's ballots as {person: responses picked}.

A person who voted in both rounds counts once in `changed` when their responses differ, and
once in `towards_correct` when their new responses are exactly a quiz's correct ones and the
old were not. The moves (`from_id` -> `to_id`) pair responses: for a pick-one question or a
scale, a person's one response before with their one response now (a stay is a move to the
same response). For `multiple`, each response kept is a stay, and each response dropped is
paired with each response added (one who only added or only dropped picks shows only their
stays): a move there says "gave up A for B"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Ballots = Mapping[int, frozenset[int]]  # person -> the responses they picked in one round


@dataclass(frozen=True)
class Move:
    """The people who went from `from_id` (previous round) to `to_id` (this round), in the
    order they voted this round. `voters`: what results show of them (avatars, owner only)."""

    from_id: int
    to_id: int
    voters: tuple[Any, ...]

    @property
    def count(self) -> int:
        return len(self.voters)

    @property
    def stayed(self) -> bool:
        return self.from_id == self.to_id


@dataclass(frozen=True)
class Shift:
    moves: tuple[Move, ...] = ()
    both: int = 0  # voted in both rounds
    changed: int = 0  # of those, changed their responses
    towards_correct: int = 0  # of those, to exactly the correct responses (a quiz)
    left: int = 0  # voted in the previous round only
    joined: int = 0  # voted in this round only

    def count(self, from_id: int, to_id: int) -> int:
        """How many moved from one response to another (0 when none did)."""
        for move in self.moves:
            if (move.from_id, move.to_id) == (from_id, to_id):
                return move.count
        return 0


def _pairs(before: frozenset[int], after: frozenset[int]) -> list[tuple[int, int]]:
    if len(before) == 1 and len(after) == 1:  # one response each (single, scale)
        return [(next(iter(before)), next(iter(after)))]
    pairs = [(kept, kept) for kept in before & after]
    pairs += [(old, new) for old in before - after for new in after - before]
    return pairs


def shift_between(
    previous: Ballots,
    current: Ballots,
    order: Sequence[int],
    correct: frozenset[int] = frozenset(),
    voters: Mapping[int, Any] | None = None,
) -> Shift:
    """The shift from `previous` to `current`. `order`: the responses in the poll's order
    (the moves come in it, by from then to); `voters`: person -> what to show of them, in
    the order they voted this round (ids are shown when missing)."""
    shown = voters or {}
    people = [person for person in shown if person in current] + sorted(
        person for person in current if person not in shown
    )
    cells: dict[tuple[int, int], list[Any]] = {}
    both = changed = towards = 0
    for person in people:
        before = previous.get(person)
        if not before:
            continue
        after = current[person]
        both += 1
        if before != after:
            changed += 1
            towards += bool(correct) and after == correct and before != correct
        for pair in _pairs(before, after):
            cells.setdefault(pair, []).append(shown.get(person, person))
    place = {choice_id: index for index, choice_id in enumerate(order)}
    moves = tuple(
        Move(from_id, to_id, tuple(people_moved))
        for (from_id, to_id), people_moved in sorted(
            cells.items(), key=lambda item: (place.get(item[0][0], 0), place.get(item[0][1], 0))
        )
    )
    return Shift(
        moves=moves,
        both=both,
        changed=changed,
        towards_correct=towards,
        left=sum(1 for person, picks in previous.items() if picks and person not in current),
        joined=sum(1 for person in current if not previous.get(person)),
    )
