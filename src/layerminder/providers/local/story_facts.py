"""A story's facts from the design itself: the spec its JPEG carries (type, base, sizes,
materials, colours, style), and the same spec after a region edit changed one part."""

from __future__ import annotations

from dataclasses import replace

from layerminder.providers.base import KEYWORD_COUNT, Dimensions, FurnitureType, normalise_keywords
from layerminder.providers.local.editing import edit_target
from layerminder.providers.local.spec import DesignSpec, SlotFinish
from layerminder.providers.local.story_ko import user_keywords
from layerminder.providers.local.story_structure import StoryFacts, pick
from layerminder.providers.local.vocabulary import colour_name

_TYPES = {
    "chair": FurnitureType.chair,
    "stool": FurnitureType.stool,
    "bar_stool": FurnitureType.bar_stool,
    "bench": FurnitureType.bench,
    "lounge": FurnitureType.lounge_chair,
    "sofa": FurnitureType.sofa,
    "side_table": FurnitureType.table,
}
# Frame materials → the style words they suggest (the keywords' style pool).
FRAME_STYLE_WORDS = {
    "oak": ["scandinavian", "natural"], "ash": ["nordic", "airy"],
    "walnut": ["midcentury", "crafted"], "lacquer": ["playful", "graphic"],
    "steel": ["industrial", "modernist"], "aluminium": ["technical", "modernist"],
    "brass": ["deco", "refined"], "marble": ["classical", "refined"],
    "travertine": ["mediterranean", "serene"], "concrete": ["brutalist", "architectural"],
    "cherry": ["shaker", "crafted"], "teak": ["midcentury", "warm"], "pine": ["rustic", "natural"],
    "birch": ["nordic", "light"], "maple": ["nordic", "natural"],
    "bamboo": ["natural", "sustainable"], "rattan": ["mediterranean", "woven"],
    "cane": ["woven", "airy"], "chrome": ["modernist", "bauhaus"],
}  # fmt: skip
FAMILY_WORDS = {
    "wood": ["timber", "joinery"], "metal": ["metal", "welded"], "stone": ["stone", "mineral"],
}  # fmt: skip
SOFT_STYLE_WORDS = {
    "velvet": ["luxurious"], "leather": ["tailored"], "boucle": ["cosy"], "linen": ["relaxed"],
    "wool": ["warm"],
}  # fmt: skip


def style_words(frame_word: str, soft_word: str, curved: bool) -> list[str]:
    words = list(FRAME_STYLE_WORDS.get(frame_word, ["contemporary"]))
    words += SOFT_STYLE_WORDS.get(soft_word, [])
    words.append("sculptural" if curved else "minimal")
    return [*words, "contemporary", "timeless", "handcrafted", "modern"]


def twelve_keywords(user: list[str], *pools: list[str]) -> list[str]:
    """User words first, then style, form and material words in turn, without repeats."""
    chosen: list[str] = []
    for word in user:
        if word not in chosen:
            chosen.append(word)
    queues = [normalise_keywords(pool) for pool in pools]
    while len(chosen) < KEYWORD_COUNT and any(queues):
        for queue in queues:
            while queue and queue[0] in chosen:
                queue.pop(0)
            if queue and len(chosen) < KEYWORD_COUNT:
                chosen.append(queue.pop(0))
    for spare in ("design", "furniture", "seating", "studio", "object", "interior"):
        if len(chosen) >= KEYWORD_COUNT:
            break
        if spare not in chosen:
            chosen.append(spare)
    return chosen[:KEYWORD_COUNT]


def _form_words(spec: DesignSpec) -> list[str]:
    """Words for the shape, first the curve (lead), then the weight (third), then the rest:
    every one is a word both languages phrase (vocabulary_ko.FORM_WORDS_KO)."""
    p, kind, base = spec.proportions, spec.kind, spec.base
    if p.roundness >= 0.6:
        words = ["curved", "rounded"]
    elif p.roundness <= 0.15:
        words = ["angular", "rectilinear"]
    else:
        words = ["softened", "geometric"]
    if base == "plinth" or p.thickness >= 1.4:
        words += ["solid", "enveloping" if kind in {"lounge", "sofa"} else "monolithic"]
    elif p.leg <= 0.75:
        words += ["slender", "open"]
    else:
        words += ["balanced"]
    if base == "plinth":
        words.append("grounded")
    words += {
        "chair": ["upright", "framed"],
        "stool": ["compact"],
        "bench": ["linear", "elongated"],
        "lounge": ["low", "generous"],
        "sofa": ["generous", "layered"],
        "side_table": ["compact"],
    }[kind]
    if base == "splayed":
        words.append("splayed")
    return words


def facts_from_spec(spec: DesignSpec, keyword: str | None) -> StoryFacts:
    """What a story says about a design LayerMinder drew: read from what it drew."""
    width, depth, height, seat = spec.dimensions
    kind = spec.kind
    object_key = "bar_stool" if kind == "stool" and seat >= 62 else kind
    seed = spec.seed
    frame, soft = spec.frame, spec.seat
    curved = spec.proportions.roundness >= 0.6
    form_words = _form_words(spec)
    extra_form = [spec.base.replace("_", "")] if spec.base not in {"four_legs"} else ["legged"]
    if spec.build.modules > 1 and kind == "sofa":
        extra_form.append("modular")
    family_words = FAMILY_WORDS.get(frame.family, [])
    material_words = [frame.word, soft.word, *family_words, "upholstery", "fabric", "wood"]
    user_words = user_keywords(keyword)[:2]
    keywords = twelve_keywords(
        user_words,
        style_words(frame.word, soft.word, curved),
        form_words + extra_form,
        material_words,
    )
    return StoryFacts(
        form=kind,
        object_key=object_key,
        furniture_type=_TYPES[object_key],
        seed=seed,
        dimensions=Dimensions(
            width_cm=max(width, 1),
            depth_cm=max(depth, 1),
            height_cm=max(height, 1),
            seat_height_cm=seat or None,
        ),
        frame_phrase=frame.phrase,
        frame_word=frame.word,
        frame_family=frame.family if frame.family != "soft" else "wood",
        soft_phrase=soft.phrase,
        soft_word=soft.word,
        main_colour=colour_name(tuple(c / 255 for c in soft.rgb)),  # type: ignore[arg-type]
        frame_colour=colour_name(tuple(c / 255 for c in frame.rgb)),  # type: ignore[arg-type]
        form_words=tuple(form_words),
        keywords=tuple(keywords),
        user_words=tuple(user_words),
        keyword=keyword,
        curved_inspiration=curved and pick(("a", "b"), seed, 10) == "a",
        inspiration=0,
        grounded=spec.base == "plinth",
        base=spec.base,
        modules=spec.build.modules if kind == "sofa" else 1,
        arms=spec.build.arms if kind in {"lounge", "sofa"} else False,
        style_id=spec.style.id if spec.style else None,
        style_name=spec.style.name if spec.style else None,
    )


def apply_edit(spec: DesignSpec, prompt: str | None) -> DesignSpec:
    """The spec after an edit repainted one part as `prompt` says: the part it names (seat,
    frame …), else the seat for a soft material or a colour and the frame for a hard one.
    Everything else, the seed with it, stays: the story keeps its name and its sentences."""
    target = edit_target(prompt)
    rgb = (
        round(target.colour[0] * 255),
        round(target.colour[1] * 255),
        round(target.colour[2] * 255),
    )
    material = target.material
    part = target.part
    if part is None:
        part = "frame" if material is not None and material.is_frame else "seat"
    if part == "frame":
        current = spec.frame
        frame = SlotFinish(
            material.word if material else current.word,
            material.phrase if material else current.phrase,
            material.family if material else current.family,
            rgb,
        )
        return replace(spec, frame=frame)
    current = spec.seat
    seat = SlotFinish(
        material.word if material and not material.is_frame else current.word,
        material.phrase if material and not material.is_frame else current.phrase,
        "soft",
        rgb,
    )
    return replace(spec, seat=seat)
