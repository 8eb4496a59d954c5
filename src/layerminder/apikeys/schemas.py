"""Request and response shapes for API keys."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from layerminder.models import ApiKey
from layerminder.security.apikeys import Scope


class ApiKeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(
        min_length=1,
        description="`read`: GET only; `generate`: reading and writing (uploads, generation)",
    )


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str = Field(description="The key's first characters, to tell keys apart")
    scopes: list[Scope]
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def from_model(cls, key: ApiKey) -> ApiKeyOut:
        return cls.model_validate(key)


class NewApiKeyOut(ApiKeyOut):
    key: str = Field(description="Shown this once: only its hash is kept")
