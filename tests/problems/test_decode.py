"""decode_problem on real-shaped bodies: Mailchimp problem documents, MailerSend errors,
the edge firewall's and the CDN's HTML pages, empty and plain-text bodies, Retry-After."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from mcexplorer.core.problems.glossary import Glossary
from mcexplorer.core.problems.problem import (
    BODY_CAP,
    DETAIL_CAP,
    FieldError,
    decode_problem,
    parse_retry_after,
    problem_from_error,
)

PROBLEM_JSON = {"content-type": "application/problem+json; charset=utf-8"}
JSON = {"content-type": "application/json"}
HTML = {"content-type": "text/html"}

# The edge firewall writes its page with entities, the way the real one does.
FIREWALL_PAGE = (
    b"<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n"
    b"You don't have permission to access \"http&#58;&#47;&#47;us6&#46;api&#46;mailchimp&#46;"
    b'com&#47;3&#46;0&#47;lists" on this server.<P>\n'
    b"Reference&#32;&#35;18&#46;2d3e1402&#46;1700000000&#46;1a2b3c4d\n</BODY>\n</HTML>\n"
)
CDN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Error</title><style>body{color:red}</style></head>"
    b"<body><h1>An error occurred while processing your request.</h1>"
    b"<p>Reference #97.5c3e1402.1700000001.99aabbcc</p></body></html>"
)


def _body(value: object) -> bytes:
    return json.dumps(value).encode()


def test_mailchimp_not_found_keeps_every_member() -> None:
    body = {
        "type": "https://mailchimp.com/developer/marketing/docs/errors/",
        "title": "Resource Not Found",
        "status": 404,
        "detail": "The requested resource could not be found.",
        "instance": "9d741ebc-c22a-4e34-af47-5463c4f5cd25",
    }
    problem = decode_problem(404, PROBLEM_JSON, _body(body))
    assert problem is not None
    assert (problem.status, problem.title, problem.kind) == (
        404,
        "Resource Not Found",
        "problem+json",
    )
    assert problem.type == body["type"]
    assert problem.instance == body["instance"]
    assert problem.detail == body["detail"]


def test_invalid_resource_errors_become_field_errors() -> None:
    body = {
        "title": "Invalid Resource",
        "status": 400,
        "detail": "The resource submitted could not be validated.",
        "errors": [
            {"field": "", "message": "Required fields were not provided: permission_reminder"},
            {"field": "contact.zip", "message": "Schema describes string, integer found instead"},
        ],
    }
    problem = decode_problem(400, PROBLEM_JSON, _body(body))
    assert problem is not None
    assert problem.errors == (
        FieldError("", "Required fields were not provided: permission_reminder"),
        FieldError("contact.zip", "Schema describes string, integer found instead"),
    )


def test_plain_json_content_type_is_kind_json() -> None:
    problem = decode_problem(405, JSON, _body({"title": "Method Not Allowed", "status": 405}))
    assert problem is not None and problem.kind == "json"
    assert problem.title == "Method Not Allowed"


def test_mailersend_validation_error_with_code() -> None:
    body = {
        "message": "The given data was invalid.",
        "errors": {"from.email": ["The from.email domain must be verified. #MS42207"]},
    }
    problem = decode_problem(422, JSON, _body(body))
    assert problem is not None
    assert problem.kind == "mailersend"
    assert problem.code == "MS42207"
    assert problem.title == "Unprocessable Entity"
    assert problem.detail == "The given data was invalid."
    assert problem.errors == (
        FieldError("from.email", "The from.email domain must be verified. #MS42207"),
    )


def test_mailersend_quota_429_reads_code_retry_after_and_reset() -> None:
    headers = {
        "content-type": "application/json",
        "retry-after": "59",
        "x-apiquota-remaining": "0",
        "x-apiquota-reset": "2022-03-05T00:00:00Z",
    }
    body = {"message": "Your account reached its API daily quota limit. #MS42901"}
    problem = decode_problem(429, headers, _body(body))
    assert problem is not None
    assert (problem.code, problem.retry_after_s, problem.quota_reset) == (
        "MS42901",
        59.0,
        "2022-03-05T00:00:00Z",
    )


def test_mailersend_unauthenticated() -> None:
    problem = decode_problem(401, JSON, b'{"message":"Unauthenticated."}')
    assert problem is not None
    assert (problem.kind, problem.title, problem.detail) == (
        "mailersend",
        "Unauthorized",
        "Unauthenticated.",
    )
    assert problem.code is None


def test_firewall_page_gives_reference_and_kind() -> None:
    problem = decode_problem(403, HTML, FIREWALL_PAGE)
    assert problem is not None
    assert problem.kind == "firewall-html"
    assert problem.title == "Access Denied"
    assert problem.reference == "18.2d3e1402.1700000000.1a2b3c4d"
    assert "http://us6.api.mailchimp.com/3.0/lists" in problem.detail
    assert "Access Denied Access Denied" not in problem.detail  # <h1> repeating <title>


def test_firewall_text_without_content_type_is_still_recognised() -> None:
    text = b"Access Denied. You don't have permission to access this server. Reference #7.ab.1"
    problem = decode_problem(403, {}, text)
    assert problem is not None
    assert (problem.kind, problem.reference) == ("firewall-html", "7.ab.1")


def test_cdn_502_page_drops_style_and_keeps_reference() -> None:
    problem = decode_problem(502, HTML, CDN_PAGE)
    assert problem is not None
    assert problem.kind == "cdn-html"
    assert problem.title == "Bad Gateway"
    assert problem.reference == "97.5c3e1402.1700000001.99aabbcc"
    assert "color" not in problem.detail
    assert "An error occurred" in problem.detail


def test_other_html_uses_its_heading() -> None:
    page = b"<html><head><title>Maintenance</title></head><body>Back soon</body></html>"
    problem = decode_problem(503, {"content-type": "text/html; charset=utf-8"}, page)
    assert problem is not None
    assert (problem.kind, problem.title, problem.detail) == (
        "html",
        "Maintenance",
        "Maintenance Back soon",
    )


@pytest.mark.parametrize(("status", "title"), [(429, "Too Many Requests"), (403, "Forbidden")])
def test_empty_body_takes_title_from_status(status: int, title: str) -> None:
    problem = decode_problem(status, {}, b"")
    assert problem is not None
    assert (problem.kind, problem.title, problem.detail) == ("empty", title, "")


def test_426_plain_http_text() -> None:
    body = b"Your request was made over HTTP; use HTTPS."
    problem = decode_problem(426, {"content-type": "text/plain"}, body)
    assert problem is not None
    assert (problem.kind, problem.title) == ("text", "Upgrade Required")
    assert problem.detail == body.decode()


def test_two_hundreds_are_not_problems() -> None:
    assert decode_problem(200, JSON, b"{}") is None
    assert decode_problem(204, {}, b"") is None


def test_httpx_headers_are_accepted() -> None:
    headers = httpx.Headers({"Content-Type": "application/problem+json", "Retry-After": "3"})
    problem = decode_problem(503, headers, _body({"title": "Service Unavailable"}))
    assert problem is not None and problem.retry_after_s == 3.0


NOW = datetime(2024, 7, 6, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 2 ", 2.0),
        ("1.5", 1.5),
        ("Sat, 06 Jul 2024 12:00:30 GMT", 30.0),
        ("Sat, 06 Jul 2024 11:00:00 GMT", 0.0),  # in the past: no wait
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_forms(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


def test_retry_after_date_goes_through_decode() -> None:
    headers = {"Retry-After": "Sat, 06 Jul 2024 12:01:00 GMT"}
    problem = decode_problem(503, headers, b"", now=NOW)
    assert problem is not None and problem.retry_after_s == 60.0


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the parser's recursion limit
        b'{"status": ' + b"9" * 10_000 + b"}",  # an integer past Python's digit limit
        b'{"title": 5, "status": "abc", "errors": "not a list", "detail": {"a": [1]}}',
        b'{"title": "\xff\xfe broken", "detail": "x"}',
        b'{"errors": [1, null, {"field": 3}], "title": "   "}',
    ],
)
def test_hostile_json_degrades_to_a_readable_problem(body: bytes) -> None:
    problem = decode_problem(400, PROBLEM_JSON, body)
    assert problem is not None
    assert problem.title
    assert len(problem.detail) <= DETAIL_CAP


def test_wrong_types_are_kept_readably() -> None:
    body = b'{"title": 5, "status": "abc", "errors": "not a list", "detail": {"a": [1]}}'
    problem = decode_problem(400, PROBLEM_JSON, body)
    assert problem is not None
    assert (problem.status, problem.title, problem.detail) == (400, "5", '{"a": [1]}')
    assert problem.errors == (FieldError("", "not a list"),)


def test_huge_body_is_capped() -> None:
    body = b"x" * (BODY_CAP * 4)
    problem = decode_problem(500, {"content-type": "text/plain"}, body)
    assert problem is not None
    assert len(problem.detail) <= DETAIL_CAP
    assert len(json.dumps(problem.to_dict())) < 10_000


@pytest.mark.parametrize(
    "page",
    [
        b"<" * BODY_CAP + b"<script" * 1000,
        b"<style><script></style>" * 20_000 + b"</script>",
        b"<title>" * 40_000,
    ],
)
def test_hostile_markup_is_read_without_stalling(page: bytes) -> None:
    problem = decode_problem(502, HTML, page)
    assert problem is not None and problem.kind == "cdn-html"
    assert len(problem.detail) <= DETAIL_CAP


def test_round_trip_of_a_decoded_problem() -> None:
    problem = decode_problem(403, HTML, FIREWALL_PAGE)
    assert problem is not None
    assert type(problem).from_dict(json.loads(json.dumps(problem.to_dict()))) == problem


def test_timeout_after_sending_warns_it_may_have_been_applied() -> None:
    problem = problem_from_error("ReadTimeout: timed out after 130 s", sent=True, timeout=True)
    assert (problem.kind, problem.status, problem.title) == ("transport", None, "Read Timeout")
    assert "still be processing" in problem.detail
    assert "may already have applied" in problem.detail


def test_refused_before_sending_is_safe_to_repeat() -> None:
    problem = problem_from_error("ConnectError: [Errno 111] Connection refused", sent=False)
    assert problem.title == "Connection Failed"
    assert "safe" in problem.detail
    assert "Connection refused" in problem.detail


def test_reset_after_sending_is_unknown() -> None:
    problem = problem_from_error("RemoteProtocolError: peer closed", sent=True, reset=True)
    assert problem.title == "Connection Reset"
    assert "check its effect" in problem.detail
    other = problem_from_error("RemoteProtocolError: incomplete chunked read", sent=True)
    assert other.title == "Outcome Unknown"


def test_member_state_errors_without_a_type_decode_and_find_their_glossary_entry() -> None:
    """Since 2021 Member Exists and its kin carry only title, status, detail and instance."""
    glossary = Glossary.load()
    for title, key in (
        ("Member Exists", "mc-member-exists"),
        ("Member In Compliance State", "mc-member-compliance"),
        ("Forgotten Email Not Subscribed", "mc-forgotten-email"),
    ):
        body = {"title": title, "status": 400, "detail": "about that address", "instance": "i-1"}
        problem = decode_problem(400, PROBLEM_JSON, json.dumps(body).encode())
        assert problem is not None
        assert (problem.kind, problem.title, problem.type) == ("problem+json", title, "")
        found = glossary.lookup(problem)
        assert found is not None and found.key == key


def test_about_blank_with_an_extra_field_is_a_problem_body() -> None:
    body = {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "An unexpected internal error has occurred.",
        "instance": "i-2",
        "exception": "SomeInternalName",
    }
    problem = decode_problem(500, PROBLEM_JSON, json.dumps(body).encode())
    assert problem is not None and problem.kind == "problem+json"
    assert (problem.type, problem.status, problem.instance) == ("about:blank", 500, "i-2")
    found = Glossary.load().lookup(problem)
    assert found is not None and found.key == "mc-internal-server-error"
