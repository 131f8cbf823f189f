"""`results.json`'s rounds (DESIGN §2, peer instruction): the round voted in now, and the
finished rounds' counts; null counts where the viewer may not see results."""

from __future__ import annotations

from typing import Any

from crowdsource.domain.tally import Tally
from crowdsource.domain.visibility import Audience


def rounds_document(tally: Tally, audience: Audience) -> dict[str, Any]:
    """`round` and `rounds`: [{"round", "total_votes", "choices": [{"id", "votes"}]}]."""
    shown = audience.results
    return {
        "round": tally.peer.round,
        "rounds": [
            {
                "round": finished.round,
                "total_votes": finished.total_votes if shown else None,
                "choices": [
                    {
                        "id": str(choice.id),
                        "votes": finished.votes.get(choice.id, 0) if shown else None,
                    }
                    for choice in tally.choices
                ],
            }
            for finished in tally.peer.finished
        ],
    }
