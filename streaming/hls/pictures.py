"""Pictures for the encoders: scaled to a rendition's size (letterboxed when the aspect
ratio differs), black filler, and copies that leave a shared frame untouched."""

from __future__ import annotations

import av
from av.video.reformatter import VideoReformatter


def fit(scaler: VideoReformatter, frame: av.VideoFrame, width: int, height: int) -> av.VideoFrame:
    """``frame`` scaled to ``width`` x ``height``, letterboxed if the aspect ratio differs;
    never ``frame`` itself."""
    source_aspect, aspect = frame.width / frame.height, width / height
    if abs(source_aspect / aspect - 1) < 0.02:
        scaled = scaler.reformat(frame, width, height, "yuv420p")
        # The pushed frame is shared with the other renditions (and the caller): never
        # set its pts; a copy costs about 0.1 ms at 720p.
        return copy(scaled) if scaled is frame else scaled
    if source_aspect > aspect:
        inner_w, inner_h = width, max(2, round(width / source_aspect / 2) * 2)
    else:
        inner_w, inner_h = max(2, round(height * source_aspect / 2) * 2), height
    scaled = scaler.reformat(frame, inner_w, inner_h, "yuv420p")
    canvas = black(width, height)
    left, top = (width - inner_w) // 2, (height - inner_h) // 2
    for index, (src, dst) in enumerate(zip(scaled.planes, canvas.planes, strict=True)):
        shift = 0 if index == 0 else 1
        w, x, y = inner_w >> shift, left >> shift, top >> shift
        data, out = bytes(src), bytearray(bytes(dst))
        for row in range(inner_h >> shift):
            start = (y + row) * dst.line_size + x
            out[start : start + w] = data[row * src.line_size : row * src.line_size + w]
        dst.update(bytes(out))
    return canvas


def black(width: int, height: int) -> av.VideoFrame:
    """A black yuv420p picture (video range)."""
    frame = av.VideoFrame(width, height, "yuv420p")
    for plane, value in zip(frame.planes, (16, 128, 128), strict=True):
        plane.update(bytes([value]) * plane.buffer_size)
    return frame


def copy(frame: av.VideoFrame) -> av.VideoFrame:
    """A yuv420p copy of ``frame`` (whose rows may be padded differently)."""
    copied = av.VideoFrame(frame.width, frame.height, "yuv420p")
    for src, dst in zip(frame.planes, copied.planes, strict=True):
        if src.line_size == dst.line_size:
            dst.update(bytes(src)[: dst.buffer_size])
        else:
            data, out = bytes(src), bytearray(dst.buffer_size)
            for row in range(dst.height):
                out[row * dst.line_size : row * dst.line_size + dst.width] = data[
                    row * src.line_size : row * src.line_size + dst.width
                ]
            dst.update(bytes(out))
    return copied
