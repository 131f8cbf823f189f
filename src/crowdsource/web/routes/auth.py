"""Signing in and out: the login page, guest sign-in, OAuth providers, logout."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from crowdsource.auth.backend import current_user
from crowdsource.auth.providers import Provider, SignInFailed, explained
from crowdsource.auth.session import sign_in_response, sign_out_response
from crowdsource.domain.accounts import SignInRefused, sign_in_guest, sign_in_with_profile
from crowdsource.domain.sessions import SessionCommands
from crowdsource.i18n.current import Text
from crowdsource.web import urls
from crowdsource.web.errors import said
from crowdsource.web.guards import checked_form, client_address, within_limit
from crowdsource.web.guest_limit import TooManyGuests, admit_guest, poll_of
from crowdsource.web.pages import page
from crowdsource.web.urls import initials_avatar, route

NEXT_KEY = "sign_in_next"


async def login_context(next_path: str, name: str = "", error: str | None = None) -> dict:
    """The sign-in page's: where it returns to, and the poll that is, so the page can say
    what the visitor is signing in to vote on."""
    return {"next": next_path, "name": name, "error": error, "poll": await poll_of(next_path)}


async def login(request: Request) -> Response:
    next_path = urls.safe_next(request.query_params.get("next"))
    return page(request, "login.html", await login_context(next_path))


async def login_guest(request: Request) -> Response:
    settings = request.app.state.settings
    if not settings.guest_sign_in:
        raise HTTPException(404, Text("Guest sign-in is turned off here."))
    form = await checked_form(request)
    next_path = urls.safe_next(form.get("next"))
    try:
        name = await admit_guest(request, form.get("name"), next_path)
    except (SignInRefused, TooManyGuests) as refused:
        context = await login_context(next_path, str(form.get("name", ""))[:200], said(refused))
        status = 429 if isinstance(refused, TooManyGuests) else 400
        return page(request, "login.html", context, status_code=status)
    user = await sign_in_guest(name, initials_avatar)
    return sign_in_response(request, user, next_path)


def provider_named(request: Request, name: str) -> Provider:
    provider: Provider | None = request.app.state.providers.get(name)
    if provider is None:
        raise HTTPException(404, Text("This way of signing in is not set up here."))
    return provider


def sign_in_failed(
    request: Request, provider: Provider, failed: SignInFailed, next_path: str
) -> Response:
    """A page that says what went wrong and offers the way back in; no token cookie."""
    context = {
        "provider_label": provider.label,
        "message": failed.message,
        "retry_url": urls.with_next("login_provider", next_path, provider=provider.name),
        "next_after_sign_in": next_path,
    }
    return page(request, "sign_in_failed.html", context, status_code=failed.status_code)


async def provider_start(request: Request, name: str) -> Response:
    """Remember `next` in the signed session, then send the browser to the provider."""
    provider = provider_named(request, name)
    within_limit(request.app.state.limits.sign_ins, client_address(request))
    next_path = urls.safe_next(request.query_params.get("next"))
    request.session[NEXT_KEY] = next_path
    callback = urls.absolute(
        request.app.state.settings.public_url, "provider_callback", provider=name
    )
    try:
        with explained(provider.label):
            return await provider.authorize_redirect(request, callback)
    except SignInFailed as failed:
        return sign_in_failed(request, provider, failed, next_path)


async def provider_callback(request: Request, name: str) -> Response:
    """The provider sends the browser back here: verify, upsert the user, set the cookie."""
    provider = provider_named(request, name)
    next_path = urls.safe_next(request.session.pop(NEXT_KEY, None))
    try:
        profile = await provider.profile(request)
    except SignInFailed as failed:
        return sign_in_failed(request, provider, failed, next_path)
    user = await sign_in_with_profile(profile, initials_avatar)
    return sign_in_response(request, user, next_path)


def provider_routes(name: str) -> list[Route]:
    async def start(request: Request) -> Response:
        return await provider_start(request, name)

    async def callback(request: Request) -> Response:
        return await provider_callback(request, name)

    return [
        route("login_provider", start, provider=name),
        route("provider_callback", callback, provider=name),
    ]


async def logout(request: Request) -> Response:
    """Sign out everywhere, then back to the page the button was on (`next`), else home."""
    form = await checked_form(request)
    user = current_user(request)
    if user is not None:
        sessions: SessionCommands = request.app.state.session_commands
        await sessions.sign_out_everywhere(user)
    back = urls.safe_next(form.get("next"), urls.path("home"))
    return sign_out_response(request, RedirectResponse(back, status_code=303))


routes = [
    route("login", login),
    route("login_guest", login_guest, methods=["POST"]),
    route("logout", logout, methods=["POST"]),
    *provider_routes("github"),
    *provider_routes("oidc"),
]
