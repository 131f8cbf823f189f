"""The language of the render under way, and the ways to speak it.

Pages set it per request (web/middleware/language.py); the publisher sets it around each
render of a pushed fragment, once per (audience, language). `_`/`ngettext` translate now;
`Text`/`ntext` mark a message where it is made (the domain, an error) and translate when it
is rendered (templating's `finalize`), so the same object serves every language."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from crowdsource.i18n.catalogs import translations
from crowdsource.i18n.languages import SOURCE

_current: ContextVar[str] = ContextVar("crowdsource_language", default=SOURCE)
_zone: ContextVar[str] = ContextVar("crowdsource_time_zone", default="UTC")


def current_language() -> str:
    return _current.get()


@contextlib.contextmanager
def speaking(code: str) -> Iterator[None]:
    """Render in `code` inside the block."""
    token = _current.set(code)
    try:
        yield
    finally:
        _current.reset(token)


def use_language(code: str) -> None:
    """Speak `code` from here to the end of this request's (or task's) context."""
    _current.set(code)


def current_zone() -> str:
    """The viewer's time zone (IANA name), when their browser told it; else UTC."""
    return _zone.get()


def use_zone(name: str) -> None:
    _zone.set(name)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, count)


_ = gettext


class Text(str):
    """A message for people, English as a `str` (logs, tests, `str(error)`), and translated
    with `.translated()` (templates do it on output). `params` fill `%(name)s` slots."""

    msgid: str
    plural: str | None
    count: int | None
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Text:
        return cls._made(msgid, None, None, params)

    @classmethod
    def _made(
        cls, msgid: str, plural: str | None, count: int | None, params: dict[str, Any]
    ) -> Text:
        english = plural if plural is not None and count != 1 else msgid
        text = super().__new__(cls, english % params if params else english)
        text.msgid, text.plural, text.count, text.params = msgid, plural, count, params
        return text

    def __html__(self) -> str:
        """Escaped in the current language: where a template escapes it (a value given to
        `{% trans %}` or `_()`, an attribute), it is said in the render's language too."""
        return html.escape(self.translated())

    def translated(self) -> str:
        if self.plural is not None and self.count is not None:
            pattern = ngettext(self.msgid, self.plural, self.count)
        else:
            pattern = gettext(self.msgid)
        values = {
            name: value.translated() if isinstance(value, Text) else value
            for name, value in self.params.items()
        }
        return pattern % values if values else pattern


def ntext(singular: str, plural: str, count: int, /, **params: Any) -> Text:
    """A `Text` with a plural: `%(count)s` is filled with `count`."""
    return Text._made(singular, plural, count, {"count": count, **params})


def translated(value: object) -> object:
    """`value` in the current language when it is a `Text`; anything else as it is."""
    return value.translated() if isinstance(value, Text) else value
