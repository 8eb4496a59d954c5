"""ORM models, one file per table; imported here so Alembic sees the whole metadata."""

from layerminder.models.api_key import ApiKey
from layerminder.models.credit import CreditAccount, CreditReason, CreditTransaction
from layerminder.models.design_vector import DesignVector
from layerminder.models.design_views import DesignViews
from layerminder.models.favourite import Favourite
from layerminder.models.image import Image, ImageKind
from layerminder.models.invite import Invite
from layerminder.models.pin import RoomPin
from layerminder.models.record import (
    ENDED_STATUSES,
    OPEN_STATUSES,
    Record,
    RecordImage,
    RecordRecommendation,
    Stage,
    StageStatus,
)
from layerminder.models.reference import Reference
from layerminder.models.room import Room
from layerminder.models.user import Locale, User, UserRole
from layerminder.models.webhook import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

__all__ = [
    "ENDED_STATUSES",
    "OPEN_STATUSES",
    "ApiKey",
    "CreditAccount",
    "CreditReason",
    "CreditTransaction",
    "DeliveryStatus",
    "DesignVector",
    "DesignViews",
    "Favourite",
    "Image",
    "ImageKind",
    "Invite",
    "Locale",
    "Record",
    "RecordImage",
    "RecordRecommendation",
    "Reference",
    "Room",
    "RoomPin",
    "Stage",
    "StageStatus",
    "User",
    "UserRole",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
