"""Connection URLs in messages: never with their secrets, always in one line."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"
# Query keys whose value is a secret in the URLs libpq, asyncpg and redis-py accept:
# `sslpassword` unlocks the client key; `sslkey`, `sslcert` and `passfile` are only paths.
SECRET_PARAMS = frozenset({"pass", "pwd", "passwd", "auth"})
SECRET_PARTS = ("password", "secret", "token")  # password, sslpassword, ssl_password, …


class Unreachable(ConnectionError):
    """A configured service (database, Redis) does not answer; the message says which, in one
    line, with the password masked."""


def is_secret_key(key: str) -> bool:
    """Whether a connection URL's query parameter carries a secret."""
    folded = key.strip().lower()
    return folded in SECRET_PARAMS or any(part in folded for part in SECRET_PARTS)


def masked_url(url: str) -> str:
    """The URL with its password (in the user part or the query) replaced by ***."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}:{MASK}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            [(key, MASK if is_secret_key(key) else value) for key, value in pairs],
            safe="*/:",  # paths (sslkey, passfile) stay readable
        )
    if (netloc, query) == (parts.netloc, parts.query):
        return url  # nothing secret; also keeps `sqlite:///abs/path` intact
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def unreachable(variable: str, url: str, error: BaseException, timeout: float) -> Unreachable:
    """`cannot connect to DATABASE_URL postgres://u:***@h/db: <first line of the reason>`."""
    if isinstance(error, TimeoutError) and not str(error):
        reason = f"no answer within {timeout:g} s"
    else:
        lines = str(error).strip().splitlines()
        reason = lines[0] if lines else type(error).__name__
    return Unreachable(f"cannot connect to {variable} {masked_url(url)}: {reason}")
