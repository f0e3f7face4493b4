"""Campaigns: CRUD, content, and the actions that move a campaign through sending."""

from __future__ import annotations

from typing import Any

from mcexplorer.sandbox.errors import ApiError
from mcexplorer.sandbox.resources.common import (
    bad_request,
    body_of,
    collection_reply,
    item_reply,
    no_content,
    not_found,
    route,
)
from mcexplorer.sandbox.resources.records import make_campaign
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record, Store

COLLECTION = "/campaigns"
ITEM = "/campaigns/{campaign_id}"
ACTIONS = ITEM + "/actions/"
# How long (clock seconds) a campaign stays "sending" before it is "sent".
SENDING_SECONDS = 2.0
READY_SETTINGS = ("subject_line", "from_name", "reply_to")
MERGEABLE = ("settings", "recipients", "tracking", "social_card", "rss_opts", "variate_settings")


def refresh(store: Store, campaign: Record) -> Record:
    """Finish a send whose time is up (the clock decides, so tests can step it)."""
    until = campaign.get("_sending_until")
    if campaign["status"] == "sending" and until is not None and store.clock() >= until:
        campaign["status"] = "sent"
        campaign["delivery_status"] = {"enabled": True, "status": "delivered", "can_cancel": False}
    return campaign


def get_campaign(store: Store, campaign_id: str) -> Record:
    campaign = store.campaigns.get(campaign_id)
    if campaign is None:
        raise not_found(f"The campaign '{campaign_id}' does not exist in this account.")
    return refresh(store, campaign)


def render_campaign(store: Store, campaign: Record) -> Record:
    from mcexplorer.sandbox.resources.reports import summary

    body = {k: v for k, v in refresh(store, campaign).items() if not k.startswith("_")}
    recipients = dict(body["recipients"])
    lst = store.lists.get(recipients.get("list_id", ""))
    if lst is not None:
        subscribed = sum(
            1 for m in store.members[lst["id"]].values() if m["status"] == "subscribed"
        )
        recipients.update(list_name=lst["name"], list_is_active=True, recipient_count=subscribed)
    body["recipients"] = recipients
    if campaign["status"] in ("sending", "sent"):
        body["report_summary"] = summary(campaign)
    return body


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
            f"The list '{list_id}' does not exist in this account.", "Invalid Resource"
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
    for key in MERGEABLE:
        if isinstance(body.get(key), dict):
            campaign[key] = {**campaign.get(key, {}), **body[key]}
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
    return item_reply(ctx, dict(content))


@route("PUT", ITEM + "/content")
def put_content(ctx: Ctx) -> Reply:
    campaign = _campaign(ctx)
    body = body_of(ctx, partial=True)
    content = ctx.store.contents[campaign["id"]]
    if "template" in body:
        raw_id = str(body["template"].get("id", ""))
        template = ctx.store.templates.get(int(raw_id)) if raw_id.isdigit() else None
        if template is None:
            raise bad_request("The template in this content does not exist.", "Invalid Resource")
        content["html"] = template["html"]
    content.update({k: body[k] for k in ("html", "plain_text", "url") if k in body})
    return item_reply(ctx, dict(content))


def _missing_for_send(store: Store, campaign: Record) -> list[str]:
    missing = [f"settings.{k}" for k in READY_SETTINGS if not campaign["settings"].get(k)]
    if campaign["recipients"].get("list_id") not in store.lists:
        missing.append("recipients.list_id")
    return missing


@route("POST", ACTIONS + "send")
def send(ctx: Ctx) -> Reply:
    store = ctx.store
    campaign = _campaign(ctx)
    _require_status(campaign, ("save", "paused", "schedule"), "send")
    missing = _missing_for_send(store, campaign)
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
    missing = _missing_for_send(ctx.store, campaign)
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
        raise bad_request("Only RSS campaigns can be paused.", "Invalid Action")
    _require_status(campaign, ("sending", "schedule"), "pause")
    campaign["status"] = "paused"
    return no_content()


@route("POST", ACTIONS + "resume")
def resume(ctx: Ctx) -> Reply:
    campaign = _campaign(ctx)
    if campaign["type"] != "rss":
        raise bad_request("Only RSS campaigns can be resumed.", "Invalid Action")
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
        raise bad_request("send_type must be 'html' or 'plaintext'.", "Invalid Resource")
    return no_content()
