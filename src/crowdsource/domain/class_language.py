"""A room's or a poll's own language, the class's: what its projector and embed speak, and
what a student gets when their browser asks for no language the site offers. Empty: every
viewer's own. Stored changes only: RoomCommands and PollCommands announce them."""

from __future__ import annotations

from crowdsource.domain.kept_statements import values_where_in
from crowdsource.domain.models import Poll, Room
from crowdsource.i18n.current import Text
from crowdsource.i18n.languages import canonical

NOT_OFFERED = Text("Pick one of the languages in the list.")


class LanguageInvalid(ValueError):
    """Not a language this site offers; `message` says so to the person who chose it."""

    def __init__(self) -> None:
        super().__init__(NOT_OFFERED)
        self.message = NOT_OFFERED


def checked_language(raw: str, offered: tuple[str, ...]) -> str:
    """The code to store for what a form sent: "" (each viewer's own) or an offered code."""
    if not raw.strip():
        return ""
    code = canonical(raw)
    if code is None or code not in offered:
        raise LanguageInvalid()
    return code


async def store_language(owner: Poll | Room, code: str) -> bool:
    """Store a poll's or a room's own language; False when unchanged."""
    if owner.language == code:
        return False
    owner.language = code
    await type(owner).filter(id=owner.id).update(language=code)
    return True


def class_language(poll: Poll | None, room: Room | None = None) -> str:
    """The language a class screen of this poll or room speaks: a room question follows
    its room's; "" when neither has one."""
    if room is not None and room.language:
        return str(room.language)
    return str(poll.language) if poll is not None else ""


async def language_of_poll(poll: Poll) -> str:
    """`class_language` of a poll, reading its room's language when it has one: a kept
    statement, as each socket of a room question's own page reads it when it joins."""
    room_id = poll.room_id  # type: ignore[attr-defined]
    if room_id is not None:
        found = await values_where_in(Room, ("language",), "id", [room_id], by_key=True)
        if found and found[0][0]:
            return str(found[0][0])
    return class_language(poll)
