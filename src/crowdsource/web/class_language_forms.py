"""The class's language form (domain/class_language.py), read and answered the same way for a
poll (routes/manage.py) and a room (routes/rooms.py)."""

from __future__ import annotations

from starlette.requests import Request

from crowdsource.domain.class_language import checked_language
from crowdsource.i18n.current import _
from crowdsource.i18n.languages import language


def chosen_language(request: Request, raw: object) -> str:
    """The code to store; LanguageInvalid for one this site does not offer."""
    return checked_language(str(raw or ""), request.app.state.settings.languages)


def language_set(code: str) -> str:
    """What the owner reads after choosing, said now (it is kept for the next page)."""
    if not code:
        return _("Every screen speaks its viewer's language again.")
    return _(
        "The projector and the embed now speak %(language)s. A projector already open "
        "switches when it is reloaded."
    ) % {"language": language(code).name}
