"""The official SDK sending email against the sandbox: templates, paused domains, schedules,
bulk jobs, the sent emails and messages, activity and analytics."""

from __future__ import annotations

import time

import pytest
from mailersend import EmailsBuilder, MailerSendClient
from mailersend.exceptions import BadRequestError, ResourceNotFoundError
from mailersend.models.activity import ActivityQueryParams, ActivityRequest, SingleActivityRequest
from mailersend.models.analytics import AnalyticsRequest
from mailersend.models.messages import (
    MessageGetRequest,
    MessagesListQueryParams,
    MessagesListRequest,
)
from mailersend.models.schedules import (
    ScheduleDeleteRequest,
    ScheduleGetRequest,
    SchedulesListQueryParams,
    SchedulesListRequest,
)

from tests.mailersend.conftest import START, Demo, MailerSend, email_builder

DAY_START = int(START) - int(START) % 86400


def test_a_templated_send_is_stored_with_its_template(sdk: MailerSendClient, demo: Demo) -> None:
    built = email_builder().template(demo.template).personalize("reader@example.net", name="Reader")
    sent = sdk.emails.send(built.tag("welcome").build())
    assert sent.status_code == 202
    assert sent.headers["content-type"] == "text/html; charset=UTF-8"
    message = sdk.messages.get_message(MessageGetRequest(message_id=sent.data["id"]))
    assert message["data"]["domain"]["id"] == demo.domain
    assert [e["to"] for e in message["data"]["emails"]] == ["reader@example.net"]
    listed = sdk.messages.list_messages(
        MessagesListRequest(query_params=MessagesListQueryParams(page=1, limit=10))
    )
    assert sent.data["id"] in [m["id"] for m in listed["data"]]


def test_sending_from_a_paused_domain_is_accepted_and_flagged(sdk: MailerSendClient) -> None:
    paused = sdk.emails.send(email_builder("news@paused.example.net").build())
    running = sdk.emails.send(email_builder().build())
    assert paused.status_code == running.status_code == 202
    assert paused.headers["x-send-paused"] == "true"
    assert "x-send-paused" not in running.headers


def test_an_unknown_template_is_refused(sdk: MailerSendClient) -> None:
    with pytest.raises(BadRequestError, match="template id"):
        sdk.emails.send(email_builder().template("nosuchtemplate01").build())


def test_a_scheduled_send_waits_in_the_schedule_until_cancelled(
    ms: MailerSend, sdk: MailerSendClient, demo: Demo
) -> None:
    send_at = int(time.time()) + 3600  # the SDK checks it against the real clock
    sent = sdk.emails.send(email_builder().send_at(send_at).build())
    message_id = sent.data["id"]
    listed = sdk.schedules.list_schedules(
        SchedulesListRequest(
            query_params=SchedulesListQueryParams(domain_id=demo.domain, status="scheduled")
        )
    )
    assert message_id in [s["message_id"] for s in listed["data"]]
    assert listed["meta"]["total"] == len(listed["data"])  # a length-aware pager
    one = sdk.schedules.get_schedule(ScheduleGetRequest(message_id=message_id))
    assert one["data"]["status"] == "scheduled" and one["data"]["domain"]["id"] == demo.domain
    gone = sdk.schedules.delete_schedule(ScheduleDeleteRequest(message_id=message_id))
    assert gone.status_code == 204
    with pytest.raises(ResourceNotFoundError, match="not possible to delete"):
        sdk.schedules.delete_schedule(ScheduleDeleteRequest(message_id=message_id))


def test_a_bulk_job_is_queued_then_completes(ms: MailerSend, sdk: MailerSendClient) -> None:
    accepted = sdk.emails.send_bulk(
        [email_builder().build(), email_builder("news@pending.example.org").build()]
    )
    assert accepted.status_code == 202
    job_id = accepted.data["bulk_email_id"]
    queued = sdk.emails.get_bulk_status(job_id)["data"]
    ms.clock.advance(2)
    done = sdk.emails.get_bulk_status(job_id)["data"]
    assert (queued["state"], queued["messages_id"]) == ("queued", None)
    assert done["state"] == "completed" and len(done["messages_id"]) == 1
    assert list(done["validation_errors"]) == ["message.1"]
    assert "from.email" in done["validation_errors"]["message.1"]


def test_sent_emails_are_searchable_by_domain(sdk: MailerSendClient, demo: Demo) -> None:
    sent = sdk.emails.send(email_builder().build())
    request = (
        EmailsBuilder()
        .domain_id(demo.domain)
        .date_from(DAY_START)
        .date_to(DAY_START + 86400)
        .build_list_request()
    )
    rows = sdk.emails.list(request)["data"]
    mine = [r for r in rows if r["message_id"] == sent.data["id"]]
    assert len(mine) == 1 and mine[0]["to"] == "reader@example.net"
    single = sdk.emails.get(mine[0]["id"])
    assert single["data"]["subject"] == "Hello"


def test_activity_lists_the_domains_events_and_one_event(sdk: MailerSendClient, demo: Demo) -> None:
    sdk.emails.send(email_builder().build())
    query = ActivityQueryParams(date_from=DAY_START, date_to=DAY_START + 86400, event=["queued"])
    events = sdk.activities.get(ActivityRequest(domain_id=demo.domain, query_params=query))
    assert events["data"] and all(e["type"] == "queued" for e in events["data"])
    assert events["links"]["last"] is None and "total" not in events["meta"]  # a simple pager
    one = sdk.activities.get_single(SingleActivityRequest(activity_id=events["data"][0]["id"]))
    assert one["data"]["email"]["recipient"]["email"] == "reader@example.net"
    with pytest.raises(ResourceNotFoundError):
        sdk.activities.get(ActivityRequest(domain_id="nosuchdomain0001", query_params=query))


def test_analytics_count_by_day_and_need_their_events(sdk: MailerSendClient) -> None:
    sdk.emails.send(email_builder().build())
    request = AnalyticsRequest(
        date_from=DAY_START - 86400, date_to=DAY_START, event=["sent", "delivered"]
    )
    by_date = sdk.analytics.get_activity_by_date(request)["data"]
    assert [s["date"] for s in by_date["stats"]] == [str(DAY_START - 86400), str(DAY_START)]
    assert by_date["stats"][-1]["sent"] >= 1 and by_date["group_by"] == "days"
    assert by_date["date_to"] == str(DAY_START + 86399)  # the end of the last day
    countries = sdk.analytics.get_opens_by_country(request)["data"]
    assert countries == {"date_from": DAY_START - 86400, "date_to": DAY_START + 86399, "stats": []}
    with pytest.raises(BadRequestError, match=r"The event must be an array\."):
        sdk.analytics.get_activity_by_date(
            AnalyticsRequest(date_from=DAY_START - 86400, date_to=DAY_START)
        )
