"""The styles as clients see them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from layerminder.styles.catalogue import Style


class StyleOut(BaseModel):
    id: str = Field(description="Pass as `style` to POST /api/v1/generate")
    name: str
    name_ko: str
    description: str
    description_ko: str
    materials: list[str] = Field(description="Materials the style brings to a brief")
    palette: list[str] = Field(description="The style's colours, #rrggbb")
    preview_url: str = Field(description="A small render of the style by the offline provider")

    @classmethod
    def from_model(cls, style: Style) -> StyleOut:
        return cls(
            id=style.id,
            name=style.name,
            name_ko=style.name_ko,
            description=style.description,
            description_ko=style.description_ko,
            materials=list(style.cue.materials),
            palette=["#{:02x}{:02x}{:02x}".format(*rgb) for rgb in style.cue.palette],
            preview_url=f"/api/v1/styles/{style.id}/preview.jpg",
        )


class StyleList(BaseModel):
    items: list[StyleOut]
