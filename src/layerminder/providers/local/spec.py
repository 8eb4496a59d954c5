"""A design's spec: what the offline designer drew (type, base, proportions, materials, colours,
sizes, style), carried inside the JPEG it drew as a comment.

The story reads it to describe the design itself rather than guess from pixels, a refine
reads its parent's to keep the style and materials, and an edit's story reads the edited
design's to keep its name. Images from elsewhere carry none; the readers then fall back on the
pixels. The comment is plain JSON, so it is also how other tools can rebuild the parts.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from PIL import Image

from layerminder.providers.base import StyleCue
from layerminder.providers.local.forms import Build
from layerminder.providers.local.proportions import Proportions

_MARK = b"layerminder-design:"
SPEC_VERSION = 1


@dataclass(frozen=True)
class SlotFinish:
    """One material slot as drawn: the material word and phrase, its family and colour."""

    word: str  # walnut, boucle, steel, lacquer …
    phrase: str  # oiled walnut
    family: str  # wood | metal | stone | soft
    rgb: tuple[int, int, int]


@dataclass(frozen=True)
class DesignSpec:
    build: Build
    proportions: Proportions
    frame: SlotFinish
    seat: SlotFinish
    accent_rgb: tuple[int, int, int]
    # Width, depth, height and seat height (0 for a table) in cm, measured on the parts.
    dimensions: tuple[int, int, int, int]
    seed: int  # the story's choices (name, sentences) come from it
    keyword: str | None = None
    style: StyleCue | None = None
    # Which precedence level decided what: "reference", "keyword", "style", "parent", "default".
    decided_by: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.build.kind

    @property
    def base(self) -> str:
        return self.build.base


def _to_json(spec: DesignSpec) -> dict[str, Any]:
    data = asdict(spec)
    data["version"] = SPEC_VERSION
    return data


def _tuple(value: Any) -> Any:
    return tuple(_tuple(item) for item in value) if isinstance(value, list) else value


def _from_json(data: dict[str, Any]) -> DesignSpec:
    style = data.get("style")
    proportion_names = {f.name for f in fields(Proportions)}
    return DesignSpec(
        build=Build(**data["build"]),
        proportions=Proportions(
            **{k: v for k, v in data["proportions"].items() if k in proportion_names}
        ),
        frame=SlotFinish(**{**data["frame"], "rgb": tuple(data["frame"]["rgb"])}),
        seat=SlotFinish(**{**data["seat"], "rgb": tuple(data["seat"]["rgb"])}),
        accent_rgb=tuple(data["accent_rgb"]),
        dimensions=tuple(data["dimensions"]),
        seed=int(data["seed"]),
        keyword=data.get("keyword"),
        style=StyleCue(**{k: _tuple(v) for k, v in style.items()}) if style else None,
        decided_by=dict(data.get("decided_by") or {}),
    )


def spec_comment(spec: DesignSpec) -> bytes:
    """The JPEG comment that carries `spec`."""
    return _MARK + json.dumps(_to_json(spec), sort_keys=True, ensure_ascii=False).encode()


def read_spec(data: bytes) -> DesignSpec | None:
    """The spec a local design carries; None for any other image (or a damaged comment)."""
    if _MARK not in data[:65536]:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            comment = image.info.get("comment", b"")
        if not isinstance(comment, bytes) or not comment.startswith(_MARK):
            return None
        parsed = json.loads(comment[len(_MARK) :].decode())
        if parsed.get("version") != SPEC_VERSION:
            return None
        return _from_json(parsed)
    except (OSError, ValueError, KeyError, TypeError):
        return None
