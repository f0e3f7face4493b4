"""The response view on its own: bodies of every shape, the status line, search and copy."""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, TabbedContent
from textual.worker import WorkerCancelled

from mcexplorer.core.http.outcome import Outcome
from mcexplorer.tui.widgets import json_tree
from mcexplorer.tui.widgets.json_tree import JsonTree
from mcexplorer.tui.widgets.json_view import CURRENT_MATCH, MATCH, JsonView
from mcexplorer.tui.widgets.response_body import FormattedBody
from mcexplorer.tui.widgets.response_search import MAX_LISTED, ResponseSearch
from mcexplorer.tui.widgets.response_view import ResponseView
from mcexplorer.tui.widgets.status_line import StatusLine
from tests.history.outcomes import make_outcome
from tests.tui.apps.widget_hosts import HostApp, ScreenHost, screen_text, steady_cursor


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
    for _ in range(100):
        if condition():
            return
        with contextlib.suppress(WorkerCancelled):  # a search a later keystroke replaced
            await pilot.app.workers.wait_for_complete()
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


async def test_a_tree_opened_level_after_level_stops_at_its_depth_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(json_tree, "MAX_DEPTH", 12)  # the mechanism, in fewer steps
    depth = 30
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
        assert "nested deeper than 12 levels" in str(node.children[0].label)
        assert tree.last_line == 13
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
        tooltip = app.query_one(StatusLine).tooltip
        assert isinstance(tooltip, Text) and LONG_PATH in tooltip.plain  # all of it on hover
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


def members_body(count: int) -> dict[str, Any]:
    members = [
        {
            "id": f"{n:032x}",
            "email_address": f"person{n}@Example.com",
            "status": "subscribed" if n % 3 else "unsubscribed",
            "merge_fields": {"FNAME": f"Name{n}"},
        }
        for n in range(count)
    ]
    return {"members": members, "list_id": "a1b2", "total_items": count}


async def open_search(pilot: Pilot[None], app: ResponseHost, query: str) -> ResponseSearch:
    await until(pilot, lambda: formatted(app), "the body is formatted")
    app.query_one(JsonView).focus()
    await pilot.press("slash")
    search = app.query_one(ResponseSearch)
    assert search.is_open and app.focused is search.query_one(Input)
    await pilot.press(*query)
    await until(pilot, lambda: search.query_text == query, f"the search for {query!r} ran")
    await pilot.pause()
    return search


def marked_texts(view: JsonView, line: int) -> list[str]:
    """The text of the segments a search marked on one line."""
    marks = (MATCH.bgcolor, CURRENT_MATCH.bgcolor)
    return [seg.text for seg in view._strip(line) if seg.style and seg.style.bgcolor in marks]


async def test_text_search_marks_matches_and_enter_and_n_go_round_them() -> None:
    app = ResponseHost(make_outcome(body=members_body(3)))
    async with app.run_test(size=(120, 30)) as pilot:
        search = await open_search(pilot, app, "example.com")  # a path that selects nothing
        view = app.query_one(JsonView)
        assert [view.lines[m.line].strip() for m in search.matches] == [
            f'"email_address": "person{n}@Example.com",' for n in range(3)
        ]
        assert "1 of 3 matches" in screen_text(app)
        assert marked_texts(view, search.matches[0].line) == ["Example.com"]
        await pilot.press("enter")
        assert search.current == 1 and "2 of 3 matches" in screen_text(app)
        await pilot.press("shift+enter", "shift+enter")
        assert search.current == 2  # round the start to the last
        view.focus()
        await pilot.press("n")
        assert search.current == 0
        await pilot.press("N")
        assert search.current == 2
        await pilot.press("y")
        assert app.clipboard == "person2@Example.com"
        line = search.matches[2].line
        assert view.cursor_line == line
        assert f"Copied the value on line {line + 1} (19 B)." in notifications(app)
        await pilot.press("escape")
        assert not search.is_open and app.focused is view
        assert marked_texts(view, search_line(view, "person0")) == []


def search_line(view: JsonView, text: str) -> int:
    return next(n for n, line in enumerate(view.lines) if text in line)


def notifications(app: ResponseHost) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def test_typing_n_in_the_search_box_types_it() -> None:
    app = ResponseHost(make_outcome(body=members_body(2)))
    async with app.run_test(size=(120, 30)) as pilot:
        search = await open_search(pilot, app, "Name1")
        assert search.query_one(Input).value == "Name1"
        assert len(search.matches) == 1 and search.current == 0


async def test_a_json_path_lists_the_values_and_y_copies_them() -> None:
    app = ResponseHost(make_outcome(body=members_body(4)))
    async with app.run_test(size=(120, 30)) as pilot:
        search = await open_search(pilot, app, "members[*].email_address")
        emails = [f"person{n}@Example.com" for n in range(4)]
        assert search.values == emails and search.matches == []
        shown = screen_text(app)
        assert "4 values at members[*].email_address" in shown
        assert all(email in shown for email in emails)
        await pilot.press("enter", "y")  # to the list, then copy them all
        assert app.clipboard == "\n".join(emails)
        assert "Copied 4 values at members[*].email_address (79 B)." in notifications(app)
        await pilot.press("down", "enter")  # the second value alone
        assert app.clipboard == emails[1]


async def test_a_path_to_objects_copies_json_and_a_dollar_path_that_misses_says_so() -> None:
    app = ResponseHost(make_outcome(body=members_body(2)))
    async with app.run_test(size=(120, 30)) as pilot:
        search = await open_search(pilot, app, "$.members[0].merge_fields")
        assert search.values == [{"FNAME": "Name0"}]
        await pilot.press("enter", "y")
        assert json.loads(app.clipboard) == [{"FNAME": "Name0"}]
        await pilot.press("up", *"x")  # back in the box
        await until(pilot, lambda: search.query_text.endswith("x"), "the search ran")
        await pilot.pause()
        assert search.values == [] and "Nothing at $.members[0].merge_fieldsx." in (
            screen_text(app)
        )


async def test_a_click_puts_the_cursor_on_a_line_and_y_copies_its_value() -> None:
    app = ResponseHost(make_outcome(body=members_body(2)))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: formatted(app), "the body is formatted")
        view = app.query_one(JsonView)
        line = search_line(view, "person1@")
        await pilot.click(JsonView, offset=(10, line))
        assert view.cursor_line == line
        await pilot.press("y")
        assert app.clipboard == "person1@Example.com"
        await pilot.click(JsonView, offset=(10, 1))
        await pilot.press("y")
        assert app.clipboard == "["  # the line opens the members array


async def test_ctrl_y_copies_the_whole_body_and_the_tree_copies_its_node() -> None:
    body = members_body(2)
    app = ResponseHost(make_outcome(body=body))
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: formatted(app), "the body is formatted")
        app.query_one(JsonView).focus()
        await pilot.press("ctrl+y")
        assert json.loads(app.clipboard) == body
        assert f"Copied the whole body ({len(app.clipboard)} B)." in notifications(app)
        await pilot.press("y")
        assert "Nothing chosen to copy" in notifications(app)
        view = app.query_one(ResponseView)
        view.query_one(TabbedContent).active = "tab-tree"
        await until(pilot, lambda: view.tree_shown_for is view.outcome, "the tree is built")
        tree = app.query_one(JsonTree)
        tree.focus()
        await pilot.press("down", "enter")  # members
        await pilot.pause()
        await pilot.press("down", "enter", "down")  # members[0], its id
        await pilot.pause()
        await pilot.press("y")
        assert app.clipboard == body["members"][0]["id"]


async def test_search_stays_correct_on_a_big_body() -> None:
    body = members_body(5000)  # about 1.2 MB once indented
    app = ResponseHost(make_outcome(body=body))
    async with app.run_test(size=(120, 30)) as pilot:
        search = await open_search(pilot, app, "unsubscribed")
        assert len(search.matches) == 1667
        await pilot.press("shift+enter")  # round to the last match
        view = app.query_one(JsonView)
        last = search.matches[-1]
        assert search.current == 1666
        assert view.scroll_offset.y <= last.line < view.scroll_offset.y + view.size.height
        assert marked_texts(view, last.line) == ["unsubscribed"]
        search.query_one(Input).value = "members[*].id"
        await until(pilot, lambda: len(search.values) == 5000, "the path search ran")
        assert search.query_one(OptionList).option_count == MAX_LISTED
        assert "5000 values (the first 1000 listed) at members[*].id" in screen_text(app)


def test_snapshot_text_search_marks(snap_compare: Callable[..., bool]) -> None:
    async def searched(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, ResponseHost)
        await open_search(pilot, app, "example")
        await pilot.press("enter")  # the second match is the current one
        await steady_cursor(pilot)
        await pilot.pause()

    app = ResponseHost(make_outcome(body=members_body(3)))
    assert snap_compare(app, terminal_size=(100, 24), run_before=searched)


MONKEY_KEYS = [
    *("slash", "ctrl+f", "n", "N", "y", "ctrl+y", "escape", "enter", "shift+enter", "tab"),
    *("shift+tab", "up", "down", "pageup", "pagedown", "left", "right", "space", "home"),
    *("e", "x", "a", "full_stop", "left_square_bracket", "asterisk", "right_square_bracket"),
    *("dollar_sign", "backspace", "1", "!"),  # "!": a new response arrives
]
MONKEY_BODIES = [
    json.dumps(members_body(40)).encode(),
    DEEP_DICT,
    b"<html>Access Denied</html>",
    b"",
    json.dumps({"a": [1, "two", None, {"b": True}]}).encode(),
]


@pytest.mark.parametrize("seed", [1, 2])
async def test_random_everyday_keys_never_crash_the_response_view(seed: int) -> None:
    rng = random.Random(seed)
    app = ResponseHost(make_outcome(body=members_body(40)))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: formatted(app), "the body is formatted")
        app.query_one(JsonView).focus()
        for _ in range(120):
            key = rng.choice(MONKEY_KEYS)
            if key == "!":
                app.query_one(ResponseView).show(make_outcome(raw_body=rng.choice(MONKEY_BODIES)))
            else:
                await pilot.press(key)
        await until(pilot, lambda: formatted(app), "the last body is formatted")
    assert app.return_code in (None, 0)


async def test_queries_and_values_that_look_like_markup_show_as_typed() -> None:
    app = ResponseHost(make_outcome(body={"tags": ["[b]bold[/b]", "[/x]"]}))
    async with app.run_test(size=(100, 30)) as pilot:
        search = await open_search(pilot, app, "[/y]")
        assert "No match for '[/y]'." in screen_text(app)
        search.query_one(Input).value = "tags[*]"
        await until(pilot, lambda: len(search.values) == 2, "the path search ran")
        await pilot.press("enter", "y")
        shown = screen_text(app)
        assert "[b]bold[/b]" in shown and "[/x]" in shown
        assert "Copied 2 values at tags[*]" in notifications(app)


async def test_a_late_search_result_for_a_previous_body_is_dropped() -> None:
    app = ResponseHost(make_outcome(body=members_body(40)))
    async with app.run_test(size=(100, 30)) as pilot:
        search = await open_search(pilot, app, "Example")
        old_lines, old_matches = app.query_one(JsonView).lines, search.matches
        view = app.query_one(ResponseView)
        view.show(make_outcome(body={"short": True}))
        await until(
            pilot, lambda: formatted(app) and view.formatted.lines is not old_lines, "shown"
        )
        assert search.matches == []  # the same query, searched in the new body
        # The old body's matches arriving now (line numbers past the new body's end):
        search._show_matches(old_lines, "Example", old_matches)
        await pilot.pause()
        assert search.matches == [] and app.return_code is None


class ResponseScreen(Screen[str]):
    """A screen that, like History, closes on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss('closed')", "Back")]

    def compose(self) -> ComposeResult:
        yield ResponseView()

    def on_mount(self) -> None:
        self.query_one(ResponseView).show(make_outcome(body=members_body(2)))


async def test_escape_closes_the_search_first_then_goes_on_to_the_screen() -> None:
    app = ScreenHost(ResponseScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(ResponseView)
        await until(pilot, lambda: view.formatted is not None, "the body is formatted")
        view.query_one(JsonView).focus()
        await pilot.press("slash", *"Name")
        await pilot.press("escape")
        assert not view.query_one(ResponseSearch).is_open
        assert isinstance(app.screen, ResponseScreen) and app.results == []
        await pilot.press("escape")
        assert app.results == ["closed"]


async def test_a_body_formatted_after_its_view_was_taken_down_is_dropped() -> None:
    """Escape on the history screen while a body was being formatted (tui-monkey seed 8):
    the late result finds the tabs gone and must not raise."""
    outcome = make_outcome(200, body={"lists": []})
    app = ResponseHost(outcome)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: formatted(app), "the body")
        view = app.query_one(ResponseView)
        await view.query_one(TabbedContent).remove()
        assert not view.parts_ready
        view._formatted(outcome, FormattedBody.of(outcome))
        view._show_tree(outcome, {"lists": []}, "")
        await pilot.pause()


@pytest.mark.parametrize("key", ["pageup", "pagedown"])
async def test_paging_the_links_before_they_are_drawn(key: str) -> None:
    """Ctrl+L shows the Links tab and focuses its list; a page key before the list was laid
    out raised KeyError in Textual's OptionList and ended the app (tui-monkey seed 17488)."""
    outcome = make_outcome(
        200,
        body={"_links": [{"rel": "self", "href": "https://x.test/3.0/lists", "method": "GET"}]},
    )
    app = ResponseHost(outcome)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: formatted(app), "the body")
        links = app.query_one("#links", OptionList)
        links.clear_options()
        links.add_option("GET self https://x.test/3.0/lists")
        links.highlighted = 0  # on a list in a tab never shown: nothing laid out yet
        getattr(links, f"action_{key.replace('page', 'page_')}")()
        await pilot.pause()
        assert links.option_count == 1
