"""Build the tiny random CLIP test fixture: export it with `export_clip`, record torch's outputs.

Needs the `export` extra (torch + transformers + onnx). Run from the repository root:

    .venv/bin/python scripts/make_tiny_clip.py [--out tests/fixtures/tiny_clip]
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from layerminder.recommender.export import export_clip

BOS, EOS, UNK = "<|startoftext|>", "<|endoftext|>", "<|unk|>"
CONTEXT_LENGTH = 77
TEXTS = [
    "a walnut lounge chair",
    "Bouclé armchair, curved back!",
    "",
    " ".join(["minimal oak bench with brass legs"] * 20),  # longer than the context: truncated
]
CORPUS = [
    "a walnut lounge chair with a leather seat",
    "an oak bench with brass legs and a minimal frame",
    "bouclé armchair with a curved back in cream wool",
    "a steel stool, powder coated, stackable",
    "rattan daybed with linen cushions",
    "marble side table and a travertine coffee table",
    "velvet sofa in deep green with tapered legs",
    "plywood chair bent and moulded, scandinavian design",
]


def build_tokenizer() -> Tokenizer:
    """A small word-level tokenizer shaped like CLIP's: lowercase, start/end tokens, end = pad.

    Word-level rather than BPE because the BPE trainer's tie-breaking varies between runs, and a
    fixture should come out byte-identical; the runtime reads either from tokenizer.json alike.
    """
    normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Lowercase()])
    pre_tokenizer = pre_tokenizers.Whitespace()
    words = sorted(
        {
            word
            for line in CORPUS
            for word, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(line))
        }
    )
    # As in CLIP, the end token has the highest id.
    vocab = {token: i for i, token in enumerate([UNK, BOS, *words, EOS])}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token=UNK))
    tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.add_special_tokens([UNK, BOS, EOS])
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A {EOS}",
        special_tokens=[(BOS, vocab[BOS]), (EOS, vocab[EOS])],
    )
    return tokenizer


def sample_images() -> list[np.ndarray]:
    """Deterministic, smooth (so they compress) images of varied shapes, one with alpha."""
    rng = np.random.default_rng(7)
    shapes = [(192, 256, 3), (260, 200, 3), (300, 300, 3), (224, 240, 4)]
    images = []
    for height, width, channels in shapes:
        y, x = np.mgrid[0:height, 0:width] / max(height, width)
        phase = rng.uniform(0, 2 * np.pi, size=channels)
        freq = rng.uniform(2, 9, size=channels)
        planes = [
            127.5 + 127.5 * np.sin(freq[c] * (x + 0.6 * y) + phase[c]) * np.cos(freq[c] * y)
            for c in range(channels)
        ]
        image = np.stack(planes, axis=-1)
        # A hard-edged block: something for the patch embedding to see.
        image[height // 4 : height // 2, width // 3 : width // 2, :3] = rng.uniform(0, 255, 3)
        images.append(np.clip(image, 0, 255).astype(np.uint8))
    return images


def png_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array, "RGBA" if array.shape[-1] == 4 else "RGB").save(buffer, "PNG")
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("tests/fixtures/tiny_clip"))
    args = parser.parse_args()

    import torch
    from transformers import CLIPConfig, CLIPModel
    from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil

    torch.manual_seed(0)
    tokenizer = build_tokenizer()
    vocab_size = tokenizer.get_vocab_size()
    eos_id = tokenizer.token_to_id(EOS)
    assert eos_id == vocab_size - 1, "the end token must have the highest id, as in CLIP"
    config = CLIPConfig(
        text_config={
            "vocab_size": vocab_size,
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": CONTEXT_LENGTH,
            "bos_token_id": tokenizer.token_to_id(BOS),
            "eos_token_id": eos_id,
            "pad_token_id": eos_id,
        },
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": 224,
            "patch_size": 32,
        },
        projection_dim=16,
    )
    model = CLIPModel(config).eval()

    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "tiny-clip-random"
        model.save_pretrained(source)
        tokenizer.save(str(source / "tokenizer.json"))
        (source / "tokenizer_config.json").write_text(
            json.dumps({"bos_token": BOS, "eos_token": EOS, "pad_token": EOS, "unk_token": UNK})
        )
        CLIPImageProcessorPil().save_pretrained(source)
        if args.out.exists():
            shutil.rmtree(args.out)
        export_clip(source, args.out, quantize_int8=True, name="tiny-clip-random")
        # The Hugging Face source too (safetensors): `models export-clip` tests export from it.
        shutil.copytree(source, args.out / "hf")

    # The manifest would otherwise record the scratch directory's random name.
    manifest_path = args.out / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["source"] = "scripts/make_tiny_clip.py (random weights, torch seed 0)"
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")

    # Expected outputs from torch itself, with transformers' own image preprocessing.
    images = sample_images()
    decoded: list[Image.Image] = [Image.open(io.BytesIO(png_bytes(a))) for a in images]
    pixel_values = CLIPImageProcessorPil()(images=decoded, return_tensors="np")["pixel_values"]
    runtime_tokenizer = Tokenizer.from_file(str(args.out / "tokenizer.json"))
    runtime_tokenizer.enable_truncation(max_length=CONTEXT_LENGTH)
    runtime_tokenizer.enable_padding(pad_id=eos_id, pad_token=EOS)
    encodings = runtime_tokenizer.encode_batch(TEXTS)
    input_ids = torch.tensor([e.ids for e in encodings], dtype=torch.int64)
    attention_mask = torch.tensor([e.attention_mask for e in encodings], dtype=torch.int64)
    with torch.no_grad():
        image_embeds = model.get_image_features(pixel_values=torch.from_numpy(pixel_values))
        text_embeds = model.get_text_features(input_ids=input_ids, attention_mask=attention_mask)
    image_embeds = getattr(image_embeds, "pooler_output", image_embeds)
    text_embeds = getattr(text_embeds, "pooler_output", text_embeds)
    image_embeds = image_embeds / image_embeds.norm(dim=-1, keepdim=True)
    text_embeds = text_embeds / text_embeds.norm(dim=-1, keepdim=True)

    arrays: dict[str, np.ndarray] = {f"image_{i}": a for i, a in enumerate(images)}
    arrays["image_embeds"] = image_embeds.numpy().astype(np.float32)
    arrays["text_embeds"] = text_embeds.numpy().astype(np.float32)
    arrays["texts"] = np.asarray(TEXTS)
    arrays["input_ids"] = input_ids.numpy()
    np.savez_compressed(args.out / "expected.npz", allow_pickle=False, **arrays)
    total = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"wrote {args.out} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
