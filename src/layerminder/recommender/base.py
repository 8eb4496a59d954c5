"""What recommendations and library search need from an embedder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns encoded images (JPEG/PNG/WebP bytes) into L2-normalised float32 rows.

    Calls are blocking (CPU inference): callers run them in a thread pool.
    """

    # Stored on every record and library entry; vectors from different ids never mix.
    model_id: str
    dim: int
    # The image→image cosine below which a library match is not shown as one: where this
    # embedder's scores for unrelated images end (they differ a lot between embedders).
    min_image_score: float

    def embed_images(self, images: Sequence[bytes]) -> Vectors: ...


class TextEmbedder(Protocol):
    """An embedder that also maps text into the same space (CLIP)."""

    model_id: str
    dim: int
    # The text→image cosine floor: CLIP's text-image scores sit far below its image-image ones.
    min_text_score: float

    def embed_texts(self, texts: Sequence[str]) -> Vectors: ...


def l2_normalise(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    normalised: Vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return normalised


def mean_direction(vectors: Vectors) -> Vectors:
    """The seed's query: L2-normalise each row, average, re-normalise. Shape (1, dim)."""
    return l2_normalise(l2_normalise(vectors).mean(axis=0, keepdims=True))
