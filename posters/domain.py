"""The iPosters domain as the app factory wires it in (``conference.domains.Domain``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import posters.judging.models
import posters.models
import posters.talk.models
from conference.domains import BodyLimits, Domain, OpenContext, VendorLibrary
from conference.extensions import Extensions
from conference.jobs.kinds import JobKind, JobKinds
from conference.realtime.registry import Realtime
from conference.settings import Settings
from posters import channels, console, narration, pages, router
from posters.demo import judging as demo_judging
from posters.demo import seed as demo
from posters.editing import pages as editing_pages
from posters.gallery import bookmarks
from posters.imports import router as imports_router
from posters.judging import console as judging_console
from posters.judging import pages as judging_pages
from posters.judging import privacy as judging_privacy
from posters.judging import router as judging_router
from posters.slots import pages as slots_pages
from posters.slots import presence, program, videoroom
from posters.slots import router as slots_router
from posters.talk import pages as talk_pages
from posters.talk import privacy as talk_privacy
from posters.talk import router as talk_router
from posters.tiles import jobs as tiles_jobs
from posters.tiles import router as tiles_router

if TYPE_CHECKING:
    import typer


def register_realtime(realtime: Realtime) -> None:
    channels.register(realtime)
    presence.register(realtime)


def extend(extensions: Extensions, settings: Settings, jobs: JobKinds) -> None:
    extensions.demo_seeders.append(demo.poster_seeder(settings.var_dir, jobs))
    extensions.demo_seeders.append(demo_judging.seed_judging)
    extensions.home_sections.append(judging_pages.judging_home_section)
    extensions.user_data_exporters["posters"] = talk_privacy.export_user
    extensions.account_erasers.append(talk_privacy.erase_user)
    extensions.user_data_exporters["poster_judging"] = judging_privacy.export_user
    extensions.account_erasers.append(judging_privacy.erase_user)
    extensions.user_data_exporters["poster_bookmarks"] = bookmarks.export_user
    extensions.account_erasers.append(bookmarks.erase_user)
    extensions.agenda_sections.append(pages.agenda_section)
    extensions.session_sections.append(program.session_section)
    extensions.console_sections.append(judging_console.CONSOLE_SECTION)
    extensions.console_sections.append(console.CONSOLE_SECTION)
    # A poster's live slot has a small video room (hosted by whichever package sets the
    # registry's address: streaming's panel rooms).
    extensions.video_rooms.policies["poster"] = videoroom.video_room_access
    # A poster's narration is a recording it owns (taken and played by streaming).
    extensions.recording_owners[narration.KIND] = narration.recording_owner()


def job_kinds(settings: Settings) -> list[JobKind]:
    return [tiles_jobs.tiles_kind(settings)]


def body_limits(settings: Settings) -> BodyLimits:
    return BodyLimits(
        paths={
            "/api/v1/posters/import": settings.max_import_bytes,
            "/api/v1/posters/import-pdfs": settings.max_poster_zip_bytes,
            "/console/posters/import": settings.max_import_bytes,
            "/console/posters/import-pdfs": settings.max_poster_zip_bytes,
        },
        patterns={r"/api/v1/posters/[0-9]+/pdf": settings.max_poster_pdf_bytes},
    )


def command_group(open_context: OpenContext) -> typer.Typer:
    from posters import cli  # only the command line needs it

    return cli.build_app(open_context)


def domain() -> Domain:
    """The posters domain."""
    return Domain(
        name="posters",
        models=(posters.models, posters.talk.models, posters.judging.models),
        # Fixed paths before the routes with a poster id, which would claim them:
        # /posters/judging, /api/v1/posters/people-choice, /vote, /import, /settings.
        routers=(
            judging_router.router,
            judging_pages.router,
            judging_console.router,
            talk_router.router,
            imports_router.router,
            console.router,
            router.router,
            pages.router,
            editing_pages.router,
            slots_router.router,
            slots_pages.router,
            talk_pages.router,
            tiles_router.api,
            tiles_router.files,
        ),
        realtime=register_realtime,
        extend=extend,
        job_kinds=job_kinds,
        body_limits=body_limits,
        # OpenSeadragon (the poster viewer) and its button images.
        vendor=(VendorLibrary("openseadragon", "openseadragon/build/openseadragon"),),
        cli=command_group,
    )
