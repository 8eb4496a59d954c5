"""Spec sheet exports over HTTP: the PDF reads back, the JSON-LD is a Product, the zip is whole."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any
from urllib.parse import quote

import httpx
from PIL import Image
from pypdf import PdfReader

from tests.finished_records import MakeRecord
from tests.helpers import create_room, signup


def _fonts(page: Any) -> list[Any]:
    return [font.get_object() for font in page["/Resources"]["/Font"].values()]


def _pdf_lines(data: bytes) -> list[str]:
    """The sheet's text as pypdf extracts it, line by line (what a document pipeline reads)."""
    reader = PdfReader(io.BytesIO(data))
    return [line for page in reader.pages for line in (page.extract_text() or "").splitlines()]


def _pdf_text(data: bytes) -> tuple[str, set[str]]:
    """The text with all whitespace removed, and the fonts."""
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in _fonts(page)}
    return re.sub(r"\s+", "", text), fonts


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def test_pdf_has_the_title_keywords_and_dimensions(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    record = await make_record(account, keyword="seat 60")

    response = await studio.get(
        f"/api/v1/records/{record['id']}/export", params={"format": "pdf"}, headers=account.headers
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"halden-dining-chair.pdf\"; filename*=UTF-8''halden-dining-chair.pdf"
    )
    text, fonts = _pdf_text(response.content)
    assert _squash(record["title"]) in text
    assert _squash(record["name"]) in text
    for keyword in record["keywords"]:
        assert keyword in text
    for value in (46, 52, 80, 60):
        assert f"{value}cm" in text
    # The flagged seat and its range are on the sheet, as are the references and provenance.
    assert "42–48cm" in text
    assert _squash(record["recommendations"][0]["title"]) in text
    assert "scripted" in text and record["embedder_model"] in text
    assert any("NotoSansKR" in font for font in fonts)


async def test_a_korean_story_makes_a_korean_pdf_with_the_glyphs_embedded(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    record = await make_record(account, language="ko")
    assert record["language"] == "ko"

    response = await studio.get(
        f"/api/v1/records/{record['id']}/export", params={"format": "pdf"}, headers=account.headers
    )

    assert response.status_code == 200, response.text
    text, fonts = _pdf_text(response.content)
    assert _squash(record["title"]) in text  # 긴 저녁 식탁을 위한 조용한 의자
    assert re.search(r"[\uac00-\ud7a3]", record["title"])
    for word in record["keywords_display"]:
        assert word in text
    assert "치수" in text and "좌면높이" in text  # the labels are Korean too
    # A Korean name makes a Korean file name; clients that read only filename= get the id.
    disposition = response.headers["content-disposition"]
    ascii_name = f"record-{record['id'][:8]}.pdf"
    assert disposition == (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote('할덴-다이닝-체어.pdf')}"
    )
    # The font is embedded (a subset), so the glyphs show on a machine without it.
    reader = PdfReader(io.BytesIO(response.content))
    font = _fonts(reader.pages[0])[0]
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert any("NotoSansKR" in f for f in fonts)


async def test_pdf_text_extracts_in_pypdf_as_written(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    """Searchable and copyable: pypdf reads every line back as the sheet wrote it (Korean and
    Latin, spaces kept, no NUL-padded letters), as poppler and PDF viewers do."""
    account = await signup(studio)
    record = await make_record(account, language="ko")

    response = await studio.get(
        f"/api/v1/records/{record['id']}/export", params={"format": "pdf"}, headers=account.headers
    )

    assert response.status_code == 200, response.text
    lines = _pdf_lines(response.content)
    text = "\n".join(lines)
    assert "\x00" not in text
    assert record["name"] in lines  # 할덴 다이닝 체어, as one line
    assert record["title"] in lines
    assert "시안 1 · 시안 2 · 시안 3 · 시안 4" in lines  # the design is 시안 on the sheet too
    assert "  ·  ".join(record["keywords_display"]) in text
    # Page 2 names the references in Korean and the starter set in words, not the raw source.
    first = record["recommendations"][0]
    assert first["title_ko"] and f"1. {first['title_ko']}" in lines
    assert "LayerMinder 기본 레퍼런스" in lines
    assert "layerminder starter set" not in text
    assert re.search(r"유사도 0\.\d\d$", text, re.M)


def _validate_product(product: dict[str, Any]) -> None:
    """The schema.org Product shape this export promises."""
    assert product["@context"] == "https://schema.org"
    assert product["@type"] == "Product"
    for field in ("name", "description", "material"):
        assert isinstance(product[field], str) and product[field]
    for field in ("width", "depth", "height"):
        size = product[field]
        assert size["@type"] == "QuantitativeValue"
        assert isinstance(size["value"], int) and size["value"] > 0
        assert size["unitCode"] == "CMT"
    assert isinstance(product["image"], list) and len(product["image"]) == 4
    assert isinstance(product["keywords"], list) and len(product["keywords"]) == 12


async def test_json_is_a_schema_org_product(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    record = await make_record(account)

    response = await studio.get(
        f"/api/v1/records/{record['id']}/export", params={"format": "json"}, headers=account.headers
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    product = response.json()
    _validate_product(product)
    assert product["name"] == record["name"]
    assert product["width"]["value"] == record["dimensions"]["width_cm"]
    assert product["keywords"] == record["keywords"]
    # The image URLs are absolute and load without a login (signed).
    image = await studio.get(product["image"][0])
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"


async def test_zip_holds_every_part_with_the_designs_at_full_size(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    record = await make_record(account)

    response = await studio.get(
        f"/api/v1/records/{record['id']}/export", params={"format": "zip"}, headers=account.headers
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    designs = [f"designs/design-{i}.jpg" for i in range(1, 5)]
    assert {*designs, "inputs/input-1.jpg", "halden-dining-chair.pdf"} <= names
    assert {"product.jsonld", "record.json"} <= names
    for name in designs:
        assert Image.open(io.BytesIO(archive.read(name))).size == (1024, 1024)
    assert Image.open(io.BytesIO(archive.read("inputs/input-1.jpg"))).size == (320, 240)
    _validate_product(json.loads(archive.read("product.jsonld")))
    assert json.loads(archive.read("record.json"))["id"] == record["id"]
    assert archive.read("halden-dining-chair.pdf").startswith(b"%PDF")


async def test_room_exports_as_one_zip_with_a_folder_per_record(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    room_id = await create_room(studio, account)
    first = await make_record(account, room_id=room_id)
    second = await make_record(account, room_id=room_id, keyword="seat 47")

    response = await studio.get(f"/api/v1/layerroom/{room_id}/export", headers=account.headers)

    assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    room = json.loads(archive.read("room.json"))
    assert [r["record_id"] for r in room["records"]] == [second["id"], first["id"]]
    for entry in room["records"]:
        assert f"{entry['folder']}record.json" in archive.namelist()
        assert f"{entry['folder']}designs/design-4.jpg" in archive.namelist()


async def test_exports_are_the_owners_and_a_public_rooms(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    owner, stranger = await signup(studio), await signup(studio)
    room_id = await create_room(studio, owner)
    record = await make_record(owner, room_id=room_id)
    path = f"/api/v1/records/{record['id']}/export"

    for fmt in ("pdf", "json", "zip"):
        denied = await studio.get(path, params={"format": fmt}, headers=stranger.headers)
        assert denied.status_code == 404
        assert denied.json()["error"] == "NotFound"
    assert (await studio.get(path)).status_code == 401
    room_export = f"/api/v1/layerroom/{room_id}/export"
    assert (await studio.get(room_export, headers=stranger.headers)).status_code == 404
    bad = await studio.get(path, params={"format": "docx"}, headers=owner.headers)
    assert bad.status_code == 422

    # Once the room is public, anyone with its slug can take the sheet.
    made_public = await studio.patch(
        f"/api/v1/layerroom/{room_id}", json={"is_public": True}, headers=owner.headers
    )
    slug = made_public.json()["slug"]
    public = f"/api/v1/public/rooms/{slug}/records/{record['id']}/export"
    sheet = await studio.get(public, params={"format": "json"})
    assert sheet.status_code == 200
    assert sheet.json()["name"] == record["name"]
    other = await make_record(stranger)
    elsewhere = f"/api/v1/public/rooms/{slug}/records/{other['id']}/export"
    assert (await studio.get(elsewhere)).status_code == 404


async def test_a_room_with_nothing_to_export_is_a_conflict(studio: httpx.AsyncClient) -> None:
    account = await signup(studio)
    room_id = await create_room(studio, account)

    response = await studio.get(f"/api/v1/layerroom/{room_id}/export", headers=account.headers)

    assert response.status_code == 409
    assert response.json()["error"] == "Conflict"
