"""The response rows of a results update, rendered once per publish for all the surfaces
and audiences that show them alike: a room's students and its projector get the same rows
(the projector's update adds its table), so a room's publish renders them once, not twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from crowdsource.domain.tally import ChoiceTally, Tally
from crowdsource.domain.visibility import Audience
from crowdsource.i18n.current import current_language

Render = Callable[..., str]
Key = tuple[int, Audience, str, str]


class ChoiceRows:
    """Rows of the last tally published, by (response, audience, surface where it matters,
    language); forgotten when the next tally comes."""

    def __init__(self, render: Render) -> None:
        self.render = render
        self._tally: Tally | None = None
        self._rows: dict[Key, str] = {}

    def rows(
        self, tally: Tally, changed: Iterable[ChoiceTally], audience: Audience, surface: str
    ) -> Markup:
        if self._tally is not tally:
            self._tally, self._rows = tally, {}
        # A row differs by surface only where it may mark a quiz's answer or show how sure
        # the voters were (partials/choice.html: the projector never shows either early).
        shown_on = surface if tally.is_quiz or tally.peer.ask_confidence else ""
        language = current_language()
        made = []
        for choice in changed:
            key = (choice.id, audience, shown_on, language)
            row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = self._render_row(tally, choice, audience, surface)
            made.append(row)
        return Markup("".join(made))  # noqa: S704  (partials/choice.html's renders, escaped there)

    def _render_row(
        self, tally: Tally, choice: ChoiceTally, audience: Audience, surface: str
    ) -> Any:
        return self.render(
            "partials/choice.html",
            choice=choice,
            tally=tally,
            audience=audience,
            surface=surface,
            oob=True,
            keep_voters=True,
        )
