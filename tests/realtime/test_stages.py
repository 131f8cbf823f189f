"""Which rooms' screens show a poll: what every publish of it asks (realtime/stages.py)."""

from __future__ import annotations

from collections import Counter

from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.stages import RoomStages, RoomView
from crowdsource.realtime.viewers import room_group


def view(room_id: int, current_id: int | None) -> RoomView:
    return RoomView(room_id, f"ROOM{room_id:02}", "Room", 1, False, current_id, ())


def test_the_rooms_showing_a_poll_follow_each_room_s_current_question() -> None:
    stages = RoomStages(Fragments(lambda name, context: ""), Counter(), lambda group: 0)
    stages.keep(view(1, 10))
    stages.keep(view(2, 10))
    stages.keep(view(3, None))  # waiting for a question
    assert stages.groups_showing(10) == (room_group(1), room_group(2))
    assert stages.groups_showing(11) == ()

    stages.keep(view(2, 11))  # room 2 moved on
    assert stages.groups_showing(10) == (room_group(1),)
    assert stages.groups_showing(11) == (room_group(2),)

    stages.forget(1)  # its last socket left
    assert stages.groups_showing(10) == ()
    stages.keep(view(3, 10))
    assert stages.groups_showing(10) == (room_group(3),)
