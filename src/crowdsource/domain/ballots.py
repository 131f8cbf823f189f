"""Votes as they arrive: why one is refused, and storing many together, all or none.

Callers outside the domain cast votes through `PollCommands.cast_vote` (domain/polls.py),
which groups concurrent ballots and announces the change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from crowdsource.domain.ballot_reads import read_facts
from crowdsource.domain.group_commit import GroupCommit
from crowdsource.domain.kept_statements import upsert
from crowdsource.domain.kinds import (
    PICK_ONE,
    WRITE_ANSWER,
    BadAnswer,
    Given,
    Kind,
    banned_list,
    contains_banned,
    pick_rule_broken,
    read_given,
)
from crowdsource.domain.membership import roster_refusals
from crowdsource.domain.models import Answer, Choice, Pick, Poll, Vote
from crowdsource.domain.secret_ballots import secret_writes
from crowdsource.domain.short_transactions import Statement, judged_writes
from crowdsource.domain.visibility import ShowVoters, is_open
from crowdsource.domain.vote_refusals import (
    HiddenAnswer,
    NoQuestionNow,
    NotAChoice,
    NotAskedYet,
    PollClosed,
    PollGone,
    QuestionEnded,
    Rephrase,
    SignedOut,
    VoteRejected,
)
from crowdsource.i18n.current import Text


def read_ballot(kind: str, choice: object = None, answer: object = None) -> Given:
    """What a form or frame gave for a poll of `kind` (kinds.read_given), or NotAChoice."""
    try:
        return read_given(kind, choice, answer)
    except BadAnswer as bad:
        raise NotAChoice(str(bad)) from None  # BadAnswer's Text, kept whole


@dataclass(frozen=True)
class Ballot:
    """One vote as it arrived: checked and stored together with the others of its group.
    `given`: the response ids picked, or the open answer written."""

    poll_id: int
    voter_id: int
    given: Given
    cast_at: datetime
    room_id: int | None = None  # cast from a room's screen: only while it is its question
    confidence: str | None = None  # how sure the voter is (domain/confidence.py)
    # The voter's sessions' version when they were identified: a sign-out since (another
    # tab, "sign out everywhere") refuses the ballot when its group is judged. None: unchecked.
    token_version: int | None = None


@dataclass(frozen=True)
class Receipt:
    """A stored ballot, as its voter is told: the responses picked (labels, in the poll's
    order) or the answer written."""

    kind: Kind
    labels: tuple[str, ...] = ()
    answer: str | None = None


BallotBox = GroupCommit[Ballot, Receipt]


def new_ballot_box(retry_alone: Callable[[Exception], bool]) -> BallotBox:
    """Concurrent ballots are judged and stored together; `retry_alone(error)` says when a
    failed batch is tried again ballot by ballot (a broken row, not an outage)."""
    return GroupCommit(store_ballots, retry_alone=retry_alone)


def _judge(
    poll: Poll, ballot: Ballot, chosen: dict[int, Choice], hidden: dict[tuple[int, int], str]
) -> Receipt | VoteRejected:
    """Whether an open poll takes this ballot: what it records, or why not. `hidden`: the
    answers the owner hid, case-folded, by (poll, voter)."""
    kind = Kind(poll.kind)
    if kind == Kind.TEXT:
        if ballot.given.answer is None:
            return NotAChoice(WRITE_ANSWER)
        if contains_banned(ballot.given.answer, banned_list(poll.banned_words)):
            return Rephrase()
        if hidden.get((poll.id, ballot.voter_id)) == ballot.given.answer.casefold():
            return HiddenAnswer()
        return Receipt(kind, answer=ballot.given.answer)
    picks = [chosen.get(pick) for pick in ballot.given.picks]
    if not picks:
        return NotAChoice(PICK_ONE)
    if any(choice is None or choice.poll_id != poll.id for choice in picks):  # type: ignore[attr-defined]
        return NotAChoice(Text("That response is not part of this poll."))
    if kind == Kind.MULTIPLE:
        top = poll.max_picks or len(picks)
        broken = pick_rule_broken(len(picks), poll.min_picks or 1, top)
        if broken:
            return NotAChoice(broken)
    elif len(picks) != 1:
        return NotAChoice(PICK_ONE)
    ordered = sorted((choice for choice in picks if choice is not None), key=_place)
    return Receipt(kind, labels=tuple(choice.label for choice in ordered))


def _place(choice: Choice) -> tuple[int, int]:
    return (choice.position, choice.id)


async def store_ballots(ballots: Sequence[Ballot]) -> list[Receipt | VoteRejected]:
    """Check and store `ballots`, all or none: per ballot, what was recorded or why it was
    refused. What they are judged against (`ballot_reads.read_facts`: two statements on
    PostgreSQL, up to five on SQLite), and one upsert per kind present, however many
    ballots (`short_transactions.judged_writes`: on PostgreSQL a lone upsert needs no
    transaction). Statements by key, for at most `group_commit.MAX_BATCH` ballots."""
    return await judged_writes(lambda: _judge_all(ballots))


async def _judge_all(
    ballots: Sequence[Ballot],
) -> tuple[list[Receipt | VoteRejected], list[Statement]]:
    """Each ballot's outcome, and the statements that store the accepted ones."""
    facts = await read_facts(ballots)
    signed_out, shown, polls, chosen = facts.signed_out, facts.shown, facts.polls, facts.chosen
    pairs = {(b.poll_id, b.voter_id) for b in ballots}
    off_roster = await roster_refusals(polls, pairs, facts.rosters)
    outcomes: list[Receipt | VoteRejected] = []
    accepted: dict[tuple[int, int], tuple[Kind, Ballot]] = {}  # a later ballot wins
    for ballot in ballots:
        poll = polls.get(ballot.poll_id)
        if ballot.voter_id in signed_out:
            outcomes.append(SignedOut())
        elif ballot.room_id is not None and shown.get(ballot.room_id) != ballot.poll_id:
            moved_on = shown.get(ballot.room_id) is not None
            outcomes.append(QuestionEnded() if moved_on else NoQuestionNow())
        elif poll is None:
            outcomes.append(PollGone())
        elif poll.draft:
            outcomes.append(NotAskedYet())
        elif not is_open(poll, ballot.cast_at):
            outcomes.append(PollClosed())
        elif (ballot.poll_id, ballot.voter_id) in off_roster:
            outcomes.append(off_roster[(ballot.poll_id, ballot.voter_id)])
        else:
            outcome = _judge(poll, ballot, chosen, facts.hidden)
            outcomes.append(outcome)
            if isinstance(outcome, Receipt):
                accepted[(ballot.poll_id, ballot.voter_id)] = (outcome.kind, ballot)
    secret = {pid for pid, poll in polls.items() if poll.show_voters == ShowVoters.NOBODY}
    statements = secret_writes([b for _, b in accepted.values() if b.poll_id in secret])
    statements += _writes([b for b in accepted.values() if b[1].poll_id not in secret])
    return outcomes, statements


def _writes(accepted: Iterable[tuple[Kind, Ballot]]) -> list[Statement]:
    """The statements that store accepted ballots, each replacing its voter's earlier one:
    one per kind of row (race-free upserts; a `multiple` voter's set is deleted and written
    again)."""
    by_kind: dict[Kind, list[Ballot]] = {}
    for kind, ballot in accepted:
        by_kind.setdefault(kind, []).append(ballot)
    statements: list[Statement] = []
    single = by_kind.get(Kind.SINGLE, []) + by_kind.get(Kind.SCALE, [])
    if single:
        votes = [
            {
                "poll_id": b.poll_id,
                "voter_id": b.voter_id,
                "choice_id": b.given.picks[0],
                "cast_at": b.cast_at,
                "confidence": b.confidence,
            }
            for b in single
        ]
        statements.append(_replacing(Vote, votes, ("choice_id", "cast_at", "confidence")))
    several = by_kind.get(Kind.MULTIPLE, [])
    for poll_id in {b.poll_id for b in several}:
        voters = [b.voter_id for b in several if b.poll_id == poll_id]
        statements.append(Pick.filter(poll_id=poll_id, voter_id__in=voters).delete)
    if several:
        picks = [
            Pick(
                poll_id=b.poll_id,
                voter_id=b.voter_id,
                choice_id=pick,
                cast_at=b.cast_at,
                confidence=b.confidence,
            )
            for b in several
            for pick in b.given.picks
        ]
        statements.append(partial(Pick.bulk_create, picks))
    written = by_kind.get(Kind.TEXT, [])
    if written:
        answers = [
            {
                "poll_id": b.poll_id,
                "voter_id": b.voter_id,
                "text": b.given.answer,
                "hidden": False,
                "cast_at": b.cast_at,
            }
            for b in written
        ]
        statements.append(_replacing(Answer, answers, ("text", "hidden", "cast_at")))
    return statements


def _replacing(
    model: type[Vote] | type[Answer], rows: Sequence[dict[str, object]], update: tuple[str, ...]
) -> Statement:
    """One upsert of `rows` (field values), each replacing its voter's row in its poll
    (race-free)."""
    return partial(upsert, model, rows, conflict=("poll_id", "voter_id"), update=update)


async def store_ballot(ballot: Ballot) -> Receipt:
    """Store one ballot in the current transaction (or its own); VoteRejected when refused.
    Announces nothing: for seeding data and for commands that hold their own transaction."""
    (outcome,) = await store_ballots([ballot])
    if isinstance(outcome, VoteRejected):
        raise outcome
    return outcome


def vote_confirmation(receipt: Receipt) -> Text:
    """What the voter is told once their ballot is stored (a `Text`: the page or the socket
    that says it translates it)."""
    if receipt.kind == Kind.TEXT:
        return Text("Your answer is in.")
    if receipt.kind == Kind.MULTIPLE:
        picked = ", ".join(f"“{label}”" for label in receipt.labels)  # the responses: as written
        # Translators: picks is the list of responses picked, each in quotes, with commas
        return Text("Your picks %(picks)s are in.", picks=picked)
    return Text("Your vote for “%(response)s” is in.", response=receipt.labels[0])
