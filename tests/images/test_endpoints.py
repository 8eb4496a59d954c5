"""Uploads validated by content, image bytes and metadata, ownership."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import httpx
import pytest
from PIL import Image

from layerminder.config import Settings
from tests.helpers import create_room, make_image, signup, upload_image


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
async def test_upload_each_format(client: httpx.AsyncClient, fmt: str, content_type: str) -> None:
    account = await signup(client)
    room_id = await create_room(client, account)
    data = make_image(fmt, size=(300, 200))
    image = await upload_image(client, account, room_id, data, filename=f"ref.{fmt.lower()}")
    assert image["content_type"] == content_type
    assert (image["width"], image["height"]) == (300, 200)
    assert image["bytes"] == len(data)
    assert image["sha256"] == hashlib.sha256(data).hexdigest()
    assert image["kind"] == "uploaded"

    raw = await client.get(f"/api/v1/images/{image['id']}", headers=account.headers)
    assert raw.status_code == 200
    assert raw.headers["content-type"] == content_type
    assert raw.content == data
    meta = await client.get(f"/api/v1/images/{image['id']}/metadata", headers=account.headers)
    assert meta.json()["sha256"] == image["sha256"]
    listing = await client.get(f"/api/v1/layerroom/{room_id}/images", headers=account.headers)
    assert [i["id"] for i in listing.json()["items"]] == [image["id"]]


async def test_png_named_jpg_is_accepted_as_png(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    room_id = await create_room(client, account)
    rgba = make_image("PNG", mode="RGBA")
    image = await upload_image(client, account, room_id, rgba, filename="photo.jpg")
    assert image["content_type"] == "image/png"


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size: a decompression bomb must be refused unread."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        (b"hello, this is text", 422, "InvalidImage"),
        (b"", 422, "InvalidImage"),
        (make_image("GIF"), 422, "InvalidImage"),
        (make_image("BMP"), 422, "InvalidImage"),
        (make_image("JPEG")[:300], 422, "InvalidImage"),
        (_png_header_only(10_000, 10_000), 413, "ImageTooLarge"),
    ],
    ids=["text", "empty", "gif", "bmp", "truncated-jpeg", "bomb-100mp"],
)
async def test_bad_uploads_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, settings: Settings, data: bytes, status: int, error: str
) -> None:
    account = await signup(client)
    room_id = await create_room(client, account)
    response = await client.post(
        f"/api/v1/layerroom/{room_id}/images",
        files={"file": ("photo.jpg", data, "image/jpeg")},
        headers=account.headers,
    )
    assert response.status_code == status, response.text
    assert response.json()["error"] == error
    listing = await client.get(f"/api/v1/layerroom/{room_id}/images", headers=account.headers)
    assert listing.json()["total"] == 0
    stored = [p for p in settings.storage_dir.rglob("*") if p.is_file()]
    assert stored == []


async def test_file_over_the_byte_limit_is_413(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    account = await signup(client)
    room_id = await create_room(client, account)
    big = b"\xff\xd8\xff" + b"\0" * (settings.max_upload_bytes + 10)
    response = await client.post(
        f"/api/v1/layerroom/{room_id}/images",
        files={"file": ("big.jpg", big, "image/jpeg")},
        headers=account.headers,
    )
    assert response.status_code == 413
    assert response.json()["error"] == "ImageTooLarge"


async def test_exif_orientation_is_applied(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    room_id = await create_room(client, account)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    data = make_image("JPEG", size=(400, 100), exif=exif)
    image = await upload_image(client, account, room_id, data)
    assert (image["width"], image["height"]) == (100, 400)
    stored = await client.get(f"/api/v1/images/{image['id']}", headers=account.headers)
    assert Image.open(io.BytesIO(stored.content)).size == (100, 400)
    assert image["sha256"] == hashlib.sha256(stored.content).hexdigest()


async def test_missing_file_field_is_422(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    room_id = await create_room(client, account)
    response = await client.post(
        f"/api/v1/layerroom/{room_id}/images",
        files={"picture": ("a.jpg", make_image(), "image/jpeg")},
        headers=account.headers,
    )
    assert response.status_code == 422


async def test_another_users_image_is_not_found(client: httpx.AsyncClient) -> None:
    alice = await signup(client)
    bob = await signup(client)
    room_id = await create_room(client, alice)
    image = await upload_image(client, alice, room_id)
    for path in (f"/api/v1/images/{image['id']}", f"/api/v1/images/{image['id']}/metadata"):
        assert (await client.get(path, headers=bob.headers)).status_code == 404
    # Uploading into someone else's room is as if it did not exist.
    response = await client.post(
        f"/api/v1/layerroom/{room_id}/images",
        files={"file": ("a.jpg", make_image(), "image/jpeg")},
        headers=bob.headers,
    )
    assert response.status_code == 404


async def test_signed_url_works_without_login_and_only_for_its_image(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    room_id = await create_room(client, account)
    first = await upload_image(client, account, room_id)
    second = await upload_image(client, account, room_id, make_image(color=(1, 2, 3)))
    assert (await client.get(first["url"])).status_code == 200
    signature = first["url"].split("sig=")[1]
    forged = await client.get(f"/api/v1/images/{second['id']}?sig={signature}")
    assert forged.status_code == 404
    assert (await client.get(f"/api/v1/images/{first['id']}")).status_code == 404


async def test_signed_url_is_stable_so_browsers_can_cache_it(client: httpx.AsyncClient) -> None:
    account = await signup(client)
    room_id = await create_room(client, account)
    image = await upload_image(client, account, room_id)
    meta = await client.get(f"/api/v1/images/{image['id']}/metadata", headers=account.headers)
    assert meta.json()["url"] == image["url"]
