"""The results of a poll as stored right now: what every surface (page, socket, CSV) shows."""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import NamedTuple

from crowdsource.domain.kinds import Kind
from crowdsource.domain.open_answers import LATEST_ANSWERS, CloudWord
from crowdsource.domain.rounds import NO_PEER, Peer
from crowdsource.domain.secret_ballots import voter_key
from crowdsource.domain.visibility import ResultsVisibility, ShowVoters
from crowdsource.domain.words import word_cloud
from crowdsource.i18n.current import current_language


class Voter(NamedTuple):
    """A voter as results show them (a named tuple: a publish makes one per ballot, and a
    frozen dataclass took five times as long to make)."""

    user_id: int
    login: str
    name: str
    avatar_url: str
    cast_at: datetime


NO_VOTER = Voter(0, "", "", "", datetime.min)  # an answer of a `nobody` question
UNTIMED = datetime.min  # a voter's time cast, in a tally read without times (`tally_of`)


@dataclass(frozen=True)
class ChoiceTally:
    id: int
    label: str
    votes: int
    voters: tuple[Voter, ...]

    def percent(self, total: int) -> int:
        return round(100 * self.votes / total) if total else 0


@dataclass(frozen=True)
class ShownAnswer:
    """An open answer as results show it: text, never markup (templates escape it)."""

    id: int
    text: str
    voter: Voter
    hidden: bool = False


@dataclass(frozen=True)
class Mine:
    """What one person has given: the responses they picked, or their open answer.
    `choice_id in mine` asks whether they picked that response."""

    picks: frozenset[int] = frozenset()
    answer: str | None = None

    def __contains__(self, choice_id: object) -> bool:
        return choice_id in self.picks


@dataclass(frozen=True)
class Tally:
    """The results of one poll as stored right now. `correct_ids` is a quiz's secret:
    only the owner's surfaces show it before `revealed` (templates decide, see
    partials/correct.html)."""

    poll_id: int
    slug: str
    question: str
    is_open: bool
    closes_at: datetime | None
    results_visibility: ResultsVisibility
    choices: tuple[ChoiceTally, ...]
    show_voters: ShowVoters = ShowVoters.OWNER
    is_draft: bool = False  # a room's prepared question, not asked yet
    kind: Kind = Kind.SINGLE
    people: int | None = None  # how many voted (a `multiple` voter counts once)
    min_picks: int = 1
    max_picks: int | None = None
    scale_min_label: str = ""
    scale_max_label: str = ""
    all_answers: tuple[ShownAnswer, ...] = ()  # a text poll's, hidden ones too, oldest first
    correct_ids: frozenset[int] = frozenset()
    revealed: bool = False
    peer: Peer = NO_PEER  # rounds (peer instruction) and confidence: domain/rounds.py
    # A `nobody` question (secret_ballots.py): who took part, and the ballots by voter key.
    participants: frozenset[int] | None = None
    sealed: Mapping[str, Mine] = field(default_factory=dict)
    language: str = ""  # the poll's own language (domain/class_language.py), if any
    _clouds: dict[str, tuple[tuple[str, int], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def state(self) -> str:
        return "open" if self.is_open else "closed"

    @cached_property
    def total_votes(self) -> int:
        """People who voted (or answered): what `data-total-votes` says (a render asks a
        dozen times: counted once)."""
        if self.people is not None:
            return self.people
        return sum(choice.votes for choice in self.choices)

    @cached_property
    def leading_votes(self) -> int | None:
        """The most votes any response has: the rows with as many are marked leading (None
        while nobody has voted: no row leads)."""
        if not self.total_votes:
            return None
        return max((choice.votes for choice in self.choices), default=None)

    @property
    def is_quiz(self) -> bool:
        return bool(self.correct_ids)

    @cached_property
    def answers(self) -> tuple[ShownAnswer, ...]:
        """The open answers every surface shows (not hidden by the owner), oldest first."""
        return tuple(answer for answer in self.all_answers if not answer.hidden)

    @property
    def words(self) -> tuple[tuple[str, int], ...]:
        """The word cloud, without the stop words of the poll's or the render's language."""
        return self.words_in(self.language or current_language())

    def words_in(self, language: str) -> tuple[tuple[str, int], ...]:
        if language not in self._clouds:
            self._clouds[language] = word_cloud((a.text for a in self.answers), language)
        return self._clouds[language]

    @cached_property
    def latest_answers(self) -> tuple[ShownAnswer, ...]:
        """The shown answers every live surface lists: the latest LATEST_ANSWERS."""
        return self.answers[-LATEST_ANSWERS:]

    @cached_property
    def cloud(self) -> tuple[CloudWord, ...]:
        """The word cloud as pages show it, most frequent first."""
        return tuple(CloudWord(word, count) for word, count in self.words)

    @cached_property
    def scale_values(self) -> list[tuple[int, int]]:
        """A scale's (number, votes) per response."""
        return [(int(choice.label), choice.votes) for choice in self.choices]

    @property
    def mean(self) -> float | None:
        """A scale's mean; None without votes (or for another kind)."""
        if self.kind != Kind.SCALE or not self.total_votes:
            return None
        return sum(value * votes for value, votes in self.scale_values) / self.total_votes

    @property
    def median(self) -> float | None:
        """A scale's median (the mean of the two middle votes for an even count)."""
        if self.kind != Kind.SCALE or not self.total_votes:
            return None
        ordered = [value for value, votes in self.scale_values for _ in range(votes)]
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return float(ordered[middle])
        return (ordered[middle - 1] + ordered[middle]) / 2

    @cached_property
    def ballots(self) -> dict[int, Mine]:
        """user id -> what they have given. Where each voter picks one response, the voters
        of a response share its one (frozen) `Mine`: a signed-in reader of a 20,000-vote poll
        asked for their own and built 20,000 sets first (25 ms)."""
        given: dict[int, Mine] = {}
        if self.kind == Kind.MULTIPLE:
            picks: dict[int, set[int]] = {}
            for choice in self.choices:
                for voter in choice.voters:
                    picks.setdefault(voter.user_id, set()).add(choice.id)
            given = {user_id: Mine(frozenset(ids)) for user_id, ids in picks.items()}
        else:
            for choice in self.choices:
                mine = Mine(frozenset((choice.id,)))
                given.update((voter.user_id, mine) for voter in choice.voters)
        for answer in self.all_answers:
            given[answer.voter.user_id] = Mine(answer=answer.text)
        return given

    @cached_property
    def voted(self) -> Set[int]:
        """Who has voted (or answered): the ballots' keys, without building the ballots (a
        patched tally's: the keys of its `placed`)."""
        if self.participants is not None:
            return self.participants
        ids = {voter.user_id for choice in self.choices for voter in choice.voters}
        ids.update(answer.voter.user_id for answer in self.all_answers)
        return frozenset(ids)

    @cached_property
    def placed(self) -> Mapping[int, int]:
        """user id -> a response whose voters list them: the one they are in, where each
        voter is in one (`single`, `scale`; where a patch finds the response a returning
        voter leaves), the last of theirs in a `multiple` poll."""
        return {voter.user_id: choice.id for choice in self.choices for voter in choice.voters}

    def voter(self, user_id: int) -> Voter | None:
        """This voter as the responses list them, None when none does; looked for from the
        end of the response `placed` names, where a patch puts its new voters."""
        choice_id = self.placed.get(user_id)
        if choice_id is None:
            return None
        voters = next(choice.voters for choice in self.choices if choice.id == choice_id)
        return next((voter for voter in reversed(voters) if voter.user_id == user_id), None)

    def choice_of(self, user_id: int | None) -> Mine | None:
        """What this user has given, if anything (in a `nobody` question found by their
        voter key: only for that user's own panel)."""
        if user_id is None:
            return None
        if self.participants is not None:
            return self.sealed.get(voter_key(self.poll_id, user_id))
        return self.ballots.get(user_id)


_JOINED = "_joined_since"  # a patched tally's (weak reference to its base, who joined)


def patched_from(
    tally: Tally, base: Tally, placed: dict[int, int], joined: frozenset[int]
) -> Tally:
    """`tally`, made by patching `base` (domain/tally_patch.py), told what the patch knows
    already instead of working it out from every ballot when first asked: the response each
    voter is in, so who has voted (its keys: a union of 20,000 ids was 0.17 ms a vote), and
    who has voted now and had not in `base` (`joined_since`). Only for a tally whose voters
    are each in one response and nothing else counts. `placed` is the tally's own from now
    on: nobody changes it."""
    assert tally.participants is None and not tally.all_answers
    tally.__dict__["placed"] = placed  # where `cached_property` keeps what it worked out
    tally.__dict__["voted"] = placed.keys()
    tally.__dict__[_JOINED] = (weakref.ref(base), joined)
    return tally


def joined_since(after: Tally, before: Tally) -> frozenset[int] | None:
    """Who has voted in `after` and had not in `before`, when `after` was patched from
    `before` and nobody left (a patch only adds voters or moves them); None when only
    comparing who voted in each can tell."""
    found = after.__dict__.get(_JOINED)
    if found is None or found[0]() is not before:
        return None
    return found[1]
