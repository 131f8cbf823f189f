"""The HTML pushed over the socket, rendered from the same partials as the pages.

Every top-level element carries an id and is swapped out-of-band by htmx. Updates are deltas
by id: absolute counts, a new avatar appended, a moved avatar deleted then appended; so a
message's size does not grow with the number of voters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crowdsource.domain.tally import Tally, Voter
from crowdsource.domain.visibility import Audience
from crowdsource.web.templating import render_fragment

PAGE = "page"  # the poll page: vote form and results
ROOM = "room"  # projector and embed: results for the whole room, never a vote form
SURFACES = (PAGE, ROOM)


@dataclass(frozen=True)
class ViewerContext:
    """What a per-viewer render needs beyond the tally: the vote form's bits."""

    me: Any
    csrf_token: str
    my_choice: int | None
    share_url: str = ""
    is_owner: bool = False


def status(message: str, kind: str = "error") -> str:
    return render_fragment(
        "partials/vote_status.html", status={"message": message, "kind": kind}, oob=True
    )


def presence(watching: int) -> str:
    return render_fragment("partials/presence.html", watching=watching, oob=True)


def results(tally: Tally, audience: Audience, surface: str = PAGE) -> str:
    return render_fragment(
        "partials/results.html", tally=tally, audience=audience, surface=surface, oob=True
    )


def results_table(tally: Tally) -> str:
    return render_fragment("partials/results_table.html", tally=tally, oob=True)


def poll_meta(tally: Tally) -> str:
    return render_fragment("partials/poll_meta.html", tally=tally, oob=True)


def vote_panel(tally: Tally, viewer: ViewerContext | None) -> str:
    """The voting area. Without a viewer only the closed notice can be rendered (shared)."""
    me = viewer.me if viewer else None
    return render_fragment(
        "partials/vote_panel.html",
        tally=tally,
        me=me,
        csrf_token=viewer.csrf_token if viewer else "",
        my_choice=viewer.my_choice if viewer else None,
        oob=True,
    )


def owner_panel(tally: Tally, viewer: ViewerContext) -> str:
    return render_fragment(
        "partials/owner_panel.html",
        tally=tally,
        csrf_token=viewer.csrf_token,
        share_url=viewer.share_url,
        oob=True,
    )


def shared_state(tally: Tally, audience: Audience, surface: str = PAGE) -> str:
    """The part of the full state that is the same for every viewer of one audience."""
    return poll_meta(tally) + results(tally, audience, surface)


def personal_state(tally: Tally, viewer: ViewerContext | None, surface: str = PAGE) -> str:
    """The part that differs per viewer: the vote form (their choice, their CSRF token) and,
    for the owner, the controls in the state they now apply to."""
    if surface != PAGE:
        return ""
    panels = vote_panel(tally, viewer)
    if viewer is not None and viewer.is_owner:
        panels += owner_panel(tally, viewer)
    return panels


def full_state(
    tally: Tally, audience: Audience, viewer: ViewerContext | None, surface: str = PAGE
) -> str:
    """Everything a surface shows that can change: sent on connect, resync, close and reopen."""
    return shared_state(tally, audience, surface) + personal_state(tally, viewer, surface)


def closed_state(tally: Tally, audience: Audience, surface: str = PAGE) -> str:
    """Voting just ended: the same message for everyone of one audience on one surface."""
    return full_state(tally, audience, None, surface)


def gone() -> str:
    return render_fragment("partials/poll_gone.html")


def _voter_positions(tally: Tally) -> dict[int, tuple[int, Voter]]:
    return {
        voter.user_id: (choice.id, voter) for choice in tally.choices for voter in choice.voters
    }


def delta(before: Tally, after: Tally, audience: Audience, surface: str = PAGE) -> str:
    """What changed between two tallies of the same open poll, for one audience."""
    if not audience.results:
        return ""
    parts: list[str] = []
    total_changed = before.total_votes != after.total_votes
    if total_changed:
        parts.append(render_fragment("partials/total.html", tally=after, oob=True))
        if surface == ROOM:
            parts.append(results_table(after))
    for old, new in zip(before.choices, after.choices, strict=True):
        if total_changed or old.votes != new.votes:
            parts.append(
                render_fragment(
                    "partials/choice.html",
                    choice=new,
                    tally=after,
                    audience=audience,
                    oob=True,
                    keep_voters=True,
                )
            )
    if audience.voters:
        parts.extend(_voter_moves(before, after))
    return "".join(parts)


def _voter_moves(before: Tally, after: Tally) -> list[str]:
    was, now = _voter_positions(before), _voter_positions(after)
    moves: list[str] = []
    for user_id, (choice_id, voter) in now.items():
        previous = was.get(user_id)
        if previous is not None and previous[0] == choice_id:
            continue
        if previous is not None:
            moves.append(f'<img id="voter-{user_id}" hx-swap-oob="delete">')
        moves.append(
            f'<div id="voters-{choice_id}" hx-swap-oob="beforeend">'
            + render_fragment("partials/voter.html", voter=voter)
            + "</div>"
        )
    moves.extend(
        f'<img id="voter-{user_id}" hx-swap-oob="delete">' for user_id in was.keys() - now.keys()
    )
    return moves
