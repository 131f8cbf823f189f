"""create_app(settings) -> Starlette: routes, middleware, lifespan."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from tortoise.contrib.starlette import RegisterTortoise

from crowdsource.auth.backend import TokenCookieBackend
from crowdsource.auth.github import GitHubProvider
from crowdsource.auth.keys import ballot_key, session_key
from crowdsource.auth.oidc import OidcProvider
from crowdsource.auth.providers import Provider
from crowdsource.auth.session import session_cookie_name
from crowdsource.domain import db, secret_ballots
from crowdsource.domain.closing import CloseScheduler
from crowdsource.domain.polls import PollCommands
from crowdsource.domain.room_queries import RoomNotFound
from crowdsource.domain.rooms import RoomCommands
from crowdsource.domain.sessions import SessionCommands
from crowdsource.realtime.broker import make_broker, start_broker
from crowdsource.realtime.fragments import Fragments
from crowdsource.realtime.hub import Hub
from crowdsource.realtime.publisher import Publisher
from crowdsource.settings import Settings
from crowdsource.web import errors
from crowdsource.web.metrics import Metrics
from crowdsource.web.middleware.access_log import AccessLog
from crowdsource.web.middleware.forwarded import ForwardedMiddleware
from crowdsource.web.middleware.language import LanguageMiddleware
from crowdsource.web.middleware.outage import DatabaseOutageMiddleware
from crowdsource.web.middleware.request_limits import RequestLimitsMiddleware
from crowdsource.web.middleware.security_headers import SecurityHeadersMiddleware
from crowdsource.web.middleware.sessions import SessionMiddleware
from crowdsource.web.ratelimit import Limits
from crowdsource.web.routes import all_routes
from crowdsource.web.shared_sockets import counting_sockets, socket_limiter
from crowdsource.web.tally_cache import ForgettingAnnouncer, TallyCache
from crowdsource.web.templating import fragment_renderer


def sign_in_providers(
    settings: Settings, transport: httpx2.AsyncBaseTransport | None = None
) -> dict[str, Provider]:
    """The OAuth providers this deployment is configured for, by their name in the URLs."""
    providers: dict[str, Provider] = {}
    if settings.github_enabled:
        providers["github"] = GitHubProvider(settings, transport)
    if settings.oidc_enabled:
        providers["oidc"] = OidcProvider(settings, transport)
    return providers


def create_app(
    settings: Settings,
    *,
    apply_migrations: bool = True,
    http_transport: httpx2.AsyncBaseTransport | None = None,
) -> Starlette:
    """`http_transport` replaces the network for calls to sign-in providers (tests)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if apply_migrations:
            await db.migrate(settings.database_url)
        tortoise = RegisterTortoise(app, config=db.tortoise_config(settings.database_url))
        publisher = app.state.publisher
        broker = app.state.broker
        # The broker resyncs exactly after a reconnect: counting resyncs counts reconnects.
        tallies = app.state.tallies

        async def resync_all() -> None:  # changes may have been missed: tallies too
            tallies.forget_all()
            await publisher.resync_all()

        resync = app.state.metrics.reconnected(resync_all)
        async with (
            tortoise,
            start_broker(
                broker,
                tallies.heard(publisher.on_change),
                resync,
                publisher.sessions_ended,
                publisher.on_room_change,
                tallies.heard(publisher.on_votes_changed),
            ),
            counting_sockets(app.state.limits.sockets),
        ):
            publisher.start()
            try:
                async with app.state.closing:  # closes are armed from the database
                    yield
            finally:
                await publisher.stop()  # sockets close with 1012 before the broker stops

    metrics = Metrics()  # one registry per app, so per process
    middleware = [
        Middleware(AccessLog),  # outermost: it times everything, and sees the final status
        # Before anything reads the client's address: the proxy headers, peer remembered.
        Middleware(ForwardedMiddleware, trusted_hosts=settings.forwarded_allow_ips),
        Middleware(RequestLimitsMiddleware),
        Middleware(
            SecurityHeadersMiddleware,
            embed_origins=settings.embed_allowed_origins,
            https=settings.secure_cookies,
            image_origins=settings.avatar_origins,
        ),
        # Inside the security headers: a `?lang=` response sets a cookie, so it stays private.
        Middleware(
            LanguageMiddleware,
            offered=settings.languages,
            default=settings.default_language,
            secure=settings.secure_cookies,
        ),
        Middleware(DatabaseOutageMiddleware, seen=metrics.database_unavailable),
        Middleware(
            SessionMiddleware,
            secret_key=session_key(settings.secret_key),  # not SECRET_KEY itself: auth/keys.py
            session_cookie=session_cookie_name(settings.secure_cookies),
            same_site="lax",
            https_only=settings.secure_cookies,
            max_age=12 * 3600,
        ),
        Middleware(
            AuthenticationMiddleware,
            backend=TokenCookieBackend(settings.secret_key, settings.public_origin),
        ),
    ]
    app = Starlette(
        routes=all_routes(),
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            HTTPException: errors.http_error,
            errors.SignInRequired: errors.sign_in_required,
            RoomNotFound: errors.unknown_room,
            Exception: errors.server_error,
        },
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.broker = make_broker(settings)
    app.state.publisher = Publisher(
        Hub(),
        Fragments(fragment_renderer(settings)),  # realtime names templates; web renders them
        watching_elsewhere=app.state.broker.watching_elsewhere,
        observer=metrics,
    )
    metrics.watch(app.state.publisher.hub, app.state.publisher.renders, app.state.broker)
    app.state.providers = sign_in_providers(settings, http_transport)
    app.state.limits = Limits.from_settings(settings, refused=metrics.refused)
    # Across processes with REDIS_URL.
    app.state.limits.sockets = socket_limiter(settings, refused=metrics.refused)
    # The broker is the one announcer: commands and scheduled closes tell it after commit,
    # and this process's cached tally of the poll is forgotten first (web/tally_cache.py).
    app.state.tallies = TallyCache()
    announcer = ForgettingAnnouncer(app.state.broker, app.state.tallies)
    app.state.closing = CloseScheduler(announcer, sweep_seconds=settings.close_sweep_seconds)
    secret_ballots.use_key(ballot_key(settings.secret_key))  # nobody-questions' ballots
    app.state.poll_commands = PollCommands(
        announcer, app.state.closing, vote_stored=metrics.vote_stored
    )
    app.state.room_commands = RoomCommands(announcer, app.state.closing, app.state.poll_commands)
    app.state.session_commands = SessionCommands(app.state.broker)
    return app


# The garbage collection policy, in one place (docs/performance.md, "Garbage collection
# over a term"): the start-up heap is frozen, young collections are rare (50,000 objects),
# and nothing that a closed socket leaves behind needs a collection at all. A socket's
# client, subscriber, WebSocket and HTTP protocols form no reference cycle once it has left
# (realtime/hub.py, realtime/client.py, web/socket_protocol.py, web/http_protocol.py; the
# tests with the collector off in tests/realtime/test_freed_sockets.py and
# tests/web/test_freed_connections.py keep it so): reference counting frees them as they
# close, so a soak's memory stays flat without full collections. The fan-out needs the
# large young generation: with CPython's (700, 10, 10) and 3,000 sockets open, full
# collections of 100 ms and more pushed its steady p99 from 108 to 251 ms.
GC_THRESHOLDS = (50_000, 10, 10)


def tune_garbage_collector(app: Starlette | None = None) -> None:
    """Objects alive at start (modules, templates, routes) are frozen out of every
    collection, so a collection walks only what connections and polls made since; young
    collections come every `GC_THRESHOLDS[0]` objects allocated and not yet freed; what
    the older generations hold is collected in quiet moments (realtime/quiet_collections.py)."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    if app is not None:  # the serving process: its publisher collects in quiet moments
        app.state.publisher.collect_when_quiet = True


def app_from_env() -> Starlette:
    """Factory for uvicorn (`crowdsource serve` sets the environment, then calls this)."""
    app = create_app(Settings.load(), apply_migrations=False)
    tune_garbage_collector(app)
    return app
