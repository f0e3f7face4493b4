"""A member's tags, notes and activity."""

from __future__ import annotations

import hashlib

from mcexplorer.sandbox.errors import invalid
from mcexplorer.sandbox.model.edits import apply_editable
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.model.members import find_member
from mcexplorer.sandbox.model.records import set_tags
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.resources.members import ITEM
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

TAGS = ITEM + "/tags"
NOTES = ITEM + "/notes"
NOTE = NOTES + "/{note_id}"


def _member(ctx: Ctx) -> Record:
    return find_member(ctx.store, ctx.params["list_id"], ctx.params["subscriber_hash"])


@route("GET", TAGS)
def list_tags(ctx: Ctx) -> Reply:
    member = _member(ctx)
    tags = [{**tag, "date_added": member["last_changed"]} for tag in member["tags"]]
    return collection_reply(ctx, "tags", tags)


@route("POST", TAGS)
def change_tags(ctx: Ctx) -> Reply:
    member = _member(ctx)
    changes = body_of(ctx)["tags"]
    errors = [
        {
            "field": f"tags.item:{i}",
            "message": "Each tag needs a name (and status active/inactive).",
        }
        for i, tag in enumerate(changes)
        if not isinstance(tag, dict)
        or not isinstance(tag.get("name"), str)
        or tag.get("status", "active") not in ("active", "inactive")
    ]
    if errors:
        raise invalid(errors)
    set_tags(member, changes)
    return no_content()


def _notes(ctx: Ctx) -> dict[int, Record]:
    member = _member(ctx)
    return ctx.store.notes.setdefault((member["list_id"], member["id"]), {})


def _note(ctx: Ctx) -> Record:
    return lookup(_notes(ctx), ctx.params["note_id"], "note")


def _render_note(ctx: Ctx, note: Record) -> Record:
    member = _member(ctx)
    return {
        **note,
        "updated_at": note.get("updated_at", note["created_at"]),
        "created_by": "Demo Owner",
        "email_id": member["id"],
        "contact_id": member["contact_id"],
        "list_id": member["list_id"],
    }


@route("GET", NOTES)
def list_notes(ctx: Ctx) -> Reply:
    member = _member(ctx)
    notes = list(_notes(ctx).values())
    return collection_reply(
        ctx,
        "notes",
        notes,
        item_template=NOTE,
        id_param="note_id",
        render=lambda n: _render_note(ctx, n),
        extra={"email_id": member["id"], "list_id": member["list_id"]},
    )


@route("POST", NOTES)
def add_note(ctx: Ctx) -> Reply:
    body = body_of(ctx, required=["note"])
    note_id = ctx.store.int_id()
    note = {"id": note_id, "created_at": ctx.store.now_iso(), "note": body["note"]}
    _notes(ctx)[note_id] = note
    return item_reply(ctx, _render_note(ctx, note), NOTE, note_id=str(note_id))


@route("GET", NOTE)
def read_note(ctx: Ctx) -> Reply:
    return item_reply(ctx, _render_note(ctx, _note(ctx)))


@route("PATCH", NOTE)
def update_note(ctx: Ctx) -> Reply:
    note = _note(ctx)
    body = body_of(ctx, partial=True)
    if "note" in body:
        apply_editable(note, {**body, "updated_at": ctx.store.now_iso()}, ("note", "updated_at"))
    return item_reply(ctx, _render_note(ctx, note))


@route("DELETE", NOTE)
def delete_note(ctx: Ctx) -> Reply:
    del _notes(ctx)[_note(ctx)["id"]]
    return no_content()


@route("GET", ITEM + "/activity")
def member_activity(ctx: Ctx) -> Reply:
    """Derived from the campaigns sent to the member's list: a 'sent' and maybe an 'open'."""
    member = _member(ctx)
    events: list[Record] = []
    for campaign in ctx.store.campaigns.values():
        if campaign["recipients"].get("list_id") != member["list_id"]:
            continue
        if campaign["status"] not in ("sending", "sent"):
            continue
        base = {"campaign_id": campaign["id"], "title": campaign["settings"].get("title", "")}
        events.append(
            {**base, "action": "sent", "timestamp": campaign["send_time"], "type": "regular"}
        )
        digest = hashlib.md5((campaign["id"] + member["id"]).encode()).digest()
        if digest[0] < 90:  # about a third of recipients opened, the same ones every run
            events.append({**base, "action": "open", "timestamp": campaign["send_time"]})
    events.sort(key=lambda e: e["timestamp"], reverse=True)
    extra = {"email_id": member["id"], "list_id": member["list_id"]}
    return collection_reply(ctx, "activity", events, extra=extra)
