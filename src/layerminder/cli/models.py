"""`layerminder models`: export CLIP to ONNX for recommendations and text search."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from layerminder.cli.common import console, fail
from layerminder.config import Settings
from layerminder.recommender.export import DEFAULT_SOURCE, MANIFEST_NAME

models_app = typer.Typer(help="Embedding models (CLIP).", no_args_is_help=True)

INSTALL_HINT = (
    "`make clip` installs it into the project's environment (torch 2.13.0, CPU build) and exports"
)


@models_app.command("export-clip")
def export_clip(
    source: Annotated[
        str,
        typer.Option(help="A Hugging Face model id, or a local folder of its files"),
    ] = DEFAULT_SOURCE,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the ONNX model (default: models/clip in the data dir, where "
            "the server looks for it)",
            show_default=False,
        ),
    ] = None,
    int8: Annotated[bool, typer.Option(help="Also write an int8 vision model")] = True,
) -> None:
    """Export CLIP's image and text encoders to ONNX (needs the `export` extra: torch)."""
    from layerminder.recommender.export import ClipSourceError
    from layerminder.recommender.export import export_clip as run_export

    default_dir = Settings().resolved_clip_model_dir
    target = out or default_dir
    try:
        _quiet_transformers()
        run_export(source, target, quantize_int8=int8)
    except ClipSourceError as exc:
        raise fail(exc.message) from None
    except ImportError as exc:
        raise fail(
            f"exporting needs the optional `export` extra ({exc.name} is missing): {INSTALL_HINT}"
        ) from None
    name = json.loads((target / MANIFEST_NAME).read_text())["name"]
    console.print(f"exported CLIP [bold]{name}[/] to {target}")
    if target.resolve() == default_dir.resolve():
        console.print(
            "the server uses it from there on its next start; re-embed an existing library "
            "with `layerminder library reindex`"
        )
    else:
        console.print("the server uses it when LAYERMINDER_CLIP_MODEL_DIR names that folder")


def _quiet_transformers() -> None:
    """No per-tensor progress bar while the weights load (needs transformers: inside the try)."""
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
