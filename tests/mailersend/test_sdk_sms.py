"""The official SDK's SMS resources against the sandbox: sending from the demo number, the
messages and their activity, numbers, recipients, SMS webhooks and inbound routes."""

from __future__ import annotations

import pytest
from mailersend import MailerSendClient
from mailersend.exceptions import BadRequestError, ResourceNotFoundError
from mailersend.models.sms_activity import SmsActivityListRequest
from mailersend.models.sms_inbounds import (
    SmsInboundCreateRequest,
    SmsInboundDeleteRequest,
    SmsInboundFilter,
    SmsInboundGetRequest,
    SmsInboundsListQueryParams,
    SmsInboundsListRequest,
    SmsInboundUpdateRequest,
)
from mailersend.models.sms_messages import SmsMessageGetRequest, SmsMessagesListRequest
from mailersend.models.sms_numbers import (
    SmsNumberDeleteRequest,
    SmsNumberGetRequest,
    SmsNumbersListRequest,
    SmsNumberUpdateRequest,
)
from mailersend.models.sms_recipients import (
    SmsRecipientGetRequest,
    SmsRecipientsListQueryParams,
    SmsRecipientsListRequest,
    SmsRecipientStatus,
    SmsRecipientUpdateRequest,
)
from mailersend.models.sms_sending import SmsSendRequest
from mailersend.models.sms_webhooks import (
    SmsWebhookCreateRequest,
    SmsWebhookDeleteRequest,
    SmsWebhookGetRequest,
    SmsWebhooksListQueryParams,
    SmsWebhooksListRequest,
    SmsWebhookUpdateRequest,
)

from tests.mailersend.conftest import Demo

TO = "+12025550199"


def text(sender: str, to: str = TO) -> SmsSendRequest:
    return SmsSendRequest(**{"from": sender}, to=[to], text="Your code is 1234")


def test_an_sms_is_sent_and_leaves_a_message_and_activity(
    sdk: MailerSendClient, demo: Demo
) -> None:
    sent = sdk.sms_sending.send(text(demo.sms_phone))
    assert sent.status_code == 202
    message_id = sent.headers["x-sms-message-id"]
    message = sdk.sms_messages.get_sms_message(SmsMessageGetRequest(sms_message_id=message_id))
    assert message["data"]["to"] == [TO] and message["data"]["sms"][0]["segment_count"] == 1
    listed = sdk.sms_messages.list_sms_messages(SmsMessagesListRequest())
    assert [m["id"] for m in listed["data"]] == [message_id] and listed["meta"]["total"] == 1
    activity = sdk.sms_activity.list(
        SmsActivityListRequest(sms_number_id=demo.sms_number, status=["sent"])
    )
    assert [a["sms_message_id"] for a in activity["data"]] == [message_id]
    with pytest.raises(BadRequestError, match=r"The selected sms number id is invalid\."):
        sdk.sms_activity.list(SmsActivityListRequest(sms_number_id="nosuchnumber0001"))


def test_a_number_that_is_not_the_accounts_cannot_send(sdk: MailerSendClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        sdk.sms_sending.send(text("+1987654321", "+1987654321"))
    body = caught.value.response.json()
    assert body["message"] == "The from field contains an invalid number. (and 2 more errors)"
    assert body["errors"] == {
        "from": ["The from field contains an invalid number."],
        "to": ["Daily quota for this number exceeded."],
        "to.0": ["The to.0 field contains an invalid number."],
    }


def test_a_paused_number_stops_sending_until_resumed(sdk: MailerSendClient, demo: Demo) -> None:
    sdk.sms_numbers.update(SmsNumberUpdateRequest(sms_number_id=demo.sms_number, paused=True))
    paused = sdk.sms_numbers.list(SmsNumbersListRequest(paused=True))["data"]
    assert [n["id"] for n in paused] == [demo.sms_number]
    with pytest.raises(BadRequestError, match="from field"):
        sdk.sms_sending.send(text(demo.sms_phone))
    sdk.sms_numbers.update(SmsNumberUpdateRequest(sms_number_id=demo.sms_number, paused=False))
    assert sdk.sms_sending.send(text(demo.sms_phone)).status_code == 202
    assert (
        sdk.sms_numbers.get(SmsNumberGetRequest(sms_number_id=demo.sms_number))["data"]["paused"]
        is False
    )
    sdk.sms_numbers.delete(SmsNumberDeleteRequest(sms_number_id=demo.sms_number))
    with pytest.raises(ResourceNotFoundError):
        sdk.sms_numbers.get(SmsNumberGetRequest(sms_number_id=demo.sms_number))


def test_recipients_opt_out_and_filter_by_number(sdk: MailerSendClient, demo: Demo) -> None:
    sdk.sms_sending.send(text(demo.sms_phone))
    texted = SmsRecipientsListRequest(
        query_params=SmsRecipientsListQueryParams(sms_number_id=demo.sms_number)
    )
    recipient = sdk.sms_recipients.list_sms_recipients(texted)["data"][0]
    assert recipient["number"] == TO
    sdk.sms_recipients.update_sms_recipient(
        SmsRecipientUpdateRequest(
            sms_recipient_id=recipient["id"], status=SmsRecipientStatus.OPT_OUT
        )
    )
    got = sdk.sms_recipients.get_sms_recipient(
        SmsRecipientGetRequest(sms_recipient_id=recipient["id"])
    )
    assert got["data"]["status"] == "opt_out" and len(got["data"]["sms"]) == 1
    opted = SmsRecipientsListRequest(
        query_params=SmsRecipientsListQueryParams(status=SmsRecipientStatus.OPT_OUT)
    )
    assert [r["number"] for r in sdk.sms_recipients.list_sms_recipients(opted)["data"]] == [TO]


def test_sms_webhooks_belong_to_a_number(sdk: MailerSendClient, demo: Demo) -> None:
    created = sdk.sms_webhooks.create_sms_webhook(
        SmsWebhookCreateRequest(
            url="https://hooks.example.com/sms",
            name="Delivery",
            events=["sms.delivered"],
            sms_number_id=demo.sms_number,
        )
    )
    hook = created["data"]
    assert created.status_code == 201 and hook["signing_secret"]
    by_number = SmsWebhooksListRequest(
        query_params=SmsWebhooksListQueryParams(sms_number_id=demo.sms_number)
    )
    assert [h["id"] for h in sdk.sms_webhooks.list_sms_webhooks(by_number)["data"]] == [hook["id"]]
    sdk.sms_webhooks.update_sms_webhook(
        SmsWebhookUpdateRequest(sms_webhook_id=hook["id"], enabled=False)
    )
    assert (
        sdk.sms_webhooks.get_sms_webhook(SmsWebhookGetRequest(sms_webhook_id=hook["id"]))["data"][
            "enabled"
        ]
        is False
    )
    sdk.sms_webhooks.delete_sms_webhook(SmsWebhookDeleteRequest(sms_webhook_id=hook["id"]))
    unknown = SmsWebhooksListRequest(
        query_params=SmsWebhooksListQueryParams(sms_number_id="nosuchnumber0001")
    )
    with pytest.raises(BadRequestError, match=r"The sms number id field is required\. #MS42209"):
        sdk.sms_webhooks.list_sms_webhooks(unknown)


def test_inbound_sms_routes_forward_to_a_url(sdk: MailerSendClient, demo: Demo) -> None:
    created = sdk.sms_inbounds.create_sms_inbound(
        SmsInboundCreateRequest(
            sms_number_id=demo.sms_number,
            name="Replies",
            forward_url="https://hooks.example.com/replies",
            filter=SmsInboundFilter(comparer="starts-with", value="STOP"),
        )
    )
    route = created["data"]
    assert created.status_code == 201 and route["sms_number"]["id"] == demo.sms_number
    assert route["filter"] == {"comparer": "starts-with", "value": "STOP"}
    sdk.sms_inbounds.update_sms_inbound(
        SmsInboundUpdateRequest(sms_inbound_id=route["id"], enabled=False)
    )
    enabled = SmsInboundsListRequest(query_params=SmsInboundsListQueryParams(enabled=True))
    assert sdk.sms_inbounds.list_sms_inbounds(enabled)["data"] == []
    assert (
        sdk.sms_inbounds.get_sms_inbound(SmsInboundGetRequest(sms_inbound_id=route["id"]))["data"][
            "enabled"
        ]
        is False
    )
    assert (
        sdk.sms_inbounds.delete_sms_inbound(
            SmsInboundDeleteRequest(sms_inbound_id=route["id"])
        ).status_code
        == 204
    )
