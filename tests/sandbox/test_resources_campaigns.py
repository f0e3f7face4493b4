"""Campaigns over a real socket: drafting, sending on an injected clock, reports, actions."""

from __future__ import annotations

import httpx

from mcexplorer.sandbox.model.campaigns import SENDING_SECONDS
from tests.sandbox.conftest import StepClock


def draft(api: httpx.Client, **settings: str) -> dict[str, object]:
    list_id = api.get("lists").json()["lists"][2]["id"]
    body = {
        "type": "regular",
        "recipients": {"list_id": list_id},
        "settings": {
            "subject_line": "Hello",
            "from_name": "Demo",
            "reply_to": "r@larkspurmail.com",
            **settings,
        },
    }
    reply = api.post("campaigns", json=body)
    assert reply.status_code == 200
    campaign: dict[str, object] = reply.json()
    return campaign


def test_send_then_report(api: httpx.Client, clock: StepClock) -> None:
    campaign = draft(api, title="Launch")
    cid = campaign["id"]
    assert campaign["status"] == "save"
    assert api.get(f"reports/{cid}").status_code == 404

    content = api.put(f"campaigns/{cid}/content", json={"html": "<p>Hi</p>"})
    assert content.json()["html"] == "<p>Hi</p>"
    assert api.post(f"campaigns/{cid}/actions/send").status_code == 204
    assert api.get(f"campaigns/{cid}").json()["status"] == "sending"

    refused = api.delete(f"campaigns/{cid}")
    assert refused.status_code == 405
    assert "being sent" in refused.json()["detail"]

    clock.now += SENDING_SECONDS
    sent = api.get(f"campaigns/{cid}").json()
    assert sent["status"] == "sent"
    report = api.get(f"reports/{cid}").json()
    assert report["emails_sent"] == sent["recipients"]["recipient_count"] > 0
    assert 0 < report["opens"]["open_rate"] < 1
    assert report == api.get(f"reports/{cid}").json()
    assert cid in [r["id"] for r in api.get("reports", params={"count": 1000}).json()["reports"]]
    again = api.post(f"campaigns/{cid}/actions/send")
    assert again.status_code == 400


def test_send_needs_settings(api: httpx.Client) -> None:
    campaign = draft(api, subject_line="")
    reply = api.post(f"campaigns/{campaign['id']}/actions/send")
    assert reply.status_code == 400
    assert "settings.subject_line" in reply.json()["detail"]


def test_schedule_unschedule_and_cancel(api: httpx.Client, clock: StepClock) -> None:
    cid = draft(api)["id"]
    actions = f"campaigns/{cid}/actions"
    assert (
        api.post(
            f"{actions}/schedule", json={"schedule_time": "2030-01-01T10:00:00+00:00"}
        ).status_code
        == 204
    )
    assert api.get(f"campaigns/{cid}").json()["status"] == "schedule"
    assert api.post(f"{actions}/unschedule").status_code == 204
    assert api.post(f"{actions}/unschedule").status_code == 400
    assert api.post(f"{actions}/send").status_code == 204
    assert api.post(f"{actions}/cancel-send").status_code == 204
    assert api.get(f"campaigns/{cid}").json()["status"] == "canceled"
    assert api.delete(f"campaigns/{cid}").status_code == 204
    assert api.get(f"campaigns/{cid}").status_code == 404


def test_replicate_copies_settings_and_content(api: httpx.Client) -> None:
    cid = draft(api, title="Original")["id"]
    api.put(f"campaigns/{cid}/content", json={"plain_text": "words"})
    copy = api.post(f"campaigns/{cid}/actions/replicate")
    assert copy.status_code == 200
    body = copy.json()
    assert body["id"] != cid
    assert body["settings"]["title"] == "Original (copy)"
    assert api.get(f"campaigns/{body['id']}/content").json()["plain_text"] == "words"


def test_pause_is_for_rss_only(api: httpx.Client) -> None:
    cid = draft(api)["id"]
    reply = api.post(f"campaigns/{cid}/actions/pause")
    assert reply.status_code == 400
    assert reply.json()["title"] == "Invalid Action"


def test_create_rejects_bad_type(api: httpx.Client) -> None:
    reply = api.post("campaigns", json={"type": "carrier-pigeon"})
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["field"] == "type"


def test_test_email_and_patch(api: httpx.Client) -> None:
    cid = draft(api)["id"]
    test = api.post(
        f"campaigns/{cid}/actions/test",
        json={"test_emails": ["qa@larkspurmail.com"], "send_type": "html"},
    )
    assert test.status_code == 204
    patched = api.patch(f"campaigns/{cid}", json={"settings": {"subject_line": "Changed"}})
    assert patched.json()["settings"]["subject_line"] == "Changed"
    assert patched.json()["settings"]["from_name"] == "Demo"


def test_content_from_a_template(api: httpx.Client) -> None:
    cid = draft(api)["id"]
    template = api.get("templates").json()["templates"][0]
    reply = api.put(f"campaigns/{cid}/content", json={"template": {"id": template["id"]}})
    assert template["name"] in reply.json()["html"]
    missing = api.put(f"campaigns/{cid}/content", json={"template": {"id": 1}})
    assert missing.status_code == 400
