"""Studio routes: search across the caller's records; mark images as favourites."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from layerminder.auth.dependencies import CurrentUser
from layerminder.deps import RuntimeDep, SessionDep
from layerminder.errors import InvalidRequest, NotAuthenticated, NotFound, responses
from layerminder.images.urls import image_url
from layerminder.studio import service
from layerminder.studio.repository import RecordFilters, RecordState
from layerminder.studio.schemas import FavouriteOut, RecordSearchOut, SimilarHitOut, SimilarOut
from layerminder.studio.similar import SimilarScope, similar

router = APIRouter(prefix="/api/v1", tags=["studio"])


@router.get("/records", responses=responses(NotAuthenticated, InvalidRequest))
async def search_records(
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Words in the title, name, story, material, keywords"),
    ] = None,
    keyword: Annotated[str | None, Query(max_length=40, description="One exact keyword")] = None,
    status: Annotated[RecordState | None, Query(description="ready, error or processing")] = None,
    favourite: Annotated[
        bool | None, Query(description="Only records with (true) or without (false) a favourite")
    ] = None,
    room_id: uuid.UUID | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> RecordSearchOut:
    """Every record in the caller's rooms, newest first, narrowed by full-text words and
    filters; page on with `next_cursor`."""
    filters = RecordFilters(
        q=q, keyword=keyword, state=status, favourite=favourite, room_id=room_id
    )
    return await service.search(session, user, filters, cursor, limit, runtime.record_views)


@router.put("/images/{image_id}/favourite", responses=responses(NotAuthenticated, NotFound))
async def add_favourite(
    image_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> FavouriteOut:
    """Mark a design, upload or library reference as a favourite (idempotent)."""
    return await service.set_favourite(session, user, image_id, favourite=True)


@router.delete("/images/{image_id}/favourite", responses=responses(NotAuthenticated, NotFound))
async def remove_favourite(
    image_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> FavouriteOut:
    return await service.set_favourite(session, user, image_id, favourite=False)


@router.get("/images/{image_id}/similar", responses=responses(NotAuthenticated, NotFound))
async def similar_images(
    image_id: uuid.UUID,
    user: CurrentUser,
    runtime: RuntimeDep,
    scope: SimilarScope = SimilarScope.all,
    k: Annotated[int, Query(ge=1, le=50)] = 12,
    min_score: Annotated[float, Query(ge=-1.0, le=1.0, description="Cosine floor")] = 0.5,
) -> SimilarOut:
    """More like this: the caller's designs (`mine`), library references (`library`) or both,
    nearest the image by the embeddings the recommendation stage stored, best first."""
    hits = await similar(runtime, user, image_id, scope, k, min_score)
    return SimilarOut(
        embedder=runtime.embedder.model_id,
        scope=scope,
        min_score=min_score,
        hits=[
            SimilarHitOut(
                image_id=hit.image_id,
                kind="reference" if hit.reference is not None else "design",
                score=round(hit.score, 4),
                url=image_url(hit.image_id, runtime.secret),
                record_id=hit.record_id,
                reference_id=hit.reference.id if hit.reference is not None else None,
                title=hit.reference.title if hit.reference is not None else None,
                title_ko=hit.reference.title_ko if hit.reference is not None else None,
            )
            for hit in hits
        ],
    )
