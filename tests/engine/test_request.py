"""The request model: validation before sending, path rendering, params, curl export."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.http.curl import to_curl
from mcexplorer.core.http.request import (
    ApiRequest,
    RequestInvalid,
    apply_params,
    parse_body_text,
    split_assignment,
    subscriber_hash,
)
from mcexplorer.core.redact import SECRET_NAME, looks_secret

KEY = "0123456789abcdef0123456789abcdef-us6"
MEMBER = "/lists/{list_id}/members/{subscriber_hash}"


def messages(req: ApiRequest) -> list[str]:
    return [str(i) for i in req.validate()]


def test_subscriber_hash_is_md5_of_the_lowercased_address() -> None:
    assert subscriber_hash("Urist.McVankab@Freddiesjokes.com") == subscriber_hash(
        "urist.mcvankab@freddiesjokes.com"
    )
    assert subscriber_hash("urist.mcvankab@freddiesjokes.com") == (
        "62eeb292278cc15f5817cb78f7790b08"
    )


def test_fields_and_exclude_fields_together_are_refused() -> None:
    req = ApiRequest(query={"fields": "id", "exclude_fields": "name"})
    assert messages(req) == ["fields: fields and exclude_fields cannot be used together"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"count": "0"}, "count: must be between 1 and 1000, got 0"),
        ({"count": "1001"}, "count: must be between 1 and 1000, got 1001"),
        ({"count": "ten"}, "count: 'ten' is not a whole number"),
        ({"offset": "-1"}, "offset: must be at least 0, got -1"),
    ],
)
def test_count_and_offset_bounds(query: dict[str, str], message: str) -> None:
    assert messages(ApiRequest(query=query)) == [message]


def test_missing_path_param_is_named() -> None:
    req = ApiRequest(path=MEMBER, path_params={"list_id": "abc"})
    assert messages(req) == ["path: no value for {subscriber_hash}"]
    with pytest.raises(RequestInvalid, match="subscriber_hash"):
        req.render_path()


def test_method_override_only_on_post() -> None:
    req = ApiRequest("PATCH", "/lists/x", headers={"X-HTTP-Method-Override": "DELETE"})
    assert messages(req) == ["headers: X-HTTP-Method-Override is only accepted on POST"]
    overridden = ApiRequest("PATCH", "/lists/x").with_method_override()
    assert overridden.method == "POST" and overridden.validate() == []
    assert overridden.headers == {"X-HTTP-Method-Override": "PATCH"}


def test_auth_header_cannot_be_set_by_hand() -> None:
    req = ApiRequest(headers={"Authorization": "Basic abc"})
    assert messages(req) == ["headers: Authorization is set from the profile, not by hand"]


def test_invalid_json_body_text_names_the_position() -> None:
    with pytest.raises(RequestInvalid, match=r"body: invalid JSON at line 1, column 10"):
        parse_body_text('{"name": }')
    assert parse_body_text('{"a": [1, 2]}') == {"a": [1, 2]}


def test_render_path_quotes_values() -> None:
    req = ApiRequest(path=MEMBER, path_params={"list_id": "a/b", "subscriber_hash": "x y"})
    assert req.render_path() == "/lists/a%2Fb/members/x%20y"


def test_apply_params_splits_path_and_query() -> None:
    req = apply_params(ApiRequest(path=MEMBER), [("list_id", "L1"), ("status", "subscribed")])
    assert req.path_params == {"list_id": "L1"} and req.query == {"status": "subscribed"}


def test_split_assignment() -> None:
    assert split_assignment("a=b=c") == ("a", "b=c")
    with pytest.raises(RequestInvalid, match="name=value"):
        split_assignment("novalue")


def test_round_trip_through_dict() -> None:
    req = ApiRequest("PUT", MEMBER, {"list_id": "1"}, {"fields": "id"}, {"X-A": "b"}, {"x": 1})
    assert ApiRequest.from_dict(req.to_dict()) == req


def test_curl_never_holds_the_secret() -> None:
    creds = Credentials.api_key(KEY)
    req = ApiRequest("POST", "/lists", query={"fields": "id,name"}, body={"name": "it's"})
    line = to_curl(req, "https://us6.api.mailchimp.com/3.0/", creds)
    assert KEY not in line and KEY[:32] not in line
    argv = shlex.split(line)
    # The key goes to curl through a builtin printf and stdin, never through curl's argv.
    feed, curl = argv[: argv.index("|")], argv[argv.index("|") + 1 :]
    assert feed == ["printf", 'user = "anystring:%s"\\n', "$MAILCHIMP_API_KEY"]
    assert curl[:7] == [
        "curl",
        "-K",
        "-",
        "-sS",
        "-X",
        "POST",
        "https://us6.api.mailchimp.com/3.0/lists?fields=id,name",
    ]
    assert not any("MAILCHIMP_API_KEY" in arg for arg in curl)
    assert curl[-1] == '{"name":"it\'s"}'


def test_curl_refuses_an_env_name_that_could_run_code() -> None:
    with pytest.raises(ValueError, match="environment variable name"):
        to_curl(ApiRequest(), "https://x/", Credentials.api_key(KEY), env_var="X$(id)")


@given(st.text(max_size=12))
def test_count_validator_accepts_exactly_the_whole_numbers_1_to_1000(text: str) -> None:
    issues = ApiRequest(query={"count": text}).validate()
    try:
        expected_ok = 1 <= int(text.strip()) <= 1000
    except ValueError:
        expected_ok = False
    assert (issues == []) == expected_ok
    assert all(i.field == "count" for i in issues)


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=6))
def test_query_validation_flags_only_known_parameters(query: dict[str, str]) -> None:
    issues = ApiRequest(query=query).validate()
    # Any other parameter is flagged only when it carries a credential (`apikey=…`).
    credentials = {i.field.removeprefix("query ") for i in issues if i.field.startswith("query ")}
    assert all(
        (SECRET_NAME.search(name) and query[name].strip()) or looks_secret(query[name])
        for name in credentials
    )
    flagged = {i.field for i in issues} - {f"query {name}" for name in credentials}
    assert flagged <= {"fields", "count", "offset"}
    if not {"count", "offset", "exclude_fields"} & set(query):
        assert flagged == set()


@given(st.lists(st.tuples(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), st.text(max_size=6))))
def test_apply_params_never_loses_a_pair(pairs: list[tuple[str, str]]) -> None:
    req = apply_params(ApiRequest(path=MEMBER), pairs)
    merged = {**req.path_params, **req.query}
    assert merged == dict(pairs)
    assert set(req.path_params) <= {"list_id", "subscriber_hash"}
