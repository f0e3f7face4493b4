"""The explorer driven headless (Pilot) against a real sandbox on a loopback socket.

Assertions are on widget state and on the messages the app posts (message_hook).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, TabbedContent, TextArea
from textual.worker import WorkerCancelled

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.messages import (
    LayoutFinished,
    LinkFollowed,
    RequestSubmitted,
    ResponseReceived,
    SlotsChanged,
)
from mcexplorer.tui.screens.explorer import ExplorerScreen
from mcexplorer.tui.widgets.composer import Composer
from mcexplorer.tui.widgets.json_tree import JsonTree
from mcexplorer.tui.widgets.json_view import JsonView
from mcexplorer.tui.widgets.operations_list import OperationsList
from mcexplorer.tui.widgets.problem_panel import ProblemPanel
from mcexplorer.tui.widgets.resource_map import ResourceMap
from mcexplorer.tui.widgets.response_view import ResponseView
from mcexplorer.tui.widgets.slot_gauge import SlotGauge

SIZE = (120, 40)


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=0) as running:
        yield running


@dataclass
class Session:
    app: ExplorerApp
    pilot: Pilot[None]
    server: SandboxServer
    messages: list[Message] = field(default_factory=list)

    @property
    def screen(self) -> ExplorerScreen:
        return self.app.explorer

    def posted(self, kind: type[Message] | tuple[type[Message], ...]) -> list[Message]:
        """Each message once (the hook sees it again at every node it bubbles to)."""
        unique = {id(m): m for m in self.messages if isinstance(m, kind)}
        return list(unique.values())

    def sent(self) -> list[ApiRequest]:
        """The requests the screen submitted, in order."""
        return [m.request for m in self.posted(RequestSubmitted)]  # type: ignore[attr-defined]

    def last_response(self) -> Outcome:
        return self.posted(ResponseReceived)[-1].outcome  # type: ignore[attr-defined]

    async def choose_operation(self, op_id: str, words: str) -> None:
        """Filter the Operations list by `words` and choose the operation `op_id`."""
        self.screen.action_toggle_view()
        self.screen.query_one("#ops-filter", Input).value = words
        await self.settle()
        options = self.screen.query_one("#ops-options", OptionList)
        options.highlighted = options.get_option_index(op_id)
        options.action_select()
        await self.settle()

    async def settle(self) -> None:
        """Let every worker (sends, map loads, formatting) finish and the screen catch up."""
        for _ in range(3):
            await self.pilot.pause()
            # An exclusive worker (formatting) cancelled by a newer one is fine here.
            with contextlib.suppress(WorkerCancelled):
                await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    def composer_input(self, name: str) -> Input:
        return self.screen.query_one(f"#{name}", Input)

    async def send_path(self, path: str, **inputs: str) -> None:
        self.composer_input("path").value = path
        for name, value in inputs.items():
            self.composer_input(name).value = value
        await self.pilot.pause()
        await self.pilot.press("ctrl+s")
        await self.settle()


@pytest.fixture
async def session(server: SandboxServer) -> AsyncIterator[Session]:
    creds = Credentials.api_key(server.demo_key)
    app = ExplorerApp(target=Target(creds, server.api_url, f"sandbox {creds.masked}"))
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        running = Session(app, pilot, server, messages)
        await running.settle()
        yield running


async def test_start_up_fills_in_the_held_back_parts_before_it_connects(
    server: SandboxServer,
) -> None:
    creds = Credentials.api_key(server.demo_key)
    app = ExplorerApp(target=Target(creds, server.api_url, f"sandbox {creds.masked}"))
    at_layout_finished: list[tuple[object, list[str | None], int]] = []

    def hook(message: Message) -> None:
        if isinstance(message, LayoutFinished):
            screen = app.explorer
            rows = [
                w.id for w in screen.query("#request-row > *, #query-row Input, #options-row Input")
            ]
            at_layout_finished.append((screen.session, rows, len(screen.query("#body"))))

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        for _ in range(3):
            await pilot.pause()
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete()
        engine, rows, bodies = at_layout_finished[0]
        assert engine is None  # nothing was sent before the whole layout was there
        assert rows == [
            *("method", "path", "send"),
            *("fields", "exclude_fields", "count", "offset", "query", "headers", "email"),
        ]
        assert bodies == 0  # the body editor waits until a body is wanted
        assert app.explorer.session is not None
        assert app.explorer.query_one(ResourceMap).root.children  # connected: the map is filled


def demo_get(server: SandboxServer, path: str) -> dict[str, object]:
    response = httpx.get(server.api_url.rstrip("/") + path, auth=("any", server.demo_key))
    response.raise_for_status()
    body: dict[str, object] = response.json()
    return body


def labels(node: object) -> list[str]:
    return [str(child.label) for child in node.children]  # type: ignore[attr-defined]


async def test_root_tree_shows_top_level_resources_and_header(session: Session) -> None:
    tree = session.screen.query_one(ResourceMap)
    assert tree.root.is_expanded
    top = labels(tree.root)
    assert {"lists", "campaigns", "reports", "automations", "batches", "templates"} <= set(top)
    root = demo_get(session.server, "/")
    header = session.screen.query_one("#header")
    assert header.account == root["account_name"]  # type: ignore[attr-defined]
    assert header.role == root["role"] and header.dc == "us6"  # type: ignore[attr-defined]
    assert header.healthy is True  # type: ignore[attr-defined]
    rendered = str(header.render())
    assert session.server.demo_key not in rendered and "us6" in rendered


async def test_expanding_lists_loads_audiences_and_their_links(session: Session) -> None:
    tree = session.screen.query_one(ResourceMap)
    node = next(n for n in tree.root.children if str(n.label) == "lists")
    node.expand()
    await session.settle()
    expected = [lst["name"] for lst in demo_get(session.server, "/lists")["lists"]]  # type: ignore[index]
    children = labels(node)
    assert expected and all(name in children for name in expected)
    assert any(label.startswith("create") and "POST" in label for label in children)
    # An audience opens further: its own sub-resources come from its links.
    audience = next(n for n in node.children if str(n.label) == expected[0])
    audience.expand()
    await session.settle()
    assert "members" in " ".join(labels(audience))


async def test_selecting_a_map_node_fills_the_composer(session: Session) -> None:
    tree = session.screen.query_one(ResourceMap)
    node = next(n for n in tree.root.children if str(n.label) == "campaigns")
    tree.select_node(node)
    await session.settle()
    assert session.composer_input("path").value == "/campaigns"
    followed = session.posted(LinkFollowed)
    assert followed and followed[-1].method == "GET"  # type: ignore[attr-defined]
    assert session.posted(RequestSubmitted) == []  # selecting fills, it does not send


async def test_choosing_an_operation_fills_path_params_and_body(session: Session) -> None:
    await session.pilot.press("ctrl+o")
    ops = session.screen.query_one(OperationsList)
    filter_box = session.screen.query_one("#ops-filter", Input)
    filter_box.value = "post members"
    await session.settle()
    chosen = [op for op in ops.shown if op.id == "postListsIdMembers"]
    assert chosen, [op.id for op in ops.shown]
    options = session.screen.query_one("#ops-options", OptionList)
    options.highlighted = options.get_option_index("postListsIdMembers")
    options.action_select()
    await session.settle()
    composer = session.screen.query_one(Composer)
    assert session.screen.query_one("#method", Select).value == "POST"
    assert session.composer_input("path").value == "/lists/{list_id}/members"
    assert composer.query_one("#param-list_id", Input).value == ""
    body = composer.query_one("#body", TextArea)
    assert body.display and '"email_address"' in body.text and '"status"' in body.text


async def test_down_from_the_operations_filter_goes_into_the_list(session: Session) -> None:
    await session.pilot.press("ctrl+o", *"post members")
    await session.settle()
    await session.pilot.press("down")
    options = session.screen.query_one("#ops-options", OptionList)
    assert options.has_focus
    assert options.highlighted_option is not None  # a row to choose, not none
    await session.pilot.press("enter")  # the first operation (the heading is passed over)
    await session.settle()
    first = session.screen.query_one(OperationsList).shown[0]
    assert session.screen.query_one("#method", Select).value == first.method == "POST"
    assert session.composer_input("path").value == first.path


async def test_send_get_lists_shows_status_and_pretty_json(session: Session) -> None:
    await session.send_path("/lists")
    view = session.screen.query_one(ResponseView)
    assert view.outcome is not None and view.outcome.status == 200
    assert str(view.query_one("#status").render()).startswith("200")
    text = view.query_one(JsonView).text
    assert '"lists": [' in text and '"total_items":' in text
    assert view.page is not None and view.page.total >= 1 and view.page.offset == 0
    flow = [type(m) for m in session.posted((RequestSubmitted, ResponseReceived))]
    assert flow[-2:] == [RequestSubmitted, ResponseReceived]
    assert not session.screen.query_one(ProblemPanel).display
    # Field suggestions now include names seen in this response.
    suggester = session.composer_input("fields").suggester
    assert await suggester.get_suggestion("lists.sta") is not None  # type: ignore[union-attr]


async def test_a_404_shows_the_problem_panel(session: Session) -> None:
    await session.send_path("/lists/no-such-list")
    panel = session.screen.query_one(ProblemPanel)
    assert panel.display
    assert panel.problem is not None and panel.problem.status == 404
    received = session.posted(ResponseReceived)[-1]
    assert received.outcome.status == 404  # type: ignore[attr-defined]


async def test_trigger_error_header_reaches_the_sandbox(session: Session) -> None:
    session.screen.query_one("#trigger", Select).value = "ResourceNotFound"
    await session.send_path("/ping")
    submitted = session.posted(RequestSubmitted)[-1]
    assert submitted.request.headers["X-Trigger-Error"] == "ResourceNotFound"  # type: ignore[attr-defined]
    panel = session.screen.query_one(ProblemPanel)
    assert panel.display and panel.problem is not None and panel.problem.status == 404


async def test_a_post_that_fails_on_the_server_says_it_may_have_been_applied(
    session: Session,
) -> None:
    session.screen.query_one("#method", Select).value = "POST"
    session.screen.query_one("#trigger", Select).value = "InternalServerError"
    await session.pilot.pause()
    session.screen.query_one("#body", TextArea).text = '{"name": "x"}'
    await session.send_path("/lists")
    # The body lacks required fields: the first Ctrl+S shows why, the second insists.
    assert "Not sent" in str(session.screen.query_one("#issues").render())
    assert session.posted(RequestSubmitted) == []
    await session.pilot.press("ctrl+s")
    await session.settle()
    panel = session.screen.query_one(ProblemPanel)
    assert panel.display and panel.problem is not None and panel.problem.status == 500
    diagnosis = str(panel.query_one("#problem-diagnosis").render())
    assert "POST that ended this way may or may not have been applied" in diagnosis


async def test_fields_and_exclude_fields_together_are_refused_locally(session: Session) -> None:
    before = len(session.posted((RequestSubmitted, ResponseReceived)))
    await session.send_path("/lists", fields="lists.id", exclude_fields="total_items")
    issues = str(session.screen.query_one("#issues").render())
    assert "exclude_fields" in issues
    assert len(session.posted((RequestSubmitted, ResponseReceived))) == before
    # Clearing one makes the request valid again.
    await session.send_path("/lists", fields="", exclude_fields="total_items")
    assert session.posted(ResponseReceived)


async def test_invalid_json_body_is_refused_before_sending(session: Session) -> None:
    session.screen.query_one("#method", Select).value = "POST"
    await session.pilot.pause()
    body = session.screen.query_one("#body", TextArea)
    body.text = '{"name": '
    await session.pilot.pause()
    assert "invalid JSON at line 1" in str(session.screen.query_one("#body-status").render())
    await session.send_path("/lists")
    assert "body: invalid JSON" in str(session.screen.query_one("#issues").render())
    assert session.posted(RequestSubmitted) == []


async def test_email_fills_the_subscriber_hash(session: Session) -> None:
    session.composer_input("path").value = "/lists/{list_id}/members/{subscriber_hash}"
    await session.pilot.pause()
    session.composer_input("email").value = "Someone@Example.com"
    await session.pilot.pause()
    param = session.screen.query_one("#param-subscriber_hash", Input)
    assert param.value == hashlib.md5(b"someone@example.com").hexdigest()


async def test_back_and_forward_revisit_responses(session: Session) -> None:
    await session.send_path("/lists")
    await session.send_path("/campaigns")
    view = session.screen.query_one(ResponseView)
    await session.pilot.press("alt+left")
    await session.settle()
    assert session.composer_input("path").value == "/lists"
    assert view.outcome is not None and view.outcome.request.path == "/lists"
    await session.pilot.press("alt+right")
    await session.settle()
    assert session.composer_input("path").value == "/campaigns"
    assert view.outcome is not None and view.outcome.request.path == "/campaigns"


async def test_response_links_are_followable(session: Session) -> None:
    await session.send_path("/lists")
    await session.pilot.press("ctrl+l")
    await session.settle()
    assert session.screen.query_one("#response-tabs", TabbedContent).active == "tab-links"
    view = session.screen.query_one(ResponseView)
    create = next(i for i, link in enumerate(view.links) if link.method == "POST")
    links = view.query_one("#links", OptionList)
    links.highlighted = create
    links.action_select()
    await session.settle()
    assert session.screen.query_one("#method", Select).value == "POST"
    assert session.composer_input("path").value == "/lists"


async def test_next_page_sends_the_following_offset(session: Session) -> None:
    await session.send_path("/lists", count="1")
    view = session.screen.query_one(ResponseView)
    assert view.page is not None and view.page.has_next
    await session.pilot.press("ctrl+pagedown")
    await session.settle()
    last = session.posted(RequestSubmitted)[-1]
    assert last.request.query["offset"] == "1"  # type: ignore[attr-defined]
    assert view.page is not None and view.page.offset == 1


async def test_repeat_twenty_fills_the_gauge_within_the_limit(session: Session) -> None:
    session.composer_input("path").value = "/ping"
    await session.pilot.press("ctrl+r")
    await session.settle()
    snapshots = [m.snapshot for m in session.posted(SlotsChanged)]  # type: ignore[attr-defined]
    assert snapshots and max(s.peak for s in snapshots) == 10
    gauge = session.screen.query_one(SlotGauge)
    assert gauge.snapshot is not None and gauge.snapshot.in_flight == 0
    stats = httpx.get(session.server.url + "/_sandbox/stats").json()
    # The engine kept to 10 in flight, so the sandbox never had to refuse one.
    assert stats["throttled_429"] == 0 and stats["requests"] >= 20


async def test_f1_shows_help_for_the_focused_area(session: Session) -> None:
    session.composer_input("path").focus()
    await session.pilot.press("f1")
    await session.settle()
    help_screen = session.app.screen
    assert help_screen.topic == "composer"  # type: ignore[attr-defined]
    await session.pilot.press("escape")
    await session.settle()
    assert session.app.screen is session.screen


async def test_tree_tab_shows_the_body_as_a_tree(session: Session) -> None:
    await session.send_path("/lists")
    session.screen.action_show_tab("tab-tree")
    await session.settle()
    tree = session.screen.query_one("#json-tree", JsonTree)
    top = [str(node.label).split(":")[0] for node in tree.root.children]
    assert {"lists", "total_items", "_links"} <= set(top)
    lists = next(node for node in tree.root.children if str(node.label).startswith("lists"))
    lists.expand()
    await session.settle()
    assert len(lists.children) >= 1


async def test_loading_a_request_keeps_an_unknown_trigger_as_a_header(session: Session) -> None:
    composer = session.screen.query_one(Composer)
    known = ApiRequest("GET", "/ping", headers={"X-Trigger-Error": "ResourceNotFound"})
    composer.load_request(known)
    await session.pilot.pause()
    assert session.screen.query_one("#trigger", Select).value == "ResourceNotFound"
    assert session.composer_input("headers").value == ""
    composer.load_request(ApiRequest("GET", "/ping", headers={"X-Trigger-Error": "NoSuchName"}))
    await session.pilot.pause()
    assert session.screen.query_one("#trigger", Select).value == Select.NULL
    assert session.composer_input("headers").value == "X-Trigger-Error: NoSuchName"
    assert composer.build().headers == {"X-Trigger-Error": "NoSuchName"}
