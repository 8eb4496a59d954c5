"""Log lines with their context (record_id, user_id) as key=value pairs; never secrets."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode

_CONTEXT_KEYS = ("record_id", "user_id", "stage", "job")


class ContextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = " ".join(
            f"{key}={getattr(record, key)}" for key in _CONTEXT_KEYS if hasattr(record, key)
        )
        return f"{line} {context}" if context else line


# Query parameters whose values are credentials: stream tickets, image signatures, presigned
# S3 URLs (X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token), and anything token-like.
_SECRET_PARTS = ("token", "ticket", "sig", "key", "secret", "credential", "password", "code")
REDACTED = "[redacted]"


def redact_query(target: str) -> str:
    """`path?query` with every credential-like parameter's value replaced."""
    path, sep, query = target.partition("?")
    if not sep:
        return target
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs and query:
        return f"{path}?{REDACTED}"  # not a query we can read: keep none of it
    redacted = [
        (name, REDACTED if any(part in name.lower() for part in _SECRET_PARTS) else value)
        for name, value in pairs
    ]
    return f"{path}?{urlencode(redacted, safe='[]')}"


class RedactQueryFilter(logging.Filter):
    """uvicorn's access log writes the full request target; take the credentials out of it."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn.access: (client_addr, method, full_path, http_version, status_code)
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_query(args[2]), *args[3:])
        return True


def redact_access_log() -> None:
    """Install the filter once per process (create_app calls it too: worker processes that
    uvicorn spawns never run configure_logging)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQueryFilter) for f in access.filters):
        access.addFilter(RedactQueryFilter())


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        ContextFormatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    redact_access_log()
    # Chatty at INFO about things an operator never acts on.
    for name in ("faiss.loader", "alembic.runtime.plugins", "alembic.runtime.migration"):
        logging.getLogger(name).setLevel(logging.WARNING)
