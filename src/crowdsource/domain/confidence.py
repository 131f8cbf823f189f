"""How sure a voter is of their vote (peer instruction): asked on polls with `ask_confidence`,
given with the vote itself, optional. The values are the contract's (`sure`, `unsure`,
`guess`): the form field and the frame key `confidence`."""

from __future__ import annotations

from crowdsource.domain.visibility import LabelledSetting
from crowdsource.domain.vote_refusals import NotAChoice
from crowdsource.i18n.current import Text

CONFIDENCE_QUESTION = Text("How sure are you?")
# Translators: sure, unsure and guess are values a program sends: keep them in English
BAD_CONFIDENCE = Text("Say how sure you are with sure, unsure or guess (or leave it out).")


class Confidence(LabelledSetting):
    """One answer to "How sure are you?"; `phrase`: how the owner's view counts it."""

    # Translators: the answers to "How sure are you?" on the vote form, then the same in
    # lower case, as a count of voters reads ("3 sure")
    SURE = "sure", Text("Sure"), Text("sure")
    UNSURE = "unsure", Text("Unsure"), Text("unsure")
    GUESS = "guess", Text("Guessing"), Text("guessing")


def read_confidence(raw: object) -> str | None:
    """The confidence a form or frame sent: None when left out (empty or missing), else one
    of the three values; anything else is refused (NotAChoice) and nothing is stored."""
    if raw is None or raw == "":
        return None
    if not Confidence.accepts(raw):
        raise NotAChoice(BAD_CONFIDENCE)
    return str(raw)
