"""What every OAuth sign-in provider shares: the failure a person sees, and the shape of a
provider the routes can drive without knowing which one it is."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import httpx2
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import Response

from crowdsource.domain.accounts import ProviderProfile
from crowdsource.domain.person_message import PersonMessage
from crowdsource.i18n.current import Text

HTTP_TIMEOUT_SECONDS = 10.0
log = logging.getLogger("crowdsource.sign_in")


class SignInFailed(PersonMessage):
    """A sign-in that cannot finish; `message` (a `Text`) is written for the person, as is."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


def nonsense(label: str) -> SignInFailed:
    # Translators: provider is the name of a sign-in service, such as GitHub
    return SignInFailed(
        Text("%(provider)s's answer made no sense to us. Please try again.", provider=label)
    )


class Provider(Protocol):
    name: str
    label: str

    async def authorize_redirect(self, request: Request, redirect_uri: str) -> Response:
        """The redirect to the provider's consent page; the OAuth state goes in the session."""
        ...

    async def profile(self, request: Request) -> ProviderProfile:
        """The signed-in person, from the callback request; raises SignInFailed."""
        ...


def client_kwargs(transport: httpx2.AsyncBaseTransport | None) -> dict[str, Any]:
    """Options for authlib's OAuth 2 client: PKCE with S256 (authlib keeps the verifier in
    the session's sign-in state and sends it with the code, so a code that leaked through a
    log or a Referer is worth nothing elsewhere); a timeout always, a transport in tests."""
    options: dict[str, Any] = {"code_challenge_method": "S256", "timeout": HTTP_TIMEOUT_SECONDS}
    if transport is not None:
        options["transport"] = transport
    return options


def check_callback(request: Request, label: str) -> None:
    """Refuse a callback that carries neither a code nor an error before any network call."""
    params = request.query_params
    if params.get("error") == "access_denied":
        raise SignInFailed(
            Text(
                "You chose not to let Crowdsource see your %(provider)s account. "
                "Nothing was shared.",
                provider=label,
            ),
            status_code=403,
        )
    if not params.get("error") and not params.get("code"):
        raise SignInFailed(
            Text("%(provider)s sent you back without a sign-in code.", provider=label)
        )


@contextmanager
def explained(label: str) -> Iterator[None]:
    """Turn what the OAuth exchange raises into a SignInFailed a person understands; the log
    keeps the technical reason for whoever runs the site. Other errors propagate (a 500)."""
    try:
        yield
    except Exception as error:
        failed = for_person(error, label)
        if failed is None:
            raise
        log.warning("sign-in with %s failed: %r", label, error)
        raise failed from None


def for_person(error: Exception, label: str) -> SignInFailed | None:
    """The message for a failure of the provider or of the browser's round trip, or None."""
    if isinstance(error, SignInFailed):
        return error
    if isinstance(error, MismatchingStateError):
        return SignInFailed(
            Text(
                "This sign-in link has already been used, has expired, or was started in "
                "another browser. Start again from here."
            )
        )
    if isinstance(error, OAuthError):
        # Translators: error is the provider's code for the refusal, such as access_denied
        return SignInFailed(
            Text(
                "%(provider)s refused the sign-in (%(error)s). Please try again.",
                provider=label,
                error=error.error,
            )
        )
    if isinstance(error, httpx2.TimeoutException):
        return SignInFailed(
            Text("%(provider)s did not answer in time. Please try again.", provider=label)
        )
    if isinstance(error, httpx2.HTTPStatusError):
        return SignInFailed(
            Text(
                "%(provider)s answered with an error (HTTP %(status)s). "
                "Please try again in a moment.",
                provider=label,
                status=error.response.status_code,
            )
        )
    if isinstance(error, httpx2.HTTPError):
        return SignInFailed(
            Text("We could not reach %(provider)s. Please try again in a moment.", provider=label)
        )
    if isinstance(error, ValueError | TypeError | KeyError | JoseError | RuntimeError):
        # Not JSON, the wrong shapes, an ID token that does not verify, or a discovery
        # document without the endpoints authlib needs.
        return nonsense(label)
    return None


def json_object(response: httpx2.Response, label: str) -> dict[str, Any]:
    """The JSON object of a successful API response, or SignInFailed."""
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise nonsense(label)
    return data


def check_access_token(token: object, label: str) -> None:
    """A token response without an access token is garbage, whatever else it says."""
    if not isinstance(token, dict) or not isinstance(token.get("access_token"), str):
        raise nonsense(label)
