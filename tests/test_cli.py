"""The ``conference`` command line, run as an operator runs it: a separate process."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conference.db.migrate import head_revision
from conference.demo import DEMO_ACCOUNTS
from tests.cli import ROOT, database, query, run_cli

DEMO_TABLES = (
    "users",
    "user_roles",
    "meetings",
    "people",
    "committee_members",
    "sponsors",
    "posters",
    "poster_authors",
    "poster_keywords",
)


def row_counts(var_dir: Path) -> dict[str, int]:
    return {t: int(query(var_dir, f"SELECT count(*) FROM {t}")[0][0]) for t in DEMO_TABLES}


def roles_of(var_dir: Path, email: str) -> set[str]:
    rows = query(
        var_dir,
        "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.email = ?",
        email,
    )
    return {str(row[0]) for row in rows}


def production(**extra: str) -> dict[str, str]:
    return {
        "CONFERENCE_ENV": "production",
        "CONFERENCE_BASE_URL": "https://example.org",
        **extra,
    }


def test_migrate_creates_the_database(tmp_path: Path) -> None:
    var = tmp_path / "var"
    result = run_cli(var, "migrate")
    assert result.returncode == 0, result.stderr
    assert "migrated to head" in result.stdout
    assert str(database(var)) in result.stdout
    assert query(var, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert row_counts(var) == dict.fromkeys(DEMO_TABLES, 0)


def test_demo_is_idempotent_and_lists_the_accounts(tmp_path: Path) -> None:
    var = tmp_path / "var"
    assert run_cli(var, "migrate").returncode == 0

    first = run_cli(var, "demo")
    assert first.returncode == 0, first.stderr
    once = row_counts(var)
    second = run_cli(var, "demo")
    assert second.returncode == 0, second.stderr
    assert row_counts(var) == once

    assert once["users"] == len(DEMO_ACCOUNTS)
    assert once["user_roles"] == sum(len(account.roles) for account in DEMO_ACCOUNTS)
    assert once["meetings"] == 1
    assert all(count > 0 for count in once.values()), once
    for output in (first.stdout, second.stdout):
        for account in DEMO_ACCOUNTS:
            assert account.email in output
        assert "cytokines2021" in output
    for account in DEMO_ACCOUNTS:
        assert roles_of(var, account.email) == {role.value for role in account.roles}


def test_demo_refused_in_production(tmp_path: Path) -> None:
    var = tmp_path / "var"
    result = run_cli(var, "demo", **production(CONFERENCE_SECRET_KEY="k" * 40))
    assert result.returncode == 1
    assert "Refused" in result.stderr
    assert not database(var).exists()


def test_createuser_creates_then_adds_roles(tmp_path: Path) -> None:
    var = tmp_path / "var"
    assert run_cli(var, "migrate").returncode == 0
    email = "x@example.org"
    common = ("createuser", "--email", email, "--password", "long enough pw")

    created = run_cli(var, *common, "--role", "organizer", "--role", "speaker")
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == f"Created {email} with role(s) organizer, speaker."
    assert roles_of(var, email) == {"organizer", "speaker"}
    [(name, password_hash)] = query(
        var, "SELECT name, password_hash FROM users WHERE email = ?", email
    )
    assert name == "x"
    assert str(password_hash).startswith("$argon2id$")
    assert "long enough pw" not in str(password_hash)

    updated = run_cli(var, *common, "--role", "exhibitor")
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.strip() == f"Updated {email} with role(s) exhibitor."
    assert roles_of(var, email) == {"organizer", "speaker", "exhibitor"}
    assert row_counts(var)["users"] == 1


def test_createuser_refuses_short_password(tmp_path: Path) -> None:
    var = tmp_path / "var"
    result = run_cli(
        var, "createuser", "--email", "x@example.org", "--role", "attendee", "--password", "short"
    )
    assert result.returncode == 2
    assert "10 characters or more" in result.stderr
    assert not database(var).exists()


@pytest.mark.parametrize("secret_key", ["", "hunter2-too-short"])
def test_production_without_secret_key_is_a_configuration_error(
    tmp_path: Path, secret_key: str
) -> None:
    var = tmp_path / "var"
    result = run_cli(var, "migrate", **production(CONFERENCE_SECRET_KEY=secret_key))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: "
        "CONFERENCE_SECRET_KEY must be set to at least 32 characters in production"
    )
    assert not database(var).exists()


def test_unreachable_database_is_one_line_without_password(tmp_path: Path) -> None:
    # Nothing listens on port 1.
    url = "postgresql://app:S3cretPw@127.0.0.1:1/conference"
    result = run_cli(tmp_path / "var", "migrate", CONFERENCE_DATABASE_URL=url)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Cannot reach the database at postgresql+asyncpg://app:***@127.0.0.1:1/conference: "
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert "S3cretPw" not in result.stdout + result.stderr


def test_demo_names_the_address_served_on(tmp_path: Path) -> None:
    var = tmp_path / "var"
    assert run_cli(var, "migrate").returncode == 0
    result = run_cli(var, "demo", "--host", "localhost", "--port", "8301")
    assert result.returncode == 0, result.stderr
    assert "sign in at http://localhost:8301/signin" in result.stdout
    whip = [line for line in result.stdout.splitlines() if line.startswith("OBS (WHIP)")]
    assert len(whip) == 1
    assert whip[0].startswith("OBS (WHIP): server http://localhost:8301/whip/plenary-hall, ")
    # A configured base URL wins over the listening address.
    again = run_cli(var, "demo", "--port", "8301", CONFERENCE_BASE_URL="https://meeting.example/")
    assert again.returncode == 0, again.stderr
    assert "sign in at https://meeting.example/signin" in again.stdout


def test_make_run_gives_host_and_port_to_demo_and_serve() -> None:
    make = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=8301"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert make.returncode == 0, make.stderr
    lines = make.stdout.splitlines()
    assert ".venv/bin/conference demo --host 127.0.0.1 --port 8301" in lines
    assert ".venv/bin/conference serve --host 127.0.0.1 --port 8301" in lines
