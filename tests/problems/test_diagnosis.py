"""diagnose: one case per context rule, plus the glossary fallback."""

from __future__ import annotations

import pytest

from mcexplorer.core.problems.diagnosis import DiagnosisContext, diagnose
from mcexplorer.core.problems.glossary import Glossary
from mcexplorer.core.problems.problem import Problem, decode_problem, problem_from_error
from tests.problems.test_decode import FIREWALL_PAGE, HTML, JSON, PROBLEM_JSON


def _problem(status: int, title: str, detail: str = "") -> Problem:
    body = f'{{"title": "{title}", "status": {status}, "detail": "{detail}"}}'.encode()
    problem = decode_problem(status, PROBLEM_JSON, body)
    assert problem is not None
    return problem


@pytest.mark.parametrize(("status", "title"), [(401, "API Key Invalid"), (403, "Forbidden")])
def test_datacenter_mismatch_names_the_right_host(status: int, title: str) -> None:
    lines = diagnose(_problem(status, title), DiagnosisContext(key_dc="us6", host_dc="us1"))
    assert "datacenter us6" in lines[0]
    assert "went to us1" in lines[0]
    assert "https://us6.api.mailchimp.com/3.0/" in lines[0]


def test_matching_datacenter_on_401_blames_the_key() -> None:
    lines = diagnose(
        _problem(401, "API Key Invalid"), DiagnosisContext(key_dc="us6", host_dc="us6")
    )
    assert "key itself is wrong" in lines[0]


def test_wrong_datacenter_without_a_host_dc_still_gives_the_url() -> None:
    lines = diagnose(_problem(403, "Wrong Datacenter"), DiagnosisContext(key_dc="us19"))
    assert lines == [
        "The key names datacenter us19, so its API lives at https://us19.api.mailchimp.com/3.0/."
    ]


@pytest.mark.parametrize("role", ["viewer", "author"])
def test_403_with_a_limited_role_says_so(role: str) -> None:
    lines = diagnose(_problem(403, "Forbidden"), DiagnosisContext(role=role))
    assert f"has the {role} role" in lines[0]
    assert "manager, admin or owner" in lines[0]


def test_403_with_a_sufficient_role_points_elsewhere() -> None:
    lines = diagnose(_problem(403, "Forbidden"), DiagnosisContext(role="admin"))
    assert lines[0].startswith("The key's user is an admin")


def test_403_with_unknown_role_says_how_to_find_it() -> None:
    lines = diagnose(_problem(403, "Forbidden"), DiagnosisContext())
    assert "GET the API root" in lines[0]


def test_mismatch_outranks_role() -> None:
    lines = diagnose(
        _problem(403, "Forbidden"), DiagnosisContext(key_dc="us6", host_dc="us2", role="viewer")
    )
    assert len(lines) == 1 and "went to us2" in lines[0]


def test_firewall_page_gives_the_reference_for_support() -> None:
    problem = decode_problem(403, HTML, FIREWALL_PAGE)
    assert problem is not None
    lines = diagnose(problem, DiagnosisContext(role="viewer"))
    assert "Reference #18.2d3e1402.1700000000.1a2b3c4d" in lines[0]
    assert "support" in lines[1]
    assert not any("role" in line for line in lines)


def test_firewall_page_without_reference() -> None:
    problem = decode_problem(
        403, HTML, b"<h1>Access Denied</h1>You don't have permission to access"
    )
    assert problem is not None and problem.kind == "firewall-html"
    assert "no reference number" in diagnose(problem, DiagnosisContext())[0]


def test_429_at_our_own_limit_blames_our_concurrency() -> None:
    lines = diagnose(_problem(429, "Too Many Requests"), DiagnosisContext(in_use=10, limit=10))
    assert "our own concurrency" in lines[0]
    assert "safe" in lines[-1]


def test_429_well_below_the_limit_blames_another_app() -> None:
    lines = diagnose(_problem(429, "Too Many Requests"), DiagnosisContext(in_use=2, limit=10))
    assert "another app" in lines[0]
    assert "Only 2" in lines[0]


def test_429_in_between_mentions_both() -> None:
    lines = diagnose(_problem(429, "Too Many Requests"), DiagnosisContext(in_use=7, limit=10))
    assert lines[0].startswith("7 of our requests") and "together with another app" in lines[0]


def test_slot_limit_above_ten_is_flagged() -> None:
    lines = diagnose(_problem(429, "Too Many Requests"), DiagnosisContext(in_use=16, limit=16))
    assert any("Our slot limit is 16" in line for line in lines)


def test_empty_403_reads_as_throttling_not_permissions() -> None:
    problem = decode_problem(403, {}, b"")
    assert problem is not None
    lines = diagnose(problem, DiagnosisContext(in_use=10, limit=10, role="viewer"))
    assert "throttling" in lines[0]
    assert not any("viewer" in line for line in lines)


def test_pending_webhooks_429_is_not_about_concurrency() -> None:
    problem = _problem(429, "Too Many Requests", "You have more than 500 pending webhooks.")
    lines = diagnose(problem, DiagnosisContext(in_use=10, limit=10))
    assert lines == [
        "This 429 is about batch webhook deliveries waiting (500 or more), not about "
        "concurrency: wait for them to drain before starting another batch."
    ]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_5xx_on_a_write_says_check_before_repeating(method: str) -> None:
    lines = diagnose(_problem(502, "Bad Gateway"), DiagnosisContext(method=method))
    assert lines[0].startswith(f"A {method} that ended this way may or may not have been applied")


def test_5xx_on_a_read_is_safe_to_retry_and_honours_retry_after() -> None:
    problem = decode_problem(503, {"Retry-After": "4"}, b"")
    assert problem is not None
    assert diagnose(problem, DiagnosisContext(method="GET")) == [
        "A GET is safe to repeat: retry it after the 4 s the server asked for."
    ]


def test_compliance_503_is_not_called_transient() -> None:
    lines = diagnose(_problem(503, "Compliance Related"), DiagnosisContext(method="GET"))
    assert not any("retry" in line for line in lines)
    assert lines == []  # the glossary entry's causes are shown by the views, not repeated


def test_timeout_after_sending_a_post() -> None:
    problem = problem_from_error("ReadTimeout", sent=True, timeout=True)
    lines = diagnose(problem, DiagnosisContext(method="post"))
    assert "may or may not have been applied" in lines[0]


def test_refused_connection_is_not_an_unknown_outcome() -> None:
    problem = problem_from_error("Connection refused", sent=False)
    lines = diagnose(problem, DiagnosisContext(method="POST"))
    assert not any("may or may not" in line for line in lines)


def test_426_over_plain_http_names_the_base_url() -> None:
    problem = decode_problem(426, {"content-type": "text/plain"}, b"Use HTTPS")
    assert problem is not None
    lines = diagnose(problem, DiagnosisContext(base_url="http://us6.api.mailchimp.com/3.0/"))
    assert lines == [
        "The base URL http://us6.api.mailchimp.com/3.0/ uses plain http: switch it to https://."
    ]


def test_mailersend_daily_quota_gives_the_reset_time() -> None:
    headers = {"content-type": "application/json", "x-apiquota-reset": "2024-07-07T00:00:00Z"}
    body = b'{"message":"Your account reached its API daily quota limit. #MS42901"}'
    problem = decode_problem(429, headers, body)
    assert problem is not None
    lines = diagnose(problem, DiagnosisContext(in_use=1, limit=10))
    assert "refills at 2024-07-07T00:00:00Z" in lines[0]
    assert not any("another app" in line for line in lines)  # Mailchimp's rule does not apply


def test_mailersend_per_minute_limit_gives_the_wait() -> None:
    headers = {"content-type": "application/json", "retry-after": "59"}
    body = b'{"message":"Your account reached its rate limit of 120 requests/min. #MS42903"}'
    problem = decode_problem(429, headers, body)
    assert problem is not None
    assert diagnose(problem, DiagnosisContext()) == [
        "This is the per-minute rate limit, not the daily quota: wait 59 s and try again."
    ]


def test_without_context_nothing_repeats_the_glossary() -> None:
    problem = decode_problem(422, JSON, b'{"message":"Invalid.","errors":{"x":["bad #MS42207"]}}')
    assert problem is not None
    assert diagnose(problem, DiagnosisContext()) == []
    entry = Glossary.load().lookup(problem)
    assert entry is not None and any("domain" in cause for cause in entry.causes)


def test_unknown_errors_get_a_generic_sentence() -> None:
    problem = decode_problem(418, {}, b"teapot")
    assert problem is not None
    assert diagnose(problem, DiagnosisContext()) == [
        "The server refused the request as sent: read the detail text for the reason."
    ]
