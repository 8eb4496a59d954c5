"""Job control across the processes of the Redis deployment (issue 16): a retry whose worker is
killed mid-run resumes on another worker like any job, and a cancel made through one API replica
ends every open stream of the record on every replica."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable

import httpx
import pytest

from tests.helpers import STAGES, Account, signup
from tests.jobcontrol.common import (
    assert_balance_is_ledger,
    generate,
    get_record,
    ledger,
    room_with_input,
    rows_for,
    steer,
    wait_for,
)
from tests.jobcontrol.conftest import RedisDeployment
from tests.jobs.redis_keys import queue_drained
from tests.live import Event, events_until_end, read_stream

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

SIGNUP_CREDITS = 20  # the deployment's
CLIENTS_PER_REPLICA = 3


async def test_a_retry_whose_worker_is_killed_mid_run_resumes_on_a_new_worker(
    redis_deployment: RedisDeployment,
) -> None:
    deployment = redis_deployment
    # The default lease of a minute: the killed worker's job is taken over in seconds all the
    # same, because the worker stopped beating and its job stopped renewing.
    deployment.configure(job_heartbeat_seconds=1)
    api = deployment.api()
    first = deployment.worker()
    async with api.client() as client:
        account = await signup(client)
        room_id, image_id = await room_with_input(client, account)
        steer(deployment.control, fail=("images",))
        record_id = await generate(client, account, room_id, image_id)
        failed = await wait_for(client, account, record_id, lambda r: r["done"], timeout=120)
        assert [failed[s] for s in STAGES] == ["error"] * 4 and failed["refunded"]

        # The paid retry is taken by the worker and hangs in its image stage...
        steer(deployment.control, image_delay=300)
        retry = await client.post(f"/api/v1/records/{record_id}/retry", headers=account.headers)
        assert retry.status_code == 202, retry.text
        await wait_for(client, account, record_id, lambda r: r["image_status"] == "processing")
        connected = asyncio.Event()

        async def follow() -> list[Event]:
            events = []
            async for event in read_stream(client, record_id, account.token):
                events.append(event)
                connected.set()
            return events

        follower = asyncio.create_task(follow())
        await asyncio.wait_for(connected.wait(), 30)

        # ...when its worker dies outright. Another worker starts (the image service is fast
        # again): it takes the abandoned job over and finishes the record.
        assert first.stop(kill=True) == -9
        steer(deployment.control)
        second = deployment.worker()
        events = await asyncio.wait_for(follower, 120)
        # Taken over from the silent worker, not after the minute's lease and a sweep.
        assert "stopped beating" in second.log()
        assert "has not renewed its lease" in second.log()

    assert events[-1].event == "end"
    final = events[-2].data
    assert final is not None
    assert [final[s] for s in STAGES] == ["ready"] * 4, final
    assert [d["position"] for d in final["designs"]] == [0, 1, 2, 3]
    assert len({d["image_id"] for d in final["designs"]}) == 4
    assert not final["refunded"] and final["retry_cost"] is None
    # Finished by the new worker (it logs that just after publishing the last event).
    await _until(lambda: "generation finished" in second.log())

    async with api.client() as client:
        record = await get_record(client, account, record_id)
        assert record["version"] == final["version"] and record["designs"] == final["designs"]
        # Charged for the first run, refunded, charged again for the retry: never twice.
        balance, rows = await ledger(client, account)
        assert balance == SIGNUP_CREDITS - 1
        assert len(rows_for(rows, record_id, "generation")) == 2
        assert len(rows_for(rows, record_id, "refund")) == 1
        await assert_balance_is_ledger(client, account)
    assert await queue_drained(deployment.env["LAYERMINDER_REDIS_PREFIX"])


async def test_a_retry_right_after_a_cancel_runs_although_the_old_job_still_runs(
    redis_deployment: RedisDeployment,
) -> None:
    """Cancel a running record and retry it at once: the retry's job message is the running
    one's (one outstanding message per record), so the old job, once it sees that a newer run
    took the record over, must hand its message back rather than drop it."""
    deployment = redis_deployment
    # The job looks for a cancel only every 5 s: the retry surely comes first.
    deployment.configure(job_cancel_poll_seconds=5)
    api = deployment.api()
    worker = deployment.worker()
    async with api.client() as client:
        account = await signup(client)
        room_id, image_id = await room_with_input(client, account)
        steer(deployment.control, image_delay=300)
        record_id = await generate(client, account, room_id, image_id)
        await wait_for(client, account, record_id, lambda r: r["image_status"] == "processing")
        cancel = await client.post(f"/api/v1/records/{record_id}/cancel", headers=account.headers)
        assert cancel.status_code == 200, cancel.text
        retry = await client.post(f"/api/v1/records/{record_id}/retry", headers=account.headers)
        assert retry.status_code == 202, retry.text
        steer(deployment.control)

        final = await wait_for(client, account, record_id, lambda r: r["done"], timeout=90)
        assert [final[s] for s in STAGES] == ["ready"] * 4, final
        assert len(final["designs"]) == 4 and not final["refunded"]
        balance, rows = await ledger(client, account)
        assert balance == SIGNUP_CREDITS - 1
        assert len(rows_for(rows, record_id, "generation")) == 2
        assert len(rows_for(rows, record_id, "refund")) == 1
        await assert_balance_is_ledger(client, account)
    await _until(lambda: "generation cancelled and retried" in worker.log())
    assert await queue_drained(deployment.env["LAYERMINDER_REDIS_PREFIX"])


async def test_a_cancel_ends_every_stream_on_every_replica(
    redis_deployment: RedisDeployment,
) -> None:
    deployment = redis_deployment
    replicas = [deployment.api(), deployment.api()]
    deployment.worker()
    steer(deployment.control, image_delay=300)
    clients = [replica.client() for replica in replicas for _ in range(CLIENTS_PER_REPLICA)]
    try:
        await _cancel_with_streams_open(deployment, clients)
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


async def _cancel_with_streams_open(
    deployment: RedisDeployment, clients: list[httpx.AsyncClient]
) -> None:
    one = clients[0]
    account = await signup(one)
    room_id, image_id = await room_with_input(one, account)
    record_id = await generate(one, account, room_id, image_id)
    await wait_for(one, account, record_id, lambda r: r["image_status"] == "processing")

    # Clients on both replicas follow the running record: by ticket (as the studio does) or by
    # header, each reading until its replica closes the response.
    connected = [asyncio.Event() for _ in clients]

    async def follow(client: httpx.AsyncClient, ready: asyncio.Event, header: bool) -> list[Event]:
        events = []
        stream = read_stream(client, record_id, account.token, use_header=header, until_closed=True)
        async for event in stream:
            events.append(event)
            ready.set()
        return events

    headers = itertools.cycle((False, True))
    followers = [
        asyncio.create_task(follow(client, ready, next(headers)))
        for client, ready in zip(clients, connected, strict=True)
    ]
    await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in connected)), 30)

    # Cancelled through the second replica: every stream gets the cancelled state, then `end`,
    # then its replica closes it.
    other = clients[-1]
    response = await other.post(f"/api/v1/records/{record_id}/cancel", headers=account.headers)
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert [cancelled[s] for s in STAGES] == ["cancelled"] * 4 and cancelled["refunded"]
    streams = await asyncio.wait_for(asyncio.gather(*followers), 30)
    for events in streams:
        assert [e.event for e in events][-2:] == ["state", "end"], [e.event for e in events]
        final = events[-2].data
        assert final is not None and final["done"] and final["cancelled"]
        assert [final[s] for s in STAGES] == ["cancelled"] * 4
        assert final["version"] == cancelled["version"]
        assert events[-1].id == str(cancelled["version"])

    # The worker drops the job; a stream opened now on either replica ends at once.
    await _until(
        lambda: "generation cancelled by its owner" in deployment.log("worker-1").read_text()
    )
    for client in (one, other):
        events = await asyncio.wait_for(events_until_end(client, record_id, account.token), 30)
        assert [e.event for e in events] == ["state", "end"]
        assert events[0].data is not None and events[0].data["version"] == cancelled["version"]
    await _assert_refunded_once(one, account, record_id)
    assert await queue_drained(deployment.env["LAYERMINDER_REDIS_PREFIX"])


async def _assert_refunded_once(
    client: httpx.AsyncClient, account: Account, record_id: str
) -> None:
    balance, rows = await ledger(client, account)
    assert balance == SIGNUP_CREDITS
    assert len(rows_for(rows, record_id, "generation")) == 1
    assert len(rows_for(rows, record_id, "refund")) == 1
    await assert_balance_is_ledger(client, account)


async def _until(check: Callable[[], bool], timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "timed out waiting"
        await asyncio.sleep(0.1)
