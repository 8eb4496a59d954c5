"""What a brief will cost before Generate, and whether it shows live previews (with OpenAI the
previews are what makes it dearer): the one place both are decided."""

from __future__ import annotations

from layerminder.config import Settings
from layerminder.generation.schemas import CallsCost, CostEstimateOut, EstimateKind
from layerminder.models import Record
from layerminder.providers.base import DESIGN_COUNT
from layerminder.providers.openai import pricing
from layerminder.providers.openai.models import image_model_capabilities


def previews_default(settings: Settings) -> bool:
    """What a request that does not say gets: the offline provider's previews are free, so on;
    OpenAI's cost a streamed call per design, so only where the operator opted in."""
    if settings.image_previews == 0:
        return False
    if settings.image_provider == "openai":
        return settings.openai_previews
    return True


def previews_for(settings: Settings, requested: bool | None, *, edit: bool = False) -> bool:
    """Whether a new record's images stage streams previews: the request's choice, else the
    default; never for an edit (one image changed, no passes to show) or with previews off."""
    if edit or settings.image_previews == 0:
        return False
    return previews_default(settings) if requested is None else requested


def record_previews(settings: Settings, record: Record) -> bool:
    """Whether the record's images stage streams previews: the request's choice (kept on the
    record; none for a request that did not say, and for records from before the choice)."""
    return previews_for(settings, record.previews, edit=bool(record.edit))


def _usd(microusd: int | None) -> float | None:
    return None if microusd is None else round(microusd / 1_000_000, 4)


def estimate(settings: Settings, input_images: int, kind: EstimateKind) -> CostEstimateOut:
    """The estimated cost of one brief with the configured providers (images and story), with
    and without previews: the images stage's calls as the OpenAI provider makes them."""
    edit = kind == "edit"
    story_usd = _story_usd(settings)
    previews = previews_for(settings, None, edit=edit)
    if settings.image_provider != "openai":
        # Offline: free. A plugin's prices are its own: unknown.
        images_usd = 0.0 if settings.image_provider == "local" else None
        total = None if images_usd is None or story_usd is None else story_usd
        return CostEstimateOut(
            provider=settings.image_provider,
            model=None,
            quality=None,
            kind=kind,
            input_images=input_images,
            per_input_image_usd=images_usd,
            without_previews=CallsCost(calls=1, usd=total),
            with_previews=None if edit else CallsCost(calls=1, usd=total),
            previews_default=previews,
            story_usd=story_usd,
            prices_checked=None,
        )
    model = settings.edit_model if edit else settings.image_model
    quality = settings.image_quality

    def cost_of(plan: pricing.CallPlan) -> CallsCost:
        images = pricing.estimate_images_microusd(model, quality, plan)
        if images is None or story_usd is None:
            return CallsCost(calls=plan.calls, usd=None)
        return CallsCost(calls=plan.calls, usd=round(images / 1_000_000 + story_usd, 4))

    streamed: CallsCost | None = None
    if not edit and settings.image_previews and image_model_capabilities(model).streaming:
        streamed = cost_of(
            pricing.CallPlan(
                input_images, calls=DESIGN_COUNT, n_per_call=1, partials=settings.image_previews
            )
        )
    return CostEstimateOut(
        provider="openai",
        model=model,
        quality=quality,
        kind=kind,
        input_images=input_images,
        per_input_image_usd=_usd(pricing.reference_image_microusd(model)),
        without_previews=cost_of(pricing.CallPlan(input_images, calls=1, n_per_call=DESIGN_COUNT)),
        with_previews=streamed,
        previews_default=previews,
        story_usd=story_usd,
        prices_checked=pricing.PRICES_CHECKED,
    )


def _story_usd(settings: Settings) -> float | None:
    if settings.story_provider == "local":
        return 0.0
    if settings.story_provider == "openai":
        return _usd(pricing.estimate_story_microusd(settings.story_model))
    return None
