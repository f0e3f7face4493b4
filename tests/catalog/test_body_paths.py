"""Paths into a body: joined and split back, and found under a cursor in the text."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mcexplorer.core.catalog.body_paths import join_path, path_at, split_path

BODY = (
    '{"email_address": "ann@example.com", "merge_fields": {"FNAME": "Ann"}, '
    '"tags": ["a", "b", "c"]}'
)

nested = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=15,
)


def _at(needle: str, text: str = BODY, after: int = 0) -> int:
    return text.index(needle) + after


def test_the_path_of_a_value_key_and_element_under_the_cursor() -> None:
    assert path_at(BODY, _at('"Ann"', after=2)) == "merge_fields.FNAME"
    assert path_at(BODY, _at("FNAME", after=2)) == "merge_fields.FNAME"  # inside the key
    assert path_at(BODY, _at('"c"')) == "tags[2]"
    assert path_at(BODY, _at("ann@")) == "email_address"
    assert path_at(BODY, 0) == "" and path_at(BODY, 1) == ""
    assert path_at(BODY, len(BODY)) == ""
    # Between members, in an object: the object itself.
    assert path_at(BODY, _at(', "tags"', after=1)) == ""


def test_an_unfinished_body_still_gives_the_path_so_far() -> None:
    assert path_at('{"location": {"lat', 17) == "location.lat"
    assert path_at('{"location": {"latitude": ', 26) == "location.latitude"
    assert path_at('{"tags": ["a", ', 15) == "tags[1]"
    # An unclosed string ends at its line.
    assert path_at('{"a": "x\n, "b": 1}', 16) == "b"


@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(blacklist_characters=".[]"), min_size=1),
            st.integers(min_value=0, max_value=10**6),
        ),
        max_size=6,
    ).filter(lambda parts: not parts or isinstance(parts[0], str))
)
def test_paths_split_back_into_their_parts(parts: list[str | int]) -> None:
    path = ""
    for part in parts:
        path = join_path(path, part)
    assert split_path(path) == parts


@settings(max_examples=300)
@given(nested, st.booleans())
def test_every_value_of_a_dumped_body_is_found_at_its_path(body: Any, indent: bool) -> None:
    spots: list[tuple[int, str]] = []
    text = _dump(body, "", [], spots, "\n  " if indent else "")
    assert json.loads(text) == body
    for offset, path in spots:
        assert path_at(text, offset) == path


@given(st.text(), st.integers(min_value=-5, max_value=200))
def test_any_text_and_offset_give_a_path_without_raising(text: str, offset: int) -> None:
    assert isinstance(path_at(text, offset), str)


def _dump(value: Any, path: str, out: list[str], spots: list[tuple[int, str]], gap: str) -> str:
    """JSON text of `value`, noting where each value starts and the path it has."""
    spots.append((sum(map(len, out)), path))
    if isinstance(value, dict):
        out.append("{" + gap)
        for i, (key, item) in enumerate(value.items()):
            out.append(("," + gap if i else "") + json.dumps(key) + ": ")
            _dump(item, join_path(path, key), out, spots, gap)
        out.append(gap + "}")
    elif isinstance(value, list):
        out.append("[")
        for i, item in enumerate(value):
            out.append(", " if i else "")
            _dump(item, join_path(path, i), out, spots, gap)
        out.append("]")
    else:
        out.append(json.dumps(value))
    return "".join(out)
