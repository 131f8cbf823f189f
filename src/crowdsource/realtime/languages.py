"""One render per language present: a message the same for many sockets is rendered in each
language some of them speak, once, and framed once per language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from crowdsource.i18n.current import speaking
from crowdsource.realtime.frames import Frame


class PerLanguage:
    """`render()` said in each language asked for, the first time it is asked for;
    `renders[kind]` counts them."""

    def __init__(
        self, render: Callable[[], str], renders: Counter[str] | None = None, kind: str = ""
    ) -> None:
        self._render = render
        self._renders = renders
        self._kind = kind
        self._frames: dict[str, Frame] = {}

    def frame(self, language: str) -> Frame:
        frame = self._frames.get(language)
        if frame is None:
            with speaking(language):
                frame = self._frames[language] = Frame(self._render())
            if self._renders is not None:
                self._renders[self._kind] += 1
        return frame
