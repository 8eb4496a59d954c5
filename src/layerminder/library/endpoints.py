"""Library routes: search by text or image; admins add and remove references."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from layerminder.auth.dependencies import AdminUser, CurrentUser, ReadingUser
from layerminder.deps import PageDep, RuntimeDep, SessionDep
from layerminder.errors import (
    AdminRequired,
    ImageTooLarge,
    InvalidImage,
    NotAuthenticated,
    NotFound,
    responses,
)
from layerminder.images.endpoints import read_limited
from layerminder.library import importing, search, service
from layerminder.library.schemas import ImportOut, ReferenceOut, SearchOut
from layerminder.schemas import PageOut

router = APIRouter(prefix="/api/v1/library", tags=["library"])
TopK = Annotated[int, Query(ge=1, le=50, description="How many references to return")]
MinScore = Annotated[
    float | None,
    Query(
        ge=-1.0,
        le=1.0,
        description="Cosine floor for image (and CLIP text) matches; default: "
        "LAYERMINDER_LIBRARY_MIN_SCORE, else the embedder's own (CLIP: 0.20 text, 0.50 image)",
    ),
]


@router.get("/search", responses=responses(NotAuthenticated))
async def search_by_text(
    q: Annotated[str, Query(min_length=1, max_length=300, description="What to look for")],
    user: CurrentUser,
    runtime: RuntimeDep,
    k: TopK = 10,
    min_score: MinScore = None,
) -> SearchOut:
    """Search the library with words: full text over titles, tags and sources on any install,
    ranked together with CLIP's text encoder where a CLIP model is present."""
    result = await search.search_by_text(runtime, q, k, min_score)
    return SearchOut.from_result(result, runtime.embedder.model_id, runtime.secret)


@router.post("/search", responses=responses(NotAuthenticated, ImageTooLarge, InvalidImage))
async def search_by_image(
    file: Annotated[UploadFile, File(description="A JPEG, PNG or WebP image")],
    user: ReadingUser,
    runtime: RuntimeDep,
    k: TopK = 10,
    min_score: MinScore = None,
) -> SearchOut:
    """Search the library with an image."""
    data = await read_limited(file, runtime.settings.max_upload_bytes)
    result = await search.search_by_image(runtime, data, k, min_score)
    return SearchOut.from_result(result, runtime.embedder.model_id, runtime.secret)


@router.get("/references", responses=responses(NotAuthenticated))
async def list_references(
    user: CurrentUser, session: SessionDep, runtime: RuntimeDep, page: PageDep
) -> PageOut[ReferenceOut]:
    rows, total = await service.list_references(session, page.limit, page.offset)
    return PageOut(
        items=[ReferenceOut.from_model(r, i, runtime.secret) for r, i in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/references",
    status_code=status.HTTP_201_CREATED,
    responses=responses(NotAuthenticated, AdminRequired, ImageTooLarge, InvalidImage),
)
async def add_reference(
    file: Annotated[UploadFile, File(description="A JPEG, PNG or WebP image")],
    admin: AdminUser,
    runtime: RuntimeDep,
    title: Annotated[str, Form(max_length=300)] = "",
    source: Annotated[str, Form(max_length=1000)] = "",
    tags: Annotated[str, Form(description="Comma-separated", max_length=1000)] = "",
) -> ImportOut:
    """Add one image to the library (a duplicate by sha256 is reported, not added)."""
    data = await read_limited(file, runtime.settings.max_upload_bytes)
    # Validate first so a bad file is a 4xx here, not a line in `failed`.
    await importing.validate_upload(runtime, data)
    report = await importing.import_references(
        runtime,
        [
            importing.NewReference(
                data=data,
                title=title or (file.filename or ""),
                source=source or f"uploaded by {admin.email}",
                tags=[t.strip().lower() for t in tags.split(",") if t.strip()],
            )
        ],
    )
    return ImportOut(added=report.added, duplicates=report.duplicates, failed=report.failed)


@router.delete(
    "/references/{reference_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(NotAuthenticated, AdminRequired, NotFound),
)
async def remove_reference(
    reference_id: uuid.UUID, admin: AdminUser, runtime: RuntimeDep
) -> Response:
    await service.remove_reference(runtime, reference_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
