"""Why a vote was not stored: each refusal's message can be shown to the voter as it is."""

from __future__ import annotations

from crowdsource.domain.person_message import PersonMessage
from crowdsource.i18n.current import Text


class VoteRejected(PersonMessage):
    """A vote that was not stored. The message (a `Text`) can be shown to the voter as it is."""


class SignedOut(VoteRejected):
    """The voter signed out (in this tab or another) after the page or socket read who they
    are: their sessions' version moved on."""

    def __init__(self) -> None:
        super().__init__(Text("Sign in to vote."))


class NotAChoice(VoteRejected):
    """The choice is no response of this poll (malformed, unknown or another poll's)."""


class PollClosed(VoteRejected):
    """Voting has closed, by the server clock."""

    def __init__(self) -> None:
        super().__init__(Text("Voting has closed for this poll."))


class PollGone(VoteRejected):
    """The poll was deleted."""

    def __init__(self) -> None:
        super().__init__(Text("This poll no longer exists."))


class NotAskedYet(VoteRejected):
    """A room's prepared question that the instructor has not asked yet."""

    def __init__(self) -> None:
        super().__init__(Text("This question has not been asked yet."))


class QuestionEnded(VoteRejected):
    """A vote sent from a room for a question that is no longer the room's current one."""

    def __init__(self) -> None:
        super().__init__(
            Text("That question has ended: the room has moved on. Nothing was stored.")
        )


class NoQuestionNow(VoteRejected):
    """A vote sent from a room while it waits for the next question."""

    def __init__(self) -> None:
        super().__init__(Text("There is no question to answer right now: wait for the next one."))


class Rephrase(VoteRejected):
    """An open answer holding one of the question's refused words."""

    def __init__(self) -> None:
        super().__init__(
            # Translators: the create form says an answer is refused with “Please rephrase”
            Text("Please rephrase: your answer uses a word this question does not accept.")
        )


class HiddenAnswer(VoteRejected):
    """An open answer sent again as it was when the owner hid it."""

    def __init__(self) -> None:
        super().__init__(
            Text("Your instructor took this answer off the screens: write a different one.")
        )
