"""What a group of ballots is judged against: the same facts from SQLite's separate reads
and from PostgreSQL's one statement."""

from __future__ import annotations

import pytest
from tortoise.context import TortoiseContext
from tortoise.transactions import in_transaction

from crowdsource.domain import clock
from crowdsource.domain.ballot_reads import read_facts
from crowdsource.domain.ballots import Ballot, store_ballots
from crowdsource.domain.db import tortoise_config
from crowdsource.domain.kinds import Given
from crowdsource.domain.models import Answer, Pick, Poll, Room, User, Vote
from crowdsource.domain.roster import validate_roster
from crowdsource.domain.roster_store import set_roster
from tests.helpers.factories import choice_ids, make_poll, make_user
from tests.helpers.postgres_trips import count_statements


@pytest.mark.usefixtures("orm")
async def test_a_batch_reads_sessions_questions_responses_and_rosters_as_stored() -> None:
    """Two rooms, one with a roster, one waiting; a voter signed out elsewhere, a response
    of another poll, one that does not exist, an open answer the owner hid and one they did
    not: every fact as the database holds it now."""
    owner = await make_user("Alex Owner")
    asking = await Room.create(owner=owner, name="CS 101", code="ASK234")
    waiting = await Room.create(owner=owner, name="CS 102", code="WAIT56")
    await set_roster(asking, validate_roster("octo1", "", ""))
    poll, other = await make_poll(owner), await make_poll(owner)
    await Poll.filter(id=poll.id).update(room_id=asking.id)
    await Room.filter(id=asking.id).update(current_id=poll.id)
    mine, theirs = (await choice_ids(poll))[1], (await choice_ids(other))[0]
    stale, fresh = await make_user("Signed out"), await make_user("Still in")
    await User.filter(id=stale.id).update(token_version=stale.token_version + 1)
    written = await make_poll(owner, kind="text")
    now = clock.now()
    await Answer.create(poll=written, voter=fresh, text="Hidden TEXT", hidden=True, cast_at=now)
    await Answer.create(poll=written, voter=stale, text="shown", hidden=False, cast_at=now)
    ballots = [
        Ballot(poll.id, stale.id, Given((mine,)), now, asking.id, None, stale.token_version),
        Ballot(poll.id, fresh.id, Given((theirs, 999_999)), now, waiting.id, None, 0),
        Ballot(other.id, fresh.id, Given((theirs,)), now, None, None, None),
        Ballot(written.id, fresh.id, Given(answer="again"), now),
        Ballot(written.id, stale.id, Given(answer="more"), now),
    ]
    async with in_transaction():
        facts = await read_facts(ballots)
    assert facts.hidden == {(written.id, fresh.id): "hidden text"}  # folded, not the shown one
    assert facts.signed_out == {stale.id}
    assert facts.shown == {asking.id: poll.id, waiting.id: None}
    assert set(facts.polls) == {poll.id, other.id, written.id}
    assert {cid: (c.poll_id, c.label) for cid, c in facts.chosen.items()} == {  # type: ignore[attr-defined]
        mine: (poll.id, "Okay"),
        theirs: (other.id, "Old hat"),
    }
    assert set(facts.rosters) == {asking.id}
    assert facts.rosters[asking.id].github_org == ""


@pytest.mark.postgres
async def test_a_lone_ballot_makes_three_statements_on_postgresql(
    shared_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A room's vote on PostgreSQL: the poll, everything else it is judged against in one
    statement, the upsert, which commits itself (it made eight: each read was its own trip,
    then BEGIN and COMMIT around them). Several voters' ballots: the same three. A voter's
    `multiple` picks, two statements, share a transaction."""
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(shared_database))
        owner = await make_user("Alex Owner")
        room = await Room.create(owner=owner, name="CS 101", code="ASK234")
        poll = await make_poll(owner)
        several = await make_poll(owner, kind="multiple")
        await Poll.filter(id=poll.id).update(room_id=room.id)
        await Room.filter(id=room.id).update(current_id=poll.id)
        first = (await choice_ids(poll))[0]
        picks = tuple((await choice_ids(several))[:2])
        voter = await make_user("Ada Student")
        ballot = Ballot(poll.id, voter.id, Given((first,)), clock.now(), room.id, None, 0)
        sent = count_statements(monkeypatch)
        (receipt,) = await store_ballots([ballot])
        assert [word.lower().rstrip(";") for word in sent] == [
            "select",  # the poll
            "select",  # sessions, the room's question, the response, the roster
            "insert",
        ]
        assert receipt.labels == ("Old hat",)  # type: ignore[union-attr]
        assert await Vote.filter(poll_id=poll.id, voter_id=voter.id).count() == 1
        others = [await make_user(f"Student {n}") for n in range(3)]
        sent.clear()
        now = clock.now()
        together = [Ballot(poll.id, o.id, Given((first,)), now, room.id, None, 0) for o in others]
        assert all(not isinstance(r, Exception) for r in await store_ballots(together))
        assert [word.lower() for word in sent] == ["select", "select", "insert"]  # one upsert
        assert await Vote.filter(poll_id=poll.id).count() == 4
        sent.clear()
        (receipt,) = await store_ballots([Ballot(several.id, voter.id, Given(picks), clock.now())])
        assert [word.lower().rstrip(";") for word in sent] == [
            "select",
            "select",
            "begin",
            "delete",
            "insert",
            "commit",
        ]
        assert len(receipt.labels) == 2  # type: ignore[union-attr]
        assert await Pick.filter(poll_id=several.id, voter_id=voter.id).count() == 2
