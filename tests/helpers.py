"""Helpers for tests: accounts, rooms and real images made on the fly."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from PIL import Image

from layerminder.models import Stage

# Every stage's status field, in pipeline order, read from the one list of stages.
STAGES = tuple(stage.status_field for stage in Stage)


@dataclass
class Account:
    id: str
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def signup(client: httpx.AsyncClient, email: str | None = None) -> Account:
    email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
    response = await client.post(
        "/api/v1/auth/signup", json={"email": email, "password": "correct horse"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Account(id=body["user"]["id"], email=email, token=body["access_token"])


async def create_room(client: httpx.AsyncClient, account: Account, name: str = "Studio") -> str:
    response = await client.post("/api/v1/layerroom", json={"name": name}, headers=account.headers)
    assert response.status_code == 201, response.text
    room_id: str = response.json()["id"]
    return room_id


def make_image(
    fmt: str = "JPEG",
    size: tuple[int, int] = (320, 240),
    color: tuple[int, int, int] = (180, 120, 60),
    mode: str = "RGB",
    exif: Any = None,
) -> bytes:
    """A real image of the given format, with a little structure so encoders do real work."""
    image = Image.new(mode, size, color if mode == "RGB" else (*color, 255))
    for x in range(0, size[0], 16):
        image.paste(
            (255, 255, 255) if mode == "RGB" else (255, 255, 255, 255), (x, 0, x + 4, size[1])
        )
    buffer = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if exif is not None:
        kwargs["exif"] = exif
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


async def upload_image(
    client: httpx.AsyncClient,
    account: Account,
    room_id: str,
    data: bytes | None = None,
    filename: str = "ref.jpg",
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/layerroom/{room_id}/images",
        files={"file": (filename, data or make_image(), "image/jpeg")},
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def make_admin(client: httpx.AsyncClient, app: Any) -> Account:
    """A signed-up account promoted to admin (as `layerminder users create --admin` would)."""
    from sqlalchemy import update

    from layerminder.db.session import unit_of_work
    from layerminder.models import User, UserRole

    account = await signup(client)
    async with unit_of_work(app.state.runtime.sessionmaker) as session:
        await session.execute(
            update(User).where(User.id == uuid.UUID(account.id)).values(role=UserRole.admin)
        )
    return account


async def start_generation(
    client: httpx.AsyncClient,
    account: Account,
    color: tuple[int, int, int],
    keyword: str = "oak",
) -> tuple[str, str]:
    """A new room with one input of `color` and a record generating from it: (room, record)."""
    room = await create_room(client, account)
    image = await upload_image(client, account, room, make_image(color=color))
    created = await client.post(
        "/api/v1/generate",
        json={"session_id": room, "input_image_ids": [image["id"]], "keyword": keyword},
        headers=account.headers,
    )
    assert created.status_code == 202, created.text
    return room, str(created.json()["record_id"])
