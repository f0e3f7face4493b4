"""The response view on its own: bodies of every shape, the status line, search and copy."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from mcexplorer.core.http.outcome import Outcome
from mcexplorer.tui.widgets.json_tree import JsonTree
from mcexplorer.tui.widgets.json_view import JsonView
from mcexplorer.tui.widgets.response_view import ResponseView
from tests.history.outcomes import make_outcome
from tests.tui.apps.widget_hosts import HostApp, screen_text


class ResponseHost(HostApp):
    """One ResponseView showing one outcome."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__()
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        yield ResponseView(id="response")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(ResponseView).show(self.outcome)


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Pause until `condition` holds (a bounded number of pauses, not a time)."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


def formatted(app: ResponseHost) -> bool:
    view = app.query_one(ResponseView)
    return view.formatted is not None and view.formatted.lines is app.query_one(JsonView).lines


DEEP_LIST = b"[" * 5000 + b"]" * 5000
DEEP_DICT = b'{"a":' * 5000 + b"1" + b"}" * 5000
NEAR_LIMIT = b'{"a":' * 1000 + b"1" + b"}" * 1000  # read by orjson; too deep to recurse over


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_DICT, NEAR_LIMIT], ids=["list", "dict", "1000"])
async def test_deeply_nested_json_shows_raw_with_a_notice_in_body_and_tree(body: bytes) -> None:
    app = ResponseHost(make_outcome(raw_body=body))
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: formatted(app), "the body is formatted")
        view = app.query_one(ResponseView)
        depth = body.count(b"[") + body.count(b"{")
        notice = f"This JSON nests {depth} levels deep, too deep to lay out"
        assert notice in screen_text(app)
        assert app.query_one(JsonView).lines == [body.decode()]
        view.query_one(TabbedContent).active = "tab-tree"
        tree = app.query_one(JsonTree)
        await until(pilot, lambda: view.tree_shown_for is view.outcome, "the tree is built")
        await pilot.pause()
        assert notice in str(tree.root.label)
        assert notice in screen_text(app)
        assert app.return_code is None


async def test_a_tree_opened_level_after_level_stops_at_its_depth_limit() -> None:
    depth = 300  # orjson reads it; the tree must not lay out 300 open levels
    app = ResponseHost(make_outcome(raw_body=b'{"a":' * depth + b"1" + b"}" * depth))
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: formatted(app), "the body is formatted")
        view = app.query_one(ResponseView)
        view.query_one(TabbedContent).active = "tab-tree"
        await until(pilot, lambda: view.tree_shown_for is view.outcome, "the tree is built")
        tree = app.query_one(JsonTree)
        node = tree.root
        while node.children and node.children[0].allow_expand:
            node = node.children[0]
            node.expand()
            await pilot.pause()
        assert "nested deeper than 100 levels" in str(node.children[0].label)
        assert tree.last_line > 100
        assert app.return_code is None
