"""The official SDK managing the account: tokens, users and invites, templates, recipients
and suppression lists, email verification, DMARC monitoring, WhatsApp and the quota."""

from __future__ import annotations

import pytest
from mailersend import MailerSendClient
from mailersend.exceptions import AuthenticationError, BadRequestError, ResourceNotFoundError
from mailersend.models.dmarc_monitoring import (
    DmarcMonitoringCreateRequest,
    DmarcMonitoringDeleteRequest,
    DmarcMonitoringFavoriteRequest,
    DmarcMonitoringListRequest,
    DmarcMonitoringReportRequest,
    DmarcMonitoringUpdateRequest,
)
from mailersend.models.email_verification import (
    EmailVerificationAsyncStatusRequest,
    EmailVerificationCreateRequest,
    EmailVerificationResultsQueryParams,
    EmailVerificationResultsRequest,
    EmailVerificationVerifyRequest,
    EmailVerifyAsyncRequest,
    EmailVerifyRequest,
)
from mailersend.models.recipients import (
    RecipientDeleteRequest,
    RecipientGetRequest,
    RecipientsListRequest,
    SuppressionAddRequest,
    SuppressionDeleteRequest,
    SuppressionListQueryParams,
    SuppressionListRequest,
)
from mailersend.models.templates import TemplateDeleteRequest, TemplateGetRequest
from mailersend.models.tokens import (
    TokenCreateRequest,
    TokenDeleteRequest,
    TokenGetRequest,
    TokenUpdateNameRequest,
    TokenUpdateRequest,
)
from mailersend.models.users import (
    InviteCancelRequest,
    InviteResendRequest,
    InvitesListRequest,
    UserDeleteRequest,
    UserGetRequest,
    UserInviteRequest,
    UsersListRequest,
    UserUpdateRequest,
)
from mailersend.models.whatsapp import WhatsAppSendRequest
from mailersend.models.whatsapp_messages import WhatsAppMessagesListRequest

from tests.mailersend.conftest import Demo, MailerSend, sdk_client


def test_a_created_token_works_until_it_is_deleted(
    ms: MailerSend, sdk: MailerSendClient, demo: Demo
) -> None:
    created = sdk.tokens.create_token(
        TokenCreateRequest(name="CI", domain_id=demo.domain, scopes=["email_full", "domains_read"])
    )
    assert created.status_code == 200  # this creation answers 200, not 201
    token = created["data"]
    assert token["accessToken"].startswith("mlsn.") and token["has_full"] is False
    assert token["domain"]["id"] == demo.domain
    with sdk_client(ms, token["accessToken"]) as ci:
        assert ci.api_quota.get_quota().status_code == 200
        sdk.tokens.update_token_name(TokenUpdateNameRequest(token_id=token["id"], name="CI 2"))
        sdk.tokens.update_token(TokenUpdateRequest(token_id=token["id"], status="pause"))
        got = sdk.tokens.get_token(TokenGetRequest(token_id=token["id"]))["data"]
        assert (got["name"], got["status"]) == ("CI 2", "pause")
        assert sdk.tokens.delete_token(TokenDeleteRequest(token_id=token["id"])).status_code == 204
        with pytest.raises(AuthenticationError):
            ci.api_quota.get_quota()
    with ms.client() as api:  # past the SDK's own check, to see the API's
        refused = api.post("token", json={"name": "X", "domain_id": demo.domain, "scopes": ["all"]})
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["scopes.0"]


def test_users_are_invited_changed_and_removed(sdk: MailerSendClient) -> None:
    users = sdk.users.list_users(UsersListRequest())
    assert "links" not in users and len(users["data"]) == 2  # this list has no pager
    custom = next(u for u in users["data"] if u["role"] == "Custom User")
    with pytest.raises(BadRequestError) as caught:
        sdk.users.invite_user(
            UserInviteRequest(
                email="x@example.net", role="member", permissions=["send"], templates=[]
            )
        )
    body = caught.value.response.json()
    assert body["message"] == "The selected role is invalid. (and 2 more errors)"
    assert list(body["errors"]) == ["role", "templates", "permissions.0"]
    invite = sdk.users.invite_user(UserInviteRequest(email="new@example.net", role="Manager"))
    assert invite.status_code == 201 and invite["data"]["role"] == "Manager"
    invites = sdk.users.list_invites(InvitesListRequest())["data"]
    assert {"newcomer@example.net", "new@example.net"} == {i["email"] for i in invites}
    sdk.users.resend_invite(InviteResendRequest(invite_id=invite["data"]["id"]))
    assert (
        sdk.users.cancel_invite(InviteCancelRequest(invite_id=invite["data"]["id"])).status_code
        == 204
    )
    changed = sdk.users.update_user(
        UserUpdateRequest(
            user_id=custom["id"],
            role="Custom User",
            permissions=["read-own-templates"],
            templates=[],
        )
    )
    assert changed["data"]["permissions"] == ["read-own-templates"]
    sdk.users.delete_user(UserDeleteRequest(user_id=custom["id"]))
    with pytest.raises(ResourceNotFoundError):
        sdk.users.get_user(UserGetRequest(user_id=custom["id"]))


def test_templates_show_their_stats_and_can_be_deleted(sdk: MailerSendClient, demo: Demo) -> None:
    template = sdk.templates.get_template(TemplateGetRequest(template_id=demo.template))["data"]
    assert template["template_stats"]["total"] == 0 and template["domain"] is None
    assert (
        sdk.templates.delete_template(TemplateDeleteRequest(template_id=demo.template)).status_code
        == 204
    )
    assert demo.template not in {t["id"] for t in sdk.templates.list_templates()["data"]}


def test_recipients_and_the_suppression_lists(sdk: MailerSendClient, demo: Demo) -> None:
    recipients = sdk.recipients.list_recipients(RecipientsListRequest())["data"]
    gone = next(r for r in recipients if r["email"] == "gone@example.net")
    assert (
        sdk.recipients.get_recipient(RecipientGetRequest(recipient_id=gone["id"]))["data"][
            "domain"
        ]["id"]
        == demo.domain
    )
    bounces = sdk.recipients.list_hard_bounces()["data"]
    assert [b["recipient"]["email"] for b in bounces] == ["gone@example.net"]
    added = sdk.recipients.add_to_blocklist(
        SuppressionAddRequest(
            domain_id=demo.domain, recipients=["spam@example.net"], patterns=[".*@spam.test"]
        )
    )
    assert added.status_code == 201 and [e["type"] for e in added["data"]] == ["exact", "pattern"]
    sdk.recipients.add_unsubscribes(
        SuppressionAddRequest(domain_id=demo.domain, recipients=["bye@example.net"])
    )
    only_demo = SuppressionListRequest(
        query_params=SuppressionListQueryParams(domain_id=demo.domain)
    )
    assert len(sdk.recipients.list_unsubscribes(only_demo)["data"]) == 1
    first = added["data"][0]["id"]
    sdk.recipients.delete_from_blocklist(
        SuppressionDeleteRequest(domain_id=demo.domain, ids=[first])
    )
    assert len(sdk.recipients.list_blocklist()["data"]) == 1
    sdk.recipients.delete_from_blocklist(SuppressionDeleteRequest(all=True))
    assert sdk.recipients.list_blocklist()["data"] == []
    with pytest.raises(BadRequestError, match=r"The selected domain id is invalid\."):
        sdk.recipients.add_to_blocklist(
            SuppressionAddRequest(domain_id="nosuchdomain0001", recipients=["a@b.co"])
        )
    with pytest.raises(BadRequestError, match="#MS42209"):
        sdk.recipients.add_hard_bounces(
            SuppressionAddRequest(domain_id="nosuchdomain0001", recipients=["a@b.co"])
        )
    sdk.recipients.delete_recipient(RecipientDeleteRequest(recipient_id=gone["id"]))
    with pytest.raises(ResourceNotFoundError):
        sdk.recipients.get_recipient(RecipientGetRequest(recipient_id=gone["id"]))


def test_email_verification_single_and_listed(ms: MailerSend, sdk: MailerSendClient) -> None:
    assert (
        sdk.email_verification.verify_email(EmailVerifyRequest(email="info@example.net"))["status"]
        == "role_based"
    )
    job = sdk.email_verification.verify_email_async(
        EmailVerifyAsyncRequest(email="reader@example.net")
    )["data"]
    assert job["status"] == "queued"
    created = sdk.email_verification.create_verification(
        EmailVerificationCreateRequest(name="Leads", emails=["reader@example.net", "broken"])
    )
    list_id = created["data"]["id"]
    assert created.status_code == 201 and created["data"]["status"]["name"] == "uploading"
    verify = EmailVerificationVerifyRequest(email_verification_id=list_id)
    uploading = sdk.email_verification.verify_list(verify)
    assert uploading.status_code == 202 and "still being uploaded" in uploading["message"]
    ms.clock.advance(3)
    started = sdk.email_verification.verify_list(verify)
    assert started.status_code == 200 and started["data"]["status"]["name"] == "verifying"
    ms.clock.advance(3)
    status = sdk.email_verification.get_async_status(
        EmailVerificationAsyncStatusRequest(email_verification_id=job["id"])
    )
    assert status["data"]["result"] == "valid"
    results = sdk.email_verification.get_results(
        EmailVerificationResultsRequest(
            email_verification_id=list_id,
            query_params=EmailVerificationResultsQueryParams(limit=10),
        )
    )
    assert {r["address"]: r["result"] for r in results["data"]} == {
        "reader@example.net": "valid",
        "broken": "syntax_error",
    }
    assert results["meta"]["per_page"] == "10"  # this list echoes the query's text


def test_dmarc_monitors_follow_one_domain_each(sdk: MailerSendClient, demo: Demo) -> None:
    created = sdk.dmarc_monitoring.create_monitor(
        DmarcMonitoringCreateRequest(domain_id=demo.domain)
    )
    monitor_id = created["data"]["id"]
    with pytest.raises(BadRequestError, match="has already been taken"):
        sdk.dmarc_monitoring.create_monitor(DmarcMonitoringCreateRequest(domain_id=demo.domain))
    record = "v=DMARC1; p=none"
    updated = sdk.dmarc_monitoring.update_monitor(
        DmarcMonitoringUpdateRequest(monitor_id=monitor_id, wanted_dmarc_record=record)
    )
    assert updated["data"]["wanted_dmarc_record"] == record
    assert (
        sdk.dmarc_monitoring.get_aggregated_report(
            DmarcMonitoringReportRequest(monitor_id=monitor_id)
        )["data"]
        == []
    )
    favorite = DmarcMonitoringFavoriteRequest(monitor_id=monitor_id, ip="192.0.2.1")
    assert sdk.dmarc_monitoring.mark_ip_favorite(favorite).status_code == 200
    assert sdk.dmarc_monitoring.remove_ip_favorite(favorite).status_code == 204
    assert len(sdk.dmarc_monitoring.list_monitors(DmarcMonitoringListRequest())["data"]) == 1
    sdk.dmarc_monitoring.delete_monitor(DmarcMonitoringDeleteRequest(monitor_id=monitor_id))
    with pytest.raises(ResourceNotFoundError):
        sdk.dmarc_monitoring.delete_monitor(DmarcMonitoringDeleteRequest(monitor_id=monitor_id))


def test_whatsapp_needs_a_business_number_the_demo_account_lacks(sdk: MailerSendClient) -> None:
    request = WhatsAppSendRequest(**{"from": "+12025550100"}, to=["+12025550187"], template_id="t1")
    with pytest.raises(
        BadRequestError, match=r"The selected from is invalid\. \(and 1 more error\)"
    ):
        sdk.whatsapp.send(request)
    listed = sdk.whatsapp_messages.list_whatsapp_messages(WhatsAppMessagesListRequest())
    assert listed["data"] == []
