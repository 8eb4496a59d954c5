"""The tech pack's object page: the chosen design's dimensioned drawings, its views sheet, its
parts and cut list, its weight and its buildability checks (failures in the warning colour)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fpdf.enums import XPos, YPos

from layerminder.exports.page import INK, MUTED, WARN, SheetDocument
from layerminder.objects import drawings
from layerminder.objects.buildability import Check
from layerminder.objects.model import DesignModel
from layerminder.objects.service import Analysis

if TYPE_CHECKING:
    from layerminder.exports.sheet import SpecSheet

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "object": "Object",
        "proxy": "Proxy: fitted to the record's type and sizes, not drawn from the design's parts",
        "drawings": "Drawings (mm)",
        "views": "Views",
        "consistency": "consistency",
        "parts": "Parts",
        "part": "Part",
        "material": "Material",
        "length": "Length",
        "section": "Section",
        "mass": "Mass",
        "cut_list": "Cut list (frame)",
        "qty": "Qty",
        "weight": "Estimated weight",
        "buildability": "Buildability",
        "stability": "Stability (tipping angle)",
        "legs_reach_floor": "Legs reach the floor",
        "seat_height": "Seat height",
        "seat_depth": "Seat depth",
        "ok": "ok",
        "warn": "check",
        "fail": "FAILS",
        "front": "Front",
        "side": "Side",
        "top": "Top",
        "three_quarter": "Three-quarter",
    },
    "ko": {
        "object": "오브제",
        "proxy": (
            "프록시: 기록의 유형과 치수에 맞춘 모형이에요. 시안의 부재로 만든 모델이 아니에요."
        ),
        "drawings": "도면 (mm)",
        "views": "뷰",
        "consistency": "일관성",
        "parts": "부재",
        "part": "부재",
        "material": "소재",
        "length": "길이",
        "section": "단면",
        "mass": "무게",
        "cut_list": "재단 목록 (프레임)",
        "qty": "수량",
        "weight": "예상 무게",
        "buildability": "제작 검토",
        "stability": "안정성 (전도 각도)",
        "legs_reach_floor": "다리 접지",
        "seat_height": "좌면 높이",
        "seat_depth": "좌면 깊이",
        "ok": "적합",
        "warn": "확인 필요",
        "fail": "부적합",
        "front": "정면",
        "side": "측면",
        "top": "평면",
        "three_quarter": "3/4 뷰",
    },
}

RED = (179, 38, 30)


def printed_text() -> str:
    """Every character this page can print besides the record's (for the font subset)."""
    return "".join("".join(labels.values()) for labels in LABELS.values()) + "°×·"


def _check_value(check: Check) -> str:
    if check.value is None:
        return ""
    if check.name == "stability":
        return f"{check.value:.0f}°"
    if check.name == "legs_reach_floor":
        return f"{check.value:.0f}"
    return f"{check.value:.0f} cm"


def render(
    pdf: SheetDocument, sheet: SpecSheet, language: str, margin: float, width: float
) -> None:
    """The object page, when the chosen design has a model (or a proxy)."""
    found = sheet.chosen_object
    if found is None:
        return
    labels = LABELS[language if language in LABELS else "en"]
    model, analysis = found.model, found.analysis
    pdf.add_page()
    pdf.heading(f"{labels['object']} · {pdf.labels['design']} {sheet.chosen + 1}")
    if model.proxy:
        pdf.set_text_color(*WARN)
        pdf.multi_cell(0, 5, labels["proxy"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*INK)
    _drawings(pdf, found.model, labels, margin, width)
    if sheet.views:
        pdf.heading(labels["views"])
        size = (width - 3 * 3) / 4
        y = pdf.get_y()
        for slot, (angle, score, image) in enumerate(sheet.views[:4]):
            x = margin + slot * (size + 3)
            pdf.picture(image, x, y, size)
            pdf.set_xy(x, y + size + 0.5)
            pdf.set_font(pdf.font_family, size=7)
            pdf.cell(size, 4, f"{labels.get(angle, angle)} · {labels['consistency']} {score:.2f}")
        pdf.set_font(pdf.font_family, size=9)
        pdf.set_y(y + size + 6)
    _parts(pdf, analysis, labels, margin, width)


def _drawings(
    pdf: SheetDocument, model: DesignModel, labels: dict[str, str], margin: float, width: float
) -> None:
    sheet = drawings.build_sheet(model)
    pdf.heading(labels["drawings"])
    height = 62.0
    # The three views at one scale, with room below and left for the dimension lines.
    scale = min((width - 20) / (sheet.width_mm + 200), height / (sheet.height_mm + 100))
    left, base = margin + 16, pdf.get_y() + height - 4

    def at(x: float, y: float) -> tuple[float, float]:
        return left + x * scale, base - (y + 100) * scale

    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.25)
    for view in drawings.VIEWS:
        for outline in sheet.outlines[view]:
            points = [at(x, y) for x, y in outline.points.tolist()]
            pdf.polygon(points, style="D")
        pdf.set_font(pdf.font_family, size=7)
        title_x, title_y = at(sheet.offsets[view], -95)
        pdf.text(title_x, title_y + 3, labels[view])
    pdf.set_draw_color(*RED)
    pdf.set_text_color(*RED)
    pdf.set_line_width(0.15)
    for view in drawings.VIEWS:
        for dim in sheet.dimensions[view]:
            (sx, sy), (ex, ey), (bx, by) = dim.start, dim.end, dim.base
            if dim.vertical:
                a, b = at(bx, sy), at(bx, ey)
                pdf.text(a[0] - 7, (a[1] + b[1]) / 2, f"{dim.measurement_mm:.0f}")
            else:
                a, b = at(sx, by), at(ex, by)
                pdf.text((a[0] + b[0]) / 2 - 3, a[1] + 3, f"{dim.measurement_mm:.0f}")
            pdf.line(a[0], a[1], b[0], b[1])
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*INK)
    pdf.set_font(pdf.font_family, size=9)
    pdf.set_y(base + 6)


def _parts(
    pdf: SheetDocument, analysis: Analysis, labels: dict[str, str], margin: float, width: float
) -> None:
    pdf.heading(f"{labels['parts']} · {labels['weight']} {analysis.weight_kg:.1f} kg")
    columns = (width * 0.28, width * 0.24, width * 0.16, width * 0.2, width * 0.12)
    header = (
        labels["part"],
        labels["material"],
        labels["length"],
        labels["section"],
        labels["mass"],
    )
    _table(pdf, margin, columns, header, muted=True)
    for size in analysis.sizes:
        _table(
            pdf,
            margin,
            columns,
            (
                size.part.name,
                size.material_name,
                f"{size.length_cm * 10:.0f} mm",
                f"{size.section_cm[0] * 10:.0f} × {size.section_cm[1] * 10:.0f} mm",
                f"{size.mass_kg:.2f} kg",
            ),
        )
    if analysis.cuts:
        pdf.heading(labels["cut_list"])
        cut_columns = (width * 0.1, width * 0.3, width * 0.3, width * 0.3)
        for cut in analysis.cuts:
            _table(
                pdf,
                margin,
                cut_columns,
                (
                    f"{cut.quantity} ×",
                    cut.role,
                    cut.material,
                    f"{cut.length_mm} × {cut.width_mm} × {cut.thickness_mm} mm",
                ),
            )
    pdf.heading(labels["buildability"])
    for check in analysis.checks:
        colour = {"fail": RED, "warn": WARN}.get(check.status, INK)
        pdf.set_text_color(*colour)
        mark = "! " if check.status != "ok" else ""
        _table(
            pdf,
            margin,
            (width * 0.5, width * 0.25, width * 0.25),
            (f"{mark}{labels[check.name]}", _check_value(check), labels[check.status]),
        )
        pdf.set_text_color(*INK)


def _table(
    pdf: SheetDocument,
    x: float,
    widths: tuple[float, ...],
    cells: tuple[str, ...],
    *,
    muted: bool = False,
) -> None:
    if pdf.get_y() + 6 > pdf.page_break_trigger:
        pdf.add_page()
    if muted:
        pdf.set_text_color(*MUTED)
        pdf.set_font(pdf.font_family, size=7.5)
    pdf.set_x(x)
    for width, text in zip(widths, cells, strict=True):
        pdf.cell(width, 5.2, text, border="B")
    pdf.ln(5.2)
    if muted:
        pdf.set_text_color(*INK)
        pdf.set_font(pdf.font_family, size=9)
