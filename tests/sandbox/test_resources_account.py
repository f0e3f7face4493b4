"""Root, ping, audiences, segments, interests, automations, templates, search, batch webhooks."""

from __future__ import annotations

import httpx
import pytest

from mcexplorer.sandbox.server import SandboxServer

LIST_BODY = {
    "name": "Fresh audience",
    "contact": {
        "company": "Demo",
        "address1": "1 Road",
        "city": "Town",
        "state": "",
        "zip": "1",
        "country": "DE",
    },
    "permission_reminder": "You asked for it.",
    "campaign_defaults": {
        "from_name": "Demo",
        "from_email": "d@larkspurmail.com",
        "subject": "",
        "language": "en",
    },
    "email_type_option": False,
}


@pytest.fixture()
def list_id(api: httpx.Client) -> str:
    return str(api.get("lists").json()["lists"][0]["id"])


def test_root_links_cover_the_main_resources(api: httpx.Client, sandbox_url: str) -> None:
    root = api.get("").json()
    assert root["role"] == "owner"
    assert root["total_subscribers"] > 0
    links = {link["rel"]: link for link in root["_links"]}
    assert {"self", "lists", "campaigns", "reports", "automations", "batches", "templates"} <= set(
        links
    )
    assert links["lists"]["href"] == sandbox_url + "lists"
    assert links["lists"]["method"] == "GET"


def test_the_root_reports_the_role_of_the_key_used(sandbox: SandboxServer) -> None:
    roles = {}
    for name, key in (("demo", sandbox.demo_key), ("viewer", sandbox.viewer_key)):
        with httpx.Client(base_url=sandbox.api_url, auth=("any", key)) as client:
            roles[name] = client.get("", params={"fields": "role"}).json()["role"]
    assert roles == {"demo": "owner", "viewer": "viewer"}


def test_ping(api: httpx.Client) -> None:
    assert api.get("ping").json() == {"health_status": "Everything's Chimpy!"}


def test_create_list_gets_defaults_and_counts(api: httpx.Client) -> None:
    before = api.get("lists").json()
    created = api.post("lists", json=LIST_BODY)
    assert created.status_code == 200
    body = created.json()
    assert body["stats"]["member_count"] == 0
    assert body["stats"]["merge_field_count"] >= 2
    after = api.get("lists").json()
    assert after["total_items"] == before["total_items"] + 1
    assert after["constraints"]["current_total_instances"] == after["total_items"]
    assert api.delete(f"lists/{body['id']}").status_code == 204
    assert api.get(f"lists/{body['id']}").status_code == 404


def test_create_list_missing_fields(api: httpx.Client) -> None:
    reply = api.post("lists", json={"name": "Half"})
    assert reply.status_code == 400
    message = reply.json()["errors"][0]["message"]
    assert "permission_reminder" in message and "contact" in message


def test_static_segment_members(api: httpx.Client, list_id: str) -> None:
    members = api.get(f"lists/{list_id}/members", params={"count": 3}).json()["members"]
    emails = [m["email_address"] for m in members]
    segment = api.post(
        f"lists/{list_id}/segments", json={"name": "Three", "static_segment": emails[:2]}
    )
    assert segment.status_code == 200
    sid = segment.json()["id"]
    assert segment.json()["member_count"] == 2
    changed = api.post(
        f"lists/{list_id}/segments/{sid}",
        json={"members_to_add": [emails[2]], "members_to_remove": [emails[0]]},
    )
    assert changed.json()["total_added"] == 1 and changed.json()["total_removed"] == 1
    inside = api.get(f"lists/{list_id}/segments/{sid}/members").json()
    assert {m["email_address"] for m in inside["members"]} == set(emails[1:])
    gone = api.delete(f"lists/{list_id}/segments/{sid}/members/{members[1]['id']}")
    assert gone.status_code == 204
    assert api.get(f"lists/{list_id}/segments/{sid}").json()["member_count"] == 1


def test_interest_categories_and_interests(api: httpx.Client, list_id: str) -> None:
    base = f"lists/{list_id}/interest-categories"
    category = api.post(base, json={"title": "Formats", "type": "radio"}).json()
    interests = f"{base}/{category['id']}/interests"
    interest = api.post(interests, json={"name": "Video"}).json()
    assert api.get(interests).json()["total_items"] == 1
    renamed = api.patch(f"{interests}/{interest['id']}", json={"name": "Audio"})
    assert renamed.json()["name"] == "Audio"
    assert api.delete(f"{base}/{category['id']}").status_code == 204
    assert api.get(interests).status_code == 404


def test_automation_pause_and_start(api: httpx.Client) -> None:
    automation = api.get("automations").json()["automations"][0]
    wid = automation["id"]
    assert automation["status"] == "sending"
    assert api.post(f"automations/{wid}/actions/pause-all-emails").status_code == 204
    assert api.get(f"automations/{wid}").json()["status"] == "paused"
    emails = api.get(f"automations/{wid}/emails").json()["emails"]
    assert {e["status"] for e in emails} == {"paused"}
    first = emails[0]["id"]
    assert api.post(f"automations/{wid}/emails/{first}/actions/start").status_code == 204
    assert api.get(f"automations/{wid}/emails/{first}").json()["status"] == "sending"
    assert api.post(f"automations/{wid}/actions/start-all-emails").status_code == 204
    emails = api.get(f"automations/{wid}/emails").json()["emails"]
    assert {e["status"] for e in emails} == {"sending"}


def test_templates_crud(api: httpx.Client) -> None:
    html = '<div mc:edit="body">x</div>'
    created = api.post("templates", json={"name": "Mine", "html": html}).json()
    tid = created["id"]
    assert "html" not in created
    assert api.get(f"templates/{tid}/default-content").json()["sections"] == {"body": ""}
    assert api.patch(f"templates/{tid}", json={"name": "Ours"}).json()["name"] == "Ours"
    assert api.delete(f"templates/{tid}").status_code == 204
    assert api.get(f"templates/{tid}").status_code == 404


def test_search_members(api: httpx.Client, list_id: str) -> None:
    member = api.get(f"lists/{list_id}/members").json()["members"][0]
    found = api.get("search-members", params={"query": member["email_address"].upper()}).json()
    assert [m["id"] for m in found["exact_matches"]["members"]] == [member["id"]]
    last_name = member["merge_fields"]["LNAME"]
    by_name = api.get("search-members", params={"query": last_name, "list_id": list_id}).json()
    assert by_name["full_search"]["total_items"] > 0
    assert all(m["list_id"] == list_id for m in by_name["full_search"]["members"])
    assert api.get("search-members").status_code == 400


def test_batch_webhooks_limit(api: httpx.Client) -> None:
    made = [
        api.post("batch-webhooks", json={"url": f"https://hooks.example.com/{n}"})
        for n in range(20)
    ]
    try:
        assert all(r.status_code == 200 for r in made)
        assert api.get("batch-webhooks").json()["total_items"] == 20
        extra = api.post("batch-webhooks", json={"url": "https://hooks.example.com/21"})
        assert extra.status_code == 400
        bad = api.post("batch-webhooks", json={"url": "not a url"})
        assert bad.json()["errors"][0]["field"] == "url"
    finally:
        for reply in made:
            api.delete(f"batch-webhooks/{reply.json()['id']}")
    assert api.get("batch-webhooks").json()["total_items"] == 0
