"""The README stays true: every setting and every command it names exists, as documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from layerminder.cli.main import app
from layerminder.config import Settings

README_PATH = Path(__file__).resolve().parents[2] / "README.md"
README = README_PATH.read_text()
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


# docs/ko/ too: the Korean guide names the same commands.
DOCS = [README_PATH, *sorted((README_PATH.parent / "docs").rglob("*.md"))]
# `layerminder` followed by words: subcommands first, then arguments (which stop at a capital,
# a quote or an option, as in `layerminder library import DIR` or `layerminder serve --port`).
COMMAND = re.compile(r"\blayerminder((?: [a-z][a-z0-9-]*)+)")


def documented_commands() -> list[tuple[str, ...]]:
    """Every command path a page names, resolved through the real CLI's command tree."""
    root = typer.main.get_command(app)
    paths: set[tuple[str, ...]] = set()
    for page in DOCS:
        for match in COMMAND.finditer(page.read_text()):
            commands: dict[str, Any] | None = root.commands  # type: ignore[attr-defined]
            path = []
            for word in match.group(1).split():
                if commands is None:
                    break  # a leaf command: the rest are its arguments
                path.append(word)
                # An unknown word stays in the path, and `--help` on it fails the test below.
                commands = getattr(commands.get(word), "commands", None)
            paths.add(tuple(path))
    return sorted(paths)


@pytest.mark.parametrize("command", documented_commands(), ids=" ".join)
def test_every_documented_command_runs(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: layerminder " + " ".join(command) in " ".join(result.output.split())


def test_the_documents_name_the_commands() -> None:
    # The parser above finds what it should: a missing group would go unnoticed otherwise.
    assert {("models", "export-clip"), ("library", "import"), ("serve",)} <= set(
        documented_commands()
    )


# `uv run python bench/x.py` or `uv run python -m bench.x`: every benchmark the README names.
BENCH = re.compile(r"uv run python (?:bench/(\w+)\.py|-m bench\.(\w+))")


def documented_benchmarks() -> list[tuple[str, ...]]:
    """Each benchmark as the README runs it: a script's path, or `-m` and a module."""
    found = {(f"bench/{path}.py",) if path else ("-m", f"bench.{module}")
             for path, module in BENCH.findall(README)}  # fmt: skip
    return sorted(found)


def test_the_readme_names_the_benchmarks() -> None:
    named = {part for command in documented_benchmarks() for part in command}
    assert {"bench/api_load.py", "bench/faults.py", "bench.brief"} <= named


@pytest.mark.parametrize("command", documented_benchmarks(), ids=" ".join)
def test_every_documented_benchmark_runs(command: tuple[str, ...]) -> None:
    # --help through the same entry point the README gives: the script imports and parses.
    result = subprocess.run(
        [sys.executable, *command, "--help"],
        cwd=README_PATH.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
