"""Password hashing (argon2id), access tokens (HS256 JWT) and the signing secret."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from layerminder.config import Environment, Settings

MIN_SECRET_LENGTH = 32
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class WeakSecret(RuntimeError):
    """Production refuses to start without a strong signing secret."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def unusable_password_hash() -> str:
    """A stored hash that no password matches, for accounts nobody logs in as: not an argon2
    string, so `verify_password` refuses it at once. Hashing random bytes instead would cost an
    argon2 run (about 0.2 s of both cores) at the first library import, for nothing."""
    return "!" + secrets.token_hex(16)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def load_signing_secret(settings: Settings) -> str:
    """The configured secret; in development one generated once and kept in the data dir."""
    configured = settings.jwt_secret.get_secret_value() if settings.jwt_secret else ""
    if settings.env is Environment.production:
        if len(configured) < MIN_SECRET_LENGTH:
            raise WeakSecret(
                f"LAYERMINDER_JWT_SECRET must be set to at least {MIN_SECRET_LENGTH} characters "
                "in production (generate one with: python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')"
            )
        return configured
    if configured:
        return configured
    return _secret_from_file(settings.secret_file)


def _secret_from_file(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # O_EXCL: two processes starting at once must not both write (and disagree on) the secret.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


def create_access_token(
    user_id: uuid.UUID, secret: str, expire_minutes: int, version: int = 0
) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "ver": version,
        "iat": now,
        "exp": now + timedelta(minutes=expire_minutes),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


# Login tokens that verified, by (token, secret): (user id, token version, expiry). PyJWT spends
# ~0.2 ms on every decode (it checks each time that the HMAC secret is not a PEM, DER or JWK key),
# on every authenticated request; the same bytes under the same secret verify the same way, so a
# token is verified once and afterwards only its expiry is checked. Failures are not kept (a
# token not valid yet may become valid). Bounded: emptied when full.
_verified_logins: dict[tuple[str, str], tuple[uuid.UUID, int, float]] = {}
_MAX_VERIFIED_LOGINS = 4096


def read_access_token(token: str, secret: str) -> tuple[uuid.UUID, int] | None:
    """(user id, token version) of a valid login token; None for anything else."""
    known = _verified_logins.get((token, secret))
    if known is not None:
        user_id, version, expires = known
        # PyJWT's own rule: expired once `exp` is not in the future.
        return (user_id, version) if datetime.now(UTC).timestamp() < expires else None
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp"]})
        if claims.get("typ") is not None:
            return None  # a signed image URL or a stream ticket is not a login
        user_id, version = uuid.UUID(claims["sub"]), int(claims.get("ver", 0))
        expires = float(claims["exp"])
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None
    if len(_verified_logins) >= _MAX_VERIFIED_LOGINS:
        _verified_logins.clear()
    _verified_logins[(token, secret)] = (user_id, version, expires)
    return user_id, version


def create_stream_ticket(
    user_id: uuid.UUID, record_id: uuid.UUID, secret: str, expires_seconds: int, version: int = 0
) -> str:
    """A short-lived credential for one record's stream, for URLs (EventSource sends no headers).

    It names the record, so a leaked ticket opens nothing else, and it expires in seconds, so a
    leaked log line is stale before anyone reads it.
    """
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "rec": str(record_id),
        "ver": version,
        "typ": "stream",
        "iat": now,
        "exp": now + timedelta(seconds=expires_seconds),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def read_stream_ticket(
    ticket: str, record_id: uuid.UUID, secret: str
) -> tuple[uuid.UUID, int] | None:
    """(user id, token version) of a ticket valid for this record; otherwise None."""
    try:
        claims = jwt.decode(ticket, secret, algorithms=["HS256"], options={"require": ["exp"]})
        if claims.get("typ") != "stream" or claims.get("rec") != str(record_id):
            return None
        return uuid.UUID(claims["sub"]), int(claims.get("ver", 0))
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None


# Image URL signatures: `h1.<expiry>.<HMAC-SHA256 of the image id and expiry>`. A page of 50
# records carries ~350 image URLs; one HMAC each (cached for the window, so a page asks again
# for the same strings) instead of a JWT each took the page's signing from ~10 ms to well under 1.
_IMAGE_SIGNATURE = "h1"


@functools.lru_cache(maxsize=32768)
def image_signature(image_id: uuid.UUID, secret: str, expires: int) -> str:
    message = f"image:{image_id}:{expires}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    mac = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return f"{_IMAGE_SIGNATURE}.{expires}.{mac}"


def image_url_expiry(expires_seconds: int) -> int:
    """Valid for `expires_seconds` to twice that: the expiry is rounded up to a window edge, so
    the same image gets the same URL for a while and browsers can cache it."""
    return (int(time.time()) // expires_seconds + 2) * expires_seconds


def read_image_signature(signature: str, image_id: uuid.UUID, secret: str) -> bool:
    if signature.startswith(f"{_IMAGE_SIGNATURE}."):
        _, _, rest = signature.partition(".")
        expires_text, _, _ = rest.partition(".")
        if not expires_text.isdigit() or len(expires_text) > 12:
            return False
        expires = int(expires_text)
        if expires < datetime.now(UTC).timestamp():
            return False
        return hmac.compare_digest(signature, image_signature(image_id, secret, expires))
    # URLs signed before HMAC signatures (a JWT each) stay good until they expire: a page or a
    # browser cache may still hold them.
    try:
        claims = jwt.decode(signature, secret, algorithms=["HS256"], options={"require": ["exp"]})
    except jwt.PyJWTError:
        return False
    return claims.get("typ") == "image" and claims.get("sub") == str(image_id)
