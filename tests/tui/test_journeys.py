"""Journeys: what each kind of user does, end to end, on the whole app over a real sandbox.

Keys go in as a person presses them; the assertions are on what the screen shows and on
what reached the sandbox (its stats and its data), not on the app's internals.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TabbedContent
from textual.widgets.tree import TreeNode

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.dialogs.confirm import ConfirmDialog
from mcexplorer.tui.screens.explorer import ExplorerScreen
from mcexplorer.tui.screens.glossary import GlossaryScreen
from mcexplorer.tui.screens.history import HistoryScreen
from mcexplorer.tui.screens.save_request import PathPromptScreen, SaveRequestScreen
from mcexplorer.tui.widgets.collection_tree import CollectionTree
from mcexplorer.tui.widgets.json_view import JsonView
from mcexplorer.tui.widgets.problem_panel import ProblemPanel
from mcexplorer.tui.widgets.resource_map import MapEntry, ResourceMap
from mcexplorer.tui.widgets.response_view import ResponseView
from tests.tui.apps.widget_hosts import screen_text
from tests.tui.waiting import settle_workers, wait_until

SIZE = (140, 42)
# DuplicateIds 'param-list_id' in Composer._rebuild_params (issue 13, crash 1): T1 fixes it.


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=0) as running:
        yield running


@dataclass
class Journey:
    app: ExplorerApp
    pilot: Pilot[None]
    server: SandboxServer
    admin: httpx.Client

    @property
    def explorer(self) -> ExplorerScreen:
        return self.app.explorer

    @property
    def map(self) -> ResourceMap:
        return self.explorer.query_one(ResourceMap)

    def stats(self) -> dict[str, Any]:
        return dict(self.server.stats())

    def shown(self) -> str:
        return screen_text(self.app)

    def body(self) -> str:
        return self.explorer.query_one("#response", ResponseView).query_one(JsonView).text

    def status(self) -> str:
        return str(self.explorer.query_one("#response #status").render())

    async def until(self, condition: Any, what: str) -> None:
        await wait_until(self.pilot, condition, what)

    def child(self, node: TreeNode[MapEntry], label: str) -> TreeNode[MapEntry]:
        found = [n for n in node.children if str(n.label).split("  ")[0] == label]
        assert found, f"no {label!r} under {node.label}: {[str(n.label) for n in node.children]}"
        return found[0]

    async def open(self, node: TreeNode[MapEntry]) -> None:
        """Cursor to the node, Enter (selects it and opens it), and wait for its children."""
        self.map.focus()
        self.map.move_cursor(node)
        await self.pilot.pause()
        await self.pilot.press("enter")
        await self.until(
            lambda: bool(node.children) or not node.allow_expand, f"{node.label} opened"
        )

    async def send(self) -> int:
        """Ctrl+S and wait for the response of this send on screen; the sandbox's count."""
        before = self.stats()["requests"]
        shown_before = self.explorer.query_one("#response", ResponseView).outcome
        await self.pilot.press("ctrl+s")
        await self.until(
            lambda: (
                self.explorer.query_one("#response", ResponseView).outcome
                not in (None, shown_before)
                and bool(self.body())
            ),
            "the response",
        )
        return int(self.stats()["requests"]) - int(before)

    def composer_input(self, name: str) -> Input:
        return self.explorer.query_one(f"#{name}", Input)


@pytest.fixture
async def journey(server: SandboxServer, tmp_path: Path) -> AsyncIterator[Journey]:
    async with start(server, tmp_path) as running:
        yield running


@contextlib.asynccontextmanager
async def start(server: SandboxServer, tmp_path: Path) -> AsyncIterator[Journey]:
    creds = Credentials.api_key(server.demo_key)
    target = Target(creds, server.api_url, f"sandbox {creds.masked}", profile="sandbox")
    (tmp_path / "collections").mkdir()
    app = ExplorerApp(target=target, collections_dir=tmp_path / "collections", environ={})
    admin = httpx.Client(base_url=server.api_url, auth=("any", server.demo_key))
    async with app.run_test(size=SIZE) as pilot:
        running = Journey(app, pilot, server, admin)
        await running.until(lambda: bool(running.map.root.children), "the map's first level")
        await running.until(lambda: app.explorer.saved.collection is not None, "the Saved tab")
        yield running
    admin.close()


def first_list(journey: Journey) -> dict[str, Any]:
    return dict(journey.admin.get("lists").json()["lists"][0])


# ----- developer -----------------------------------------------------------------------


async def test_developer_browses_the_map_down_to_a_member_and_sends(journey: Journey) -> None:
    audience = first_list(journey)
    lists = journey.child(journey.map.root, "lists")
    await journey.open(lists)
    assert lists.children and audience["name"] in [str(n.label) for n in lists.children]
    audience_node = journey.child(lists, audience["name"])
    await journey.open(audience_node)
    members = journey.child(audience_node, "members")
    await journey.open(members)
    page = journey.admin.get(f"lists/{audience['id']}/members").json()["members"]
    first_email = page[0]["email_address"]
    assert first_email[:16] in journey.shown()  # the sidebar is narrow: its start
    await journey.open(journey.child(members, first_email))
    # The composer shows the member's template with its parameters filled in.
    assert journey.composer_input("path").value == "/lists/{list_id}/members/{subscriber_hash}"
    assert journey.composer_input("param-list_id").value == audience["id"]
    assert journey.composer_input("param-subscriber_hash").value == page[0]["id"]
    assert await journey.send() == 1  # exactly the member's GET reached the sandbox
    assert journey.status().startswith("200")
    assert first_email in journey.body()


async def test_developer_pages_through_members_from_the_map(journey: Journey) -> None:
    audience = first_list(journey)
    total = journey.admin.get(f"lists/{audience['id']}/members").json()["total_items"]
    lists = journey.child(journey.map.root, "lists")
    await journey.open(lists)
    audience_node = journey.child(lists, audience["name"])
    await journey.open(audience_node)
    members = journey.child(audience_node, "members")
    await journey.open(members)
    more = members.children[-1]
    assert str(more.label) == f"more… (10 of {total})"
    links = len(members.children) - 11  # its links (create…) come before its items
    requests = journey.stats()["requests"]
    journey.map.move_cursor(more)
    await journey.pilot.press("enter")
    await journey.until(lambda: str(members.children[-1].label).startswith("more… (20"), "p. 2")
    assert journey.stats()["requests"] == requests + 1  # one page, offset 10
    second = journey.admin.get(
        f"lists/{audience['id']}/members", params={"offset": 10, "count": 10}
    ).json()["members"]
    labels = [str(n.label) for n in members.children]
    assert len(labels) == links + 21 and labels[links + 10] == second[0]["email_address"]


async def test_developer_sends_an_operation_from_the_catalog_and_pages(journey: Journey) -> None:
    audience = first_list(journey)
    await journey.pilot.press("ctrl+o")
    assert journey.explorer.query_one("#sidebar-tabs", TabbedContent).active == "tab-ops"
    await journey.pilot.press(*"getlistsidmembers", "enter")  # the filter, then the list
    await journey.pilot.press("enter")  # its first row is highlighted
    await journey.until(
        lambda: "param-list_id" in [w.id for w in journey.explorer.query(Input)], "the params"
    )
    assert journey.composer_input("path").value == "/lists/{list_id}/members"
    journey.composer_input("param-list_id").value = audience["id"]
    await journey.pilot.pause()
    assert await journey.send() == 1
    assert "1–10 of" in journey.shown()
    journey.map.focus()  # the map's tree has page keys of its own: the screen's come first
    await journey.pilot.press("ctrl+pagedown")  # the next page, as the key list says
    await journey.until(lambda: "11–20 of" in journey.shown(), "page 2")
    shown = journey.explorer.query_one("#response", ResponseView).outcome
    assert shown is not None and "offset=10" in shown.url


# ----- support -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "title", "retried"),
    [
        ("TooManyRequests", "Too Many Requests", True),
        ("ResourceNotFound", "Resource Not Found", False),
        ("APIKeyInvalid", "API Key Invalid", False),
    ],
)
async def test_support_reproduces_an_error_and_reads_panel_and_glossary(
    journey: Journey, trigger: str, title: str, retried: bool
) -> None:
    journey.composer_input("path").value = "/ping"
    journey.explorer.query_one("#trigger", Select).value = trigger
    await journey.pilot.pause()
    sent = await journey.send()
    panel = journey.explorer.query_one(ProblemPanel)
    await journey.until(lambda: panel.display and panel.problem is not None, "the panel")
    assert title in journey.shown()
    # A 429 is retried (it was rejected before processing); the others are not.
    assert (sent > 1) is retried
    await journey.pilot.press("f2")
    await journey.until(lambda: isinstance(journey.app.screen, GlossaryScreen), "the glossary")
    await journey.pilot.press(*title.lower()[:8])
    await journey.until(lambda: title in journey.shown(), "the entry in the glossary")
    await journey.pilot.press("escape")
    assert journey.app.screen is journey.explorer


async def test_support_resends_from_history_and_writes_a_bundle(
    journey: Journey, tmp_path: Path
) -> None:
    journey.composer_input("path").value = "/ping"
    journey.explorer.query_one("#trigger", Select).value = "ResourceNotFound"
    await journey.pilot.pause()
    await journey.send()
    await journey.pilot.press("f6")
    await journey.until(lambda: isinstance(journey.app.screen, HistoryScreen), "history")
    history = journey.app.screen
    assert isinstance(history, HistoryScreen)
    await journey.until(lambda: history.shown is not None, "the entry opened")
    before = journey.stats()["requests"]
    await journey.pilot.press("r")
    await journey.until(lambda: journey.stats()["requests"] == before + 1, "the re-send")
    assert journey.app.screen is journey.explorer
    await journey.pilot.press("f6")
    await journey.until(lambda: isinstance(journey.app.screen, HistoryScreen), "history")
    await settle_workers(journey.pilot)
    await journey.pilot.press("b")
    await journey.until(lambda: isinstance(journey.app.screen, PathPromptScreen), "the prompt")
    target = tmp_path / "support.md"
    journey.app.screen.query_one(Input).value = str(target)
    await journey.pilot.press("enter")
    await journey.until(target.exists, "the bundle file")
    text = target.read_text("utf-8")
    assert "404" in text and journey.server.demo_key not in text


async def test_support_watches_twenty_requests_share_ten_slots_under_latency(
    tmp_path: Path,
) -> None:
    with SandboxServer(seed=0, latency_ms=60) as slow:
        async with start(slow, tmp_path) as journey:
            journey.composer_input("path").value = "/ping"
            await journey.pilot.pause()
            before = journey.stats()["requests"]
            await journey.pilot.press("ctrl+r")
            await journey.until(
                lambda: any("Repeated ×20" in n.message for n in journey.app._notifications),
                "the summary",
            )
            said = [n.message for n in journey.app._notifications if "Repeated" in n.message]
            assert said == ["Repeated ×20: 20× 200; peak 10"]
            stats = journey.stats()
            assert stats["requests"] - before == 20 and stats["peak_in_flight"] == 10
            assert "peak 10" in journey.shown()  # the slot gauge saw the slots fill


# ----- team ----------------------------------------------------------------------------


async def test_team_saves_reopens_and_runs_a_request(journey: Journey, tmp_path: Path) -> None:
    journey.composer_input("path").value = "/lists"
    await journey.pilot.pause()
    await journey.pilot.press("f4")
    await journey.until(lambda: isinstance(journey.app.screen, SaveRequestScreen), "the dialog")
    journey.app.screen.query_one("#save-name", Input).value = "team/all-lists"
    await journey.pilot.click("#save")
    saved = tmp_path / "collections" / "team" / "all-lists.request.json"
    await journey.until(saved.exists, "the saved file")
    journey.composer_input("path").value = "/ping"  # someone moves on to something else
    await journey.pilot.pause()
    journey.explorer.action_show_saved()
    tree = journey.explorer.query_one(CollectionTree)
    rel = PurePosixPath("team/all-lists.request.json")
    await journey.until(lambda: tree.node_of(rel) is not None, "the tree")
    node = tree.node_of(rel)
    assert node is not None
    tree.move_cursor(node)
    await journey.pilot.press("enter")
    # The composer holds an unsaved edit of the opened request: it asks before dropping it.
    await journey.until(lambda: isinstance(journey.app.screen, ConfirmDialog), "the question")
    assert "unsaved changes" in journey.shown()
    await journey.pilot.click("#yes")
    await journey.until(lambda: journey.composer_input("path").value == "/lists", "reopened")
    assert await journey.send() == 1
    assert journey.status().startswith("200") and '"lists": [' in journey.body()
