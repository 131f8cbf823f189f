"""Tortoise models: fields and constraints only. Behaviour lives in polls.py (the commands),
poll_store.py, ballots.py and accounts.py."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from crowdsource.domain.visibility import ResultsVisibility, ShowVoters

QUESTION_MAX = 300
CHOICE_MAX = 120
NAME_MAX = 40
LOGIN_MAX = 100
SLUG_MAX = 32
ROOM_NAME_MAX = 80
ROOM_CODE_LENGTH = 6
ANSWER_MAX = 280  # an open answer, after trimming
SCALE_LABEL_MAX = 40
BANNED_WORDS_MAX = 500
KIND_MAX = 10
CONFIDENCE_MAX = 8  # sure | unsure | guess (domain/confidence.py)
LANGUAGE_MAX = 8  # a shipped language code (i18n/languages.py): "pt-BR"


class User(Model):
    """Someone who signed in: with a provider (GitHub) or as a guest."""

    id = fields.IntField(primary_key=True)
    provider = fields.CharField(max_length=20)
    provider_id = fields.CharField(max_length=100)
    login = fields.CharField(max_length=LOGIN_MAX, unique=True)
    name = fields.CharField(max_length=100)
    avatar_url = fields.CharField(max_length=500)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Bumped by "sign out": every token issued before carries an older number.
    token_version = fields.IntField(default=0)

    class Meta:
        table = "users"
        unique_together = (("provider", "provider_id"),)


class Poll(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=SLUG_MAX, unique=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="polls", on_delete=fields.CASCADE
    )
    question = fields.CharField(max_length=QUESTION_MAX)
    results_visibility = fields.CharField(max_length=16, default=ResultsVisibility.ALWAYS.value)
    show_voters = fields.CharField(max_length=16, default=ShowVoters.OWNER.value)
    closes_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # A room's question: where it belongs and in which order. `draft`: prepared, not yet
    # asked (not open until launched); `duration_seconds`: how long it stays open once asked.
    room: fields.ForeignKeyNullableRelation[Room] = fields.ForeignKeyField(
        "models.Room", related_name="questions", on_delete=fields.CASCADE, null=True
    )
    position = fields.IntField(default=0)
    draft = fields.BooleanField(default=False)
    duration_seconds = fields.IntField(null=True)
    # The kind of question (domain/kinds.py) and what that kind needs: a `multiple`'s
    # limits on picks, a `scale`'s ends, a `text`'s refused words. `revealed_at`: when the
    # owner revealed a quiz's correct responses (until then only the owner knows them).
    kind = fields.CharField(max_length=KIND_MAX, default="single")
    min_picks = fields.SmallIntField(null=True)
    max_picks = fields.SmallIntField(null=True)
    scale_min_label = fields.CharField(max_length=SCALE_LABEL_MAX, default="")
    scale_max_label = fields.CharField(max_length=SCALE_LABEL_MAX, default="")
    banned_words = fields.CharField(max_length=BANNED_WORDS_MAX, default="")
    revealed_at = fields.DatetimeField(null=True)
    # The class's language (a shipped code; empty: each viewer's own): what the projector
    # and the embed speak, and what a student gets when their browser asks for no language
    # this site offers. A room question follows its room's.
    language = fields.CharField(max_length=LANGUAGE_MAX, default="")
    # Peer instruction (domain/rounds.py): the round voted in now (finished rounds' ballots
    # are RoundBallot rows), and whether the vote form asks how sure each voter is.
    round = fields.IntField(default=1)
    ask_confidence = fields.BooleanField(default=False)

    choices: fields.ReverseRelation[Choice]

    class Meta:
        table = "polls"


class Room(Model):
    """An instructor's standing place for a course: one code for the term, and the question
    every screen in it shows now (`current`; none: the waiting notice)."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=ROOM_CODE_LENGTH, unique=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="rooms", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=ROOM_NAME_MAX)
    current: fields.ForeignKeyNullableRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name=False, on_delete=fields.SET_NULL, null=True
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    archived_at = fields.DatetimeField(null=True)
    language = fields.CharField(max_length=LANGUAGE_MAX, default="")  # as Poll.language

    questions: fields.ReverseRelation[Poll]

    class Meta:
        table = "rooms"


class Choice(Model):
    id = fields.IntField(primary_key=True)
    poll: fields.ForeignKeyRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name="choices", on_delete=fields.CASCADE
    )
    label = fields.CharField(max_length=CHOICE_MAX)
    position = fields.SmallIntField()
    correct = fields.BooleanField(default=False)  # a quiz's answer: secret until revealed

    class Meta:
        table = "choices"
        ordering = ("position",)


class Vote(Model):
    """The current answer of one person to a `single` or `scale` poll. A change of mind
    updates the row."""

    id = fields.IntField(primary_key=True)
    poll: fields.ForeignKeyRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name="votes", on_delete=fields.CASCADE
    )
    choice: fields.ForeignKeyRelation[Choice] = fields.ForeignKeyField(
        "models.Choice", related_name="votes", on_delete=fields.CASCADE
    )
    voter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="votes", on_delete=fields.CASCADE
    )
    cast_at = fields.DatetimeField()
    confidence = fields.CharField(max_length=CONFIDENCE_MAX, null=True)  # none: not said

    class Meta:
        table = "votes"
        unique_together = (("poll", "voter"),)


class Pick(Model):
    """One response a person picked in a `multiple` poll: their set of rows is their vote,
    replaced as a whole by a change of mind."""

    id = fields.IntField(primary_key=True)
    poll: fields.ForeignKeyRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name="picks", on_delete=fields.CASCADE
    )
    choice: fields.ForeignKeyRelation[Choice] = fields.ForeignKeyField(
        "models.Choice", related_name="picks", on_delete=fields.CASCADE
    )
    voter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="picks", on_delete=fields.CASCADE
    )
    cast_at = fields.DatetimeField()
    confidence = fields.CharField(max_length=CONFIDENCE_MAX, null=True)  # the same on each pick

    class Meta:
        table = "picks"
        unique_together = (("poll", "voter", "choice"),)


class Answer(Model):
    """One person's open answer to a `text` poll (a new one replaces it). `hidden`: the
    owner took it off every screen."""

    id = fields.IntField(primary_key=True)
    poll: fields.ForeignKeyRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name="answers", on_delete=fields.CASCADE
    )
    voter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="answers", on_delete=fields.CASCADE
    )
    text = fields.CharField(max_length=ANSWER_MAX)
    hidden = fields.BooleanField(default=False)
    cast_at = fields.DatetimeField()

    class Meta:
        table = "answers"
        unique_together = (("poll", "voter"),)


class RoundBallot(Model):
    """A ballot of a finished round (peer instruction): when round N+1 starts, each Vote row
    of round N, or each Pick row of a `multiple` poll, is copied here and deleted, so the
    current round's tables keep their one-ballot-per-voter constraints."""

    id = fields.IntField(primary_key=True)
    poll: fields.ForeignKeyRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name="round_ballots", on_delete=fields.CASCADE
    )
    round = fields.IntField()
    choice: fields.ForeignKeyRelation[Choice] = fields.ForeignKeyField(
        "models.Choice", related_name="round_ballots", on_delete=fields.CASCADE
    )
    voter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="round_ballots", on_delete=fields.CASCADE
    )
    confidence = fields.CharField(max_length=CONFIDENCE_MAX, null=True)
    cast_at = fields.DatetimeField()

    class Meta:
        table = "round_ballots"
        indexes = (("poll_id", "round"),)
