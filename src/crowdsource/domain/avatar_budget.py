"""How many avatars the screens show under each response: the first voters (oldest first) up
to a share of AVATARS_SHOWN, and "+ N more" for the others. A full state then stays small
however many vote (20,000 voters would be megabytes of pictures), and a projector does not
try to draw them all; the counts, the bars and results.json still count everyone."""

from __future__ import annotations

from typing import Protocol

AVATARS_SHOWN = 120  # across a poll's responses: about 40 KB of markup at most
MIN_PER_RESPONSE = 6  # however many responses there are


class HasVoters(Protocol):
    @property
    def voters(self) -> tuple[object, ...]: ...


def per_response(responses: int) -> int:
    """The avatars one response shows, when the poll has `responses` of them."""
    return max(MIN_PER_RESPONSE, AVATARS_SHOWN // max(1, responses))


def shown_voters(choice: HasVoters, responses: int) -> tuple[object, ...]:
    return choice.voters[: per_response(responses)]


def more_voters(choice: HasVoters, responses: int) -> int:
    """How many of the response's voters have no avatar on screen ("+ N more")."""
    return max(0, len(choice.voters) - per_response(responses))
