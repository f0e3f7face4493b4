"""Audience members: addressed by subscriber hash or email; create, upsert, update, archive."""

from __future__ import annotations

import re
from typing import Any

from mcexplorer.sandbox.errors import ApiError
from mcexplorer.sandbox.resources.common import (
    bad_request,
    body_of,
    collection_reply,
    invalid,
    item_reply,
    no_content,
    not_found,
    route,
)
from mcexplorer.sandbox.resources.lists import get_list
from mcexplorer.sandbox.resources.records import make_member, subscriber_hash
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record, Store

COLLECTION = "/lists/{list_id}/members"
ITEM = "/lists/{list_id}/members/{subscriber_hash}"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z0-9-]{2,}$")
# Archiving is refused for contacts in these states (the API answers 405).
NOT_ARCHIVABLE = ("archived", "pending", "cleaned")
UPDATABLE = ("email_type", "language", "vip", "location", "ip_signup", "ip_opt", "timestamp_signup")


def member_key(segment: str) -> str:
    """The path segment as a subscriber hash: an email address is hashed."""
    return subscriber_hash(segment) if "@" in segment else segment.lower()


def find_member(store: Store, list_id: str, segment: str) -> Record:
    get_list(store, list_id)
    member = store.members[list_id].get(member_key(segment))
    if member is None:
        raise not_found(f"No member '{segment}' in list '{list_id}'.")
    return member


def check_merge_fields(
    store: Store, list_id: str, values: dict[str, Any], *, complete: bool
) -> None:
    """Unknown tags, non-numbers in number fields and (when complete) missing required ones."""
    defined = {f["tag"]: f for f in store.merge_fields[list_id].values()}
    errors = [
        {"field": tag, "message": "This merge field does not exist in the audience."}
        for tag in values
        if tag not in defined
    ]
    for tag, spec in defined.items():
        value = values.get(tag)
        if spec["type"] == "number" and value not in (None, "") and not _is_number(value):
            errors.append({"field": tag, "message": "Please enter a number"})
        if complete and spec["required"] and value in (None, ""):
            errors.append({"field": tag, "message": "Please enter a value"})
    if errors:
        raise invalid(errors, "Your merge fields were invalid.")


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, bool)


def _check_email(email: str) -> None:
    if not EMAIL.match(email):
        raise invalid(
            [{"field": "email_address", "message": "This address looks invalid."}],
            f"{email} looks fake or invalid, please enter a real email address.",
        )


def create_member(
    store: Store, list_id: str, email: str, status: str, fields: dict[str, Any]
) -> Record:
    _check_email(email)
    if (list_id, subscriber_hash(email)) in store.forgotten:
        raise bad_request(
            f"{email} was permanently deleted and cannot be re-imported. "
            "The contact must re-subscribe to get back on the list.",
            "Forgotten Email Not Subscribed",
        )
    merges = dict(fields.get("merge_fields") or {})
    check_merge_fields(store, list_id, merges, complete=True)
    member = make_member(
        store,
        list_id,
        email,
        status,
        store.now_iso(),
        merge_fields=merges,
        tags=[str(t) for t in fields.get("tags") or []],
    )
    apply_update(store, member, {k: v for k, v in fields.items() if k != "status"})
    return member


def apply_update(store: Store, member: Record, fields: dict[str, Any]) -> None:
    list_id = member["list_id"]
    if "merge_fields" in fields:
        check_merge_fields(store, list_id, fields["merge_fields"], complete=False)
        member["merge_fields"] = {**member["merge_fields"], **fields["merge_fields"]}
        merges = member["merge_fields"]
        member["full_name"] = f"{merges.get('FNAME', '')} {merges.get('LNAME', '')}".strip()
    if "interests" in fields:
        member["interests"] = {**member["interests"], **fields["interests"]}
    for key in UPDATABLE:
        if key in fields:
            member[key] = fields[key]
    if "status" in fields and fields["status"] != member["status"]:
        member["status"] = fields["status"]
        if fields["status"] == "subscribed":
            member["timestamp_opt"] = store.now_iso()
    new_email = fields.get("email_address")
    if new_email and new_email.lower() != member["email_address"].lower():
        _check_email(new_email)
        new_hash = subscriber_hash(new_email)
        if new_hash in store.members[list_id]:
            raise bad_request(f"{new_email} is already a list member.", "Member Exists")
        del store.members[list_id][member["id"]]
        member.update(id=new_hash, email_address=new_email)
        store.members[list_id][new_hash] = member
    member["last_changed"] = store.now_iso()


def upsert_member(store: Store, list_id: str, email: str, fields: dict[str, Any]) -> Record:
    """PUT semantics: update when present (an archived contact comes back), else create."""
    existing = store.members[list_id].get(subscriber_hash(email))
    if existing is not None and existing["status"] != "archived":
        apply_update(store, existing, fields)
        return existing
    status = fields.get("status_if_new")
    if status is None:
        raise invalid(
            [
                {
                    "field": "status_if_new",
                    "message": "Required for a contact not yet in the audience.",
                }
            ]
        )
    if existing is not None:
        del store.members[list_id][existing["id"]]
    return create_member(store, list_id, email, fields.get("status", status), fields)


@route("GET", COLLECTION)
def list_members(ctx: Ctx) -> Reply:
    list_id = get_list(ctx.store, ctx.params["list_id"])["id"]
    members = list(ctx.store.members[list_id].values())
    status = ctx.query.get("status")
    if status:
        members = [m for m in members if m["status"] == status]
    if ctx.query.get("vip_only") == "true":
        members = [m for m in members if m["vip"]]
    if ctx.query.get("sort_field"):
        key = ctx.query["sort_field"]
        members.sort(key=lambda m: str(m.get(key, "")), reverse=ctx.query.get("sort_dir") == "DESC")
    return collection_reply(
        ctx,
        "members",
        members,
        item_template=ITEM,
        id_param="subscriber_hash",
        extra={"list_id": list_id},
    )


@route("POST", COLLECTION)
def add_member(ctx: Ctx) -> Reply:
    store = ctx.store
    list_id = get_list(store, ctx.params["list_id"])["id"]
    body = body_of(ctx)
    email = str(body["email_address"])
    existing = store.members[list_id].get(subscriber_hash(email))
    if existing is not None and existing["status"] != "archived":
        raise bad_request(
            f"{email} is already a list member. Use PUT to insert or update list members.",
            "Member Exists",
        )
    if existing is not None:
        del store.members[list_id][existing["id"]]
    if ctx.query.get("skip_merge_validation") == "true":
        body = {**body, "merge_fields": {}}
    member = create_member(store, list_id, email, body["status"], body)
    return item_reply(ctx, member, ITEM, subscriber_hash=member["id"])


@route("GET", ITEM)
def read_member(ctx: Ctx) -> Reply:
    member = find_member(ctx.store, ctx.params["list_id"], ctx.params["subscriber_hash"])
    return item_reply(ctx, member, subscriber_hash=member["id"])


@route("PUT", ITEM)
def put_member(ctx: Ctx) -> Reply:
    store = ctx.store
    list_id = get_list(store, ctx.params["list_id"])["id"]
    body = body_of(ctx, required=["email_address"])
    email = str(body["email_address"])
    if subscriber_hash(email) != member_key(ctx.params["subscriber_hash"]):
        raise invalid(
            [
                {
                    "field": "email_address",
                    "message": "Does not match the subscriber hash in the path.",
                }
            ]
        )
    member = upsert_member(store, list_id, email, body)
    return item_reply(ctx, member, subscriber_hash=member["id"])


@route("PATCH", ITEM)
def patch_member(ctx: Ctx) -> Reply:
    member = find_member(ctx.store, ctx.params["list_id"], ctx.params["subscriber_hash"])
    apply_update(ctx.store, member, body_of(ctx, partial=True))
    return item_reply(ctx, member, subscriber_hash=member["id"])


@route("DELETE", ITEM)
def archive_member(ctx: Ctx) -> Reply:
    member = find_member(ctx.store, ctx.params["list_id"], ctx.params["subscriber_hash"])
    if member["status"] in NOT_ARCHIVABLE:
        raise ApiError(
            405,
            "Method Not Allowed",
            f"This contact cannot be archived while its status is '{member['status']}'.",
        )
    member["status"] = "archived"
    member["last_changed"] = ctx.store.now_iso()
    return no_content()


@route("POST", ITEM + "/actions/delete-permanent")
def delete_member_permanently(ctx: Ctx) -> Reply:
    store = ctx.store
    member = find_member(store, ctx.params["list_id"], ctx.params["subscriber_hash"])
    list_id, member_hash = member["list_id"], member["id"]
    del store.members[list_id][member_hash]
    store.notes.pop((list_id, member_hash), None)
    for segment_id in store.segments[list_id]:
        store.segment_members[segment_id].discard(member_hash)
    store.forgotten.add((list_id, member_hash))
    return no_content()
