"""Stream tickets against a real server process: no login token in a URL, none in the log."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import create_room, signup, upload_image
from tests.live import LiveServer, events_until_end, server_env, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("tickets")
    env = server_env(
        root / "data", f"sqlite+aiosqlite:///{root / 'lm.db'}", stream_ticket_seconds="2"
    )
    live = start_server(env, root / "server.log")
    yield live
    live.stop()


async def test_tickets_open_one_stream_and_never_reach_the_log(server: LiveServer) -> None:
    async with server.client() as client:
        account = await signup(client)
        room = await create_room(client, account)
        image = await upload_image(client, account, room)
        body = {"session_id": room, "input_image_ids": [image["id"]], "keyword": "oak"}
        records = [
            (await client.post("/api/v1/generate", json=body, headers=account.headers)).json()[
                "record_id"
            ]
            for _ in range(2)
        ]
        stream = f"/api/v1/records/{records[0]}/stream"

        issued = await client.post(f"{stream}-ticket", headers=account.headers)
        assert issued.status_code == 200
        ticket = issued.json()
        assert 1 <= ticket["expires_in"] <= 60
        assert ticket["stream_url"] == f"{stream}?ticket={ticket['ticket']}"

        # The 7-day login token in the query string is refused, with the way to do it instead.
        refused = await client.get(stream, params={"access_token": account.token})
        assert refused.status_code == 401
        assert "stream-ticket" in refused.json()["detail"]
        # A ticket opens its own record's stream only, and is no login.
        other = await client.get(
            f"/api/v1/records/{records[1]}/stream", params={"ticket": ticket["ticket"]}
        )
        assert other.status_code == 401
        as_login = await client.get(
            "/api/v1/auth/me", headers={"Authorization": f"Bearer {ticket['ticket']}"}
        )
        assert as_login.status_code == 401

        events = await events_until_end(client, records[0], account.token)  # via a ticket
        assert events[0].event == "state" and events[-1].event == "end"
        design = events[-2].data["designs"][0]  # type: ignore[index]
        signed = await client.get(design["url"])  # a signed image URL, as an <img> loads it
        assert signed.status_code == 200

        # Seconds later the same ticket is stale.
        await asyncio.sleep(ticket["expires_in"] + 1)
        stale = await client.get(stream, params={"ticket": ticket["ticket"]})
        assert stale.status_code == 401

    log = server.log()
    assert f"/api/v1/records/{records[0]}/stream?ticket=[redacted]" in log
    assert "/api/v1/images/" in log and "sig=[redacted]" in log
    for secret in (account.token, ticket["ticket"], design["url"].split("sig=")[1]):
        assert secret not in log


def test_a_ticket_outlives_no_setting_above_a_minute(tmp_path: Path) -> None:
    from layerminder.config import Settings

    with pytest.raises(ValueError, match="stream_ticket_seconds"):
        Settings(_env_file=None, stream_ticket_seconds=3600)


def test_presigned_and_signed_query_values_are_redacted() -> None:
    from layerminder.logs import redact_query

    presigned = (
        "/images/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261130"
        "&X-Amz-Date=20261130T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
        "&X-Amz-Signature=abc123&X-Amz-Security-Token=tok"
    )
    redacted = redact_query(presigned)
    assert "abc123" not in redacted and "AKIA" not in redacted and "tok" not in redacted
    assert "X-Amz-Expires=3600" in redacted  # what is not a credential stays readable
    assert redact_query("/api/v1/records?limit=20&offset=0") == "/api/v1/records?limit=20&offset=0"
    assert redact_query("/healthz") == "/healthz"
