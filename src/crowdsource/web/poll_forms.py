"""What the forms of a question and of a vote send, read once for every route that takes them
(a poll's create form, a room's question forms, the vote form and the vote frame)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

from crowdsource.domain.kind_input import KIND_FIELDS
from crowdsource.domain.poll_input import MAX_CHOICES
from crowdsource.domain.tally import Mine
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
        # The create form numbers `correct` by its boxes, blank ones too (see by_place).
        "correct_by_box": "correct_by_box" in form,
        **{name: str(form.get(name, "")) for name in KIND_FIELDS},
    }


def by_place(values: Mapping[str, Any]) -> list[str]:
    """`correct` as the contract numbers it (among the non-blank responses): the create form
    numbers it by its boxes, which may have blank ones in between."""
    marked = [str(item) for item in values.get("correct", ())]
    if not values.get("correct_by_box"):
        return marked
    places, place = [], 0
    for box, choice in enumerate(values.get("choices", ()), start=1):
        if str(choice).strip():
            place += 1
            if str(box) in marked:
                places.append(str(place))
    return places


def redrawn(form: FormData, values: dict[str, Any]) -> dict[str, Any] | None:
    """The form to show again as typed when a no-JavaScript button sent it rather than a
    submit: "Add a response" (blank boxes dropped, one more) or "Choose" (the fields of the
    kind picked). None for a submit."""
    if "choose_kind" in form:
        return values
    if "add_choice" not in form:
        return None
    kept = [choice for choice in values["choices"] if choice.strip()]
    return {**values, "choices": kept, "correct": by_place(values), "extra": 1}


def spec_arguments(values: Mapping[str, Any]) -> dict[str, Any]:
    """`question_values` as `validate_poll` (and `validate_question`) take them."""
    plain = {
        name: value
        for name, value in values.items()
        if name not in KIND_FIELDS and name not in ("correct", "correct_by_box", "extra")
    }
    kind_values = {name: values.get(name, "") for name in KIND_FIELDS}
    return {**plain, "kind_values": kind_values, "correct": by_place(values)}


def ballot_fields(sent: Mapping[str, Any] | FormData) -> dict[str, object]:
    """The `choice` (one id, or a list for several), `answer` and `confidence` a vote form
    or frame sent, as `cast_vote` takes them. A form repeats `choice` for each box ticked."""
    said = {"answer": sent.get("answer"), "confidence": sent.get("confidence")}
    if isinstance(sent, FormData):
        picked = sent.getlist("choice")
        choice: object = picked[0] if len(picked) == 1 else (picked or None)
        return {"choice": choice, **said}
    return {"choice": sent.get("choice"), **said}


def picks_sent(form: FormData) -> Mine | None:
    """The responses a refused vote form had ticked, to tick them again (ids only)."""
    ids = frozenset(int(item) for item in map(str, form.getlist("choice")) if _an_id(item))
    return Mine(ids) if ids else None


def _an_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 10
