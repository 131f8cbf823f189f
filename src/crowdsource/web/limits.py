"""The numbers the forms enforce, taken from the domain so they are written once. Templates
read them as `limits.…`; JavaScript reads the data attributes the templates render from them
(`data-max`, `data-choice-max` on the create form's response list)."""

from __future__ import annotations

from dataclasses import dataclass

from crowdsource.domain.kinds import SCALE_DEFAULT, SCALE_HIGHEST, SCALE_LOWEST
from crowdsource.domain.models import (
    ANSWER_MAX,
    BANNED_WORDS_MAX,
    CHOICE_MAX,
    NAME_MAX,
    QUESTION_MAX,
    ROOM_NAME_MAX,
    SCALE_LABEL_MAX,
)
from crowdsource.domain.open_answers import LATEST_ANSWERS
from crowdsource.domain.poll_input import (
    MAX_CHOICES,
    MAX_MINUTES,
    MIN_CHOICES,
    MIN_MINUTES,
    QUICK_CLOSES_IN,
)
from crowdsource.domain.room_codes import MAX_TYPED_LENGTH
from crowdsource.domain.roster import ROSTER_MAX
from crowdsource.domain.roster_models import ORG_MAX, TEAM_MAX

QUICK_EXTEND_MINUTES = (5, 15)  # the owner panel's "reopen for just 5 min, 15 min" buttons
BAR_EXTEND_MINUTES = (1, 5)  # the owner bar's "+1 min", "+5 min" (and the projector's keys)


@dataclass(frozen=True)
class FormLimits:
    question_max: int = QUESTION_MAX  # characters
    choice_max: int = CHOICE_MAX  # characters of one response
    name_max: int = NAME_MAX  # characters of a guest's name
    room_name_max: int = ROOM_NAME_MAX  # characters of a room's name
    code_typed_max: int = MAX_TYPED_LENGTH  # what the code field takes (spaces, dashes too)
    min_choices: int = MIN_CHOICES
    max_choices: int = MAX_CHOICES
    min_minutes: int = MIN_MINUTES  # closing in, or extending by, this many minutes
    max_minutes: int = MAX_MINUTES
    quick_closes_in: tuple[int, ...] = QUICK_CLOSES_IN  # the create form's "in N minutes"
    quick_extend_minutes: tuple[int, ...] = QUICK_EXTEND_MINUTES
    bar_extend_minutes: tuple[int, ...] = BAR_EXTEND_MINUTES
    answer_max: int = ANSWER_MAX  # characters of an open answer, after trimming
    latest_answers: int = LATEST_ANSWERS  # the open answers live surfaces list
    scale_lowest: tuple[int, ...] = SCALE_LOWEST  # where a scale may start
    scale_highest: tuple[int, int] = SCALE_HIGHEST  # the range its top end may take
    scale_default: tuple[int, int] = SCALE_DEFAULT
    scale_label_max: int = SCALE_LABEL_MAX
    banned_words_max: int = BANNED_WORDS_MAX
    roster_max: int = ROSTER_MAX  # logins listed on one room's roster
    org_max: int = ORG_MAX  # characters of a GitHub organisation's name
    team_max: int = TEAM_MAX  # characters of a team's slug


LIMITS = FormLimits()
