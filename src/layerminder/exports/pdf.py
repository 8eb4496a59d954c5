"""The A4 tech pack: designs, copy, dimensions, checks, inputs, references and provenance."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from fpdf.enums import XPos, YPos

from layerminder.exports import object_page
from layerminder.exports.fonts import truetype_subset
from layerminder.exports.page import (
    CONTENT_W,
    FONT,
    INK,
    MARGIN,
    MUTED,
    RULE,
    WARN,
    SheetDocument,
)
from layerminder.exports.sheet import SpecSheet
from layerminder.library.words import STARTER_SOURCE
from layerminder.records.schemas import RecommendationOut

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "sheet": "Spec sheet",
        "dimensions": "Dimensions",
        "width_cm": "Width",
        "depth_cm": "Depth",
        "height_cm": "Overall height",
        "seat_height_cm": "Seat height",
        "material": "Material",
        "type": "Type",
        "checks": "Ergonomic checks",
        "range": "range",
        "ok": "ok",
        "warn": "check",
        "story": "Story",
        "keywords": "Keywords",
        "inputs": "Inputs",
        "references": "Recommended references",
        "score": "similarity",
        "provenance": "Provenance",
        "images_by": "Images",
        "story_by": "Story",
        "embedder": "Embedder",
        "created": "Created",
        "exported": "Exported",
        "record": "Record",
        "keyword": "Brief keyword",
        "design": "Design",
        "none": "none",
        "starter_source": "LayerMinder starter set",
    },
    "ko": {
        "sheet": "사양서",
        "dimensions": "치수",
        "width_cm": "너비",
        "depth_cm": "깊이",
        "height_cm": "전체 높이",
        "seat_height_cm": "좌면 높이",
        "material": "소재",
        "type": "유형",
        "checks": "인체공학 점검",
        "range": "권장 범위",
        "ok": "적합",
        "warn": "확인 필요",
        "story": "스토리",
        "keywords": "키워드",
        "inputs": "입력 이미지",
        "references": "추천 레퍼런스",
        "score": "유사도",
        "provenance": "출처 정보",
        "images_by": "이미지",
        "story_by": "스토리",
        "embedder": "임베더",
        "created": "생성일",
        "exported": "내보낸 날",
        "record": "기록",
        "keyword": "키워드 지시",
        "design": "시안",
        "none": "없음",
        "starter_source": "LayerMinder 기본 레퍼런스",
    },
}

FURNITURE: dict[str, dict[str, str]] = {
    "en": {
        "chair": "Chair",
        "lounge_chair": "Lounge chair",
        "stool": "Stool",
        "bar_stool": "Bar stool",
        "bench": "Bench",
        "sofa": "Sofa",
        "table": "Table",
        "other": "Other",
    },
    "ko": {
        "chair": "의자",
        "lounge_chair": "라운지 체어",
        "stool": "스툴",
        "bar_stool": "바 스툴",
        "bench": "벤치",
        "sofa": "소파",
        "table": "테이블",
        "other": "기타",
    },
}


def render_pdf(sheet: SpecSheet, exported_at: datetime | None = None) -> bytes:
    """The spec sheet in the story's language. Blocking (font subsetting, image embedding)."""
    language = sheet.language if sheet.language in LABELS else "en"
    labels, types = LABELS[language], FURNITURE[language]
    # Every character the sheet can print comes from the record, the labels or the types.
    printed = json.dumps(sheet.record.model_dump(mode="json"), ensure_ascii=False)
    printed += "".join(labels.values()) + "".join(types.values()) + object_page.printed_text()
    printed += "".join(
        f"{o.model.source}{''.join(m.name for m in o.model.materials)}" for o in sheet.objects
    )
    with tempfile.TemporaryDirectory(prefix="layerminder-pdf-") as folder:
        font_file = Path(folder) / f"{FONT}.ttf"
        font_file.write_bytes(truetype_subset(printed))
        return _render(sheet, language, font_file, exported_at)


def _render(
    sheet: SpecSheet, language: str, font_file: Path, exported_at: datetime | None
) -> bytes:
    record = sheet.record
    labels, types = LABELS[language], FURNITURE[language]
    exported = (exported_at or datetime.now(UTC)).date().isoformat()
    pdf = SheetDocument(labels, f"LayerMinder · {labels['sheet']} · {record.id}", font_file)
    pdf.set_title(record.name or labels["sheet"])
    pdf.set_creator("LayerMinder")
    pdf.set_lang(language)
    pdf.add_page()

    pdf.set_font(FONT, size=8)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 4, f"LAYERMINDER · {labels['sheet'].upper()}", new_x=XPos.LMARGIN)
    pdf.cell(0, 4, exported, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.ln(2)
    pdf.set_font(FONT, size=20)
    pdf.multi_cell(0, 9, record.name or labels["sheet"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if record.title:
        pdf.set_font(FONT, size=12)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(0, 6, record.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*INK)
    pdf.ln(3)

    # The chosen design large on the left; the facts beside it; the other three below it.
    top = pdf.get_y()
    big = 112.0
    pdf.picture(sheet.designs[sheet.chosen], MARGIN, top, big)
    others = [i for i in range(len(sheet.designs)) if i != sheet.chosen]
    small = (big - 2 * 3) / 3
    for slot, index in enumerate(others[:3]):
        pdf.picture(sheet.designs[index], MARGIN + slot * (small + 3), top + big + 3, small)
    pdf.set_font(FONT, size=7)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(MARGIN, top + big + 3 + small + 0.5)
    order = [sheet.chosen, *others[:3]]
    pdf.cell(big, 4, " · ".join(f"{labels['design']} {i + 1}" for i in order))
    pdf.set_text_color(*INK)
    bottom = top + big + 3 + small + 6

    column_x = MARGIN + big + 6
    column_w = CONTENT_W - big - 6
    pdf.set_xy(column_x, top)
    _facts(pdf, sheet, labels, types, column_x, column_w)
    pdf.set_y(max(bottom, pdf.get_y() + 2))

    if record.story:
        pdf.heading(labels["story"])
        pdf.set_font(FONT, size=9.5)
        for paragraph in record.story.split("\n\n"):
            pdf.multi_cell(0, 5, paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
    words = record.keywords_display or record.keywords
    if words:
        pdf.heading(labels["keywords"])
        pdf.multi_cell(0, 5, "  ·  ".join(words), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if record.keywords_display and record.keywords_display != record.keywords:
            pdf.set_text_color(*MUTED)
            pdf.set_font(FONT, size=8)
            pdf.multi_cell(0, 4, "  ·  ".join(record.keywords), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(*INK)
            pdf.set_font(FONT, size=9)

    _inputs_and_references(pdf, sheet, labels)
    object_page.render(pdf, sheet, language, MARGIN, CONTENT_W)
    _provenance(pdf, sheet, labels, exported)
    return bytes(pdf.output())


def _row(pdf: SheetDocument, x: float, widths: tuple[float, ...], cells: tuple[str, ...]) -> None:
    pdf.set_x(x)
    for width, text in zip(widths, cells, strict=True):
        pdf.cell(width, 5.5, text, border="B")
    pdf.ln(5.5)


def _facts(
    pdf: SheetDocument,
    sheet: SpecSheet,
    labels: dict[str, str],
    types: dict[str, str],
    x: float,
    width: float,
) -> None:
    record = sheet.record
    pdf.set_draw_color(*RULE)

    def label(text: str) -> None:
        pdf.set_x(x)
        pdf.set_font(FONT, size=7.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(width, 5, text.upper(), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, size=9)

    if record.furniture_type:
        label(labels["type"])
        pdf.set_x(x)
        pdf.cell(width, 5, types.get(record.furniture_type, record.furniture_type))
        pdf.ln(7)
    if record.dimensions:
        label(labels["dimensions"])
        sizes = record.dimensions.model_dump()
        for key in ("width_cm", "depth_cm", "height_cm", "seat_height_cm"):
            if sizes.get(key):
                _row(pdf, x, (width * 0.6, width * 0.4), (labels[key], f"{sizes[key]} cm"))
        pdf.ln(2)
    if record.material:
        label(labels["material"])
        pdf.set_x(x)
        pdf.multi_cell(width, 4.8, record.material, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.ln(2)
    if record.checks:
        label(labels["checks"])
        for check in record.checks:
            warn = check.status == "warn"
            pdf.set_x(x)
            pdf.set_text_color(*(WARN if warn else INK))
            pdf.cell(width * 0.6, 5, f"{'! ' if warn else ''}{labels[check.dimension]}")
            pdf.cell(width * 0.4, 5, f"{check.value_cm} cm", new_x=XPos.LEFT, new_y=YPos.NEXT)
            pdf.set_x(x)
            pdf.set_font(FONT, size=7)
            pdf.set_text_color(*MUTED)
            status = labels["warn"] if warn else labels["ok"]
            pdf.cell(
                width,
                3.8,
                f"{labels['range']} {check.min_cm}–{check.max_cm} cm · {status}",
                new_x=XPos.LEFT,
                new_y=YPos.NEXT,
            )
            pdf.set_font(FONT, size=9)
            pdf.set_text_color(*INK)


def _inputs_and_references(pdf: SheetDocument, sheet: SpecSheet, labels: dict[str, str]) -> None:
    record = sheet.record
    thumb = 34.0
    if sheet.inputs:
        if pdf.get_y() + thumb + 14 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.heading(labels["inputs"])
        y = pdf.get_y()
        for index, image in enumerate(sheet.inputs[:5]):
            pdf.picture(image, MARGIN + index * (thumb + 4), y, thumb)
        pdf.set_y(y + thumb + 2)
        if record.keyword:
            pdf.set_font(FONT, size=8)
            pdf.cell(0, 4.5, f"{labels['keyword']}: {record.keyword}")
            pdf.ln(5)
            pdf.set_font(FONT, size=9)
    if record.recommendations:
        if pdf.get_y() + 30 + 14 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.heading(labels["references"])
        size = 24.0
        for recommendation, image in zip(record.recommendations, sheet.references, strict=False):
            if pdf.get_y() + size + 2 > pdf.page_break_trigger:
                pdf.add_page()
            y = pdf.get_y()
            pdf.picture(image, MARGIN, y, size)
            pdf.set_xy(MARGIN + size + 4, y)
            title = _reference_title(recommendation, sheet.language)
            pdf.cell(0, 5, f"{recommendation.rank}. {title}")
            pdf.set_xy(MARGIN + size + 4, y + 5.5)
            pdf.set_font(FONT, size=8)
            pdf.set_text_color(*MUTED)
            pdf.cell(0, 4.5, f"{labels['score']} {recommendation.score:.2f}")
            if recommendation.source:
                source = recommendation.source
                shown = labels["starter_source"] if source == STARTER_SOURCE else source[:90]
                pdf.set_xy(MARGIN + size + 4, y + 10)
                pdf.cell(0, 4.5, shown)
            pdf.set_text_color(*INK)
            pdf.set_font(FONT, size=9)
            pdf.set_y(y + size + 2)


def _reference_title(recommendation: RecommendationOut, language: str) -> str:
    """The reference's title in the sheet's language (its Korean name where it has one)."""
    if language == "ko" and recommendation.title_ko:
        return recommendation.title_ko
    return recommendation.title


def _provenance(
    pdf: SheetDocument, sheet: SpecSheet, labels: dict[str, str], exported: str
) -> None:
    record = sheet.record
    if pdf.get_y() + 40 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.heading(labels["provenance"])

    def who(provider: str | None, model: str | None) -> str:
        return " · ".join(p for p in (provider, model) if p) or labels["none"]

    rows = (
        (labels["images_by"], who(record.image_provider, record.image_model)),
        (labels["story_by"], who(record.story_provider, record.story_model)),
        (labels["embedder"], record.embedder_model or labels["none"]),
        (labels["created"], record.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (labels["exported"], exported),
        (labels["record"], str(record.id)),
    )
    pdf.set_draw_color(*RULE)
    for name, value in rows:
        _row(pdf, MARGIN, (40.0, CONTENT_W - 40.0), (name, value))
