"""How large ids, slugs and GUIDs may be, wherever they arrive: paths, queries, forms,
JSON bodies and websocket frames.

Checked before anything reaches the database, so an absurd value is a clear 404 or 422,
never a database error (an integer out of the column's range, a string longer than it).
Request body sizes are another matter: conference/web/limits.py.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

# Row ids are 32-bit integer columns in every database we run on (SQLite, PostgreSQL).
MAX_ID = 2**31 - 1
ID_DIGITS = len(str(MAX_ID))
# An id as written in a form, a URL or a channel name: ASCII digits only (``str.isdigit``
# also accepts "²", which ``int`` refuses).
ID_PATTERN = rf"[0-9]{{1,{ID_DIGITS}}}"
# An id in a JSON body or a frame.
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]

# Slugs (stages, tracks, the meeting) and the other short names that travel in URLs
# (a broadcast's resource id, a panelist's id): their columns are String(64).
MAX_SLUG_LENGTH = 64
# A slug as organizers type it or an import brings it: a letter or digit, then letters,
# digits and dashes; one character under the column, as the program API always accepted.
SLUG_PATTERN = rf"[a-z0-9][a-z0-9-]{{0,{MAX_SLUG_LENGTH - 2}}}"
# Program GUIDs (sessions, talks, people, stages) are UUIDs in their String(36) columns.
# A slug as a channel argument (``stage:<slug>``, ``trivia:<game>``): checked for shape and
# length only; the channel's policy looks it up.
CHANNEL_SLUG_PATTERN = rf"[a-z0-9-]{{1,{MAX_SLUG_LENGTH}}}"
GUID_LENGTH = 36
GUID_PATTERN = rf"[0-9a-f-]{{{GUID_LENGTH}}}"

_ID = re.compile(ID_PATTERN)


def parse_id(text: str) -> int | None:
    """``text`` as a row id (ASCII digits, 1 to :data:`MAX_ID`), or None."""
    if _ID.fullmatch(text) and 0 < int(text) <= MAX_ID:
        return int(text)
    return None


# C0 control characters other than tab and newlines: PostgreSQL refuses NUL in text, and
# none of them belongs in anything a person writes (a title, a name, a chat line).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse_control_characters(value: str) -> str:
    if CONTROL_CHARACTERS.search(value):
        raise ValueError("control characters are not allowed")
    return value


# A string field of a JSON body that must hold written text (add to its Annotated).
NoControlCharacters = AfterValidator(_refuse_control_characters)
