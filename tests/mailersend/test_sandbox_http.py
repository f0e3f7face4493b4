"""The MailerSend sandbox over HTTP: auth, sending, validation, limits and the daily quota."""

from __future__ import annotations

import re

import httpx

from mcexplorer.core.problems.glossary import Glossary
from mcexplorer.core.problems.problem import FieldError, decode_problem
from mcexplorer.sandbox.catalog import Catalog
from tests.mailersend.conftest import MIDNIGHT_ISO, MailerSend

SENDER = {"email": "news@demo.example.com", "name": "Demo"}
EMAIL = {
    "from": SENDER,
    "to": [{"email": "reader@example.net"}],
    "subject": "Hello",
    "text": "Plain text body.",
}


def _glossary_key(response: httpx.Response) -> str | None:
    problem = decode_problem(response.status_code, response.headers, response.content)
    assert problem is not None
    entry = Glossary.load().lookup(problem)
    return entry.key if entry else None


def test_an_email_is_accepted_with_a_message_id_and_both_limits(ms: MailerSend) -> None:
    with ms.client() as api:
        response = api.post("email", json=EMAIL)
        assert response.status_code == 202 and response.content == b""
        message_id = response.headers["x-message-id"]
        assert re.fullmatch(r"[0-9a-f]{24}", message_id)
        assert response.headers["x-ratelimit-limit"] == "120"
        assert response.headers["x-ratelimit-remaining"] == "119"
        assert response.headers["x-apiquota-remaining"] == "99"
        assert response.headers["x-apiquota-reset"] == MIDNIGHT_ISO
        stored = api.get(f"messages/{message_id}").json()["data"]
    assert stored["emails"][0]["to"] == "reader@example.net"


def test_an_unverified_sender_domain_is_a_422_with_code_ms42207(ms: MailerSend) -> None:
    with ms.client() as api:
        response = api.post("email", json={**EMAIL, "from": {"email": "a@pending.example.org"}})
    assert response.status_code == 422
    problem = decode_problem(response.status_code, response.headers, response.content)
    assert problem is not None
    assert (problem.kind, problem.code) == ("mailersend", "MS42207")
    assert [e.field for e in problem.errors] == ["from.email"]
    assert _glossary_key(response) == "ms-unverified-domain"


def test_every_invalid_field_is_listed(ms: MailerSend) -> None:
    with ms.client() as api:
        response = api.post("email", json={"from": {"email": "nope"}, "to": [{"email": "x"}]})
    assert response.status_code == 422
    body = response.json()
    # Laravel's form: the first error, then how many others there are.
    assert body["message"] == "The from.email must be a valid email address. (and 3 more errors)"
    problem = decode_problem(response.status_code, response.headers, response.content)
    assert problem is not None
    assert {e.field for e in problem.errors} == {"from.email", "to.0.email", "subject", "text"}
    assert (
        FieldError("to.0.email", "The to.0.email must be a valid email address.") in problem.errors
    )
    assert _glossary_key(response) == "ms-validation"


def test_a_missing_or_unknown_token_is_401_and_not_counted(ms: MailerSend) -> None:
    with httpx.Client(base_url=ms.server.api_url) as anonymous:
        missing = anonymous.get("domains")
    with ms.client("mlsn." + "0" * 64) as stranger:
        unknown = stranger.get("domains")
    for response in (missing, unknown):
        assert response.status_code == 401
        assert response.json() == {"message": "Unauthenticated."}
        assert "x-apiquota-remaining" not in response.headers
        assert _glossary_key(response) == "ms-unauthenticated"
    assert ms.admin.get("/_sandbox/stats").json()["quota_used"] == 0


def test_the_demo_tokens_look_like_mailersend_tokens(ms: MailerSend) -> None:
    for token in (ms.token, ms.read_only_token):
        assert re.fullmatch(r"mlsn\.[0-9a-f]{64}", token)
    assert ms.token != ms.read_only_token


def test_a_read_only_token_may_read_but_not_send(ms: MailerSend) -> None:
    with ms.client(ms.read_only_token) as api:
        assert api.get("domains").status_code == 200
        refused = api.post("email", json=EMAIL)
    assert refused.status_code == 403
    assert _glossary_key(refused) == "ms-forbidden-permission"


def test_a_suspended_account_and_a_blocked_ip_are_403s(ms: MailerSend) -> None:
    with ms.client() as api:
        ms.settings(suspended=True)
        suspended = api.get("domains")
        ms.settings(suspended=False, blocked_ip=True)
        blocked = api.get("domains")
        ms.settings(blocked_ip=False)
        assert api.get("domains").status_code == 200
    assert (suspended.status_code, blocked.status_code) == (403, 403)
    # Each refusal names its cause, so the glossary can give the matching next steps.
    assert _glossary_key(suspended) == "ms-account-suspended"
    assert _glossary_key(blocked) == "ms-ip-blocked"
    entry = Glossary.load().get("ms-ip-blocked")
    assert entry is not None and entry.next_steps


def test_per_minute_windows_are_per_endpoint_class(ms: MailerSend) -> None:
    ms.settings(under_review=True)  # sending drops to 10 a minute
    with ms.client() as api:
        for _ in range(10):
            assert api.post("email", json=EMAIL).status_code == 202
        throttled = api.post("email", json=EMAIL)
        other_class = api.get("domains")
        ms.clock.advance(30)  # START is hh:mm:30, so the next window opens now
        again = api.post("email", json=EMAIL)
    assert throttled.status_code == 429
    assert "#MS42903" in throttled.json()["message"]
    assert throttled.headers["retry-after"] == "30"
    assert throttled.headers["x-ratelimit-remaining"] == "0"
    assert throttled.headers["x-ratelimit-limit"] == "10"
    assert int(throttled.headers["x-ratelimit-reset"]) == int(ms.clock.now)
    assert _glossary_key(throttled) == "ms-rate-limit"
    assert other_class.status_code == 200 and other_class.headers["x-ratelimit-limit"] == "60"
    assert again.status_code == 202 and again.headers["x-ratelimit-remaining"] == "9"


def test_the_daily_quota_runs_out_and_refills_at_midnight_utc(ms: MailerSend) -> None:
    with ms.client() as api:
        for window in range(2):  # two minutes of 50 requests: the free plan's 100 a day
            ms.clock.advance(60 * window)
            for _ in range(50):
                assert api.get("domains").status_code == 200
        ms.clock.advance(29)  # 23:59:59 UTC
        spent = api.get("domains")
        quota = api.get("api-quota")
        ms.clock.advance(2)  # 00:00:01 the next day
        refilled = api.get("domains")
    assert spent.status_code == 429
    assert "#MS42901" in spent.json()["message"]
    assert spent.headers["x-apiquota-remaining"] == "0"
    assert spent.headers["x-apiquota-reset"] == MIDNIGHT_ISO
    assert _glossary_key(spent) == "ms-daily-quota"
    assert quota.status_code == 200
    assert quota.json() == {"quota": 100, "remaining": 0, "reset": MIDNIGHT_ISO}
    assert refilled.status_code == 200
    assert refilled.headers["x-apiquota-remaining"] == "99"
    assert refilled.headers["x-apiquota-reset"] == "2026-03-06T00:00:00Z"


def test_asking_for_the_quota_does_not_use_it(ms: MailerSend) -> None:
    with ms.client() as api:
        for _ in range(3):
            answer = api.get("api-quota")
    assert answer.json()["remaining"] == 100
    assert answer.headers["x-apiquota-remaining"] == "100"


def test_a_bulk_email_is_accepted_and_checked_item_by_item(ms: MailerSend) -> None:
    with ms.client() as api:
        accepted = api.post("bulk-email", json=[EMAIL, {**EMAIL, "to": []}])
        assert accepted.status_code == 202
        assert accepted.headers["x-ratelimit-limit"] == "10"  # the free plan's bulk allowance
        path = f"bulk-email/{accepted.json()['bulk_email_id']}"
        queued = api.get(path).json()["data"]
        ms.clock.advance(1)
        done = api.get(path).json()["data"]
    assert (queued["state"], queued["messages_id"], queued["suppressed_recipients"]) == (
        "queued",
        None,
        None,
    )
    assert done["state"] == "completed"
    assert done["validation_errors_count"] == 1 and len(done["messages_id"]) == 1


def test_unknown_paths_are_404_and_wrong_methods_405(ms: MailerSend) -> None:
    with ms.client() as api:
        missing = api.get("no-such-thing")
        wrong = api.delete("api-quota")
        bad_page = api.get("domains", params={"limit": "500"})
    assert missing.status_code == 404
    assert wrong.status_code == 405 and "GET" in wrong.json()["message"]
    assert bad_page.status_code == 422 and "limit" in bad_page.json()["errors"]


LOOKED_UP = {
    "/email/{email_id}",
    "/identities/email/{email}",
    "/message-schedules/{message_id}",
    "/users/{user_id}",
}


def test_every_catalog_operation_is_served(ms: MailerSend) -> None:
    """No operation falls through to a routing 404 or a crash: each answers its success
    status, a 422 for the empty body, or the bare 404 of an unknown id."""
    ms.settings(plan="enterprise")
    with ms.client() as api:
        for i, op in enumerate(Catalog.load("mailersend_catalog.json").operations):
            if i and i % 50 == 0:
                ms.clock.advance(60)  # stay inside the general limit of 60 a minute
            path = re.sub(r"{\w+}", "abc", op.template).lstrip("/")
            response = api.request(op.method, path, json={} if op.method != "GET" else None)
            placeholder = "{" in op.template
            expected = {op.success, 422} | ({404} if placeholder else set())
            assert response.status_code in expected, (op.method, op.template, response.text)
            if response.status_code == 404:
                # Ids the handler looks up (not the route) answer with the quota headers.
                counted = op.template in LOOKED_UP
                assert ("x-apiquota-remaining" in response.headers) is counted, op.template


def test_admin_refuses_unknown_plans_and_switches(ms: MailerSend) -> None:
    assert ms.admin.put("/_sandbox/mailersend", json={"plan": "gold"}).status_code == 400
    assert ms.admin.put("/_sandbox/mailersend", json={"turbo": True}).status_code == 400
    assert ms.admin.put("/_sandbox/mailersend", json={"suspended": "yes"}).status_code == 400
    assert ms.settings(plan="enterprise")["per_minute"] == {
        "general": 60,
        "email": 120,
        "bulk": 60,
    }


def test_a_send_to_suppressed_recipients_only_answers_with_warnings(ms: MailerSend) -> None:
    with ms.client() as api:
        bounced = api.post("email", json={**EMAIL, "to": [{"email": "gone@example.net"}]})
        mixed = api.post(
            "email",
            json={**EMAIL, "to": [{"email": "gone@example.net"}, {"email": "reader@example.net"}]},
        )
    assert bounced.status_code == 202 and bounced.headers["content-type"] == "application/json"
    (warning,) = bounced.json()["warnings"]
    assert warning["type"] == "ALL_SUPPRESSED"
    assert warning["recipients"] == [{"email": "gone@example.net", "reasons": ["hard_bounce"]}]
    assert mixed.status_code == 202 and mixed.content == b""


def test_each_new_error_kind_has_its_glossary_entry(ms: MailerSend) -> None:
    ms.settings(create_throttle=1)
    hook = {"url": "https://hooks.example.com/g", "name": "G", "events": ["activity.sent"]}
    with ms.client() as api:
        domain_id = api.get("domains").json()["data"][0]["id"]
        answers = {
            "ms-create-throttle": api.post("webhooks", json={**hook, "domain_id": domain_id}),
            "ms-not-found": api.get("webhooks/nosuchwebhook001"),
            "ms-schedule-locked": api.delete(f"message-schedules/{'0' * 24}"),
            "ms-unknown-reference": api.get("webhooks", params={"domain_id": "nosuchdomain0001"}),
            "ms-template-permission": api.post(
                "users", json={"email": "a@example.net", "role": "Designer", "templates": []}
            ),
            "ms-method-not-allowed": api.patch("domains"),
            "ms-bad-request": api.post(
                "webhooks", content=b"{not json", headers={"content-type": "application/json"}
            ),
        }
    assert {key: _glossary_key(response) for key, response in answers.items()} == {
        key: key for key in answers
    }
    throttle = Glossary.load().get("ms-create-throttle")
    assert throttle is not None and "retry-after" in throttle.meaning
