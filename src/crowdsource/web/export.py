"""CSV exports of a poll's votes and of a room's ballots, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from crowdsource.domain.accounts import is_guest
from crowdsource.domain.clock import iso_utc
from crowdsource.domain.models import Pick, Poll, Vote
from crowdsource.domain.rounds import PastBallot
from crowdsource.domain.tally import Tally

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUEST_MARK = " (guest)"  # a guest's name is their own choice: the sheet says so
HEADER = ("voter", "name", "response", "voted_at", "round", "confidence")
QUIZ_COLUMN = "correct"  # whether the response is one of a quiz's correct ones


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula is prefixed with `'`."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def shown_name(login: str, name: str) -> str:
    """The name column: a guest's chosen name is marked as a guest's."""
    return name + GUEST_MARK if is_guest(login) else name


def votes_csv(tally: Tally, past: Sequence[PastBallot] = ()) -> str:
    """A row per vote: per pick for `multiple` (a voter picking two has two rows), the
    number for a scale, the text for an open answer; the finished rounds' (`past`) first,
    round by round, with how sure each voter said they were. A quiz's sheet adds `correct`
    (yes/no): only its owner downloads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow((*HEADER, QUIZ_COLUMN) if tally.is_quiz else HEADER)
    now, said = tally.peer.round, tally.peer.confidence_of
    rows = [
        (
            now,
            voter.cast_at,
            voter.login,
            voter.name,
            choice.label,
            choice.id,
            said.get(voter.user_id),
        )
        for choice in tally.choices
        for voter in choice.voters
    ]
    rows += [  # a text question's answers (those hidden by the owner are left out, as everywhere)
        (now, a.voter.cast_at, a.voter.login, a.voter.name, a.text, None, None)
        for a in tally.answers
    ]
    rows += [
        (b.round, b.cast_at, b.login, b.name, b.label, b.choice_id, b.confidence) for b in past
    ]
    for number, cast_at, login, name, label, choice_id, sure in sorted(rows, key=_in_order):
        cells = [neutralise(login), neutralise(shown_name(login, name)), neutralise(label)]
        cells += [iso_utc(cast_at), str(number), sure or ""]
        if tally.is_quiz:
            cells.append("yes" if choice_id in tally.correct_ids else "no")
        writer.writerow(cells)
    return out.getvalue()


def _in_order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Round by round, then by time cast, then by login."""
    return (row[0], row[1], row[2])


def csv_filename(tally: Tally) -> str:
    """`crowdsource-<question words>-<slug>.csv`, ASCII only."""
    return f"crowdsource-{_words(tally.question) or 'poll'}-{tally.slug}.csv"


def _words(text: str) -> str:
    """The first letters and digits of `text`, dashed and lower case, for a file name."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40].strip("-")


ROOM_HEADER = ("poll", "question", "voter", "response", "round", "confidence", "time")


def room_csv(ballots: list[tuple[Poll, list[Vote | Pick]]], past: Sequence[PastBallot] = ()) -> str:
    """Every ballot of a room's questions, question by question in the room's order: the
    finished rounds' first (`past`, round by round), then the current round's, each in the
    order it was cast, with its round and how sure the voter said they were."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ROOM_HEADER)
    for poll, votes in ballots:
        for b in (b for b in past if b.poll_id == poll.id):
            cells = (poll.slug, poll.question, b.login, b.label)
            round_cells = [str(b.round), b.confidence or ""]
            writer.writerow([*map(neutralise, cells), *round_cells, iso_utc(b.cast_at)])
        for vote in votes:
            cells = (poll.slug, poll.question, vote.voter.login, vote.choice.label)
            round_cells = [str(poll.round), vote.confidence or ""]
            writer.writerow([*map(neutralise, cells), *round_cells, iso_utc(vote.cast_at)])
    return out.getvalue()


def room_csv_filename(code: str, name: str) -> str:
    """`crowdsource-room-<name words>-<code>.csv`, ASCII only."""
    return f"crowdsource-room-{_words(name) or 'room'}-{code}.csv"
