"""Includes every domain's router."""

from __future__ import annotations

from fastapi import APIRouter

from layerminder import health
from layerminder.apikeys.endpoints import router as apikeys_router
from layerminder.auth.endpoints import router as auth_router
from layerminder.credits.endpoints import router as credits_router
from layerminder.exports.endpoints import router as exports_router
from layerminder.generation.endpoints import router as generation_router
from layerminder.images.endpoints import router as images_router
from layerminder.invites.endpoints import router as invites_router
from layerminder.library.endpoints import router as library_router
from layerminder.objects.endpoints import router as objects_router
from layerminder.records.endpoints import router as records_router
from layerminder.rooms.endpoints import router as rooms_router
from layerminder.studio.endpoints import router as studio_router
from layerminder.styles.endpoints import router as styles_router
from layerminder.webhooks.endpoints import router as webhooks_router

DOMAIN_ROUTERS = (
    health.router,
    auth_router,
    rooms_router,
    images_router,
    credits_router,
    generation_router,
    records_router,
    exports_router,
    objects_router,
    studio_router,
    styles_router,
    library_router,
    invites_router,
    apikeys_router,
    webhooks_router,
)

router = APIRouter()
for domain_router in DOMAIN_ROUTERS:
    router.include_router(domain_router)
