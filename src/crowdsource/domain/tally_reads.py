"""Reading results from the stored ballots: one poll's (`tally_of`) or many at once
(`tallies_of`, what a publishing round needs), with the same queries however many polls:
one for their responses and one per kind of ballot row present."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from tortoise.models import Model

from crowdsource.domain import clock
from crowdsource.domain.kept_statements import models_where_in, values_where_in
from crowdsource.domain.kinds import Kind
from crowdsource.domain.models import Answer, Choice, Pick, Poll, Vote
from crowdsource.domain.rounds import NO_PEER, Peer, peer_of
from crowdsource.domain.secret_ballots import SecretRows, secret_rows
from crowdsource.domain.tally import (
    NO_VOTER,
    UNTIMED,
    ChoiceTally,
    Mine,
    ShownAnswer,
    Tally,
    Voter,
)
from crowdsource.domain.visibility import ResultsVisibility, ShowVoters, is_open

Row = tuple[Any, ...]
ANSWER_COLUMNS = ("id", "text", "hidden")  # an open answer's row, before its voter
PICK_COLUMNS = ("choice_id",)  # a vote's or a pick's row, before its voter
VOTER_COLUMNS = ("voter_id", "voter__login", "voter__name", "voter__avatar_url")


def _to_python(model: type[Model], field: str) -> Callable[[Any], Any]:
    return model._meta.fields_map[field].to_python_value


def _ballot_model(kind: Kind) -> type[Model]:
    if kind == Kind.TEXT:
        return Answer
    return Pick if kind == Kind.MULTIPLE else Vote


async def _voter_rows(polls: Iterable[Poll], *, times: bool) -> dict[int, list[Row]]:
    """Every ballot row of these polls with its voter, each poll's oldest first: the poll's
    own columns (`ANSWER_COLUMNS` or `PICK_COLUMNS`), then the voter's id, login, name,
    picture and the time cast (`UNTIMED` unless `times`: parsing a date per row was a third
    of a live publish's reads). One query per kind of row."""
    by_model: dict[type[Model], list[int]] = {}
    for poll in polls:
        by_model.setdefault(_ballot_model(Kind(poll.kind)), []).append(poll.id)
    rows: dict[int, list[Row]] = {}
    for model, ids in by_model.items():
        first = ANSWER_COLUMNS if model is Answer else PICK_COLUMNS
        columns = (
            "poll_id",
            *first,
            "voter_id",
            "voter__login",
            "voter__name",
            "voter__avatar_url",
        )
        convert: dict[int, Callable[[Any], Any]] = {}
        if model is Answer:  # SQLite keeps a boolean as 0 or 1
            convert[1 + ANSWER_COLUMNS.index("hidden")] = _to_python(Answer, "hidden")
        if times:  # and a time as text
            columns = (*columns, "cast_at")
            convert[len(columns) - 1] = _to_python(model, "cast_at")
        untimed = () if times else (UNTIMED,)
        found = await values_where_in(
            model, columns, "poll_id", ids, order=("cast_at", "id"), convert=convert
        )
        for row in found:
            rows.setdefault(row[0], []).append(row[1:] + untimed)
    return rows


async def polls_of(poll_ids: Iterable[int]) -> list[Poll]:
    """The polls with these ids that still exist: one query, its SQL kept."""
    return await models_where_in(Poll, "id", set(poll_ids))


async def responses_of(poll_ids: Iterable[int]) -> dict[int, list[Choice]]:
    """Each poll's responses in their order, by poll id: one query however many polls."""
    choices: dict[int, list[Choice]] = {poll_id: [] for poll_id in poll_ids}
    if choices:
        order = ("poll_id", "position", "id")
        for choice in await models_where_in(Choice, "poll_id", choices, order=order):
            choices[choice.poll_id].append(choice)  # type: ignore[attr-defined]
    return choices


async def tallies_of(
    polls: Sequence[Poll],
    now: datetime | None = None,
    *,
    times: bool = False,
    responses: Mapping[int, Sequence[Choice]] | None = None,
) -> dict[int, Tally]:
    """Counts and voters of each poll from the stored ballots, by poll id: two or three
    queries however many polls and votes (a `nobody` question, rounds and confidence read
    their own rows). `times`: when each was cast (only the votes' sheet shows it);
    `responses`: every poll's responses, already read (`responses_of`): one query less."""
    now = now or clock.now()
    choices = responses if responses is not None else await responses_of(p.id for p in polls)
    shown = [poll for poll in polls if poll.show_voters != ShowVoters.NOBODY]
    rows = await _voter_rows(shown, times=times) if shown else {}
    tallies: dict[int, Tally] = {}  # in the order of `polls`
    for poll in polls:
        if poll.show_voters == ShowVoters.NOBODY:
            rows_of = await secret_rows(poll.id)
            tallies[poll.id] = sealed_tally(poll, choices[poll.id], rows_of, now)
        else:
            tallies[poll.id] = await _tally(poll, choices[poll.id], rows.get(poll.id, []), now)
    return tallies


async def tally_of(poll: Poll, now: datetime | None = None, *, times: bool = False) -> Tally:
    """One poll's counts and voters from the stored ballots (`tallies_of`)."""
    return (await tallies_of([poll], now, times=times))[poll.id]


async def _tally(poll: Poll, choices: Sequence[Choice], rows: list[Row], now: datetime) -> Tally:
    kind = Kind(poll.kind)
    voters: dict[int, list[Voter]] = {choice.id: [] for choice in choices}
    answers: list[ShownAnswer] = []
    people: set[int] = set()
    if kind == Kind.TEXT:
        for answer_id, text, hidden, *voter in rows:
            answers.append(ShownAnswer(answer_id, text, Voter(*voter), hidden))
            if not hidden:
                people.add(voter[0])
    else:
        # A row is (response id, *a voter's fields): its tail made a Voter as it is, with
        # no unpacking per row (half of the loop's time at 1,000 votes).
        for row in rows:
            voters[row[0]].append(tuple.__new__(Voter, row[1:]))
        people = {row[1] for row in rows}
    correct = frozenset(choice.id for choice in choices if choice.correct)
    peer = await peer_of(poll, voters, correct)
    return ballot_tally(poll, choices, voters, now, peer, len(people), tuple(answers))


def ballot_tally(
    poll: Poll,
    choices: Sequence[Choice],
    voters: Mapping[int, Sequence[Voter]],
    now: datetime,
    peer: Peer = NO_PEER,
    people: int | None = None,
    answers: tuple[ShownAnswer, ...] = (),
) -> Tally:
    """The tally of a poll whose voters are named, from its voters per response (each
    response's oldest first) and, for an open question, its answers. `people`: how many
    voted (default: one per ballot, as a `single` or `scale` poll has)."""
    if people is None:
        people = sum(map(len, voters.values()))
    return Tally(
        poll_id=poll.id,
        slug=poll.slug,
        question=poll.question,
        is_open=is_open(poll, now),
        closes_at=poll.closes_at,
        results_visibility=ResultsVisibility(poll.results_visibility),
        show_voters=ShowVoters(poll.show_voters),
        is_draft=poll.draft,
        choices=tuple(
            ChoiceTally(choice.id, choice.label, len(voters[choice.id]), tuple(voters[choice.id]))
            for choice in choices
        ),
        kind=Kind(poll.kind),
        people=people,
        min_picks=poll.min_picks or 1,
        max_picks=poll.max_picks,
        scale_min_label=poll.scale_min_label,
        scale_max_label=poll.scale_max_label,
        all_answers=answers,
        correct_ids=frozenset(choice.id for choice in choices if choice.correct),
        revealed=poll.revealed_at is not None,
        peer=peer,
        language=poll.language,
    )


def sealed_tally(poll: Poll, choices: Sequence[Choice], rows: SecretRows, now: datetime) -> Tally:
    """A `nobody` question's results: counts and answers, no voter anywhere."""
    counts = {choice.id: 0 for choice in choices}
    given: dict[str, set[int]] = {}
    answers: list[ShownAnswer] = []
    sealed: dict[str, Mine] = {}
    for key, choice_id, text in rows.picks:
        if choice_id is not None and choice_id in counts:
            counts[choice_id] += 1
            given.setdefault(key, set()).add(choice_id)
        elif text is not None:
            answers.append(ShownAnswer(len(answers) + 1, text, NO_VOTER))
            sealed[key] = Mine(answer=text)
    sealed.update((key, Mine(frozenset(ids))) for key, ids in given.items())
    return Tally(
        poll_id=poll.id,
        slug=poll.slug,
        question=poll.question,
        is_open=is_open(poll, now),
        closes_at=poll.closes_at,
        results_visibility=ResultsVisibility(poll.results_visibility),
        show_voters=ShowVoters.NOBODY,
        is_draft=poll.draft,
        choices=tuple(ChoiceTally(c.id, c.label, counts[c.id], ()) for c in choices),
        kind=Kind(poll.kind),
        people=len(sealed),
        min_picks=poll.min_picks or 1,
        max_picks=poll.max_picks,
        scale_min_label=poll.scale_min_label,
        scale_max_label=poll.scale_max_label,
        all_answers=tuple(answers),
        correct_ids=frozenset(choice.id for choice in choices if choice.correct),
        revealed=poll.revealed_at is not None,
        participants=rows.participants,
        sealed=sealed,
        language=poll.language,
    )
