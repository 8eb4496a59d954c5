"""`layerminder models`: export CLIP to ONNX for recommendations and text search."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from layerminder.cli.main import console, fail

models_app = typer.Typer(help="Embedding models.", no_args_is_help=True)


@models_app.command("export-clip")
def export_clip(
    source: Annotated[
        str, typer.Option(help="Hugging Face id or a local directory of CLIP weights")
    ] = "openai/clip-vit-base-patch32",
    out: Annotated[Path, typer.Option(help="Where to write the ONNX model")] = Path(
        "./data/models/clip-vit-b32"
    ),
    int8: Annotated[bool, typer.Option(help="Also write a dynamic-int8 vision model")] = True,
) -> None:
    """Export CLIP's image and text encoders to ONNX (needs the `export` extra: torch)."""
    try:
        from layerminder.recommender.export import export_clip as run_export
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise fail(
            f"the export needs the optional extra: `pip install torch==2.13.0 "
            f"transformers onnx` ({exc})"
        ) from None
    try:
        manifest = run_export(source, out, quantize_int8=int8)
    except ImportError as exc:
        raise fail(
            "exporting needs torch and transformers: install the `export` extra "
            f"(here: `pip install torch==2.13.0 transformers onnx`). Missing: {exc.name}"
        ) from None
    console.print(f"exported CLIP to [bold]{out}[/] ({manifest})")
    console.print(f"use it with: LAYERMINDER_CLIP_MODEL_DIR={out.resolve()}")
