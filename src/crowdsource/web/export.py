"""CSV export of a poll's votes, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re

from crowdsource.domain.accounts import is_guest
from crowdsource.domain.clock import iso_utc
from crowdsource.domain.tally import Tally

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUEST_MARK = " (guest)"  # a guest's name is their own choice: the sheet says so
HEADER = ("voter", "name", "response", "voted_at")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula is prefixed with `'`."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def shown_name(login: str, name: str) -> str:
    """The name column: a guest's chosen name is marked as a guest's."""
    return name + GUEST_MARK if is_guest(login) else name


def votes_csv(tally: Tally) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    rows = [
        (voter.cast_at, voter.login, shown_name(voter.login, voter.name), choice.label)
        for choice in tally.choices
        for voter in choice.voters
    ]
    for cast_at, login, name, label in sorted(rows, key=lambda row: (row[0], row[1])):
        writer.writerow([neutralise(login), neutralise(name), neutralise(label), iso_utc(cast_at)])
    return out.getvalue()


def csv_filename(tally: Tally) -> str:
    """`crowdsource-<question words>-<slug>.csv`, ASCII only."""
    words = re.sub(r"[^A-Za-z0-9]+", "-", tally.question).strip("-").lower()[:40].strip("-")
    return f"crowdsource-{words or 'poll'}-{tally.slug}.csv"
