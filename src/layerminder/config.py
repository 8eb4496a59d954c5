"""Every setting LayerMinder reads, in one place (env prefix LAYERMINDER_, or a .env file)."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal

from limits import RateLimitItem, parse_many
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    development = "development"
    production = "production"


class SignupMode(StrEnum):
    open = "open"
    invite = "invite"
    closed = "closed"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LAYERMINDER_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    env: Environment = Environment.development
    data_dir: Path = Path("./data")
    # Empty means the embedded default: a SQLite file in the data dir.
    database_url: str = ""
    database_pool_size: int = 10
    database_max_overflow: int = 10
    # How long a generation job waits out a lost database (a restart, a failover, a cut
    # connection) with backoff, resuming where it was, before the record's job gives up.
    database_retry_seconds: float = 60.0
    # Empty means a folder in the data dir; `s3://bucket/prefix` selects S3-compatible storage.
    storage_url: str = ""
    s3_endpoint_url: str | None = None
    # Where browsers reach the same store (presigned URLs are signed for this host), when the
    # servers use an internal address such as http://minio:9000. Empty: the endpoint above.
    s3_public_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    # How long an S3 operation waits out a busy or unreachable store (503 SlowDown, 5xx,
    # timeouts) with backoff before it fails.
    storage_retry_seconds: float = 60.0
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    # Serve image bytes through the API, or redirect to a presigned storage URL (S3 only).
    presigned_image_urls: bool = False
    # Empty means in-process jobs and events; set it to use the Redis queue and pub/sub.
    redis_url: str = ""
    redis_prefix: str = "layerminder"
    worker_concurrency: int = 2

    # Auth. In development the secret is generated on first start and kept in the data dir.
    jwt_secret: SecretStr | None = None
    jwt_expire_minutes: int = 60 * 24 * 7
    signup_credits: int = 50
    generation_cost: int = 1
    # A design's views sheet (front, side, top, three-quarter); refunded when it fails.
    views_cost: int = 1
    # Who may create an account: `open`, `invite` (a code from an admin) or `closed`. Unset:
    # open in development, invite-only in production (free credits must not be farmable).
    signup_mode: SignupMode | None = None

    # Abuse limits (the `limits` notation, `;` between tiers: a later tier is a longer wait).
    # Counted in Redis when LAYERMINDER_REDIS_URL is set (shared by every replica), else in memory.
    rate_limits_enabled: bool = True
    rate_limit_signup: str = "3/minute;10/hour;20/day"
    rate_limit_login_account: str = "5/minute;20/hour;100/day"
    rate_limit_login_address: str = "20/minute;200/hour"
    rate_limit_generate: str = "10/minute;300/day"
    rate_limit_upload: str = "60/minute;2000/day"
    # Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is
    # believed; empty: the TCP peer is the client, whatever headers say.
    trusted_proxies: str = ""

    # Browser-facing headers. CORS stays off unless origins are listed (comma-separated).
    cors_allow_origins: str = ""
    # Strict-Transport-Security is sent in production with this max-age (0: never).
    hsts_max_age_seconds: int = 31_536_000

    # Webhooks. Deliveries to private, loopback and link-local addresses are refused (a
    # webhook must not become a way into the servers' own network) unless this allows them.
    webhook_allow_private_addresses: bool = False
    webhook_timeout_seconds: float = 10.0
    # Retries: the wait doubles from the base up to the cap, for at most the window (a day).
    webhook_retry_base_seconds: float = 30.0
    webhook_retry_max_delay_seconds: float = 3600.0
    webhook_retry_window_seconds: float = 86_400.0
    # How often due retries are handed to the queue.
    webhook_sweep_interval_seconds: float = 10.0
    webhook_max_endpoints: int = 10

    # Uploads.
    # Worker processes for CPU-bound work (layerminder.offload); None: one per CPU, 0: threads.
    cpu_workers: int | None = Field(default=None, ge=0, le=64)
    max_upload_bytes: int = 20 * 1024 * 1024
    max_upload_pixels: int = 40_000_000

    # Providers.
    # "local", "openai", or "package.module:Class" for a provider of your own.
    image_provider: str = "local"
    story_provider: str = "local"
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("LAYERMINDER_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("LAYERMINDER_OPENAI_BASE_URL", "OPENAI_BASE_URL"),
    )
    # Designs: 2.6 Flare (speed); region and markup edits: 2.6 Sunburst (precise edits).
    image_model: str = "gpt-image-2.6-flare"
    edit_model: str = "gpt-image-2.6-sunburst"
    story_model: str = "gpt-6-luna"
    image_quality: str = "low"
    # How much 2.6 plans before it renders (`low`, `medium`, `high`); empty: the model's
    # default (high). Sent only to models that take it.
    image_complexity: Literal["low", "medium", "high"] | None = None
    openai_timeout_seconds: float = 120.0
    openai_max_attempts: int = 4
    openai_max_retry_seconds: float = 60.0
    # Live previews while the designs are made (SSE `preview` events). With OpenAI, each design
    # is its own streamed images.edit call (n=1: the stream does not say which of n images a
    # partial belongs to) with this many partial images (1-3; each costs about 100 extra output
    # tokens, and the references' input tokens are paid per call). 0 turns previews off: one
    # call with n=4, no partials.
    image_previews: int = Field(default=2, ge=0, le=3)
    # With the OpenAI image provider previews cost money (the streamed calls above), so they
    # are a choice: a request's `previews` decides, and this is what a request that does not
    # say gets. False: the one cheaper call. The offline provider's previews are free and on.
    openai_previews: bool = False

    # Recommendations and the reference library.
    embedder: Literal["auto", "clip", "basic"] = "auto"
    # Empty means `<data dir>/models/clip`, where `make clip` and `models export-clip` write it.
    clip_model_dir: Path | None = None
    # auto: the int8 vision model when the export wrote one (`export-clip` does by default), else
    # fp32. int8 agrees with fp32 to a cosine of ~0.99 and is 2-3x faster on CPU (bench/embed.py).
    clip_precision: Literal["auto", "fp32", "int8"] = "auto"
    recommendation_top_k: int = 3
    # Empty: library search uses the embedder's own floors (CLIP 0.20 for words, 0.50 for
    # images; the basic descriptor 0.30) and recommendations keep the top k whatever they score.
    library_min_score: float | None = None
    near_copy_threshold: float = 0.95
    hnsw_threshold: int = 50_000
    seed_library: bool = True

    # Jobs: a job holds its record for this long, renewing the lease every heartbeat while it
    # runs. A lease that lapses (a dead process) lets the recovery sweep hand the record to
    # another worker. Sooner than that, a worker whose queue message came from a worker that
    # stopped beating (see redis_queue) takes the record over from a holder that missed three
    # renewals: a killed worker's job resumes within seconds. A shorter lease would also make
    # the sweep re-run jobs of a process that merely stalls (the in-process queue has no
    # per-record marker).
    job_lease_seconds: float = 60.0
    job_heartbeat_seconds: float = Field(default=2.0, gt=0, le=30)
    # How often a running job looks for its owner's cancel (a cancel takes effect within this).
    job_cancel_poll_seconds: float = Field(default=0.5, gt=0, le=10)
    recovery_interval_seconds: float = 30.0

    # SSE.
    sse_heartbeat_seconds: float = 15.0
    # How long a stream ticket (the URL credential EventSource uses) stays valid.
    stream_ticket_seconds: int = Field(default=60, ge=1, le=60)

    # Where `make run` put the static web build; served at `/` when it exists.
    web_dir: Path = Path("./web/out")

    @field_validator(
        "rate_limit_signup",
        "rate_limit_login_account",
        "rate_limit_login_address",
        "rate_limit_generate",
        "rate_limit_upload",
    )
    @classmethod
    def _valid_limits(cls, value: str) -> str:
        parse_many(value)  # a typo fails at start-up, not on the first request
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_networks(cls, value: str) -> str:
        for part in _split(value):
            ip_network(part, strict=False)
        return value

    def limits_for(self, name: str) -> list[RateLimitItem]:
        """The parsed tiers of `rate_limit_<name>`."""
        value: str = getattr(self, f"rate_limit_{name}")
        return parse_many(value)

    @cached_property
    def trusted_proxy_networks(self) -> list[IPv4Network | IPv6Network]:
        return [ip_network(part, strict=False) for part in _split(self.trusted_proxies)]

    @property
    def job_beat_seconds(self) -> float:
        """How often a running job renews its lease and a worker beats: every heartbeat, and at
        least thrice a lease (a short test lease)."""
        return min(self.job_heartbeat_seconds, self.job_lease_seconds / 3)

    @property
    def cors_origins(self) -> list[str]:
        return _split(self.cors_allow_origins)

    @property
    def hsts_seconds(self) -> int:
        """HSTS only in production: a development server on http://localhost must not pin it."""
        return self.hsts_max_age_seconds if self.env is Environment.production else 0

    @property
    def effective_signup_mode(self) -> SignupMode:
        if self.signup_mode is not None:
            return self.signup_mode
        return SignupMode.invite if self.env is Environment.production else SignupMode.open

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'layerminder.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def storage_dir(self) -> Path:
        return self.data_dir / "storage"

    @property
    def resolved_clip_model_dir(self) -> Path:
        return self.clip_model_dir or self.data_dir / "models" / "clip"

    @property
    def secret_file(self) -> Path:
        return self.data_dir / "jwt_secret"
