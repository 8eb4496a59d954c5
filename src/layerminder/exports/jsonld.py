"""A record as a schema.org Product in JSON-LD, for product catalogues and shops."""

from __future__ import annotations

from typing import Any

from layerminder.exports.sheet import SpecSheet


def _size(value: int) -> dict[str, Any]:
    # UN/CEFACT code CMT is the centimetre; schema.org takes it as unitCode.
    return {"@type": "QuantitativeValue", "value": value, "unitCode": "CMT", "unitText": "cm"}


def _object_links(
    sheet: SpecSheet, base: str, files: dict[int, dict[str, str]] | None
) -> list[dict[str, Any]]:
    """Each design's 3D model and drawings: the API's URLs, or the zip's file names."""
    links: list[dict[str, Any]] = []
    for found in sheet.objects:
        path = f"{base}/api/v1/records/{sheet.record.id}/designs/{found.position}"
        named = (files or {}).get(found.position)
        urls = named or {
            "glb": f"{path}/model.glb",
            "dxf": f"{path}/drawings?format=dxf",
            "svg": f"{path}/drawings?format=svg",
        }
        label = f"design {found.position + 1}{' (proxy)' if found.model.proxy else ''}"
        proxy = {"@type": "PropertyValue", "name": "proxy", "value": found.model.proxy}
        links += [
            {
                "@type": "3DModel",
                "name": f"3D model, {label}",
                "encodingFormat": "model/gltf-binary",
                "contentUrl": urls["glb"],
                "additionalProperty": [proxy],
            },
            {
                "@type": "ImageObject",
                "name": f"Dimensioned drawings (mm), {label}",
                "encodingFormat": "image/svg+xml",
                "contentUrl": urls["svg"],
            },
            {
                "@type": "DigitalDocument",
                "name": f"CAD drawings (DXF, mm), {label}",
                "encodingFormat": "image/vnd.dxf",
                "contentUrl": urls["dxf"],
            },
        ]
    return links


def product_jsonld(
    sheet: SpecSheet,
    base_url: str,
    images: list[str] | None = None,
    objects: dict[int, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """`images` and `objects` replace the URLs of the designs and of their models and drawings
    (a zip names its own files instead)."""
    record = sheet.record
    base = base_url.rstrip("/")
    urls = images if images is not None else [f"{base}{d.url}" for d in record.designs if d.url]
    product: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "productID": str(record.id),
        "name": record.name or record.title or "Untitled design",
        "description": "\n\n".join(p for p in (record.title, record.story) if p),
        "inLanguage": record.language,
        "image": urls,
        "keywords": list(record.keywords_display or record.keywords),
        "dateCreated": record.created_at.isoformat(),
    }
    links = _object_links(sheet, base, objects)
    if links:
        product["subjectOf"] = links
    if record.material:
        product["material"] = record.material
    if record.furniture_type:
        product["category"] = record.furniture_type
    if record.dimensions:
        product["width"] = _size(record.dimensions.width_cm)
        product["depth"] = _size(record.dimensions.depth_cm)
        product["height"] = _size(record.dimensions.height_cm)
        if record.dimensions.seat_height_cm:
            product["additionalProperty"] = [
                {
                    "@type": "PropertyValue",
                    "name": "seat height",
                    "value": record.dimensions.seat_height_cm,
                    "unitCode": "CMT",
                }
            ]
    return product
