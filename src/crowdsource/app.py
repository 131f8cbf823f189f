"""create_app(settings) -> Starlette: routes, middleware, lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.sessions import SessionMiddleware
from tortoise.contrib.starlette import RegisterTortoise

from crowdsource import db, errors
from crowdsource.auth.backend import TokenCookieBackend
from crowdsource.headers import SecurityHeadersMiddleware
from crowdsource.realtime.broker import make_broker
from crowdsource.routes import all_routes
from crowdsource.routes.common import SignInRequired
from crowdsource.settings import Settings

SESSION_COOKIE = "crowdsource_session"


def create_app(settings: Settings, *, apply_migrations: bool = True) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if apply_migrations:
            await db.migrate(settings.database_url)
        async with RegisterTortoise(app, config=db.tortoise_config(settings.database_url)):
            yield

    middleware = [
        Middleware(
            SecurityHeadersMiddleware,
            embed_origins=settings.embed_allowed_origins,
            https=settings.secure_cookies,
        ),
        Middleware(errors.DatabaseOutageMiddleware),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie=SESSION_COOKIE,
            same_site="lax",
            https_only=settings.secure_cookies,
            max_age=12 * 3600,
        ),
        Middleware(AuthenticationMiddleware, backend=TokenCookieBackend(settings.secret_key)),
    ]
    app = Starlette(
        routes=all_routes(),
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            HTTPException: errors.http_error,
            SignInRequired: errors.sign_in_required,
            Exception: errors.server_error,
        },
    )
    app.state.settings = settings
    app.state.changes = make_broker(settings)
    return app


def app_from_env() -> Starlette:
    """Factory for uvicorn (`crowdsource serve` sets the environment, then calls this)."""
    return create_app(Settings.load(), apply_migrations=False)
