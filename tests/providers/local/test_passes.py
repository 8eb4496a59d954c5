"""The offline provider's live previews: each design drawn in real passes (the outline, then the
lit forms in flat colours, then the textured design) at a rising size, reported as it goes."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from layerminder.providers.base import DESIGN_SIZE, Brief
from layerminder.providers.local import LocalImageProvider, render_brief
from layerminder.providers.local.designs import plan_brief, render_pass
from tests.providers.local.photos import BLUE, RED, as_inputs, photo


class Recorder:
    """A DesignProgress that keeps what it is told, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int, int, bytes]] = []

    async def preview(self, position: int, image: bytes, step: int, of: int) -> None:
        self.calls.append(("preview", position, step, of, image))

    async def finished(self, position: int, image: bytes) -> None:
        self.calls.append(("finished", position, 0, 0, image))


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return np.asarray(image.convert("RGB"), dtype=np.float32)


def _piece(silhouette: np.ndarray) -> np.ndarray:
    """Where the piece is: the silhouette's one dark tone."""
    grey = silhouette.mean(axis=2)
    tone = np.median(grey[grey < np.percentile(grey, 5)])
    mask: np.ndarray = np.abs(grey - tone) < 30
    return mask


def _spread(pixels: np.ndarray, mask: np.ndarray) -> float:
    """How varied the piece's pixels are (median absolute deviation, robust to edges)."""
    values = pixels[mask]
    return float(np.median(np.abs(values - np.median(values, axis=0))))


async def test_each_design_is_drawn_in_passes_and_reported_as_it_goes() -> None:
    brief = Brief.from_images(as_inputs(photo(RED), photo(BLUE, 1)), "walnut")
    progress = Recorder()
    batch = await LocalImageProvider().generate_designs(brief, 4, progress)

    # One design after another: its two previews, then the design itself.
    assert [(kind, position, step, of) for kind, position, step, of, _ in progress.calls] == [
        item
        for position in range(4)
        for item in (
            ("preview", position, 1, 3),
            ("preview", position, 2, 3),
            ("finished", position, 0, 0),
        )
    ]
    finished = [image for kind, *_, image in progress.calls if kind == "finished"]
    assert finished == batch.images
    # The passes change nothing of the result: the same bytes as rendering in one go.
    assert batch.images == render_brief(brief, 4)

    for position in range(4):
        silhouette, shaded = (
            _pixels(image)
            for kind, at, _, _, image in progress.calls
            if kind == "preview" and at == position
        )
        final = _pixels(batch.images[position])
        # At a rising size, each far smaller than the design.
        assert silhouette.shape[:2] == (128, 128) and shaded.shape[:2] == (256, 256)
        assert final.shape[:2] == (DESIGN_SIZE, DESIGN_SIZE)
        # Real stages of the drawing, compared at one size: the outline in one flat tone, then
        # the lit forms (light and shade), then the finished surfaces (their texture on top).
        plan = plan_brief(brief, 4)
        outline, lit, textured = (
            _pixels(render_pass(plan, position, 256, finish))
            for finish in ("silhouette", "shaded", "textured")
        )
        assert np.array_equal(lit, shaded)
        piece = _piece(outline)
        assert 0.02 < piece.mean() < 0.6
        assert _spread(outline, piece) <= 3 < 6 <= _spread(lit, piece)
        assert float(np.abs(textured - lit)[piece].mean()) > 2


async def test_without_progress_it_renders_in_one_go() -> None:
    brief = Brief.from_images(as_inputs(photo(RED)), None)
    batch = await LocalImageProvider().generate_designs(brief, 4)
    assert batch.images == render_brief(brief, 4)
