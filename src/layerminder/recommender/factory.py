"""The one place the embedder is chosen from settings."""

from __future__ import annotations

import logging

from layerminder.config import Settings
from layerminder.errors import ServiceUnavailable
from layerminder.recommender.base import Embedder, TextEmbedder
from layerminder.recommender.basic import BasicDescriptorEmbedder
from layerminder.recommender.clip_onnx import (
    ClipManifest,
    ClipOnnxEmbedder,
    Precision,
    has_clip_model,
)

logger = logging.getLogger(__name__)


def build_embedder(settings: Settings) -> Embedder:
    """`embedder=auto`: CLIP when the model directory (`clip_model_dir`, by default
    `<data dir>/models/clip`) holds an exported model, else the basic descriptor; `clip` insists
    on CLIP; `basic` never loads it. Model files load lazily."""
    choice = settings.embedder
    model_dir = settings.resolved_clip_model_dir
    if choice == "basic" or (choice == "auto" and not has_clip_model(model_dir)):
        embedder = BasicDescriptorEmbedder()
        reason = "embedder=basic" if choice == "basic" else f"no CLIP model in {model_dir}"
        logger.info(
            "embedder: %s (%s; not CLIP, no text search)",
            embedder.model_id,
            reason,
            extra={"embedder": embedder.model_id},
        )
        return embedder
    if not has_clip_model(model_dir):
        raise ServiceUnavailable(
            f"LAYERMINDER_EMBEDDER=clip but no exported CLIP model in {model_dir}: "
            "run `make clip` (or `layerminder models export-clip`)"
        )
    precision: Precision
    if settings.clip_precision == "auto":
        has_int8 = "vision_int8" in ClipManifest.load(model_dir).files
        precision = "int8" if has_int8 else "fp32"
    else:
        precision = settings.clip_precision
    # JPEG draft decoding: 1.1-1.7x faster per image, cosine >= 0.99999 to the exact decode
    # (bench/embed.py); indexing and serving both go through this one embedder.
    clip = ClipOnnxEmbedder(model_dir, precision=precision, fast_decode=True)
    logger.info(
        "embedder: %s (CLIP on ONNX Runtime from %s)",
        clip.model_id,
        model_dir,
        extra={"embedder": clip.model_id},
    )
    return clip


def load_now(embedder: Embedder) -> None:
    """Load the model files now rather than on first use (CLIP; the basic descriptor has none),
    so that what follows is timed without them. Blocking."""
    load = getattr(embedder, "load", None)
    if callable(load):
        load()


def as_text_embedder(embedder: Embedder) -> TextEmbedder | None:
    """The same embedder seen as a text embedder, or None (the basic descriptor has no text)."""
    return embedder if callable(getattr(embedder, "embed_texts", None)) else None  # type: ignore[return-value]
