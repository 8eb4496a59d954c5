"""A region edit repaints part of one design: its four designs keep that design's model, so
they are objects too (not proxies), at the same sizes, and the edit record's sizes are theirs."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.finished_records import MakeRecord, wait_done
from tests.helpers import signup


def _mask_png(box: tuple[int, int, int, int]) -> bytes:
    """Opaque everywhere, transparent (repaint) inside `box`."""
    mask = Image.new("RGBA", (1024, 1024), (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), box)
    out = io.BytesIO()
    mask.save(out, format="PNG")
    return out.getvalue()


async def test_an_edited_design_keeps_the_model_of_the_design_it_edits(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    original = await make_record(account)
    mask = await studio.post(
        f"/api/v1/layerroom/{original['room_id']}/images",
        files={"file": ("mask.png", _mask_png((300, 300, 700, 700)), "image/png")},
        data={"purpose": "mask"},
        headers=account.headers,
    )
    assert mask.status_code == 201, mask.text
    started = await studio.post(
        "/api/v1/generate",
        json={
            "edit": {
                "image_id": original["designs"][0]["image_id"],
                "mask_image_id": mask.json()["id"],
                "prompt": "a walnut seat",
            }
        },
        headers=account.headers,
    )
    assert started.status_code == 202, started.text
    edit = await wait_done(studio, account, started.json()["record_id"])

    before = (
        await studio.get(
            f"/api/v1/records/{original['id']}/designs/0/parts", headers=account.headers
        )
    ).json()
    for position in (0, 3):
        after = await studio.get(
            f"/api/v1/records/{edit['id']}/designs/{position}/parts", headers=account.headers
        )
        assert after.status_code == 200, after.text
        body = after.json()
        assert body["proxy"] is False
        assert [p["name"] for p in body["parts"]] == [p["name"] for p in before["parts"]]
        assert (body["width_cm"], body["height_cm"]) == (before["width_cm"], before["height_cm"])
    assert edit["dimensions"] == original["dimensions"]
