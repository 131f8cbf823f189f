"""The CSV of a `show_voters=nobody` question: who took part, and no response column (the
ballots are kept apart from the voters: domain/secret_ballots.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection

from crowdsource.domain.models import User
from crowdsource.web.export import neutralise, shown_name

PARTICIPATION_HEADER = ("voter", "name")


async def participation_csv(participants: Collection[int]) -> str:
    """A row per person who took part, by login: nothing of what they chose."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PARTICIPATION_HEADER)
    people = await User.filter(id__in=participants).order_by("login") if participants else []
    for user in people:
        writer.writerow((neutralise(user.login), neutralise(shown_name(user.login, user.name))))
    return out.getvalue()
