"""The unmodified official clients drive the stateful resources (members, batches)."""

from __future__ import annotations

import json

import mailchimp_marketing
from mailchimp3 import MailChimp

from mcexplorer.sandbox.server import SandboxServer


def test_mailchimp_marketing_adds_and_reads_a_member(sandbox: SandboxServer) -> None:
    client = mailchimp_marketing.Client()
    client.set_config({"api_key": sandbox.demo_key})
    client.api_client.host = sandbox.api_url.rstrip("/")
    list_id = client.lists.get_all_lists()["lists"][0]["id"]
    added = client.lists.add_list_member(
        list_id, {"email_address": "sdk.user@larkspurmail.com", "status": "subscribed"}
    )
    fetched = client.lists.get_list_member(list_id, "sdk.user@larkspurmail.com")
    assert fetched["id"] == added["id"]
    assert client.ping.get() == {"health_status": "Everything's Chimpy!"}


def test_mailchimp3_starts_and_reads_a_batch(sandbox: SandboxServer) -> None:
    client = MailChimp(mc_api=sandbox.demo_key)
    client.base_url = sandbox.api_url
    list_id = client.lists.all(count=1)["lists"][0]["id"]
    member = {"email_address": "sdk.batch@larkspurmail.com", "status": "subscribed"}
    batch = client.batches.create(
        data={
            "operations": [
                {"method": "POST", "path": f"/lists/{list_id}/members", "body": json.dumps(member)}
            ]
        }
    )
    assert client.batches.get(batch["id"])["total_operations"] == 1
    assert batch["id"] in [b["id"] for b in client.batches.all()["batches"]]
