"""What every OAuth sign-in provider shares: the failure a person sees, and the shape of a
provider the routes can drive without knowing which one it is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import httpx2
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from starlette.requests import Request
from starlette.responses import Response

from crowdsource.accounts import ProviderProfile

HTTP_TIMEOUT_SECONDS = 10.0


class SignInFailed(Exception):
    """A sign-in that cannot finish; `message` is written for the person, as is."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


def nonsense(label: str) -> SignInFailed:
    return SignInFailed(f"{label}'s answer made no sense to us. Please try again.")


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
    """httpx2 options for authlib's client: a timeout always, a transport in tests."""
    options: dict[str, Any] = {"timeout": HTTP_TIMEOUT_SECONDS}
    if transport is not None:
        options["transport"] = transport
    return options


def check_callback(request: Request, label: str) -> None:
    """Refuse a callback that carries neither a code nor an error before any network call."""
    params = request.query_params
    if params.get("error") == "access_denied":
        raise SignInFailed(
            f"You chose not to let Crowdsource see your {label} account. Nothing was shared.",
            status_code=403,
        )
    if not params.get("error") and not params.get("code"):
        raise SignInFailed(f"{label} sent you back without a sign-in code.")


@contextmanager
def explained(label: str) -> Iterator[None]:
    """Turn whatever the OAuth exchange raises into a SignInFailed a person understands."""
    try:
        yield
    except SignInFailed:
        raise
    except MismatchingStateError:
        raise SignInFailed(
            "This sign-in link has already been used, has expired, or was started in another "
            "browser. Start again from here."
        ) from None
    except OAuthError as error:
        raise SignInFailed(
            f"{label} refused the sign-in ({error.error}). Please try again."
        ) from None
    except httpx2.TimeoutException:
        raise SignInFailed(f"{label} did not answer in time. Please try again.") from None
    except httpx2.HTTPStatusError as error:
        raise SignInFailed(
            f"{label} answered with an error (HTTP {error.response.status_code}). "
            "Please try again in a moment."
        ) from None
    except httpx2.HTTPError:
        raise SignInFailed(f"We could not reach {label}. Please try again in a moment.") from None
    except (ValueError, TypeError, KeyError):
        raise nonsense(label) from None


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
