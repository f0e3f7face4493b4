"""The request file format: exact round trips, line-accurate errors, no secrets on disk."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcexplorer.core.collections.format import (
    SECRET_NAME,
    CollectionFileError,
    SavedRequest,
    SecretRefused,
    dumps_request,
    loads_request,
)
from mcexplorer.core.http.request import METHODS, ApiRequest

KEY = "0123456789abcdef0123456789abcdef-us6"
OPAQUE = "5c6ccc561059aa386da9d112215bae55"

# Plain identifiers and unicode text; keys never look like credentials by construction.
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20).filter(
    lambda s: "-us" not in s and not SECRET_NAME.search(s)
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)
requests = st.builds(
    ApiRequest,
    method=st.sampled_from(METHODS),
    path=text.map(lambda s: "/" + s),
    path_params=st.dictionaries(text, text, max_size=3),
    query=st.dictionaries(text, text, max_size=3),
    headers=st.dictionaries(st.from_regex(r"X-[A-Za-z]{1,8}", fullmatch=True), text, max_size=2),
    body=json_values,
)


@settings(max_examples=200, deadline=None)
@given(req=requests, description=text)
def test_any_request_round_trips_exactly(req: ApiRequest, description: str) -> None:
    text_out = dumps_request(SavedRequest(req, description))
    back = loads_request(text_out, "x.request.json")
    assert back.request.to_dict() == req.to_dict()
    assert back.description == description
    # Saving again is byte-identical: no churn in diffs.
    assert dumps_request(back) == text_out


def test_layout_is_one_key_per_line_and_sorted() -> None:
    req = ApiRequest("POST", "/lists/{list_id}/members", {"list_id": "abc"}, body={"b": 1, "a": 2})
    lines = dumps_request(SavedRequest(req, "Add")).splitlines()
    top = [line.split('"')[1] for line in lines if line.startswith('  "')]
    assert top == sorted(top)
    assert '    "a": 2,' in lines and '    "b": 1' in lines


def test_bad_json_names_file_and_line() -> None:
    broken = '{\n  "method": "GET",\n  "path": "/ping"\n  "query": {}\n}\n'
    with pytest.raises(CollectionFileError) as info:
        loads_request(broken, "folder/ping.request.json")
    assert info.value.line == 4
    assert str(info.value).startswith("folder/ping.request.json, line 4:")


@pytest.mark.parametrize(
    ("edit", "line", "words"),
    [
        (('"path": "/ping"', '"path": "ping"'), "path", "starting with '/'"),
        (('"method": "GET"', '"method": "FETCH"'), "method", "method must be"),
        (('"query": {}', '"qurey": {}'), "qurey", "unknown key 'qurey'"),
        (('"headers": {}', '"headers": {"X-A": 3}'), "headers", "string values"),
    ],
)
def test_hand_edit_mistakes_point_at_their_line(
    edit: tuple[str, str], line: str, words: str
) -> None:
    good = dumps_request(SavedRequest(ApiRequest("GET", "/ping")))
    bad = good.replace(*edit)
    expected_line = next(i for i, t in enumerate(bad.splitlines(), 1) if f'"{line}"' in t)
    with pytest.raises(CollectionFileError) as info:
        loads_request(bad, "ping.request.json")
    assert info.value.line == expected_line
    assert words in str(info.value)


@pytest.mark.parametrize(
    "req",
    [
        ApiRequest(headers={"Authorization": "Basic abc"}),
        ApiRequest(headers={"X-Custom": "Bearer abc"}),
        ApiRequest(query={"apikey": KEY}),
        ApiRequest(body={"nested": [{"key": KEY}]}),
        ApiRequest(path="/lists/{id}", path_params={"id": KEY}),
        # An OAuth access token is opaque hex: only the name it travels under gives it away.
        ApiRequest(query={"access_token": OPAQUE}),
        ApiRequest(headers={"X-Auth-Token": OPAQUE}),
        ApiRequest(body={"settings": {"password": OPAQUE}}),
    ],
)
def test_credentials_are_refused(req: ApiRequest) -> None:
    with pytest.raises(SecretRefused) as info:
        dumps_request(SavedRequest(req))
    assert KEY not in str(info.value) and OPAQUE not in str(info.value)
    assert "profile" in str(info.value)


def test_innocent_names_are_not_mistaken_for_secrets() -> None:
    req = ApiRequest(
        "POST", "/campaigns", body={"settings": {"from_name": "Ann", "authenticate": True}}
    )
    assert json.loads(dumps_request(SavedRequest(req)))["body"]["settings"]["from_name"] == "Ann"


def test_file_is_json_a_person_can_read() -> None:
    req = ApiRequest("PATCH", "/lists/x", body={"name": "Zoë ✓"})
    out = dumps_request(SavedRequest(req))
    assert "Zoë ✓" in out  # not \\u-escaped
    assert json.loads(out)["format"] == "mcexplorer.request/1"
