"""The hand-off carries the object: the PDF tech pack prints the drawings, the views sheet,
the parts and the checks; the zip holds every design's GLB, DXF and SVG; the JSON-LD links
them."""

from __future__ import annotations

import io
import json
import re
import zipfile

import httpx
from pypdf import PdfReader

from tests.finished_records import MakeRecord
from tests.helpers import signup
from tests.objects.test_views import _follow


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"[\s\x00]+", "", "".join(page.extract_text() or "" for page in reader.pages))


async def test_pdf_zip_and_jsonld_carry_the_model_drawings_views_and_parts(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    record = await make_record(account)
    base = f"/api/v1/records/{record['id']}"
    assert (
        await studio.post(f"{base}/designs/0/views", headers=account.headers)
    ).status_code == 202
    await _follow(studio, account, f"{base}/designs/0")
    parts = (await studio.get(f"{base}/designs/0/parts", headers=account.headers)).json()

    pdf = await studio.get(f"{base}/export", params={"format": "pdf"}, headers=account.headers)
    archive = await studio.get(f"{base}/export", params={"format": "zip"}, headers=account.headers)
    product = await studio.get(f"{base}/export", params={"format": "json"}, headers=account.headers)

    assert pdf.status_code == archive.status_code == product.status_code == 200
    text = _pdf_text(pdf.content)
    # Section headings print in capitals.
    for heading in ("DRAWINGS(MM)", "VIEWS", "CUTLIST(FRAME)", "BUILDABILITY"):
        assert heading in text, heading
    assert f"{parts['weight_kg']:.1f}KG" in text  # in the parts heading
    assert "consistency" in text  # each view's score beside it
    assert "seat-1" in text
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    for position in range(1, 5):
        for extension in ("glb", "dxf", "svg"):
            assert f"objects/design-{position}.{extension}" in names, names
    packed = json.loads(zipfile.ZipFile(io.BytesIO(archive.content)).read("product.jsonld"))
    assert {"objects/design-1.glb", "objects/design-1.dxf", "objects/design-1.svg"} <= {
        link["contentUrl"] for link in packed["subjectOf"]
    }
    linked = product.json()["subjectOf"]
    models = [link for link in linked if link["@type"] == "3DModel"]
    assert len(models) == 4
    assert models[0]["contentUrl"].endswith(f"{base}/designs/0/model.glb")
    assert models[0]["additionalProperty"][0] == {
        "@type": "PropertyValue",
        "name": "proxy",
        "value": False,
    }
