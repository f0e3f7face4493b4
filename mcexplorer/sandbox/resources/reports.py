"""Reports for sent (and sending) campaigns, derived deterministically from the campaign."""

from __future__ import annotations

import random
from typing import Any

from mcexplorer.sandbox.resources.campaigns import get_campaign, refresh
from mcexplorer.sandbox.resources.common import collection_reply, item_reply, not_found, route
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record, Store

ITEM = "/reports/{campaign_id}"


def _figures(campaign: Record) -> dict[str, Any]:
    # Seeded by the campaign id: the same campaign always reports the same numbers.
    rng = random.Random(campaign["id"])
    sent = int(campaign["emails_sent"])
    unique_opens = int(sent * rng.uniform(0.15, 0.45))
    unique_clicks = int(unique_opens * rng.uniform(0.05, 0.3))
    return {
        "sent": sent,
        "unique_opens": unique_opens,
        "opens_total": unique_opens + rng.randint(0, unique_opens // 2 + 1),
        "unique_clicks": unique_clicks,
        "clicks_total": unique_clicks + rng.randint(0, unique_clicks + 1),
        "hard": rng.randint(0, max(1, sent // 100)),
        "soft": rng.randint(0, max(1, sent // 50)),
        "unsubscribed": rng.randint(0, max(1, sent // 80)),
        "abuse": rng.randint(0, 1),
    }


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def summary(campaign: Record) -> dict[str, Any]:
    f = _figures(campaign)
    return {
        "opens": f["opens_total"],
        "unique_opens": f["unique_opens"],
        "open_rate": _rate(f["unique_opens"], f["sent"]),
        "clicks": f["clicks_total"],
        "subscriber_clicks": f["unique_clicks"],
        "click_rate": _rate(f["unique_clicks"], f["sent"]),
    }


def build_report(store: Store, campaign: Record) -> Record:
    f = _figures(campaign)
    lst = store.lists.get(campaign["recipients"].get("list_id", ""), {})
    settings = campaign["settings"]
    return {
        "id": campaign["id"],
        "campaign_title": settings.get("title", ""),
        "type": campaign["type"],
        "list_id": lst.get("id", ""),
        "list_is_active": bool(lst),
        "list_name": lst.get("name", ""),
        "subject_line": settings.get("subject_line", ""),
        "preview_text": settings.get("preview_text", ""),
        "emails_sent": f["sent"],
        "abuse_reports": f["abuse"],
        "unsubscribed": f["unsubscribed"],
        "send_time": campaign["send_time"],
        "bounces": {"hard_bounces": f["hard"], "soft_bounces": f["soft"], "syntax_errors": 0},
        "forwards": {"forwards_count": 0, "forwards_opens": 0},
        "opens": {
            "opens_total": f["opens_total"],
            "unique_opens": f["unique_opens"],
            "open_rate": _rate(f["unique_opens"], f["sent"]),
            "last_open": campaign["send_time"],
        },
        "clicks": {
            "clicks_total": f["clicks_total"],
            "unique_clicks": f["unique_clicks"],
            "unique_subscriber_clicks": f["unique_clicks"],
            "click_rate": _rate(f["unique_clicks"], f["sent"]),
            "last_click": campaign["send_time"],
        },
        "facebook_likes": {"recipient_likes": 0, "unique_likes": 0, "facebook_likes": 0},
        "industry_stats": {"type": "Education and Training", **store.account["industry_stats"]},
        "list_stats": {"sub_rate": 0, "unsub_rate": 0, "open_rate": 0, "click_rate": 0},
        "ecommerce": {"total_orders": 0, "total_spent": 0, "total_revenue": 0, "currency_code": ""},
        "delivery_status": dict(campaign["delivery_status"]),
        "timeseries": [],
    }


def _reported(store: Store) -> list[Record]:
    campaigns = (refresh(store, c) for c in store.campaigns.values())
    return [c for c in campaigns if c["status"] in ("sending", "sent", "canceled")]


@route("GET", "/reports")
def list_reports(ctx: Ctx) -> Reply:
    store = ctx.store
    return collection_reply(
        ctx,
        "reports",
        _reported(store),
        item_template=ITEM,
        id_param="campaign_id",
        render=lambda c: build_report(store, c),
    )


@route("GET", ITEM)
def read_report(ctx: Ctx) -> Reply:
    campaign = get_campaign(ctx.store, ctx.params["campaign_id"])
    if campaign["status"] not in ("sending", "sent", "canceled"):
        raise not_found("This campaign has not been sent, so it has no report yet.")
    return item_reply(ctx, build_report(ctx.store, campaign))
