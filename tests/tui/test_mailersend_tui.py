"""The explorer on a MailerSend account, driven headless against the MailerSend sandbox on a
real loopback socket: the rate/quota gauge, the catalog-built map, the composer without the
Mailchimp-only parts, a sent email and a 422 explained.

Deterministic: the sandbox and the gauge share a fixed wall clock (23:58:30 UTC, so the
quota resets in 1 min 30 s), the engine's clock stands still (attempts take 0 ms), the
demo token is seeded and only shown masked.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TextArea
from textual.worker import WorkerCancelled

from mcexplorer.cli import main
from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.clock import ManualClock
from mcexplorer.sandbox.mailersend.app import MailerSendApp
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.screens.explorer import ExplorerScreen
from mcexplorer.tui.widgets.composer import Composer
from mcexplorer.tui.widgets.header import AccountHeader
from mcexplorer.tui.widgets.operations_list import OperationsList
from mcexplorer.tui.widgets.problem_panel import ProblemPanel
from mcexplorer.tui.widgets.rate_gauge import RateGauge
from mcexplorer.tui.widgets.resource_map import ResourceMap
from mcexplorer.tui.widgets.response_view import ResponseView
from mcexplorer.tui.widgets.slot_gauge import SlotGauge
from tests.mailersend.conftest import START, WallClock

SIZE = (120, 40)
NOW = datetime.fromtimestamp(START, UTC)
EMAIL = {
    "from": {"email": "news@demo.example.com", "name": "Demo"},
    "to": [{"email": "reader@example.net"}],
    "subject": "Hello",
    "text": "Plain text body.",
}
UNVERIFIED = {**EMAIL, "from": {"email": "news@pending.example.org"}}
MAILCHIMP_ONLY = ("fields", "exclude_fields", "count", "offset", "email", "trigger", "override")


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(provider="mailersend", plan="free", seed=0) as running:
        assert isinstance(running.app, MailerSendApp)
        running.app.clock = WallClock()
        yield running


def _app(server: SandboxServer, **options: Any) -> ExplorerApp:
    creds = Credentials.mailersend(server.demo_key)
    target = Target(creds, server.api_url, f"sandbox {creds.masked}")
    return ExplorerApp(target=target, wall_clock=lambda: NOW, history=False, **options)


async def _settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@dataclass
class Session:
    app: ExplorerApp
    pilot: Pilot[None]
    server: SandboxServer

    @property
    def screen(self) -> ExplorerScreen:
        return self.app.explorer

    @property
    def gauge(self) -> RateGauge:
        return self.screen.query_one(RateGauge)

    async def send_email(self, body: dict[str, Any]) -> None:
        screen = self.screen
        screen.query_one("#method", Select).value = "POST"
        screen.query_one("#path", Input).value = "/email"
        await self.pilot.pause()
        screen.query_one("#body", TextArea).text = json.dumps(body)
        await self.pilot.pause()
        await self.pilot.press("ctrl+s")
        await _settle(self.pilot)


@pytest.fixture
async def session(server: SandboxServer) -> AsyncIterator[Session]:
    app = _app(server)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        yield Session(app, pilot, server)


async def test_the_rate_gauge_replaces_the_slots_and_shows_the_quota(session: Session) -> None:
    screen = session.screen
    assert not screen.query_one(SlotGauge).display and session.gauge.display
    assert session.gauge.quota_text() == "100/100 today, resets 00:00 UTC (in 1 min 30 s)"
    assert session.gauge.rate_text() == "60/60 a minute"  # GET /api-quota is not counted
    header = screen.query_one(AccountHeader)
    assert (header.account, header.dc, header.healthy) == ("MailerSend", None, True)
    rendered = str(header.render())
    assert session.server.demo_key not in rendered
    assert Credentials.mailersend(session.server.demo_key).masked in rendered


async def test_the_map_and_operations_come_from_the_mailersend_catalog(session: Session) -> None:
    tree = session.screen.query_one(ResourceMap)
    top = [str(node.label) for node in tree.root.children]
    assert str(tree.root.label) == "MailerSend"
    assert {"api-quota", "domains", "email  POST", "analytics", "suppressions"} <= set(top)
    analytics = next(n for n in tree.root.children if str(n.label) == "analytics")
    assert "date" in [str(n.label) for n in analytics.children]
    # A resource opens through the API: the domains list gives its items.
    domains = next(n for n in tree.root.children if str(n.label) == "domains")
    domains.expand()
    await _settle(session.pilot)
    assert {"demo.example.com", "pending.example.org"} <= {str(n.label) for n in domains.children}
    await session.pilot.press("ctrl+o")
    await _settle(session.pilot)
    shown = session.screen.query_one(OperationsList).shown
    assert {op.path for op in shown} >= {"/email", "/api-quota", "/domains/{domain_id}"}
    assert not any(op.path.startswith("/lists") for op in shown)


async def test_the_composer_hides_the_mailchimp_only_parts(session: Session) -> None:
    composer = session.screen.query_one(Composer)
    for name in MAILCHIMP_ONLY:
        assert not composer.query_one(f"#{name}").display, name
    for name in ("method", "path", "headers", "query"):
        assert composer.query_one(f"#{name}").display, name
    composer.query_one("#path", Input).value = "/domains"
    composer.query_one("#query", Input).value = "page=1&limit=10"
    composer.query_one("#headers", Input).value = "X-Note: hi"
    req = composer.build()
    assert req.query == {"page": "1", "limit": "10"} and req.headers == {"X-Note": "hi"}
    composer.query_one("#query", Input).value = "page"
    with pytest.raises(ValueError, match="needs name=value"):
        composer.build()


async def test_sending_an_email_shows_the_message_id_and_counts_down(session: Session) -> None:
    await session.send_email(EMAIL)
    view = session.screen.query_one(ResponseView)
    assert view.outcome is not None and view.outcome.status == 202
    message_id = view.outcome.headers["x-message-id"]
    assert f"message {message_id}" in str(view.query_one("#status", Static).render())
    assert not session.screen.query_one(ProblemPanel).display
    assert session.gauge.quota is not None and session.gauge.quota.remaining == 99
    assert session.gauge.rate_text() == "119/120 a minute"


async def test_an_unverified_sender_domain_is_explained(session: Session) -> None:
    await session.send_email(UNVERIFIED)
    panel = session.screen.query_one(ProblemPanel)
    assert panel.display and panel.problem is not None
    assert (panel.problem.status, panel.problem.code) == (422, "MS42207")
    table = panel.query_one("#problem-errors", DataTable)
    assert table.display and table.row_count == 1
    assert table.get_row_at(0)[0] == "from.email"
    meaning = str(panel.query_one("#problem-meaning", Static).render())
    assert "Sender domain not verified" in meaning
    assert "Code: MS42207" in str(panel.query_one("#problem-facts", Static).render())


async def test_switching_to_a_mailchimp_account_brings_its_explorer_back(
    session: Session,
) -> None:
    with SandboxServer(seed=0) as mailchimp:
        creds = Credentials.api_key(mailchimp.demo_key)
        session.screen.connect(Target(creds, mailchimp.api_url, f"sandbox {creds.masked}"))
        await _settle(session.pilot)
        screen = session.screen
        assert screen.query_one(SlotGauge).display and not session.gauge.display
        composer = screen.query_one(Composer)
        assert composer.query_one("#fields").display and composer.query_one("#query").display
        top = {str(node.label) for node in screen.query_one(ResourceMap).root.children}
        assert {"lists", "campaigns"} <= top and "email  POST" not in top
        assert screen.catalog is not None and screen.catalog.base_path == "/3.0"


async def test_the_sandbox_option_opens_a_mailersend_sandbox() -> None:
    app = ExplorerApp(sandbox=True, provider="mailersend", history=False)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):  # the sandbox starts in a thread
            await _settle(pilot)
            if app.explorer.query_one(AccountHeader).healthy is not None:
                break
        assert app.server is not None and app.server.provider == "mailersend"
        assert app.explorer.query_one(AccountHeader).healthy is True
        gauge = app.explorer.query_one(RateGauge)
        assert gauge.quota is not None and gauge.quota.quota is not None


def test_provider_without_sandbox_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--provider", "mailersend"]) == 2
    assert "--sandbox" in capsys.readouterr().err


def test_mailersend_explorer_snapshot(
    server: SandboxServer, snap_compare: Callable[..., bool]
) -> None:
    async def unverified_sent(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await Session(pilot.app, pilot, server).send_email(UNVERIFIED)  # type: ignore[arg-type]
        pilot.app.screen.query_one("#map").focus()
        await pilot.pause()

    app = _app(server, mask_volatile=True, clock=lambda: 1000.0, engine_clock=ManualClock())
    assert snap_compare(app, terminal_size=SIZE, run_before=unverified_sent)
