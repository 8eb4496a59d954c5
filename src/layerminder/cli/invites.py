"""`layerminder invites`: create, list and revoke invite codes for invite-only sign-up."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any

import typer
from rich.table import Table

from layerminder.cli.common import console, fail, migrate_database, run, with_session
from layerminder.config import Settings

invites_app = typer.Typer(help="Invite codes for invite-only sign-up.", no_args_is_help=True)


@invites_app.command("create")
def invites_create(
    uses: Annotated[int, typer.Option(help="How many accounts the code may create")] = 1,
    expires_in_days: Annotated[
        float, typer.Option(help="Days until the code expires (0: never)")
    ] = 7,
    note: Annotated[str, typer.Option(help="Who it is for, shown in listings")] = "",
) -> None:
    """Make an invite code; it is printed once (only its hash is stored)."""
    from layerminder.errors import LayerminderError
    from layerminder.invites import service

    settings = Settings()
    migrate_database(settings)
    expires = timedelta(days=expires_in_days) if expires_in_days > 0 else None

    async def _create(session: Any) -> service.NewInvite:
        return await service.create(session, max_uses=uses, expires_in=expires, note=note)

    try:
        created = run(with_session(settings, _create))
    except LayerminderError as exc:
        raise fail(exc.message) from None
    expiry = created.invite.expires_at.isoformat() if created.invite.expires_at else "never"
    console.print(f"invite code: [bold]{created.code}[/]  (uses: {uses}, expires: {expiry})")


@invites_app.command("list")
def invites_list() -> None:
    """The newest invite codes with their uses and expiry."""
    from layerminder.invites import service

    settings = Settings()
    migrate_database(settings)
    invites = run(with_session(settings, lambda s: service.list_recent(s, 100, 0)))
    table = Table(title="Invites")
    for column in ("id", "code", "uses", "expires", "note"):
        table.add_column(column)
    for invite in invites:
        table.add_row(
            str(invite.id),
            f"{invite.code_prefix}…",
            f"{invite.uses}/{invite.max_uses}",
            invite.expires_at.isoformat() if invite.expires_at else "never",
            invite.note,
        )
    console.print(table)


@invites_app.command("revoke")
def invites_revoke(invite_id: Annotated[uuid.UUID, typer.Argument(help="The invite's id")]) -> None:
    """Delete an invite code: it can no longer be used."""
    from layerminder.errors import LayerminderError
    from layerminder.invites import service

    settings = Settings()
    try:
        run(with_session(settings, lambda s: service.revoke(s, invite_id)))
    except LayerminderError as exc:
        raise fail(exc.message) from None
    console.print(f"revoked invite {invite_id}")
