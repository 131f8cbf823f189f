"""Cookie -> user, one code path for HTTP requests and WebSocket handshakes."""

from __future__ import annotations

from datetime import datetime

from starlette.authentication import AuthCredentials, AuthenticationBackend, BaseUser
from starlette.requests import HTTPConnection

from crowdsource.auth.tokens import COOKIE_NAME, read_token
from crowdsource.domain import clock
from crowdsource.domain.accounts import user_by_id
from crowdsource.domain.models import User


class SignedInUser(BaseUser):
    def __init__(self, user: User, expires_at: datetime) -> None:
        self.user = user
        self.expires_at = expires_at

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.user.name

    @property
    def identity(self) -> str:
        return str(self.user.id)

    def still_valid(self, now: datetime | None = None) -> bool:
        """Long-lived sockets re-check the token's expiry before each vote."""
        return (now or clock.now()) < self.expires_at

    async def still_signed_in(self) -> bool:
        """Not expired, and not signed out since (in this tab or another)."""
        version = self.user.token_version
        return (
            self.still_valid()
            and await User.filter(id=self.user.id, token_version=version).exists()
        )


class SignedOut(BaseUser):
    user = None

    @property
    def is_authenticated(self) -> bool:
        return False

    @property
    def display_name(self) -> str:
        return ""

    @property
    def identity(self) -> str:
        return ""

    def still_valid(self, now: datetime | None = None) -> bool:
        return False

    async def still_signed_in(self) -> bool:
        return False


class TokenCookieBackend(AuthenticationBackend):
    """A bad, expired or unknown-user token means signed out, never an error."""

    def __init__(self, secret: str, issuer: str) -> None:
        self.secret = secret
        self.issuer = issuer

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
        claims = read_token(conn.cookies.get(COOKIE_NAME), self.secret, self.issuer)
        user = await user_by_id(claims.user_id) if claims else None
        if claims is None or user is None or claims.version != user.token_version:
            return AuthCredentials(), SignedOut()
        return AuthCredentials(["authenticated"]), SignedInUser(user, claims.expires_at)


def current_user(conn: HTTPConnection) -> User | None:
    """The signed-in User of a request or socket, or None."""
    return getattr(conn.user, "user", None)


def session_expiry(conn: HTTPConnection) -> datetime | None:
    """When the token of a request or socket expires; None when signed out."""
    return getattr(conn.user, "expires_at", None)
