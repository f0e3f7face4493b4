"""Audience members over HTTP; the rules are in model/members."""

from __future__ import annotations

from mcexplorer.sandbox.model import members
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

COLLECTION = "/lists/{list_id}/members"
ITEM = "/lists/{list_id}/members/{subscriber_hash}"


def _member(ctx: Ctx) -> Record:
    return members.find_member(ctx.store, ctx.params["list_id"], ctx.params["subscriber_hash"])


def _reply(ctx: Ctx, member: Record) -> Reply:
    return item_reply(ctx, member, ITEM, subscriber_hash=member["id"])


@route("GET", COLLECTION)
def list_members(ctx: Ctx) -> Reply:
    found = list(members.members_of(ctx.store, ctx.params["list_id"]).values())
    status = ctx.query.get("status")
    if status:
        found = [m for m in found if m["status"] == status]
    if ctx.query.get("vip_only") == "true":
        found = [m for m in found if m["vip"]]
    if ctx.query.get("sort_field"):
        key = ctx.query["sort_field"]
        found.sort(key=lambda m: str(m.get(key, "")), reverse=ctx.query.get("sort_dir") == "DESC")
    return collection_reply(
        ctx,
        "members",
        found,
        item_template=ITEM,
        id_param="subscriber_hash",
        extra={"list_id": ctx.params["list_id"]},
    )


@route("POST", COLLECTION)
def add_member(ctx: Ctx) -> Reply:
    body = body_of(ctx)
    if ctx.query.get("skip_merge_validation") == "true":
        body = {**body, "merge_fields": {}}
    return _reply(ctx, members.add(ctx.store, ctx.params["list_id"], body))


@route("GET", ITEM)
def read_member(ctx: Ctx) -> Reply:
    return _reply(ctx, _member(ctx))


@route("PUT", ITEM)
def put_member(ctx: Ctx) -> Reply:
    body = body_of(ctx, required=[])
    member = members.upsert(ctx.store, ctx.params["list_id"], ctx.params["subscriber_hash"], body)
    return _reply(ctx, member)


@route("PATCH", ITEM)
def patch_member(ctx: Ctx) -> Reply:
    member = _member(ctx)
    members.update(ctx.store, member, body_of(ctx, partial=True))
    return _reply(ctx, member)


@route("DELETE", ITEM)
def archive_member(ctx: Ctx) -> Reply:
    members.archive(ctx.store, _member(ctx))
    return no_content()


@route("POST", ITEM + "/actions/delete-permanent")
def delete_member_permanently(ctx: Ctx) -> Reply:
    members.forget(ctx.store, _member(ctx))
    return no_content()
