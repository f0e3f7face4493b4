"""Constructors for stored records and the seed parameters, shared by seed and handlers."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

from mcexplorer.sandbox.store import Record, Store

LIST_CONTACT = ("company", "address1", "address2", "city", "state", "zip", "country", "phone")
# The keys a campaign's settings and tracking always show; the rest appear once set.
CAMPAIGN_SETTINGS = {
    "title": "",
    "use_conversation": False,
    "to_name": "",
    "folder_id": "",
    "authenticate": True,
    "auto_footer": False,
    "inline_css": False,
    "auto_tweet": False,
    "fb_comments": True,
    "timewarp": False,
    "template_id": 0,
    "drag_and_drop": False,
}
CAMPAIGN_TRACKING = {
    "opens": True,
    "html_clicks": True,
    "text_clicks": False,
    "goal_tracking": False,
    "ecomm360": False,
    "google_analytics": "",
    "clicktale": "",
}


def subscriber_hash(email: str) -> str:
    # The API's member id: md5 of the lower-cased address (the sandbox never imports core).
    return hashlib.md5(email.strip().lower().encode()).hexdigest()


def tag_id(name: str) -> int:
    # Stable per name, so the same tag has the same id on every member and run.
    return int(hashlib.md5(name.encode()).hexdigest()[:6], 16)


def make_list(store: Store, fields: dict[str, Any], created: str) -> Record:
    list_id = store.hex_id()
    record: Record = {
        "id": list_id,
        "web_id": store.int_id(),
        "name": fields["name"],
        "contact": {key: (fields.get("contact") or {}).get(key, "") for key in LIST_CONTACT},
        "permission_reminder": fields.get("permission_reminder", ""),
        "use_archive_bar": fields.get("use_archive_bar", True),
        "campaign_defaults": dict(fields.get("campaign_defaults", {})),
        "notify_on_subscribe": fields.get("notify_on_subscribe", ""),
        "notify_on_unsubscribe": fields.get("notify_on_unsubscribe", ""),
        "date_created": created,
        "list_rating": 0,
        "email_type_option": fields.get("email_type_option", False),
        "subscribe_url_short": f"http://eepurl.test/{list_id[:6]}",
        "subscribe_url_long": f"https://subscribe.sandbox.invalid/?id={list_id}",
        "beamer_address": f"{list_id}@inbound.sandbox.invalid",
        "visibility": "pub",
        "double_optin": fields.get("double_optin", False),
        "has_welcome": False,
        "marketing_permissions": fields.get("marketing_permissions", False),
        "modules": [],
    }
    store.lists[list_id] = record
    if record["marketing_permissions"]:
        store.permissions[list_id] = [
            {"marketing_permission_id": store.hex_id(), "text": text}
            for text in seed_params()["marketing_permissions"]
        ]
    store.members[list_id] = {}
    store.merge_fields[list_id] = {}
    store.segments[list_id] = {}
    store.interest_categories[list_id] = {}
    return record


def make_merge_field(store: Store, list_id: str, fields: dict[str, Any]) -> Record:
    existing = store.merge_fields[list_id]
    merge_id = len(existing) + 1 if not existing else max(existing) + 1
    tag = str(fields.get("tag") or f"MMERGE{merge_id}").upper()
    record: Record = {
        "merge_id": merge_id,
        "tag": tag,
        "name": fields["name"],
        "type": fields["type"],
        "required": bool(fields.get("required", False)),
        "default_value": fields.get("default_value", ""),
        "public": bool(fields.get("public", True)),
        "display_order": fields.get("display_order", merge_id + 1),
        "options": dict(fields.get("options", {})),
        "help_text": fields.get("help_text", ""),
        "list_id": list_id,
    }
    existing[merge_id] = record
    return record


def make_member(
    store: Store,
    list_id: str,
    email: str,
    status: str,
    created: str,
    *,
    merge_fields: dict[str, Any] | None = None,
    tags: list[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Record:
    member_hash = subscriber_hash(email)
    merges = {f["tag"]: "" for f in store.merge_fields[list_id].values()}
    merges.update(merge_fields or {})
    record: Record = {
        "id": member_hash,
        "email_address": email,
        "unique_email_id": store.hex_id(),
        "contact_id": store.hex_id(32),
        "full_name": f"{merges.get('FNAME', '')} {merges.get('LNAME', '')}".strip(),
        "web_id": store.int_id(),
        "email_type": "html",
        "status": status,
        "consents_to_one_to_one_messaging": True,
        "merge_fields": merges,
        "stats": {"avg_open_rate": 0, "avg_click_rate": 0},
        "ip_signup": "",
        "timestamp_signup": created,
        "ip_opt": "",
        "timestamp_opt": created if status == "subscribed" else "",
        "member_rating": 2,
        "last_changed": created,
        "language": "",
        "vip": False,
        "email_client": "",
        "location": {
            "latitude": 0,
            "longitude": 0,
            "gmtoff": 0,
            "dstoff": 0,
            "country_code": "",
            "timezone": "",
            "region": "",
        },
        "source": "API - Generic",
        "tags_count": 0,
        "tags": [],
        "list_id": list_id,
    }
    # Interests and GDPR permissions appear only where the audience has them.
    interest_ids = [i for c in store.interest_categories[list_id] for i in store.interests[c]]
    if interest_ids:
        record["interests"] = dict.fromkeys(interest_ids, False)
    permissions = store.permissions.get(list_id, [])
    if permissions:
        record["marketing_permissions"] = [{**p, "enabled": False} for p in permissions]
    record.update(extra or {})
    set_tags(record, [{"name": t, "status": "active"} for t in tags or []])
    store.members[list_id][member_hash] = record
    return record


def set_tags(member: Record, changes: list[dict[str, Any]]) -> None:
    tags: list[dict[str, Any]] = member["tags"]
    for change in changes:
        name = change["name"]
        tags[:] = [t for t in tags if t["name"] != name]
        if change.get("status", "active") == "active":
            tags.append({"id": tag_id(name), "name": name})
    member["tags_count"] = len(tags)


def make_campaign(store: Store, fields: dict[str, Any], created: str) -> Record:
    campaign_id = store.hex_id()
    recipients = dict(fields.get("recipients", {}))
    record: Record = {
        "id": campaign_id,
        "web_id": store.int_id(),
        "type": fields.get("type", "regular"),
        "create_time": created,
        "archive_url": f"http://eepurl.test/c{campaign_id[:6]}",
        "long_archive_url": f"https://archive.example.com/?u=demo&id={campaign_id}",
        "status": "save",
        "emails_sent": 0,
        "send_time": "",
        "content_type": fields.get("content_type", "template"),
        "needs_block_refresh": False,
        "resendable": False,
        "recipients": {"segment_text": "", **recipients},
        "settings": {**CAMPAIGN_SETTINGS, **(fields.get("settings") or {})},
        "tracking": {**CAMPAIGN_TRACKING, **(fields.get("tracking") or {})},
        "delivery_status": {"enabled": False},
    }
    store.campaigns[campaign_id] = record
    store.contents[campaign_id] = {"plain_text": "", "html": ""}
    return record


def make_template(store: Store, fields: dict[str, Any], created: str) -> Record:
    template_id = store.int_id()
    record: Record = {
        "id": template_id,
        "type": "user",
        "name": fields["name"],
        "drag_and_drop": False,
        "responsive": True,
        "category": "",
        "date_created": created,
        "date_edited": created,
        "created_by": "Demo Owner",
        "edited_by": "Demo Owner",
        "active": True,
        "folder_id": fields.get("folder_id", ""),
        "thumbnail": "",
        "share_url": "",
        "content_type": "html",
        "html": fields["html"],
    }
    store.templates[template_id] = record
    return record


@cache
def seed_params() -> dict[str, Any]:
    text = resources.files("mcexplorer.data").joinpath("seed.json").read_text(encoding="utf-8")
    params: dict[str, Any] = json.loads(text)
    return params


def make_segment(store: Store, list_id: str, name: str, hashes: list[str], created: str) -> Record:
    segment_id = store.int_id()
    record: Record = {
        "id": segment_id,
        "name": name,
        "type": "static",
        "created_at": created,
        "updated_at": created,
        "options": {"match": "any", "conditions": []},
        "list_id": list_id,
    }
    store.segments[list_id][segment_id] = record
    store.segment_members[segment_id] = set(hashes)
    return record


def make_category(store: Store, list_id: str, title: str, kind: str, names: list[str]) -> Record:
    category_id = store.hex_id()
    record: Record = {
        "list_id": list_id,
        "id": category_id,
        "title": title,
        "display_order": len(store.interest_categories[list_id]),
        "type": kind,
    }
    store.interest_categories[list_id][category_id] = record
    store.interests[category_id] = {}
    for name in names:
        make_interest(store, record, name)
    return record


def make_interest(store: Store, category: Record, name: str) -> Record:
    interests = store.interests[category["id"]]
    interest_id = store.hex_id()
    record: Record = {
        "category_id": category["id"],
        "list_id": category["list_id"],
        "id": interest_id,
        "name": name,
        "subscriber_count": "0",
        "display_order": len(interests),
    }
    interests[interest_id] = record
    for member in store.members[category["list_id"]].values():
        member.setdefault("interests", {})[interest_id] = False
    return record


def drop_interests(store: Store, list_id: str, interest_ids: list[str]) -> None:
    """Members lose deleted interests; with none left they carry no `interests` at all."""
    for member in store.members[list_id].values():
        held = member.get("interests", {})
        for interest_id in interest_ids:
            held.pop(interest_id, None)
        if not held:
            member.pop("interests", None)


def make_automation(store: Store, fields: dict[str, Any], created: str, emails: int) -> Record:
    workflow_id = store.hex_id()
    recipients = dict(fields.get("recipients") or {})
    lst = store.lists.get(recipients.get("list_id", ""))
    if lst is not None:
        recipients.update(list_name=lst["name"], list_is_active=True)
    trigger = dict(fields.get("trigger_settings") or {})
    record: Record = {
        "id": workflow_id,
        "create_time": created,
        "start_time": "",
        "status": "save",
        "emails_sent": 0,
        "recipients": recipients,
        "settings": dict(fields.get("settings") or {}),
        "tracking": {"opens": True, "html_clicks": True, "text_clicks": False},
        "trigger_settings": {**trigger, "workflow_emails_count": emails},
    }
    store.automations[workflow_id] = record
    store.automation_emails[workflow_id] = {}
    for position in range(1, emails + 1):
        email_id = store.hex_id()
        title = f"{record['settings'].get('title', 'Automation')} email {position}"
        store.automation_emails[workflow_id][email_id] = {
            "id": email_id,
            "workflow_id": workflow_id,
            "position": position,
            "delay": {
                "amount": position - 1,
                "type": "day",
                "direction": "after",
                "action": "signup",
            },
            "create_time": created,
            "start_time": "",
            "status": "save",
            "emails_sent": 0,
            "send_time": "",
            "content_type": "template",
            "recipients": recipients,
            "settings": {"title": title, "subject_line": title},
        }
    return record


def set_automation_status(store: Store, automation: Record, status: str) -> None:
    automation["status"] = status
    for email in store.automation_emails[automation["id"]].values():
        email["status"] = status
