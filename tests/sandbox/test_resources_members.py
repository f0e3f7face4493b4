"""Members over a real socket: CRUD, upsert, email in the path, merge-field checks, paging."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from mcexplorer.sandbox.server import SandboxServer


def md5(email: str) -> str:
    return hashlib.md5(email.lower().encode()).hexdigest()


@pytest.fixture()
def list_id(api: httpx.Client) -> str:
    return str(api.get("lists").json()["lists"][0]["id"])


def test_create_read_update_archive(api: httpx.Client, list_id: str) -> None:
    base = f"lists/{list_id}/members"
    created = api.post(
        base,
        json={
            "email_address": "Carla.Crud@larkspurmail.com",
            "status": "subscribed",
            "merge_fields": {"FNAME": "Carla"},
            "tags": ["alpha"],
        },
    )
    assert created.status_code == 200
    member = created.json()
    assert member["id"] == md5("carla.crud@larkspurmail.com")
    assert member["merge_fields"]["FNAME"] == "Carla"
    assert [t["name"] for t in member["tags"]] == ["alpha"]
    assert {"self", "parent", "update", "upsert", "delete", "notes", "delete_permanent"} <= {
        link["rel"] for link in member["_links"]
    }

    by_email = api.get(f"{base}/carla.crud@larkspurmail.com")
    assert by_email.status_code == 200
    assert by_email.json()["id"] == member["id"]

    patched = api.patch(f"{base}/{member['id']}", json={"merge_fields": {"LNAME": "Crud"}})
    assert patched.json()["full_name"] == "Carla Crud"

    assert api.delete(f"{base}/{member['id']}").status_code == 204
    assert api.get(f"{base}/{member['id']}").json()["status"] == "archived"


def test_post_existing_member_is_member_exists(api: httpx.Client, list_id: str) -> None:
    body = {"email_address": "twice@larkspurmail.com", "status": "subscribed"}
    assert api.post(f"lists/{list_id}/members", json=body).status_code == 200
    again = api.post(
        f"lists/{list_id}/members", json={**body, "email_address": "TWICE@larkspurmail.com"}
    )
    assert again.status_code == 400
    assert again.json()["title"] == "Member Exists"


def test_put_upserts_and_needs_status_if_new(api: httpx.Client, list_id: str) -> None:
    url = f"lists/{list_id}/members/{md5('upsert@larkspurmail.com')}"
    missing = api.put(url, json={"email_address": "upsert@larkspurmail.com"})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "status_if_new"

    new = api.put(
        url, json={"email_address": "upsert@larkspurmail.com", "status_if_new": "pending"}
    )
    assert new.status_code == 200
    assert new.json()["status"] == "pending"

    updated = api.put(
        url, json={"email_address": "upsert@larkspurmail.com", "status": "subscribed"}
    )
    assert updated.json()["status"] == "subscribed"
    assert updated.json()["id"] == new.json()["id"]


def test_unknown_merge_tag_is_ignored(api: httpx.Client, list_id: str) -> None:
    reply = api.post(
        f"lists/{list_id}/members",
        json={
            "email_address": "merge@larkspurmail.com",
            "status": "subscribed",
            "merge_fields": {"SHOESIZE": "42", "FNAME": "Mira"},
        },
    )
    assert reply.status_code == 200
    assert reply.json()["merge_fields"]["FNAME"] == "Mira"
    assert "SHOESIZE" not in reply.json()["merge_fields"]


def test_required_and_number_merge_fields(api: httpx.Client) -> None:
    list_id = api.get("lists").json()["lists"][1]["id"]
    field = api.post(
        f"lists/{list_id}/merge-fields",
        json={"name": "Lifetime value", "type": "number", "tag": "LTV", "required": True},
    )
    assert field.status_code == 200
    try:
        reply = api.post(
            f"lists/{list_id}/members",
            json={"email_address": "ltv@larkspurmail.com", "status": "subscribed"},
        )
        assert reply.status_code == 400
        assert {"field": "LTV", "message": "Please enter a value"} in reply.json()["errors"]
        not_number = api.post(
            f"lists/{list_id}/members",
            json={
                "email_address": "ltv@larkspurmail.com",
                "status": "subscribed",
                "merge_fields": {"LTV": "lots"},
            },
        )
        assert {"field": "LTV", "message": "Please enter a number"} in not_number.json()["errors"]
    finally:
        merge_id = field.json()["merge_id"]
        assert api.delete(f"lists/{list_id}/merge-fields/{merge_id}").status_code == 204


def test_schema_errors_name_each_field(api: httpx.Client, list_id: str) -> None:
    reply = api.post(f"lists/{list_id}/members", json={"email_address": 7, "status": "asleep"})
    assert reply.status_code == 400
    fields = [e["field"] for e in reply.json()["errors"]]
    assert fields == ["email_address", "status"]
    no_body = api.post(f"lists/{list_id}/members", json={"status": "subscribed"})
    assert "email_address" in no_body.json()["errors"][0]["message"]


def test_paging_and_total_items(api: httpx.Client, list_id: str) -> None:
    first = api.get(f"lists/{list_id}/members", params={"count": 7, "offset": 0}).json()
    second = api.get(f"lists/{list_id}/members", params={"count": 7, "offset": 7}).json()
    assert len(first["members"]) == len(second["members"]) == 7
    assert first["total_items"] == second["total_items"] >= 500
    assert not {m["id"] for m in first["members"]} & {m["id"] for m in second["members"]}
    tail = api.get(f"lists/{list_id}/members", params={"offset": first["total_items"] - 2}).json()
    assert len(tail["members"]) == 2
    default = api.get(f"lists/{list_id}/members").json()
    assert len(default["members"]) == 10
    assert default["list_id"] == list_id


def test_status_filter(api: httpx.Client, list_id: str) -> None:
    reply = api.get(f"lists/{list_id}/members", params={"status": "cleaned", "count": 1000}).json()
    assert reply["total_items"] > 0
    assert {m["status"] for m in reply["members"]} == {"cleaned"}


def test_tags_add_and_remove(api: httpx.Client, list_id: str) -> None:
    email = "tagged@larkspurmail.com"
    api.post(f"lists/{list_id}/members", json={"email_address": email, "status": "subscribed"})
    tags_url = f"lists/{list_id}/members/{email}/tags"
    added = api.post(
        tags_url,
        json={"tags": [{"name": "gold", "status": "active"}, {"name": "beta", "status": "active"}]},
    )
    assert added.status_code == 204
    assert sorted(t["name"] for t in api.get(tags_url).json()["tags"]) == ["beta", "gold"]
    api.post(tags_url, json={"tags": [{"name": "gold", "status": "inactive"}]})
    listed = api.get(tags_url).json()
    assert [t["name"] for t in listed["tags"]] == ["beta"]
    assert listed["total_items"] == 1


def test_notes_lifecycle(api: httpx.Client, list_id: str) -> None:
    email = "noted@larkspurmail.com"
    api.post(f"lists/{list_id}/members", json={"email_address": email, "status": "subscribed"})
    notes = f"lists/{list_id}/members/{md5(email)}/notes"
    note = api.post(notes, json={"note": "Called back."}).json()
    assert note["note"] == "Called back."
    assert api.patch(f"{notes}/{note['id']}", json={"note": "Twice."}).json()["note"] == "Twice."
    assert api.get(notes).json()["total_items"] == 1
    assert api.delete(f"{notes}/{note['id']}").status_code == 204
    assert api.get(f"{notes}/{note['id']}").status_code == 404


def test_delete_permanent_forbids_reimport(api: httpx.Client, list_id: str) -> None:
    email = "forget.me@larkspurmail.com"
    api.post(f"lists/{list_id}/members", json={"email_address": email, "status": "subscribed"})
    gone = api.post(f"lists/{list_id}/members/{email}/actions/delete-permanent")
    assert gone.status_code == 204
    assert api.get(f"lists/{list_id}/members/{email}").status_code == 404
    again = api.post(
        f"lists/{list_id}/members", json={"email_address": email, "status": "subscribed"}
    )
    assert again.json()["title"] == "Forgotten Email Not Subscribed"


def test_activity_comes_from_sent_campaigns(api: httpx.Client, list_id: str) -> None:
    member = api.get(f"lists/{list_id}/members", params={"status": "subscribed"}).json()["members"][
        0
    ]
    activity = api.get(f"lists/{list_id}/members/{member['id']}/activity").json()
    sent = api.get("campaigns", params={"status": "sent", "list_id": list_id}).json()
    assert sum(a["action"] == "sent" for a in activity["activity"]) == sent["total_items"]


def test_unknown_list_and_member_are_404(api: httpx.Client, list_id: str) -> None:
    assert api.get("lists/nope/members").status_code == 404
    assert (
        api.get(f"lists/{list_id}/members/{md5('nobody@larkspurmail.com')}").json()["status"] == 404
    )


def test_viewer_key_reads_members(sandbox: SandboxServer, list_id: str) -> None:
    with httpx.Client(base_url=sandbox.api_url, auth=("x", sandbox.viewer_key)) as viewer:
        assert viewer.get(f"lists/{list_id}/members").status_code == 200
