"""Export Hugging Face CLIP weights to ONNX image/text encoders, a tokenizer and a manifest."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tokenizers import Tokenizer

from layerminder.errors import LayerminderError

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "layerminder-clip-onnx/1"
VISION_FP32 = "vision.onnx"
VISION_INT8 = "vision.int8.onnx"
TEXT_FP32 = "text.onnx"
TOKENIZER = "tokenizer.json"
DEFAULT_OPSET = 17
DEFAULT_SOURCE = "openai/clip-vit-base-patch32"

# Hugging Face's layout: config.json and the weights as safetensors or as a torch pickle (the
# hub's openai/clip-vit-base-patch32 main branch ships only pytorch_model.bin), maybe sharded.
SAFETENSORS_WEIGHTS = ("model.safetensors", "model.safetensors.index.json")
PICKLE_WEIGHTS = ("pytorch_model.bin", "pytorch_model.bin.index.json")
_METADATA = ["*.json", "*.txt"]
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")


class ClipSourceError(LayerminderError):
    """The export's source is missing, unreachable, or holds no CLIP weights it can read."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(files: dict[str, dict[str, str]]) -> str:
    """One hash for the fp32 weights and the tokenizer: what makes two exports the same model."""
    digest = hashlib.sha256()
    for key in ("vision_fp32", "text_fp32", "tokenizer"):
        digest.update(files[key]["sha256"].encode())
    return digest.hexdigest()


def quantize_vision_int8(fp32_path: Path, int8_path: Path) -> None:
    """Dynamic int8 (weights int8, activations quantised per batch) of the vision encoder's matmuls.

    Needs `onnx` (the `export` extra); ONNX Runtime's VNNI/AMX kernels make it 2-3x faster on CPU.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    int8_path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target first so that a concurrent reader never sees half a file.
    with tempfile.TemporaryDirectory(dir=int8_path.parent) as scratch, _quiet():
        partial = Path(scratch) / int8_path.name
        quantize_dynamic(
            fp32_path,
            partial,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul", "Gemm"],
            per_channel=False,
        )
        partial.replace(int8_path)


def export_clip(
    source: str | Path,
    out_dir: Path,
    quantize_int8: bool = True,
    *,
    name: str | None = None,
    opset: int = DEFAULT_OPSET,
) -> Path:
    """Export a CLIP model (hub id or local directory) into `out_dir`; returns `out_dir`.

    Writes `vision.onnx` (pixel_values → L2-normalised image_embeds), `text.onnx` (input_ids,
    attention_mask → L2-normalised text_embeds), `tokenizer.json`, optionally
    `vision.int8.onnx`, and `manifest.json` describing them. A source that is missing, cannot be
    downloaded or read, or is not CLIP raises `ClipSourceError`; a missing torch `ImportError`.
    """
    local = resolve_source(source)
    import torch
    from transformers import AutoTokenizer, CLIPModel

    try:
        model = CLIPModel.from_pretrained(local, attn_implementation="eager").eval()
    except Exception as exc:  # torch, safetensors and transformers each raise their own types
        raise ClipSourceError(
            f"cannot load CLIP weights from {source}: {_first_line(exc)}"
        ) from exc
    config = model.config
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    class PatchesAsMatMul(torch.nn.Module):
        """CLIP's patch embedding (a Conv2d with stride = kernel) as reshape + MatMul: the same
        arithmetic, but a MatMul is what ONNX Runtime's dynamic int8 quantisation covers (it
        leaves Conv in fp32), so the int8 model has no fp32 island at its start."""

        def __init__(self, conv: Any) -> None:
            super().__init__()
            self.weight = conv.weight  # CLIPVisionEmbeddings reads .weight.dtype
            self.bias = conv.bias
            self.patch = int(conv.kernel_size[0])

        def forward(self, pixels: torch.Tensor) -> torch.Tensor:
            batch, channels, height, width = pixels.shape
            p, rows, cols = self.patch, height // self.patch, width // self.patch
            patches = (
                pixels.reshape(batch, channels, rows, p, cols, p)
                .permute(0, 2, 4, 1, 3, 5)
                .reshape(batch, rows * cols, channels * p * p)
            )
            embeds = patches @ self.weight.reshape(self.weight.shape[0], -1).t()
            if self.bias is not None:
                embeds = embeds + self.bias
            # Back to the conv's (batch, width, rows, cols): the caller flattens and transposes.
            grid: torch.Tensor = embeds.transpose(1, 2).reshape(batch, -1, rows, cols)
            return grid

    class VisionEncoder(torch.nn.Module):
        def __init__(self, clip: Any) -> None:
            super().__init__()
            self.clip = clip
            embeddings = clip.vision_model.embeddings
            embeddings.patch_embedding = PatchesAsMatMul(embeddings.patch_embedding)

        def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
            pooled = self.clip.vision_model(pixel_values=pixel_values).pooler_output
            embeds = self.clip.visual_projection(pooled)
            normalised: torch.Tensor = embeds / embeds.norm(p=2, dim=-1, keepdim=True)
            return normalised

    class TextEncoder(torch.nn.Module):
        def __init__(self, clip: Any) -> None:
            super().__init__()
            self.clip = clip

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            pooled = self.clip.text_model(
                input_ids=input_ids, attention_mask=attention_mask
            ).pooler_output
            embeds = self.clip.text_projection(pooled)
            normalised: torch.Tensor = embeds / embeds.norm(p=2, dim=-1, keepdim=True)
            return normalised

    image_size = int(config.vision_config.image_size)
    context_length = int(config.text_config.max_position_embeddings)
    with torch.no_grad(), _quiet():
        torch.onnx.export(
            VisionEncoder(model),
            (torch.zeros(2, 3, image_size, image_size),),
            str(out_dir / VISION_FP32),
            input_names=["pixel_values"],
            output_names=["image_embeds"],
            dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}},
            opset_version=opset,
            do_constant_folding=True,
            # The TorchScript exporter: no onnxscript needed, and a plain graph ORT fuses well.
            dynamo=False,
        )
        sample_ids = torch.ones(2, 8, dtype=torch.int64)
        torch.onnx.export(
            TextEncoder(model),
            (sample_ids, torch.ones_like(sample_ids)),
            str(out_dir / TEXT_FP32),
            input_names=["input_ids", "attention_mask"],
            output_names=["text_embeds"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "text_embeds": {0: "batch"},
            },
            opset_version=opset,
            do_constant_folding=True,
            dynamo=False,
        )

    pad_token_id, pad_token = _copy_tokenizer(local, out_dir / TOKENIZER, AutoTokenizer)
    if quantize_int8:
        quantize_vision_int8(out_dir / VISION_FP32, out_dir / VISION_INT8)

    files = {
        key: {"path": filename, "sha256": sha256_file(out_dir / filename)}
        for key, filename in (
            ("vision_fp32", VISION_FP32),
            ("text_fp32", TEXT_FP32),
            ("tokenizer", TOKENIZER),
            ("vision_int8", VISION_INT8),
        )
        if (out_dir / filename).exists() and (key != "vision_int8" or quantize_int8)
    }
    processor = _read_json(local / "preprocessor_config.json")
    manifest = {
        "format": MANIFEST_FORMAT,
        "name": name or _default_name(source),
        "source": str(source),
        "fingerprint": fingerprint(files),
        "embed_dim": int(config.projection_dim),
        "image_size": image_size,
        "image_mean": processor.get("image_mean", [0.48145466, 0.4578275, 0.40821073]),
        "image_std": processor.get("image_std", [0.26862954, 0.26130258, 0.27577711]),
        "context_length": context_length,
        "pad_token_id": pad_token_id,
        "pad_token": pad_token,
        "opset": opset,
        "files": files,
        "exported_with": {"torch": torch.__version__, "transformers": _transformers_version()},
    }
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
    # The caller says where it went (the CLI prints it once); a log line here would say it twice.
    logger.debug("exported CLIP %s to %s", manifest["name"], out_dir)
    return out_dir


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence what torch's tracer and ONNX Runtime's quantiser say about graphs that export
    correctly (TracerWarning on shape checks, "consider pre-processing" through the root
    logger): a user would read each as a problem with their model."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(logging.NOTSET)


def resolve_source(source: str | Path) -> Path:
    """A local directory of Hugging Face CLIP weights for `source` (a directory or a hub id)."""
    path = Path(source).expanduser()
    if path.exists():
        return _checked_source(path, str(source))
    if not _HUB_ID.fullmatch(str(source)):
        raise ClipSourceError(
            f"{source}: no such directory, and not a Hugging Face model id such as {DEFAULT_SOURCE}"
        )
    return _checked_source(_download(str(source)), f"{source} (Hugging Face hub)")


def _download(repo_id: str) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    try:
        # Safetensors when the repository has them, else the pickled weights: never both.
        local = Path(snapshot_download(repo_id, allow_patterns=[*_METADATA, "model*.safetensors*"]))
        if not _present(local, SAFETENSORS_WEIGHTS):
            local = Path(
                snapshot_download(repo_id, allow_patterns=[*_METADATA, "pytorch_model*.bin*"])
            )
    except GatedRepoError as exc:
        raise ClipSourceError(f"{repo_id} is gated on the Hugging Face hub: {exc}") from exc
    except (RepositoryNotFoundError, RevisionNotFoundError) as exc:
        raise ClipSourceError(f"{repo_id}: no such model on the Hugging Face hub") from exc
    except Exception as exc:  # offline, DNS, TLS, HTTP: huggingface_hub and httpx types alike
        raise ClipSourceError(
            f"cannot download {repo_id} from the Hugging Face hub ({_first_line(exc)}); "
            "give a local directory of the weights with --source"
        ) from exc
    return local


def _checked_source(path: Path, label: str) -> Path:
    if not path.is_dir():
        raise ClipSourceError(f"{label} is not a directory: give the folder holding config.json")
    try:
        names = {child.name for child in path.iterdir()}
        config = _read_json(path / "config.json")
    except (OSError, ValueError) as exc:
        raise ClipSourceError(f"cannot read {label}: {_first_line(exc)}") from exc
    if "config.json" in names and (model_type := config.get("model_type")) not in (None, "clip"):
        raise ClipSourceError(f"{label} holds a {model_type} model, not CLIP")
    if "config.json" in names and names & {*SAFETENSORS_WEIGHTS, *PICKLE_WEIGHTS}:
        return path
    original = sorted(n for n in names if n.endswith(".pt") or n.startswith("open_clip_"))
    if original:
        # open_clip / OpenAI's own checkpoints name their tensors differently; converting them is
        # transformers' convert_clip_original_pytorch_to_hf.py, not ours.
        raise ClipSourceError(
            f"{label} holds an OpenAI/open_clip original checkpoint ({original[0]}); export-clip "
            "reads the Hugging Face layout: use the Hugging Face release of the same model"
        )
    raise ClipSourceError(
        f"{label} holds no CLIP weights: expected config.json with model.safetensors or "
        "pytorch_model.bin"
    )


def _present(path: Path, names: tuple[str, ...]) -> bool:
    return any((path / name).is_file() for name in names)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _copy_tokenizer(local: Path, target: Path, auto_tokenizer: Any) -> tuple[int, str]:
    """Put a `tokenizer.json` at `target`; returns the padding id and token to use."""
    if (local / TOKENIZER).exists():
        shutil.copyfile(local / TOKENIZER, target)
    else:
        # Older checkpoints ship vocab.json + merges.txt only: let transformers build the JSON.
        with tempfile.TemporaryDirectory() as scratch:
            auto_tokenizer.from_pretrained(local).save_pretrained(scratch)
            shutil.copyfile(Path(scratch) / TOKENIZER, target)
    settings = {
        **_read_json(local / "special_tokens_map.json"),
        **_read_json(local / "tokenizer_config.json"),
    }
    tokenizer = Tokenizer.from_file(str(target))
    for key in ("pad_token", "eos_token"):
        token = settings.get(key)
        if isinstance(token, dict):
            token = token.get("content")
        token_id = tokenizer.token_to_id(token) if isinstance(token, str) else None
        if token_id is not None:
            return int(token_id), str(token)
    raise ValueError(f"no pad or eos token found in the tokenizer files of {local}")


def _read_json(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return data if isinstance(data, dict) else {}


def _default_name(source: str | Path) -> str:
    return Path(str(source).rstrip("/")).name.lower() or "clip"


def _transformers_version() -> str:
    import transformers

    return str(transformers.__version__)
