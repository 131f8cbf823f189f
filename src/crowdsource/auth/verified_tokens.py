"""Tokens whose signature and static claims were verified lately, so a page load and the
socket it opens (or a burst of requests) check one token's signature once.

Only what does not depend on the time is kept: the signature, `alg`, `iss`, `aud`, the
required claims and their types. `iat` and `exp` are checked again on every use against the
caller's clock, an entry is dropped once its `exp` has passed, and revocation (the user's
`token_version`, sign-out) is read from the user row on every request as before
(`auth/backend.py`). A token carrying `nbf` (which PyJWT checks against the wall clock) is
never kept. Entries are keyed by the exact token string, SECRET_KEY and issuer; only
verified tokens are kept, so forged ones cannot fill the cache."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

SIZE = 1024  # far more than the tokens seen within one page load's socket handshake


@dataclass(frozen=True, slots=True)
class Verified:
    """The claims of a token whose signature and static claims were checked."""

    user_id: int
    login: str
    name: str
    avatar: str
    issued_at: int
    expires_at: int
    version: int


class VerifiedTokens:
    """A bounded LRU of verified tokens (see the module's docstring)."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, str, str], Verified] = OrderedDict()

    def get(self, token: str, secret: str, issuer: str, stamp: float) -> Verified | None:
        """The kept claims of `token`, unless unknown or expired at `stamp` (dropped then).
        Each step is one dict operation, so apps on other threads (the test client's) never
        see the LRU half-updated."""
        key = (token, secret, issuer)
        entry = self._entries.pop(key, None)
        if entry is None or entry.expires_at <= stamp:
            return None
        self._entries[key] = entry  # now the most recently used
        return entry

    def keep(self, token: str, secret: str, issuer: str, entry: Verified) -> None:
        key = (token, secret, issuer)
        self._entries.pop(key, None)
        self._entries[key] = entry
        while len(self._entries) > self.size:
            try:
                self._entries.popitem(last=False)
            except KeyError:  # emptied meanwhile by another thread
                break

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
