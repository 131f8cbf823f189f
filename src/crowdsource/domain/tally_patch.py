"""A new tally from the last one and the ballots of the voters who voted since, instead of
every ballot read again: a poll of 20,000 votes re-read per vote was 100 ms of CPU.

Only where the result is provably what a whole read gives (`tally_reads.tallies_of`):
- a `single` or `scale` poll that names its voters, in its first round, without
  confidence: one row per voter, and nothing in the tally but those rows;
- the voters are those the news named since the last tally was read (a vote's news names
  its voter; any other news, or news from another process, reads the poll whole);
- a voter's row sorts after every row the last tally had: their `cast_at` is later than
  the latest `cast_at` read with it (the watermark, read after the tally, so never too
  early; SQLite's text and PostgreSQL's times compared as each orders them). A voter's
  response lists voters by (`cast_at`, id), so those rows go at the end, in that order;
  any other row (a clock stepped back, an earlier vote committed late) reads the poll
  whole.

The rows of the voters who did not vote since are not read again, so their order and
names are the last tally's. A poll's snapshot is read whole again after
`PATCHES_BEFORE_WHOLE_READ` patches all the same."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from crowdsource.domain.kept_statements import latest_where_in, values_where_in
from crowdsource.domain.kinds import Kind
from crowdsource.domain.models import Choice, Poll, Vote
from crowdsource.domain.tally import UNTIMED, Tally, Voter, patched_from
from crowdsource.domain.tally_reads import ballot_tally
from crowdsource.domain.visibility import ShowVoters

PATCHES_BEFORE_WHOLE_READ = 500  # then the poll is read whole, whatever its news said
# Named voters one patch's statement reads at most (a bound parameter each, well under
# SQLite's and PostgreSQL's limits); the polls beyond it in a round are read whole.
VOTERS_PER_PATCH_READ = 1024
PATCHED_KINDS = frozenset({Kind.SINGLE, Kind.SCALE})
BALLOT_COLUMNS = (
    "poll_id",
    "choice_id",
    "voter_id",
    "voter__login",
    "voter__name",
    "voter__avatar_url",
    "cast_at",  # as the driver gives it: SQLite's text, PostgreSQL's time
    "id",
)
Row = tuple[Any, ...]


class Watermark(NamedTuple):
    """The latest `cast_at` among a poll's votes when its tally was read (None: no vote)."""

    latest: Any

    def before(self, cast_at: Any) -> bool:
        """True when a vote cast at `cast_at` sorts after every vote counted then."""
        return self.latest is None or cast_at > self.latest


def patchable(poll: Poll) -> bool:
    """True for a poll whose tally is its voters' rows and nothing else (see above)."""
    return (
        Kind(poll.kind) in PATCHED_KINDS
        and poll.show_voters != ShowVoters.NOBODY
        and poll.round <= 1
        and not poll.ask_confidence
    )


def may_patch(poll: Poll, watermark: Watermark | None, patches: int, voters: int) -> bool:
    """Whether a tally read with `watermark` (None: not read), patched `patches` times since,
    may take the ballots of `voters` named voters instead of a whole read."""
    return (
        watermark is not None
        and patches < PATCHES_BEFORE_WHOLE_READ
        and voters <= VOTERS_PER_PATCH_READ
        and patchable(poll)
    )


async def watermarks(poll_ids: Collection[int]) -> dict[int, Watermark]:
    """Each poll's latest `cast_at` as the database stores and orders it (compared with the
    rows `ballots_of` reads, never converted), read after its tally."""
    found = dict(await latest_where_in(Vote, "cast_at", "poll_id", poll_ids))
    return {poll_id: Watermark(found.get(poll_id)) for poll_id in poll_ids}


async def ballots_of(voters: Mapping[int, Collection[int]]) -> dict[int, list[Row]]:
    """The current rows (`BALLOT_COLUMNS`, less the poll id) of these voters in these polls,
    by poll id: one query for all, by key (on SQLite, where it is awaited: no trip)."""
    wanted = {voter for ids in voters.values() for voter in ids}
    found: dict[int, list[Row]] = {poll_id: [] for poll_id in voters}
    rows = await values_where_in(
        Vote, BALLOT_COLUMNS, "poll_id", list(voters), also=("voter_id", wanted), by_key=True
    )
    for row in rows:
        if row[2] in voters[row[0]]:  # another poll's voter read with the same statement
            found[row[0]].append(row[1:])
    return found


def patched(
    poll: Poll,
    choices: Sequence[Choice],
    before: Tally,
    rows: Sequence[Row],
    watermark: Watermark,
    now: datetime,
) -> tuple[Tally, Watermark] | None:
    """The tally after these voters' `rows` (`ballots_of`) replace what `before` had of
    them, with the new watermark; None where only a whole read can tell."""
    if [choice.id for choice in choices] != [choice.id for choice in before.choices]:
        return None
    if not all(watermark.before(row[5]) for row in rows):
        return None
    placed = before.placed  # user id -> their response, carried from patch to patch
    moved = {row[1] for row in rows}
    returning = moved & placed.keys()  # had voted before: their last ballot leaves the tally
    # Only the responses a returning voter leaves are copied without them: a 20,000-vote
    # poll's voters were filtered one by one at every vote.
    left = {placed[voter] for voter in returning}
    voters: dict[int, Sequence[Voter]] = {
        choice.id: (
            [voter for voter in choice.voters if voter.user_id not in returning]
            if choice.id in left
            else choice.voters
        )
        for choice in before.choices
    }
    joining: dict[int, list[Voter]] = {}
    now_placed = dict(placed)
    latest = watermark.latest
    for choice_id, voter_id, login, name, avatar, cast_at, _ in sorted(rows, key=_order):
        if choice_id not in voters:
            return None
        joining.setdefault(choice_id, []).append(Voter(voter_id, login, name, avatar, UNTIMED))
        now_placed[voter_id] = choice_id
        latest = cast_at  # sorted: the last is the latest
    for choice_id, new in joining.items():
        voters[choice_id] = (*voters[choice_id], *new)
    # One row per voter, nothing else counted: who has voted is who is placed.
    joined = frozenset(moved - returning)
    tally = ballot_tally(poll, choices, voters, now)
    return patched_from(tally, before, now_placed, joined), Watermark(latest)


def _order(row: Row) -> tuple[Any, Any]:
    return (row[5], row[6])
