"""Static segments (tags in the app) and their members."""

from __future__ import annotations

from mcexplorer.sandbox.errors import not_found
from mcexplorer.sandbox.model.audiences import get_list
from mcexplorer.sandbox.model.edits import apply_editable
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.model.members import find_member, member_key
from mcexplorer.sandbox.model.records import make_segment
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.resources.members import ITEM as MEMBER
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record, Store

COLLECTION = "/lists/{list_id}/segments"
ITEM = COLLECTION + "/{segment_id}"
MEMBERS = ITEM + "/members"


def _segment(ctx: Ctx) -> Record:
    segments = ctx.store.segments[get_list(ctx.store, ctx.params["list_id"])["id"]]
    return lookup(segments, ctx.params["segment_id"], "segment")


def _render(store: Store, record: Record) -> Record:
    return {**record, "member_count": len(store.segment_members[record["id"]])}


def _hashes(ctx: Ctx, emails: list[str]) -> set[str]:
    return {find_member(ctx.store, ctx.params["list_id"], str(e))["id"] for e in emails}


@route("GET", COLLECTION)
def list_segments(ctx: Ctx) -> Reply:
    list_id = get_list(ctx.store, ctx.params["list_id"])["id"]
    return collection_reply(
        ctx,
        "segments",
        list(ctx.store.segments[list_id].values()),
        item_template=ITEM,
        id_param="segment_id",
        render=lambda r: _render(ctx.store, r),
        extra={"list_id": list_id},
    )


@route("POST", COLLECTION)
def add_segment(ctx: Ctx) -> Reply:
    list_id = get_list(ctx.store, ctx.params["list_id"])["id"]
    body = body_of(ctx)
    hashes = _hashes(ctx, body.get("static_segment") or [])
    record = make_segment(ctx.store, list_id, body["name"], sorted(hashes), ctx.store.now_iso())
    return item_reply(ctx, _render(ctx.store, record), ITEM, segment_id=str(record["id"]))


@route("GET", ITEM)
def read_segment(ctx: Ctx) -> Reply:
    return item_reply(ctx, _render(ctx.store, _segment(ctx)))


@route("PATCH", ITEM)
def update_segment(ctx: Ctx) -> Reply:
    record = _segment(ctx)
    body = body_of(ctx, partial=True)
    apply_editable(record, body, ("name",))
    if "static_segment" in body:
        ctx.store.segment_members[record["id"]] = _hashes(ctx, body["static_segment"])
    record["updated_at"] = ctx.store.now_iso()
    return item_reply(ctx, _render(ctx.store, record))


@route("DELETE", ITEM)
def delete_segment(ctx: Ctx) -> Reply:
    record = _segment(ctx)
    del ctx.store.segments[record["list_id"]][record["id"]]
    del ctx.store.segment_members[record["id"]]
    return no_content()


@route("POST", ITEM)
def batch_segment_members(ctx: Ctx) -> Reply:
    """Add and remove members in one call; unknown addresses are reported, not fatal."""
    record = _segment(ctx)
    body = body_of(ctx)
    current = ctx.store.segment_members[record["id"]]
    known = ctx.store.members[record["list_id"]]
    added, removed, errors = [], [], []
    for email in body.get("members_to_add") or []:
        key = member_key(str(email))
        if key in known:
            current.add(key)
            added.append(known[key])
        else:
            errors.append({"email_addresses": [email], "error": "Not a member of this audience."})
    for email in body.get("members_to_remove") or []:
        key = member_key(str(email))
        if key in current:
            current.discard(key)
            removed.append(known[key])
    return Reply(
        body={
            "members_added": added,
            "members_removed": removed,
            "errors": errors,
            "total_added": len(added),
            "total_removed": len(removed),
            "error_count": len(errors),
            "_links": [],
        }
    )


@route("GET", MEMBERS)
def list_segment_members(ctx: Ctx) -> Reply:
    record = _segment(ctx)
    known = ctx.store.members[record["list_id"]]
    members = [known[h] for h in sorted(ctx.store.segment_members[record["id"]]) if h in known]
    return collection_reply(
        ctx, "members", members, item_template=MEMBER, id_param="subscriber_hash"
    )


@route("POST", MEMBERS)
def add_segment_member(ctx: Ctx) -> Reply:
    record = _segment(ctx)
    member = find_member(ctx.store, record["list_id"], str(body_of(ctx)["email_address"]))
    ctx.store.segment_members[record["id"]].add(member["id"])
    return item_reply(ctx, member, MEMBER, subscriber_hash=member["id"])


@route("DELETE", MEMBERS + "/{subscriber_hash}")
def remove_segment_member(ctx: Ctx) -> Reply:
    record = _segment(ctx)
    member = find_member(ctx.store, record["list_id"], ctx.params["subscriber_hash"])
    members = ctx.store.segment_members[record["id"]]
    if member["id"] not in members:
        raise not_found("That contact is not in this segment.")
    members.discard(member["id"])
    return no_content()
