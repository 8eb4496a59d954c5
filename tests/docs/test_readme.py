"""The README stays true: every setting is documented, with its real default."""

from __future__ import annotations

from pathlib import Path

from layerminder.config import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
ALIASES = {"openai_api_key": "OPENAI_API_KEY", "openai_base_url": "OPENAI_BASE_URL"}


def test_every_setting_is_in_the_configuration_table() -> None:
    missing = [
        name
        for name in Settings.model_fields
        if f"`{ALIASES.get(name, f'LAYERMINDER_{name.upper()}')}`" not in README
    ]
    assert missing == []


def test_documented_defaults_match_the_code() -> None:
    rows = {
        line.split("|")[1].strip().strip("`"): line.split("|")[2].strip().strip("`")
        for line in README.splitlines()
        if line.startswith("| `")
    }
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, bool):
            assert rows[f"LAYERMINDER_{name.upper()}"] == str(default).lower(), name
        elif isinstance(default, int | float):
            assert float(rows[f"LAYERMINDER_{name.upper()}"]) == default, name
