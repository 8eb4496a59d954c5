"""The brief resolver: what the designs of one batch are drawn as and in, decided once.

One precedence decides every choice, highest first:

1. **Explicit references, strongest first**, for what their role gives: a `form` reference its
   silhouette's base and proportions (legless, low, long …) and, when no word names a type,
   its type; a `colour` reference the seat's colour (outright from strength 0.5, mixed into
   the lower levels' colour by strength below that); a `material` reference the frame's
   colour and every part's texture.
2. **The keyword's words**, English or Korean (소파, 월넛, 머스터드 …): the furniture type
   (drawn in all four designs unless the brief says "mix"), the base, the materials, a colour
   and shape words.
3. **The style's defaults**: its leaning type, materials, palette and shape words. Refining a
   design LayerMinder drew, with no style named, the parent's style and materials stand here.

What no level decides varies across the four designs (the mixed types, each type's bases).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from layerminder.providers.base import Brief, BriefInput, StyleCue
from layerminder.providers.local.forms import DEFAULT_BASES, SEAT_FORMS
from layerminder.providers.local.inputs import dominant_colour
from layerminder.providers.local.materials import (
    MATERIALS,
    NamedMaterial,
    frame_and_seat,
    named_materials,
)
from layerminder.providers.local.proportions import keyword_proportions
from layerminder.providers.local.silhouette import Silhouette, read_silhouette
from layerminder.providers.local.spec import DesignSpec, read_spec
from layerminder.providers.local.vocabulary_brief import (
    BASE_WORDS,
    COLOUR_WORDS,
    COLOURS,
    MATERIAL_WORDS_KO,
    MIX_WORDS,
    MODULAR_WORDS,
    TYPE_WORDS,
    english_words,
    find_all,
    find_first,
)

RGB = tuple[float, float, float]

# From this strength a reference's colour or material is the design's, not a hint.
EXPLICIT = 0.5
# From this strength a form reference's shape is every design's.
FORM_FOR_ALL = 0.7


@dataclass(frozen=True)
class Choice:
    """A colour the brief decided, how firmly (0..1) and by which precedence level."""

    rgb: RGB
    strength: float
    decided_by: str


@dataclass(frozen=True)
class ResolvedBrief:
    kinds: tuple[str, ...]  # the furniture type of each position
    bases: tuple[str, ...]  # what each position stands on
    shape_words: str | None  # the English words the proportions read (keyword, then style)
    # The silhouette a form reference asks the shaped positions to fit, by its strength.
    silhouette: Silhouette | None = None
    form_strength: float = 0.0
    shaped: tuple[bool, ...] = ()  # which positions follow the form reference
    seat_colour: Choice | None = None
    frame_colour: Choice | None = None  # from a material reference
    mood: Choice | None = None
    frame: NamedMaterial | None = None
    seat: NamedMaterial | None = None
    modular: bool = False
    style: StyleCue | None = None
    keyword: str | None = None
    decided_by: dict[str, str] = field(default_factory=dict)


def _parent_spec(brief: Brief) -> DesignSpec | None:
    """The spec of the design a refine starts from: its first `form` reference, when it is one
    LayerMinder drew."""
    for item in brief.with_role("form"):
        spec = read_spec(item.image.data)
        if spec is not None:
            return spec
    return None


def _materials(text: str | None) -> list[NamedMaterial]:
    korean = [MATERIALS[w] for w in find_all(text, MATERIAL_WORDS_KO) if w in MATERIALS]
    found = named_materials(text)
    return found + [m for m in korean if m not in found]


def _strongest_colour(items: list[BriefInput]) -> tuple[RGB, float] | None:
    if not items:
        return None
    best = items[0]  # with_role sorts strongest first
    return dominant_colour(best.image.data), best.strength


def _mix(a: RGB, b: RGB, amount: float) -> RGB:
    t = min(max(amount, 0.0), 1.0)
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def _unit(rgb: tuple[int, int, int]) -> RGB:
    return (rgb[0] / 255, rgb[1] / 255, rgb[2] / 255)


def _seat_colour(brief: Brief, keyword: str | None, parent: DesignSpec | None) -> Choice | None:
    word = find_first(keyword, COLOUR_WORDS)
    lower: Choice | None = None
    if word is not None:
        lower = Choice(_unit(COLOURS[word]), 1.0, "keyword")
    elif parent is not None:
        lower = Choice(_unit(parent.seat.rgb), 0.8, "parent")
    reference = _strongest_colour(brief.with_role("colour"))
    if reference is None:
        return lower
    rgb, strength = reference
    if strength >= EXPLICIT or lower is None:
        return Choice(rgb, strength, "reference")
    return Choice(_mix(lower.rgb, rgb, 2 * strength), lower.strength, lower.decided_by)


def _kinds(
    words_type: str | None, mix: bool, form_kind: str | None, form_strength: float,
    style: StyleCue | None, count: int,
) -> tuple[tuple[str, ...], tuple[bool, ...], str]:  # fmt: skip
    """Each position's type, which positions follow the form reference, and who decided."""
    order = list(SEAT_FORMS)
    lead, decided_by = None, "default"
    if words_type is not None:
        lead, decided_by = words_type, "keyword"
    elif form_kind is not None:
        lead, decided_by = form_kind, "reference"
    elif style is not None and style.form in SEAT_FORMS:
        lead, decided_by = style.form, "style"
    if lead is None:
        kinds = [order[i % len(order)] for i in range(count)]
    elif (decided_by == "keyword" and not mix) or (
        decided_by == "reference" and form_strength >= FORM_FOR_ALL and not mix
    ):
        kinds = [lead] * count
    else:
        # The stronger a form reference, the more of the batch takes its type; a style or a
        # "mix" leads with its type and the rest vary.
        following = max(1, round(4 * form_strength)) if decided_by == "reference" else 1
        rest = [kind for kind in order if kind != lead]
        kinds = ([lead] * following + rest)[:count]
        kinds += [order[i % len(order)] for i in range(len(kinds), count)]
    # A strong form reference shapes every design, whatever its type; a weaker one its own.
    shaped = tuple(
        form_kind is not None and (form_strength >= FORM_FOR_ALL or kind == form_kind)
        for kind in kinds
    )
    return tuple(kinds), shaped, decided_by


def _style_base(style: StyleCue | None) -> str | None:
    if style is None:
        return None
    p = keyword_proportions(" ".join(style.proportion_words))
    if p.slab_legs:
        return "plinth"
    if p.metal_frame and "bauhaus" in style.proportion_words:
        return "cantilever"
    if p.splay >= 0.5:
        return "splayed"
    return None


def _keyword_base(keyword: str | None, shape_words: str) -> str | None:
    named = find_first(keyword, BASE_WORDS)
    if named is not None:
        return named
    p = keyword_proportions(shape_words)
    return "plinth" if p.slab_legs else None


def resolve(brief: Brief, count: int) -> ResolvedBrief:
    """Read a brief once for a batch of `count` designs. Blocking (decodes the references)."""
    parent = _parent_spec(brief)
    # A refine with no style named keeps its parent's style, materials and seat colour.
    inherits = brief.style is None and parent is not None
    style = parent.style if inherits and parent else brief.style
    keyword = brief.keyword
    keyword_en = english_words(keyword)
    decided: dict[str, str] = {}

    form_refs = brief.with_role("form")
    silhouette = read_silhouette(form_refs[0].image.data) if form_refs else None
    form_strength = form_refs[0].strength if form_refs else 0.0
    form_kind = parent.kind if parent else (silhouette.archetype if silhouette else None)
    words_type = find_first(keyword, TYPE_WORDS)
    mix = bool(find_all(keyword, MIX_WORDS))
    kinds, shaped, decided["type"] = _kinds(words_type, mix, form_kind, form_strength, style, count)

    style_words = " ".join(style.proportion_words) if style else ""
    shape_words = " ".join(w for w in (keyword_en, style_words) if w) or None
    explicit_form = form_strength >= EXPLICIT and (silhouette is not None or parent is not None)
    base: str | None = None
    if explicit_form:
        base = parent.base if parent else silhouette.base if silhouette else None
        decided["base"] = "reference"
    if base is None and (base := _keyword_base(keyword, keyword_en)) is not None:
        decided["base"] = "keyword"
    if base is None and (base := _style_base(style)) is not None:
        decided["base"] = "style"
    bases = tuple(
        base if base is not None and (shaped[i] or decided["base"] != "reference")
        else DEFAULT_BASES[kind][i % len(DEFAULT_BASES[kind])]
        for i, kind in enumerate(kinds)
    )  # fmt: skip

    # Materials: the keyword's (either language) over the style's (or the parent's).
    keyword_frame, keyword_seat = frame_and_seat(_materials(keyword))
    if inherits and parent is not None:
        default_frame = MATERIALS.get(parent.frame.word)
        default_seat = MATERIALS.get(parent.seat.word)
    else:
        default_frame, default_seat = frame_and_seat(
            named_materials(" ".join(style.materials)) if style else []
        )
    frame = keyword_frame or default_frame
    seat = keyword_seat or default_seat
    decided["frame"] = "keyword" if keyword_frame else ("style" if frame else "pixels")
    decided["seat"] = "keyword" if keyword_seat else ("style" if seat else "pixels")

    seat_colour = _seat_colour(brief, keyword, parent if inherits else None)
    decided["seat colour"] = seat_colour.decided_by if seat_colour else "palette"
    material_ref = _strongest_colour(brief.with_role("material"))
    mood = _strongest_colour(brief.with_role("mood"))
    return ResolvedBrief(
        kinds=kinds,
        bases=bases,
        shape_words=shape_words,
        silhouette=silhouette if explicit_form and parent is None else None,
        form_strength=form_strength,
        shaped=shaped,
        seat_colour=seat_colour,
        frame_colour=Choice(*material_ref, "reference") if material_ref else None,
        mood=Choice(*mood, "reference") if mood else None,
        frame=frame,
        seat=seat,
        modular=any(w in MODULAR_WORDS for w in keyword_en.split()),
        style=style,
        keyword=keyword,
        decided_by=decided,
    )
