"""`layerminder worker`: run generation jobs from the Redis queue until SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Annotated

import typer

from layerminder.cli.common import console, fail, run, setup_logging
from layerminder.config import Settings

logger = logging.getLogger(__name__)


async def run_worker(settings: Settings, concurrency: int, shutdown_timeout: float) -> None:
    """Open this process's own runtime, sweep for orphaned records, run jobs until told to stop."""
    from layerminder import offload
    from layerminder.jobs.redis_queue import RedisJobQueue
    from layerminder.runtime import open_runtime
    from layerminder.startup import recover_jobs, recovery_sweeps
    from layerminder.tasks import CPU_WORK_MODULES, job_handlers

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals_seen = 0

    def _on_signal(signum: int) -> None:
        nonlocal signals_seen
        signals_seen += 1
        if signals_seen == 1:
            logger.info(
                "%s: taking no new jobs; finishing running ones (up to %.0f s)",
                signal.Signals(signum).name,
                shutdown_timeout,
            )
            stop.set()
        else:
            # A second signal: the operator does not want to wait; running jobs go back.
            logger.info("second signal: returning running jobs to the queue now")
            for task in asyncio.all_tasks(loop):
                if task.get_name() == "worker-main":
                    task.cancel()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, _on_signal, signum)

    async with open_runtime(settings) as runtime:
        queue = runtime.queue
        assert isinstance(queue, RedisJobQueue)
        queue.bind(job_handlers(runtime))
        offload.warm_up(CPU_WORK_MODULES)
        async with recovery_sweeps(runtime, at_startup=False):
            logger.info(
                "worker ready: database=%s storage=%s events=%s concurrency=%d",
                runtime.engine.dialect.name,
                runtime.storage.name,
                runtime.events.name,
                concurrency,
            )
            main = asyncio.create_task(
                queue.work(
                    concurrency,
                    stop,
                    shutdown_timeout=shutdown_timeout,
                    # Redis came back empty: every unfinished record nobody holds goes back
                    # at once, not after a lease period.
                    on_queue_lost=lambda: recover_jobs(runtime, at_startup=True),
                ),
                name="worker-main",
            )
            with contextlib.suppress(asyncio.CancelledError):
                await main
    logger.info("worker stopped")


def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(help="Jobs run at once (default: LAYERMINDER_WORKER_CONCURRENCY)"),
    ] = None,
    shutdown_timeout: Annotated[
        float,
        typer.Option(help="On SIGTERM, seconds to let running jobs finish before returning them"),
    ] = 25.0,
    log_level: Annotated[str, typer.Option(help="debug, info, warning")] = "info",
) -> None:
    """Run generation jobs from the Redis queue (start as many of these as you like)."""
    setup_logging(log_level.upper())
    settings = Settings()
    if not settings.redis_url:
        raise fail(
            "`layerminder worker` needs LAYERMINDER_REDIS_URL (e.g. redis://localhost:6379/0): "
            "without Redis, `layerminder serve` runs the jobs in-process and needs no worker"
        )
    slots = concurrency or settings.worker_concurrency
    if slots < 1:
        raise fail("--concurrency must be at least 1")
    console.print(f"[bold]LayerMinder worker[/]: {slots} concurrent jobs")
    run(run_worker(settings, slots, shutdown_timeout))
