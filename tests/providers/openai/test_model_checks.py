"""The doctor's model checks: listed models and their shutdown dates, through the SDK."""

from __future__ import annotations

from datetime import date

from layerminder.providers.openai import check_models
from tests.fakes.openai_server import FakeModel, FakeOpenAI
from tests.providers.openai.support import make_settings


async def test_check_models_warns_about_shutdown_dates(fake: FakeOpenAI) -> None:
    fake.script.models = [
        FakeModel("gpt-image-2", include_shutdown_date=False),
        FakeModel("gpt-5-mini", shutdown_date="2026-12-11"),
        FakeModel("gpt-4.1-nano", shutdown_date="2026-10-23"),
        FakeModel("gpt-6-luna", shutdown_date=None),
    ]
    settings = make_settings(fake, image_model="gpt-image-2", story_model="gpt-5-mini")

    checks = await check_models(settings, today=date(2026, 11, 24))

    assert [(c.model, c.ok, c.warning) for c in checks] == [
        ("gpt-image-2", True, False),
        ("gpt-5-mini", True, True),
    ]
    assert "2026-12-11" in checks[1].message
    assert "in 17 days" in checks[1].message
    assert checks[1].shutdown_date == date(2026, 12, 11)

    more = await check_models(
        settings, ["gpt-4.1-nano", "gpt-6-luna", "gpt-image-9"], today=date(2026, 11, 24)
    )
    assert [(c.model, c.ok, c.warning) for c in more] == [
        ("gpt-4.1-nano", False, False),
        ("gpt-6-luna", True, False),
        ("gpt-image-9", False, False),
    ]
    assert "shut down on 2026-10-23" in more[0].message
    assert "not available" in more[2].message
    assert all(r.path == "/v1/models" for r in fake.requests_to("/v1/models"))


async def test_check_models_reports_a_bad_key(fake: FakeOpenAI) -> None:
    checks = await check_models(make_settings(fake, OPENAI_API_KEY="sk-wrong"))

    assert [c.ok for c in checks] == [False, False]
    assert all("could not list models" in c.message for c in checks)
    assert all("Incorrect API key" in c.message for c in checks)
