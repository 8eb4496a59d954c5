"""Does the offline designer follow the brief? Issue 28's measures over a fixed set of briefs
built from the real furniture photos in ../shared/fixtures/furniture (not a timed test).

    uv run python -m bench.brief [--before SRC]

`--before SRC` also runs the same briefs through the `layerminder` package under SRC (e.g. an
older checkout's `src`, made with `git archive <commit> src | tar -x -C /tmp/before`), in a
subprocess, and prints both columns; the measuring code is this checkout's either way.
Designs for the colour and form measures are drawn at 384 px (the measures read shapes and
hues, not detail); the timing draws full 1024 px records.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from layerminder.providers.base import LANGUAGES, Brief, BriefInput, InputImage, Language, Story
from layerminder.styles.catalogue import STYLES_BY_ID

# The photos; another folder of them through LAYERMINDER_BENCH_FIXTURES.
FIXTURES = Path(
    os.environ.get(
        "LAYERMINDER_BENCH_FIXTURES",
        Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "furniture",
    )
)
SIZE = 384
# Clearly coloured references (a mustard lounge, a brown velvet sofa, honey and teak woods, a
# striped slipper chair) and the styles whose palettes used to win over them.
COLOUR_REFS = ("ref6.jpg", "ref4.jpg", "output6.jpg", "output1.jpg", "ref3.jpg")
COLOUR_STYLES = (
    None,
    "mid-century-modern",
    "scandinavian",
    "art-deco",
    "memphis",
    "bauhaus",
    "organic-modern",
    "korean-minimal",
)
# (the form reference, a different form to compare with, keyword)
FORM_PAIRS = (
    ("ref1.jpg", "output3.jpg", "low lounge chair"),
    ("ref6.jpg", "output4.jpg", None),
    ("ref4.jpg", "output5.jpg", "sofa"),
    ("ref2.jpg", "ref4.jpg", None),
    ("ref3.jpg", "output3.jpg", "lounge chair"),
    ("output3.jpg", "ref4.jpg", "dining chair"),
)
# (keyword, the type it names), English and Korean.
TYPE_BRIEFS = (
    ("low lounge chair", "lounge"),
    ("곡선형 부클레 모듈러 소파", "sofa"),
    ("walnut dining chair", "chair"),
    ("스툴", "stool"),
    ("concrete bench", "bench"),
    ("side table in oak", "side_table"),
    ("벤치", "bench"),
    ("라운지 체어", "lounge"),
    ("mustard velvet sofa", "sofa"),
    ("사이드 테이블", "side_table"),
    ("bar stool", "stool"),
    ("식탁 의자 월넛", "chair"),
)
TYPE_STYLES = (None, "japandi", "mid-century-modern", "brutalist")
EDIT_PROMPTS = (
    ("mustard boucle seat cushion", "mustard"),
    ("머스터드색 부클레 좌방석", "mustard"),
    ("terracotta velvet seat", "terracotta"),
    ("teal linen cushion", "teal"),
)


def _image(name: str) -> InputImage:
    return InputImage((FIXTURES / name).read_bytes(), "image/jpeg", name)


def _ref(name: str, role: str = "any", strength: float = 0.5) -> BriefInput:
    return BriefInput(_image(name), role, strength)  # type: ignore[arg-type]


def _style(style_id: str | None) -> Any:
    return STYLES_BY_ID[style_id].cue if style_id else None


def story_briefs() -> list[Brief]:
    """Twelve varied briefs, as a room's history would hold them."""
    s = _style
    return [
        Brief(
            inputs=(_ref("ref1.jpg", "form", 0.85), _ref("ref6.jpg", "colour", 0.6)),
            keyword="low lounge chair",
            style=s("mid-century-modern"),
        ),
        Brief(inputs=(_ref("ref5.jpg"),), keyword="곡선형 부클레 모듈러 소파"),
        Brief(inputs=(_ref("output2.jpg"),), keyword="concrete bench", style=s("brutalist")),
        Brief(inputs=(_ref("output6.jpg"),), keyword="walnut dining chair"),
        Brief(inputs=(_ref("ref4.jpg"),), keyword="스툴", style=s("memphis")),
        Brief(inputs=(_ref("output1.jpg"),), keyword="side table in oak"),
        Brief(inputs=(_ref("ref2.jpg", "form", 0.8),), keyword="minimal", style=s("japandi")),
        Brief(
            inputs=(_ref("ref3.jpg"), _ref("ref6.jpg", "colour", 0.7)),
            keyword="sofa",
            style=s("art-deco"),
        ),
        Brief(inputs=(_ref("output5.jpg"),), keyword="벤치", style=s("korean-minimal")),
        Brief(inputs=(_ref("output4.jpg"),), keyword="cantilever chair", style=s("bauhaus")),
        Brief(inputs=(_ref("ref1.jpg"), _ref("output3.jpg")), style=s("scandinavian")),
        Brief(
            inputs=(_ref("ref6.jpg"),), keyword="라운지 체어 테라코타", style=s("organic-modern")
        ),
    ]


def seat_mask(design: bytes) -> bytes:
    """A designer's brush over the seat: an ellipse over the lower middle of the piece."""
    # Self-contained (an older checkout runs this too): the piece is what differs from each
    # row's backdrop, read at the margins.
    pixels = np.asarray(Image.open(io.BytesIO(design)).convert("RGB"), dtype=np.float32) / 255
    edges = np.concatenate([pixels[:, :24], pixels[:, -24:]], axis=1)
    piece = np.abs(pixels - np.median(edges, axis=1)[:, None, :]).max(axis=2) > 0.12
    rows, cols = np.flatnonzero(piece.any(axis=1)), np.flatnonzero(piece.any(axis=0))
    y0, y1, x0, x1 = rows[0], rows[-1], cols[0], cols[-1]
    cx, cy, w, h = (x0 + x1) / 2, y0 + (y1 - y0) * 0.62, x1 - x0, y1 - y0
    mask = Image.new("RGBA", (pixels.shape[1], pixels.shape[0]), (0, 0, 0, 255))
    box = (cx - w * 0.28, cy - h * 0.14, cx + w * 0.28, cy + h * 0.14)
    ImageDraw.Draw(mask).ellipse(box, fill=(0, 0, 0, 0))
    out = io.BytesIO()
    mask.save(out, format="PNG")
    return out.getvalue()


def _story_writer() -> Callable[[bytes, Brief, Language], Story]:
    """What the local story provider runs (in its worker process), called here directly."""
    try:
        from layerminder.providers.local.story import story_for

        return story_for
    except ImportError:  # a checkout from before issue 28
        from layerminder.providers.local.materials import brief_materials
        from layerminder.providers.local.story import write_story

        return lambda design, brief, language: write_story(
            design, brief.words or None, None, language, brief_materials(brief)
        )


def generate(out: Path) -> None:
    """Draw every brief with the `layerminder` this process imports; write what was drawn."""
    from layerminder.providers.local.designs import plan_brief, render_brief
    from layerminder.providers.local.editing import edit_region

    write = _story_writer()
    result: dict[str, Any] = {"colour": [], "form": [], "type": [], "stories": [], "edits": []}
    designs = out / "designs"
    designs.mkdir(parents=True, exist_ok=True)

    def save(name: str, data: bytes) -> str:
        (designs / name).write_bytes(data)
        return name

    for ref in COLOUR_REFS:
        for strength in (0.5, 0.8):
            for style in COLOUR_STYLES:
                brief = Brief(inputs=(_ref(ref, "colour", strength),), style=_style(style))
                drawn = render_brief(brief, size=SIZE)
                key = f"colour-{ref}-{strength}-{style}"
                files = [save(f"{key}-{i}.jpg", d) for i, d in enumerate(drawn)]
                result["colour"].append(
                    {"ref": ref, "strength": strength, "style": style, "designs": files}
                )
    for form, other, keyword in FORM_PAIRS:
        brief = Brief(inputs=(_ref(form, "form", 0.85),), keyword=keyword)
        files = [
            save(f"form-{form}-{i}.jpg", d) for i, d in enumerate(render_brief(brief, size=SIZE))
        ]
        result["form"].append({"ref": form, "other": other, "designs": files})
    for keyword, kind in TYPE_BRIEFS:
        for style in TYPE_STYLES:
            brief = Brief(inputs=(_ref("ref5.jpg"),), keyword=keyword, style=_style(style))
            result["type"].append(
                {
                    "keyword": keyword,
                    "style": style,
                    "expected": kind,
                    "drawn": list(plan_brief(brief, 4).forms),
                }
            )
    for index, brief in enumerate(story_briefs()):
        design = render_brief(brief, count=1, size=SIZE)[0]
        stories = {lang: write(design, brief, lang) for lang in LANGUAGES}
        result["stories"].append({k: v.model_dump(mode="json") for k, v in stories.items()})
        if index < 3:
            mask = seat_mask(design)
            save(f"edit-{index}-original.jpg", design)
            save(f"edit-{index}-mask.png", mask)
            for number, (prompt, colour) in enumerate(EDIT_PROMPTS):
                edited = edit_region(design, mask, prompt, 1)[0]
                edit_brief = Brief(
                    inputs=(BriefInput(InputImage(design, "image/jpeg", "d")),),
                    mask=InputImage(mask, "image/png", "m"),
                    edit_prompt=prompt,
                )
                story = write(edited, edit_brief, "en")
                result["edits"].append(
                    {
                        "original": f"edit-{index}-original.jpg",
                        "mask": f"edit-{index}-mask.png",
                        "edited": save(f"edit-{index}-{number}.png", edited),
                        "prompt": prompt,
                        "colour": colour,
                        "name": story.name,
                        "story": story.story,
                        "original_name": stories["en"].name,
                        "original_story": stories["en"].story,
                    }
                )
    timing = [
        Brief(
            inputs=(_ref("ref1.jpg", "form", 0.85), _ref("ref6.jpg", "colour", 0.6)),
            keyword="low lounge chair",
            style=_style("mid-century-modern"),
        ),
        Brief(inputs=(_ref("ref4.jpg"), _ref("output2.jpg")), keyword="minimal"),
    ]
    render_brief(timing[1], count=1, size=256)  # warm up imports and caches
    started = time.perf_counter()
    first = [render_brief(brief) for brief in timing for _ in range(2)]
    result["seconds_per_record"] = (time.perf_counter() - started) / len(first)
    result["deterministic"] = render_brief(timing[0]) == first[0]
    (out / "drawn.json").write_text(json.dumps(result, ensure_ascii=False))


def measure(out: Path) -> dict[str, str]:
    """The issue's figures for what `generate` wrote to `out`, each as a printable value."""
    from layerminder.providers.local.measures import (
        dominant_hue,
        hue_distance,
        iou,
        luminance_ssim,
        most_repeated_sentence,
        region_hue,
        silhouette_mask,
    )
    from layerminder.providers.local.vocabulary_brief import COLOURS

    drawn = json.loads((out / "drawn.json").read_text())
    read = lambda name: (out / "designs" / name).read_bytes()  # noqa: E731
    figures: dict[str, str] = {}

    hits = []
    for item in drawn["colour"]:
        wanted = dominant_hue((FIXTURES / item["ref"]).read_bytes())
        got = dominant_hue(*(read(name) for name in item["designs"]))
        hits.append(wanted is not None and got is not None and hue_distance(wanted, got) <= 15)
    figures["colour ref >= 0.5: seat hue within 15° (target >= 90%)"] = (
        f"{100 * np.mean(hits):.0f}% of {len(hits)}"
    )

    margins = []
    for item in drawn["form"]:
        own = silhouette_mask((FIXTURES / item["ref"]).read_bytes())
        other = silhouette_mask((FIXTURES / item["other"]).read_bytes())
        shapes = [silhouette_mask(read(name)) for name in item["designs"]]
        margins.append(
            np.mean([iou(s, own) for s in shapes]) - np.mean([iou(s, other) for s in shapes])
        )
    figures["form ref 0.85: IoU(own) - IoU(other) (target >= 0.15)"] = (
        f"mean {np.mean(margins):+.2f}, min {min(margins):+.2f}, "
        f"{sum(m >= 0.15 for m in margins)}/{len(margins)} pairs"
    )

    typed = [all(kind == item["expected"] for kind in item["drawn"]) for item in drawn["type"]]
    figures["type named: all 4 designs of it (target >= 95%)"] = (
        f"{100 * np.mean(typed):.0f}% of {len(typed)}"
    )

    inside, ssims, hues, names = [], [], [], []
    for item in drawn["edits"]:
        original, edited = read(item["original"]), read(item["edited"])
        mask = np.asarray(Image.open(io.BytesIO(read(item["mask"]))))[:, :, 3] == 0
        before = np.asarray(Image.open(io.BytesIO(original)).convert("RGB"))
        after = np.asarray(Image.open(io.BytesIO(edited)).convert("RGB"))
        inside.append(bool((before[~mask] == after[~mask]).all()))
        ssims.append(luminance_ssim(original, edited, mask))
        # The hue of what the edit repainted: the masked pixels it changed.
        changed = np.abs(before.astype(int) - after.astype(int)).max(axis=2) > 6
        hue = region_hue(edited, mask & changed)
        target = dominant_hue_of_colour(COLOURS[item["colour"]])
        hues.append(hue is not None and hue_distance(hue, target) <= 20)
        names.append(item["name"] == item["original_name"])
    figures["edit: outside the mask unchanged"] = f"{sum(inside)}/{len(inside)}"
    figures["edit: luminance SSIM inside (target >= 0.6)"] = (
        f"min {min(ssims):.2f}, mean {np.mean(ssims):.2f}"
    )
    figures["edit: hue within 20° of the named colour"] = f"{sum(hues)}/{len(hues)}"
    figures["edit: record keeps its name"] = f"{sum(names)}/{len(names)}"

    for lang in ("en", "ko"):
        count, sentence = most_repeated_sentence(s[lang]["story"] for s in drawn["stories"])
        figures[f"stories ({lang}): most shared sentence, in n of 12 (target <= 3)"] = (
            f"{count}: {sentence[:60]}…"
        )
    latin = [
        "".join(ch for ch in s["ko"]["story"].replace("cm", "") if ch.isascii() and ch.isalpha())
        for s in drawn["stories"]
    ]
    figures["stories (ko): Korean stories quoting English"] = (
        f"{sum(1 for text in latin if text)}/{len(latin)}"
    )
    names_en = [s["en"]["name"] for s in drawn["stories"]]
    figures["stories: distinct names of 12"] = str(len(set(names_en)))
    figures["same brief, same bytes"] = "yes" if drawn["deterministic"] else "NO"
    figures["seconds per record (4 x 1024 px, 2 briefs x 2)"] = f"{drawn['seconds_per_record']:.3f}"
    return figures


def dominant_hue_of_colour(rgb: tuple[int, int, int]) -> float:
    import colorsys

    return colorsys.rgb_to_hls(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255)[0] * 360


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="the src folder of an older checkout")
    parser.add_argument("--generate-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only is not None:
        generate(args.generate_only)
        return
    with tempfile.TemporaryDirectory() as tmp:
        now = Path(tmp) / "now"
        generate(now)
        columns = {"now": measure(now)}
        if args.before is not None:
            before = Path(tmp) / "before"
            env = {
                **os.environ,
                "PYTHONPATH": f"{args.before}{os.pathsep}{Path.cwd()}",
                "LAYERMINDER_BENCH_FIXTURES": str(FIXTURES),
            }
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.brief",
                    "--generate-only",
                    str(before),
                ],
                check=True,
                env=env,
            )
            columns = {"before": measure(before), **columns}
    width = max(len(key) for key in columns["now"])
    print(f"{'measure':<{width}}  " + "  |  ".join(columns))
    for key in columns["now"]:
        print(f"{key:<{width}}  " + "  |  ".join(column[key] for column in columns.values()))


if __name__ == "__main__":
    main()
