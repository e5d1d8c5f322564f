"""The core's extension registries: owner keys, and the first recording player that answers."""

from __future__ import annotations

from typing import Any

import pytest
from markupsafe import Markup

from conference.extensions import Extensions, owner_key, parse_owner_key


def test_owner_keys_round_trip_and_refuse_what_is_not_one() -> None:
    assert owner_key("poster", 17) == "poster:17"
    assert parse_owner_key("poster:17") == ("poster", 17)
    for bad in ("poster:0", "poster:-1", "Poster:1", "poster:", ":1", "poster:1:2", "poster:01"):
        assert parse_owner_key(bad) is None, bad
    with pytest.raises(ValueError, match="not an owner key"):
        owner_key("Poster", 1)
    with pytest.raises(ValueError, match="not an owner key"):
        owner_key("poster", 0)


async def test_the_first_player_that_answers_is_shown() -> None:
    seen: list[str] = []

    async def nothing(_request: Any, _db: Any, key: str, _viewer: Any) -> Markup | None:
        seen.append(f"nothing {key}")
        return None

    async def player(_request: Any, _db: Any, key: str, _viewer: Any) -> Markup | None:
        seen.append(f"player {key}")
        return Markup("<div>player</div>")

    extensions = Extensions()
    assert await extensions.recording_player(None, None, "poster:1", None) is None  # type: ignore[arg-type]
    extensions.recording_players.extend([nothing, player, nothing])
    found = await extensions.recording_player(None, None, "poster:2", None)  # type: ignore[arg-type]
    assert found == Markup("<div>player</div>")
    assert seen == ["nothing poster:2", "player poster:2"]
