"""The story stage: the first design described (name, sizes, material, title, story), and its
12 keywords, which the same call writes (`lifecycle.WRITTEN_BY`)."""

from __future__ import annotations

from typing import Any

from layerminder.db.session import unit_of_work
from layerminder.generation.inputs import load_brief, load_designs
from layerminder.generation.lifecycle import finish_stage
from layerminder.generation.stages.base import StageWork
from layerminder.models import Record, Stage
from layerminder.objects import service as objects
from layerminder.providers.base import Language
from layerminder.records import service as records
from layerminder.records.events import publish
from layerminder.runtime import Runtime


async def write_story(runtime: Runtime, record: Record) -> None:
    designs = await load_designs(runtime, record)
    language: Language = "ko" if record.language == "ko" else "en"
    # The story reads the brief too: materials named in the keyword or style are its materials.
    brief = await load_brief(runtime, record)
    result = await runtime.story_provider.write_story(designs[0], brief, language)
    story = result.story
    sizes: dict[str, Any] = {
        **story.dimensions.model_dump(),
        "furniture_type": story.furniture_type,
    }
    async with unit_of_work(runtime.sessionmaker) as session:
        # A design drawn from parts is measured, not described: its model's sizes are the
        # record's, so the drawings, the GLB and the record always agree.
        sizes.update(await objects.measured_sizes(session, runtime.storage, record) or {})
        current = await records.get(session, record.id)
        usage = dict(current.usage or {}) if current else {}
        usage["story"] = result.usage
        await finish_stage(
            session,
            record.id,
            Stage.story,
            name=story.name,
            **sizes,
            material=story.material,
            title=story.title,
            story=story.story,
            story_provider=result.provider,
            story_model=result.model,
            usage=usage,
        )
    await publish(runtime, record.id, Stage.story)
    async with unit_of_work(runtime.sessionmaker) as session:
        await finish_stage(
            session,
            record.id,
            Stage.keywords,
            keywords=list(story.keywords),
            keywords_display=list(story.keywords_display),
        )
    await publish(runtime, record.id, Stage.keywords)


WORK = StageWork(Stage.story, write_story)
