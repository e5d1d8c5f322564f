"""Settings read from the environment (prefix ``CONFERENCE_``).

Nothing here runs at import time: :func:`load_settings` builds a :class:`Settings` when the
app factory or the command line asks for one, so tests can make as many as they like.
"""

from __future__ import annotations

import secrets
from enum import StrEnum
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from conference.db.urls import normalise_database_url

ROOT = Path(__file__).resolve().parent.parent


class Environment(StrEnum):
    development = "development"
    production = "production"


class Settings(BaseSettings):
    """Everything an operator can configure; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="CONFERENCE_", extra="ignore")

    env: Environment = Environment.development
    var_dir: Path = Path("var")
    database_url: str = ""
    # Database connections per process: kept open, extra under load, seconds a request
    # waits for one. Unset sizes take the backend's default (SQLite 5 + 10, PostgreSQL
    # 10 + 20); a request holds one connection at most (conference/db/engine.py).
    db_pool_size: Annotated[int, Field(ge=1, le=1000)] | None = None
    db_max_overflow: Annotated[int, Field(ge=0, le=1000)] | None = None
    db_pool_timeout: Annotated[float, Field(gt=0, le=600)] = 30.0
    redis_url: str = "memory://"
    # Prefix of this deployment's Redis channels and keys (pub/sub ignores database numbers).
    hub_prefix: str = ""
    # uvicorn's websocket implementation: "websockets-sansio" keeps less per connection.
    ws_protocol: Literal["auto", "websockets", "websockets-sansio", "wsproto"] = "websockets-sansio"
    secret_key: str = ""
    media_dir: Path | None = None
    # Where `conference serve` listens (its --host/--port, `make run HOST= PORT=`).
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65_535)] = 8000
    # The address people use; in development it defaults to http://HOST:PORT, so links,
    # the websocket Origin check and the printed WHIP address follow the port served on.
    base_url: str = ""
    site_name: str = "Cytokines 2021"

    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "Cytokines 2021 <no-reply@cytokines.test>"

    # A request body larger than this is refused with 413 before a route sees it.
    max_request_bytes: Annotated[int, Field(gt=0)] = 1_048_576
    # A whole program (400 sessions, 1,500 talks with abstracts) is a few MB as JSON or CSV.
    max_import_bytes: Annotated[int, Field(gt=0)] = 16 * 1_048_576
    session_days: Annotated[int, Field(gt=0, le=90)] = 14
    password_reset_minutes: Annotated[int, Field(gt=0, le=24 * 60)] = 60
    # How long a registration's confirmation link works; unconfirmed ones are then purged.
    registration_confirm_hours: Annotated[int, Field(gt=0, le=7 * 24)] = 24
    # Sign-in throttling (conference.accounts.signin.SignInLimits): free failures per
    # account+address, then a delay doubling per failure up to the maximum; and a much
    # higher count of failures per address (a venue network shares one), all within the window.
    sign_in_max_failures: Annotated[int, Field(gt=0)] = 5
    sign_in_delay_seconds: Annotated[int, Field(gt=0)] = 30
    sign_in_max_delay_seconds: Annotated[int, Field(gt=0)] = 900
    sign_in_max_failures_per_address: Annotated[int, Field(gt=0)] = 100
    sign_in_window_minutes: Annotated[int, Field(gt=0)] = 15
    # Per client address and per target email, within the window (conference.accounts.limits).
    reset_limit_per_address: Annotated[int, Field(gt=0)] = 10
    reset_limit_per_email: Annotated[int, Field(gt=0)] = 3
    register_limit_per_address: Annotated[int, Field(gt=0)] = 10
    register_limit_per_email: Annotated[int, Field(gt=0)] = 3
    account_limit_window_minutes: Annotated[int, Field(gt=0)] = 60
    # argon2id cost; the defaults are argon2-cffi's RFC 9106 "low memory" profile.
    argon2_time_cost: Annotated[int, Field(ge=1)] = 3
    argon2_memory_kib: Annotated[int, Field(ge=8)] = 65_536

    # Streaming (see the README): HLS segment length in seconds (1-2), the rendition ladder
    # as "name:WIDTHxHEIGHT@KBPS" items, the frame rate encoded, and x264's speed preset.
    stream_segment_seconds: Annotated[float, Field(ge=1.0, le=2.0)] = 2.0
    stream_ladder: str = "720p:1280x720@2500,360p:640x360@800"
    stream_fps: Annotated[int, Field(ge=10, le=60)] = 30
    # "superfast": a 720p30 rendition costs about 0.2 core ("veryfast": 0.28, see make bench).
    stream_preset: str = "superfast"
    # Network interfaces (names like "eth0" or addresses) whose addresses WebRTC ingest
    # offers as ICE candidates; empty means every non-loopback interface (aioice's default).
    # "lo" admits 127.0.0.1, for a publisher on the same machine.
    ice_interfaces: str = ""
    # How long a media access token (the cookie the players send) stays valid; also how long
    # a hidden or deleted recording stays open to a token handed out before (tokens cannot
    # be revoked one by one: nginx checks them without the database). Players renew halfway.
    media_token_seconds: Annotated[int, Field(ge=30, le=24 * 3600)] = 120
    # Largest pre-recorded talk upload.
    max_upload_bytes: Annotated[int, Field(gt=0)] = 2 * 1024 * 1_048_576
    # Largest zip of posters' PDFs imported at once (docs/POSTER_IMPORT.md): 600 posters
    # of a few MB each.
    max_poster_zip_bytes: Annotated[int, Field(gt=0)] = 2 * 1024 * 1_048_576
    # Largest poster PDF (an A0 poster with photographs is typically 5-50 MB).
    max_poster_pdf_bytes: Annotated[int, Field(gt=0)] = 100 * 1_048_576
    # Run background jobs (transcodes and every other kind) inside the web process (the
    # embedded default); false when separate `conference worker` processes do them.
    inline_worker: bool = True

    # /metrics in production: a scraper sends "Authorization: Bearer <metrics_token>", or
    # scrapes from one of these networks (comma-separated CIDRs); in development it is open.
    metrics_token: str = ""
    metrics_networks: str = "127.0.0.0/8,::1/128"

    templates_dir: Path = ROOT / "templates"
    static_dir: Path = ROOT / "static"

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalise_database_url(value) if value else value

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _defaults_under_var(self) -> Self:
        if not self.database_url:
            self.database_url = normalise_database_url(f"sqlite:///{self.var_dir}/conference.db")
        if self.media_dir is None:
            self.media_dir = self.var_dir / "media"
        if not self.base_url and self.env is Environment.development:
            self.base_url = f"http://{_url_host(self.host)}:{self.port}"
        if self.env is Environment.production:
            if len(self.secret_key) < 32:
                raise ValueError(
                    "CONFERENCE_SECRET_KEY must be set to at least 32 characters in production"
                )
            if not self.base_url.startswith("https://"):
                raise ValueError("CONFERENCE_BASE_URL must be an https:// URL in production")
            if self.metrics_token and len(self.metrics_token) < 16:
                raise ValueError("CONFERENCE_METRICS_TOKEN must be at least 16 characters")
        try:
            self.metrics_allowed_networks()
        except ValueError as exc:
            raise ValueError(f"CONFERENCE_METRICS_NETWORKS: {exc}") from exc
        return self

    def metrics_allowed_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """The networks ``/metrics`` answers in production without a token."""
        return tuple(
            ip_network(part.strip(), strict=False)
            for part in self.metrics_networks.split(",")
            if part.strip()
        )

    @property
    def is_production(self) -> bool:
        return self.env is Environment.production

    @property
    def outbox_dir(self) -> Path:
        """Where mail goes when no SMTP server is configured."""
        return self.var_dir / "outbox"

    @property
    def media_root(self) -> Path:
        assert self.media_dir is not None  # set by the validator
        return self.media_dir

    def with_secret_key(self) -> Settings:
        """Return settings whose secret key is set, creating one under ``var/`` in development.

        The key is kept in a file so sessions survive a restart of ``make run``.
        """
        if self.secret_key:
            return self
        if self.is_production:  # pragma: no cover - the validator refuses this earlier
            raise ValueError("CONFERENCE_SECRET_KEY is required in production")
        key_file = self.var_dir / "secret_key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return self.model_copy(update={"secret_key": key_file.read_text().strip()})


def _url_host(host: str) -> str:
    """The host part of a URL for a listening address (a wildcard means this machine)."""
    if host in {"", "0.0.0.0", "::"}:  # noqa: S104 - naming the wildcard, not binding it
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, apply ``overrides`` and ensure a secret key."""
    return Settings(**overrides).with_secret_key()  # type: ignore[arg-type]
