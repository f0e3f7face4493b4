"""Campaigns over HTTP: CRUD, content, and the actions that move a campaign through sending."""

from __future__ import annotations

from typing import Any

from mcexplorer.sandbox.errors import ApiError, bad_request, invalid
from mcexplorer.sandbox.model.campaigns import (
    MERGEABLE,
    SENDING_SECONDS,
    get_campaign,
    missing_for_send,
    refresh,
    render_campaign,
)
from mcexplorer.sandbox.model.edits import apply_editable
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.model.records import make_campaign
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

COLLECTION = "/campaigns"
ITEM = "/campaigns/{campaign_id}"
ACTIONS = ITEM + "/actions/"


def _reply(ctx: Ctx, campaign: Record) -> Reply:
    return item_reply(ctx, render_campaign(ctx.store, campaign), ITEM, campaign_id=campaign["id"])


def _campaign(ctx: Ctx) -> Record:
    return get_campaign(ctx.store, ctx.params["campaign_id"])


def _require_status(campaign: Record, allowed: tuple[str, ...], action: str) -> None:
    if campaign["status"] not in allowed:
        raise bad_request(f"Cannot {action} a campaign whose status is '{campaign['status']}'.")


@route("GET", COLLECTION)
def list_campaigns(ctx: Ctx) -> Reply:
    store = ctx.store
    campaigns = [refresh(store, c) for c in store.campaigns.values()]
    for key in ("status", "type"):
        if ctx.query.get(key):
            campaigns = [c for c in campaigns if c[key] == ctx.query[key]]
    if ctx.query.get("list_id"):
        campaigns = [c for c in campaigns if c["recipients"].get("list_id") == ctx.query["list_id"]]
    return collection_reply(
        ctx,
        "campaigns",
        campaigns,
        item_template=ITEM,
        id_param="campaign_id",
        render=lambda c: render_campaign(store, c),
    )


@route("POST", COLLECTION)
def create_campaign(ctx: Ctx) -> Reply:
    body = body_of(ctx)
    list_id = (body.get("recipients") or {}).get("list_id")
    if list_id and list_id not in ctx.store.lists:
        raise bad_request(
            f"The list '{list_id}' does not exist in this account.", "InvalidResource"
        )
    return _reply(ctx, make_campaign(ctx.store, body, ctx.store.now_iso()))


@route("GET", ITEM)
def read_campaign(ctx: Ctx) -> Reply:
    return _reply(ctx, _campaign(ctx))


@route("PATCH", ITEM)
def update_campaign(ctx: Ctx) -> Reply:
    campaign = _campaign(ctx)
    _require_status(campaign, ("save", "paused", "schedule"), "edit")
    body = body_of(ctx, partial=True)
    apply_editable(campaign, body, merged=MERGEABLE)
    return _reply(ctx, campaign)


@route("DELETE", ITEM)
def delete_campaign(ctx: Ctx) -> Reply:
    campaign = _campaign(ctx)
    if campaign["status"] == "sending":
        raise ApiError(
            405,
            "Method Not Allowed",
            "This campaign is being sent right now and cannot be deleted.",
        )
    del ctx.store.campaigns[campaign["id"]]
    ctx.store.contents.pop(campaign["id"], None)
    return no_content()


@route("GET", ITEM + "/content")
def read_content(ctx: Ctx) -> Reply:
    content = ctx.store.contents[_campaign(ctx)["id"]]
    return item_reply(ctx, {k: v for k, v in content.items() if v})  # unset parts are absent


@route("PUT", ITEM + "/content")
def put_content(ctx: Ctx) -> Reply:
    campaign = _campaign(ctx)
    body = body_of(ctx, partial=True)
    content = ctx.store.contents[campaign["id"]]
    if "template" in body:
        template_id = str(body["template"].get("id", ""))
        try:
            content["html"] = lookup(ctx.store.templates, template_id, "template")["html"]
        except ApiError:  # a body naming a missing template is invalid, not a missing path
            raise invalid(detail=f"The template '{template_id}' does not exist.") from None
    apply_editable(content, body, ("html", "plain_text", "url"))
    return item_reply(ctx, {k: v for k, v in content.items() if v})


@route("POST", ACTIONS + "send")
def send(ctx: Ctx) -> Reply:
    store = ctx.store
    campaign = _campaign(ctx)
    _require_status(campaign, ("save", "paused", "schedule"), "send")
    missing = missing_for_send(store, campaign)
    if missing:
        raise bad_request(f"The campaign is not ready to send; missing: {', '.join(missing)}.")
    members = store.members[campaign["recipients"]["list_id"]].values()
    campaign.update(
        status="sending",
        send_time=store.now_iso(),
        emails_sent=sum(1 for m in members if m["status"] == "subscribed"),
        delivery_status={"enabled": True, "status": "delivering", "can_cancel": True},
        _sending_until=store.clock() + SENDING_SECONDS,
    )
    return no_content()


@route("POST", ACTIONS + "schedule")
def schedule(ctx: Ctx) -> Reply:
    campaign = _campaign(ctx)
    _require_status(campaign, ("save", "paused"), "schedule")
    body = body_of(ctx)
    missing = missing_for_send(ctx.store, campaign)
    if missing:
        raise bad_request(f"The campaign is not ready to schedule; missing: {', '.join(missing)}.")
    campaign.update(status="schedule", send_time=body["schedule_time"])
    return no_content()


@route("POST", ACTIONS + "unschedule")
def unschedule(ctx: Ctx) -> Reply:
    campaign = _campaign(ctx)
    _require_status(campaign, ("schedule",), "unschedule")
    campaign.update(status="save", send_time="")
    return no_content()


@route("POST", ACTIONS + "pause")
def pause(ctx: Ctx) -> Reply:
    campaign = _campaign(ctx)
    if campaign["type"] != "rss":
        raise bad_request("Only RSS campaigns can be paused.", "InvalidAction")
    _require_status(campaign, ("sending", "schedule"), "pause")
    campaign["status"] = "paused"
    return no_content()


@route("POST", ACTIONS + "resume")
def resume(ctx: Ctx) -> Reply:
    campaign = _campaign(ctx)
    if campaign["type"] != "rss":
        raise bad_request("Only RSS campaigns can be resumed.", "InvalidAction")
    _require_status(campaign, ("paused",), "resume")
    campaign["status"] = "sending"
    return no_content()


@route("POST", ACTIONS + "cancel-send")
def cancel_send(ctx: Ctx) -> Reply:
    campaign = _campaign(ctx)
    _require_status(campaign, ("sending",), "cancel")
    campaign.update(
        status="canceled",
        delivery_status={"enabled": True, "status": "canceled", "can_cancel": False},
    )
    campaign.pop("_sending_until", None)
    return no_content()


@route("POST", ACTIONS + "replicate")
def replicate(ctx: Ctx) -> Reply:
    store = ctx.store
    source = _campaign(ctx)
    fields: dict[str, Any] = {k: source[k] for k in ("type", "recipients", "settings", "tracking")}
    title = source["settings"].get("title", "")
    fields["settings"] = {**source["settings"], "title": f"{title} (copy)".strip()}
    copy = make_campaign(store, fields, store.now_iso())
    copy["parent_campaign_id"] = source["id"]
    store.contents[copy["id"]] = dict(store.contents[source["id"]])
    return _reply(ctx, copy)


@route("POST", ACTIONS + "test")
def send_test(ctx: Ctx) -> Reply:
    _campaign(ctx)
    body = body_of(ctx)
    if body["send_type"] not in ("html", "plaintext"):
        raise bad_request("send_type must be 'html' or 'plaintext'.", "InvalidResource")
    return no_content()
