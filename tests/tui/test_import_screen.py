"""The members import screen (Pilot) against a sandbox on a real loopback socket.

The screen is hosted alone, over an engine of its own; what it reports is checked against
the sandbox's own counters (`/_sandbox/stats`), never against the screen's word alone.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static
from textual.worker import WorkerCancelled

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.bulk.batch_jobs import PollPolicy
from mcexplorer.core.bulk.csv_rows import parse_csv
from mcexplorer.core.bulk.import_journal import journal_path_for
from mcexplorer.core.bulk.members_import import MergeField, plan_import
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import subscriber_hash
from mcexplorer.core.http.retry import RetryPolicy
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.screens.import_screen import ImportScreen, preview_rows
from mcexplorer.tui.widgets.slot_gauge import SlotGauge
from tests import sandbox_fixtures
from tests.tui.waiting import wait_until

# Shared fixtures: a reset sandbox and its first audience.
admin = sandbox_fixtures.admin
list_id = sandbox_fixtures.list_id

SIZE = (120, 40)
FAST_POLL = PollPolicy(first_s=0.05, cap_s=0.2)
INVALID_TAIL = "not-an-address,X,Y\nimp3@fernpost.net,Again,Z\n"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    # A little latency so the direct route's rows overlap in the slots.
    with SandboxServer(seed=11, latency_ms=5) as server:
        yield server


def members_csv(path: Path, count: int, extra: str = "") -> Path:
    lines = ["email,First Name,LNAME"]
    lines += [f"imp{n}@fernpost.net,Name{n},Zed" for n in range(count)]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8", newline="")
    return path


def stats(admin: httpx.Client) -> dict[str, Any]:
    data: dict[str, Any] = admin.get("/_sandbox/stats").json()
    return data


class ImportHost(App[None]):
    """Opens an engine on the sandbox and shows one ImportScreen over it."""

    def __init__(self, sandbox: SandboxServer, **screen_options: Any) -> None:
        super().__init__()
        self.sandbox = sandbox
        self.screen_options = screen_options
        self.engine: Engine | None = None
        self.import_screen: ImportScreen | None = None

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.engine = Engine(
            self.sandbox.api_url,
            Credentials.api_key(self.sandbox.demo_key),
            policy=RetryPolicy(base_s=0.01),
        )
        self.import_screen = ImportScreen(self.engine, **self.screen_options)
        self.push_screen(self.import_screen)

    async def on_unmount(self) -> None:
        if self.engine is not None:
            await self.engine.aclose()


async def settled(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_of(pilot: Pilot[Any]) -> ImportScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    return screen


async def choose(pilot: Pilot[Any], list_id: str, path: Path, route: str = "direct") -> None:
    screen = screen_of(pilot)
    await settled(pilot)  # the audiences are listed
    screen.query_one("#audience", Select).value = list_id
    screen.query_one("#route", Select).value = route
    screen.query_one("#csv-path", Input).value = str(path)
    await settled(pilot)


def note_text(screen: ImportScreen) -> str:
    return str(screen.query_one("#import-note", Static).render())


def preview_cells(screen: ImportScreen) -> dict[str, list[str]]:
    """line -> the row's cells as text (line, check, columns..., problem)."""
    table = screen.query_one("#preview", DataTable)
    return {
        str(row_key.value): [str(cell) for cell in table.get_row(row_key)] for row_key in table.rows
    }


async def test_preview_lists_invalid_rows_by_line_and_sends_nothing(
    sandbox: SandboxServer, admin: httpx.Client, list_id: str, tmp_path: Path
) -> None:
    source = members_csv(tmp_path / "m.csv", 30, extra=INVALID_TAIL)
    app = ImportHost(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, list_id, source)
        screen = screen_of(pilot)
        rows = preview_cells(screen)
        # The first 20 rows, then the invalid ones further down, by their line in the file.
        assert list(rows)[:3] == ["2", "3", "4"] and len(rows) == 22
        assert rows["32"][1] == "✗" and "'not-an-address' is not a valid email" in rows["32"][-1]
        assert rows["33"][-1] == "imp3@fernpost.net already appears on line 5"
        assert rows["2"][1] == "✓" and rows["2"][2] == "imp0@fernpost.net"
        assert "30 rows ready, 2 invalid (never sent)" in note_text(screen)
        assert not screen.query_one("#start", Button).disabled
    assert stats(admin)["writes_applied"] == 0


async def test_a_bad_path_or_unknown_column_is_named_and_start_stays_off(
    sandbox: SandboxServer, admin: httpx.Client, list_id: str, tmp_path: Path
) -> None:
    app = ImportHost(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, list_id, tmp_path / "missing.csv")
        screen = screen_of(pilot)
        assert "no file at" in note_text(screen)
        assert screen.query_one("#start", Button).disabled
        odd = tmp_path / "odd.csv"
        odd.write_text("email,Shoe Size\na@fernpost.net,44\n", encoding="utf-8")
        screen.query_one("#csv-path", Input).value = str(odd)
        await settled(pilot)
        assert "'Shoe Size' are not merge fields" in note_text(screen)
        assert "(nothing was sent)" in note_text(screen)
        assert screen.query_one("#start", Button).disabled


async def test_direct_import_matches_the_sandbox_and_fills_the_gauge(
    sandbox: SandboxServer, admin: httpx.Client, list_id: str, tmp_path: Path
) -> None:
    source = members_csv(tmp_path / "m.csv", 30, extra=INVALID_TAIL)
    app = ImportHost(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, list_id, source)
        await pilot.click("#start")
        await settled(pilot)
        screen = screen_of(pilot)
        report = screen.report
        assert report is not None
        assert report.counts == {"created": 30}
        assert stats(admin)["writes_applied"] == 30 == report.requests
        gauge = screen.query_one("#import-slots", SlotGauge)
        assert gauge.snapshot is not None and gauge.snapshot.peak > 1
        assert screen.peak_in_flight > 1
        counts = screen.query_one("#result-counts", DataTable)
        assert [str(c) for c in counts.get_row("created")] == ["created", "30"]
        assert [str(c) for c in counts.get_row("invalid")] == ["invalid (not sent)", "2"]
        failed = screen.query_one("#failed-rows", DataTable)
        assert failed.row_count == 2
        assert screen.failed_csv == tmp_path / "m.failed.csv"
        assert "m.failed.csv" in note_text(screen)
    written = list(csv.DictReader((tmp_path / "m.failed.csv").open(encoding="utf-8")))
    assert [row["_line"] for row in written] == ["32", "33"]
    assert not journal_path_for(source).exists()  # nothing left to resume


async def test_batch_import_walks_the_stages_to_finished(
    sandbox: SandboxServer, admin: httpx.Client, list_id: str, tmp_path: Path
) -> None:
    source = members_csv(tmp_path / "m.csv", 30)
    app = ImportHost(sandbox, poll=FAST_POLL)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, list_id, source, route="batch")
        screen = screen_of(pilot)
        screen.query_one("#status-if-new", Select).value = "pending"
        await pilot.press("ctrl+s")
        await settled(pilot)
        report = screen.report
        assert report is not None and report.counts == {"created": 30}
        assert len(report.batches) == 1
        stage = str(screen.query_one("#import-batch", Static).render())
        assert "finished" in stage and "30/30 operations" in stage
        assert screen.failed_csv is None
    with httpx.Client(base_url=sandbox.api_url, auth=("any", sandbox.demo_key)) as api:
        member = api.get(f"lists/{list_id}/members/{subscriber_hash('imp7@fernpost.net')}")
        assert member.json()["status"] == "pending"  # status_if_new reached the API
    assert stats(admin)["writes_applied"] == 30 + 1  # the operations and the POST /batches


async def test_stop_mid_way_then_start_sends_only_the_rest(
    sandbox: SandboxServer, admin: httpx.Client, list_id: str, tmp_path: Path
) -> None:
    admin.put("/_sandbox/faults", json={"latency_ms": 40}).raise_for_status()
    source = members_csv(tmp_path / "m.csv", 40)
    app = ImportHost(sandbox, concurrency=2)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, list_id, source)
        screen = screen_of(pilot)
        await pilot.click("#start")
        for _ in range(1000):  # until some rows are done, whatever the machine's speed
            await pilot.pause(0.01)
            if screen.meter is not None and screen.meter.done >= 10:
                break
        await pilot.press("escape")
        await settled(pilot)
        assert screen.report is None and screen.running is False
        assert "Start again sends only the rest" in note_text(screen)
        assert journal_path_for(source).exists()
        for _ in range(1000):  # writes the server had already taken finish on their own
            if stats(admin)["in_flight"] == 0:
                break
            await pilot.pause(0.01)
        first = stats(admin)["writes_applied"]
        assert 10 <= first < 40

        await pilot.click("#start")
        await settled(pilot)
        report = screen.report
        assert report is not None
        resumed = report.counts.get("resumed", 0)
        assert resumed >= 10
        # Rows the journal had not seen are sent, or found already applied (unchanged).
        assert report.requests == 40 - resumed - report.counts.get("unchanged", 0)
        assert not report.failed
    final = stats(admin)
    assert final["writes_applied"] == 40 and final["writes_repeated"] == 0
    assert not journal_path_for(source).exists()


async def test_escape_without_an_import_goes_back(
    sandbox: SandboxServer, admin: httpx.Client
) -> None:
    app = ImportHost(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)


def test_preview_rows_keep_the_first_rows_and_every_invalid_one() -> None:
    text = "email,FNAME\n" + "".join(f"u{n}@fernpost.net,U\n" for n in range(5)) + "bad,X\n"
    table = parse_csv(text)
    plan = plan_import("L1", table, [MergeField("FNAME", "First Name", "text")])
    rows = preview_rows(table, plan, first=2)
    assert [(row.line, row.problem is None) for row in rows] == [(2, True), (3, True), (7, False)]


def test_snapshot_preview_with_invalid_rows(
    sandbox: SandboxServer,
    admin: httpx.Client,
    list_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    snap_compare: Callable[..., bool],
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative path on screen, the same from run to run
    members_csv(tmp_path / "members.csv", 24, extra=INVALID_TAIL + "ok@fernpost.net,A,B,extra\n")
    app = ImportHost(sandbox, list_id=list_id, csv_path=Path("members.csv"), clock=lambda: 1000.0)

    async def run_before(pilot: Pilot[Any]) -> None:
        def previewed() -> bool:
            return screen_of(pilot).query_one("#preview", DataTable).row_count > 0

        await wait_until(pilot, previewed, "the preview rows")
        screen_of(pilot).query_one("#preview", DataTable).focus()  # no blinking cursor
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_an_unfinished_import_offers_resume_or_start_over(
    sandbox: SandboxServer, admin: httpx.Client, list_id: str, tmp_path: Path
) -> None:
    source = members_csv(tmp_path / "m.csv", 3)
    journal_path_for(source).write_text(
        '{"format":"mcexplorer.import-journal/1","list_id":"' + list_id + '"}\n', encoding="utf-8"
    )
    app = ImportHost(sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, list_id, source)
        screen = screen_of(pilot)
        assert screen.query_one("#restart", Checkbox).display
        assert "stopped after 0 rows" in note_text(screen)


async def test_f7_in_the_explorer_imports_through_its_engine(
    sandbox: SandboxServer, admin: httpx.Client, list_id: str, tmp_path: Path
) -> None:
    source = members_csv(tmp_path / "m.csv", 12)
    creds = Credentials.api_key(sandbox.demo_key)
    app = ExplorerApp(target=Target(creds, sandbox.api_url, f"sandbox {creds.masked}"))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("f7")
        await pilot.pause()
        screen = screen_of(pilot)
        assert app.explorer.session is not None
        assert screen.engine is app.explorer.session.engine
        await choose(pilot, list_id, source)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert screen.report is not None and screen.report.counts == {"created": 12}
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.explorer
    assert stats(admin)["writes_applied"] == 12
