"""The tech pack's A4 page: fonts, margins, colours, and the drawing helpers every section uses."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from layerminder.exports.sheet import SheetImage

# Noto Sans KR (SIL OFL) ships in a PyPI package: Hangul and Latin from one embedded, subset
# font, and nothing fetched at run time (embedded as TrueType: see exports/fonts.py).
FONT = "NotoSansKR"

MARGIN = 14.0
PAGE_W = 210.0
CONTENT_W = PAGE_W - 2 * MARGIN
INK = (28, 25, 23)
MUTED = (120, 113, 108)
RULE = (214, 211, 209)
WARN = (180, 83, 9)


class SheetDocument(FPDF):
    def __init__(self, labels: dict[str, str], footer_text: str, font_file: Path) -> None:
        super().__init__(format="A4", unit="mm")
        self.labels = labels
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 4)
        # Made for each document: when fpdf writes the file it subsets the parsed font in
        # place, so a shared one would keep only the first sheet's glyphs.
        self.add_font(FONT, "", str(font_file))
        self.set_font(FONT, size=9)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FONT, size=7)
        self.set_text_color(*MUTED)
        self.cell(0, 4, self.footer_text, align="L")
        self.cell(0, 4, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(*INK)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, text.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.l_margin + CONTENT_W, self.get_y())
        self.ln(1.5)
        self.set_text_color(*INK)
        self.set_font(FONT, size=9)

    def picture(self, image: SheetImage, x: float, y: float, size: float) -> None:
        """A square box with the image fitted inside, keeping its proportions."""
        scale = min(size / image.width, size / image.height)
        w, h = image.width * scale, image.height * scale
        self.image(io.BytesIO(image.data), x + (size - w) / 2, y + (size - h) / 2, w, h)
        self.set_draw_color(*RULE)
        self.rect(x, y, size, size)
