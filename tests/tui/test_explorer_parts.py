"""The explorer's pieces that need no running app: formatting, history, help, palette."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mcexplorer.core.http.draft import parse_headers
from mcexplorer.core.http.request import RequestInvalid
from mcexplorer.tui.palette import COMMANDS
from mcexplorer.tui.screens.explorer import ExplorerScreen
from mcexplorer.tui.screens.help import HELP_FILE, TOPICS, help_sections
from mcexplorer.tui.state import Visits
from mcexplorer.tui.widgets.composer_parts import FieldListSuggester, body_status
from mcexplorer.tui.widgets.json_view import (
    MATCH,
    JsonView,
    TextMatch,
    highlight_line,
    pretty_lines,
)
from mcexplorer.tui.widgets.resource_map import collection_items
from mcexplorer.tui.widgets.response_body import dotted_names, human_size
from mcexplorer.tui.widgets.response_search import (
    MAX_MATCHES,
    find_text,
    line_value,
    path_of,
    values_text,
)
from mcexplorer.tui.widgets.status_line import fit_target
from mcexplorer.tui.widgets.text_fit import ellipsize_middle

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=25,
)


@given(json_values)
@example(-(2**63) - 1)  # orjson would read it as a float
@example({"id": 2**64})
def test_pretty_lines_round_trip_any_json(value: Any) -> None:
    lines, width, data, is_json, too_deep = pretty_lines(json.dumps(value).encode())
    assert json.loads("\n".join(lines)) == value
    assert width == max(len(line) for line in lines)
    assert is_json == (value is not None) and (data == value or value is None)
    assert too_deep == 0


@given(json_values)
def test_highlighting_keeps_every_character(value: Any) -> None:
    for line in pretty_lines(json.dumps(value))[0]:
        assert "".join(segment.text for segment in highlight_line(line)) == line


def test_keys_and_values_get_different_styles() -> None:
    segments = highlight_line('  "name": "Acme",')
    styles = {seg.text: seg.style for seg in segments}
    assert styles['"name"'] != styles['"Acme"']
    assert styles['"name"'] is not None and styles['"name"'].bold


CONTROLS = {*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029}


@given(st.one_of(json_values.map(json.dumps), st.text()))
@example(json.dumps({"a": "\x7f"}))  # DEL is ASCII, and JSON leaves it unescaped
def test_no_control_character_reaches_the_terminal(body: str) -> None:
    for line in pretty_lines(body.encode("utf-8", errors="replace"))[0]:
        assert not {ord(ch) for ch in line} & CONTROLS, repr(line)


def test_non_json_bodies_show_as_plain_text() -> None:
    lines, _, data, is_json, _ = pretty_lines(b"<html>\n<body>Access Denied</body>")
    assert lines == ["<html>", "<body>Access Denied</body>"]
    assert data is None and not is_json
    assert pretty_lines(b"")[0] == [""]
    assert pretty_lines(b"\x1b[31mred\tx")[0] == ["\ufffd[31mred    x"]


def test_visits_behave_like_browser_history() -> None:
    visits: Visits[str] = Visits(maxlen=3)
    assert visits.back() is None and visits.current is None
    for page in ("a", "b", "c"):
        visits.visit(page)
    assert visits.back() == "b" and visits.back() == "a" and visits.back() is None
    assert visits.forward() == "b"
    visits.visit("d")  # drops the forward entry "c"
    assert visits.forward() is None and visits.current == "d"
    visits.visit("e")
    assert len(visits) == 3 and visits.back() == "d" and visits.back() == "b"


def test_headers_text_parses_and_names_a_bad_part() -> None:
    assert parse_headers("Accept: application/json;  X-A: 1:2 ;") == {
        "Accept": "application/json",
        "X-A": "1:2",
    }
    with pytest.raises(RequestInvalid, match="needs Name: value"):
        parse_headers("Accept application/json")


def test_body_status_points_at_the_error() -> None:
    assert body_status("  ") == "body: none"
    assert body_status('{"a": 1}') == "body: valid JSON"
    assert body_status('{\n  "a": }').startswith("body: invalid JSON at line 2, column 8")


async def test_field_suggester_completes_the_last_list_item() -> None:
    suggester = FieldListSuggester()
    suggester.names = ["lists.id", "lists.name", "total_items"]
    assert await suggester.get_suggestion("lists.n") == "lists.name"
    assert await suggester.get_suggestion("lists.id,tot") == "lists.id,total_items"
    assert await suggester.get_suggestion("lists.id,") is None
    assert await suggester.get_suggestion("lists.id") is None  # already complete


def test_dotted_names_sample_collection_items() -> None:
    body = {"lists": [{"id": "a", "stats": {"member_count": 1}}], "total_items": 1}
    assert dotted_names(body) == {
        "lists",
        "lists.id",
        "lists.stats",
        "lists.stats.member_count",
        "total_items",
    }
    assert collection_items(body) == body["lists"]
    assert collection_items({"_links": [{"rel": "self"}], "health": "ok"}) == []


def deep_list(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_dict(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize("depth", [300, 1000, 1024, 5000, 100_000])
@pytest.mark.parametrize("shape", [deep_list, deep_dict])
def test_deep_json_is_laid_out_or_shown_raw_with_its_depth(shape: Any, depth: int) -> None:
    body = shape(depth)
    pretty = pretty_lines(body)
    if pretty.is_json:  # orjson reads 1,024 levels; laying them out may still fail
        assert pretty.too_deep == 0 and len(pretty.lines) >= depth
    else:
        assert pretty.too_deep == depth and pretty.lines == [body.decode()]
    if depth > 1024:
        assert pretty.too_deep == depth


def test_dotted_names_of_a_deep_chain_stop_at_a_readable_depth() -> None:
    chain: dict[str, Any] = {}
    node = chain
    for _ in range(5000):
        node["a"] = node = {}
    names = dotted_names(chain)
    assert "a" in names and "a.a.a" in names
    assert max(name.count(".") for name in names) < 40


def test_sizes_read_naturally() -> None:
    assert [human_size(n) for n in (12, 2048, 3 * 1024 * 1024)] == ["12 B", "2.0 KB", "3.0 MB"]


def test_every_palette_entry_names_a_real_action() -> None:
    for _title, action, _help in COMMANDS:
        name = action.split("(")[0]
        assert callable(getattr(ExplorerScreen, f"action_{name}", None)), name


def test_every_bound_key_is_also_in_the_palette() -> None:
    palette_actions = {action.split("(")[0] for _t, action, _h in COMMANDS}
    bound = {b.action for b in ExplorerScreen.BINDINGS}  # type: ignore[union-attr]
    assert bound <= palette_actions


def test_help_has_a_section_for_every_topic() -> None:
    general, sections = help_sections(HELP_FILE.read_text("utf-8"))
    assert "Ctrl+S" in general
    assert set(TOPICS.values()) <= set(sections)


def test_text_cut_in_the_middle_keeps_both_ends() -> None:
    assert ellipsize_middle("/lists/abc/members/def/notes", 40) == "/lists/abc/members/def/notes"
    assert ellipsize_middle("/automations/{…}/actions/pause-all-emails", 25) == (
        "/automat…pause-all-emails"
    )
    assert [ellipsize_middle("abcdef", n) for n in (0, 1, 2)] == ["", "…", "…f"]


def test_a_status_target_gives_up_its_query_before_its_path() -> None:
    path = "/3.0/lists/123/members/abc/notes"
    assert fit_target(path, "count=10", 60) == f"{path}?count=10"
    assert fit_target(path, "count=10&offset=20", 40) == f"{path}?count=…"
    assert fit_target(path, "count=10", 20) == "/3.0/…rs/abc/notes?…"


def test_text_search_ignores_case_and_never_overlaps() -> None:
    lines = ['  "a": "Aaaa",', '  "b": "x"']
    assert find_text(lines, "aa") == [TextMatch(0, 8, 10), TextMatch(0, 10, 12)]
    assert find_text(lines, "") == []
    assert find_text(lines, "X") == [TextMatch(1, 8, 9)]
    assert find_text(lines, "a", cancelled=lambda: True) == []
    many = ["a" * 100] * 200
    assert len(find_text(many, "a")) == MAX_MATCHES


def test_a_query_is_a_path_when_it_reads_as_one() -> None:
    assert path_of("members[*].email_address") is not None
    assert path_of("$") == ()
    assert path_of("example.com") is not None  # tried as a path first, then as text
    assert path_of("subscribed") is None
    assert path_of("a..b") is None and path_of("[oops") is None


def test_copied_values_read_naturally() -> None:
    assert line_value('    "email_address": "a@b.c",') == "a@b.c"
    assert line_value('    "count": 42,') == "42"
    assert line_value('    "merge_fields": {') == "{"
    assert line_value('    "line"') == "line"
    assert values_text(["a@b.c", "d@e.f"]) == "a@b.c\nd@e.f"
    assert json.loads(values_text([1, {"a": None}])) == [1, {"a": None}]


def test_marks_fall_on_the_right_cells_beside_wide_characters() -> None:
    line = '  "名前": "名前 name"'
    match = find_text([line], "name")[0]
    view = JsonView()
    view.lines = [line]
    view._is_json = True
    view._marks = {0: [(match.start, match.end)]}
    marked = [
        seg.text for seg in view._strip(0) if seg.style and seg.style.bgcolor == MATCH.bgcolor
    ]
    assert marked == ["name"]
