"""The objects domain's background work, as the queue knows it: a name and its handler."""

from __future__ import annotations

from functools import partial

from layerminder.jobs.queue import JobHandler
from layerminder.objects.views import RENDER_VIEWS, run_views
from layerminder.runtime import Runtime


def job_handlers(runtime: Runtime) -> dict[str, JobHandler]:
    return {RENDER_VIEWS: partial(run_views, runtime)}
