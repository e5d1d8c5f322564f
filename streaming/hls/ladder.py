"""The HLS rendition ladder, parsed from the ``stream_ladder`` setting."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ITEM = re.compile(r"^(?P<name>[a-z0-9]{1,16}):(?P<w>\d{2,4})x(?P<h>\d{2,4})@(?P<kbps>\d{2,5})$")


@dataclass(frozen=True)
class Rendition:
    """One quality of a stream: its folder name, frame size and video bitrate."""

    name: str
    width: int
    height: int
    video_kbps: int
    audio_kbps: int = 128

    @property
    def bandwidth(self) -> int:
        """Peak bits per second for the master playlist's BANDWIDTH (with muxing overhead)."""
        return int((self.video_kbps + self.audio_kbps) * 1000 * 1.1)


def parse_ladder(text: str) -> tuple[Rendition, ...]:
    """Parse ``"720p:1280x720@2500,360p:640x360@800"``, highest quality first.

    Raises ValueError naming the bad item; sizes must be even (H.264 with 4:2:0 chroma).
    """
    renditions: list[Rendition] = []
    for item in (part.strip() for part in text.split(",")):
        match = _ITEM.match(item)
        if match is None:
            raise ValueError(f"Bad rendition {item!r}: expected name:WIDTHxHEIGHT@KBPS")
        width, height = int(match["w"]), int(match["h"])
        if width % 2 or height % 2:
            raise ValueError(f"Bad rendition {item!r}: width and height must be even")
        renditions.append(Rendition(match["name"], width, height, int(match["kbps"])))
    if not renditions:
        raise ValueError("The ladder needs at least one rendition")
    if len({r.name for r in renditions}) != len(renditions):
        raise ValueError("Rendition names must differ")
    return tuple(sorted(renditions, key=lambda r: r.height, reverse=True))
