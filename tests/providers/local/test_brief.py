"""The offline renderer and story honour the brief: roles, strengths, named materials, styles."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from layerminder.providers.base import Brief, BriefInput, InputImage, InputRole
from layerminder.providers.local import render_brief, write_story
from layerminder.providers.local.designs import plan_brief
from layerminder.providers.local.materials import named_materials
from layerminder.providers.local.silhouette import read_silhouette
from layerminder.styles.catalogue import STYLES_BY_ID
from tests.providers.local.hues import dominant_hue, hue_distance, share_near
from tests.providers.local.photos import BLUE, RED, photo

GREEN = [(40, 150, 60), (30, 110, 40), (90, 180, 100)]
CREAM = [(236, 228, 212), (222, 212, 194), (245, 240, 230)]
HUES = {"red": 358.0, "blue": 226.0, "green": 130.0}


def _ref(data: bytes, role: InputRole = "any", strength: float = 0.5) -> BriefInput:
    return BriefInput(InputImage(data, "image/jpeg", "ref.jpg"), role, strength)


def _shape(box: tuple[int, int, int, int], *extra: tuple[int, int, int, int]) -> bytes:
    """A dark silhouette on a white studio background, like a product photo."""
    image = Image.new("RGB", (400, 400), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    for rect in (box, *extra):
        draw.rectangle(rect, fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("colour", "others"),
    [("red", ("blue", "green")), ("blue", ("red", "green")), ("green", ("red", "blue"))],
)
def test_designs_follow_a_strong_colour_reference(colour: str, others: tuple[str, str]) -> None:
    palettes = {"red": RED, "blue": BLUE, "green": GREEN}
    brief = Brief(
        inputs=(
            _ref(photo(palettes[others[0]], 1), "any"),
            _ref(photo(palettes[colour], 2), "colour", 0.9),
            _ref(photo(palettes[others[1]], 3), "material", 0.4),
        )
    )
    hue = dominant_hue(*render_brief(brief, size=256))
    distances = {name: hue_distance(hue, HUES[name]) for name in HUES}
    assert distances[colour] < min(distances[o] for o in others), (hue, distances)


def test_strength_decides_how_much_colour() -> None:
    def red_share(strength: float) -> float:
        brief = Brief(inputs=(_ref(photo(BLUE, 1)), _ref(photo(RED, 2), "colour", strength)))
        designs = render_brief(brief, size=192)
        return sum(share_near(d, (200, 30, 35), 0.25) for d in designs)

    assert red_share(0.95) > red_share(0.05) * 1.5


def test_named_walnut_over_cream_boucle_is_never_steel() -> None:
    # The bug this replaces: "organic walnut" + cream bouclé references gave graphite chairs
    # on "blackened steel".
    references = (_ref(photo(CREAM, 1)), _ref(photo(CREAM, 2)))
    brief = Brief(inputs=references, keyword="organic walnut")
    designs = render_brief(brief, size=256)
    for design in designs:
        # Walnut-brown frames are really drawn.
        assert share_near(design, (92, 60, 38), 0.16) > 0.004
    for language in ("en", "ko"):
        story = write_story(designs[0], brief.keyword, None, language, named_materials("walnut"))
        assert ("walnut" if language == "en" else "월넛") in story.material.lower()
        assert "steel" not in story.material.lower() and "스틸" not in story.material
        assert "walnut" in story.keywords


@pytest.mark.parametrize(
    ("keyword", "english", "korean"),
    [
        ("travertine and boucle", ("travertine", "bouclé"), ("트래버틴", "부클레")),
        ("brass velvet", ("brass", "velvet"), ("황동", "벨벳")),
        ("oak linen", ("oak", "linen"), ("오크", "리넨")),
        ("steel leather", ("steel", "leather"), ("스틸", "가죽")),
        ("concrete", ("concrete",), ("콘크리트",)),
        ("marble rattan", ("marble", "rattan"), ("대리석", "라탄")),
        ("월넛 부클레", ("walnut", "bouclé"), ("월넛", "부클레")),
    ],
)
def test_named_materials_reach_the_material_line_in_both_languages(
    keyword: str, english: tuple[str, ...], korean: tuple[str, ...]
) -> None:
    brief = Brief(inputs=(_ref(photo(BLUE, 4)),), keyword=keyword)
    design = render_brief(brief, count=1, size=256)[0]
    named = named_materials(keyword)
    en = write_story(design, keyword, None, "en", named).material.lower()
    ko = write_story(design, keyword, None, "ko", named).material
    assert all(word in en for word in english), en
    assert all(word in ko for word in korean), ko


def test_a_form_reference_picks_archetype_by_strength() -> None:
    bench = _shape((20, 180, 380, 215), (30, 215, 45, 300), (355, 215, 370, 300))
    stool = _shape((130, 60, 270, 95), (140, 95, 155, 340), (245, 95, 260, 340))
    chair = _shape((140, 40, 160, 200), (140, 200, 280, 225), (140, 225, 155, 360),
                   (265, 225, 280, 360))  # fmt: skip
    assert [read_silhouette(s).archetype for s in (bench, stool, chair)] == [  # type: ignore[union-attr]
        "bench",
        "stool",
        "chair",
    ]
    colour = _ref(photo(RED, 1), "colour", 0.6)
    strong = plan_brief(Brief(inputs=(_ref(bench, "form", 1.0), colour)), 4)
    assert strong.forms == ("bench",) * 4
    weak = plan_brief(Brief(inputs=(_ref(stool, "form", 0.2), colour)), 4)
    assert weak.forms[0] == "stool" and len(set(weak.forms)) == 4
    # The shape changes the piece, not only its type: a wider bench than the default one.
    plain = render_brief(Brief(inputs=(colour,)), size=192)
    shaped = render_brief(Brief(inputs=(_ref(bench, "form", 1.0), colour)), size=192)
    assert shaped[2] != plain[2]


def test_a_style_brings_its_form_palette_and_materials() -> None:
    style = STYLES_BY_ID["organic-modern"].cue
    brief = Brief(inputs=(_ref(photo(BLUE, 5)),), style=style)
    plan = plan_brief(brief, 4)
    assert plan.forms[0] == style.form
    assert plan.frame is not None and plan.frame.word == "walnut"
    assert plan.seat is not None and plan.seat.word == "boucle"
    # Without references at all a style still renders (the catalogue's previews).
    alone = render_brief(Brief(inputs=(), style=style), count=1, size=128)
    assert alone[0][:3] == b"\xff\xd8\xff"


def test_same_brief_same_bytes_and_roles_change_the_result() -> None:
    refs = (_ref(photo(RED, 1), "colour", 0.8), _ref(photo(BLUE, 2), "material", 0.5))
    brief = Brief(inputs=refs, keyword="walnut")
    assert render_brief(brief, size=128) == render_brief(brief, size=128)
    swapped = Brief(
        inputs=(_ref(photo(RED, 1), "material", 0.8), _ref(photo(BLUE, 2), "colour", 0.5)),
        keyword="walnut",
    )
    assert render_brief(swapped, size=128) != render_brief(brief, size=128)
