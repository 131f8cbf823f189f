"""QR codes of share links, drawn as SVG by segno (no image library needed)."""

from __future__ import annotations

import io

import segno

from crowdsource.i18n.current import _

QUIET_ZONE = 4  # modules of white border, as the QR standard asks


def qr_svg(url: str, *, title: str | None = None) -> str:
    """A scalable SVG (viewBox only) with crisp modules, dark on white for any theme; its
    `<title>` in the request's language."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=1,
        border=QUIET_ZONE,
        xmldecl=False,
        svgns=True,
        title=_("QR code of the poll link") if title is None else title,
        dark="#000",
        light="#fff",
        omitsize=True,
    )
    return buffer.getvalue().decode()
