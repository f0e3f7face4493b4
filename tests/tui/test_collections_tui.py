"""Saved requests and history in the whole explorer (Pilot), against a real loopback sandbox.

Collections are real folders under tmp_path; history is a real SQLite file in the
isolated user data dir (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, TabbedContent
from textual.worker import WorkerCancelled

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.collections.format import SavedRequest
from mcexplorer.core.collections.store import Collection
from mcexplorer.core.history.store import HistoryStore
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.dialogs.confirm import ConfirmDialog
from mcexplorer.tui.screens.explorer import ExplorerScreen
from mcexplorer.tui.screens.history import HistoryScreen
from mcexplorer.tui.screens.save_request import SaveRequestScreen, SaveTarget
from mcexplorer.tui.widgets.collection_tree import DIRTY_MARK, CollectionTree
from mcexplorer.tui.widgets.composer import Composer

SIZE = (120, 40)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=0) as running:
        yield running


@pytest.fixture(scope="module")
def list_id(server: SandboxServer) -> str:
    response = httpx.get(server.api_url + "lists", auth=("any", server.demo_key))
    response.raise_for_status()
    return str(response.json()["lists"][0]["id"])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "saved"
    root.mkdir()
    return root


@dataclass
class Session:
    app: ExplorerApp
    pilot: Pilot[None]
    server: SandboxServer
    folder: Path

    @property
    def screen(self) -> ExplorerScreen:
        return self.app.explorer

    @property
    def tree(self) -> CollectionTree:
        return self.screen.query_one(CollectionTree)

    @property
    def composer(self) -> Composer:
        return self.screen.query_one(Composer)

    async def settle(self) -> None:
        for _ in range(3):
            await self.pilot.pause()
            with contextlib.suppress(WorkerCancelled):
                await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    def tree_labels(self) -> list[str]:
        labels: list[str] = []
        stack = list(reversed(self.tree.root.children))
        while stack:
            node = stack.pop()
            labels.append(str(node.label))
            stack.extend(reversed(node.children))
        return labels

    async def open_saved(self, rel: str) -> None:
        self.screen.action_show_saved()
        node = self.tree.node_of(PurePosixPath(rel))
        assert node is not None, self.tree_labels()
        self.tree.move_cursor(node)
        await self.pilot.pause()
        await self.pilot.press("enter")
        await self.settle()

    async def send_path(self, path: str, **params: str) -> None:
        self.composer.query_one("#path", Input).value = path
        await self.pilot.pause()
        for name, value in params.items():
            self.composer.query_one(f"#param-{name}", Input).value = value
        await self.pilot.pause()
        await self.pilot.press("ctrl+s")
        await self.settle()

    async def answer_dialog(self, name: str, description: str = "") -> None:
        dialog = self.app.screen
        assert isinstance(dialog, SaveRequestScreen)
        dialog.query_one("#save-name", Input).value = name
        if description:
            dialog.query_one("#save-description", Input).value = description
        await self.pilot.pause()
        await self.pilot.click("#save")
        await self.settle()

    def notes(self) -> list[str]:
        return [n.message for n in self.app._notifications]


async def start(server: SandboxServer, folder: Path, **options: bool) -> AsyncIterator[Session]:
    creds = Credentials.api_key(server.demo_key)
    target = Target(creds, server.api_url, f"sandbox {creds.masked}", profile="sandbox")
    app = ExplorerApp(target=target, collections_dir=folder, **options)
    async with app.run_test(size=SIZE) as pilot:
        running = Session(app, pilot, server, folder)
        await running.settle()
        yield running


@pytest.fixture
async def session(server: SandboxServer, folder: Path) -> AsyncIterator[Session]:
    async for running in start(server, folder):
        yield running


def save_file(folder: Path, rel: str, req: ApiRequest, description: str = "") -> None:
    Collection.load(folder).save(rel, SavedRequest(req, description))


# ----- collections ---------------------------------------------------------------------


async def test_save_after_sending_writes_a_file_without_the_key(
    session: Session, list_id: str
) -> None:
    await session.send_path("/lists/{list_id}/members", list_id=list_id)
    await session.pilot.press("f4")  # nothing opened yet: asks for a name
    await session.pilot.pause()
    dialog = session.app.screen
    assert isinstance(dialog, SaveRequestScreen)
    assert dialog.query_one("#save-name", Input).value == "lists/get-list-members-info"
    await session.answer_dialog("audience/members", "first page of members")
    path = session.folder / "audience" / "members.request.json"
    text = path.read_text("utf-8")
    assert session.server.demo_key not in text and session.server.demo_key[:32] not in text
    data = json.loads(text)
    assert data["path_params"] == {"list_id": list_id}
    assert data["description"] == "first page of members"
    assert any("members" in label for label in session.tree_labels())
    assert session.composer.border_title == "audience/members"


async def test_choosing_a_saved_request_fills_the_composer(
    server: SandboxServer, folder: Path, list_id: str
) -> None:
    save_file(
        folder, "lists/members", ApiRequest("GET", "/lists/{list_id}/members", {"list_id": list_id})
    )
    save_file(folder, "ping", ApiRequest("GET", "/ping"))
    async for session in start(server, folder):
        assert session.tree_labels() == ["lists/", "GET    members", "GET    ping"]
        await session.open_saved("lists/members.request.json")
        built = session.composer.build()
        assert (built.method, built.path, built.path_params) == (
            "GET",
            "/lists/{list_id}/members",
            {"list_id": list_id},
        )
        assert session.composer.border_title == "lists/members"
        await session.pilot.press("ctrl+s")
        await session.settle()
        assert session.screen.query_one("#response").outcome.status == 200  # type: ignore[attr-defined]


async def test_collection_variables_fill_in_but_stay_in_the_file(
    server: SandboxServer, folder: Path, list_id: str
) -> None:
    coll = Collection.load(folder)
    coll.variables = {"list_id": list_id}
    coll.save_variables()
    save_file(folder, "members", ApiRequest("GET", "/lists/{list_id}/members", {"list_id": ""}))
    async for session in start(server, folder):
        await session.open_saved("members.request.json")
        assert session.composer.build().path_params == {"list_id": list_id}
        session.composer.query_one("#count", Input).value = "5"
        await session.settle()
        await session.pilot.press("f4")
        await session.settle()
        data = json.loads((folder / "members.request.json").read_text("utf-8"))
        assert data["path_params"] == {"list_id": ""} and data["query"] == {"count": "5"}


async def test_unsaved_marker_appears_on_edit_and_goes_on_save(
    server: SandboxServer, folder: Path
) -> None:
    save_file(folder, "ping", ApiRequest("GET", "/ping"))
    async for session in start(server, folder):
        await session.open_saved("ping.request.json")
        assert DIRTY_MARK not in "".join(session.tree_labels())
        session.composer.query_one("#headers", Input).value = "X-Note: a"
        await session.settle()
        assert session.tree_labels() == [f"GET    ping {DIRTY_MARK}"]
        assert session.composer.border_title == f"ping {DIRTY_MARK} unsaved"
        session.composer.query_one("#headers", Input).value = ""  # back as saved
        await session.settle()
        assert session.tree_labels() == ["GET    ping"]
        session.composer.query_one("#headers", Input).value = "X-Note: b"
        await session.settle()
        await session.open_saved("ping.request.json")  # would drop the edit: asks first
        assert isinstance(session.app.screen, ConfirmDialog)
        await session.pilot.press("escape")
        await session.settle()
        assert session.composer.query_one("#headers", Input).value == "X-Note: b"
        await session.pilot.press("f4")
        await session.settle()
        assert session.tree_labels() == ["GET    ping"]
        assert session.composer.border_title == "ping"
        saved = json.loads((folder / "ping.request.json").read_text("utf-8"))
        assert saved["path"] == "/ping" and saved["headers"] == {"X-Note": "b"}


async def test_f4_on_another_operation_saves_a_new_request_not_over_the_file(
    server: SandboxServer, folder: Path
) -> None:
    save_file(folder, "ping", ApiRequest("GET", "/ping"))
    before = (folder / "ping.request.json").read_text("utf-8")
    async for session in start(server, folder):
        await session.open_saved("ping.request.json")
        session.composer.query_one("#path", Input).value = "/lists"
        await session.settle()
        assert "another operation" in str(session.composer.border_title)
        await session.pilot.press("f4")
        await session.settle()
        dialog = session.app.screen
        assert isinstance(dialog, SaveRequestScreen)  # a name for the new request
        assert dialog.query_one("#save-name", Input).value != "ping"
        dialog.query_one("#save-name", Input).value = "all-lists"
        await session.pilot.press("enter")
        await session.settle()
        assert (folder / "ping.request.json").read_text("utf-8") == before
        new = json.loads((folder / "all-lists.request.json").read_text("utf-8"))
        assert new["path"] == "/lists"
        assert session.screen.saved.opened is not None
        assert session.screen.saved.opened.rel == PurePosixPath("all-lists.request.json")


async def test_new_request_detaches_the_composer_from_the_saved_file(
    server: SandboxServer, folder: Path
) -> None:
    save_file(folder, "ping", ApiRequest("GET", "/ping"))
    before = (folder / "ping.request.json").read_text("utf-8")
    async for session in start(server, folder):
        await session.open_saved("ping.request.json")
        await session.pilot.press("ctrl+n")
        await session.settle()
        assert session.screen.saved.opened is None and session.composer.border_title is None
        assert session.composer.query_one("#path", Input).value == "/"
        session.composer.query_one("#path", Input).value = "/ping"
        await session.settle()
        await session.pilot.press("f4")  # attached to nothing: asks for a name
        await session.settle()
        assert isinstance(session.app.screen, SaveRequestScreen)
        await session.pilot.press("escape")
        await session.settle()
        assert (folder / "ping.request.json").read_text("utf-8") == before


async def test_rename_duplicate_and_delete_from_the_tree(
    server: SandboxServer, folder: Path
) -> None:
    save_file(folder, "ping", ApiRequest("GET", "/ping"))
    async for session in start(server, folder):
        await session.open_saved("ping.request.json")
        await session.pilot.press("r")
        await session.pilot.pause()
        await session.answer_dialog("health/check")
        assert not (folder / "ping.request.json").exists()
        assert (folder / "health" / "check.request.json").exists()
        assert session.screen.saved.opened is not None
        assert session.screen.saved.opened.rel == PurePosixPath("health/check.request.json")

        session.tree.move_cursor(session.tree.node_of(PurePosixPath("health/check.request.json")))
        await session.pilot.press("d")
        await session.settle()
        assert (folder / "health" / "check-copy.request.json").exists()

        session.tree.move_cursor(
            session.tree.node_of(PurePosixPath("health/check-copy.request.json"))
        )
        await session.pilot.press("delete")
        await session.pilot.pause()
        assert isinstance(session.app.screen, ConfirmDialog)
        await session.pilot.press("escape")  # cautious default: keep it
        await session.settle()
        assert (folder / "health" / "check-copy.request.json").exists()
        await session.pilot.press("delete")
        await session.pilot.pause()
        await session.pilot.click("#yes")
        await session.settle()
        assert not (folder / "health" / "check-copy.request.json").exists()
        assert session.tree_labels() == ["health/", "GET    check"]


async def test_a_corrupt_file_shows_its_error_and_the_rest_still_load(
    server: SandboxServer, folder: Path
) -> None:
    save_file(folder, "ping", ApiRequest("GET", "/ping"))
    (folder / "broken.request.json").write_text('{\n  "method": "GET",\n  "path": \n}\n', "utf-8")
    async for session in start(server, folder):
        labels = session.tree_labels()
        assert "GET    ping" in labels
        broken = [label for label in labels if "broken.request.json" in label]
        assert broken and broken[0].startswith("⚠ broken.request.json:4")
        assert "not valid JSON" in broken[0]
        node = next(n for n in session.tree.root.children if "broken" in str(n.label))
        session.screen.action_show_saved()
        session.tree.move_cursor(node)
        await session.pilot.press("enter")
        await session.settle()
        assert any("broken.request.json, line 4: not valid JSON" in n for n in session.notes())
        # Saving over the broken file asks first.
        session.composer.query_one("#path", Input).value = "/ping"
        await session.settle()
        await session.pilot.press("f5")
        await session.pilot.pause()
        await session.answer_dialog("broken")
        assert isinstance(session.app.screen, ConfirmDialog)
        await session.pilot.click("#yes")
        await session.settle()
        assert json.loads((folder / "broken.request.json").read_text("utf-8"))["path"] == "/ping"
        assert not any(label.startswith("⚠") for label in session.tree_labels())


async def test_a_file_changed_on_disk_asks_before_overwriting(
    server: SandboxServer, folder: Path
) -> None:
    save_file(folder, "ping", ApiRequest("GET", "/ping"))
    async for session in start(server, folder):
        await session.open_saved("ping.request.json")
        save_file(folder, "ping", ApiRequest("GET", "/ping", query={"fields": "health_status"}))
        session.composer.query_one("#headers", Input).value = "X-Note: mine"
        await session.settle()
        await session.pilot.press("f4")
        await session.settle()
        dialog = session.app.screen
        assert isinstance(dialog, ConfirmDialog) and "changed on disk" in dialog.question
        await session.pilot.press("escape")
        await session.settle()
        on_disk = json.loads((folder / "ping.request.json").read_text("utf-8"))
        assert on_disk["query"] == {"fields": "health_status"}  # kept: nothing is lost
        await session.pilot.press("f4")
        await session.settle()
        await session.pilot.click("#yes")
        await session.settle()
        assert json.loads((folder / "ping.request.json").read_text("utf-8"))["headers"] == {
            "X-Note": "mine"
        }


async def test_a_key_in_a_header_is_refused_and_nothing_is_written(session: Session) -> None:
    session.composer.query_one("#path", Input).value = "/ping"
    session.composer.query_one("#headers", Input).value = f"X-Note: {session.server.demo_key}"
    await session.settle()
    await session.pilot.press("f5")
    await session.pilot.pause()
    await session.answer_dialog("leaky")
    assert not (session.folder / "leaky.request.json").exists()
    assert any("Refusing to save a credential" in note for note in session.notes())
    assert all(session.server.demo_key not in note for note in session.notes())


# ----- history in the explorer ---------------------------------------------------------


async def test_sent_requests_are_recorded_and_listed(session: Session) -> None:
    await session.send_path("/ping")
    await session.send_path("/lists/{list_id}", list_id="no-such-list")
    entries = HistoryStore().list()
    assert [(e.outcome.status, e.profile) for e in entries] == [(404, "sandbox"), (200, "sandbox")]
    await session.pilot.press("f6")
    await session.settle()
    history = session.app.screen
    assert isinstance(history, HistoryScreen)
    assert history.query_one(DataTable).row_count == 2
    history.query_one("#history-status", Select).value = "4xx"
    await session.settle()
    assert history.query_one(DataTable).row_count == 1
    assert history.query_one("#history-problem").display


async def test_resend_from_history_fills_the_composer_and_sends(session: Session) -> None:
    await session.send_path("/lists/{list_id}", list_id="no-such-list")
    await session.send_path("/ping")
    await session.pilot.press("f6")
    await session.settle()
    await session.pilot.press("down", "r")
    await session.settle()
    assert session.app.screen is session.screen
    built = session.composer.build()
    assert (built.path, built.path_params) == ("/lists/{list_id}", {"list_id": "no-such-list"})
    assert [e.outcome.status for e in HistoryStore().list()] == [404, 200, 404]


async def test_save_from_history_into_the_collection(session: Session) -> None:
    await session.send_path("/ping")
    await session.pilot.press("f6")
    await session.settle()
    await session.pilot.press("s")
    await session.pilot.pause()
    await session.answer_dialog("from-history")
    assert isinstance(session.app.screen, HistoryScreen)  # still browsing history
    assert json.loads((session.folder / "from-history.request.json").read_text())["path"] == "/ping"


async def test_history_off_records_nothing(server: SandboxServer, folder: Path) -> None:
    async for session in start(server, folder, history=False):
        await session.send_path("/ping")
        assert HistoryStore().count() == 0
        await session.pilot.press("f6")
        await session.settle()
        assert session.app.screen is session.screen
        assert any("History is off" in note for note in session.notes())


async def test_the_saved_tab_sits_beside_the_map(session: Session) -> None:
    session.screen.action_show_saved()
    await session.pilot.pause()
    assert session.screen.query_one("#sidebar-tabs", TabbedContent).active == "tab-saved"
    assert session.app.focused is session.tree
    assert any("No saved requests yet" in label for label in session.tree_labels())


async def test_variables_show_their_values_and_unresolved_ones_are_refused_by_name(
    server: SandboxServer, folder: Path, list_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    coll = Collection.load(folder)
    coll.variables = {"list_id": list_id}
    coll.save_variables()
    monkeypatch.setenv("MCX_VAR_status", "subscribed")  # the process environment's layer
    members = ApiRequest(
        "GET", "/lists/{list_id}/members", {"list_id": "{{list_id}}"}, {"status": "{{status}}"}
    )
    save_file(folder, "members", members)
    save_file(folder, "tagged", ApiRequest("GET", "/lists", query={"fields": "{{nowhere}}"}))
    async for session in start(server, folder):
        await session.open_saved("members.request.json")
        assert session.composer.query_one("#param-list_id", Input).value == list_id
        hint = str(session.composer.query_one("#hint").render())
        assert f"list_id={list_id}" in hint and "status=subscribed" in hint
        await session.pilot.press("ctrl+s")
        await session.settle()
        outcome = session.screen.query_one("#response").outcome  # type: ignore[attr-defined]
        assert outcome.status == 200 and outcome.request.query == {"status": "subscribed"}
        await session.open_saved("tagged.request.json")
        assert "no value for: nowhere" in str(session.composer.query_one("#hint").render())
        await session.pilot.press("ctrl+s")
        await session.settle()
        issues = str(session.composer.query_one("#issues").render())
        assert "variables: no value for {{nowhere}}" in issues
        assert session.screen.query_one("#response").outcome is outcome  # type: ignore[attr-defined]


async def test_a_dialog_answered_twice_closes_only_itself(session: Session) -> None:
    """Enter pressed twice before the dialog is gone: the second answer is dropped (it
    closed the explorer under it: ScreenStackError, found by tui-monkey)."""
    answers: list[SaveTarget | None] = []
    dialog = SaveRequestScreen("Save request as", "lists/all")
    session.app.push_screen(dialog, answers.append)
    await session.pilot.pause()
    dialog.dismiss(None)
    dialog.dismiss(None)
    await session.settle()
    assert session.app.screen is session.screen and answers == [None]
