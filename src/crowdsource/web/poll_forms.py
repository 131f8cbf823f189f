"""What the forms of a question and of a vote send, read once for every route that takes them
(a poll's create form, a room's question forms, the vote form and the vote frame)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

from crowdsource.domain.kind_input import KIND_FIELDS
from crowdsource.domain.poll_input import MAX_CHOICES
from crowdsource.domain.visibility import ResultsVisibility, ShowVoters


def question_values(form: FormData) -> dict[str, Any]:
    """A question form as typed (kept to show it again with its problems)."""
    return {
        "question": form.get("question", ""),
        "choices": [str(item) for item in form.getlist("choices")][: MAX_CHOICES * 2],
        "closes_at": str(form.get("closes_at", "")),
        "closes_in": str(form.get("closes_in", "")),
        "timezone": str(form.get("timezone", "")),
        "results_visibility": str(form.get("results_visibility", ResultsVisibility.ALWAYS)),
        "show_voters": str(form.get("show_voters", ShowVoters.OWNER)),
        "correct": [str(item) for item in form.getlist("correct")][: MAX_CHOICES * 2],
        **{name: str(form.get(name, "")) for name in KIND_FIELDS},
    }


def spec_arguments(values: Mapping[str, Any]) -> dict[str, Any]:
    """`question_values` as `validate_poll` (and `validate_question`) take them."""
    plain = {
        name: value
        for name, value in values.items()
        if name not in KIND_FIELDS and name not in ("correct", "extra")
    }
    kind_values = {name: values.get(name, "") for name in KIND_FIELDS}
    return {**plain, "kind_values": kind_values, "correct": values.get("correct", ())}


def ballot_fields(sent: Mapping[str, Any] | FormData) -> dict[str, object]:
    """The `choice` (one id, or a list for several) and `answer` a vote form or frame sent,
    as `cast_vote` takes them. A form repeats `choice` for each box ticked."""
    if isinstance(sent, FormData):
        picked = sent.getlist("choice")
        choice: object = picked[0] if len(picked) == 1 else (picked or None)
        return {"choice": choice, "answer": sent.get("answer")}
    return {"choice": sent.get("choice"), "answer": sent.get("answer")}
