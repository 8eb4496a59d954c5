"""Objects in an S3-compatible bucket (AWS S3, MinIO, R2, Supabase Storage) via boto3 in threads."""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from tenacity import (
    AsyncRetrying,
    before_sleep_log,
    retry_if_exception,
    stop_after_delay,
    wait_exponential,
    wait_random,
)

from layerminder.storage.base import ObjectMissing

if TYPE_CHECKING:
    from layerminder.config import Settings

T = TypeVar("T")
logger = logging.getLogger(__name__)
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}
# What a store says when it is busy or briefly down, rather than that the request is wrong.
_TRANSIENT_CODES = {
    "SlowDown",
    "ServiceUnavailable",
    "InternalError",
    "RequestTimeout",
    "RequestTimeoutException",
    "Throttling",
    "ThrottlingException",
    "503",
    "500",
    "502",
    "504",
}
_TRANSIENT_ERRORS = (
    EndpointConnectionError,
    ConnectionClosedError,
    ConnectTimeoutError,
    ReadTimeoutError,
)


def transient(exc: BaseException) -> bool:
    """A fault of the store that passes (busy, restarting, unreachable for a moment): retried."""
    if isinstance(exc, _TRANSIENT_ERRORS):
        return True
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return _error_code(exc) in _TRANSIENT_CODES or int(status or 0) >= 500
    return False


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` → ("bucket", "some/prefix/"); the prefix may be empty."""
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"expected s3://bucket/prefix, got {url!r}")
    prefix = parsed.path.strip("/")
    return parsed.netloc, f"{prefix}/" if prefix else ""


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class S3Storage:
    name = "s3"

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        public_endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        max_connections: int = 32,
        retry_seconds: float = 60.0,
    ) -> None:
        self.bucket = bucket
        # How long a busy or unreachable store is waited for before an operation fails: a
        # record's stage rides out a burst of 503 SlowDown or a store restarting.
        self.retry_seconds = retry_seconds
        self.prefix = prefix
        self.endpoint_url = endpoint_url
        # boto3 clients are thread-safe; one per process, shared by the thread pool. Path-style
        # addressing because MinIO and most S3-compatible stores expect it.
        session = boto3.session.Session()

        def client(endpoint: str | None, attempts: int) -> Any:
            config = Config(
                max_pool_connections=max_connections,
                retries={"max_attempts": attempts, "mode": "standard"},
                s3={"addressing_style": "path"},
                connect_timeout=5,
                read_timeout=60,
            )
            return session.client(
                "s3",
                endpoint_url=endpoint,
                region_name=region,
                aws_access_key_id=access_key_id,
                aws_secret_access_key=secret_access_key,
                config=config,
            )

        # One quick retry inside each attempt; the waiting for a store that stays busy is
        # `_call`'s, bounded by `retry_seconds` (boto3's own backoff would add up to 14 s).
        self._client: Any = client(endpoint_url, attempts=2)
        # A health check says how the store is now: one attempt each, not boto3's backoff (which
        # sleeps up to 2 + 4 + 8 s on a 503 before giving up).
        self._prober: Any = client(endpoint_url, attempts=1)
        # A signature covers the host, so URLs for browsers are signed by a client of the public
        # endpoint; that client only signs, it never sends a request.
        self._signer: Any = (
            client(public_endpoint_url, attempts=1) if public_endpoint_url else self._client
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Storage:
        bucket, prefix = parse_s3_url(settings.storage_url)
        secret = settings.s3_secret_access_key
        return cls(
            bucket,
            prefix,
            endpoint_url=settings.s3_endpoint_url,
            public_endpoint_url=settings.s3_public_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret else None,
            retry_seconds=settings.storage_retry_seconds,
        )

    @property
    def location(self) -> str:
        where = f"s3://{self.bucket}/{self.prefix}"
        return f"{where} at {self.endpoint_url}" if self.endpoint_url else where

    async def _call(
        self, method: Callable[..., T], /, *, window: float | None = None, **kwargs: Any
    ) -> T:
        """`method(**kwargs)` in the thread pool (boto3 blocks: never on the event loop), tried
        again with backoff while the store's faults are transient, for up to `window` seconds
        (default: `retry_seconds`)."""
        call = functools.partial(method, **kwargs)
        seconds = self.retry_seconds if window is None else window
        if seconds <= 0:
            return await asyncio.to_thread(call)
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(transient),
            wait=wait_exponential(multiplier=0.2, max=5.0) + wait_random(0, 0.2),
            stop=stop_after_delay(seconds),
            before_sleep=before_sleep_log(logger, logging.WARNING),
            reraise=True,
        ):
            with attempt:
                return await asyncio.to_thread(call)
        raise AssertionError("unreachable: AsyncRetrying reraises")

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self._call(
            self._client.put_object,
            Bucket=self.bucket,
            Key=self.prefix + key,
            Body=data,
            ContentType=content_type,
        )

    def _read(self, key: str) -> bytes:
        response = self._client.get_object(Bucket=self.bucket, Key=self.prefix + key)
        body: bytes = response["Body"].read()
        return body

    async def get(self, key: str) -> bytes:
        try:
            return await self._call(self._read, key=key)
        except ClientError as exc:
            if _error_code(exc) in _MISSING_CODES:
                raise ObjectMissing(key) from exc
            raise

    async def delete(self, key: str) -> None:
        # S3 answers 204 for a missing key too: deleting twice is fine, like the other backends.
        await self._call(self._client.delete_object, Bucket=self.bucket, Key=self.prefix + key)

    async def exists(self, key: str) -> bool:
        try:
            await self._call(self._client.head_object, Bucket=self.bucket, Key=self.prefix + key)
        except ClientError as exc:
            if _error_code(exc) in _MISSING_CODES:
                return False
            raise
        return True

    async def list_keys(self, prefix: str = "") -> list[str]:
        """Every key under `prefix`, across as many 1000-key pages as the bucket returns."""

        def _list() -> list[str]:
            paginator = self._client.get_paginator("list_objects_v2")
            keys: list[str] = []
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
                keys.extend(item["Key"][len(self.prefix) :] for item in page.get("Contents", ()))
            return sorted(keys)

        return await asyncio.to_thread(_list)

    async def check(self) -> None:
        """Write, read back and delete a probe object; say in plain words what failed."""
        probe = f".probe/{uuid.uuid4().hex}"
        try:
            # Not retried: a health check says how the store is now.
            key = self.prefix + probe
            await asyncio.to_thread(
                self._prober.put_object, Bucket=self.bucket, Key=key, Body=b"ok"
            )
            read = await asyncio.to_thread(self._prober.get_object, Bucket=self.bucket, Key=key)
            if await asyncio.to_thread(read["Body"].read) != b"ok":
                raise RuntimeError(f"{self.location} returned different bytes than were written")
            await asyncio.to_thread(self._prober.delete_object, Bucket=self.bucket, Key=key)
        except NoCredentialsError as exc:
            raise RuntimeError(
                f"no S3 credentials for {self.location}: set LAYERMINDER_S3_ACCESS_KEY_ID and "
                "LAYERMINDER_S3_SECRET_ACCESS_KEY"
            ) from exc
        except EndpointConnectionError as exc:
            raise RuntimeError(
                f"cannot reach the S3 endpoint for {self.location}: {exc}. "
                "Check LAYERMINDER_S3_ENDPOINT_URL and that the server is running"
            ) from exc
        except ClientError as exc:
            code = _error_code(exc)
            if code == "NoSuchBucket":
                hint = "the bucket does not exist: create it (or fix LAYERMINDER_STORAGE_URL)"
            elif code in ("AccessDenied", "403", "Forbidden"):
                hint = "access denied: the keys need s3:PutObject, GetObject, DeleteObject"
            elif code in ("InvalidAccessKeyId", "SignatureDoesNotMatch"):
                hint = "the access key or secret is wrong"
            else:
                hint = f"{code or 'error'}: {exc}"
            raise RuntimeError(f"S3 storage {self.location}: {hint}") from exc
        except BotoCoreError as exc:
            raise RuntimeError(f"S3 storage {self.location}: {exc}") from exc

    async def presigned_url(self, key: str, expires_seconds: int) -> str | None:
        # Signing is local computation (no request), but keep boto3 off the loop all the same.
        url: str = await self._call(
            self._signer.generate_presigned_url,
            window=0,
            ClientMethod="get_object",
            Params={"Bucket": self.bucket, "Key": self.prefix + key},
            ExpiresIn=expires_seconds,
        )
        return url
