"""A real SMTP server in the test process (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

import httpx
from aiosmtpd.controller import Controller

from conference.settings import Settings
from tests.servers import free_port
from tests.waiting import block_until, wait_until


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


async def outbox_files(settings: Settings, count: int, within: float = 30.0) -> list[Path]:
    """The outbox's .eml files once there are ``count`` (mail is sent after the answer,
    by a background task): polled, failing after ``within`` seconds."""

    def files() -> list[Path]:
        return sorted(settings.outbox_dir.glob("*.eml"))

    await wait_until(lambda: len(files()) >= count, f"{count} mails in the outbox", within=within)
    found = files()
    assert len(found) == count, f"expected {count} mails in the outbox, found {found}"
    return found


CONFIRM_LINK = re.compile(r"/register/confirm\?token=([A-Za-z0-9_-]+)")


def read_mail(path: Path) -> EmailMessage:
    """An outbox file, parsed (its body decoded: long lines are quoted-printable)."""
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def _tokens_to(outbox_dir: Path, to: str) -> list[str]:
    tokens = []
    for path in sorted(outbox_dir.glob("*.eml")):
        mail = read_mail(path)
        if mail["To"] == to and (found := CONFIRM_LINK.search(mail.get_content())):
            tokens.append(found.group(1))
    return tokens


async def confirmation_tokens(
    outbox_dir: Path, to: str, count: int = 1, within: float = 30.0
) -> set[str]:
    """The tokens of the registration links mailed to ``to``, once there are ``count``
    (mail goes out after the answer): polled, failing after ``within`` seconds."""
    await wait_until(
        lambda: len(_tokens_to(outbox_dir, to)) >= count,
        f"{count} confirmation mails to {to}",
        within=within,
    )
    tokens = _tokens_to(outbox_dir, to)
    assert len(tokens) == count, f"expected {count} confirmation mails to {to}"
    return set(tokens)


def wait_for_confirmation_link(outbox_dir: Path, to: str, within: float = 30.0) -> str:
    """The path of the one registration link mailed to ``to`` (for the sync browser tests)."""

    def tokens() -> list[str]:
        return _tokens_to(outbox_dir, to) if outbox_dir.exists() else []

    block_until(tokens, f"a confirmation mail to {to}", within=within)
    found = tokens()
    assert len(found) == 1, f"expected one confirmation mail to {to}, found {found}"
    return f"/register/confirm?token={found[0]}"


async def register_and_confirm(
    client: httpx.AsyncClient, settings: Settings, registration: dict[str, Any]
) -> httpx.Response:
    """Register through the API and follow the mailed link: the confirmation's answer
    (the account, with the browser signed in)."""
    response = await client.post("/api/v1/auth/register", json=registration)
    assert response.status_code == 202, response.text
    to = str(registration["email"]).strip().lower()
    [token] = await confirmation_tokens(settings.outbox_dir, to)
    return await client.post(
        "/api/v1/auth/register/confirm",
        json={"token": token, "password": registration["password"]},
    )
