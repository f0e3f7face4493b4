"""Audiences (lists): CRUD, live stats, the plan's constraints and batch subscribe."""

from __future__ import annotations

from typing import Any

from mcexplorer.sandbox.errors import ApiError
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    not_found,
    route,
)
from mcexplorer.sandbox.resources.records import (
    make_list,
    make_merge_field,
    seed_params,
    subscriber_hash,
)
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record, Store

ITEM = "/lists/{list_id}"


def get_list(store: Store, list_id: str) -> Record:
    record = store.lists.get(list_id)
    if record is None:
        raise not_found(f"The list '{list_id}' does not exist in this account.")
    return record


def render_list(store: Store, record: Record) -> Record:
    members = store.members[record["id"]].values()
    counts = {"subscribed": 0, "unsubscribed": 0, "cleaned": 0}
    for member in members:
        if member["status"] in counts:
            counts[member["status"]] += 1
    sent = [c for c in store.campaigns.values() if _sent_to(c, record["id"])]
    last_sub = max((m["timestamp_signup"] for m in members), default="")
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
        "last_sub_date": last_sub,
        "last_unsub_date": "",
    }
    return {**record, "stats": stats}


def _sent_to(campaign: Record, list_id: str) -> bool:
    return bool(
        campaign["recipients"].get("list_id") == list_id
        and campaign["status"] in ("sending", "sent")
    )


def _max_audiences(store: Store) -> int:
    limits: dict[str, int] = seed_params()["max_audiences"]
    return limits.get(store.account.get("pricing_plan_type", "monthly"), 100)


@route("GET", "/lists")
def list_lists(ctx: Ctx) -> Reply:
    store = ctx.store
    limit = _max_audiences(store)
    constraints = {
        "may_create": len(store.lists) < limit,
        "max_instances": limit,
        "current_total_instances": len(store.lists),
    }
    return collection_reply(
        ctx,
        "lists",
        list(store.lists.values()),
        item_template=ITEM,
        id_param="list_id",
        render=lambda r: render_list(store, r),
        extra={"constraints": constraints},
    )


@route("POST", "/lists")
def create_list(ctx: Ctx) -> Reply:
    body = body_of(ctx)
    store = ctx.store
    if len(store.lists) >= _max_audiences(store):
        raise ApiError(
            403,
            "Forbidden",
            "This account's plan does not allow another audience.",
        )
    record = make_list(store, body, store.now_iso())
    for field in seed_params()["merge_fields"]:
        make_merge_field(store, record["id"], field)
    return item_reply(ctx, render_list(store, record), ITEM, list_id=record["id"])


@route("GET", ITEM)
def read_list(ctx: Ctx) -> Reply:
    record = get_list(ctx.store, ctx.params["list_id"])
    return item_reply(ctx, render_list(ctx.store, record))


@route("PATCH", ITEM)
def update_list(ctx: Ctx) -> Reply:
    record = get_list(ctx.store, ctx.params["list_id"])
    body = body_of(ctx, partial=True)
    for key, value in body.items():
        if isinstance(value, dict) and isinstance(record.get(key), dict):
            record[key] = {**record[key], **value}
        elif key in record:
            record[key] = value
    return item_reply(ctx, render_list(ctx.store, record))


@route("DELETE", ITEM)
def delete_list(ctx: Ctx) -> Reply:
    store = ctx.store
    list_id = get_list(store, ctx.params["list_id"])["id"]
    for segment_id in store.segments.pop(list_id):
        del store.segment_members[segment_id]
    for category_id in store.interest_categories.pop(list_id):
        del store.interests[category_id]
    for table in (store.lists, store.members, store.merge_fields):
        table.pop(list_id, None)
    for key in [k for k in store.notes if k[0] == list_id]:
        del store.notes[key]
    return no_content()


@route("POST", ITEM)
def batch_subscribe(ctx: Ctx) -> Reply:
    from mcexplorer.sandbox.resources.members import upsert_member

    store = ctx.store
    list_id = get_list(store, ctx.params["list_id"])["id"]
    body = body_of(ctx)
    update_existing = bool(body.get("update_existing", False))
    created: list[Record] = []
    updated: list[Record] = []
    errors: list[dict[str, Any]] = []
    for entry in body["members"]:
        email = str(entry.get("email_address", ""))
        exists = subscriber_hash(email) in store.members[list_id]
        if exists and not update_existing:
            errors.append(
                _batch_error(email, f"{email} is already a list member.", "ERROR_CONTACT_EXISTS")
            )
            continue
        try:
            fields = {**entry, "status_if_new": entry.get("status", "subscribed")}
            member = upsert_member(store, list_id, email, fields)
        except ApiError as exc:
            errors.append(_batch_error(email, exc.detail, "ERROR_GENERIC"))
            continue
        (updated if exists else created).append(member)
    return Reply(
        body={
            "new_members": created,
            "updated_members": updated,
            "errors": errors,
            "total_created": len(created),
            "total_updated": len(updated),
            "error_count": len(errors),
            "_links": [],
        }
    )


def _batch_error(email: str, message: str, code: str) -> dict[str, Any]:
    return {
        "email_address": email,
        "error": message,
        "error_code": code,
        "field": "",
        "field_message": "",
    }
