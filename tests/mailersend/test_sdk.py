"""The official `mailersend` SDK (sync client) against the sandbox, by base_url only."""

from __future__ import annotations

import httpx
import pytest
from mailersend.exceptions import AuthenticationError, BadRequestError, MailerSendError

from tests.mailersend.conftest import MailerSend, email_builder
from tests.mailersend.conftest import sdk_client as client_for


def test_sending_returns_202_and_the_message_id(ms: MailerSend) -> None:
    with client_for(ms) as sdk:
        response = sdk.emails.send(email_builder().build())
    assert response.status_code == 202
    message_id = response.data["id"]
    with ms.client() as api:
        assert api.get(f"messages/{message_id}").status_code == 200


def test_an_unverified_domain_raises_bad_request_with_the_code(ms: MailerSend) -> None:
    with client_for(ms) as sdk, pytest.raises(BadRequestError, match="#MS42207"):
        sdk.emails.send(email_builder("news@pending.example.org").build())


def test_an_unknown_token_raises_authentication_error(ms: MailerSend) -> None:
    with client_for(ms, "mlsn." + "f" * 64) as sdk, pytest.raises(AuthenticationError):
        sdk.emails.send(email_builder().build())


def test_a_token_without_permission_is_refused(ms: MailerSend) -> None:
    with client_for(ms, ms.read_only_token) as sdk, pytest.raises(BadRequestError) as caught:
        sdk.emails.send(email_builder().build())
    assert caught.value.response.status_code == 403


def test_the_quota_endpoint_and_headers_reach_the_sdk(ms: MailerSend) -> None:
    with client_for(ms) as sdk:
        quota = sdk.api_quota.get_quota()
        sent = sdk.emails.send(email_builder().build())
    assert quota.data == {"quota": 100, "remaining": 100, "reset": "2026-03-05T00:00:00Z"}
    assert sent.rate_limit_remaining == 99  # the SDK reads x-apiquota-remaining


def test_the_sdk_honours_retry_after_then_gives_up(ms: MailerSend) -> None:
    ms.settings(under_review=True)  # bulk email: one a minute
    ms.app.retry_after_s = 0  # the SDK sleeps retry-after; keep the test quick
    with client_for(ms, retries=1) as sdk:
        sdk.emails.send_bulk([email_builder().build()])
        with pytest.raises(MailerSendError, match="429"):
            sdk.emails.send_bulk([email_builder().build()])
    stats = httpx.get(ms.server.url + "/_sandbox/stats").json()
    assert stats["throttled_429"] == 2  # the first try and the SDK's one retry
