"""GET /metrics: this process's Prometheus metrics, for the machine itself or a scraper that
holds METRICS_TOKEN. Anyone else gets the site's ordinary 404 page, as for a path that does
not exist: the route does not advertise itself to strangers."""

from __future__ import annotations

import hmac
import ipaddress

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from crowdsource.web.metrics import CONTENT_TYPE
from crowdsource.web.urls import route

# A request through a proxy on this machine comes from loopback too; these say it did.
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def from_loopback(request: Request) -> bool:
    """The peer is this machine and no proxy says it forwards someone else's request."""
    try:
        address = ipaddress.ip_address(request.client.host if request.client else "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if not address.is_loopback:
        return False
    proxy_header = request.app.state.settings.client_ip_header
    forwarded = (*FORWARDING_HEADERS, proxy_header) if proxy_header else FORWARDING_HEADERS
    return not any(header in request.headers for header in forwarded)


def holds_token(request: Request, token: str | None) -> bool:
    """`Authorization: Bearer <token>`, compared in constant time."""
    if not token:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


async def metrics(request: Request) -> Response:
    """Async on purpose: the scrape reads the hub on the event loop, never from a thread."""
    token = request.app.state.settings.metrics_token
    if not (from_loopback(request) or holds_token(request, token)):
        raise HTTPException(404)
    return Response(
        request.app.state.metrics.exposition(),
        media_type=CONTENT_TYPE,
        headers={"Cache-Control": "no-store"},
    )


routes = [route("metrics", metrics)]
