"""What a live update must carry for rounds and confidence (peer instruction), beside the
vote counts: a response whose voters' confidence changed (a voter re-voted the same response,
surer), and the owner's count of the confidently wrong after a reveal."""

from __future__ import annotations

from crowdsource.domain.tally import Tally
from crowdsource.domain.visibility import Audience


def confidence_changed(before: Tally, after: Tally, choice_id: int) -> bool:
    """One response's confidence counts differ (only the owner's render shows them)."""
    return before.peer.sure(choice_id) != after.peer.sure(choice_id)


def confident_wrong_changed(before: Tally, after: Tally, audience: Audience) -> bool:
    """The owner's `#results[data-confident-wrong]` must be rendered again."""
    return audience.owner and before.peer.confident_wrong != after.peer.confident_wrong
