"""API key strings: `lm_<key id>_<secret>`, made here, parsed and checked against a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum

KEY_MARKER = "lm_"
PREFIX_LENGTH = 11  # "lm_" and 8 hex digits of the id: enough to tell keys apart


class Scope(StrEnum):
    """What a key may do. `read`: only reading (GET); `generate`: reading, uploading,
    generating and every other change a user can make through the API, except managing the
    account itself (password, sessions, deletion, keys and webhooks need a login)."""

    read = "read"
    generate = "generate"


@dataclass(frozen=True)
class NewKey:
    key_id: uuid.UUID
    key: str  # the only time the key exists in clear
    prefix: str
    secret_hash: str


@dataclass(frozen=True)
class ParsedKey:
    key_id: uuid.UUID
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key() -> NewKey:
    key_id = uuid.uuid4()
    secret = secrets.token_urlsafe(32)
    key = f"{KEY_MARKER}{key_id.hex}_{secret}"
    return NewKey(key_id, key, key[:PREFIX_LENGTH], hash_secret(secret))


def is_api_key(token: str) -> bool:
    return token.startswith(KEY_MARKER)


def parse_key(token: str) -> ParsedKey | None:
    """The key's id (its row) and secret; None when the string is not shaped like a key."""
    body = token[len(KEY_MARKER) :]
    key_hex, _, secret = body.partition("_")
    if not secret:
        return None
    try:
        return ParsedKey(uuid.UUID(hex=key_hex), secret)
    except ValueError:
        return None


def secret_matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), secret_hash)
