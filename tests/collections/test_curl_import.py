"""curl commands in and out: auth dropped on import, a variable reference on export."""

from __future__ import annotations

import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.collections.curl_import import CurlImportError, parse_curl
from mcexplorer.core.collections.format import SecretRefused
from mcexplorer.core.http.curl import to_curl
from mcexplorer.core.http.request import ApiRequest

KEY = "0123456789abcdef0123456789abcdef-us6"
BASE = "https://us6.api.mailchimp.com/3.0/"


def test_the_usual_mailchimp_command() -> None:
    got = parse_curl(
        "curl -X POST \\\n"
        "  'https://us6.api.mailchimp.com/3.0/lists/a1b2c3/members?skip_merge_validation=true' \\\n"
        f"  --user 'anystring:{KEY}' \\\n"
        "  -H 'Content-Type: application/json' -H 'X-Trigger-Error: APIKeyMissing' \\\n"
        """  -d '{"email_address": "zoë@example.com", "status": "pending"}'"""
    )
    req = got.saved.request
    assert req.method == "POST"
    assert req.path == "/lists/{list_id}/members"
    assert req.path_params == {"list_id": "a1b2c3"}
    assert req.query == {"skip_merge_validation": "true"}
    assert req.headers == {"X-Trigger-Error": "APIKeyMissing"}
    assert req.body == {"email_address": "zoë@example.com", "status": "pending"}
    assert got.base_url == BASE
    assert got.dropped == ["--user credentials (auth comes from the profile)"]
    assert KEY not in repr(got)


@pytest.mark.parametrize(
    ("command", "method", "path", "query", "body"),
    [
        ("curl https://us6.api.mailchimp.com/3.0/ping", "GET", "/ping", {}, None),
        (
            "curl -XDELETE https://us6.api.mailchimp.com/3.0/lists/x",
            "DELETE",
            "/lists/{list_id}",
            {},
            None,
        ),
        (
            'curl --request=PATCH --url "https://us6.api.mailchimp.com/3.0/lists/x" '
            '--data-raw "{}"',
            "PATCH",
            "/lists/{list_id}",
            {},
            {},
        ),
        (
            "curl -G https://us6.api.mailchimp.com/3.0/lists -d count=5 -d offset=10",
            "GET",
            "/lists",
            {"count": "5", "offset": "10"},
            None,
        ),
        (
            'curl -sS -L --compressed "https://api.mailersend.com/v1/domains?page=2"',
            "GET",
            "/domains",
            {"page": "2"},
            None,
        ),
        ("curl --json '[1, 2]' http://127.0.0.1:8080/3.0/batches", "POST", "/batches", {}, [1, 2]),
    ],
)
def test_command_shapes(
    command: str, method: str, path: str, query: dict[str, str], body: object
) -> None:
    req = parse_curl(command).saved.request
    assert (req.method, req.path, req.query, req.body) == (method, path, query, body)


@pytest.mark.parametrize(
    "command",
    [
        f"curl -H 'Authorization: apikey {KEY}' https://us6.api.mailchimp.com/3.0/ping",
        "curl -H 'Authorization: Bearer abc' https://api.mailersend.com/v1/domains",
        f"curl -u 'x:{KEY}' https://us6.api.mailchimp.com/3.0/ping",
        f"curl 'https://any:{KEY}@us6.api.mailchimp.com/3.0/ping'",
    ],
)
def test_auth_is_always_dropped(command: str) -> None:
    got = parse_curl(command)
    assert got.dropped and "profile" in got.dropped[0]
    assert KEY not in repr(got) and "abc" not in repr(got.saved)
    assert got.saved.request.header("Authorization") is None


def test_a_key_elsewhere_in_the_command_is_refused() -> None:
    with pytest.raises(SecretRefused):
        parse_curl(f"curl 'https://us6.api.mailchimp.com/3.0/ping?apikey={KEY}'")


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("wget https://example.com", "start with 'curl'"),
        ("curl -X GET", "no URL"),
        ("curl 'https://x.test/3.0/ping", "unbalanced quotes"),
        ("curl -d 'email=a@b.c' https://us6.api.mailchimp.com/3.0/lists", "not JSON"),
        ("curl -H 'NoColon' https://us6.api.mailchimp.com/3.0/ping", "has no ':'"),
        ("curl -X FETCH https://us6.api.mailchimp.com/3.0/ping", "Unknown HTTP method"),
        ("curl https://a.test/3.0/ping https://b.test/3.0/ping", "one URL only"),
    ],
)
def test_bad_commands_say_why(command: str, words: str) -> None:
    with pytest.raises(CurlImportError, match=words):
        parse_curl(command)


@pytest.mark.parametrize(
    "req",
    [
        ApiRequest("GET", "/ping"),
        ApiRequest("GET", "/lists", query={"count": "5", "fields": "lists.id,lists.name"}),
        ApiRequest(
            "PUT",
            "/lists/{list_id}/members/{subscriber_hash}",
            {"list_id": "a1", "subscriber_hash": "62eeb292278cc15f5817cb78f7790b08"},
            body={"email_address": "it's@example.com", "merge_fields": {"FNAME": "Zoë"}},
        ),
        ApiRequest("POST", "/lists/{list_id}/members", {"list_id": "a1"}, headers={"X-A": "b c"}),
    ],
)
def test_export_then_import_gives_the_same_request(req: ApiRequest) -> None:
    creds = Credentials.api_key(KEY)
    command = to_curl(req, BASE, creds)
    assert KEY not in command and "$MAILCHIMP_API_KEY" in command
    got = parse_curl(command)
    assert got.saved.request.to_dict() == req.to_dict()
    assert got.base_url == BASE
