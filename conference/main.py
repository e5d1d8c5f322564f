"""The app factory: the one place that wires the domain packages into the core."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import MetaData

from conference import limits
from conference.accounts import account_pages
from conference.accounts import pages as signin_pages
from conference.accounts import router as accounts_api
from conference.accounts.models import Role
from conference.accounts.passwords import Passwords
from conference.accounts.tokens import Tokens
from conference.console import imports as console_imports
from conference.console import pages as console_pages
from conference.context import AppContext
from conference.db.base import Base
from conference.db.engine import Database, PoolSize
from conference.db.migrate import migration_state
from conference.db.urls import display_url
from conference.errors import ServiceError
from conference.extensions import Extensions
from conference.health import router as health_router
from conference.jobs import console as jobs_console
from conference.jobs.kinds import JobKinds
from conference.jobs.runner import JobRunner
from conference.mail import Mailer
from conference.metrics import Metrics, MetricsMiddleware
from conference.program.agenda import router as program_agenda_api
from conference.program.agenda import service as agenda
from conference.program.draft import router as program_organizer_api
from conference.program.interop import router as program_interop_api
from conference.program.published import pages as program_pages
from conference.program.published import router as program_api
from conference.program.published.program import ProgramCache
from conference.realtime import announcements, chat, polls, qa, reactions
from conference.realtime import gateway as realtime_gateway
from conference.realtime import pages as realtime_pages
from conference.realtime import privacy as realtime_privacy
from conference.realtime.backends import create_backend
from conference.realtime.channels import register_core_channels
from conference.realtime.hub import Hub
from conference.realtime.registry import Realtime
from conference.settings import Settings, load_settings
from conference.web import apidocs
from conference.web.csrf import CsrfCookieMiddleware, verify_csrf
from conference.web.errors import install_error_handlers
from conference.web.headers import SecurityHeadersMiddleware
from conference.web.limits import BodySizeLimitMiddleware
from conference.web.navigation import NavItem
from conference.web.templates import Pages
from exhibitors import demo as exhibitors_demo
from exhibitors import router as exhibitors_router
from posters import channels as posters_channels
from posters import console as posters_console
from posters import pages as posters_pages
from posters import router as posters_api
from posters.demo import judging as posters_demo_judging
from posters.demo import seed as posters_demo
from posters.editing import pages as posters_editing_pages
from posters.gallery import bookmarks as posters_bookmarks
from posters.imports import router as posters_imports_api
from posters.judging import console as posters_judging_console
from posters.judging import pages as posters_judging_pages
from posters.judging import privacy as posters_judging_privacy
from posters.judging import router as posters_judging_api
from posters.slots import pages as posters_slots_pages
from posters.slots import presence as posters_presence
from posters.slots import program as posters_program
from posters.slots import router as posters_slots_api
from posters.talk import pages as posters_talk_pages
from posters.talk import privacy as posters_talk_privacy
from posters.talk import router as posters_talk_api
from posters.tiles import jobs as posters_jobs
from posters.tiles import router as posters_pdf_routes
from streaming import channels as streaming_channels
from streaming import console as streaming_console
from streaming import demo as streaming_demo
from streaming import jobs as streaming_jobs
from streaming import media as streaming_media
from streaming import pages as streaming_pages
from streaming import runtime as streaming_runtime
from streaming import tokens as streaming_tokens
from streaming import uploads as streaming_uploads
from streaming.ingest import router as streaming_whip
from streaming.library import premiere as streaming_premiere
from streaming.library import router as streaming_recordings_api
from streaming.panel import router as streaming_panel_api

if TYPE_CHECKING:
    import typer

logger = logging.getLogger(__name__)

# Every area of the site; an entry appears once a route with its name exists.
NAVIGATION = (
    NavItem("Home", "home"),
    NavItem("Program", "program"),
    NavItem("Stages", "stages"),
    NavItem("Posters", "posters"),
    NavItem("Exhibitors", "exhibitors"),
    NavItem("Trivia", "trivia"),
    NavItem("My agenda", "agenda", signed_in_only=True),
    NavItem("Console", "console", roles=frozenset({Role.organizer})),
)


class DatabaseNotMigrated(RuntimeError):
    pass


def all_models_metadata() -> MetaData:
    """The metadata of every model in every package (for Alembic and the tests)."""
    import conference.accounts.models
    import conference.jobs.models
    import conference.program.models
    import conference.realtime.models  # noqa: F401
    import exhibitors.models  # noqa: F401
    import posters.judging.models
    import posters.models
    import posters.talk.models  # noqa: F401
    import streaming.models  # noqa: F401

    return Base.metadata


def build_extensions(settings: Settings, jobs: JobKinds) -> Extensions:
    """What the domain packages add to the core's features."""
    extensions = Extensions()
    extensions.demo_seeders.append(exhibitors_demo.seed_sponsors)
    extensions.demo_seeders.append(streaming_demo.seed_stream_key)
    extensions.demo_seeders.append(posters_demo.poster_seeder(settings.var_dir, jobs))
    extensions.demo_seeders.append(posters_demo_judging.seed_judging)
    extensions.home_sections.append(exhibitors_router.sponsors_home_section)
    extensions.home_sections.append(posters_judging_pages.judging_home_section)
    extensions.user_data_exporters["agenda"] = agenda.export_user_agenda
    extensions.user_data_exporters["realtime"] = realtime_privacy.export_user
    extensions.account_erasers.append(realtime_privacy.erase_user)
    extensions.user_data_exporters["posters"] = posters_talk_privacy.export_user
    extensions.account_erasers.append(posters_talk_privacy.erase_user)
    extensions.user_data_exporters["poster_judging"] = posters_judging_privacy.export_user
    extensions.account_erasers.append(posters_judging_privacy.erase_user)
    extensions.user_data_exporters["poster_bookmarks"] = posters_bookmarks.export_user
    extensions.account_erasers.append(posters_bookmarks.erase_user)
    extensions.agenda_sections.append(posters_pages.agenda_section)
    extensions.session_watch_links.append(streaming_pages.session_watch_link)
    extensions.session_sections.append(posters_program.session_section)
    extensions.console_sections.extend(console_pages.SECTIONS)
    extensions.console_sections.append(announcements.CONSOLE_SECTION)
    extensions.console_sections.append(streaming_console.CONSOLE_SECTION)
    extensions.console_sections.append(posters_judging_console.CONSOLE_SECTION)
    extensions.console_sections.append(jobs_console.CONSOLE_SECTION)
    extensions.console_sections.append(posters_console.CONSOLE_SECTION)
    return extensions


def build_job_kinds(settings: Settings) -> JobKinds:
    """Every kind of background job the domains run on the core's job runner."""
    kinds = JobKinds()
    kinds.register(streaming_jobs.transcode_kind(settings))
    kinds.register(posters_jobs.tiles_kind(settings))
    return kinds


def cli_groups(load: Callable[[], Settings]) -> list[tuple[str, typer.Typer]]:
    """The domains' command groups (``conference posters ...``) that conference.cli adds;
    ``load`` reads the settings the command line's way. Each group opens the app's context
    through the one helper here: the database migrated, disposed of at the end."""
    from posters import cli as posters_cli  # only the command line needs it

    @asynccontextmanager
    async def open_context() -> AsyncIterator[AppContext]:
        ctx = build_context(load())
        try:
            try:
                await ensure_migrated(ctx)
            except DatabaseNotMigrated as exc:
                raise ServiceError(str(exc)) from exc
            yield ctx
        finally:
            await ctx.db.dispose()

    return [("posters", posters_cli.build_app(open_context))]


def build_realtime(settings: Settings) -> Realtime:
    """The hub on the configured backend, with every channel policy and client action."""
    realtime = Realtime(hub=Hub(create_backend(settings.redis_url, prefix=settings.hub_prefix)))
    register_realtime(realtime)
    return realtime


def register_realtime(realtime: Realtime) -> None:
    """Every channel policy, client action and server event, the core's and the domains'."""
    register_core_channels(realtime)
    for feature in (chat, qa, polls, announcements, reactions):
        feature.register(realtime)
    streaming_channels.register(realtime)
    posters_channels.register(realtime)
    posters_presence.register(realtime)
    # Names the exhibitors and trivia domains are to own (docs/PROTOCOL.md): a client may
    # name them, and is refused (forbidden) until their package registers the kind, with
    # its policy, in place of this line.
    for name, argument in (
        ("booth", limits.ID_PATTERN),
        ("trivia", limits.CHANNEL_SLUG_PATTERN),
    ):
        realtime.channel(name, argument=argument, policy=None)


def build_context(settings: Settings) -> AppContext:
    tokens = Tokens(settings.secret_key)
    job_kinds = build_job_kinds(settings)
    ctx = AppContext(
        settings=settings,
        db=Database(
            settings.database_url,
            pool=PoolSize(
                size=settings.db_pool_size,
                overflow=settings.db_max_overflow,
                timeout=settings.db_pool_timeout,
            ),
            strict=not settings.is_production,
        ),
        passwords=Passwords(
            time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib
        ),
        tokens=tokens,
        mailer=Mailer(
            sender=settings.mail_from,
            outbox_dir=settings.outbox_dir,
            smtp_host=settings.smtp_host,
            smtp_port=settings.smtp_port,
            smtp_username=settings.smtp_username,
            smtp_password=settings.smtp_password,
            smtp_starttls=settings.smtp_starttls,
        ),
        realtime=build_realtime(settings),
        pages=Pages(settings=settings, tokens=tokens, navigation=NAVIGATION),
        metrics=Metrics(),
        extensions=build_extensions(settings, job_kinds),
        programs=ProgramCache(),
        jobs=job_kinds,
        job_runner=JobRunner(job_kinds),
    )
    ctx.pages.page_context.append(lambda request: {"banners": announcements.page_banners(request)})
    ctx.realtime.hub.reauthorize = functools.partial(realtime_gateway.reauthorize, ctx)
    return ctx


async def ensure_migrated(ctx: AppContext) -> None:
    """Refuse to serve a database the code's migrations have not been applied to."""
    state = await migration_state(ctx.db.engine)
    if not state.known:
        raise DatabaseNotMigrated(
            f"The database at {display_url(ctx.settings.database_url)} is at migration "
            f"{state.current}, which this code does not know: it was migrated by a newer "
            "version. Run the matching version of the code."
        )
    if not state.up_to_date:
        raise DatabaseNotMigrated(
            f"The database at {display_url(ctx.settings.database_url)} is at migration "
            f"{state.current or 'none'}, the code needs {state.head}. "
            "Run `conference migrate` first."
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for ``settings`` (read from the environment if not given)."""
    settings = (settings or load_settings()).with_secret_key()
    ctx = build_context(settings)
    streaming = streaming_runtime.build_runtime(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Everything this app started is stopped here, and nothing of it is kept outside
        # the app (no module-level state): an app that has shut down is freed.
        try:
            await ensure_migrated(ctx)
            await ctx.mailer.start()
            await ctx.realtime.start(ctx)
            async with streaming_runtime.running(ctx, streaming):
                if settings.inline_worker:
                    await ctx.job_runner.start(ctx.db)
                yield
        finally:
            # Kills a running job's child and puts the job back in the queue.
            await ctx.job_runner.stop()
            await ctx.realtime.close()
            await ctx.mailer.stop()
            await ctx.db.dispose()

    app = FastAPI(
        title="Cytokines virtual meeting",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(verify_csrf)],
        # Served by conference.web.apidocs (own origin, organizers only in production).
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.ctx = ctx
    app.state.streaming = streaming

    app.include_router(health_router)
    app.include_router(apidocs.router)
    for feature_router in (chat.router, qa.router, polls.router, announcements.router):
        app.include_router(feature_router)
    app.include_router(realtime_pages.router)
    app.include_router(accounts_api.router)
    app.include_router(signin_pages.router)
    app.include_router(account_pages.router)
    # Interop and agenda first: their fixed paths (schedule.json, .ics) must win over the
    # public API's /sessions/{guid}.
    app.include_router(program_interop_api.router)
    app.include_router(program_agenda_api.router)
    app.include_router(program_api.router)
    app.include_router(program_organizer_api.router)
    app.include_router(program_pages.router)
    app.include_router(console_imports.router)
    app.include_router(console_pages.router)
    app.include_router(jobs_console.router)
    # Posters' fixed paths before the routes with a poster id, which would claim them:
    # /posters/judging, /api/v1/posters/people-choice, /vote, /import, /settings.
    for posters_router in (
        posters_judging_api.router,
        posters_judging_pages.router,
        posters_judging_console.router,
        posters_talk_api.router,
        posters_imports_api.router,
        posters_console.router,
        posters_api.router,
        posters_pages.router,
        posters_editing_pages.router,
        posters_slots_api.router,
        posters_slots_pages.router,
        posters_talk_pages.router,
        posters_pdf_routes.api,
        posters_pdf_routes.files,
    ):
        app.include_router(posters_router)
    for streaming_router in (
        streaming_whip.router,
        # Before media: its /vod/<id>/... file route would claim the premiere playlists.
        streaming_premiere.router,
        streaming_media.router,
        streaming_recordings_api.router,
        streaming_uploads.router,
        streaming_pages.router,
        streaming_console.router,
        streaming_panel_api.router,
    ):
        app.include_router(streaming_router)
    settings.media_root.mkdir(parents=True, exist_ok=True)
    # hls.js from npm (package.json; `make install` runs npm ci). Mounted before /static,
    # which would otherwise claim the path; missing until npm has run (then 404s).
    app.mount(
        "/static/vendor/hls",
        StaticFiles(
            directory=settings.static_dir.parent / "node_modules" / "hls.js" / "dist",
            check_dir=False,
        ),
        name="vendor_hls",
    )
    # OpenSeadragon (the poster viewer) and its button images, the same way.
    app.mount(
        "/static/vendor/openseadragon",
        StaticFiles(
            directory=settings.static_dir.parent
            / "node_modules"
            / "openseadragon"
            / "build"
            / "openseadragon",
            check_dir=False,
        ),
        name="vendor_openseadragon",
    )
    # Swagger UI for /api/docs, the same way (see conference.web.apidocs).
    app.mount(
        "/static/vendor/swagger-ui",
        StaticFiles(
            directory=settings.static_dir.parent / "node_modules" / "swagger-ui-dist",
            check_dir=False,
        ),
        name="vendor_swagger_ui",
    )
    app.mount("/static", StaticFiles(directory=settings.static_dir), name="static")

    install_error_handlers(app)
    # Added innermost first: the CSRF cookie is set inside the size limit and headers,
    # and metrics see every request, refused ones included.
    app.add_middleware(CsrfCookieMiddleware, secure=settings.is_production)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_request_bytes,
        larger={
            "/api/v1/program/import": settings.max_import_bytes,
            "/console/import": settings.max_import_bytes,
            "/api/v1/posters/import": settings.max_import_bytes,
            "/api/v1/posters/import-pdfs": settings.max_poster_zip_bytes,
            "/console/posters/import": settings.max_import_bytes,
            "/console/posters/import-pdfs": settings.max_poster_zip_bytes,
            # Pre-recorded talks; the upload route also counts bytes as it writes them.
            "/api/v1/streaming/uploads": settings.max_upload_bytes,
            "/studio/uploads": settings.max_upload_bytes,
        },
        larger_paths={r"/api/v1/posters/[0-9]+/pdf": settings.max_poster_pdf_bytes},
    )
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.is_production)
    app.add_middleware(MetricsMiddleware, metrics=ctx.metrics)
    # Outermost: /ws connections skip the stack above, each of whose layers would be kept
    # alive for the whole life of every connection (see conference/realtime/gateway.py).
    app.add_middleware(realtime_gateway.RealtimeMiddleware)
    return app


async def run_worker(settings: Settings) -> None:
    """Run only this process's job runner until SIGTERM/SIGINT (``conference worker``)."""
    ctx = build_context(settings)
    try:
        await ensure_migrated(ctx)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await ctx.job_runner.start(ctx.db)
        try:
            await stop.wait()
        finally:
            # Kills a running job's child and puts the job back in the queue.
            await ctx.job_runner.stop()
    finally:
        await ctx.db.dispose()


def media_secret(settings: Settings) -> str:
    """The secret nginx checks media tokens with (``conference media-secret``,
    docs/PRODUCTION.md); derived from the secret key, which itself never leaves the app."""
    return streaming_tokens.media_secret(settings.with_secret_key().secret_key)


def settle_process() -> None:
    """Tune the garbage collector for a long-lived server process, once per process.

    A server holding thousands of websocket connections keeps many long-lived objects;
    the default collector thresholds make it walk them all several times a second. What
    is loaded by now (modules, classes, the app's routes and templates) lives as long as
    the process: frozen, later collections skip it. Only the process entry points call
    this, never an app's lifespan: frozen objects are never freed, and a process (a test
    run) may build and drop many apps.
    """
    gc.set_threshold(50_000, 20, 100)
    gc.collect()
    gc.freeze()


def create_app_from_env() -> FastAPI:
    """Entry point for ``uvicorn --factory`` (each worker builds its own app)."""
    app = create_app(load_settings())
    settle_process()
    return app
