"""What a group of ballots is judged against, read just before they are stored: the voters'
sessions, the question each room shows, the polls, the chosen responses, the rooms'
roster settings and the open answers their owner hid.

On SQLite each is a statement of its own: they run on the event loop's thread inside a
short transaction and cost no trip (`short_transactions.py`). On PostgreSQL every statement
is a trip, and on a busy server each trip waits a turn of the event loop (a school's ballot
batch took 3.3 ms at the median against SQLite's 1.4: docs/performance.md, round eighteen),
so everything but the polls comes back from one statement, read without a transaction
(at READ COMMITTED one would change nothing a read sees: `short_transactions.judged_writes`)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from tortoise.models import Model

from crowdsource.domain.kept_statements import models_where_in, values_where_in
from crowdsource.domain.models import Answer, Choice, Poll, Room, User
from crowdsource.domain.roster_models import RoomRoster
from crowdsource.domain.roster_store import rosters_of_rooms

if TYPE_CHECKING:
    from crowdsource.domain.ballots import Ballot

M = TypeVar("M", bound=Model)

# Every value a JSON array of rows, each row an array in the columns' order; lower-case SQL
# (tests/i18n reads capitalised strings as sentences for people).
POSTGRES_FACTS = """
select
  (select coalesce(json_agg(json_build_array(id, token_version)), '[]')
     from "users" where id = any($1::int[])) as sessions,
  (select coalesce(json_agg(json_build_array(id, current_id)), '[]')
     from "rooms" where id = any($2::int[])) as shown,
  (select coalesce(json_agg(json_build_array(id, poll_id, label, position, correct)), '[]')
     from "choices" where id = any($3::int[])) as chosen,
  (select coalesce(json_agg(json_build_array(id, room_id, github_org, github_team)), '[]')
     from "room_rosters" where room_id = any($4::int[])) as rosters
"""
CHOICE_COLUMNS = ("id", "poll_id", "label", "position", "correct")
ROSTER_COLUMNS = ("id", "room_id", "github_org", "github_team")


@dataclass(frozen=True)
class BallotFacts:
    """`signed_out`: voters whose sessions ended since they were identified; `shown`: the
    question each ballot's room shows now (None: it waits); `rosters`: the settings of the
    polls' rooms that have a roster, by room id; `hidden`: the answers the owner hid of the
    open-answer ballots' voters, case-folded, by (poll, voter)."""

    signed_out: set[int]
    shown: dict[int, int | None]
    polls: dict[int, Poll]
    chosen: dict[int, Choice]
    rosters: dict[int, RoomRoster]
    hidden: dict[tuple[int, int], str]


async def read_facts(ballots: Sequence[Ballot]) -> BallotFacts:
    """What `ballots` are judged against, in the current transaction if there is one: two
    statements on PostgreSQL, up to five on SQLite; one more for open answers' hidden ones."""
    polls = {p.id: p for p in await models_where_in(Poll, "id", {b.poll_id for b in ballots})}
    sessions = {b.voter_id: b.token_version for b in ballots if b.token_version is not None}
    room_ids = {b.room_id for b in ballots if b.room_id is not None}
    pick_ids = {pick for ballot in ballots for pick in ballot.given.picks}
    poll_rooms = {poll.room_id for poll in polls.values() if poll.room_id}  # type: ignore[attr-defined]
    if Poll._meta.db.capabilities.dialect == "postgres":
        facts = await _postgres_facts(sessions, room_ids, pick_ids, poll_rooms)
        current, shown, chosen, rosters = facts
    else:
        current = await _sessions(sessions)
        shown = dict(await values_where_in(Room, ("id", "current_id"), "id", room_ids))
        chosen = {c.id: c for c in await models_where_in(Choice, "id", pick_ids)}
        rosters = await rosters_of_rooms(poll_rooms)
    signed_out = {voter for voter, version in sessions.items() if current.get(voter) != version}
    hidden = await _hidden_answers([b for b in ballots if b.given.answer is not None])
    return BallotFacts(signed_out, shown, polls, chosen, rosters, hidden)


async def _sessions(sessions: dict[int, int | None]) -> dict[int, int]:
    """Each of these voters' sessions' version now: one read for the batch."""
    return dict(await values_where_in(User, ("id", "token_version"), "id", sessions))


async def _hidden_answers(written: Sequence[Ballot]) -> dict[tuple[int, int], str]:
    """The hidden answers of these open-answer ballots' voters, case-folded (a hidden answer
    sent again unchanged stays off the screens)."""
    if not written:
        return {}
    rows = await Answer.filter(
        poll_id__in={b.poll_id for b in written},
        voter_id__in={b.voter_id for b in written},
        hidden=True,
    ).values_list("poll_id", "voter_id", "text")
    return {(poll_id, voter_id): str(text).casefold() for poll_id, voter_id, text in rows}


async def _postgres_facts(
    sessions: Collection[int],
    room_ids: Collection[int],
    pick_ids: Collection[int],
    poll_rooms: Collection[int],
) -> tuple[dict[int, int], dict[int, int | None], dict[int, Choice], dict[int, RoomRoster]]:
    """The sessions' versions, the rooms' questions, the chosen responses and the rosters'
    settings, in one statement (rows as JSON arrays)."""
    values = [list(sessions), list(room_ids), list(pick_ids), list(poll_rooms)]
    _, (row,) = await Poll._meta.db.execute_query(POSTGRES_FACTS, values)
    current = {voter: version for voter, version in _rows(row["sessions"])}
    shown = {room: question for room, question in _rows(row["shown"])}
    chosen = _models(Choice, CHOICE_COLUMNS, row["chosen"])
    rosters = _models(RoomRoster, ROSTER_COLUMNS, row["rosters"])
    return (
        current,
        shown,
        {choice.id: choice for choice in chosen},
        {roster.room_id: roster for roster in rosters},  # type: ignore[attr-defined]
    )


def _models(model: type[M], columns: tuple[str, ...], value: str) -> list[M]:
    """The rows of a JSON column as `model`s, as Tortoise makes them from a read."""
    return [model._init_from_db(**dict(zip(columns, row, strict=True))) for row in _rows(value)]


def _rows(value: str) -> list[list[Any]]:
    """A JSON column's rows (asyncpg gives JSON as its text)."""
    rows: list[list[Any]] = json.loads(value)
    return rows
