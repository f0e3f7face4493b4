"""Glossary.lookup finds the entry for a decoded problem; search backs the glossary screen."""

from __future__ import annotations

import pytest

from mcexplorer.core.problems.glossary import Glossary, normalize_title
from mcexplorer.core.problems.problem import Problem, decode_problem, problem_from_error
from tests.problems.test_decode import CDN_PAGE, FIREWALL_PAGE, HTML, JSON, PROBLEM_JSON


def _key(problem: Problem | None) -> str | None:
    assert problem is not None
    entry = Glossary.load().lookup(problem)
    return entry.key if entry else None


def test_load_is_cached() -> None:
    assert Glossary.load() is Glossary.load()


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Too Many Requests", "toomanyrequests"),
        ("TooManyRequests", "toomanyrequests"),
        ("  too_many-REQUESTS ", "toomanyrequests"),
    ],
)
def test_titles_normalize_across_spellings(text: str, normal: str) -> None:
    assert normalize_title(text) == normal


@pytest.mark.parametrize(
    ("detail", "key"),
    [
        ("You have exceeded the limit of 10 simultaneous connections.", "mc-too-many-connections"),
        (
            "You have more than 500 pending webhooks. Wait before adding batches.",
            "mc-too-many-batch-webhooks",
        ),
        ("", "mc-too-many-connections"),
    ],
)
def test_the_two_429s_are_told_apart_by_detail(detail: str, key: str) -> None:
    body = f'{{"title": "Too Many Requests", "status": 429, "detail": "{detail}"}}'.encode()
    assert _key(decode_problem(429, PROBLEM_JSON, body)) == key


def test_html_kinds_find_their_entries() -> None:
    assert _key(decode_problem(403, HTML, FIREWALL_PAGE)) == "mc-firewall-block"
    assert _key(decode_problem(502, HTML, CDN_PAGE)) == "mc-cdn-timeout-page"
    assert _key(decode_problem(502, PROBLEM_JSON, b'{"title":"Bad Gateway"}')) == "mc-bad-gateway"


def test_empty_throttle_only_for_403_and_429() -> None:
    assert _key(decode_problem(429, {}, b"")) == "mc-throttled-no-body"
    assert _key(decode_problem(403, {}, b"")) == "mc-throttled-no-body"
    assert _key(decode_problem(500, {}, b"")) == "mc-internal-server-error"


@pytest.mark.parametrize(
    ("status", "body", "key"),
    [
        (
            422,
            b'{"message":"Invalid.","errors":{"from.email":["Not verified. #MS42207"]}}',
            "ms-unverified-domain",
        ),
        (
            422,
            b'{"message":"The given data was invalid.","errors":{"subject":["Required."]}}',
            "ms-validation",
        ),
        (
            429,
            b'{"message":"Your account reached its API daily quota limit. #MS42901"}',
            "ms-daily-quota",
        ),
        (
            429,
            b'{"message":"Your account reached its rate limit of 120 requests/min. #MS42903"}',
            "ms-rate-limit",
        ),
        (429, b'{"message":"Too Many Attempts."}', "ms-rate-limit"),
        (401, b'{"message":"Unauthenticated."}', "ms-unauthenticated"),
        (403, b'{"message":"This action is unauthorized."}', "ms-forbidden"),
    ],
)
def test_mailersend_by_code_then_status(status: int, body: bytes, key: str) -> None:
    assert _key(decode_problem(status, JSON, body)) == key


def test_the_same_title_differs_by_provider() -> None:
    mailchimp = decode_problem(403, PROBLEM_JSON, b'{"title":"Forbidden","status":403}')
    mailersend = decode_problem(403, JSON, b'{"message":"Forbidden."}')
    assert (_key(mailchimp), _key(mailersend)) == ("mc-forbidden", "ms-forbidden")


def test_status_fallback_for_unknown_titles() -> None:
    odd = decode_problem(400, PROBLEM_JSON, b'{"title":"Some New Title","status":400}')
    assert _key(odd) == "mc-bad-request"
    assert (
        _key(decode_problem(426, {"content-type": "text/plain"}, b"Use HTTPS")) == "mc-plain-http"
    )
    assert _key(decode_problem(418, {}, b"teapot")) is None


def test_same_status_wins_when_a_title_is_shared() -> None:
    # "Not Found" is only an alias, but a matching status must still be preferred.
    assert _key(Problem(status=404, title="Not Found")) == "mc-resource-not-found"
    assert _key(Problem(status=503, title="Compliance Related")) == "mc-compliance-related"


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"sent": False}, "tr-connection-failed"),
        ({"sent": True, "timeout": True}, "tr-read-timeout"),
        ({"sent": True, "reset": True}, "tr-connection-reset"),
        ({"sent": False, "reset": True}, "tr-connection-reset"),
        ({"sent": True}, "tr-outcome-unknown"),
    ],
)
def test_transport_failures_find_transport_entries(kwargs: dict[str, bool], key: str) -> None:
    assert _key(problem_from_error("boom", **kwargs)) == key


def test_search_ranks_title_hits_first() -> None:
    glossary = Glossary.load()
    hits = [e.key for e in glossary.search("too many")]
    assert hits[:2] == ["mc-too-many-connections", "mc-too-many-batch-webhooks"]
    assert glossary.search("zebra crossing") == []
    assert glossary.search("ResourceNestingTooDeep")[0].key == "mc-nesting-too-deep"
    assert glossary.search("429")[0].status == 429
    assert "mc-firewall-block" in [e.key for e in glossary.search("reference number")]
    assert glossary.search("") == glossary.entries
