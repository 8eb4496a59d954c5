"""Generation route: spend a credit, create a record, start the pipeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, status

from layerminder.deps import CurrentUser, RuntimeDep, SessionDep, limit_generate
from layerminder.errors import (
    InsufficientCredits,
    InvalidMask,
    InvalidRequest,
    NotAuthenticated,
    NotFound,
    RateLimited,
    responses,
)
from layerminder.generation import service
from layerminder.generation.schemas import GenerateIn, GenerateOut

router = APIRouter(prefix="/api/v1", tags=["generation"])


@router.post(
    "/generate",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(
        NotAuthenticated, InsufficientCredits, NotFound, InvalidRequest, InvalidMask, RateLimited
    ),
    dependencies=[Depends(limit_generate)],
)
async def generate(
    body: GenerateIn,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="Repeat a request safely: same key, same record"),
    ] = None,
) -> GenerateOut:
    """Start a generation: 4 designs, their story and keywords, then recommendations.

    The brief is 1-4 references (`inputs`, each with a role and a strength; or the plain
    `input_image_ids`), an optional free `keyword` and an optional curated `style`.

    Costs one credit, spent atomically with the record; follow it at
    `GET /api/v1/records/{record_id}/stream`.
    """
    record = await service.start_generation(
        session,
        runtime.queue,
        user,
        body,
        storage=runtime.storage,
        cost=runtime.settings.generation_cost,
        idempotency_key=idempotency_key,
    )
    return GenerateOut(record_id=record.id, image_status=record.image_status)
