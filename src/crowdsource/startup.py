"""What `crowdsource serve` checks and says before it starts: can it listen, what a person
should open, how people sign in, which database it uses, and what looks misconfigured."""

from __future__ import annotations

import errno
import socket
from urllib.parse import urlsplit

from crowdsource import __version__, file_modes
from crowdsource.domain.service_urls import masked_url
from crowdsource.settings import Settings

# Addresses that mean "every network": no browser is at them.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::"})  # noqa: S104


def listen_problem(host: str, port: int) -> str | None:
    """Why uvicorn could not listen on host:port, in one line that says what to do; None
    when it can. (A probe bind, like the server's own: SO_REUSEADDR.)"""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as error:
        return (
            f"cannot listen on --host {host} ({error.strerror}): use an address of this "
            "machine, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
        )
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"{host}:{port} is already in use; choose another --port."
            if error.errno == errno.EACCES:
                return f"{host}:{port} needs privileges this user lacks; choose --port 8000."
            if error.errno == errno.EADDRNOTAVAIL:
                return (
                    f"{host} is not an address of this machine; use --host 127.0.0.1 (this "
                    "machine only) or 0.0.0.0 (every network)."
                )
            return f"cannot listen on {host}:{port}: {error.strerror}"
    return None


def sign_in_methods(settings: Settings) -> list[str]:
    methods = []
    if settings.github_enabled:
        github = "GitHub"
        if settings.github_url != "https://github.com":
            github += f" ({settings.github_url})"
        methods.append(github)
    if settings.oidc_enabled:
        methods.append(f"{settings.oidc_name} (OpenID Connect)")
    if settings.guest_sign_in:
        methods.append("guests with a display name")
    return methods


def banner(settings: Settings, workers: int) -> list[str]:
    """The lines printed once the checks passed: where to go, and what it runs on."""
    lines = [
        f"Crowdsource {__version__}: open {settings.public_url} in a browser. Ctrl+C stops it.",
        f"  sign-in   {', '.join(sign_in_methods(settings)) or 'nobody (see the warning)'}",
        f"  database  {masked_url(settings.database_url)}",
    ]
    if settings.redis_url:
        lines.append(f"  Redis     {masked_url(settings.redis_url)} ({workers} worker processes)")
    return lines


def warnings(settings: Settings) -> list[str]:
    """Configurations that start but will surprise someone."""
    found = []
    public = urlsplit(settings.public_url)
    if public.hostname in WILDCARD_HOSTS:
        found.append(
            f"PUBLIC_URL is {settings.public_url} (from --host when unset): share links will "
            "point there, and pages opened at any other address get no live updates. Set "
            "PUBLIC_URL to the address people type, e.g. "
            f"PUBLIC_URL=http://my-laptop.local:{public.port or 80}"
        )
    halves = {
        "GitHub sign-in": {
            "GITHUB_CLIENT_ID": settings.github_client_id,
            "GITHUB_CLIENT_SECRET": settings.github_client_secret,
        },
        f"{settings.oidc_name} sign-in": {
            "OIDC_DISCOVERY_URL": settings.oidc_discovery_url,
            "OIDC_CLIENT_ID": settings.oidc_client_id,
            "OIDC_CLIENT_SECRET": settings.oidc_client_secret,
        },
    }
    for method, variables in halves.items():
        missing = [name for name, value in variables.items() if not value]
        if missing and len(missing) < len(variables):
            found.append(f"{method} is off: {', '.join(missing)} not set")
    if not settings.provider_sign_in and not settings.guest_sign_in:
        found.append(
            "nobody can sign in: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, or GUEST_SIGN_IN=on"
        )
    return found + file_modes.warnings(settings)
