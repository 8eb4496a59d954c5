"""Webhooks through HTTP (SQLite and PostgreSQL) to a real local receiver: signed deliveries
of a record's end, retries after a 500 that stop after success, private addresses refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from layerminder.app import create_app
from tests.conftest import Database, make_settings
from tests.helpers import Account, create_room, signup, upload_image
from tests.webhooks.receiver import Received, Receiver, run_receiver, verify

# Short waits so retries happen within a test; deliveries to 127.0.0.1 allowed.
FAST = {
    "webhook_allow_private_addresses": True,
    "webhook_retry_base_seconds": 0.2,
    "webhook_retry_max_delay_seconds": 0.4,
    "webhook_sweep_interval_seconds": 0.1,
}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with run_receiver() as state:
        yield state


async def _client(
    tmp_path: Path, database: Database, **settings: Any
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path, database, **settings))
    async with LifespanManager(app, startup_timeout=120, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


async def _register(
    client: httpx.AsyncClient, account: Account, url: str, events: list[str]
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/webhooks", json={"url": url, "events": events}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _account_with_hook(
    client: httpx.AsyncClient, url: str, events: list[str]
) -> tuple[Account, dict[str, Any]]:
    """A new account with one webhook registered."""
    account = await signup(client)
    return account, await _register(client, account, url, events)


async def _start_generation(client: httpx.AsyncClient, account: Account) -> str:
    """A record generated from one upload in a new room; its id."""
    room = await create_room(client, account)
    image = await upload_image(client, account, room)
    started = await client.post(
        "/api/v1/generate",
        json={"session_id": room, "input_image_ids": [image["id"]]},
        headers=account.headers,
    )
    assert started.status_code == 202, started.text
    record_id: str = started.json()["record_id"]
    return record_id


async def _deliveries_when(
    client: httpx.AsyncClient, account: Account, webhook_id: str, ended: int = 1
) -> list[dict[str, Any]]:
    """The delivery log once `ended` deliveries have succeeded or failed."""
    for _ in range(300):
        log = await client.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=account.headers)
        assert log.status_code == 200, log.text
        items: list[dict[str, Any]] = log.json()
        if sum(d["status"] != "pending" for d in items) >= ended:
            return items
        await asyncio.sleep(0.1)
    raise AssertionError(f"deliveries did not end: {items}")


async def test_a_failed_record_is_delivered_signed(
    tmp_path: Path, database: Database, receiver: Receiver
) -> None:
    async for client in _client(tmp_path, database, **FAST):
        account, hook = await _account_with_hook(
            client, receiver.url, ["record.finished", "record.failed", "record.cancelled"]
        )
        assert hook["secret"].startswith("whsec_")
        listed = (await client.get("/api/v1/webhooks", headers=account.headers)).json()
        assert [h["url"] for h in listed] == [receiver.url] and "secret" not in listed[0]

        # No reference library in this app: the recommendation stage fails, so the record ends
        # as record.failed (designs delivered, no refund).
        record_id = await _start_generation(client, account)
        [delivery] = await _deliveries_when(client, account, hook["id"])
        assert delivery["status"] == "succeeded" and delivery["attempts"] == 1
        assert delivery["event"] == "record.failed" and delivery["record_id"] == record_id

        [received] = receiver.received
        payload = verify(hook["secret"], received)
        assert received.headers["LayerMinder-Event"] == "record.failed"
        assert received.headers["LayerMinder-Delivery"] == delivery["id"]
        assert payload["type"] == "record.failed" and payload["id"] == delivery["id"]
        record = (await client.get(f"/api/v1/records/{record_id}", headers=account.headers)).json()
        assert payload["record"]["id"] == record_id and payload["record"]["done"]
        assert payload["record"]["recommendation_status"] == record["recommendation_status"]
        assert len(payload["record"]["designs"]) == 4
        # A forged body does not verify with the same header.
        forged = Received(received.headers, received.body.replace(b"failed", b"finished"))
        with pytest.raises(AssertionError):
            verify(hook["secret"], forged)


async def test_a_500_is_retried_and_delivery_stops_after_success(
    tmp_path: Path, database: Database, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503]
    async for client in _client(tmp_path, database, **FAST):
        account, hook = await _account_with_hook(client, receiver.url, ["record.finished"])
        sent = await client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=account.headers)
        assert sent.status_code == 202 and sent.json()["status"] == "pending"
        [delivery] = await _deliveries_when(client, account, hook["id"])
        assert delivery["status"] == "succeeded" and delivery["attempts"] == 3
        assert delivery["last_status_code"] == 200 and delivery["delivered_at"]
        await asyncio.sleep(1.0)  # several sweep periods: nothing more is sent
        assert len(receiver.received) == 3
        bodies = {r.body for r in receiver.received}
        assert len(bodies) == 1  # every attempt sends the same delivery
        for received in receiver.received:
            assert verify(hook["secret"], received)["type"] == "webhook.test"


async def test_private_addresses_are_refused_at_registration(
    tmp_path: Path, database: Database
) -> None:
    async for client in _client(tmp_path, database):
        account = await signup(client)
        for url in (
            "http://127.0.0.1:8000/hook",
            "http://localhost/hook",
            "http://10.1.2.3/hook",
            "http://192.168.0.10/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/hook",
            "http://[::ffff:127.0.0.1]/hook",
        ):
            response = await client.post(
                "/api/v1/webhooks",
                json={"url": url, "events": ["record.finished"]},
                headers=account.headers,
            )
            assert response.status_code == 422, url
            assert response.json()["error"] == "AddressNotAllowed", url
        for url in ("ftp://example.com/x", "http://user:pw@example.com/", "not a url"):
            response = await client.post(
                "/api/v1/webhooks",
                json={"url": url, "events": ["record.finished"]},
                headers=account.headers,
            )
            assert response.status_code == 422, url
        unknown_event = await client.post(
            "/api/v1/webhooks",
            json={"url": "http://127.0.0.1/", "events": ["record.deleted"]},
            headers=account.headers,
        )
        assert unknown_event.status_code == 422
        assert (await client.get("/api/v1/webhooks", headers=account.headers)).json() == []


async def test_an_unknown_host_is_refused_at_registration_saying_so(
    tmp_path: Path, database: Database
) -> None:
    async for client in _client(tmp_path, database):
        account = await signup(client)
        response = await client.post(
            "/api/v1/webhooks",
            json={"url": "https://no-such-host.invalid/hooks", "events": ["record.finished"]},
            headers=account.headers,
        )
        assert response.status_code == 422
        body = response.json()
        assert body["error"] == "HostNotFound", body  # a page can say why in its own words
        assert "no-such-host.invalid cannot be resolved" in body["detail"]


async def test_a_failed_attempt_names_its_problem(
    tmp_path: Path, database: Database, receiver: Receiver
) -> None:
    """An https:// URL on a plain-HTTP server fails the TLS handshake: the delivery says
    `tls` (what a page shows in words), with the transport's own message after it."""
    port = receiver.url.split(":")[2].split("/")[0]
    async for client in _client(tmp_path, database, **FAST):
        account, hook = await _account_with_hook(
            client, f"https://127.0.0.1:{port}/hooks", ["record.finished"]
        )
        await client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=account.headers)
        for _ in range(100):
            log = await client.get(
                f"/api/v1/webhooks/{hook['id']}/deliveries", headers=account.headers
            )
            [delivery] = log.json()
            if delivery["attempts"]:
                break
            await asyncio.sleep(0.1)
        assert delivery["problem"] == "tls", delivery
        assert delivery["last_error"].startswith("tls: ConnectError: "), delivery
        assert delivery["last_status_code"] is None


async def test_a_private_address_is_refused_at_delivery(
    tmp_path: Path, database: Database, receiver: Receiver
) -> None:
    async for client in _client(tmp_path, database, **FAST):
        account, hook = await _account_with_hook(client, receiver.url, ["record.failed"])
    # The same database, now with private addresses refused (the default).
    strict = {**FAST, "webhook_allow_private_addresses": False}
    async for client in _client(tmp_path, database, **strict):
        sent = await client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=account.headers)
        assert sent.status_code == 202
        [delivery] = await _deliveries_when(client, account, hook["id"])
        assert delivery["status"] == "failed" and delivery["attempts"] == 1
        assert "refused" in delivery["last_error"] and delivery["last_status_code"] is None
        assert delivery["problem"] == "refused"
        await asyncio.sleep(0.5)
    assert receiver.received == []


async def test_webhooks_are_the_owners_and_need_a_login(
    tmp_path: Path, database: Database, receiver: Receiver
) -> None:
    async for client in _client(tmp_path, database, **FAST):
        account = await signup(client)
        other = await signup(client)
        hook = await _register(client, account, receiver.url, ["record.finished"])
        for method, path in (
            ("GET", f"/api/v1/webhooks/{hook['id']}/deliveries"),
            ("POST", f"/api/v1/webhooks/{hook['id']}/test"),
            ("DELETE", f"/api/v1/webhooks/{hook['id']}"),
        ):
            response = await client.request(method, path, headers=other.headers)
            assert response.status_code == 404, path
        key = (
            await client.post(
                "/api/v1/api-keys",
                json={"name": "k", "scopes": ["generate"]},
                headers=account.headers,
            )
        ).json()["key"]
        by_key = await client.get("/api/v1/webhooks", headers={"Authorization": f"Bearer {key}"})
        assert by_key.status_code == 403 and by_key.json()["error"] == "LoginRequired"

        deleted = await client.delete(f"/api/v1/webhooks/{hook['id']}", headers=account.headers)
        assert deleted.status_code == 204
        assert (await client.get("/api/v1/webhooks", headers=account.headers)).json() == []
        gone = await client.get(
            f"/api/v1/webhooks/{hook['id']}/deliveries", headers=account.headers
        )
        assert gone.status_code == 404


async def test_delivery_gives_up_when_the_retry_window_ends(
    tmp_path: Path, database: Database, receiver: Receiver
) -> None:
    receiver.statuses = [500] * 100
    async for client in _client(tmp_path, database, **FAST, webhook_retry_window_seconds=1.0):
        account, hook = await _account_with_hook(client, receiver.url, ["record.finished"])
        await client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=account.headers)
        [delivery] = await _deliveries_when(client, account, hook["id"])
        assert delivery["status"] == "failed" and delivery["last_status_code"] == 500
        assert 2 <= delivery["attempts"] <= 6 and delivery["next_attempt_at"] is None
        sent = len(receiver.received)
        await asyncio.sleep(0.6)
        assert len(receiver.received) == sent == delivery["attempts"]


async def test_a_cancelled_record_is_delivered_once(
    tmp_path: Path, database: Database, receiver: Receiver
) -> None:
    slow = {**FAST, "image_provider": "tests.fakes.providers:SlowImageProvider"}
    async for client in _client(tmp_path, database, **slow):
        account, hook = await _account_with_hook(client, receiver.url, ["record.cancelled"])
        record_id = await _start_generation(client, account)
        for _ in range(2):  # cancelling twice notifies once
            cancelled = await client.post(
                f"/api/v1/records/{record_id}/cancel", headers=account.headers
            )
            assert cancelled.status_code == 200, cancelled.text
        [delivery] = await _deliveries_when(client, account, hook["id"])
        assert delivery["status"] == "succeeded" and delivery["event"] == "record.cancelled"
        await asyncio.sleep(0.5)
        [received] = receiver.received
        payload = verify(hook["secret"], received)
        assert payload["type"] == "record.cancelled" and payload["record"]["id"] == record_id
        assert payload["record"]["image_status"] == "cancelled"


async def test_a_retried_record_that_ends_again_is_delivered_again(
    tmp_path: Path, database: Database, receiver: Receiver
) -> None:
    async for client in _client(tmp_path, database, **FAST):
        account, hook = await _account_with_hook(client, receiver.url, ["record.failed"])
        record_id = await _start_generation(client, account)
        [first] = await _deliveries_when(client, account, hook["id"])
        # No library: the recommendation stage fails again on the retry, a new outcome.
        retried = await client.post(f"/api/v1/records/{record_id}/retry", headers=account.headers)
        assert retried.status_code == 202, retried.text
        log = await _deliveries_when(client, account, hook["id"], ended=2)
        assert [d["event"] for d in log] == ["record.failed", "record.failed"]
        assert {d["status"] for d in log} == {"succeeded"} and first["id"] in {d["id"] for d in log}
        versions = [verify(hook["secret"], r)["record"]["version"] for r in receiver.received]
        assert len(versions) == 2 and versions[0] < versions[1]


async def test_a_delivery_goes_to_the_checked_address_with_its_host(
    tmp_path: Path, database: Database, receiver: Receiver
) -> None:
    # By name: resolved and checked at each attempt, then sent to that address (no second DNS
    # lookup to rebind), with the name kept in the Host header.
    port = receiver.url.split(":")[2].split("/")[0]
    url = f"http://localhost:{port}/hooks"
    async for client in _client(tmp_path, database, **FAST):
        account, hook = await _account_with_hook(client, url, ["record.finished"])
        await client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=account.headers)
        [delivery] = await _deliveries_when(client, account, hook["id"])
        assert delivery["status"] == "succeeded", delivery
    [received] = receiver.received
    assert received.headers["Host"] == f"localhost:{port}"
    assert verify(hook["secret"], received)["type"] == "webhook.test"


async def test_pinned_requests_keep_the_name_for_host_and_tls() -> None:
    from layerminder.security.outbound import pinned_request

    pinned = await pinned_request("https://localhost:8443/hooks?a=1", allow_private=True)
    assert pinned.url == "https://127.0.0.1:8443/hooks?a=1"
    assert pinned.headers == {"Host": "localhost:8443"}
    assert pinned.extensions == {"sni_hostname": "localhost"}
    plain = await pinned_request("http://[::1]/x", allow_private=True)
    assert plain.url == "http://[::1]/x" and plain.extensions == {}
