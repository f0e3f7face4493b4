"""The composer's request model: what it holds is what it sends, or it says why not."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcexplorer.core.catalog.model import Catalog
from mcexplorer.core.http.draft import (
    Draft,
    SavedOrigin,
    parse_headers,
    unresolved_variables,
)
from mcexplorer.core.http.request import ApiRequest, RequestInvalid

MEMBER = "/lists/{list_id}/members/{subscriber_hash}"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def _issues(draft: Draft) -> str:
    with pytest.raises(RequestInvalid) as caught:
        draft.to_request()
    return str(caught.value)


def test_an_empty_path_is_an_issue_never_the_root() -> None:
    assert "path: is empty" in _issues(Draft(path=""))
    assert "path: is empty" in _issues(Draft(path="   "))


def test_from_operation_has_its_template_and_body(catalog: Catalog) -> None:
    op = catalog.get("POST", "/lists/{list_id}/members")
    assert op is not None
    draft = Draft.from_operation(op, {"list_id": "abc"})
    assert (draft.method, draft.path, draft.params) == ("POST", op.path, {"list_id": "abc"})
    assert '"email_address"' in draft.body and draft.operation is op


def test_from_link_matches_the_operation_and_splits_the_query(catalog: Catalog) -> None:
    draft = Draft.from_link("GET", "/3.0/lists/abc/members?count=5&status=subscribed", catalog)
    assert draft.path == "/lists/{list_id}/members" and draft.params == {"list_id": "abc"}
    assert draft.count == "5" and draft.choices == {"status": "subscribed"}
    req = draft.to_request()
    assert req.render_path() == "/lists/abc/members"
    assert req.query == {"count": "5", "status": "subscribed"}


def test_an_unknown_link_keeps_its_path_and_query() -> None:
    draft = Draft.from_link("GET", "/3.0/nowhere/x?a=1", None)
    assert (draft.path, draft.query_text, draft.operation) == ("/nowhere/x", "a=1", None)
    assert draft.to_request().query == {"a": "1"}


def test_the_email_is_the_hash_that_is_shown_and_sent() -> None:
    draft = Draft(path="/lists")
    draft.set_email("Ann@Example.com")  # typed before the template
    draft.set_path(MEMBER)
    draft.set_param("list_id", "L1")
    digest = hashlib.md5(b"ann@example.com").hexdigest()
    assert draft.param_value("subscriber_hash") == digest
    assert draft.to_request().path_params == {"list_id": "L1", "subscriber_hash": digest}
    draft.set_param("subscriber_hash", "typed-by-hand")  # the hand-typed hash wins
    assert draft.email == "" and draft.to_request().path_params["subscriber_hash"] == (
        "typed-by-hand"
    )


def test_editing_the_path_keeps_values_by_name(catalog: Catalog) -> None:
    draft = Draft.from_link("GET", "/3.0/lists/abc/members?count=2&offset=4", catalog)
    draft.set_path("/lists/{list_id}/members/", catalog)
    draft.set_path("/lists/{list_id}/members", catalog)
    assert draft.params["list_id"] == "abc" and (draft.count, draft.offset) == ("2", "4")
    assert draft.operation is not None and draft.operation.path == draft.path


def test_count_letters_are_reported_and_empty_means_default() -> None:
    assert "count: '1x' is not a whole number" in _issues(Draft(path="/lists", count="1x"))
    assert "count" not in Draft(path="/lists", count="").to_request().query
    assert Draft(path="/lists", offset=" 7 ").to_request().query == {"offset": "7"}


def test_fields_and_exclude_fields_together_are_named() -> None:
    draft = Draft(path="/lists", fields="lists.id", exclude_fields="total_items")
    assert "cannot be used together" in _issues(draft)


def test_headers_trigger_and_override() -> None:
    draft = Draft(
        method="DELETE",
        path="/lists/{list_id}",
        params={"list_id": "x"},
        headers_text="X-Note: a",
        trigger="ResourceNotFound",
        override=True,
    )
    req = draft.to_request()
    assert req.method == "POST" and req.headers == {
        "X-Note": "a",
        "X-Trigger-Error": "ResourceNotFound",
        "X-HTTP-Method-Override": "DELETE",
    }
    assert "headers: 'oops' needs Name: value" in _issues(Draft(path="/x", headers_text="oops"))


def test_a_body_only_travels_with_a_write() -> None:
    assert Draft(method="GET", path="/x", body='{"a": 1}').to_request().body is None
    assert Draft(method="POST", path="/x", body='{"a": 1}').to_request().body == {"a": 1}
    assert "invalid JSON" in _issues(Draft(method="POST", path="/x", body='{"a": '))


def test_from_request_round_trips_what_it_was_given(catalog: Catalog) -> None:
    req = ApiRequest(
        "PUT",
        MEMBER,
        {"list_id": "L", "subscriber_hash": "h"},
        {"fields": "id", "skip_merge_validation": "true"},
        {"X-Trigger-Error": "BadRequest", "X-Note": "n"},
        {"email_address": "a@b.co"},
    )
    draft = Draft.from_request(req, catalog.get("PUT", MEMBER), {"BadRequest"})
    assert draft.trigger == "BadRequest" and draft.headers_text == "X-Note: n"
    assert draft.to_request() == req
    unknown = Draft.from_request(req, None, set())
    assert unknown.trigger is None and "X-Trigger-Error: BadRequest" in unknown.headers_text


def test_a_different_operation_than_the_saved_one_is_noticed() -> None:
    draft = Draft(path="/ping", origin=SavedOrigin("ping.request.json", "GET", "/ping"))
    assert not draft.differs_from_origin()
    draft.set_param("x", "y")
    assert not draft.differs_from_origin()
    draft.set_path("/lists")
    assert draft.differs_from_origin()
    assert Draft(path="/lists").keeping(draft).origin == draft.origin


def test_unresolved_variables_are_named() -> None:
    req = ApiRequest("GET", "/lists/{list_id}", {"list_id": "{{list_id}}"}, {"q": "{{term}}"})
    assert unresolved_variables(req) == ["list_id", "term"]
    assert unresolved_variables(ApiRequest("GET", "/lists")) == []


_names = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,10}", fullmatch=True)
_values = st.from_regex(r"[A-Za-z0-9 ._/-]{0,12}", fullmatch=True).map(str.strip)


@given(st.dictionaries(_names, _values, max_size=4))
def test_headers_text_round_trips(headers: dict[str, str]) -> None:
    from mcexplorer.core.http.draft import format_headers

    assert parse_headers(format_headers(headers)) == headers


@given(
    st.sampled_from(["", "/lists", "/lists/{list_id}", MEMBER]),
    st.text(max_size=6),
    st.text(max_size=6),
)
def test_to_request_sends_exactly_the_shown_text_or_refuses(
    path: str, count: str, list_id: str
) -> None:
    draft = Draft(path=path, count=count, params={"list_id": list_id})
    try:
        req = draft.to_request()
    except RequestInvalid:
        return
    assert req.path == path.strip() and path.strip()
    assert req.query.get("count", "") == count.strip()
    for name in draft.names:
        assert req.path_params[name] == draft.param_value(name).strip()
