"""RFC 7636's S256 code challenge, as the fake providers check it."""

from __future__ import annotations

import base64
import hashlib


def s256(verifier: str) -> str:
    """BASE64URL(SHA256(verifier)) without padding; "" for no verifier."""
    if not verifier:
        return ""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
