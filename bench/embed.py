"""CLIP embedding speed: the seed's path (torch, one image at a time) against ONNX Runtime,
measured side by side in one run.

Full-size ViT-B/32 architecture with random weights (speed does not depend on weight values),
exported once with `export_clip` into a cache directory; needs the `export` extra for that and
for the seed's path (`make export-extra`). Prints, for each option, ms per recommendation
(4 designs, 1024² JPEG → mean → top-3 of 10k), the ratio to the seed, the share of the ceiling
(the int8 vision model alone at its best batch size, 4 images' worth) it reaches, and its
agreement with exact fp32 (cosine mean/min, top-5 neighbour overlap); then the product's own
`library import` rate, and the machine's load average before and after.

    make export-extra && uv run python bench/embed.py [--no-seed] [--repeats N]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from layerminder.config import Settings
from layerminder.db.migrate import upgrade_to_head
from layerminder.library.importing import import_from
from layerminder.recommender.base import l2_normalise, mean_direction
from layerminder.recommender.clip_onnx import ClipOnnxEmbedder, Precision, has_clip_model
from layerminder.recommender.export import export_clip
from layerminder.recommender.index import VectorIndex
from layerminder.recommender.preprocess import preprocess_bytes
from layerminder.runtime import open_runtime

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "layerminder"
TOP_K = 3


# -- the model -------------------------------------------------------------------------------


def ensure_model(cache: Path) -> tuple[Path, Path]:
    """Export a random ViT-B/32 CLIP once; returns (onnx dir, torch source dir)."""
    onnx_dir, source = cache / "clip-vit-b32-random-onnx", cache / "clip-vit-b32-random-torch"
    if has_clip_model(onnx_dir) and (source / "config.json").exists():
        return onnx_dir, source
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import CLIPConfig, CLIPModel
    from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil

    words = ["<|unk|>", "<|startoftext|>", "chair", "table", "oak", "walnut", "<|endoftext|>"]
    vocab = {word: i for i, word in enumerate(words)}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<|unk|>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<|startoftext|> $A <|endoftext|>",
        special_tokens=[("<|startoftext|>", 1), ("<|endoftext|>", 6)],
    )
    torch.manual_seed(0)
    # CLIPConfig's defaults are openai/clip-vit-base-patch32's architecture.
    config = CLIPConfig(text_config={"eos_token_id": 6, "bos_token_id": 1, "pad_token_id": 6})
    print(f"building a random ViT-B/32 CLIP in {source} and exporting it (once)…", flush=True)
    CLIPModel(config).save_pretrained(source)
    tokenizer.save(str(source / "tokenizer.json"))
    (source / "tokenizer_config.json").write_text(json.dumps({"pad_token": "<|endoftext|>"}))
    CLIPImageProcessorPil().save_pretrained(source)
    export_clip(source, onnx_dir, quantize_int8=True, name="clip-vit-b32-random")
    return onnx_dir, source


# -- inputs ----------------------------------------------------------------------------------


def design_jpegs(count: int, size: int = 1024, quality: int = 50) -> list[bytes]:
    """Photo-like 1024² JPEGs at the seed's generation settings (JPEG, compression 50)."""
    rng = np.random.default_rng(42)
    images = []
    y, x = np.mgrid[0:size, 0:size] / size
    for _ in range(count):
        base = rng.uniform(0, 255, 3) + x[..., None] * rng.uniform(-90, 90, 3)
        image = base + y[..., None] * rng.uniform(-90, 90, 3)
        for _ in range(12):
            top, left = rng.integers(0, size - 64, 2)
            h, w = rng.integers(32, size // 2, 2)
            image[top : top + h, left : left + w] = rng.uniform(0, 255, 3)
        image += rng.normal(0, 8, image.shape)
        buffer = io.BytesIO()
        Image.fromarray(np.clip(image, 0, 255).astype(np.uint8)).save(
            buffer, "JPEG", quality=quality
        )
        images.append(buffer.getvalue())
    return images


def library_index(model_id: str, dim: int, size: int = 10_000) -> VectorIndex:
    rng = np.random.default_rng(1)
    index = VectorIndex(model_id, dim)
    vectors = l2_normalise(rng.standard_normal((size, dim), dtype=np.float32))
    index.add(np.arange(size, dtype=np.int64), vectors, model_id=model_id)
    return index


# -- timing ----------------------------------------------------------------------------------


# Wall-clock by default; `--cpu-time --threads 1` reads the calling thread's CPU time instead, a
# figure that stays meaningful when other processes crowd the machine (then all work runs on it).
CLOCK: Callable[[], float] = time.perf_counter


def median_ms(run: Callable[[], object], repeats: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        start = CLOCK()
        run()
        times.append((CLOCK() - start) * 1000)
    return statistics.median(times)


class SeedPath:
    """The seed's recommendation: torch fp32 + CLIPImageProcessor, one image at a time."""

    def __init__(self, source: Path, threads: int | None) -> None:
        import torch
        from transformers import CLIPModel
        from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil

        self.torch = torch
        if threads:
            torch.set_num_threads(threads)
        self.model = CLIPModel.from_pretrained(source).eval()
        # transformers 5's CLIPImageProcessor needs torchvision (no CPU build here); the PIL
        # backend is numerically the seed's CLIPImageProcessor.
        self.processor = CLIPImageProcessorPil()

    def embed(self, images: Sequence[bytes]) -> np.ndarray:
        rows = []
        for data in images:
            image = Image.open(io.BytesIO(data)).convert("RGB")
            inputs = self.processor(images=image, return_tensors="pt")
            with self.torch.no_grad():
                features: Any = self.model.get_image_features(**inputs)
            features = getattr(features, "pooler_output", features)
            rows.append((features / features.norm(dim=-1, keepdim=True)).numpy()[0])
        return np.stack(rows).astype(np.float32)


def recommend(
    embed: Callable[[Sequence[bytes]], np.ndarray], index: VectorIndex, model_id: str
) -> Callable[[Sequence[bytes]], None]:
    def run(designs: Sequence[bytes]) -> None:
        query = mean_direction(embed(designs))
        index.search(query, TOP_K, model_id=model_id)

    return run


def product_import_rate(
    folder: Path, model_dir: Path, precision: Precision, scratch: Path, runs: int = 3
) -> float:
    """`layerminder library import FOLDER` as the product runs it (validate, sha256 dedupe,
    embed, write files and SQLite rows, publish the index); the median of `runs` fresh libraries.
    Model load and migrations are outside the timing."""

    sample = next(folder.iterdir()).read_bytes()

    async def once(data_dir: Path) -> float:
        settings = Settings(
            _env_file=None,
            data_dir=data_dir,
            embedder="clip",
            clip_model_dir=model_dir,
            clip_precision=precision,
            seed_library=False,
        )
        async with open_runtime(settings) as runtime:
            await upgrade_to_head(runtime.engine)
            embedder = runtime.embedder
            embedder.embed_images([sample])  # loads the model
            start = time.perf_counter()
            report = await import_from(runtime, str(folder))
            return report.added / (time.perf_counter() - start)

    return statistics.median(
        asyncio.run(once(scratch / f"lib-{precision}-{i}")) for i in range(runs)
    )


def top5_overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Mean share of each item's top-5 neighbours (among the others) both embeddings agree on."""
    overlaps = []
    for sims_a, sims_b, i in zip(a @ a.T, b @ b.T, range(len(a)), strict=True):
        sims_a[i] = sims_b[i] = -np.inf
        top_a, top_b = set(np.argsort(-sims_a)[:5]), set(np.argsort(-sims_b)[:5])
        overlaps.append(len(top_a & top_b) / 5)
    return float(np.mean(overlaps))


# -- main ------------------------------------------------------------------------------------


def vision_ceiling(embedder: ClipOnnxEmbedder, designs: Sequence[bytes], repeats: int) -> tuple:
    """The vision model alone (pixels already prepared) at batch sizes 1-32: the best ms per
    image and the batch size it came at. 4x that is what a recommendation could cost at most."""
    pixels = preprocess_bytes(designs, fast=True)
    best: tuple[float, int] = (float("inf"), 0)
    for batch in (1, 2, 4, 8, 16, 32):
        repeat = np.concatenate([pixels] * (batch // len(pixels) + 1))[:batch]
        ms = median_ms(partial(embedder.embed_pixels, repeat), max(3, repeats // 2)) / batch
        best = min(best, (ms, batch))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--library-images", type=int, default=192)
    parser.add_argument("--no-seed", action="store_true", help="skip the torch (seed) path")
    parser.add_argument("--threads", type=int, default=None, help="torch and ORT threads")
    parser.add_argument(
        "--cpu-time", action="store_true", help="time by thread CPU time (with --threads 1)"
    )
    args = parser.parse_args()
    global CLOCK
    if args.cpu_time:
        CLOCK = time.thread_time

    load_before = os.getloadavg()
    onnx_dir, source = ensure_model(args.cache)
    designs = design_jpegs(4)
    library = design_jpegs(args.library_images)
    print(f"{os.cpu_count()} CPUs; model {onnx_dir}")

    threads = args.threads
    exact = ClipOnnxEmbedder(onnx_dir, "fp32", intra_op_threads=threads)
    options = {
        "onnx fp32 + draft decode": ClipOnnxEmbedder(
            onnx_dir, "fp32", fast_decode=True, intra_op_threads=threads
        ),
        "onnx int8, exact decode": ClipOnnxEmbedder(onnx_dir, "int8", intra_op_threads=threads),
        "onnx int8 + draft decode (product)": ClipOnnxEmbedder(
            onnx_dir, "int8", fast_decode=True, intra_op_threads=threads
        ),
    }
    for embedder in (exact, *options.values()):
        embedder.load()
    product = options["onnx int8 + draft decode (product)"]
    seed = None if args.no_seed else SeedPath(source, threads)

    per_image, best_batch = vision_ceiling(product, designs, args.repeats)
    ceiling = 4 * per_image
    timed: list[tuple[str, float]] = []
    if seed is not None:
        index = library_index("seed", 512)
        run = recommend(seed.embed, index, "seed")
        timed.append(
            ("seed: torch fp32, one image at a time", median_ms(lambda: run(designs), args.repeats))
        )
    for name, embedder in {"onnx fp32, exact decode": exact, **options}.items():
        index = library_index(embedder.model_id, embedder.dim)
        run = recommend(embedder.embed_images, index, embedder.model_id)
        timed.append((name, median_ms(lambda run=run: run(designs), args.repeats)))  # type: ignore[misc]

    # Agreement with exact fp32 on the library images (random weights: the model still maps
    # different images to different directions, so top-5 neighbours are a fair check).
    reference = exact.embed_images(library)
    agreement: dict[str, tuple[float, float, float]] = {}
    for name, embedder in options.items():
        other = embedder.embed_images(library)
        cosines = (reference * other).sum(axis=1)
        agreement[name] = (
            float(cosines.mean()),
            float(cosines.min()),
            top5_overlap(reference, other),
        )
    if seed is not None:
        torch_rows = seed.embed(library[:8])
        cosines = (torch_rows * reference[:8]).sum(axis=1)
        agreement["seed: torch fp32, one image at a time"] = (
            float(cosines.mean()),
            float(cosines.min()),
            float("nan"),
        )

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "references"
        folder.mkdir()
        for i, data in enumerate(library):
            (folder / f"ref-{i:04d}.jpg").write_bytes(data)
        imports = {
            precision: product_import_rate(folder, onnx_dir, precision, Path(scratch) / "libs")
            for precision in ("int8", "fp32")
        }
    load_after = os.getloadavg()

    base = timed[0][1] if seed is not None else None
    print()
    print(
        f"{'recommendation (4 designs 1024² JPEG → top-3 of 10k)':<52} {'ms':>7} {'vs seed':>8} "
        f"{'% ceiling':>10} {'cos mean':>9} {'cos min':>8} {'top-5':>6}"
    )
    for name, ms in timed:
        speed = f"{base / ms:.1f}x" if base else "-"
        mean, low, overlap = agreement.get(name, (1.0, 1.0, 1.0))
        print(
            f"{name:<52} {ms:>7.1f} {speed:>8} {100 * ceiling / ms:>9.0f}% "
            f"{mean:>9.5f} {low:>8.5f} {overlap:>6.3f}"
        )
    print(
        f"{'ceiling: int8 vision model alone, 4 x best ms/image':<52} {ceiling:>7.1f} "
        f"{(f'{base / ceiling:.1f}x' if base else '-'):>8}"
        f"   ({per_image:.1f} ms/image at batch {best_batch})"
    )
    print("(agreement: against onnx fp32 with exact decode, on the library images)")
    print()
    for precision, rate in imports.items():
        print(f"layerminder library import, {precision:<5} {rate:>7.1f} images/s")
    print(
        f"({len(library)} 1024² JPEGs: validation, dedupe, files, SQLite rows, index publish; "
        "model loaded before the clock; median of 3 runs)"
    )
    clock = "thread CPU time" if args.cpu_time else "wall clock"
    print(
        f"({clock}; threads: {threads or 'default'}; load average before "
        f"{load_before[0]:.2f}, after {load_after[0]:.2f} (1 min))"
    )


if __name__ == "__main__":
    main()
