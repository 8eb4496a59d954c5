"""`layerminder`: serve, migrate, users, credits, doctor (and the pipeline's commands)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from layerminder.cli.common import console, fail, migrate_database, run, setup_logging, with_session
from layerminder.cli.generate import generate
from layerminder.cli.invites import invites_app
from layerminder.cli.library import library_app
from layerminder.cli.models import models_app
from layerminder.cli.objects import model, views
from layerminder.cli.worker import worker
from layerminder.config import Settings

app = typer.Typer(
    name="layerminder",
    help="LayerMinder: an AI studio for furniture designers.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
users_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
credits_app = typer.Typer(help="Manage credits.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(credits_app, name="credits")


@app.command()
def migrate() -> None:
    """Apply database migrations (safe to run again)."""
    settings = Settings()
    migrate_database(settings)
    console.print(f"[green]database is up to date[/] ({_safe_url(settings)})")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (needs a Redis queue)")] = 1,
    migrate_first: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Apply migrations before serving")
    ] = True,
    log_level: Annotated[str, typer.Option(help="debug, info, warning")] = "info",
) -> None:
    """Serve the API (and the web studio when built) with uvicorn."""
    import uvicorn

    setup_logging(log_level.upper())
    settings = Settings()
    if migrate_first:
        migrate_database(settings)
    if workers > 1 and not settings.redis_url:
        raise fail("--workers > 1 needs LAYERMINDER_REDIS_URL (jobs and events must be shared)")
    console.print(
        f"[bold]LayerMinder[/] on http://{host}:{port}  (API docs: http://{host}:{port}/docs)"
    )
    uvicorn.run(
        "layerminder.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level.lower(),
        log_config=None,
        # The app reads X-Forwarded-For itself, from LAYERMINDER_TRUSTED_PROXIES only; uvicorn's
        # default would believe any local peer's header and let clients pick their address.
        proxy_headers=False,
    )


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Argument(help="The account's email")],
    password: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8"),
    ],
    admin: Annotated[bool, typer.Option("--admin", help="Make it an admin account")] = False,
) -> None:
    """Create an account (it receives the signup credits)."""
    from layerminder.auth import service
    from layerminder.errors import LayerminderError

    if len(password) < 8:
        raise fail("the password must have at least 8 characters")
    settings = Settings()
    migrate_database(settings)
    try:
        user = run(
            with_session(
                settings,
                lambda s: service.create_user(s, settings, email, password, admin=admin),
            )
        )
    except LayerminderError as exc:
        raise fail(exc.message) from None
    console.print(f"created [bold]{user.email}[/] ({user.role}) id={user.id}")


@credits_app.command("grant")
def credits_grant(
    email: Annotated[str, typer.Argument(help="The account to credit")],
    amount: Annotated[int, typer.Argument(help="Credits to add (positive)")],
    reason: Annotated[str, typer.Option(help="Shown in the user's ledger")] = "granted by admin",
) -> None:
    """Add credits to an account (a `grant` ledger row)."""
    from layerminder.auth.repository import UserRepository
    from layerminder.credits import service
    from layerminder.errors import LayerminderError, NotFound

    settings = Settings()

    async def _grant(session: Any) -> int:
        user = await UserRepository(session).by_email(email)
        if user is None:
            raise NotFound(f"no account with email {email}")
        return (await service.grant(session, user.id, amount, note=reason)).balance

    try:
        balance = run(with_session(settings, _grant))
    except LayerminderError as exc:
        raise fail(exc.message) from None
    console.print(f"granted {amount} to {email}: balance is now [bold]{balance}[/]")


@app.command()
def doctor() -> None:
    """Check the database, storage, queue, events, providers and embedder; say what to fix."""
    from layerminder.doctor import run_checks

    results = run(run_checks(Settings()))
    table = Table(title="LayerMinder doctor", show_lines=False)
    table.add_column("check")
    table.add_column("status")
    table.add_column("details")
    colours = {"ok": "green", "warn": "yellow", "fail": "red"}
    for result in results:
        table.add_row(result.name, f"[{colours[result.status]}]{result.status}[/]", result.message)
    console.print(table)
    if any(r.status == "fail" for r in results):
        raise typer.Exit(1)


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


app.add_typer(library_app, name="library")
app.add_typer(models_app, name="models")
app.add_typer(invites_app, name="invites")
app.command()(generate)
app.command()(model)
app.command()(views)
app.command()(worker)

if __name__ == "__main__":
    app()
