"""Reading records: ownership, and the full client view (designs, story, recommendations)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.auth.security import create_stream_ticket
from layerminder.credits.repository import CreditRepository
from layerminder.errors import NotFound
from layerminder.images.service import image_url
from layerminder.models import Record, User
from layerminder.records.checks import dimension_checks
from layerminder.records.repository import RecordRepository
from layerminder.records.schemas import (
    CheckOut,
    DesignOut,
    DimensionsOut,
    RecommendationOut,
    RecordOut,
    StreamTicketOut,
)


async def get_owned(session: AsyncSession, record_id: uuid.UUID, user: User) -> Record:
    record = await RecordRepository(session).get(record_id)
    if record is None or record.owner_id != user.id:
        raise NotFound(f"no record {record_id}")
    return record


async def to_out(session: AsyncSession, records: Sequence[Record], secret: str) -> list[RecordOut]:
    """Serialise records with their designs and recommendations in three queries in all."""
    repository = RecordRepository(session)
    ids = [r.id for r in records]
    designs = await repository.designs(ids)
    recommendations = await repository.recommendations(ids)
    refunded = await CreditRepository(session).refunded_records(ids)
    result = []
    for record in records:
        design_outs = [
            DesignOut(
                image_id=image.id,
                position=position,
                width=image.width,
                height=image.height,
                url=image_url(image.id, secret),
            )
            for position, image in enumerate(designs[record.id])
        ]
        dimensions = (
            DimensionsOut(
                width_cm=record.width_cm,
                depth_cm=record.depth_cm,
                height_cm=record.height_cm,
                seat_height_cm=record.seat_height_cm,
            )
            if record.width_cm and record.depth_cm and record.height_cm
            else None
        )
        result.append(
            RecordOut(
                id=record.id,
                room_id=record.room_id,
                keyword=record.keyword,
                language="ko" if record.language == "ko" else "en",
                input_image_ids=[uuid.UUID(i) for i in record.input_image_ids],
                version=record.version,
                image_status=record.image_status,
                story_status=record.story_status,
                keywords_status=record.keywords_status,
                recommendation_status=record.recommendation_status,
                image_error=record.image_error,
                story_error=record.story_error,
                keywords_error=record.keywords_error,
                recommendation_error=record.recommendation_error,
                done=record.done,
                refunded=record.id in refunded,
                designs=design_outs,
                image_urls=[d.url for d in design_outs],
                name=record.name,
                dimensions=dimensions,
                furniture_type=record.furniture_type,
                checks=[
                    CheckOut(**vars(check))
                    for check in dimension_checks(
                        record.furniture_type,
                        {
                            "seat_height_cm": record.seat_height_cm,
                            "width_cm": record.width_cm,
                            "depth_cm": record.depth_cm,
                            "height_cm": record.height_cm,
                        },
                    )
                ],
                material=record.material,
                title=record.title,
                story=record.story,
                keywords=list(record.keywords or []),
                keywords_display=list(record.keywords_display or record.keywords or []),
                recommendations=[
                    RecommendationOut(
                        rank=rec.rank,
                        score=round(rec.score, 4),
                        reference_id=reference.id,
                        image_id=image.id,
                        title=reference.title,
                        title_ko=reference.title_ko,
                        source=reference.source,
                        tags=list(reference.tags or []),
                        url=image_url(image.id, secret),
                    )
                    for rec, reference, image in recommendations[record.id]
                ],
                image_provider=record.image_provider,
                image_model=record.image_model,
                story_provider=record.story_provider,
                story_model=record.story_model,
                embedder_model=record.embedder_model,
                usage=dict(record.usage or {}),
                analysis=dict(record.analysis or {}),
                created_at=record.created_at,
                updated_at=record.updated_at,
            )
        )
    return result


async def record_out(session: AsyncSession, record: Record, secret: str) -> RecordOut:
    return (await to_out(session, [record], secret))[0]


async def stream_ticket(
    session: AsyncSession, record_id: uuid.UUID, user: User, secret: str, expires_seconds: int
) -> StreamTicketOut:
    """A ticket for the owner to open this record's stream where no header can be sent."""
    record = await get_owned(session, record_id, user)
    ticket = create_stream_ticket(user.id, record.id, secret, expires_seconds, user.token_version)
    return StreamTicketOut(
        ticket=ticket,
        expires_in=expires_seconds,
        stream_url=f"/api/v1/records/{record.id}/stream?ticket={ticket}",
    )
