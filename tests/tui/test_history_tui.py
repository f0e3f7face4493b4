"""The history screen (Pilot): entries recorded from real requests to a loopback sandbox.

The explorer-level tests (recording on send, F6, re-send) live with the collection tests,
which drive the whole app; here the screen is hosted alone over a real SQLite file.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select
from textual.worker import WorkerCancelled

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.history.store import HistoryStore, record_outcome
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.problems.glossary import Glossary
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.dialogs.confirm import ConfirmDialog
from mcexplorer.tui.screens.history import HistoryScreen
from mcexplorer.tui.screens.save_request import PathPromptScreen
from mcexplorer.tui.widgets.json_view import JsonView
from mcexplorer.tui.widgets.problem_panel import ProblemPanel
from mcexplorer.tui.widgets.response_view import ResponseView
from tests.history.outcomes import make_outcome, not_found
from tests.tui.waiting import wait_until

SIZE = (120, 40)
FIXED_NOW = datetime(2024, 5, 1, 12, 0, 5, tzinfo=UTC)


class HistoryHost(App[None]):
    """Shows one HistoryScreen and keeps what its actions hand back."""

    def __init__(self, store: HistoryStore, *, mask_volatile: bool = True) -> None:
        super().__init__()
        self.store = store
        self.mask_volatile = mask_volatile
        self.resent: list[ApiRequest] = []
        self.saved: list[ApiRequest] = []

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.push_screen(
            HistoryScreen(
                self.store,
                glossary=Glossary.load(),
                on_resend=self.resent.append,
                on_save=self.saved.append,
                mask_volatile=self.mask_volatile,
            )
        )


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=0) as running:
        yield running


async def _record(server: SandboxServer, store: HistoryStore, *reqs: ApiRequest) -> None:
    creds = Credentials.api_key(server.demo_key)
    async with Engine(server.api_url, creds) as engine:
        for req in reqs:
            outcome = await engine.send(req)
            record_outcome(
                outcome, profile="sandbox", base_url=server.api_url, credentials=creds, store=store
            )


@dataclass
class Run:
    app: HistoryHost
    pilot: Pilot[None]
    store: HistoryStore
    server: SandboxServer
    ids: list[str] = field(default_factory=list)

    @property
    def screen(self) -> HistoryScreen:
        screen = self.app.screen
        assert isinstance(screen, HistoryScreen)
        return screen

    def rows(self) -> list[list[str]]:
        table = self.screen.query_one(DataTable)
        return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.fixture
async def run(server: SandboxServer, tmp_path: Path) -> AsyncIterator[Run]:
    store = HistoryStore(tmp_path / "history.sqlite3")
    await _record(
        server,
        store,
        ApiRequest("GET", "/lists"),
        ApiRequest("GET", "/lists/{list_id}", {"list_id": "no-such-list"}),
        ApiRequest("GET", "/ping"),
    )
    app = HistoryHost(store, mask_volatile=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        yield Run(app, pilot, store, server)


async def test_lists_every_entry_newest_first_without_the_key(run: Run) -> None:
    rows = run.rows()
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("GET", "/3.0/ping", "200"),
        ("GET", "/3.0/lists/no-such-list", "404"),
        ("GET", "/3.0/lists", "200"),
    ]
    assert rows[1][5] == "Resource Not Found"
    assert run.server.demo_key not in str(run.rows())


async def test_filter_by_4xx_and_open_shows_the_problem_panel(run: Run) -> None:
    run.screen.query_one("#history-status", Select).value = "4xx"
    await settle(run.pilot)
    rows = run.rows()
    assert len(rows) == 1 and rows[0][4] == "404"
    panel = run.screen.query_one(ProblemPanel)
    assert panel.display and panel.problem is not None and panel.problem.status == 404
    response = run.screen.query_one(ResponseView)
    assert response.outcome is not None and response.outcome.status == 404


async def test_filter_by_path_and_by_problem_title(run: Run) -> None:
    run.screen.query_one("#history-path", Input).value = "ping"
    await settle(run.pilot)
    assert [r[3] for r in run.rows()] == ["/3.0/ping"]
    assert not run.screen.query_one(ProblemPanel).display  # a 200 has no problem
    run.screen.query_one("#history-path", Input).value = ""
    run.screen.query_one("#history-title", Input).value = "not found"
    await settle(run.pilot)
    assert [r[4] for r in run.rows()] == ["404"]


async def test_moving_the_cursor_opens_that_entry(run: Run) -> None:
    await run.pilot.press("down")
    await settle(run.pilot)
    shown = run.screen.shown
    assert shown is not None and shown.outcome.status == 404
    await run.pilot.press("down")
    await settle(run.pilot)
    assert run.screen.shown is not None and run.screen.shown.outcome.url.endswith("/3.0/lists")
    assert not run.screen.query_one(ProblemPanel).display


async def test_resend_and_save_hand_the_request_back(run: Run) -> None:
    await run.pilot.press("down", "s")
    await settle(run.pilot)
    assert [r.path_params for r in run.app.saved] == [{"list_id": "no-such-list"}]
    await run.pilot.press("r")
    await settle(run.pilot)
    assert [r.render_path() for r in run.app.resent] == ["/lists/no-such-list"]
    assert not isinstance(run.app.screen, HistoryScreen)  # back to where it was opened


async def test_bundle_export_writes_the_file_it_names(run: Run, tmp_path: Path) -> None:
    await run.pilot.press("down", "b")
    await settle(run.pilot)
    prompt = run.app.screen
    assert isinstance(prompt, PathPromptScreen)
    default = Path(prompt.query_one(Input).value)
    assert default == run.store.path.parent / "bundles" / "bundle-2.md"
    target = tmp_path / "out" / "support.md"
    prompt.query_one(Input).value = str(target)
    await run.pilot.press("enter")
    await settle(run.pilot)
    text = target.read_text("utf-8")
    entry = run.store.get(2)
    assert entry is not None and entry.outcome.x_request_id
    assert entry.outcome.x_request_id in text and "Resource Not Found" in text
    assert run.server.demo_key not in text
    said = [n.message for n in run.app._notifications]
    assert any(str(target) in message for message in said)


async def test_an_empty_history_says_so(tmp_path: Path) -> None:
    app = HistoryHost(HistoryStore(tmp_path / "empty.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen.query_one(DataTable).row_count == 0
        assert "0 entries" in str(screen.query_one("#history-count").render())
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)  # nothing to export


def test_snapshot_history_with_a_404_open(
    tmp_path: Path, snap_compare: Callable[..., bool]
) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3", now=lambda: FIXED_NOW)
    store.record(
        make_outcome(200, body={"lists": [], "total_items": 0}),
        base_url="https://us6.api.mailchimp.com/3.0/",
    )
    store.record(not_found(), base_url="https://us6.api.mailchimp.com/3.0/")

    def the_404_is_open(app: HistoryHost) -> bool:
        screen = app.screen
        if not isinstance(screen, HistoryScreen):
            return False
        panel = screen.query_one(ProblemPanel)
        body = screen.query_one(JsonView)
        return (
            screen.query_one(DataTable).row_count == 2
            and screen.shown is not None
            and screen.shown.outcome.status == 404
            and panel.display
            and panel.problem is not None
            and "Resource Not Found" in body.text
        )

    async def open_the_404(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: the_404_is_open(pilot.app), "the 404, its panel and body")

    assert snap_compare(HistoryHost(store), terminal_size=SIZE, run_before=open_the_404)


async def test_keys_on_an_empty_table_do_not_crash(tmp_path: Path) -> None:
    app = HistoryHost(HistoryStore(tmp_path / "empty.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "up", "pagedown", "end", "home", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen) and app.screen.shown is None


async def test_a_corrupt_row_is_reported_and_the_rest_still_listed(tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    store = HistoryStore(tmp_path / "history.sqlite3")
    base = "https://us6.api.mailchimp.com/3.0/"
    for outcome in (make_outcome(200, body={"lists": []}), not_found(), make_outcome(200)):
        store.record(outcome, base_url=base)
    store.close()
    with closing(sqlite3.connect(store.path)) as conn, conn:
        conn.execute("UPDATE entries SET attempts_json = '[{\"kind\": 7' WHERE id = 2")
    app = HistoryHost(HistoryStore(store.path))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await wait_until(pilot, lambda: screen.query_one(DataTable).row_count == 2, "2 rows")
        said = [n.message for n in app._notifications]
        assert any("entry 2: cannot be read" in message for message in said)


async def test_a_bundle_never_replaces_a_file_without_asking(run: Run, tmp_path: Path) -> None:
    bundles = run.store.path.parent / "bundles"
    bundles.mkdir()
    (bundles / "bundle-2.md").write_text("an earlier bundle", "utf-8")
    await run.pilot.press("down", "b")
    await wait_until(run.pilot, lambda: isinstance(run.app.screen, PathPromptScreen), "prompt")
    prompt = run.app.screen
    assert Path(prompt.query_one(Input).value) == bundles / "bundle-2-1.md"  # a free name
    prompt.query_one(Input).value = str(bundles / "bundle-2.md")  # the user insists
    await run.pilot.press("enter")
    await wait_until(run.pilot, lambda: isinstance(run.app.screen, ConfirmDialog), "the question")
    await run.pilot.press("escape")  # the cautious answer
    await settle(run.pilot)
    assert (bundles / "bundle-2.md").read_text("utf-8") == "an earlier bundle"
    await run.pilot.press("b")
    await wait_until(run.pilot, lambda: isinstance(run.app.screen, PathPromptScreen), "prompt")
    run.app.screen.query_one(Input).value = str(bundles / "bundle-2.md")
    await run.pilot.press("enter")
    await wait_until(run.pilot, lambda: isinstance(run.app.screen, ConfirmDialog), "the question")
    await run.pilot.click("#yes")
    await wait_until(
        run.pilot,
        lambda: "Resource Not Found" in (bundles / "bundle-2.md").read_text("utf-8"),
        "the bundle replaced",
    )


async def test_columns_are_as_wide_as_their_cells_from_the_first_frame(run: Run) -> None:
    table = run.screen.query_one(DataTable)
    widths = {str(c.label): (c.width, c.auto_width) for c in table.columns.values()}
    # Fixed when listed (not measured later, when a first frame had clipped them).
    assert widths["path"] == (len("/3.0/lists/no-such-list"), False)
    assert widths["problem"] == (len("Resource Not Found"), False)
