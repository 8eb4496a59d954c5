"""Signed image URLs: one HMAC per image and window; URLs signed as JWTs before still work."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import jwt

from layerminder.security import crypto
from layerminder.security.crypto import image_signature, image_url_expiry, read_image_signature

SECRET = "s" * 40


def test_hmac_signatures_verify_for_their_image_only() -> None:
    image, other = uuid.uuid4(), uuid.uuid4()
    signature = image_signature(image, SECRET, image_url_expiry(3600))
    assert signature.startswith("h1.") and len(signature) < 80
    # The same for the whole window.
    assert image_signature(image, SECRET, image_url_expiry(3600)) == signature
    assert read_image_signature(signature, image, SECRET)
    assert not read_image_signature(signature, other, SECRET)
    assert not read_image_signature(signature, image, "t" * 40)
    assert not read_image_signature(signature[:-2] + "AA", image, SECRET)
    expires = int(signature.split(".")[1])
    assert not read_image_signature(
        signature.replace(str(expires), str(expires + 1)), image, SECRET
    )
    assert not read_image_signature("h1.x.y", image, SECRET)
    assert not read_image_signature("h1." + "9" * 40 + ".y", image, SECRET)


def test_expired_signatures_are_refused() -> None:
    image = uuid.uuid4()
    past = int(datetime.now(UTC).timestamp()) - 10
    assert not read_image_signature(crypto.image_signature(image, SECRET, past), image, SECRET)


def test_urls_signed_as_jwts_before_keep_working_until_they_expire() -> None:
    image = uuid.uuid4()
    now = int(datetime.now(UTC).timestamp())
    old = jwt.encode({"sub": str(image), "typ": "image", "exp": now + 600}, SECRET, "HS256")
    assert read_image_signature(old, image, SECRET)
    assert not read_image_signature(old, uuid.uuid4(), SECRET)
    expired = jwt.encode({"sub": str(image), "typ": "image", "exp": now - 600}, SECRET, "HS256")
    assert not read_image_signature(expired, image, SECRET)
