"""Pushes in each viewer's language, rendered once per (audience, language) present: a room
of 30 in three languages costs three renders of a change, not thirty."""

from __future__ import annotations

import pytest

from crowdsource.i18n.current import Text, _, ngettext, speaking
from crowdsource.realtime.publisher import Publisher
from tests.helpers.factories import choice_ids, make_poll, make_user, store_vote
from tests.helpers.realtime import settle
from tests.helpers.sockets import FakeSocket

pytestmark = pytest.mark.usefixtures("orm")

LANGUAGES = ("en", "fr", "ar")


def said(language: str, singular: str, plural: str, count: int) -> str:
    with speaking(language):
        return ngettext(singular, plural, count) % {"count": count}


async def test_a_change_is_rendered_once_per_language_and_reaches_each_in_its_own(
    publisher: Publisher,
) -> None:
    poll = await make_poll(results_visibility="always")
    sockets = {language: [FakeSocket() for _ in range(10)] for language in LANGUAGES}
    for language, group in sockets.items():
        for socket in group:
            await publisher.connect(socket, poll, None, "", language=language)
    await settle(publisher)
    assert publisher.renders["full"] == 3  # one shared state per language, not per socket
    publisher.renders.clear()
    await store_vote(poll, await make_user("Ada"), (await choice_ids(poll))[0])
    await publisher.on_change(poll.id)
    await settle(publisher)
    assert publisher.renders["delta"] == 3
    for language, group in sockets.items():
        update = group[0].sent[-1]
        assert all(socket.sent[-1] == update for socket in group)  # the same bytes
        assert said(language, "%(count)s vote", "%(count)s votes", 1) in update
    assert len({group[0].sent[-1] for group in sockets.values()}) == 3


async def test_a_status_line_is_said_in_the_viewers_language(publisher: Publisher) -> None:
    poll = await make_poll()
    socket = FakeSocket()
    subscriber = await publisher.connect(socket, poll, None, "", language="de")
    await settle(publisher)
    publisher.tell_status(subscriber, Text("Sign in to vote"))  # English where it is made
    await settle(publisher)
    with speaking("de"):
        german = _("Sign in to vote")
    assert german != "Sign in to vote" and german in socket.sent[-1]


async def test_n_watching_is_said_in_each_language_whoever_asked_first(
    publisher: Publisher,
) -> None:
    first, second = await make_poll(), await make_poll()
    for language in ("en", "en"):  # "2 watching" said in English first, on one poll
        await publisher.connect(FakeSocket(), first, None, "", language=language)
    await settle(publisher)
    arabic = FakeSocket()
    await publisher.connect(FakeSocket(), second, None, "", language="en")
    await publisher.connect(arabic, second, None, "", language="ar")
    await settle(publisher)
    assert said("ar", "%(count)s watching", "%(count)s watching", 2) in arabic.sent[0]
    assert "watching" not in arabic.sent[0]
