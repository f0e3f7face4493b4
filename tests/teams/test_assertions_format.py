"""Assertions in request files: exact round trips, clear errors, no secrets on disk."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcexplorer.core.collections.assertions import Assertion, Check, Subject, assertion_from_dict
from mcexplorer.core.collections.format import (
    CollectionFileError,
    SavedRequest,
    SecretRefused,
    dumps_request,
    loads_request,
)
from mcexplorer.core.collections.json_path import format_path
from mcexplorer.core.http.request import ApiRequest
from tests.collections.test_format import KEY, json_values, requests, text
from tests.teams.test_json_path import paths

statuses = st.one_of(
    st.builds(
        Assertion,
        st.just(Subject.STATUS),
        st.just(Check.EQUALS),
        st.integers(min_value=100, max_value=599),
    ),
    st.builds(
        Assertion, st.just(Subject.STATUS), st.just(Check.IN_CLASS), st.sampled_from(["2xx", "4xx"])
    ),
)
regexes = st.sampled_from(["^[0-9a-f]{10}$", "json", "subscribed|pending", r"\d+"])
json_checks = st.one_of(
    st.tuples(st.just(Check.EQUALS), json_values),
    st.tuples(st.just(Check.EXISTS), st.booleans()),
    st.tuples(st.just(Check.MATCHES), regexes),
)
header_checks = st.one_of(
    st.tuples(st.just(Check.EQUALS), text),
    st.tuples(st.just(Check.EXISTS), st.booleans()),
    st.tuples(st.just(Check.MATCHES), regexes),
)
assertions = st.one_of(
    statuses,
    st.builds(
        lambda path, check: Assertion(Subject.JSON, check[0], check[1], format_path(path)),
        paths,
        json_checks,
    ),
    st.builds(
        lambda name, check: Assertion(Subject.HEADER, check[0], check[1], name),
        st.from_regex(r"[A-Za-z][A-Za-z-]{0,15}", fullmatch=True),
        header_checks,
    ),
)


@settings(max_examples=200, deadline=None)
@given(req=requests, description=text, checks=st.lists(assertions, max_size=5).map(tuple))
def test_any_saved_request_with_assertions_round_trips_exactly(
    req: ApiRequest, description: str, checks: tuple[Assertion, ...]
) -> None:
    saved = SavedRequest(req, description, checks)
    written = dumps_request(saved)
    back = loads_request(written, "x.request.json")
    assert back.assertions == checks
    assert back.request.to_dict() == saved.request.to_dict()
    assert dumps_request(back) == written  # byte-identical when saved again


def test_a_file_without_assertions_is_written_as_before() -> None:
    data = json.loads(dumps_request(SavedRequest(ApiRequest("GET", "/ping"))))
    assert "assertions" not in data


def _file(checks: object) -> str:
    lines = [
        "{",
        '  "method": "GET",',
        '  "path": "/lists",',
        '  "assertions": ' + json.dumps(checks),
        "}",
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("checks", "words"),
    [
        ({"status": 200}, "must be a list"),
        ([{"status": 99}], "assertion 1: status must be a code from 100 to 599"),
        ([{"status": 200}, {"status": "2XX"}], "assertion 2: status must be"),
        ([{"json": "members[", "equals": 1}], "bad JSON path 'members['"),
        ([{"json": "id"}], "exactly one of equals, exists, matches"),
        ([{"json": "id", "equals": 1, "exists": True}], "exactly one of"),
        ([{"json": "id", "exists": "yes"}], "exists takes true or false"),
        ([{"json": "id", "matches": "("}], "is not a regular expression"),
        ([{"header": "ETag", "equals": 3}], "a header equals a string"),
        ([{"status": 200, "json": "id"}], "exactly one of status, json, header"),
        ([{"json": "id", "equal": 1}], "unknown key 'equal'"),
        ([{"status": 200, "equals": 200}], "unknown key 'equals'"),
        (["status"], "each assertion is an object"),
    ],
)
def test_bad_assertions_name_the_file_line_and_assertion(checks: object, words: str) -> None:
    with pytest.raises(CollectionFileError) as caught:
        loads_request(_file(checks), "lists.request.json")
    assert caught.value.line == 4
    assert str(caught.value).startswith("lists.request.json, line 4: ")
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "check",
    [
        {"header": "X-Token-Echo", "equals": KEY},
        {"json": "keys[0]", "equals": {"value": KEY}},
        {"json": "keys[0]", "matches": KEY},
    ],
)
def test_a_credential_in_an_assertion_is_refused(check: dict[str, object]) -> None:
    saved = SavedRequest(ApiRequest("GET", "/ping"), "", (assertion_from_dict(check),))
    with pytest.raises(SecretRefused) as caught:
        dumps_request(saved)
    assert "assertion 1" in str(caught.value) and KEY not in str(caught.value)


def test_describe_reads_as_written() -> None:
    cases = {
        '{"status": "2xx"}': 'status in "2xx"',
        '{"json": "members[*].status", "equals": "subscribed"}': (
            'json members[*].status equals "subscribed"'
        ),
        '{"header": "ETag", "exists": false}': "header ETag is absent",
    }
    for written, words in cases.items():
        assert assertion_from_dict(json.loads(written)).describe() == words
