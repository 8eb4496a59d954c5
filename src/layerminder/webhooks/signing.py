"""The `LayerMinder-Signature` header: Stripe's scheme, `t=<unix>,v1=<hex HMAC-SHA256>`.

The MAC covers `"<t>.<body>"`, so a receiver that checks it (and that `t` is recent) knows the
body came from us and is not a replay of an old delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "LayerMinder-Signature"
SECRET_MARKER = "whsec_"


def new_secret() -> str:
    return f"{SECRET_MARKER}{secrets.token_urlsafe(32)}"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"
