"""One key per purpose. The sign-in token is signed with SECRET_KEY itself (integrators
verify it with that key); the session cookie and the CSRF tokens are signed with keys derived
from it, so the key of one purpose never signs for another:

    key = hex(HMAC-SHA256(key=SECRET_KEY, message=label))

with the labels below. The derivation is one-way: a derived key does not give SECRET_KEY
back, so it can forge neither sign-in tokens nor the other purpose's signatures."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

SESSION_LABEL = "crowdsource session"
CSRF_LABEL = "crowdsource csrf"
BALLOT_LABEL = "crowdsource ballot"


@cache
def derived_key(secret: str, label: str) -> str:
    """The key for the purpose `label`, as documented above (and in the README)."""
    return hmac.new(secret.encode(), label.encode(), hashlib.sha256).hexdigest()


def session_key(secret: str) -> str:
    """Signs the `crowdsource_session` cookie (Starlette's SessionMiddleware)."""
    return derived_key(secret, SESSION_LABEL)


def csrf_key(secret: str) -> str:
    """Signs the CSRF tokens of forms."""
    return derived_key(secret, CSRF_LABEL)


def ballot_key(secret: str) -> str:
    """Keys the voter of a `show_voters=nobody` ballot (domain/secret_ballots.py)."""
    return derived_key(secret, BALLOT_LABEL)
