"""The `results.json` contract (DESIGN §2): what a poll's results say to one audience.
Numbers are null where results are hidden; a quiz's answer is null for others than the owner
until it is revealed."""

from __future__ import annotations

from typing import Any

from crowdsource.domain import clock
from crowdsource.domain.kinds import Kind
from crowdsource.domain.tally import Tally
from crowdsource.domain.visibility import Audience


def results_document(tally: Tally, audience: Audience) -> dict[str, Any]:
    """The `results.json` contract: numbers are null where results are hidden; `correct`
    is null for others than the owner until a quiz's answer is revealed."""
    document: dict[str, Any] = {
        "poll": tally.slug,
        "question": tally.question,
        "state": tally.state,
        "closes_at": clock.iso_utc(tally.closes_at),
        "total_votes": tally.total_votes if audience.results else None,
        "choices": [
            {"id": str(c.id), "label": c.label, "votes": c.votes if audience.results else None}
            for c in tally.choices
        ],
        "kind": tally.kind.value,
        "correct": correct_document(tally, audience),
        **scale_document(tally, audience),
    }
    if tally.kind == Kind.TEXT:  # the shown answers (never hidden ones) and the word cloud
        shown = audience.results
        document["answers"] = (
            [{"id": str(a.id), "text": a.text} for a in tally.answers] if shown else None
        )
        document["words"] = [{"word": w, "count": c} for w, c in tally.words] if shown else None
    return document


def scale_document(tally: Tally, audience: Audience) -> dict[str, Any]:
    """A scale's `mean` and `median` (2 decimals; null without votes or where results are
    hidden); nothing for another kind."""
    if tally.kind != Kind.SCALE:
        return {}
    shown = audience.results
    return {
        "mean": round(tally.mean, 2) if shown and tally.mean is not None else None,
        "median": round(tally.median, 2) if shown and tally.median is not None else None,
    }


def correct_document(tally: Tally, audience: Audience) -> list[str] | None:
    """A quiz's correct response ids: for the owner always, for others once revealed."""
    if not tally.is_quiz or not (tally.revealed or audience.owner):
        return None
    return [str(c.id) for c in tally.choices if c.id in tally.correct_ids]
