"""#roster pushed with each vote: the same as the database's, read from the tally the
publish just read (no query of who answered or of the people seen), each member's row
rendered once per way it is shown."""

from __future__ import annotations

from typing import Any

import pytest

from crowdsource.domain import participation
from crowdsource.domain.models import Poll, User
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import settle
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")

ROSTER = '<section id="roster"'


async def watched(publisher: Publisher, **poll: Any) -> tuple[Poll, FakeSocket, list[User]]:
    """A poll, its owner's page socket and three signed-in students' sockets."""
    owner = await make_user("Alex Owner")
    made = await make_poll(owner, **poll)
    console = FakeSocket()
    await publisher.connect(console, made, owner, "csrf")
    students = [await make_user(name) for name in ("Ada", "Bob", "Cy")]
    for student in students:
        await publisher.connect(FakeSocket(), made, student, "csrf")
    await settle(publisher)
    return made, console, students


def pushed_roster(console: FakeSocket) -> str:
    last = console.sent[-1]
    return last[last.index(ROSTER) :]


async def from_database(publisher: Publisher, poll: Poll) -> str:
    return publisher.roster.render(await publisher.roster.status(poll))


@pytest.mark.parametrize("show_voters", ["owner", "nobody"])
async def test_the_pushed_roster_is_the_databases(publisher: Publisher, show_voters: str) -> None:
    poll, console, (ada, _, _) = await watched(publisher, show_voters=show_voters)
    ids = await choice_ids(poll)
    await store_vote(poll, ada, ids[0])
    await store_vote(poll, await make_user("Never Connected"), ids[1])
    await publisher.on_change(poll.id)
    await settle(publisher)
    roster = pushed_roster(console)
    assert "2 of 4 answered" in roster
    assert roster == await from_database(publisher, poll)


async def test_a_vote_reads_neither_who_answered_nor_the_people_seen(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    poll, console, (ada, bob, _) = await watched(publisher)
    ids = await choice_ids(poll)

    def no_query(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tally just read holds it")

    monkeypatch.setattr(participation, "answered_ids", no_query)
    monkeypatch.setattr(participation.User, "filter", no_query)
    rows: list[str] = []
    render = publisher.roster.fragments.render

    def counted(name: str, /, **context: Any) -> str:
        rows.extend([context["m"].login] if name == "partials/roster_member.html" else [])
        return render(name, **context)

    monkeypatch.setattr(publisher.roster.fragments, "render", counted)
    await store_vote(poll, ada, ids[0])
    await publisher.on_change(poll.id)
    await settle(publisher)
    assert "1 of 3 answered" in pushed_roster(console)
    rows.clear()
    await store_vote(poll, bob, ids[1])
    await publisher.on_change(poll.id)
    await settle(publisher)
    assert "2 of 3 answered" in pushed_roster(console)
    assert rows == [bob.login]  # the one row that changed
