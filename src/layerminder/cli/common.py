"""What every `layerminder` command shares: consoles, errors, logging, asyncio, migrations."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import typer
from rich.console import Console

from layerminder.config import Settings

console = Console()
err_console = Console(stderr=True)
T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def fail(message: str, code: int = 1) -> typer.Exit:
    # One logical line however narrow the terminal: scripts and tests read it whole.
    err_console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    return typer.Exit(code)


def setup_logging(level: str = "INFO") -> None:
    from layerminder.logs import configure_logging

    configure_logging(level)


async def migrate_to_head(settings: Settings) -> None:
    from layerminder.db.migrate import upgrade_to_head
    from layerminder.db.session import create_engine

    engine = create_engine(settings)
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()


def migrate_database(settings: Settings) -> None:
    run(migrate_to_head(settings))


async def with_session(settings: Settings, action: Callable[[Any], Awaitable[T]]) -> T:
    """Run `action` in one unit of work on a short-lived engine (commands that touch a few rows)."""
    from layerminder.db.session import create_engine, create_sessionmaker, unit_of_work

    engine = create_engine(settings)
    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
            return await action(session)
    finally:
        await engine.dispose()
