"""The pipeline's stage bodies, one module each, in the order they run.

Each module names its stage and gives `WORK`: the body, and the columns set as it starts. To add
a stage: its member of `models.Stage` with its status and error columns (a migration), a module
here, and its `WORK` in `PIPELINE`.
"""

from __future__ import annotations

from layerminder.generation.lifecycle import WRITTEN_BY
from layerminder.generation.stages import images, recommendation, story
from layerminder.generation.stages.base import StageWork
from layerminder.models import Stage

PIPELINE: tuple[StageWork, ...] = (images.WORK, story.WORK, recommendation.WORK)

# Every stage has a body or is written by one, in `Stage`'s order: checked once, on import.
_ran = [work.stage for work in PIPELINE]
if _ran != [stage for stage in Stage if stage not in WRITTEN_BY]:
    raise RuntimeError(f"the pipeline {_ran} does not run the stages of models.Stage in order")

__all__ = ["PIPELINE", "StageWork"]
