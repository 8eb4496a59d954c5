"""Writing a design's Story from what it is (its spec, else its pixels), and the offline story
provider."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence
from dataclasses import replace

from layerminder import offload
from layerminder.providers.base import (
    Brief,
    Dimensions,
    FurnitureType,
    Language,
    Story,
    StoryResult,
    StyleCue,
)
from layerminder.providers.local.forms import SEAT_FORMS
from layerminder.providers.local.inputs import design_seed
from layerminder.providers.local.materials import NamedMaterial, brief_materials, frame_and_seat
from layerminder.providers.local.reading import DesignReading, read_design
from layerminder.providers.local.spec import DesignSpec, read_spec
from layerminder.providers.local.story_en import English
from layerminder.providers.local.story_facts import (
    apply_edit,
    facts_from_spec,
    style_words,
    twelve_keywords,
)
from layerminder.providers.local.story_ko import Korean, user_keywords
from layerminder.providers.local.story_structure import StoryFacts, compose
from layerminder.providers.local.vocabulary import (
    INSPIRATION,
    MaterialWord,
    colour_name,
    frame_material,
    seeded_choice,
    soft_material,
)


def _dimensions(reading: DesignReading, form: str) -> Dimensions:
    aspect = reading.aspect
    if form == "chair":
        height = 80.0 * min(max((0.64 / max(aspect, 0.3)) ** 0.5, 0.88), 1.2)
        width, depth = 48.0 * min(max(aspect / 0.64, 0.9), 1.2), 52.0
    elif form == "stool":
        height = 46.0 * min(max((0.8 / max(aspect, 0.3)) ** 1.5, 0.9), 1.65)
        width = depth = 38.0
    elif form == "bench":
        width = 120.0 * min(max(aspect / 1.8, 0.75), 1.5)
        height, depth = 45.0, 40.0
    else:
        width = 82.0 * min(max(aspect / 1.14, 0.85), 1.35)
        height, depth = 74.0, 84.0
    # A stool's seat is its top; the others sit at the height their form is drawn with.
    seat = {"chair": 45.0, "bench": 45.0, "lounge": 40.0}.get(form, height)
    return Dimensions(
        width_cm=round(width),
        depth_cm=round(depth),
        height_cm=round(height),
        seat_height_cm=round(seat),
    )


def furniture_type(form: str, dims: Dimensions) -> FurnitureType:
    """The type each drawn form is; a stool tall enough for a bar counter is a bar stool."""
    if form == "stool":
        return FurnitureType.bar_stool if dims.height_cm >= 62 else FurnitureType.stool
    return {
        "chair": FurnitureType.chair,
        "bench": FurnitureType.bench,
        "lounge": FurnitureType.lounge_chair,
    }.get(form, FurnitureType.other)


def _form_words(reading: DesignReading, form: str) -> list[str]:
    words: list[str] = []
    if reading.angularity >= 0.68:
        words += ["angular", "rectilinear"]
    elif reading.angularity <= 0.45:
        words += ["curved", "rounded"]
    else:
        words += ["softened", "geometric"]
    if reading.fill < 0.33:
        words += ["slender", "open"]
    elif reading.fill > 0.58:
        words += ["solid", "enveloping" if form == "lounge" else "monolithic"]
    else:
        words += ["balanced"]
    if reading.base_fill > 0.4:
        words.append("grounded")
    if len(reading.colours) >= 3 or form == "lounge":
        words.append("layered")
    words += {
        "chair": ["upright", "framed"],
        "stool": ["compact", "splayed"],
        "bench": ["linear", "elongated"],
        "lounge": ["low", "generous"],
    }[form]
    words.append("smooth" if reading.texture < 0.05 else "textured")
    return words


def read_story_facts(
    design: bytes,
    keyword: str | None,
    form_hint: str | None = None,
    materials: Sequence[NamedMaterial] = (),
) -> StoryFacts:
    """What a story about this design will say, chosen from its pixels and the brief. Blocking.

    `materials` are the ones the brief names: they are the frame and seat, whatever the pixels
    suggest (the renderer painted them so)."""
    reading = read_design(design)
    form = form_hint if form_hint in SEAT_FORMS else reading.form
    seed = design_seed([design], keyword)
    colours = list(reading.colours) or [((0.5, 0.5, 0.5), 1.0)]
    main_rgb = colours[0][0]
    # The frame is the colour that differs most in lightness from the main surface.
    frame_rgb = max(
        (rgb for rgb, _ in colours[1:]),
        key=lambda rgb: abs(colorsys.rgb_to_hls(*rgb)[1] - colorsys.rgb_to_hls(*main_rgb)[1]),
        default=main_rgb,
    )
    frame = frame_material(frame_rgb, reading.texture)
    soft = soft_material(main_rgb, reading.texture)
    named_frame, named_seat = frame_and_seat(materials)
    if named_frame is not None:
        frame = MaterialWord(named_frame.phrase, named_frame.word, named_frame.family)
    if named_seat is not None:
        soft = MaterialWord(named_seat.phrase, named_seat.word, "soft")
    main_colour, frame_colour = colour_name(main_rgb), colour_name(frame_rgb)
    dims = _dimensions(reading, form)
    object_key = "bar_stool" if form == "stool" and dims.height_cm >= 62 else form
    form_words = _form_words(reading, form)
    style_pool = style_words(frame.word, soft.word, reading.angularity < 0.5)
    material_words = [
        frame.word,
        soft.word,
        *{
            "wood": ["timber", "joinery"],
            "metal": ["metal", "welded"],
            "stone": ["stone", "mineral"],
        }.get(frame.family, []),
        "upholstery",
        "fabric",
        "wood",
    ]
    user_words = user_keywords(keyword)[:2]
    keywords = twelve_keywords(user_words, style_pool, form_words, material_words)
    return StoryFacts(
        form=form,
        object_key=object_key,
        furniture_type=furniture_type(form, dims),
        seed=seed,
        dimensions=dims,
        frame_phrase=frame.phrase,
        frame_word=frame.word,
        frame_family=frame.family,
        soft_phrase=soft.phrase,
        soft_word=soft.word,
        main_colour=main_colour,
        frame_colour=frame_colour,
        form_words=tuple(form_words),
        keywords=tuple(keywords),
        user_words=tuple(user_words),
        keyword=keyword,
        curved_inspiration=(
            reading.angularity <= 0.45 and seeded_choice(("a", "b"), seed, 2) == "a"
        ),
        inspiration=(seed >> 15) % len(INSPIRATION[frame.family]),
        grounded=reading.base_fill > 0.4,
    )


def write_story(
    design: bytes,
    keyword: str | None,
    form_hint: str | None = None,
    language: Language = "en",
    materials: Sequence[NamedMaterial] = (),
    *,
    style: StyleCue | None = None,
) -> Story:
    """Write the Story for a design, in `language`: from the spec a local design carries
    (what was drawn), else from its pixels (any JPEG works; `form_hint`, `materials` and
    `style` then say what the pixels cannot).

    Blocking. Both languages say the same things about the same design: the facts and the
    structure (story_structure.compose) are shared, and each language phrases the parts.
    """
    spec = read_spec(design)
    if spec is not None:
        return write_spec_story(spec, keyword, language)
    facts = read_story_facts(design, keyword, form_hint, materials)
    if style is not None:
        facts = replace(facts, style_id=style.id, style_name=style.name)
    return compose(facts, Korean(facts) if language == "ko" else English(facts))


def write_spec_story(spec: DesignSpec, keyword: str | None, language: Language = "en") -> Story:
    """The Story of a design from its spec. Blocking (cheap)."""
    facts = facts_from_spec(spec, keyword)
    return compose(facts, Korean(facts) if language == "ko" else English(facts))


def story_for(design: bytes, brief: Brief, language: Language = "en") -> Story:
    """The Story the provider writes: for a region edit, the edited design's own story with
    only the repainted part changed (same name, same sentences); else the design's."""
    if brief.is_edit and brief.inputs:
        original = read_spec(brief.inputs[0].image.data)
        if original is not None:
            return write_spec_story(
                apply_edit(original, brief.edit_prompt), original.keyword, language
            )
    return write_story(
        design, brief.keyword, None, language, brief_materials(brief), style=brief.style
    )


class LocalStoryProvider:
    """Offline story provider: materials, colours and form words measured from the pixels."""

    name = "local"
    model = "descriptor-v1"

    async def write_story(
        self, design: bytes, brief: Brief, language: Language = "en"
    ) -> StoryResult:
        story = await offload.run(story_for, design, brief, language)
        return StoryResult(
            story=story, provider=self.name, model=self.model, usage={"cost_microusd": 0}
        )
