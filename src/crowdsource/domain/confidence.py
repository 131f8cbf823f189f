"""How sure a voter is of their vote (peer instruction): asked on polls with `ask_confidence`,
given with the vote itself, optional. The values are the contract's (`sure`, `unsure`,
`guess`): the form field and the frame key `confidence`."""

from __future__ import annotations

from crowdsource.domain.visibility import LabelledSetting
from crowdsource.domain.vote_refusals import NotAChoice

CONFIDENCE_QUESTION = "How sure are you?"
BAD_CONFIDENCE = "Say how sure you are with sure, unsure or guess (or leave it out)."


class Confidence(LabelledSetting):
    """One answer to "How sure are you?"; `phrase`: how the owner's view counts it."""

    SURE = "sure", "Sure", "sure"
    UNSURE = "unsure", "Unsure", "unsure"
    GUESS = "guess", "Guessing", "guessing"


def read_confidence(raw: object) -> str | None:
    """The confidence a form or frame sent: None when left out (empty or missing), else one
    of the three values; anything else is refused (NotAChoice) and nothing is stored."""
    if raw is None or raw == "":
        return None
    if not Confidence.accepts(raw):
        raise NotAChoice(BAD_CONFIDENCE)
    return str(raw)
