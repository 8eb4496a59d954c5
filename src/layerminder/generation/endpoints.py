"""Generation route: spend a credit, create a record, start the pipeline."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, status

from layerminder.auth.dependencies import CurrentUser
from layerminder.auth.limits import limit_generate
from layerminder.deps import RuntimeDep, SessionDep
from layerminder.errors import (
    AlreadyFinished,
    InsufficientCredits,
    InvalidMarkup,
    InvalidMask,
    InvalidRequest,
    NotAuthenticated,
    NotFound,
    NothingToRetry,
    RateLimited,
    responses,
)
from layerminder.generation import estimates, service
from layerminder.generation.schemas import (
    MAX_INPUTS,
    CostEstimateOut,
    EstimateKind,
    GenerateIn,
    GenerateOut,
)
from layerminder.records.schemas import RecordOut

router = APIRouter(prefix="/api/v1", tags=["generation"])


@router.post(
    "/generate",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(
        NotAuthenticated,
        InsufficientCredits,
        NotFound,
        InvalidRequest,
        InvalidMask,
        InvalidMarkup,
        RateLimited,
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
    `input_image_ids`), an optional free `keyword` and an optional curated `style`. Or an
    `edit` of one image: a region (`mask_image_id`) or where a markup points
    (`markup_image_id`: a transparent PNG of strokes and notes, the image's size; 422
    `InvalidMarkup` for another size or no stroke, and nothing is spent).

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


@router.get("/generate/estimate", responses=responses(NotAuthenticated))
async def estimate_generation(
    user: CurrentUser,
    runtime: RuntimeDep,
    input_images: Annotated[
        int, Query(ge=1, le=MAX_INPUTS, description="How many references the brief has")
    ] = 1,
    kind: Annotated[
        EstimateKind, Query(description="`designs` (merge references) or `edit` (one image)")
    ] = "designs",
) -> CostEstimateOut:
    """What one brief would cost with the configured providers, with and without live
    previews, before anything is spent: an estimate from list prices; a record's `cost_usd`
    is what its calls really cost."""
    return estimates.estimate(runtime.settings, input_images, kind)


@router.post(
    "/records/{record_id}/cancel",
    tags=["records"],
    responses=responses(NotAuthenticated, NotFound, AlreadyFinished),
)
async def cancel_record(
    record_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> RecordOut:
    """Cancel a waiting or running generation: the stages not yet ended become `cancelled`.

    A waiting record never starts; a running one stops at its next check (about half a second;
    a provider request in flight is abandoned). If no design was delivered the credit comes
    back (`refunded`). Cancelling it again returns the same record; a record that already
    finished is a 409 `AlreadyFinished`.
    """
    record = await service.cancel_generation(session, runtime, user, record_id)
    return await runtime.record_views.one(session, record)


@router.post(
    "/records/{record_id}/retry",
    tags=["records"],
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(
        NotAuthenticated, InsufficientCredits, NotFound, NothingToRetry, RateLimited
    ),
    dependencies=[Depends(limit_generate)],
)
async def retry_record(
    record_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="Repeat a request safely: same key, one retry"),
    ] = None,
) -> RecordOut:
    """Run a failed or cancelled record's `error` and `cancelled` stages again.

    Delivered designs are reused, not re-made. It costs `retry_cost`: what the refund gave
    back when the credit was refunded (402 `InsufficientCredits` if the balance is short),
    else nothing. 409 `NothingToRetry` when no stage failed or was cancelled (or one is still
    running). Follow it on the record's stream as for `/generate`.
    """
    record = await service.retry_generation(
        session, runtime, user, record_id, idempotency_key=idempotency_key
    )
    return await runtime.record_views.one(session, record)
