"""Response bodies of the objects routes: a design's parts, cut list, weight and checks."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from layerminder.images.urls import image_url
from layerminder.models import DesignViews
from layerminder.objects.buildability import Check, Stability, Verdict
from layerminder.objects.model import DesignModel
from layerminder.objects.parts import CutItem, PartSize
from layerminder.providers.base import FurnitureType


class PartOut(BaseModel):
    name: str
    role: str
    material: str
    material_kind: str
    length_cm: float
    section_cm: tuple[float, float]
    mass_kg: float


class CutOut(BaseModel):
    role: str
    material: str
    quantity: int
    length_mm: int
    width_mm: int
    thickness_mm: int


class CheckOut(BaseModel):
    name: str
    status: Verdict
    detail: str
    value: float | None


class StabilityOut(BaseModel):
    centre_of_mass_cm: tuple[float, float, float]
    footprint_cm: list[tuple[float, float]]
    inside: bool
    margin_cm: float
    tipping_angle_deg: float


class MaterialOut(BaseModel):
    slot: str
    name: str
    kind: str


class DesignObjectOut(BaseModel):
    """One design as an object: sizes measured on its model, parts, weight and checks.

    `proxy` is true when the design is only a picture (OpenAI): the model is then fitted to the
    record's type and sizes, and everything here describes that fit, not the picture."""

    position: int
    proxy: bool
    source: str
    form: str
    furniture_type: FurnitureType
    base: str
    width_cm: float
    depth_cm: float
    height_cm: float
    seat_height_cm: float | None
    seat_depth_cm: float | None
    weight_kg: float
    materials: list[MaterialOut]
    parts: list[PartOut]
    cut_list: list[CutOut]
    stability: StabilityOut
    checks: list[CheckOut]
    model_url: str
    drawings_svg_url: str
    drawings_dxf_url: str

    @classmethod
    def build(
        cls,
        position: int,
        model: DesignModel,
        sizes: list[PartSize],
        cuts: list[CutItem],
        stable: Stability,
        checks: list[Check],
        weight_kg: float,
        base_path: str,
    ) -> DesignObjectOut:
        return cls(
            position=position,
            proxy=model.proxy,
            source=model.source,
            form=model.form,
            furniture_type=model.furniture_type,
            base=model.base,
            width_cm=model.width_cm,
            depth_cm=model.depth_cm,
            height_cm=model.height_cm,
            seat_height_cm=model.seat_height_cm,
            seat_depth_cm=model.seat_depth_cm,
            weight_kg=weight_kg,
            materials=[MaterialOut(slot=m.slot, name=m.name, kind=m.kind) for m in model.materials],
            parts=[
                PartOut(
                    name=s.part.name,
                    role=s.part.role,
                    material=s.material_name,
                    material_kind=s.material_kind,
                    length_cm=s.length_cm,
                    section_cm=s.section_cm,
                    mass_kg=round(s.mass_kg, 2),
                )
                for s in sizes
            ],
            cut_list=[CutOut(**vars(cut)) for cut in cuts],
            stability=StabilityOut(**vars(stable)),
            checks=[CheckOut(**vars(check)) for check in checks],
            model_url=f"{base_path}/model.glb",
            drawings_svg_url=f"{base_path}/drawings?format=svg",
            drawings_dxf_url=f"{base_path}/drawings?format=dxf",
        )


class ViewOut(BaseModel):
    angle: str  # front | side | top | three_quarter
    image_id: uuid.UUID
    url: str
    # Cosine similarity of the view to the design by `score_model`: near 1, the same piece.
    score: float
    # The model's projection in this view (across, up), cm; the px-per-cm scale of a local
    # render (all four share it).
    extent_cm: tuple[float, float]
    scale_px_per_cm: float | None = None


class ViewsOut(BaseModel):
    """A design's views sheet and its job: `pending`, `processing`, then `ready` or `error`
    (refunded). `provider` is `local` for views rendered from the design's model, `local-proxy`
    for its proxy's (a picture whose provider draws no views), else the AI provider's name."""

    id: uuid.UUID
    record_id: uuid.UUID
    position: int
    status: str
    error: str | None
    done: bool
    provider: str | None
    model: str | None
    score_model: str | None
    cost: int
    views: list[ViewOut]
    version: int
    created_at: datetime

    @classmethod
    def from_model(cls, sheet: DesignViews, secret: str) -> ViewsOut:
        return cls(
            id=sheet.id,
            record_id=sheet.record_id,
            position=sheet.position,
            status=sheet.status,
            error=sheet.error,
            done=sheet.status in ("ready", "error"),
            provider=sheet.provider,
            model=sheet.model,
            score_model=sheet.score_model,
            cost=sheet.cost,
            views=[
                ViewOut(**view, url=image_url(uuid.UUID(view["image_id"]), secret))
                for view in sheet.views
            ],
            version=sheet.version,
            created_at=sheet.created_at,
        )
