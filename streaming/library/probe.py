"""Media files by their content: probing uploads, thumbnails, MP4 from HLS, playlist times.

Blocking (PyAV does file I/O and decoding): call these from a worker thread
(``asyncio.to_thread``) or a job, never on the event loop.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from conference.errors import InvalidInput
from conference.files import write_atomically

# Demuxer names (FFmpeg's, from the content) of the containers we accept: mp4/mov and
# Matroska/WebM. A file named .mp4 that is anything else is refused.
ACCEPTED_FORMATS = ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm")
# And, where sound alone is enough (a narration): Ogg, MP3 and WAV.
AUDIO_FORMATS = ("ogg", "mp3", "wav")
# Still-image codecs: a picture is not a talk, whatever its container.
_IMAGE_CODECS = frozenset({"png", "mjpeg", "gif", "bmp", "webp", "tiff", "jpeg2000"})
# How many packets to read looking for the first decodable picture.
_FIRST_FRAME_PACKETS = 500
_DEFAULT_THUMBNAIL_WIDTH = 640
_FULL_RANGE = 2  # AVCOL_RANGE_JPEG


class NotAVideo(InvalidInput):
    """The file is not a video we can use (422): not media, truncated, or no picture."""

    reason = "not_a_video"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, field="file")


@dataclass(frozen=True)
class MediaInfo:
    """What probing found in a file."""

    format_name: str  # FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    container: str  # "mp4", "mov", "webm" or "mkv"
    has_video: bool
    has_audio: bool
    video_codec: str
    audio_codec: str | None
    width: int
    height: int
    fps: float | None
    duration_seconds: float


def probe_media(path: Path, *, audio_only: bool = False) -> MediaInfo:
    """Open ``path`` with PyAV and check it is a usable video by decoding its first picture.

    Raises :class:`NotAVideo` for anything else (text, images, truncated files, audio only,
    containers other than mp4/mov/webm/mkv). With ``audio_only``, sound without a picture
    is accepted too (also as m4a, mp3, Ogg or WAV), checked by decoding its first frame.
    """
    try:
        container = av.open(str(path), mode="r")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        what = "audio or video" if audio_only else "a video"
        raise NotAVideo(f"The file is not {what} we can read.") from exc
    with container:
        accepted = ACCEPTED_FORMATS + (AUDIO_FORMATS if audio_only else ())
        if container.format.name not in accepted:
            if audio_only:
                raise NotAVideo("Upload an MP4, MOV or WebM video, or M4A, MP3, Ogg or WAV audio.")
            raise NotAVideo("Upload an MP4, MOV or WebM video.")
        audio = container.streams.audio[0] if container.streams.audio else None
        # Cover art in a music file is a one-picture "video" stream: not a picture track.
        moving = [v for v in container.streams.video if v.codec_context.name not in _IMAGE_CODECS]
        if audio_only and not moving and audio is not None:
            return _probe_sound(container, audio)
        if not container.streams.video:
            raise NotAVideo("The file has no video.")
        video = container.streams.video[0]
        codec = video.codec_context.name
        if codec in _IMAGE_CODECS:
            raise NotAVideo("The file is a picture, not a video.")
        try:
            frame = _first_frame(container, video)
        except (av.FFmpegError, ValueError) as exc:
            raise NotAVideo("The video cannot be decoded.") from exc
        if frame is None:
            raise NotAVideo("The video has no picture.")
        duration = _duration(container, video)
        if duration <= 0:
            raise NotAVideo("The video has no duration.")
        rate = video.average_rate
        return MediaInfo(
            format_name=container.format.name,
            container=_container_kind(container, codec),
            has_video=True,
            has_audio=audio is not None,
            video_codec=codec,
            audio_codec=audio.codec_context.name if audio is not None else None,
            width=frame.width,
            height=frame.height,
            fps=float(rate) if rate else None,
            duration_seconds=round(duration, 3),
        )


def _probe_sound(container: av.container.InputContainer, audio: av.AudioStream) -> MediaInfo:
    """The facts of a file whose only usable track is sound (its first frame decoded)."""
    try:
        decoded = next(
            (f for p in container.demux(audio) for f in p.decode() if isinstance(f, av.AudioFrame)),
            None,
        )
    except (av.FFmpegError, ValueError) as exc:
        raise NotAVideo("The sound cannot be decoded.") from exc
    if decoded is None:
        raise NotAVideo("The file has no sound.")
    duration = _duration(container, audio)
    if duration <= 0:
        raise NotAVideo("The recording has no duration.")
    return MediaInfo(
        format_name=container.format.name,
        container=_audio_container_kind(container, audio.codec_context.name),
        has_video=False,
        has_audio=True,
        video_codec="",
        audio_codec=audio.codec_context.name,
        width=0,
        height=0,
        fps=None,
        duration_seconds=round(duration, 3),
    )


def _audio_container_kind(container: av.container.InputContainer, codec: str) -> str:
    name = container.format.name
    if name.startswith("matroska"):
        return "webm" if codec in ("opus", "vorbis") else "mka"
    if name in AUDIO_FORMATS:
        return {"ogg": "ogg", "mp3": "mp3", "wav": "wav"}[name]
    return "m4a"


def _first_frame(
    container: av.container.InputContainer, video: av.VideoStream
) -> av.VideoFrame | None:
    for count, packet in enumerate(container.demux(video)):
        for frame in packet.decode():
            if isinstance(frame, av.VideoFrame):
                return frame
        if count >= _FIRST_FRAME_PACKETS:
            break
    return None


def _duration(
    container: av.container.InputContainer, stream: av.VideoStream | av.AudioStream
) -> float:
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    return 0.0


def _container_kind(container: av.container.InputContainer, codec: str) -> str:
    if container.format.name.startswith("matroska"):
        return "webm" if codec in ("vp8", "vp9", "av1") else "mkv"
    brand = container.metadata.get("major_brand", "")
    return "mov" if brand.strip() == "qt" else "mp4"


def make_thumbnail(
    src: Path, out_jpg: Path, at_seconds: float, *, width: int = _DEFAULT_THUMBNAIL_WIDTH
) -> tuple[int, int]:
    """Write a JPEG of the picture at ``at_seconds`` (the middle if past the end), scaled to
    ``width`` (never up) keeping the aspect ratio; returns its (width, height)."""
    with av.open(str(src), mode="r") as container:
        if not container.streams.video:
            raise NotAVideo("The file has no video.")
        video = container.streams.video[0]
        duration = _duration(container, video)
        if duration and at_seconds >= duration:
            at_seconds = duration / 2
        if at_seconds > 0:
            container.seek(int(at_seconds * av.time_base), backward=True, any_frame=False)
        picture = None
        for frame in container.decode(video):
            picture = frame
            if frame.time is not None and frame.time >= at_seconds:
                break
    if picture is None:
        raise NotAVideo("The video has no picture.")
    out_w = min(width, picture.width) // 2 * 2
    out_h = max(2, round(out_w * picture.height / picture.width / 2) * 2)
    encoder = av.CodecContext.create("mjpeg", "w")
    assert isinstance(encoder, av.VideoCodecContext)
    # JPEG is full range: yuv420p marked full range (yuvj420p is deprecated in swscale).
    encoder.width, encoder.height, encoder.pix_fmt = out_w, out_h, "yuv420p"
    encoder.color_range = _FULL_RANGE
    encoder.time_base = Fraction(1, 25)
    encoder.bit_rate = out_w * out_h * 4  # about 0.5 byte per pixel: a clean poster
    scaled = picture.reformat(out_w, out_h, "yuv420p", dst_color_range=_FULL_RANGE)
    scaled.pts = 0
    data = b"".join(bytes(p) for p in encoder.encode(scaled)) + b"".join(
        bytes(p) for p in encoder.encode(None)
    )
    write_atomically(out_jpg, data)
    return out_w, out_h


def read_playlist(index_m3u8: Path) -> list[float]:
    """The ``#EXTINF`` durations of a media playlist, in order."""
    durations = []
    for line in index_m3u8.read_text().splitlines():
        if line.startswith("#EXTINF:"):
            durations.append(float(line[len("#EXTINF:") :].split(",", 1)[0]))
    return durations


def read_playlist_duration(index_m3u8: Path) -> float:
    """The total duration in seconds of a media playlist's segments."""
    return round(sum(read_playlist(index_m3u8)), 3)


def _playlist_files(index_m3u8: Path) -> list[Path]:
    """The init section and the segments of an fMP4 media playlist, in order."""
    folder, files = index_m3u8.parent, []
    for line in index_m3u8.read_text().splitlines():
        if line.startswith("#EXT-X-MAP:") and 'URI="' in line:
            files.append(folder / line.split('URI="', 1)[1].split('"', 1)[0])
        elif line and not line.startswith("#"):
            files.append(folder / line)
    for file in files:  # names come from our own playlist; still, stay in the folder
        if file.resolve().parent != folder.resolve():
            raise ValueError(f"{index_m3u8} names a file outside its folder")
    return files


class _ConcatenatedFiles(io.RawIOBase):
    """Read-only, seekable view of several files end to end (init.mp4 + segments form one
    fragmented MP4), so remuxing needs no temporary copy."""

    def __init__(self, files: list[Path]) -> None:
        self._files = files
        self._sizes = [f.stat().st_size for f in files]
        self._size = sum(self._sizes)
        self._position = 0
        self._handle: tuple[int, io.BufferedReader] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        start = 0
        for index, size in enumerate(self._sizes):
            if self._position < start + size:
                if self._handle is None or self._handle[0] != index:
                    self.close_handle()
                    self._handle = (index, self._files[index].open("rb"))
                handle = self._handle[1]
                handle.seek(self._position - start)
                count = handle.readinto(memoryview(buffer)[: start + size - self._position]) or 0
                self._position += count
                return count
            start += size
        return 0

    def close_handle(self) -> None:
        if self._handle is not None:
            self._handle[1].close()
            self._handle = None

    def close(self) -> None:
        self.close_handle()
        super().close()


def remux_to_mp4(hls_dir: Path, rendition: str, out_mp4: Path) -> float:
    """Join a rendition's init section and segments into a progressive MP4 (``faststart``,
    no re-encode) for download; returns its duration in seconds."""
    files = _playlist_files(hls_dir / rendition / "index.m3u8")
    temporary = out_mp4.with_name(out_mp4.name + ".tmp")
    end = 0.0
    with (
        _ConcatenatedFiles(files) as source,
        av.open(source, mode="r", format="mp4") as reader,
        av.open(
            str(temporary), mode="w", format="mp4", options={"movflags": "+faststart"}
        ) as writer,
    ):
        mapping = {}
        for stream in reader.streams:
            if stream.type in ("video", "audio"):
                mapping[stream.index] = writer.add_stream_from_template(stream)
        for packet in reader.demux(*[reader.streams[i] for i in mapping]):
            if packet.dts is None:
                continue  # the demuxer's end-of-stream marker
            if packet.pts is not None and packet.time_base is not None:
                end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
            packet.stream = mapping[packet.stream.index]
            writer.mux(packet)
    os.replace(temporary, out_mp4)
    return round(end, 3)
