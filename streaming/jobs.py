"""The transcode job kind: an uploaded video becomes a recording's HLS ladder.

The core job runner (:mod:`conference.jobs.runner`) claims, beats, retries and kills; this
module says what a transcode is: the child command (``python -m streaming.transcode``), and
what its outcome means for the recording. Success makes the recording ready and deletes the
upload; failing for good (attempts spent, or input no retry could help) fails the recording
with the error and deletes the upload and any half-written output, so a failed transcode
cannot be retried from the console: the video must be uploaded again.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from conference.db.types import utcnow
from conference.jobs.kinds import ClaimedJob, JobKind
from conference.settings import Settings
from streaming.hls.ladder import parse_ladder
from streaming.models import Recording, RecordingStatus

TRANSCODE = "transcode"


def subject(recording_id: int) -> str:
    """What a transcode job is about, as the jobs table names it."""
    return f"recording:{recording_id}"


def payload(*, recording_id: int, source_path: str) -> dict[str, Any]:
    """A transcode job's input: the recording to fill and the upload (under MEDIA_DIR)."""
    return {"recording_id": recording_id, "source_path": source_path}


def transcode_kind(settings: Settings) -> JobKind:
    """The kind main.py registers, for the media directory and ladder of ``settings``; a bad
    ``stream_ladder`` stops start-up here (ValueError), a worker process's included."""
    parse_ladder(settings.stream_ladder)

    def command(job: ClaimedJob) -> list[str]:
        root = settings.media_root
        return [
            sys.executable,
            "-m",
            "streaming.transcode",
            "--source",
            str(root / job.payload["source_path"]),
            "--out",
            str(root / "recordings" / str(job.payload["recording_id"])),
            "--ladder",
            settings.stream_ladder,
            "--segment-seconds",
            str(settings.stream_segment_seconds),
            "--fps",
            str(settings.stream_fps),
            "--preset",
            settings.stream_preset,
        ]

    def cleanup(job: ClaimedJob, succeeded: bool) -> None:
        """Delete the upload of a finished job (and a failed one's half-written output)."""
        root = settings.media_root
        (root / job.payload["source_path"]).unlink(missing_ok=True)
        if not succeeded:
            partial = root / "recordings" / f".{job.payload['recording_id']}.partial"
            shutil.rmtree(partial, ignore_errors=True)

    return JobKind(
        name=TRANSCODE,
        label="Video transcode",
        command=command,
        succeeded=_recording_ready,
        failed=_recording_failed,
        cleanup=cleanup,
        describe=_describe,
        program="transcoder",
        retryable=False,
        not_retryable_because="its upload was deleted when it failed; upload the video again.",
    )


def _describe(payload: Mapping[str, Any], _subject: str) -> str:
    return f"Recording #{payload.get('recording_id', '?')}"


async def _recording_ready(db: AsyncSession, job: ClaimedJob, result: dict[str, Any]) -> None:
    recording_id = int(job.payload["recording_id"])
    await db.execute(
        update(Recording)
        .where(Recording.id == recording_id)
        .values(
            status=RecordingStatus.ready.value,
            media_path=f"recordings/{recording_id}",
            duration_seconds=float(result["duration"]),
            has_thumbnail=bool(result["thumbnail"]),
            has_mp4=bool(result["mp4"]),
            error="",
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )


async def _recording_failed(db: AsyncSession, job: ClaimedJob, error: str) -> None:
    await db.execute(
        update(Recording)
        .where(Recording.id == int(job.payload["recording_id"]))
        .values(
            status=RecordingStatus.failed.value,
            error=(error or "The transcode failed.")[:500],
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
