"""The HTML pushed over the socket: which partial to render, with which data.

Templates own all markup (the same partials the pages include); this module picks them and
hands them data, through a `render(template, **context)` the composition injects. Every
top-level element of a message carries an id and is swapped out-of-band by htmx. Updates are
deltas by id: absolute counts, a new avatar appended, a moved avatar deleted then appended;
so a message's size does not grow with the number of voters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from crowdsource.domain.avatar_budget import shown_voters
from crowdsource.domain.kinds import Kind
from crowdsource.domain.tally import ChoiceTally, Mine, Tally, Voter
from crowdsource.domain.visibility import Audience, owner_audience
from crowdsource.i18n.current import current_language, translated
from crowdsource.realtime.answer_deltas import answer_delta
from crowdsource.realtime.choice_rows import ChoiceRows
from crowdsource.realtime.round_deltas import confidence_changed, confident_wrong_changed

PAGE = "page"  # the poll page: vote form and results
ROOM = "room"  # projector and embed: results for the whole room, never a vote form
SURFACES = (PAGE, ROOM)
RENDERS_KEPT = 512  # distinct counts and status lines kept rendered; all dropped when full


class Render(Protocol):
    """Render one template to a string (the web layer's template engine)."""

    def __call__(self, template: str, /, **context: Any) -> str: ...


@dataclass(frozen=True)
class ViewerContext:
    """What a per-viewer render needs beyond the tally: the vote form's bits."""

    me: Any
    csrf_token: str
    my_choice: Mine | None
    share_url: str = ""
    is_owner: bool = False
    room_code: str = ""  # the vote form of a room's page names its room and question


@dataclass(frozen=True)
class VoterMove:
    """One avatar to move: `was_shown` deletes the old one by id; `voter` (with the
    response it now sits under) appends the new one. A withdrawn vote has no `voter`.
    A `multiple` voter has an avatar per pick, each with its own id: a pick dropped deletes
    the one under `from_choice_id`, a pick added appends one."""

    user_id: int
    was_shown: bool
    choice_id: int | None = None
    voter: Voter | None = None
    from_choice_id: int | None = None


def voter_moves(before: Tally, after: Tally) -> list[VoterMove]:
    """Avatars that appeared, moved to another response, or went away."""
    if after.kind == Kind.MULTIPLE:
        return _pick_moves(before, after)
    was, now = _voter_positions(before), _voter_positions(after)
    moves = [
        VoterMove(user_id, user_id in was, choice_id, voter)
        for user_id, (choice_id, voter) in now.items()
        if was.get(user_id, (None,))[0] != choice_id
    ]
    moves.extend(VoterMove(user_id, was_shown=True) for user_id in was.keys() - now.keys())
    return moves


def _pick_moves(before: Tally, after: Tally) -> list[VoterMove]:
    """A `multiple` poll's picks dropped (deleted first), then picks added."""
    was, now = _pick_positions(before), _pick_positions(after)
    dropped = [
        VoterMove(user_id, was_shown=True, from_choice_id=choice_id)
        for (choice_id, user_id) in was.keys() - now.keys()
    ]
    added = [
        VoterMove(user_id, was_shown=False, choice_id=choice_id, voter=voter)
        for (choice_id, user_id), voter in now.items()
        if (choice_id, user_id) not in was
    ]
    return sorted(dropped, key=_move_order) + added


def _move_order(move: VoterMove) -> tuple[int, int]:
    return (move.user_id, move.from_choice_id or 0)


def _shown(tally: Tally) -> list[tuple[int, Voter]]:
    """(response, voter) of every avatar on screen: the first of each response's voters
    (avatar_budget.py), so a delta moves only avatars a screen shows."""
    responses = len(tally.choices)
    return [
        (choice.id, voter)
        for choice in tally.choices
        for voter in shown_voters(choice, responses)  # type: ignore[misc]
    ]


def _pick_positions(tally: Tally) -> dict[tuple[int, int], Voter]:
    return {(choice_id, voter.user_id): voter for choice_id, voter in _shown(tally)}


def _voter_positions(tally: Tally) -> dict[int, tuple[int, Voter]]:
    return {voter.user_id: (choice_id, voter) for choice_id, voter in _shown(tally)}


def same_choices(before: Tally, after: Tally) -> bool:
    """True when both tallies list the same responses, so rows can be updated by id."""
    return [choice.id for choice in before.choices] == [choice.id for choice in after.choices]


class Fragments:
    """Every message the socket pushes, each rendered from templates."""

    def __init__(self, render: Render) -> None:
        self.render = render
        self.choice_rows = ChoiceRows(render)
        # Counts' and status lines' renders, reused, in each language they were said in.
        self._renders: dict[tuple[Any, ...], str] = {}

    def presence(self, watching: int, in_room: bool = False) -> str:
        """“N watching” (a poll), or “N in the room”: the same string for every socket that
        shows that count in one language (a room's full states on a switch need it a
        thousand times)."""
        key = ("presence", watching, in_room, current_language())
        return self._kept(
            key,
            lambda: self.render(
                "partials/presence.html", watching=watching, in_room=in_room, oob=True
            ),
        )

    def status(self, message: str, kind: str = "error", *, open_answer: bool = False) -> str:
        """This viewer's status line; an "ok" one brings the vote button's new label (an
        open question's: `open_answer`). The same words in one language are rendered once:
        a room's fifty "Your vote for “B” is in." differ only by the response."""
        said = translated(message)
        status = {"message": said, "kind": kind}
        return self._kept(
            ("status", said, kind, open_answer, current_language()),
            lambda: self.render(
                "partials/vote_status.html", status=status, open_answer=open_answer, oob=True
            ),
        )

    def _kept(self, key: tuple[Any, ...], render: Callable[[], str]) -> str:
        found = self._renders.get(key)
        if found is None:
            if len(self._renders) >= RENDERS_KEPT:
                self._renders.clear()
            found = self._renders[key] = render()
        return found

    def no_status(self) -> str:
        """An empty status line: a room's page moved on from the question it was about."""
        return self.render("partials/vote_status.html", status=None, oob=True)

    def stage(self, room: Any, tally: Tally | None, audience: Audience | None, surface: str) -> str:
        """A room's `#stage`: its current question (vote panel left to `vote_panel`, sent
        after it) or the waiting notice. The same for every viewer of one audience."""
        return self.render(
            "partials/stage.html",
            room=room,
            tally=tally,
            audience=audience,
            surface=surface,
            oob=True,
        )

    def host_stage(self, room: Any, tally: Tally | None, viewer: ViewerContext) -> str:
        """The host console's live part: the current question with every result and voter,
        its controls, and the room's list of questions (per host: their CSRF token)."""
        return self.render(
            "partials/host_stage.html",
            room=room,
            tally=tally,
            # the owner sees every result, and every voter unless the question names nobody
            audience=owner_audience(tally.show_voters if tally else ""),
            csrf_token=viewer.csrf_token,
            oob=True,
        )

    def results(self, tally: Tally, audience: Audience, surface: str = PAGE) -> str:
        return self.render(
            "partials/results.html", tally=tally, audience=audience, surface=surface, oob=True
        )

    def poll_meta(self, tally: Tally) -> str:
        return self.render("partials/poll_meta.html", tally=tally, oob=True)

    def vote_panel(self, tally: Tally, viewer: ViewerContext | None) -> str:
        """The voting area. Without a viewer only the closed notice can be rendered (shared)."""
        return self.render(
            "partials/vote_panel.html",
            tally=tally,
            me=viewer.me if viewer else None,
            csrf_token=viewer.csrf_token if viewer else "",
            my_choice=viewer.my_choice if viewer else None,
            room_code=viewer.room_code if viewer else "",
            oob=True,
        )

    def owner_panel(self, tally: Tally, viewer: ViewerContext) -> str:
        return self.render(
            "partials/owner_panel.html",
            tally=tally,
            csrf_token=viewer.csrf_token,
            share_url=viewer.share_url,
            oob=True,
        )

    def shared_state(self, tally: Tally, audience: Audience, surface: str = PAGE) -> str:
        """The part of the full state that is the same for every viewer of one audience."""
        return self.poll_meta(tally) + self.results(tally, audience, surface)

    def personal_state(
        self, tally: Tally, viewer: ViewerContext | None, surface: str = PAGE
    ) -> str:
        """The part that differs per viewer: the vote form (their choice, their CSRF token)
        and, for the owner, the controls in the state they now apply to."""
        if surface != PAGE:
            return ""
        panels = self.vote_panel(tally, viewer)
        if viewer is not None and viewer.is_owner:
            panels += self.owner_panel(tally, viewer)
        return panels

    def closed_state(self, tally: Tally, audience: Audience, surface: str = PAGE) -> str:
        """Voting just ended: the same message for everyone of one audience on one surface."""
        return self.shared_state(tally, audience, surface) + self.personal_state(
            tally, None, surface
        )

    def owner_area_gone(self) -> str:
        """The owner's session ended: their controls and share tools leave the page."""
        return self.render("partials/owner_area_gone.html")

    def gone(self) -> str:
        """The poll was deleted: its vote panel and results say so."""
        return self.render("partials/poll_gone.html")

    def voted_count(self, tally: Tally) -> str:
        """How many have voted (not what): the room's screens while results are hidden."""
        return self.render("partials/voted_count.html", tally=tally, oob=True)

    def delta(self, before: Tally, after: Tally, audience: Audience, surface: str = PAGE) -> str:
        """What changed between two tallies of the same open poll, for one audience; when
        the responses themselves differ (the poll is being deleted), the whole results.
        Where results are hidden, the room's screens still follow how many have voted."""
        if not audience.results:
            counted = surface == ROOM and before.total_votes != after.total_votes
            return self.voted_count(after) if counted else ""
        if after.kind == Kind.TEXT:  # appended, replaced, deleted answers; changed words
            return self.render(
                "partials/text_delta.html",
                tally=after,
                audience=audience,
                surface=surface,
                change=answer_delta(before, after),
            )
        if not same_choices(before, after) or confident_wrong_changed(before, after, audience):
            return self.results(after, audience, surface)
        total_changed = before.total_votes != after.total_votes
        changed: list[ChoiceTally] = [
            new
            for old, new in zip(before.choices, after.choices, strict=True)
            if total_changed or old.votes != new.votes or confidence_changed(before, after, new.id)
        ]
        return self.render(
            "partials/results_delta.html",
            tally=after,
            audience=audience,
            surface=surface,
            total_changed=total_changed,
            changed_rows=self.choice_rows.rows(after, changed, audience, surface),
            moves=voter_moves(before, after) if audience.voters else [],
        )
