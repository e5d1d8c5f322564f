"""The ``conference`` command: serve, worker, migrate, demo, createuser, protocol-doc."""

from __future__ import annotations

import asyncio
import getpass
import os
import sys
from typing import Annotated, NoReturn

import typer
import uvicorn
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from conference.accounts import service as accounts
from conference.accounts.models import Role
from conference.accounts.passwords import MIN_PASSWORD_LENGTH
from conference.db import migrate as migrations
from conference.db.urls import display_url
from conference.demo import demo_accounts_text, seed_demo
from conference.errors import ServiceError
from conference.main import (
    DatabaseNotMigrated,
    build_context,
    build_job_kinds,
    cli_groups,
    ensure_migrated,
    media_secret,
    register_realtime,
    run_worker,
    settle_process,
)
from conference.realtime import protocol_doc
from conference.realtime.backends import MemoryBackend
from conference.realtime.hub import Hub
from conference.realtime.registry import Realtime
from conference.settings import ROOT, Settings, load_settings

app = typer.Typer(help="Cytokines virtual meeting platform.", no_args_is_help=True)


def _settings(**overrides: object) -> Settings:
    try:
        return load_settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        # Pydantic's own message repeats the input values: secret key, database password.
        problems = "; ".join(_describe(error["loc"], error["msg"]) for error in exc.errors())
        typer.secho(f"Configuration error: {problems}", fg="red", err=True)
        raise typer.Exit(2) from exc
    except ValueError as exc:
        typer.secho(f"Configuration error: {exc}", fg="red", err=True)
        raise typer.Exit(2) from exc


def _describe(location: tuple[int | str, ...], message: str) -> str:
    message = message.removeprefix("Value error, ")
    if not location:
        return message
    return f"CONFERENCE_{str(location[0]).upper()}: {message}"


def _database_failed(settings: Settings, exc: Exception) -> NoReturn:
    """Say what went wrong with the database in one line (password masked), exit 1."""
    where = display_url(settings.database_url)
    if isinstance(exc, OSError):
        message = f"Cannot reach the database at {where}: {exc}"
    else:
        message = f"Database error at {where}: {getattr(exc, 'orig', None) or exc}"
    typer.secho(message, fg="red", err=True)
    raise typer.Exit(1) from exc


@app.command()
def migrate(
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Apply the database migrations (creates the SQLite file if needed)."""
    settings = _settings()
    try:
        asyncio.run(migrations.upgrade(settings.database_url, revision))
    except (OSError, SQLAlchemyError) as exc:
        _database_failed(settings, exc)
    typer.echo(f"Database {display_url(settings.database_url)} migrated to {revision}.")


# The address `serve` listens on; unless CONFERENCE_BASE_URL is set, development links
# (and the websocket Origin check) are derived from it, so `make run PORT=8301` just works.
HostOption = Annotated[
    str | None, typer.Option(help="Address to listen on [default: CONFERENCE_HOST or 127.0.0.1].")
]
PortOption = Annotated[
    int | None,
    typer.Option(min=1, max=65_535, help="Port to listen on [default: CONFERENCE_PORT or 8000]."),
]


@app.command()
def demo(host: HostOption = None, port: PortOption = None) -> None:
    """Seed the Cytokines 2021 demo meeting and demo accounts (idempotent; not in production).

    --host and --port name the server the printed addresses point at (as for ``serve``).
    """
    settings = _settings(host=host, port=port)
    if settings.is_production:
        typer.secho("Refused: the demo data is not for a production site.", fg="red", err=True)
        raise typer.Exit(1)

    async def run() -> list[str]:
        ctx = build_context(settings)
        try:
            await ensure_migrated(ctx)
            return await seed_demo(
                ctx.db, ctx.passwords, ctx.extensions, base_url=settings.base_url
            )
        finally:
            await ctx.db.dispose()

    try:
        lines = asyncio.run(run())
    except DatabaseNotMigrated as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    except (OSError, SQLAlchemyError) as exc:
        _database_failed(settings, exc)
    for line in lines:
        typer.echo(line)
    typer.echo(demo_accounts_text(settings.base_url))


@app.command()
def createuser(
    email: Annotated[str, typer.Option(help="Email address (the sign-in name).")],
    role: Annotated[list[Role], typer.Option(help="Role; repeat for several.")],
    name: Annotated[str, typer.Option(help="Full name.")] = "",
    time_zone: Annotated[str, typer.Option(help="Display time zone.")] = "Europe/London",
    password: Annotated[
        str | None, typer.Option(help="Password; asked for when not given.", envvar="PASSWORD")
    ] = None,
) -> None:
    """Create an account with the given roles, or add the roles to an existing one."""
    settings = _settings()
    if password is None:
        if not sys.stdin.isatty():
            typer.secho("Give --password or set PASSWORD when not at a terminal.", err=True)
            raise typer.Exit(2)
        password = getpass.getpass("Password: ")
    if len(password) < MIN_PASSWORD_LENGTH:
        typer.secho(f"The password needs {MIN_PASSWORD_LENGTH} characters or more.", err=True)
        raise typer.Exit(2)

    async def run() -> bool:
        ctx = build_context(settings)
        try:
            await ensure_migrated(ctx)
            async with ctx.db.session() as db:
                _, created = await accounts.ensure_user(
                    db,
                    email=email,
                    name=name or email.split("@")[0],
                    password=password,
                    roles=role,
                    passwords=ctx.passwords,
                    time_zone=time_zone,
                )
                return created
        finally:
            await ctx.db.dispose()

    try:
        created = asyncio.run(run())
    except (DatabaseNotMigrated, ServiceError, ValueError) as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    except (OSError, SQLAlchemyError) as exc:
        _database_failed(settings, exc)
    roles = ", ".join(r.value for r in role)
    typer.echo(f"{'Created' if created else 'Updated'} {email} with role(s) {roles}.")


@app.command()
def serve(
    host: HostOption = None,
    port: PortOption = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
) -> None:
    """Serve the meeting over HTTP (uvicorn, uvloop, httptools)."""
    settings = _settings(host=host, port=port)
    # uvicorn's factory (in every worker) reads the settings from the environment again:
    # hand it the address we listen on, so the base URL it derives is the same.
    os.environ["CONFERENCE_HOST"] = settings.host
    os.environ["CONFERENCE_PORT"] = str(settings.port)

    async def check() -> None:
        ctx = build_context(settings)
        try:
            await ensure_migrated(ctx)
        finally:
            await ctx.db.dispose()

    try:
        asyncio.run(check())
    except DatabaseNotMigrated as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    except (OSError, SQLAlchemyError) as exc:
        _database_failed(settings, exc)
    if workers > 1 and settings.redis_url.startswith("memory://"):
        typer.secho(
            "Several workers need a shared hub: set CONFERENCE_REDIS_URL=redis://…", err=True
        )
        raise typer.Exit(2)
    typer.echo(
        f"Serving {settings.site_name} on {settings.host} port {settings.port}: "
        f"open {settings.base_url}"
    )
    uvicorn.run(
        "conference.main:create_app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        reload=reload,
        loop="uvloop",
        http="httptools",
        ws=settings.ws_protocol,
        # Per-message deflate keeps a full zlib window per connection (tens of kB each)
        # and compresses every frame once per client; our frames are small JSON.
        ws_per_message_deflate=False,
        proxy_headers=True,
        # The gateway refuses client frames over 16 KiB with an error envelope; this hard
        # cap stops a huge frame before it is buffered at all. Pings every 20 s keep
        # connections through proxies alive and find dead peers.
        ws_max_size=65_536,
        ws_ping_interval=20,
        ws_ping_timeout=20,
        forwarded_allow_ips="127.0.0.1",
        log_level="info",
    )


@app.command()
def worker() -> None:
    """Run background jobs only (transcodes and every other kind), no web server (with
    CONFERENCE_INLINE_WORKER=false on the web processes, for scale-out); stops on SIGTERM,
    putting a running job back in the queue."""
    settings = _settings()
    kinds = ", ".join(build_job_kinds(settings).names())
    typer.echo(f"Job worker ({kinds}) on {display_url(settings.database_url)}")
    settle_process()
    try:
        asyncio.run(run_worker(settings))
    except DatabaseNotMigrated as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    except (OSError, SQLAlchemyError) as exc:
        _database_failed(settings, exc)


@app.command("media-secret")
def media_secret_command() -> None:
    """Print the secret nginx checks media tokens with (secure_link; docs/PRODUCTION.md)."""
    typer.echo(media_secret(_settings()))


@app.command("import-schedule")
def import_schedule(
    file: Annotated[str, typer.Argument(help="A frab/pretalx schedule .json, or a .csv.")],
    dry_run: Annotated[bool, typer.Option(help="Only show what would change.")] = False,
) -> None:
    """Import a program into the current meeting's draft and print what changed."""
    # Imported here: the command is the only user of the import machinery in the CLI.
    from pathlib import Path

    from conference.program.interop.plan import ImportDiff, ImportRefused
    from conference.program.interop.service import ImportKind, apply_import, parse_program
    from conference.program.service import current_meeting

    settings = _settings()
    try:
        content = Path(file).read_bytes()
    except OSError as exc:
        typer.secho(f"Cannot read {file}: {exc.strerror}", fg="red", err=True)
        raise typer.Exit(2) from exc

    async def run() -> ImportDiff:
        ctx = build_context(settings)
        try:
            await ensure_migrated(ctx)
            async with ctx.db.session() as db:
                meeting = await current_meeting(db)
                if meeting is None:
                    raise ServiceError("No meeting has been set up yet (see `conference demo`).")
                kind: ImportKind = "csv" if file.lower().endswith(".csv") else "json"
                program = parse_program(content, kind=kind, source=meeting.slug)
                return await apply_import(db, meeting=meeting, program=program, dry_run=dry_run)
        finally:
            await ctx.db.dispose()

    try:
        diff = asyncio.run(run())
    except ImportRefused as exc:
        typer.secho("Nothing was imported:", fg="red", err=True)
        for problem in exc.problems:
            typer.secho(f"  {problem}", fg="red", err=True)
        raise typer.Exit(1) from exc
    except (DatabaseNotMigrated, ServiceError) as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    except (OSError, SQLAlchemyError) as exc:
        _database_failed(settings, exc)
    for line in diff.lines():
        typer.echo(line)


@app.command("protocol-doc")
def protocol_doc_command(
    check: Annotated[
        bool, typer.Option("--check", help="Only say whether the file is up to date.")
    ] = False,
) -> None:
    """Rewrite the generated reference in docs/PROTOCOL.md from the payload models."""
    realtime = Realtime(hub=Hub(MemoryBackend()))
    register_realtime(realtime)
    block = protocol_doc.render(realtime, protocol_doc.error_classes())
    path = ROOT / "docs" / "PROTOCOL.md"
    document = path.read_text(encoding="utf-8")
    updated = protocol_doc.rewrite(document, block)
    if updated == document:
        typer.echo(f"{path} is up to date.")
        return
    if check:
        typer.secho(f"{path} is stale: run `conference protocol-doc`.", fg="red", err=True)
        raise typer.Exit(1)
    path.write_text(updated, encoding="utf-8")
    typer.echo(f"{path} rewritten.")


for _name, _group in cli_groups(_settings):
    app.add_typer(_group, name=_name)


def main() -> None:
    app()
