"""A real SMTP server in the test process (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import asyncio
import email
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from conference.settings import Settings
from tests.servers import free_port


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
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        files = sorted(settings.outbox_dir.glob("*.eml"))
        if len(files) >= count or loop.time() > deadline:
            assert len(files) == count, f"expected {count} mails in the outbox, found {files}"
            return files
        await asyncio.sleep(0.05)
