"""A MailerSend sandbox on a real loopback socket, with a wall clock the tests move."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from mailersend import EmailBuilder, MailerSendClient

from mcexplorer.sandbox.mailersend.app import MailerSendApp
from mcexplorer.sandbox.server import SandboxServer

# 23:58:30 UTC: two minute windows before the daily quota refills at midnight.
START = datetime(2026, 3, 4, 23, 58, 30, tzinfo=UTC).timestamp()
MIDNIGHT_ISO = "2026-03-05T00:00:00Z"


class WallClock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class MailerSend:
    server: SandboxServer
    clock: WallClock
    admin: httpx.Client

    @property
    def app(self) -> MailerSendApp:
        app = self.server.app
        assert isinstance(app, MailerSendApp)
        return app

    @property
    def token(self) -> str:
        return self.server.demo_key

    @property
    def read_only_token(self) -> str:
        return self.app.read_only_token

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return httpx.Client(base_url=self.server.api_url, headers=headers)

    def settings(self, **switches: object) -> dict[str, object]:
        response = self.admin.put("/_sandbox/mailersend", json=switches)
        response.raise_for_status()
        result: dict[str, object] = response.json()
        return result


@pytest.fixture(scope="module")
def ms_server() -> Iterator[SandboxServer]:
    with SandboxServer(provider="mailersend", plan="free", seed=5) as server:
        yield server


@pytest.fixture()
def ms(ms_server: SandboxServer) -> Iterator[MailerSend]:
    """The module's sandbox, back to its seed, on the free plan, at START."""
    with httpx.Client(base_url=ms_server.url) as admin:
        ms = MailerSend(ms_server, WallClock(), admin)
        ms.app.clock = ms.clock
        ms.app.retry_after_s = None
        admin.post("/_sandbox/reset", json={}).raise_for_status()
        ms.settings(plan="free", under_review=False)
        yield ms


@dataclass
class Demo:
    """Ids of the demo account's objects, read through the API."""

    domain: str  # demo.example.com: verified, sending
    pending: str  # pending.example.org: not verified
    paused: str  # paused.example.net: verified, sending paused
    template: str
    sms_number: str
    sms_phone: str


def demo_of(ms: MailerSend) -> Demo:
    with ms.client() as api:
        domains = {d["name"]: d["id"] for d in api.get("domains").json()["data"]}
        template = api.get("templates").json()["data"][0]["id"]
        number = api.get("sms-numbers").json()["data"][0]
    return Demo(
        domain=domains["demo.example.com"],
        pending=domains["pending.example.org"],
        paused=domains["paused.example.net"],
        template=template,
        sms_number=number["id"],
        sms_phone=number["telephone_number"],
    )


def email_builder(sender: str = "news@demo.example.com") -> EmailBuilder:
    """A plain email from the demo account's verified domain to a demo recipient."""
    return (
        EmailBuilder()
        .from_email(sender, "Demo")
        .to("reader@example.net", "Reader")
        .subject("Hello")
        .text("Plain text body.")
    )


def sdk_client(ms: MailerSend, token: str | None = None, retries: int = 0) -> MailerSendClient:
    """The official SDK, unmodified, pointed at the sandbox by its base URL alone."""
    return MailerSendClient(
        api_key=token or ms.token, base_url=ms.server.api_url, max_retries=retries
    )


@pytest.fixture()
def demo(ms: MailerSend) -> Demo:
    return demo_of(ms)


@pytest.fixture()
def sdk(ms: MailerSend) -> Iterator[MailerSendClient]:
    with sdk_client(ms) as client:
        yield client
