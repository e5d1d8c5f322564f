"""The streaming domain as the app factory wires it in (``conference.domains.Domain``).

Its runtime (the live stages, panels and their encoders this process holds) is started
and stopped by the app's lifespan in ``conference/main.py``, around the requests."""

from __future__ import annotations

import streaming.models
from conference.domains import BodyLimits, Domain, VendorLibrary
from conference.extensions import Extensions
from conference.jobs.kinds import JobKind, JobKinds
from conference.settings import Settings
from streaming import channels, console, demo, jobs, media, owned, pages, uploads
from streaming.ingest import router as whip
from streaming.library import premiere
from streaming.library import router as recordings
from streaming.panel import router as panel


def extend(extensions: Extensions, settings: Settings, kinds: JobKinds) -> None:
    extensions.demo_seeders.append(demo.seed_stream_key)
    extensions.session_watch_links.append(pages.session_watch_link)
    extensions.console_sections.append(console.CONSOLE_SECTION)
    # Video rooms of other domains' objects (a poster's live slot) are panel rooms.
    extensions.video_rooms.address = panel.room_address
    # Recordings other domains' objects own (a poster's narration): their players.
    extensions.recording_players.append(owned.owned_player)
    extensions.owner_erasers.append(owned.owner_eraser(settings.media_root))


def job_kinds(settings: Settings) -> list[JobKind]:
    return [jobs.transcode_kind(settings)]


def body_limits(settings: Settings) -> BodyLimits:
    # Pre-recorded talks; the upload route also counts bytes as it writes them.
    return BodyLimits(
        paths={
            "/api/v1/streaming/uploads": settings.max_upload_bytes,
            "/studio/uploads": settings.max_upload_bytes,
        },
        # A recording another domain's object owns (a poster's narration), counted too.
        patterns={r"/api/v1/streaming/owned/[a-z_]+/[0-9]+/recording": settings.max_upload_bytes},
    )


def domain() -> Domain:
    """The streaming domain."""
    return Domain(
        name="streaming",
        models=(streaming.models,),
        routers=(
            whip.router,
            # Before media: its /vod/<id>/... file route would claim the premiere playlists.
            premiere.router,
            media.router,
            recordings.router,
            uploads.router,
            owned.router,
            pages.router,
            console.router,
            panel.router,
        ),
        realtime=channels.register,
        extend=extend,
        job_kinds=job_kinds,
        body_limits=body_limits,
        # hls.js, the players' HLS library where the browser has no native HLS.
        vendor=(VendorLibrary("hls", "hls.js/dist"),),
    )
