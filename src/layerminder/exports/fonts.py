"""The tech pack's typeface: Noto Sans KR turned into a small TrueType font for one document.

Noto Sans KR ships (in a PyPI package, SIL OFL) as a CID-keyed CFF OpenType font. fpdf embeds
such a font with its encoding as an embedded CMap stream, which pypdf and many document
pipelines cannot read: their text comes out as NUL-padded bytes. A TrueType font is embedded
with the standard Identity-H encoding and a ToUnicode map, which every reader understands. So
each document gets the glyphs it prints, subset from the OpenType font and converted to
TrueType outlines (a few hundred glyphs: ~0.3 s, most of it reading the 4.6 MB font).
"""

from __future__ import annotations

import io
import string
from functools import cache

import pylopdf_fonts_ko

# fontTools comes with fpdf2 (which subsets with it) and ships no type information.
from fontTools.pens.cu2quPen import Cu2QuPen  # type: ignore[import-untyped]
from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]
from fontTools.subset import Options, Subsetter  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont, newTable  # type: ignore[import-untyped]

# Always in the subset: whatever a number, a date, a unit or a separator may need.
ALWAYS = string.printable + "·–—×“”‘’…"
# How far (in font units of 1000 per em) a quadratic outline may stray from the cubic one.
MAX_CURVE_ERROR = 1.0
# Tables a PDF's text does not use (vertical metrics, OpenType layout, the signature).
DROPPED_TABLES = ["VORG", "vhea", "vmtx", "BASE", "GDEF", "GPOS", "GSUB", "DSIG"]


@cache
def _source_path() -> str:
    return str(pylopdf_fonts_ko.sans_path())


def truetype_subset(text: str) -> bytes:
    """Noto Sans KR as a TrueType font holding the glyphs of `text` (and of ALWAYS)."""
    font = TTFont(_source_path())
    options = Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += DROPPED_TABLES
    subsetter = Subsetter(options)
    subsetter.populate(text=text + ALWAYS)
    subsetter.subset(font)
    _cff_to_truetype(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _cff_to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines with quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        # CFF contours run the other way round from TrueType's.
        glyphs[name].draw(Cu2QuPen(pen, MAX_CURVE_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    font["maxp"] = maxp  # counts and bounds are recalculated when the font is saved

    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
