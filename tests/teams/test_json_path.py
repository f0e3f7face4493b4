"""The JSON path syntax of assertions: parsing, spelling and selecting."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcexplorer.core.collections.json_path import (
    Every,
    Index,
    JsonPathError,
    Key,
    Step,
    format_path,
    parse_path,
    select,
)

steps: st.SearchStrategy[Step] = st.one_of(
    st.builds(Key, st.text(max_size=12)),
    st.builds(Index, st.integers(min_value=-(10**6), max_value=10**6)),
    st.just(Every()),
)
paths = st.lists(steps, max_size=8).map(tuple)
# Text built from the syntax's own pieces, right or wrong, to reach every parser branch.
pieces = st.sampled_from(["$", ".", "[", "]", "*", '"', "\\", "-", "0", "12", "a", "_b", "é", " "])


@given(path=paths)
def test_any_path_spells_and_reads_back_the_same(path: tuple[Step, ...]) -> None:
    assert parse_path(format_path(path)) == path


@given(text=st.lists(pieces, max_size=12).map("".join))
def test_any_text_parses_or_says_where_it_goes_wrong(text: str) -> None:
    try:
        path = parse_path(text)
    except JsonPathError as exc:
        assert 0 <= exc.position <= len(text)
        assert repr(text) in str(exc)
    else:
        assert parse_path(format_path(path)) == path


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("members[0].email_address", (Key("members"), Index(0), Key("email_address"))),
        ("members[*].status", (Key("members"), Every(), Key("status"))),
        ("$.stats.*", (Key("stats"), Every())),
        ('["*"]', (Key("*"),)),
        ("$", ()),
        ("$[-1]", (Index(-1),)),
        ('_links[0]["href"]', (Key("_links"), Index(0), Key("href"))),
        ('["a.b c"].x', (Key("a.b c"), Key("x"))),
        ("interests.9143cf3bd1", (Key("interests"), Key("9143cf3bd1"))),
    ],
)
def test_the_documented_spellings(text: str, path: tuple[Step, ...]) -> None:
    assert parse_path(text) == path


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("", 0),
        ("members[", 8),
        ("members[x]", 8),
        ("a..b", 2),
        ("a[0", 3),
        ('["open', 1),
        ("$x", 1),
    ],
)
def test_mistakes_name_their_character(text: str, position: int) -> None:
    with pytest.raises(JsonPathError) as caught:
        parse_path(text)
    assert caught.value.position == position


DOC: dict[str, Any] = {
    "members": [
        {"email_address": "a@example.org", "status": "subscribed", "tags": []},
        {"email_address": "b@example.org", "status": "pending"},
    ],
    "stats": {"open_rate": 0.5, "click_rate": 0},
    "total_items": 2,
    "odd": None,
}


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("members[0].email_address", ["a@example.org"]),
        ("members[-1].status", ["pending"]),
        ("members[*].status", ["subscribed", "pending"]),
        ("members[*].tags", [[]]),  # the second member has no tags: nothing for it
        ("stats.*", [0.5, 0]),
        ("members[2]", []),
        ("members[-3]", []),
        ("total_items.x", []),
        ("odd", [None]),  # present and null is not missing
        ("$", [DOC]),
    ],
)
def test_select(text: str, values: list[Any]) -> None:
    assert select(DOC, parse_path(text)) == values
