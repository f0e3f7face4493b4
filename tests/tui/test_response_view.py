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


LONG_PATH = "/lists/2381332876/members/4a2de7a6b0a16841f44395093f644c4a/notes/1234567/history"
REQUEST_ID = "52020266-0832-4999-b5eb-2039236b8520"


def long_outcome(query: dict[str, str] | None = None) -> Outcome:
    outcome = make_outcome(
        path=LONG_PATH,
        params={},
        body={"notes": [{"id": 1}], "total_items": 40},
        headers={"x-request-id": REQUEST_ID},
    )
    outcome.url += "?" + "&".join(f"{k}={v}" for k, v in (query or {}).items()) if query else ""
    return outcome


def status_rows(app: ResponseHost) -> list[str]:
    row = app.query_one("#status-row")
    lines = screen_text(app).splitlines()
    return lines[row.region.y : row.region.bottom]


# 47 columns: what the response pane gets in an 80-column terminal, beside the sidebar.
@pytest.mark.parametrize("width", [47, 80, 160])
@pytest.mark.parametrize("query", [None, {"fields": "notes.id,notes.note", "count": "10"}])
async def test_the_status_line_never_wraps_and_always_shows_the_request_id(
    width: int, query: dict[str, str] | None
) -> None:
    app = ResponseHost(long_outcome(query))
    async with app.run_test(size=(width, 20)) as pilot:
        await until(pilot, lambda: formatted(app), "the body is formatted")
        await pilot.pause()
        rows = status_rows(app)
        shown = " ".join(rows)
        assert len(rows) <= 2 and (len(rows) == 1 or width < 120)
        for fact in ("200", "GET", "120 ms", "B", f"id {REQUEST_ID}", "1–1 of 40", "▶"):
            assert fact in shown, (fact, rows)
        if width >= 80:
            assert "/history" in shown  # the path's distinguishing tail
        if width == 160:
            assert "/3.0/lists/2381332876/m" in shown  # and its start
        assert all(len(row.rstrip()) <= width for row in rows)
        assert not any(row.startswith(" " * 3) for row in rows)  # no word-wrapped remainder


async def test_before_any_request_the_status_line_says_what_to_do() -> None:
    app = HostApp()
    app.compose = lambda: iter([ResponseView()])  # type: ignore[method-assign]
    async with app.run_test(size=(160, 10)) as pilot:
        await pilot.pause()
        assert "No request sent yet. Pick a resource or an operation, then Ctrl+S." in (
            screen_text(app)
        )
