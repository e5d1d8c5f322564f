"""WebVTT validation and language tags."""

from __future__ import annotations

import pytest

from conference.errors import InvalidInput
from streaming.library.captions import (
    MAX_CAPTION_BYTES,
    CaptionTooLarge,
    normalize_language,
    validate_webvtt,
)

GOOD = """WEBVTT - Keynote captions
Kind: captions

STYLE
::cue { color: yellow }

NOTE written by hand
over two lines

1
00:00:01.000 --> 00:00:04.000 line:90% align:center
Good morning, everyone.

00:04.500 --> 00:07.250
<v Chair>Welcome to the keynote.</v>

intro-3
01:00:00.000 --> 01:00:02.000
A line.
Another line.
"""


def test_valid_file_is_kept_with_unix_line_ends() -> None:
    text = validate_webvtt(("\ufeff" + GOOD.replace("\n", "\r\n")).encode())
    assert text == GOOD


def test_missing_final_newline_is_added() -> None:
    assert validate_webvtt(b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi") == (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", 'line 1: the file must begin with "WEBVTT"'),
        (b"1\n00:00:01.000 --> 00:00:02.000\nHi\n", 'line 1: the file must begin with "WEBVTT"'),
        (b"WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n", "line 1: the file must begin"),
        (b"WEBVTT\n00:01.000 --> 00:02.000\nHi\n", "line 2: a blank line must follow"),
        (b"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nHi\n", "line 3: a cue timing must read"),
        (b"WEBVTT\n\n00:61.000 --> 00:62.000\nHi\n", "line 3: a cue timing must read"),
        (b"WEBVTT\n\n00:01.00 --> 00:02.000\nHi\n", "line 3: a cue timing must read"),
        (b"WEBVTT\n\n00:05.000 --> 00:02.000\nHi\n", "line 3: a cue must end after it starts"),
        (b"WEBVTT\n\n00:02.000 --> 00:02.000\nHi\n", "line 3: a cue must end after it starts"),
        (b"WEBVTT\n\nidentifier only\n", "line 3: a cue identifier must be followed"),
        (b"WEBVTT\n\nid\nnot a timing\nHi\n", "line 4: a cue timing must read"),
        (
            b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi --> there\n",
            'line 4: cue text may not contain "-->"',
        ),
        (b"WEBVTT\n\nNOTE a --> b\n", 'line 3: a NOTE may not contain "-->"'),
        (
            b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n\nSTYLE\n::cue {}\n",
            "line 6: a STYLE block must come before the first cue",
        ),
        (b"WEBVTT\n\nNOTE nothing else\n", "it has no cues"),
        (b"WEBVTT\n\n00:01.000 --> 00:02.000\nH\0i\n", "line 1: it holds a NUL character"),
    ],
)
def test_invalid_files_are_refused_with_the_line(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_webvtt(data)
    assert message in refused.value.detail
    assert refused.value.field == "captions"


def test_non_utf8_is_refused() -> None:
    with pytest.raises(InvalidInput, match="UTF-8"):
        validate_webvtt("WEBVTT\n\n00:01.000 --> 00:02.000\nGrüß\n".encode("latin-1"))


def test_oversized_file_is_refused_before_parsing() -> None:
    cue = b"00:01.000 --> 00:02.000\nHi\n\n"
    data = b"WEBVTT\n\n" + cue * (MAX_CAPTION_BYTES // len(cue) + 1)
    assert len(data) > MAX_CAPTION_BYTES
    with pytest.raises(CaptionTooLarge):
        validate_webvtt(data)
    assert CaptionTooLarge.status_code == 413


@pytest.mark.parametrize(
    ("tag", "normal"),
    [("en", "en"), ("EN-gb", "en-GB"), ("zh-hant-tw", "zh-Hant-TW"), ("es-419", "es-419")],
)
def test_language_tags_are_normalized(tag: str, normal: str) -> None:
    assert normalize_language(tag) == normal


@pytest.mark.parametrize("tag", ["", "e", "english!", "en_GB", "../en", "en-", "x" * 17, "en.vtt"])
def test_bad_language_tags_are_refused(tag: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_language(tag)
