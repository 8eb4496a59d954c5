"""Signed, expiring image URLs: what an <img> tag loads, since it cannot send a bearer token."""

from __future__ import annotations

import uuid

from layerminder.security.crypto import sign_image_url

SIGNED_URL_SECONDS = 6 * 3600


def image_url(image_id: uuid.UUID, secret: str) -> str:
    signature = sign_image_url(image_id, secret, SIGNED_URL_SECONDS)
    return f"/api/v1/images/{image_id}?sig={signature}"
