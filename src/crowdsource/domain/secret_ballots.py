"""Ballots of `show_voters=nobody` questions, kept apart from their voters (issue 17).

Such a ballot is stored as `secret_picks` rows (roster_models.SecretPick): the poll, the
response picked (or the open answer written) and `voter_key`, an HMAC-SHA256 of
"<poll id>:<voter id>" under the ballot key (auth/keys.py derives it from SECRET_KEY for this
one purpose). The key lets a voter change their mind (their earlier rows are replaced) and
find their own ballot again (their quiz verdict); without it the rows name nobody. That the
voter took part is a separate `participations` row. Neither table has a time, and the picks'
ids are random, so the two cannot be joined by order or moment.

The key is handed over once by the composition (app.py calls `use_key`): the domain reads no
settings."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from crowdsource.domain.roster_models import Participation, SecretPick
from crowdsource.domain.short_transactions import Statement


class SecretBallot(Protocol):
    """What is stored of one accepted ballot (ballots.Ballot)."""

    poll_id: int
    voter_id: int

    @property
    def given(self) -> _Given: ...


class _Given(Protocol):
    picks: Sequence[int]
    answer: str | None


class NoBallotKey(RuntimeError):
    """A secret ballot was stored or read before the composition gave the key."""


_keys: list[bytes] = []


def use_key(key: str) -> None:
    """The ballot key for this process (app.py: auth.keys.ballot_key(SECRET_KEY))."""
    _keys[:] = [key.encode()]


def voter_key(poll_id: int, voter_id: int) -> str:
    """The hex HMAC naming one voter's ballot in one poll, and nothing else."""
    if not _keys:
        raise NoBallotKey("secret_ballots.use_key was not called")
    message = f"{poll_id}:{voter_id}".encode()
    return hmac.new(_keys[0], message, hashlib.sha256).hexdigest()


def secret_writes(ballots: Sequence[SecretBallot]) -> list[Statement]:
    """The statements that store accepted ballots of nobody-questions, each replacing its
    voter's earlier one, and that each voter took part (once per question)."""
    if not ballots:
        return []
    keyed = [(voter_key(b.poll_id, b.voter_id), b) for b in ballots]
    statements: list[Statement] = []
    for poll_id in {b.poll_id for b in ballots}:
        keys = [key for key, b in keyed if b.poll_id == poll_id]
        statements.append(SecretPick.filter(poll_id=poll_id, voter_key__in=keys).delete)
    rows = [
        SecretPick(id=uuid.uuid4(), poll_id=b.poll_id, voter_key=key, choice_id=pick)
        for key, b in keyed
        for pick in b.given.picks
    ]
    rows += [
        SecretPick(id=uuid.uuid4(), poll_id=b.poll_id, voter_key=key, answer=b.given.answer)
        for key, b in keyed
        if b.given.answer is not None
    ]
    took_part = [Participation(poll_id=b.poll_id, voter_id=b.voter_id) for b in ballots]
    statements.append(partial(SecretPick.bulk_create, rows))
    statements.append(partial(Participation.bulk_create, took_part, ignore_conflicts=True))
    return statements


@dataclass(frozen=True)
class SecretRows:
    """A nobody-question's ballots as read: (voter key, response id or None, answer or None)
    and the ids of the people who took part."""

    picks: tuple[tuple[str, int | None, str | None], ...]
    participants: frozenset[int]


async def secret_rows(poll_id: int) -> SecretRows:
    """Every secret ballot row of one question (in the random order of their ids)."""
    picks = await (
        SecretPick.filter(poll_id=poll_id)
        .order_by("id")
        .values_list("voter_key", "choice_id", "answer")
    )
    voters = await Participation.filter(poll_id=poll_id).values_list("voter_id", flat=True)
    return SecretRows(
        tuple((str(key), choice, answer) for key, choice, answer in picks),
        frozenset(int(v) for v in voters),
    )
