"""Issue 28's rules on the offline designer itself: the resolver's precedence, the named type,
form and colour references, region edits, stories from the design, refine, determinism."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from layerminder.providers.base import Brief, BriefInput, InputImage
from layerminder.providers.local.brief import resolve
from layerminder.providers.local.designs import render_brief
from layerminder.providers.local.editing import edit_region, hue_of
from layerminder.providers.local.measures import (
    dominant_hue,
    hue_distance,
    iou,
    luminance_ssim,
    most_repeated_sentence,
    region_hue,
    silhouette_mask,
)
from layerminder.providers.local.spec import read_spec
from layerminder.providers.local.story import story_for
from layerminder.providers.local.vocabulary_brief import COLOURS, english_words, find_all
from layerminder.styles.catalogue import STYLES_BY_ID
from tests.providers.local.photos import BLUE, RED, photo
from tests.providers.local.shapes import MUSTARD, TEAL, seat_mask, slipper_chair, tall_chair

LATIN = "abcdefghijklmnopqrstuvwxyz"


def _ref(data: bytes, role: str = "any", strength: float = 0.5) -> BriefInput:
    return BriefInput(InputImage(data, "image/png", "ref.png"), role, strength)  # type: ignore[arg-type]


def _kinds(designs: list[bytes]) -> list[str]:
    specs = [read_spec(design) for design in designs]
    assert all(spec is not None for spec in specs)
    return [spec.kind for spec in specs if spec is not None]


@pytest.mark.parametrize(
    ("keyword", "kind"),
    [
        ("low lounge chair", "lounge"),
        ("곡선형 부클레 모듈러 소파", "sofa"),
        ("walnut dining chair", "chair"),
        ("스툴", "stool"),
        ("concrete bench", "bench"),
        ("사이드 테이블", "side_table"),
    ],
)
def test_the_type_named_is_drawn_in_all_four(keyword: str, kind: str) -> None:
    style = STYLES_BY_ID["mid-century-modern"].cue  # leans to lounge: the words win
    designs = render_brief(
        Brief(inputs=(_ref(photo(BLUE)),), keyword=keyword, style=style), size=96
    )
    assert _kinds(designs) == [kind] * 4


def test_mix_keeps_the_four_archetypes_and_words_map_across_languages() -> None:
    mixed = resolve(Brief(inputs=(_ref(photo(BLUE)),), keyword="sofa mix"), 4)
    assert mixed.kinds[0] == "sofa" and len(set(mixed.kinds)) == 4
    assert find_all("머스터드색 부클레 좌방석", {"머스터드": "mustard"}) == ["mustard"]
    assert set(english_words("곡선형 부클레 모듈러 소파 월넛 테라코타 아이보리").split()) >= {
        "curved", "boucle", "modular", "sofa", "walnut", "terracotta", "ivory",
    }  # fmt: skip
    # Korean words in a keyword decide materials and colour like English ones.
    korean = resolve(Brief(inputs=(_ref(photo(BLUE)),), keyword="월넛 프레임 머스터드 소파"), 4)
    assert korean.frame is not None and korean.frame.word == "walnut"
    assert korean.seat_colour is not None and korean.seat_colour.decided_by == "keyword"


def test_a_form_reference_picks_the_base_and_the_silhouette() -> None:
    slipper, tall = slipper_chair(), tall_chair()
    colour = _ref(photo(RED), "colour", 0.6)
    for own, other, base in ((slipper, tall, "plinth"), (tall, slipper, "four_legs")):
        designs = render_brief(Brief(inputs=(_ref(own, "form", 0.85), colour)), size=256)
        specs = [read_spec(design) for design in designs]
        assert {spec.base for spec in specs if spec} == {base}
        shapes = [silhouette_mask(design) for design in designs]
        mine = np.mean([iou(shape, silhouette_mask(own)) for shape in shapes])
        theirs = np.mean([iou(shape, silhouette_mask(other)) for shape in shapes])
        assert mine - theirs >= 0.15, (mine, theirs)


@pytest.mark.parametrize("style_id", ["mid-century-modern", "scandinavian", "art-deco", "memphis"])
def test_an_explicit_colour_reference_wins_over_the_style(style_id: str) -> None:
    reference = photo(MUSTARD, seed=3)
    brief = Brief(inputs=(_ref(reference, "colour", 0.6),), style=STYLES_BY_ID[style_id].cue)
    designs = render_brief(brief, size=192)
    wanted, got = dominant_hue(reference), dominant_hue(*designs)
    assert wanted is not None and got is not None
    assert hue_distance(wanted, got) <= 15, (wanted, got)
    assert resolve(brief, 4).decided_by["seat colour"] == "reference"


@pytest.mark.parametrize(
    ("prompt", "colour"), [("머스터드색 부클레 좌방석", "mustard"), ("teal linen cushion", "teal")]
)
def test_a_region_edit_repaints_the_piece_and_keeps_its_name(prompt: str, colour: str) -> None:
    brief = Brief(inputs=(_ref(photo(BLUE), "colour", 0.7),), keyword="lounge chair oak")
    design = render_brief(brief, count=1, size=384)[0]
    mask, area = seat_mask(design)
    edited = edit_region(design, mask, prompt, 2)
    before = np.asarray(Image.open(io.BytesIO(design)).convert("RGB"))
    for variant in edited:
        after = np.asarray(Image.open(io.BytesIO(variant)).convert("RGB"))
        assert (after[~area] == before[~area]).all()
        assert luminance_ssim(design, variant, area) >= 0.6
        changed = area & (np.abs(after.astype(int) - before.astype(int)).max(axis=2) > 6)
        assert changed.sum() > 0.3 * area.sum()
        hue = region_hue(variant, changed)
        target = hue_of(tuple(c / 255 for c in COLOURS[colour]))  # type: ignore[arg-type]
        assert hue is not None and hue_distance(hue, target) <= 20, (hue, target)
        # Not a flat slab: the repainted region keeps the original's shading.
        assert after[changed].std() > 4
    edit_brief = Brief(
        inputs=(_ref(design),), mask=InputImage(mask, "image/png", "m"), edit_prompt=prompt
    )
    original = story_for(design, brief, "en")
    story = story_for(edited[0], edit_brief, "en")
    assert story.name == original.name and story.furniture_type == original.furniture_type
    assert story.dimensions == original.dimensions
    assert "oak" in story.material.lower()  # the frame was not edited
    changed_sentences = set(story.story.split(". ")) ^ set(original.story.split(". "))
    assert 0 < len(changed_sentences) <= 8


def _room_of_briefs() -> list[Brief]:
    s = {style_id: STYLES_BY_ID[style_id].cue for style_id in STYLES_BY_ID}
    palettes = [RED, BLUE, MUSTARD, TEAL]
    words = [
        "low lounge chair", "sofa", "walnut dining chair", "스툴", "concrete bench",
        "side table", "minimal", None, "벤치", "cantilever chair", "곡선형 부클레 모듈러 소파",
        "라운지 체어 테라코타",
    ]  # fmt: skip
    styles = [None, "japandi", "art-deco", "bauhaus", "brutalist", "korean-minimal"]
    briefs = []
    for i, word in enumerate(words):
        style_id = styles[i % len(styles)]
        style = s[style_id] if style_id else None
        briefs.append(
            Brief(inputs=(_ref(photo(palettes[i % 4], seed=i)),), keyword=word, style=style)
        )
    return briefs


def test_stories_come_from_the_design_and_twelve_read_differently() -> None:
    briefs = _room_of_briefs()
    designs = [render_brief(brief, count=1, size=128)[0] for brief in briefs]
    english = [story_for(d, b, "en") for d, b in zip(designs, briefs, strict=True)]
    korean = [story_for(d, b, "ko") for d, b in zip(designs, briefs, strict=True)]
    for stories in (english, korean):
        count, sentence = most_repeated_sentence(story.story for story in stories)
        assert count <= 3, sentence
        assert len({story.name for story in stories}) == 12
    for story in korean:
        assert not any(ch in LATIN for ch in story.story.lower().replace("cm", "")), story.story
    # A plinth has no legs; the type and size in the story are the drawn ones.
    for design, story in zip(designs, english, strict=True):
        spec = read_spec(design)
        assert spec is not None
        width, depth, height, _ = spec.dimensions
        assert story.dimensions.depth_cm == depth
        assert (story.dimensions.width_cm, story.dimensions.height_cm) == (width, height)
        if spec.base == "plinth":
            assert not re.search(r"(four|splayed|tapered|straight|on) legs", story.story)
        if spec.kind == "lounge":
            assert "hall" not in story.story


def test_refine_keeps_the_parents_style_and_materials_unless_the_brief_changes_them() -> None:
    style = STYLES_BY_ID["art-deco"].cue
    parent = render_brief(Brief(inputs=(_ref(photo(BLUE)),), style=style), size=128)[1]
    parent_spec = read_spec(parent)
    assert parent_spec is not None
    child = render_brief(Brief(inputs=(_ref(parent, "form", 0.8),), keyword="wider"), size=128)
    specs = [read_spec(design) for design in child]
    assert all(spec and spec.style and spec.style.id == "art-deco" for spec in specs)
    assert {(s.frame.word, s.seat.word) for s in specs if s} == {("brass", "velvet")}
    assert {s.kind for s in specs if s} == {parent_spec.kind}
    # The brief names a material: that one wins.
    oak = render_brief(Brief(inputs=(_ref(parent, "form", 0.8),), keyword="oak"), size=128)
    assert {read_spec(d).frame.word for d in oak} == {"oak"}  # type: ignore[union-attr]


def test_same_brief_same_bytes() -> None:
    brief = Brief(
        inputs=(_ref(slipper_chair(), "form", 0.85), _ref(photo(MUSTARD), "colour", 0.6)),
        keyword="곡선형 부클레 모듈러 소파",
        style=STYLES_BY_ID["japandi"].cue,
    )
    assert render_brief(brief, size=128) == render_brief(brief, size=128)
