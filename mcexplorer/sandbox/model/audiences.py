"""Audiences (lists): their live stats, the plan's limit, creation and cascading delete."""

from __future__ import annotations

from mcexplorer.sandbox.errors import named
from mcexplorer.sandbox.model.edits import apply_editable
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.model.records import make_list, make_merge_field, seed_params
from mcexplorer.sandbox.store import Record, Store

EDITABLE = (
    "name",
    "permission_reminder",
    "use_archive_bar",
    "notify_on_subscribe",
    "notify_on_unsubscribe",
    "email_type_option",
    "double_optin",
    "marketing_permissions",
    "visibility",
)
MERGED = ("contact", "campaign_defaults")


def get_list(store: Store, list_id: str) -> Record:
    return lookup(store.lists, list_id, "audience")


def render_list(store: Store, record: Record) -> Record:
    members = store.members[record["id"]].values()
    counts = {"subscribed": 0, "unsubscribed": 0, "cleaned": 0}
    for member in members:
        if member["status"] in counts:
            counts[member["status"]] += 1
    sent = [c for c in store.campaigns.values() if _sent_to(c, record["id"])]
    stats = {
        "member_count": counts["subscribed"],
        "total_contacts": len(members),
        "unsubscribe_count": counts["unsubscribed"],
        "cleaned_count": counts["cleaned"],
        "member_count_since_send": 0,
        "unsubscribe_count_since_send": 0,
        "cleaned_count_since_send": 0,
        "campaign_count": len(sent),
        "campaign_last_sent": max((c["send_time"] for c in sent), default=""),
        "merge_field_count": len(store.merge_fields[record["id"]]),
        "avg_sub_rate": 0,
        "avg_unsub_rate": 0,
        "target_sub_rate": 0,
        "open_rate": 0,
        "click_rate": 0,
        "last_sub_date": max((m["timestamp_signup"] for m in members), default=""),
        "last_unsub_date": "",
    }
    return {**record, "stats": stats}


def _sent_to(campaign: Record, list_id: str) -> bool:
    return bool(
        campaign["recipients"].get("list_id") == list_id
        and campaign["status"] in ("sending", "sent")
    )


def max_audiences(store: Store) -> int:
    limits: dict[str, int] = seed_params()["max_audiences"]
    return limits.get(store.account.get("pricing_plan_type", "monthly"), 100)


def create_list(store: Store, body: Record) -> Record:
    if len(store.lists) >= max_audiences(store):
        raise named("Forbidden", "This account's plan does not allow another audience.")
    record = make_list(store, body, store.now_iso())
    for field in seed_params()["merge_fields"]:
        make_merge_field(store, record["id"], field)
    return record


def update_list(store: Store, record: Record, body: Record) -> None:
    apply_editable(record, body, EDITABLE, merged=MERGED)


def delete_list(store: Store, record: Record) -> None:
    list_id = record["id"]
    for segment_id in store.segments.pop(list_id):
        del store.segment_members[segment_id]
    for category_id in store.interest_categories.pop(list_id):
        del store.interests[category_id]
    for table in (store.lists, store.members, store.merge_fields, store.permissions):
        table.pop(list_id, None)
    for key in [k for k in store.notes if k[0] == list_id]:
        del store.notes[key]
