"""What a stage module gives the job: its stage, its body, and what it sets as it starts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from layerminder.models import Record, Stage
from layerminder.runtime import Runtime


def _nothing() -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class StageWork:
    stage: Stage
    # Does the stage's work and marks it ready (`lifecycle.finish_stage`); raises to fail it.
    run: Callable[[Runtime, Record], Awaitable[None]]
    # Columns written as the stage starts, with its `processing` status.
    on_start: Callable[[], dict[str, Any]] = field(default=_nothing)
