"""Outgoing email: SMTP when configured, otherwise files in an outbox folder.

The outbox lets a developer running ``make run`` read password-reset links without a mail
server; production sets ``CONFERENCE_SMTP_HOST``.
"""

from __future__ import annotations

import secrets
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import aiosmtplib
import anyio

from conference.db.types import utcnow


class Mailer:
    """Sends plain-text messages through SMTP or into ``outbox_dir``."""

    def __init__(
        self,
        *,
        sender: str,
        outbox_dir: Path,
        smtp_host: str = "",
        smtp_port: int = 587,
        smtp_username: str = "",
        smtp_password: str = "",
        smtp_starttls: bool = True,
    ) -> None:
        self.sender = sender
        self.outbox_dir = outbox_dir
        self._smtp_host = smtp_host
        self._smtp_port = smtp_port
        self._smtp_username = smtp_username
        self._smtp_password = smtp_password
        self._smtp_starttls = smtp_starttls

    @property
    def uses_smtp(self) -> bool:
        return bool(self._smtp_host)

    async def send(self, *, to: str, subject: str, text: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = format_datetime(utcnow())
        message["Message-ID"] = make_msgid(domain="cytokines.test")
        message.set_content(text)
        if self.uses_smtp:
            await aiosmtplib.send(
                message,
                hostname=self._smtp_host,
                port=self._smtp_port,
                username=self._smtp_username or None,
                password=self._smtp_password or None,
                start_tls=self._smtp_starttls,
                timeout=30,
            )
        else:
            await self._write_to_outbox(message)

    async def _write_to_outbox(self, message: EmailMessage) -> None:
        name = f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
        path = anyio.Path(self.outbox_dir / name)
        await anyio.Path(self.outbox_dir).mkdir(parents=True, exist_ok=True)
        await path.write_bytes(message.as_bytes())
