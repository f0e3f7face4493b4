"""The explorer on a server whose every answer is JSON nested 100,000 levels deep: start-up,
the map, a send and the response view all carry on, and the body says what it is."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent
from textual.worker import WorkerCancelled

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.widgets.json_tree import JsonTree
from mcexplorer.tui.widgets.response_view import ResponseView
from tests.hostile.server import KEY, HostileServer, http
from tests.tui.apps.widget_hosts import screen_text

DEEP = {
    "list": b"[" * 100_000 + b"]" * 100_000,
    "dict": b'{"a":' * 5000 + b"1" + b"}" * 5000,
}


@pytest.fixture(params=sorted(DEEP))
def server(request: pytest.FixtureRequest) -> Iterator[tuple[HostileServer, bytes]]:
    body = DEEP[request.param]
    answer = http("200 OK", body, "Content-Type: application/json\r\n")
    with HostileServer(lambda received: answer).running() as running:
        yield running, body


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(4):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()


async def test_the_explorer_shows_a_too_deep_answer_and_carries_on(
    server: tuple[HostileServer, bytes],
) -> None:
    hostile, body = server
    creds = Credentials.api_key(KEY)
    app = ExplorerApp(target=Target(creds, hostile.base_url().rstrip("/"), "hostile"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.explorer.query_one("#path", Input).value = "/lists"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        view = app.explorer.query_one(ResponseView)
        assert view.outcome is not None and view.outcome.body == body
        depth = body.count(b"[") + body.count(b"{")
        assert f"This JSON nests {depth} levels deep" in screen_text(app)
        view.query_one(TabbedContent).active = "tab-tree"
        await settle(pilot)
        assert f"nests {depth} levels deep" in str(app.explorer.query_one(JsonTree).root.label)
        assert any(b"GET /3.0/lists" in r.head for r in hostile.received)
    assert app.return_code in (None, 0)
