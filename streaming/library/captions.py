"""WebVTT caption files: checked before they are stored, so players never choke on them.

The check follows the WebVTT syntax (W3C WebVTT, "file structure"): a ``WEBVTT`` header,
then blocks separated by blank lines. A block is a NOTE, STYLE or REGION block, or a cue:
an optional identifier line, a timing line ``[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt [settings]``
and its text. A file with no cue, a malformed timing or a cue that ends before it starts is
refused (422) with the line number, so an organizer can fix it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from conference.errors import InvalidInput, ServiceError

# Captions of a long talk are some hundreds of kB; a bigger file is a mistake.
MAX_CAPTION_BYTES = 1_000_000

_TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t]+(.*))?$")
# BCP 47 as players use it for captions: a primary language and optional subtags.
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$")


class CaptionTooLarge(ServiceError):
    """A caption file over the size limit."""

    status_code = 413
    code = "too_big"


def normalize_language(language: str) -> str:
    """A language tag in its usual case (``en``, ``en-GB``, ``zh-Hant``); 422 if not one."""
    if len(language) > 16 or not _LANGUAGE.fullmatch(language):
        raise InvalidInput("The language must be a tag such as en, de or en-GB.", field="language")
    primary, *subtags = language.split("-")
    parts = [primary.lower()]
    for subtag in subtags:
        if len(subtag) == 2 and subtag.isalpha():
            parts.append(subtag.upper())  # a region
        elif len(subtag) == 4 and subtag.isalpha():
            parts.append(subtag.title())  # a script
        else:
            parts.append(subtag.lower())
    return "-".join(parts)


async def read_captions(chunks: AsyncIterator[bytes]) -> bytes:
    """A caption file's bytes from a request body, read no further than the size limit
    (413 past it), so a huge body is refused without being held in memory."""
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > MAX_CAPTION_BYTES:
            raise _too_large()
        parts.append(chunk)
    return b"".join(parts)


def _too_large() -> CaptionTooLarge:
    return CaptionTooLarge(
        f"A caption file may hold at most {MAX_CAPTION_BYTES:,} bytes.", field="captions"
    )


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _invalid(line: int, message: str) -> InvalidInput:
    return InvalidInput(f"Not a valid WebVTT file: line {line}: {message}", field="captions")


def validate_webvtt(data: bytes) -> str:
    """The text of a valid WebVTT file (UTF-8, LF line ends); raises InvalidInput if not."""
    if len(data) > MAX_CAPTION_BYTES:
        raise _too_large()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InvalidInput("A WebVTT file must be UTF-8 text.", field="captions") from exc
    if "\0" in text:
        raise _invalid(1, "it holds a NUL character")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    header = lines[0]
    if not (header == "WEBVTT" or header.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise _invalid(1, 'the file must begin with "WEBVTT"')
    index = 1
    # The header may continue up to the first blank line (legacy metadata headers).
    while index < len(lines) and lines[index].strip():
        if "-->" in lines[index]:
            raise _invalid(index + 1, "a blank line must follow the WEBVTT header")
        index += 1
    cues = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        start = index
        while index < len(lines) and lines[index].strip():
            index += 1
        cues += _check_block(lines[start:index], first_line=start + 1, cues_so_far=cues)
    if cues == 0:
        raise _invalid(len(lines), "it has no cues")
    return text if text.endswith("\n") else text + "\n"


def _check_block(block: list[str], *, first_line: int, cues_so_far: int) -> int:
    """Check one block; 1 if it is a cue, else 0."""
    head = block[0]
    if head == "NOTE" or head.startswith(("NOTE ", "NOTE\t")):
        if any("-->" in line for line in block):
            raise _invalid(first_line, 'a NOTE may not contain "-->"')
        return 0
    if head in ("STYLE", "REGION"):
        if cues_so_far:
            raise _invalid(first_line, f"a {head} block must come before the first cue")
        if any("-->" in line for line in block):
            raise _invalid(first_line, f'a {head} block may not contain "-->"')
        return 0
    timing_at = 0 if "-->" in head else 1
    if timing_at >= len(block):
        raise _invalid(first_line, "a cue identifier must be followed by a timing line")
    line_number = first_line + timing_at
    match = _TIMING.fullmatch(block[timing_at].strip())
    if match is None:
        raise _invalid(line_number, "a cue timing must read like 00:01:02.500 --> 00:01:05.000")
    groups = match.groups()
    begins = _seconds(*groups[0:4])
    ends = _seconds(*groups[4:8])
    if ends <= begins:
        raise _invalid(line_number, "a cue must end after it starts")
    for offset, line in enumerate(block[timing_at + 1 :], start=timing_at + 1):
        if "-->" in line:
            raise _invalid(first_line + offset, 'cue text may not contain "-->"')
    return 1
