"""Classic automations and their emails: listing, pausing and starting."""

from __future__ import annotations

from mcexplorer.sandbox.errors import bad_request
from mcexplorer.sandbox.model.edits import apply_editable
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.model.records import make_automation, set_automation_status
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

COLLECTION = "/automations"
ITEM = "/automations/{workflow_id}"
EMAILS = ITEM + "/emails"
EMAIL = EMAILS + "/{workflow_email_id}"


def _automation(ctx: Ctx) -> Record:
    return lookup(ctx.store.automations, ctx.params["workflow_id"], "automation")


def _email(ctx: Ctx) -> Record:
    emails = ctx.store.automation_emails[_automation(ctx)["id"]]
    return lookup(emails, ctx.params["workflow_email_id"], "automation email")


@route("GET", COLLECTION)
def list_automations(ctx: Ctx) -> Reply:
    records = list(ctx.store.automations.values())
    if ctx.query.get("status"):
        records = [r for r in records if r["status"] == ctx.query["status"]]
    return collection_reply(ctx, "automations", records, item_template=ITEM, id_param="workflow_id")


@route("POST", COLLECTION)
def create_automation(ctx: Ctx) -> Reply:
    body = body_of(ctx)
    list_id = (body["recipients"] or {}).get("list_id")
    if list_id not in ctx.store.lists:
        raise bad_request(
            f"The list '{list_id}' does not exist in this account.", "InvalidResource"
        )
    record = make_automation(ctx.store, body, ctx.store.now_iso(), 1)
    return item_reply(ctx, record, ITEM, workflow_id=record["id"])


@route("GET", ITEM)
def read_automation(ctx: Ctx) -> Reply:
    return item_reply(ctx, _automation(ctx))


@route("POST", ITEM + "/actions/pause-all-emails")
def pause_all(ctx: Ctx) -> Reply:
    set_automation_status(ctx.store, _automation(ctx), "paused")
    return no_content()


@route("POST", ITEM + "/actions/start-all-emails")
def start_all(ctx: Ctx) -> Reply:
    automation = _automation(ctx)
    set_automation_status(ctx.store, automation, "sending")
    automation["start_time"] = automation["start_time"] or ctx.store.now_iso()
    return no_content()


@route("GET", EMAILS)
def list_emails(ctx: Ctx) -> Reply:
    records = list(ctx.store.automation_emails[_automation(ctx)["id"]].values())
    return collection_reply(
        ctx, "emails", records, item_template=EMAIL, id_param="workflow_email_id"
    )


@route("GET", EMAIL)
def read_email(ctx: Ctx) -> Reply:
    return item_reply(ctx, _email(ctx))


@route("PATCH", EMAIL)
def update_email(ctx: Ctx) -> Reply:
    email = _email(ctx)
    body = body_of(ctx, partial=True)
    apply_editable(email, body, merged=("settings", "delay"))
    return item_reply(ctx, email)


@route("DELETE", EMAIL)
def delete_email(ctx: Ctx) -> Reply:
    email = _email(ctx)
    if email["status"] == "sending":
        raise bad_request("Pause this automation email before deleting it.", "InvalidAction")
    del ctx.store.automation_emails[email["workflow_id"]][email["id"]]
    return no_content()


@route("POST", EMAIL + "/actions/pause")
def pause_email(ctx: Ctx) -> Reply:
    _email(ctx)["status"] = "paused"
    return no_content()


@route("POST", EMAIL + "/actions/start")
def start_email(ctx: Ctx) -> Reply:
    email = _email(ctx)
    email["status"] = "sending"
    automation = ctx.store.automations[email["workflow_id"]]
    if automation["status"] != "sending":
        automation["status"] = "sending"
    return no_content()
