"""Signed, expiring image URLs: what an <img> tag loads, since it cannot send a bearer token."""

from __future__ import annotations

import functools
import uuid

from layerminder.security.crypto import image_signature, image_url_expiry

SIGNED_URL_SECONDS = 6 * 3600


def image_url(image_id: uuid.UUID, secret: str) -> str:
    return _signed_url(image_id, secret, image_url_expiry(SIGNED_URL_SECONDS))


@functools.lru_cache(maxsize=32768)
def _signed_url(image_id: uuid.UUID, secret: str, expires: int) -> str:
    # Whole URLs, cached for the window: a history page asks for the same ~400 on every load,
    # and formatting them (the id as text, the signature) cost ~2 ms of a 50-record page.
    return f"/api/v1/images/{image_id}?sig={image_signature(image_id, secret, expires)}"
