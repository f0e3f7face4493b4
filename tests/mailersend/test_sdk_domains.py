"""The official SDK managing where mail comes from and goes to: domains and their settings,
SMTP users, sender identities, inbound routes and webhooks, and the creation throttle."""

from __future__ import annotations

import pytest
from mailersend import MailerSendClient
from mailersend.exceptions import BadRequestError, ResourceNotFoundError
from mailersend.models.domains import (
    DomainCreateRequest,
    DomainDeleteRequest,
    DomainDnsRecordsRequest,
    DomainGetRequest,
    DomainListQueryParams,
    DomainListRequest,
    DomainRecipientsQueryParams,
    DomainRecipientsRequest,
    DomainUpdateSettingsRequest,
    DomainVerificationRequest,
)
from mailersend.models.identities import (
    IdentityCreateRequest,
    IdentityDeleteRequest,
    IdentityGetByEmailRequest,
    IdentityListQueryParams,
    IdentityListRequest,
    IdentityUpdateByEmailRequest,
)
from mailersend.models.inbound import (
    InboundCreateRequest,
    InboundDeleteRequest,
    InboundFilterGroup,
    InboundForward,
    InboundGetRequest,
    InboundListQueryParams,
    InboundListRequest,
    InboundUpdateRequest,
)
from mailersend.models.smtp_users import (
    SmtpUserCreateRequest,
    SmtpUserDeleteRequest,
    SmtpUserGetRequest,
    SmtpUsersListRequest,
    SmtpUserUpdateRequest,
)
from mailersend.models.webhooks import (
    WebhookCreateRequest,
    WebhookDeleteRequest,
    WebhookGetRequest,
    WebhooksListQueryParams,
    WebhooksListRequest,
    WebhookUpdateRequest,
)

from tests.mailersend.conftest import Demo, MailerSend, sdk_client

HOOK = {"url": "https://hooks.example.com/ms", "name": "Events", "events": ["activity.sent"]}


def test_a_domain_is_added_checked_and_removed(sdk: MailerSendClient) -> None:
    created = sdk.domains.create_domain(DomainCreateRequest(name="fresh.example.org"))
    assert created.status_code == 201
    domain = created["data"]
    assert domain["is_verified"] is False and domain["dkim"] is None
    domain_id = domain["id"]
    verify = sdk.domains.get_domain_verification_status(
        DomainVerificationRequest(domain_id=domain_id)
    )
    assert verify["data"]["dkim"] is False
    records = sdk.domains.get_domain_dns_records(DomainDnsRecordsRequest(domain_id=domain_id))
    assert records["data"]["dkim"]["hostname"] == "mlsend2._domainkey.fresh.example.org"
    unverified = sdk.domains.list_domains(
        DomainListRequest(query_params=DomainListQueryParams(verified=False))
    )
    assert {"fresh.example.org", "pending.example.org"} == {d["name"] for d in unverified["data"]}
    with pytest.raises(BadRequestError, match="has already been taken"):
        sdk.domains.create_domain(DomainCreateRequest(name="fresh.example.org"))
    assert sdk.domains.delete_domain(DomainDeleteRequest(domain_id=domain_id)).status_code == 204
    with pytest.raises(ResourceNotFoundError):
        sdk.domains.get_domain(DomainGetRequest(domain_id=domain_id))


def test_settings_pause_sending_and_show_in_the_domain(sdk: MailerSendClient, demo: Demo) -> None:
    request = DomainUpdateSettingsRequest(
        domain_id=demo.domain, send_paused=True, track_clicks=False
    )
    updated = sdk.domains.update_domain_settings(request)["data"]
    assert updated["domain_settings"]["send_paused"] is True
    assert updated["domain_settings"]["track_clicks"] is False
    single = sdk.domains.get_domain(DomainGetRequest(domain_id=demo.domain))["data"]
    assert single["domain_settings"]["send_paused"] is True
    assert set(single["totals"]) == {"sent", "delivered", "hard_bounced", "soft_bounced"}


def test_a_domains_recipients_page_through(sdk: MailerSendClient, demo: Demo) -> None:
    query = DomainRecipientsQueryParams(page=1, limit=10)
    page = sdk.domains.get_domain_recipients(
        DomainRecipientsRequest(domain_id=demo.domain, query_params=query)
    )
    assert "gone@example.net" in {r["email"] for r in page["data"]}
    assert page["meta"]["per_page"] == 10 and page["links"]["next"] is None


def test_unknown_ids_are_404_without_quota_headers(ms: MailerSend, sdk: MailerSendClient) -> None:
    with pytest.raises(ResourceNotFoundError) as caught:
        sdk.domains.get_domain(DomainGetRequest(domain_id="nosuchdomain0001"))
    response = caught.value.response
    assert response.text == '{\n    "message": "Resource not found."\n}'
    assert "x-apiquota-remaining" not in response.headers
    assert ms.admin.get("/_sandbox/stats").json()["quota_used"] == 0  # not counted


def test_smtp_users_live_under_their_domain(sdk: MailerSendClient, demo: Demo) -> None:
    created = sdk.smtp_users.create_smtp_user(
        SmtpUserCreateRequest(domain_id=demo.domain, name="Relay", enabled=True)
    )
    assert created.status_code == 201 and created["data"]["password"]
    user_id = created["data"]["id"]
    listed = sdk.smtp_users.list_smtp_users(SmtpUsersListRequest(domain_id=demo.domain))
    assert [u["id"] for u in listed["data"]] == [user_id]
    assert "password" not in listed["data"][0]
    sdk.smtp_users.update_smtp_user(
        SmtpUserUpdateRequest(
            domain_id=demo.domain, smtp_user_id=user_id, name="Relay 2", enabled=False
        )
    )
    got = sdk.smtp_users.get_smtp_user(
        SmtpUserGetRequest(domain_id=demo.domain, smtp_user_id=user_id)
    )
    assert (got["data"]["name"], got["data"]["enabled"]) == ("Relay 2", False)
    with pytest.raises(ResourceNotFoundError):  # the user belongs to another domain
        sdk.smtp_users.get_smtp_user(
            SmtpUserGetRequest(domain_id=demo.paused, smtp_user_id=user_id)
        )
    deleted = sdk.smtp_users.delete_smtp_user(
        SmtpUserDeleteRequest(domain_id=demo.domain, smtp_user_id=user_id)
    )
    assert deleted.status_code == 204
    with pytest.raises(ResourceNotFoundError):
        sdk.smtp_users.create_smtp_user(
            SmtpUserCreateRequest(domain_id="nosuchdomain0001", name="X")
        )


def test_sender_identities_by_id_and_by_email(sdk: MailerSendClient, demo: Demo) -> None:
    create = IdentityCreateRequest(
        domain_id=demo.domain, name="Billing", email="billing@demo.example.com"
    )
    created = sdk.identities.create_identity(create)
    assert created.status_code == 201 and created["data"]["is_verified"] is False
    with pytest.raises(BadRequestError, match=r"The email has already been taken\."):
        sdk.identities.create_identity(create)
    by_email = sdk.identities.update_identity_by_email(
        IdentityUpdateByEmailRequest(email="billing@demo.example.com", reply_to_name="Billing desk")
    )
    assert by_email["data"]["reply_to_name"] == "Billing desk"
    listed = sdk.identities.list_identities(
        IdentityListRequest(query_params=IdentityListQueryParams(domain_id=demo.domain))
    )
    assert {"news@demo.example.com", "billing@demo.example.com"} == {
        i["email"] for i in listed["data"]
    }
    sdk.identities.delete_identity(IdentityDeleteRequest(identity_id=created["data"]["id"]))
    with pytest.raises(ResourceNotFoundError) as caught:
        sdk.identities.get_identity_by_email(
            IdentityGetByEmailRequest(email="billing@demo.example.com")
        )
    # Looked up by the handler rather than the route: counted, with the quota headers.
    assert "x-apiquota-remaining" in caught.value.response.headers


def _route(domain_id: str, name: str = "Replies") -> InboundCreateRequest:
    return InboundCreateRequest(
        domain_id=domain_id,
        name=name,
        domain_enabled=False,
        catch_filter=InboundFilterGroup(type="catch_all"),
        match_filter=InboundFilterGroup(type="match_all"),
        forwards=[InboundForward(type="webhook", value="https://hooks.example.com/in")],
    )


def test_inbound_routes_are_created_changed_and_deleted(sdk: MailerSendClient, demo: Demo) -> None:
    created = sdk.inbound.create(_route(demo.domain))
    route = created["data"]
    assert created.status_code == 201 and route["address"].endswith("@inbound.mailersend.net")
    assert route["forwards"][0]["secret"]
    update = _route(demo.domain, "Renamed").model_dump()
    del update["domain_id"]
    sdk.inbound.update(InboundUpdateRequest(inbound_id=route["id"], **update))
    assert sdk.inbound.get(InboundGetRequest(inbound_id=route["id"]))["data"]["name"] == "Renamed"
    listed = sdk.inbound.list(
        InboundListRequest(query_params=InboundListQueryParams(domain_id=demo.domain))
    )
    assert listed["meta"]["total"] == 1
    assert sdk.inbound.delete(InboundDeleteRequest(inbound_id=route["id"])).status_code == 204
    with pytest.raises(BadRequestError, match="#MS42209"):
        sdk.inbound.create(_route("nosuchdomain0001"))


def test_webhooks_are_unique_by_url_and_need_a_known_domain(
    sdk: MailerSendClient, demo: Demo
) -> None:
    created = sdk.webhooks.create_webhook(WebhookCreateRequest(**HOOK, domain_id=demo.domain))
    hook = created["data"]
    assert created.status_code == 201 and hook["editable"] is None and len(hook["secret"]) == 32
    assert hook["domain"]["id"] == demo.domain
    with pytest.raises(BadRequestError) as caught:
        sdk.webhooks.create_webhook(WebhookCreateRequest(**HOOK, domain_id="nosuchdomain0001"))
    body = caught.value.response.json()
    assert body["message"] == "The url has already been taken. (and 1 more error)"
    assert list(body["errors"]) == ["url", "domain_id"]
    sdk.webhooks.update_webhook(WebhookUpdateRequest(webhook_id=hook["id"], enabled=False))
    got = sdk.webhooks.get_webhook(WebhookGetRequest(webhook_id=hook["id"]))["data"]
    assert got["enabled"] is False and got["editable"] is True
    listed = sdk.webhooks.list_webhooks(
        WebhooksListRequest(query_params=WebhooksListQueryParams(domain_id=demo.domain))
    )
    assert [h["id"] for h in listed["data"]] == [hook["id"]]
    sdk.webhooks.delete_webhook(WebhookDeleteRequest(webhook_id=hook["id"]))
    with pytest.raises(ResourceNotFoundError):
        sdk.webhooks.get_webhook(WebhookGetRequest(webhook_id=hook["id"]))
    with pytest.raises(BadRequestError, match=r"The domain id field is required\. #MS42209"):
        sdk.webhooks.list_webhooks(
            WebhooksListRequest(query_params=WebhooksListQueryParams(domain_id="nosuchdomain0001"))
        )


def test_the_creation_throttle_answers_429_without_retry_after(ms: MailerSend, demo: Demo) -> None:
    ms.settings(create_throttle=1)
    with ms.client() as api:
        refused = api.post("webhooks", json={**HOOK, "domain_id": demo.domain})
    assert refused.status_code == 429
    message = "You cannot create a resource at the moment. Please wait a while before retrying."
    assert refused.json() == {"message": message}
    assert "retry-after" not in refused.headers and "x-apiquota-remaining" in refused.headers
    # The SDK retries a 429 after its own backoff and so rides out a short throttle.
    ms.settings(create_throttle=1)
    with sdk_client(ms, retries=1) as sdk:
        created = sdk.webhooks.create_webhook(WebhookCreateRequest(**HOOK, domain_id=demo.domain))
    assert created.status_code == 201
    assert ms.settings()["create_throttle"] == 0
