"""Settings derived from others: the development base URL follows the address served on."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from conference.settings import Environment, Settings

KEY = "k" * 40


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("127.0.0.1", 8301, "http://127.0.0.1:8301"),
        ("localhost", 8302, "http://localhost:8302"),
        # A wildcard is not an address a browser can open: this machine's loopback is.
        ("0.0.0.0", 8303, "http://127.0.0.1:8303"),  # noqa: S104
        ("::", 8304, "http://127.0.0.1:8304"),
        ("::1", 8305, "http://[::1]:8305"),
    ],
)
def test_development_base_url_follows_host_and_port(host: str, port: int, expected: str) -> None:
    assert Settings(host=host, port=port, secret_key=KEY).base_url == expected


def test_base_url_setting_wins_and_loses_its_trailing_slash() -> None:
    settings = Settings(port=8301, base_url="https://meeting.example/", secret_key=KEY)
    assert settings.base_url == "https://meeting.example"


def test_environment_variables_give_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFERENCE_PORT", "8306")
    monkeypatch.setenv("CONFERENCE_HOST", "localhost")
    assert Settings(secret_key=KEY).base_url == "http://localhost:8306"
    monkeypatch.setenv("CONFERENCE_BASE_URL", "http://meeting.lan:9000")
    assert Settings(secret_key=KEY).base_url == "http://meeting.lan:9000"


def test_production_derives_nothing() -> None:
    with pytest.raises(ValidationError, match="CONFERENCE_BASE_URL must be an https:// URL"):
        Settings(env=Environment.production, port=443, secret_key=KEY)


@pytest.mark.parametrize("port", [0, 65_536])
def test_port_out_of_range_is_refused(port: int) -> None:
    with pytest.raises(ValidationError):
        Settings(port=port, secret_key=KEY)
