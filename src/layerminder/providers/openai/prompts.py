"""The one template every OpenAI design prompt is composed from (documented in docs/openai.md).

The references go to `images.edit` in the brief's order and the prompt names them by that
position, each with what to take from it and how much:

    Combine the key design concepts of these 3 reference images into one new piece of
    furniture: something one can sit on (a chair, stool, bench or lounge seat).
    Image 1: take its form: silhouette, proportions and structure (strong).
    Image 2: take its colour palette (light).
    Image 3: take its materials and surface textures (moderate).
    Where the references disagree, follow the stronger one.
    Style: Japandi: low and calm, pale oak with visible joinery, natural linen, ...
    Keyword: organic walnut — let it shape the form, proportions and materials.
    Keep the details minimalistic with a clean aesthetic. Show the whole piece, ...
"""

from __future__ import annotations

import re

from layerminder.providers.base import Brief, InputRole

DEFAULT_STYLE = "contemporary minimalist"

ROLE_PHRASES: dict[InputRole, str] = {
    "any": "its key design concepts",
    "form": "its form: silhouette, proportions and structure",
    "material": "its materials and surface textures",
    "colour": "its colour palette",
    "mood": "its mood and atmosphere",
}
# Upper bounds (exclusive) of each strength word; 1.0 itself is "very strong".
STRENGTH_WORDS: tuple[tuple[float, str], ...] = (
    (0.2, "a hint"),
    (0.45, "light"),
    (0.7, "moderate"),
    (0.9, "strong"),
)


def strength_word(strength: float) -> str:
    for bound, word in STRENGTH_WORDS:
        if strength < bound:
            return word
    return "very strong"


def _clean(text: str | None, limit: int) -> str:
    return re.sub(r"\s+", " ", text or "").strip()[:limit]


def build_design_prompt(brief: Brief, input_count: int | None = None) -> str:
    """The edit prompt for a brief: never empty; `input_count` is how many of its references
    are sent (a model may take fewer than the brief has)."""
    count = len(brief.inputs) if input_count is None else input_count
    inputs = brief.inputs[:count]
    if count <= 1:
        source = "Take the key design concepts from this reference image"
    else:
        source = f"Combine the key design concepts of these {count} reference images"
    lines = [
        f"{source} into one new piece of furniture: something one can sit on "
        "(a chair, stool, bench or lounge seat)."
    ]
    lines += [
        f"Image {index}: take {ROLE_PHRASES[item.role]} ({strength_word(item.strength)})."
        for index, item in enumerate(inputs, start=1)
    ]
    if count > 1:
        lines.append("Where the references disagree, follow the stronger one.")
    keyword = _clean(brief.keyword, 100)
    if brief.style is not None:
        lines.append(f"Style: {_clean(brief.style.prompt, 300)}.")
    if keyword or brief.style is None:
        lines.append(
            f"Keyword: {keyword or DEFAULT_STYLE} — let it shape the form, proportions and "
            "materials."
        )
    lines.append(
        "Keep the details minimalistic with a clean aesthetic. Show the whole piece, centred, "
        "on a plain light studio background with soft even lighting and realistic materials. "
        "No people, no text, no logos."
    )
    return "\n".join(lines)
