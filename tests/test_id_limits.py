"""Id, slug and GUID bounds (conference/limits.py), the one place every input reads them."""

from __future__ import annotations

import re

import pytest

from conference import limits
from conference.main import register_realtime
from conference.realtime.backends import MemoryBackend
from conference.realtime.hub import Hub
from conference.realtime.registry import Realtime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        ("2147483647", 2_147_483_647),
        ("2147483648", None),  # past the 32-bit column
        ("0", None),
        ("", None),
        ("-1", None),
        ("12345678901", None),
        ("\u00b2", None),  # isdigit() says yes; int() refuses
        ("\u0663", None),  # an Arabic-Indic three: int() would take it
        (" 7", None),
    ],
)
def test_parse_id_takes_ascii_ids_within_the_column(text: str, expected: int | None) -> None:
    assert limits.parse_id(text) == expected


def test_a_slug_is_at_most_one_under_its_column() -> None:
    slug = re.compile(rf"^{limits.SLUG_PATTERN}$")
    assert slug.match("a" * (limits.MAX_SLUG_LENGTH - 1))
    assert not slug.match("a" * limits.MAX_SLUG_LENGTH)
    assert not slug.match("-main-stage")
    assert not slug.match("Main-Stage")


def test_channel_names_use_the_same_bounds() -> None:
    realtime = Realtime(hub=Hub(MemoryBackend()))
    register_realtime(realtime)
    CHANNEL_PATTERN = realtime.channel_pattern
    guid = "0" * limits.GUID_LENGTH
    assert CHANNEL_PATTERN.match(f"session:{guid}")
    assert not CHANNEL_PATTERN.match(f"session:{guid}0")
    assert CHANNEL_PATTERN.match(f"user:{limits.MAX_ID}")
    assert not CHANNEL_PATTERN.match(f"user:{limits.MAX_ID}0")
    assert CHANNEL_PATTERN.match("stage:" + "a" * limits.MAX_SLUG_LENGTH)
    assert not CHANNEL_PATTERN.match("stage:" + "a" * (limits.MAX_SLUG_LENGTH + 1))
