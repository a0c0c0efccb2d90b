"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 at a free port, keeping what it receives.

    with smtp_server() as server:
        send_mail(...)                      # Django configured for server.host / server.port
        message = server.wait_for(1)[0]     # an email.message.EmailMessage

The ``smtp`` fixture starts one per test and points Django's SMTP backend at it. To use it
in an app's tests, import it into that app's ``conftest.py``::

    from tests.smtp import smtp  # noqa: F401

``server.stop()`` in a test simulates the mail server being down (connection refused).
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Delivery:
    """One message as the server received it: the SMTP envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class SmtpServer:
    """An aiosmtpd server in its own thread that stores every message it accepts."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = _free_port(host)
        self.deliveries: list[Delivery] = []
        self._arrived = threading.Condition()
        self._controller = Controller(self, hostname=host, port=self.port, ready_timeout=10)
        self.running = False

    # aiosmtpd handler hook: called in the server's thread for each message
    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        content = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        delivery = Delivery(mail_from=envelope.mail_from, rcpt_tos=tuple(envelope.rcpt_tos),
                            message=email.message_from_bytes(content, policy=email.policy.default), raw=content)
        with self._arrived:
            self.deliveries.append(delivery)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> SmtpServer:
        self._controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self._controller.stop()
            self.running = False

    @property
    def messages(self) -> list[EmailMessage]:
        return [d.message for d in self.deliveries]

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[EmailMessage]:
        """Return the messages once ``count`` have arrived; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} message(s), the SMTP server received "
                                         f"{len(self.deliveries)} in {timeout} s")
                self._arrived.wait(left)
        return self.messages


@contextmanager
def smtp_server(host: str = "127.0.0.1") -> Iterator[SmtpServer]:
    server = SmtpServer(host).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp(settings) -> Iterator[SmtpServer]:
    """A running SMTP server, with Django's email settings pointing at it (plain SMTP, no auth)."""
    with smtp_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield server


def attachments(message: EmailMessage) -> list[tuple[str, str, bytes]]:
    """``(file name, content type, bytes)`` of each attachment of a received message."""
    return [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
            for part in message.iter_attachments()]
