"""Full state for one socket: on connect, on resync, and when its audience changes.

What every viewer of one audience shares is rendered once per snapshot (cached on it); so is
a signed-in viewer's vote form, per response already chosen, with a slot that each socket's
copy fills with its own CSRF token. Only the owner's panel is rendered per socket."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable

from crowdsource.domain import clock
from crowdsource.domain.visibility import Audience
from crowdsource.i18n.current import speaking
from crowdsource.realtime.fragments import Fragments, ViewerContext
from crowdsource.realtime.snapshot import Snapshot
from crowdsource.realtime.stages import TOKEN_SLOT
from crowdsource.realtime.viewers import Subscriber


class FullStates:
    """`watching(poll_id)` is presence's count, so a new socket sees it at once."""

    def __init__(
        self, fragments: Fragments, renders: Counter[str], watching: Callable[[int], int]
    ) -> None:
        self.fragments = fragments
        self.renders = renders
        self.watching = watching

    def render(self, subscriber: Subscriber, snapshot: Snapshot | None) -> str:
        """Synchronous on purpose: the hub's writer calls it just before sending, so no
        delta can slip in between. No snapshot: the poll is gone. In the socket's language."""
        with speaking(subscriber.viewer.language):
            return self._render(subscriber, snapshot)

    def _render(self, subscriber: Subscriber, snapshot: Snapshot | None) -> str:
        if snapshot is None:
            return self.fragments.gone()
        if subscriber.viewer.expired(clock.now()):  # rendered as a signed-out visitor's
            subscriber.end_session()
        was, subscriber.signed_out_from = subscriber.signed_out_from, None
        viewer = subscriber.viewer
        audience = viewer.audience(snapshot)
        subscriber.variant = audience.variant
        shared = snapshot.cached(
            ("shared", viewer.surface, audience.variant),
            lambda: self._shared_state(snapshot, audience, viewer.surface),
        )
        owner_left = was is not None and was.owns_page(snapshot)
        return (
            shared
            + self._personal_state(snapshot, subscriber)
            + (self.fragments.owner_area_gone() if owner_left else "")
            + self.fragments.presence(self.watching(viewer.poll_id))
        )

    def _shared_state(self, snapshot: Snapshot, audience: Audience, surface: str) -> str:
        self.renders["full"] += 1
        return self.fragments.shared_state(snapshot.tally, audience, surface)

    def _personal_state(self, snapshot: Snapshot, subscriber: Subscriber) -> str:
        viewer = subscriber.viewer
        if viewer.user is None:  # every signed-out viewer sees the same "sign in to vote"
            return snapshot.cached(
                ("signed out", viewer.surface),
                lambda: self.fragments.personal_state(snapshot.tally, None, viewer.surface),
            )
        my_choice = snapshot.tally.choice_of(viewer.user_id)
        if not viewer.owns_page(snapshot):
            # As a room's vote panel: one render per state of the poll and response already
            # chosen; only the form's CSRF token differs, and it goes into its slot.
            shared = snapshot.cached(
                ("signed in", viewer.surface, str(my_choice)),
                lambda: self._signed_in_panel(snapshot, viewer.surface, my_choice),
            )
            return shared.replace(TOKEN_SLOT, html.escape(viewer.csrf_token))
        self.renders["personal"] += 1
        context = ViewerContext(
            me=viewer.user,
            csrf_token=viewer.csrf_token,
            my_choice=my_choice,
            share_url=viewer.share_url,
            # The page just rendered the panel (maybe with a status line): only changes
            # after connecting replace it.
            is_owner=viewer.owns_page(snapshot) and subscriber.client.sent_messages > 0,
        )
        return self.fragments.personal_state(snapshot.tally, context, viewer.surface)

    def _signed_in_panel(self, snapshot: Snapshot, surface: str, my_choice: int | None) -> str:
        self.renders["personal"] += 1
        context = ViewerContext(me=True, csrf_token=TOKEN_SLOT, my_choice=my_choice)
        return self.fragments.personal_state(snapshot.tally, context, surface)
