"""Outgoing email: SMTP when configured, otherwise files in an outbox folder.

The outbox lets a developer running ``make run`` read password-reset links without a mail
server; production sets ``CONFERENCE_SMTP_HOST``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import aiosmtplib
import anyio

from conference.db.types import utcnow

logger = logging.getLogger(__name__)

# Mail waiting to be sent; beyond this the newest is dropped (and logged).
QUEUE_SIZE = 1000
# Each message is tried this many times, waiting a little longer between tries.
ATTEMPTS = 3
RETRY_SECONDS = 2.0  # (Mailer.retry_seconds)
# How long shutting down waits for queued mail to go out.
DRAIN_SECONDS = 10.0


@dataclass(frozen=True)
class Outgoing:
    to: str
    subject: str
    text: str


class Mailer:
    """Sends plain-text messages through SMTP or into ``outbox_dir``.

    Requests hand mail to :meth:`enqueue` and answer at once: writing (or an SMTP round
    trip) must neither slow a request down nor make it take longer for a real account than
    for an unknown address. A background task sends the queue, retrying, and logs what it
    finally could not send. The queue is in memory: mail queued when the process dies is
    lost (the user asks again).
    """

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
        self._queue: asyncio.Queue[Outgoing] | None = None
        self._sender_task: asyncio.Task[None] | None = None
        self.failed = 0
        self.retry_seconds = RETRY_SECONDS

    async def start(self) -> None:
        """Start sending queued mail (the app's lifespan)."""
        self._queue = asyncio.Queue(QUEUE_SIZE)
        self._sender_task = asyncio.create_task(self._send_queued(), name="mail-sender")

    async def stop(self) -> None:
        """Send what is queued (for a while), then stop."""
        if self._sender_task is None or self._queue is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), DRAIN_SECONDS)
        if self._queue.qsize():
            logger.error(
                "mail: %d queued messages were not sent before stopping", self._queue.qsize()
            )
        self._sender_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._sender_task
        self._sender_task = None

    async def flush(self) -> None:
        """Wait until everything queued so far has been sent (or given up on)."""
        if self._queue is not None:
            await self._queue.join()

    def enqueue(self, *, to: str, subject: str, text: str) -> None:
        """Queue a message for the background sender (never blocks)."""
        if self._queue is None:
            raise RuntimeError("the mailer is not started")
        try:
            self._queue.put_nowait(Outgoing(to=to, subject=subject, text=text))
        except asyncio.QueueFull:
            self.failed += 1
            logger.error("mail: queue full, dropped %r to %s", subject, to)

    async def _send_queued(self) -> None:
        assert self._queue is not None
        while True:
            item = await self._queue.get()
            try:
                await self._send_with_retries(item)
            finally:
                self._queue.task_done()

    async def _send_with_retries(self, item: Outgoing) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                await self.send(to=item.to, subject=item.subject, text=item.text)
                return
            except Exception:
                if attempt == ATTEMPTS:
                    self.failed += 1
                    logger.exception(
                        "mail: could not send %r to %s after %d tries",
                        item.subject,
                        item.to,
                        attempt,
                    )
                    return
                logger.warning("mail: try %d of %r to %s failed", attempt, item.subject, item.to)
                await asyncio.sleep(self.retry_seconds * attempt)

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
