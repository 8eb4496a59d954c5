"""CLIP image and text embeddings on ONNX Runtime, from a model exported by `export_clip`."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from layerminder.errors import ServiceUnavailable
from layerminder.recommender.base import Vectors, l2_normalise
from layerminder.recommender.export import (
    MANIFEST_NAME,
    VISION_INT8,
    quantize_vision_int8,
    sha256_file,
)
from layerminder.recommender.preprocess import decode_image, fill_row, tables_for

logger = logging.getLogger(__name__)

Precision = Literal["fp32", "int8"]
# Images per ONNX Runtime call when a batch is split to overlap preprocessing with inference:
# big enough that the model runs near its best per-image speed (bench/embed.py), small enough
# that the first call starts early.
DEFAULT_CHUNK = 8


@dataclass
class _PreparedBatch:
    """A batch being filled row by row on the preprocessing pool."""

    pixels: np.ndarray[Any, Any]
    rows: list[Future[None]]

    def result(self) -> np.ndarray[Any, Any]:
        for row in self.rows:
            row.result()  # re-raises the first InvalidImage
        return self.pixels


class ClipModelMissing(ServiceUnavailable):
    """The CLIP model directory is missing, incomplete or unreadable."""


def has_clip_model(model_dir: Path | None) -> bool:
    return model_dir is not None and (Path(model_dir) / MANIFEST_NAME).is_file()


@dataclass(frozen=True)
class ClipManifest:
    """What `export_clip` wrote about the model: names, shapes, preprocessing, file hashes."""

    name: str
    source: str
    fingerprint: str
    embed_dim: int
    image_size: int
    image_mean: tuple[float, float, float]
    image_std: tuple[float, float, float]
    context_length: int
    pad_token_id: int
    pad_token: str
    files: dict[str, dict[str, str]]

    @classmethod
    def load(cls, model_dir: Path) -> ClipManifest:
        path = Path(model_dir) / MANIFEST_NAME
        try:
            data = json.loads(path.read_text())
            return cls(
                name=str(data["name"]),
                source=str(data["source"]),
                fingerprint=str(data["fingerprint"]),
                embed_dim=int(data["embed_dim"]),
                image_size=int(data["image_size"]),
                image_mean=_triple(data["image_mean"]),
                image_std=_triple(data["image_std"]),
                context_length=int(data["context_length"]),
                pad_token_id=int(data["pad_token_id"]),
                pad_token=str(data["pad_token"]),
                files={str(k): dict(v) for k, v in data["files"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ClipModelMissing(f"cannot read CLIP manifest {path}: {exc}") from exc


class ClipOnnxEmbedder:
    """CLIP on ONNX Runtime (CPU). Implements `Embedder` and `TextEmbedder`.

    Sessions load lazily, once, on first use; `embed_images` runs the whole batch in one call.
    ONNX Runtime sessions are safe to run from several threads at once.
    """

    # ViT-B/32: a caption and a matching photo score about 0.25-0.35, unrelated ones 0.10-0.18;
    # two photos of the same kind of object 0.6-0.9, unrelated photos 0.3-0.5.
    min_text_score: float = 0.20
    min_image_score: float = 0.50

    def __init__(
        self,
        model_dir: Path,
        precision: Precision = "fp32",
        *,
        fast_decode: bool = False,
        intra_op_threads: int | None = None,
        verify_files: bool = False,
        chunk: int = DEFAULT_CHUNK,
    ) -> None:
        if precision not in ("fp32", "int8"):
            raise ValueError(f"precision must be fp32 or int8, not {precision!r}")
        self.model_dir = Path(model_dir)
        self.precision: Precision = precision
        self.fast_decode = fast_decode
        self.intra_op_threads = intra_op_threads or _usable_cores()
        self.manifest = ClipManifest.load(self.model_dir)
        if verify_files:
            self.verify()
        self.model_id = f"{self.manifest.name}:{self.manifest.fingerprint[:12]}:{precision}"
        self.dim = self.manifest.embed_dim
        self.chunk = chunk
        self._tables = tables_for(self.manifest.image_mean, self.manifest.image_std)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._vision: ort.InferenceSession | None = None
        self._text: ort.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None

    # -- Embedder / TextEmbedder ----------------------------------------------------------

    def embed_images(self, images: Sequence[bytes]) -> Vectors:
        """Decode and preprocess on a thread pool, overlapped with inference: while ONNX Runtime
        embeds one chunk, the pool prepares the next (Pillow and ONNX Runtime both release the
        GIL). Images within a chunk are prepared in parallel too."""
        if not images:
            return np.zeros((0, self.dim), dtype=np.float32)
        chunks = [images[i : i + self.chunk] for i in range(0, len(images), self.chunk)]
        pending = self._prepare(chunks[0])
        rows = []
        for position in range(len(chunks)):
            pixels = pending.result()
            if position + 1 < len(chunks):
                pending = self._prepare(chunks[position + 1])
            rows.append(self.embed_pixels(pixels))
        return rows[0] if len(rows) == 1 else np.concatenate(rows)

    def _prepare(self, images: Sequence[bytes]) -> _PreparedBatch:
        size = self.manifest.image_size
        batch = np.empty((len(images), 3, size, size), dtype=np.float32)
        draft = size if self.fast_decode else None

        def fill(row: int, data: bytes) -> None:
            fill_row(batch[row], decode_image(data, draft_size=draft), size, self._tables)

        pool = self._thread_pool()
        return _PreparedBatch(batch, [pool.submit(fill, i, d) for i, d in enumerate(images)])

    def _thread_pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            with self._lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(
                        self.intra_op_threads, thread_name_prefix="clip-preprocess"
                    )
        return self._pool

    def embed_pixels(self, pixel_values: np.ndarray[Any, Any]) -> Vectors:
        """Already preprocessed float32 NCHW batch → embeddings (one ONNX Runtime run)."""
        session = self._vision_session()
        (embeds,) = session.run(["image_embeds"], {"pixel_values": pixel_values})
        # The graph normalises already; again here because int8 rounding may leave it off by 1e-3.
        return l2_normalise(np.asarray(embeds, dtype=np.float32))

    def embed_texts(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        tokenizer = self._text_tokenizer()
        encodings = tokenizer.encode_batch(list(texts))
        input_ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        attention_mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        session = self._text_session()
        (embeds,) = session.run(
            ["text_embeds"], {"input_ids": input_ids, "attention_mask": attention_mask}
        )
        return l2_normalise(np.asarray(embeds, dtype=np.float32))

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        """Load everything now (at start-up, or in `doctor`) instead of on first use."""
        self._vision_session()
        self._text_session()
        self._text_tokenizer()

    def verify(self) -> None:
        """Check every file against the sha256 in the manifest (slow for big models)."""
        for key, entry in self.manifest.files.items():
            path = self.model_dir / entry["path"]
            if not path.is_file() or sha256_file(path) != entry["sha256"]:
                raise ClipModelMissing(f"CLIP model file {path} ({key}) is missing or changed")

    def _vision_session(self) -> ort.InferenceSession:
        if self._vision is None:
            with self._lock:
                if self._vision is None:
                    self._vision = self._session(self._vision_path())
        return self._vision

    def _text_session(self) -> ort.InferenceSession:
        if self._text is None:
            with self._lock:
                if self._text is None:
                    self._text = self._session(self._file("text_fp32"))
        return self._text

    def _text_tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._tokenizer = self._load_tokenizer()
        return self._tokenizer

    def _load_tokenizer(self) -> Tokenizer:
        path = self._file("tokenizer")
        try:
            tokenizer = Tokenizer.from_file(str(path))
        except Exception as exc:  # tokenizers raises a bare Exception for bad JSON
            raise ClipModelMissing(f"cannot load CLIP tokenizer {path}: {exc}") from exc
        # The tokenizer's own post-processor adds start/end tokens; truncation keeps the end one.
        tokenizer.enable_truncation(max_length=self.manifest.context_length)
        tokenizer.enable_padding(
            pad_id=self.manifest.pad_token_id, pad_token=self.manifest.pad_token
        )
        return tokenizer

    def _vision_path(self) -> Path:
        if self.precision == "fp32":
            return self._file("vision_fp32")
        if "vision_int8" in self.manifest.files:
            return self._file("vision_int8")
        # Exported without int8: quantise once, next to the model (needs the `onnx` package).
        cached = self.model_dir / VISION_INT8
        if not cached.is_file():
            logger.info("quantising the CLIP vision encoder to int8 into %s", cached)
            try:
                quantize_vision_int8(self._file("vision_fp32"), cached)
            except (ImportError, OSError) as exc:
                raise ClipModelMissing(
                    f"no int8 vision model in {self.model_dir} and quantising failed ({exc}); "
                    "re-export with `layerminder models export-clip` or use fp32"
                ) from exc
        return cached

    def _file(self, key: str) -> Path:
        entry = self.manifest.files.get(key)
        if entry is None:
            raise ClipModelMissing(f"the CLIP manifest in {self.model_dir} lists no {key} file")
        path = self.model_dir / entry["path"]
        if not path.is_file():
            raise ClipModelMissing(f"CLIP model file {path} is missing")
        return path

    def _session(self, path: Path) -> ort.InferenceSession:
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = self.intra_op_threads
        # One model call at a time per request: parallelism comes from intra-op threads.
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Idle intra-op threads sleep instead of spinning: the preprocessing pool runs beside
        # inference on the same cores, and so do the web server and other processes. Spinning
        # cost 1.6x per image when the cores were shared (107 vs 66 ms at batch 16, bench run
        # at load 12 on 2 cores) for no gain a batch of whole ViT layers could show.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            return ort.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
            raise ClipModelMissing(f"cannot load CLIP model {path}: {exc}") from exc


def _usable_cores() -> int:
    # The cores this process may run on (a container's CPU set), not the host's count.
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _triple(values: Any) -> tuple[float, float, float]:
    a, b, c = (float(v) for v in values)
    return (a, b, c)
