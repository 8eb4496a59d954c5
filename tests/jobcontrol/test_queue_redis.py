"""Queue positions and cancel in the Redis deployment (issue 16): an API server and one worker
with one slot on PostgreSQL and Redis; one record runs while six wait."""

from __future__ import annotations

import asyncio

import pytest

from tests.helpers import STAGES, signup
from tests.jobcontrol.common import (
    generate,
    get_record,
    room_with_input,
    steer,
    wait_for,
)
from tests.jobcontrol.conftest import RedisDeployment
from tests.live import read_stream

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]


async def test_six_waiting_records_know_their_place_and_a_cancelled_one_never_runs(
    redis_deployment: RedisDeployment,
) -> None:
    api = redis_deployment.api()
    redis_deployment.worker(concurrency=1)
    control = redis_deployment.control
    async with api.client() as client:
        account = await signup(client)
        room_id, image_id = await room_with_input(client, account)
        # One complete run first, so waiting records get an ETA from its duration.
        warm = await generate(client, account, room_id, image_id)
        await wait_for(client, account, warm, lambda r: r["done"], timeout=120)

        steer(control, image_delay=120)
        running = await generate(client, account, room_id, image_id)
        await wait_for(client, account, running, lambda r: r["image_status"] == "processing")
        waiting = [await generate(client, account, room_id, image_id) for _ in range(6)]
        records = [await get_record(client, account, r) for r in waiting]
        assert [r["queue_position"] for r in records] == [1, 2, 3, 4, 5, 6]
        etas = [r["eta_seconds"] for r in records]
        assert all(isinstance(e, int) and e > 0 for e in etas), etas
        assert etas == sorted(etas)
        assert (await get_record(client, account, running))["queue_position"] is None

        # Cancel the third in line: it drops out and the ones behind it move up.
        third = waiting[2]
        cancel = await client.post(f"/api/v1/records/{third}/cancel", headers=account.headers)
        assert cancel.status_code == 200 and cancel.json()["refunded"]
        left = [r for r in waiting if r != third]
        places = [(await get_record(client, account, r))["queue_position"] for r in left]
        assert places == [1, 2, 3, 4, 5]

        # The last one's stream is told when it moves up (the running record is cancelled and
        # the worker takes the next one).
        last = left[-1]
        places_seen: list[int | None] = []

        async def follow() -> None:
            async for event in read_stream(client, last, account.token):
                # Queue moves carry the record's state; its own previews, once it runs, do not.
                if event.data is not None and "queue_position" in event.data:
                    places_seen.append(event.data["queue_position"])
                    if event.data["queue_position"] == 4:
                        return

        follower = asyncio.create_task(follow())
        await asyncio.sleep(1)
        # The next record the worker takes holds position 4 for a few seconds, not the 120
        # (the stream looks once a second: a faster one could run before the move is seen).
        steer(control, image_delay=8)
        await client.post(f"/api/v1/records/{running}/cancel", headers=account.headers)
        await asyncio.wait_for(follower, 30)
        assert places_seen[0] == 5 and places_seen[-1] == 4

        # Everything left finishes; the cancelled one is never picked up and run.
        steer(control)
        for record_id in left:
            final = await wait_for(client, account, record_id, lambda r: r["done"], timeout=180)
            assert [final[s] for s in STAGES] == ["ready"] * 4
        skipped = await get_record(client, account, third)
        assert [skipped[s] for s in STAGES] == ["cancelled"] * 4
        assert skipped["version"] == cancel.json()["version"]
        assert skipped["image_provider"] is None and skipped["designs"] == []
