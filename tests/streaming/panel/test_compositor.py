"""The panel compositor without WebRTC: layouts, tiles, active speaker, mixes."""

from __future__ import annotations

import struct

import av
import pytest

from streaming.panel.compositor import (
    CHUNK_BYTES,
    CHUNK_SAMPLES,
    ActiveSpeaker,
    Compositor,
    PcmBuffer,
    Rect,
    audio_frame,
    grid_rects,
    level,
    mix,
    speaker_rects,
)

W, H = 640, 360
COLOURS = [(81, 90, 240), (145, 54, 34), (41, 240, 110), (210, 16, 146), (170, 166, 16)]


def solid(colour: tuple[int, int, int], width: int = 160, height: int = 90) -> av.VideoFrame:
    frame = av.VideoFrame(width, height, "yuv420p")
    for index, plane in enumerate(frame.planes):
        plane.update(bytes([colour[index]]) * plane.buffer_size)
    return frame


def pixel(frame: av.VideoFrame, x: int, y: int) -> tuple[int, int, int]:
    values = []
    for index, plane in enumerate(frame.planes):
        shift = 0 if index == 0 else 1
        values.append(memoryview(plane)[(y >> shift) * plane.line_size + (x >> shift)])
    return (values[0], values[1], values[2])


def centre(rect: Rect) -> tuple[int, int]:
    return rect.x + rect.width // 2, rect.y + rect.height // 2


def overlaps(a: Rect, b: Rect) -> bool:
    return (
        a.x < b.x + b.width
        and b.x < a.x + a.width
        and a.y < b.y + b.height
        and b.y < a.y + a.height
    )


@pytest.mark.parametrize("count", range(1, 9))
def test_grid_tiles_fit_without_overlap(count: int) -> None:
    rects = grid_rects(count, 1280, 720)
    assert len(rects) == count
    for rect in rects:
        assert min(rect.x, rect.y) >= 0
        assert rect.x + rect.width <= 1280
        assert rect.y + rect.height <= 720
        assert rect.x % 2 == rect.y % 2 == rect.width % 2 == rect.height % 2 == 0
        # every tile keeps 16:9 (within rounding to even pixels)
        assert abs(rect.width / rect.height - 16 / 9) < 0.03
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not overlaps(a, b)


def test_grid_shapes() -> None:
    assert grid_rects(1, 1280, 720) == [Rect(0, 0, 1280, 720)]
    assert grid_rects(4, 1280, 720) == [
        Rect(0, 0, 640, 360),
        Rect(640, 0, 640, 360),
        Rect(0, 360, 640, 360),
        Rect(640, 360, 640, 360),
    ]
    # three in a 2x2 grid: the short last row is centred
    assert grid_rects(3, 1280, 720)[2] == Rect(320, 360, 640, 360)
    # eight in a 3x3 grid: rows of 3, 3, 2
    eight = grid_rects(8, 1280, 720)
    assert sorted({r.y for r in eight}) == [0, 240, 480]
    assert [r.x for r in eight[6:]] == [212, 640]
    assert grid_rects(0, 1280, 720) == []


def test_speaker_layout_puts_the_active_one_large_and_others_below() -> None:
    rects = speaker_rects(5, 2, 1280, 720)
    main = rects[2]
    thumbs = [r for i, r in enumerate(rects) if i != 2]
    assert all(main.width > 4 * t.width for t in thumbs)
    assert all(t.y >= main.y + main.height for t in thumbs)
    assert len({t.x for t in thumbs}) == 4
    assert len({t.y for t in thumbs}) == 1
    assert speaker_rects(1, 0, 1280, 720) == [Rect(0, 0, 1280, 720)]


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_composed_grid_shows_each_panelist_in_its_tile(count: int) -> None:
    compositor = Compositor(W, H)
    pictures = {f"p{i}": solid(COLOURS[i % len(COLOURS)]) for i in range(count)}
    frame = compositor.compose(pictures)
    assert (frame.width, frame.height, frame.format.name) == (W, H, "yuv420p")
    for index, rect in enumerate(grid_rects(count, W, H)):
        assert pixel(frame, *centre(rect)) == COLOURS[index % len(COLOURS)]


def test_only_changed_tiles_are_redrawn_and_leaving_regrids() -> None:
    compositor = Compositor(W, H)
    a, b = solid(COLOURS[0]), solid(COLOURS[1])
    first = compositor.compose({"a": a, "b": b})
    left, right = grid_rects(2, W, H)
    assert pixel(first, *centre(left)) == COLOURS[0]
    assert pixel(first, *centre(right)) == COLOURS[1]
    second = compositor.compose({"a": a, "b": solid(COLOURS[2])})
    assert pixel(second, *centre(left)) == COLOURS[0]
    assert pixel(second, *centre(right)) == COLOURS[2]
    # b leaves: a fills the whole canvas
    alone = compositor.compose({"a": a})
    assert pixel(alone, 10, 10) == COLOURS[0]
    assert pixel(alone, W - 10, H - 10) == COLOURS[0]


def test_a_panelist_without_picture_gets_an_empty_tile_and_4_3_is_letterboxed() -> None:
    compositor = Compositor(W, H)
    frame = compositor.compose({"a": solid(COLOURS[0], 160, 120), "b": None})
    left, right = grid_rects(2, W, H)
    assert pixel(frame, *centre(left)) == COLOURS[0]
    assert pixel(frame, left.x + 2, left.y + left.height // 2) == (16, 128, 128)  # pillarbox
    assert pixel(frame, *centre(right)) == (40, 128, 128)


def test_speaker_layout_follows_the_active_speaker() -> None:
    compositor = Compositor(W, H)
    compositor.layout = "speaker"
    pictures = {"a": solid(COLOURS[0]), "b": solid(COLOURS[1]), "c": solid(COLOURS[2])}
    frame = compositor.compose(pictures, active="b")
    rects = compositor.rects(list(pictures), "b")
    assert rects["b"].width > 4 * rects["a"].width
    assert pixel(frame, W // 2, H // 3) == COLOURS[1]
    for key in ("a", "c"):
        assert pixel(frame, *centre(rects[key])) == COLOURS[pictures_index(key)]
    frame = compositor.compose(pictures, active="c")
    assert pixel(frame, W // 2, H // 3) == COLOURS[2]


def pictures_index(key: str) -> int:
    return "abc".index(key)


def test_canvas_rejects_odd_sizes() -> None:
    with pytest.raises(ValueError, match="even"):
        Compositor(641, 360)


def test_active_speaker_needs_a_clear_lead_and_holds_through_silence() -> None:
    detector = ActiveSpeaker(window=10, ratio=2.0, floor=100.0, hold=5)
    assert detector.update({"a": 0.0, "b": 0.0}) is None  # silence: nobody
    for _ in range(10):
        current = detector.update({"a": 1000.0, "b": 50.0})
    assert current == "a"
    # b gets slightly louder than a: not enough lead, a keeps the floor
    for _ in range(20):
        current = detector.update({"a": 1000.0, "b": 1500.0})
    assert current == "a"
    # b much louder: switches, but only once b's mean over the window leads by 2x
    switched_after = None
    for step in range(20):
        if detector.update({"a": 200.0, "b": 3000.0}) == "b":
            switched_after = step + 1
            break
    assert switched_after is not None
    assert switched_after > 1
    # everybody silent: b stays
    for _ in range(30):
        current = detector.update({"a": 0.0, "b": 0.0})
    assert current == "b"
    # b leaves: the detector forgets them
    assert detector.update({"a": 0.0}) is None


def test_active_speaker_does_not_flap_within_the_hold() -> None:
    detector = ActiveSpeaker(window=1, ratio=2.0, floor=100.0, hold=5)
    assert detector.update({"a": 1000.0, "b": 0.0}) == "a"
    # b far louder at once; the hold keeps a for 5 chunks
    results = [detector.update({"a": 0.0, "b": 1000.0}) for _ in range(6)]
    assert results == ["a", "a", "a", "a", "b", "b"]


def tone(value: int, samples: int = CHUNK_SAMPLES) -> bytes:
    return struct.pack(f"<{samples * 2}h", *([value] * samples * 2))


def test_mix_minus_excludes_the_listeners_own_signal() -> None:
    full, minus = mix({"a": tone(100), "b": tone(1000), "c": tone(10000)})
    assert full == tone(11100)
    assert minus == {"a": tone(11000), "b": tone(10100), "c": tone(1100)}
    # one panelist hears silence
    full, minus = mix({"solo": tone(500)})
    assert full == tone(500)
    assert minus == {"solo": bytes(CHUNK_BYTES)}
    # saturates instead of wrapping
    full, _ = mix({"a": tone(30000), "b": tone(30000)})
    assert full == tone(32767)
    assert mix({}) == (bytes(CHUNK_BYTES), {})


def test_levels_and_audio_frames() -> None:
    assert level(tone(0)) == 0.0
    assert level(tone(-1000)) == 1000.0
    frame = audio_frame(tone(7), pts=960)
    assert (frame.samples, frame.sample_rate, frame.pts) == (CHUNK_SAMPLES, 48_000, 960)
    assert bytes(frame.planes[0])[:CHUNK_BYTES] == tone(7)


def test_pcm_buffer_resamples_chunks_and_bounds_latency() -> None:
    buffer = PcmBuffer(limit_chunks=3)
    assert buffer.pull() is None
    buffer.push(audio_frame(tone(5, 480), pts=0))
    assert buffer.pull() is None  # half a chunk
    buffer.push(audio_frame(tone(5, 480), pts=480))
    assert buffer.pull() == tone(5)
    # mono 16 kHz input comes out as 48 kHz stereo
    mono = av.AudioFrame(format="s16", layout="mono", samples=320)
    mono.planes[0].update(struct.pack("<320h", *([300] * 320)))
    mono.sample_rate = 16_000
    for _ in range(6):
        buffer.push(mono)
    chunks = 0
    while buffer.pull() is not None:
        chunks += 1
    assert 1 <= chunks <= 3  # bounded at three chunks
    for _ in range(10):
        buffer.push(audio_frame(tone(1), pts=0))
    assert sum(1 for _ in iter(buffer.pull, None)) == 3
