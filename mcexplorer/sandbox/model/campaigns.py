"""Campaigns and their reports: the send clock, rendering, and figures derived per campaign."""

from __future__ import annotations

import random
from typing import Any

from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.store import Record, Store

# How long (clock seconds) a campaign stays "sending" before it is "sent".
SENDING_SECONDS = 2.0
READY_SETTINGS = ("subject_line", "from_name", "reply_to")
MERGEABLE = ("settings", "recipients", "tracking", "social_card", "rss_opts", "variate_settings")
REPORTED = ("sending", "sent", "canceled")


def refresh(store: Store, campaign: Record) -> Record:
    """Finish a send whose time is up (the clock decides, so tests can step it)."""
    until = campaign.get("_sending_until")
    if campaign["status"] == "sending" and until is not None and store.clock() >= until:
        campaign["status"] = "sent"
        campaign["delivery_status"] = {"enabled": True, "status": "delivered", "can_cancel": False}
    return campaign


def get_campaign(store: Store, campaign_id: str) -> Record:
    return refresh(store, lookup(store.campaigns, campaign_id, "campaign"))


def render_campaign(store: Store, campaign: Record) -> Record:
    body = {k: v for k, v in refresh(store, campaign).items() if not k.startswith("_")}
    recipients = {
        "list_id": "",
        "list_is_active": False,
        "list_name": "",
        "segment_text": "",
        "recipient_count": 0,
        **body["recipients"],
    }
    lst = store.lists.get(recipients["list_id"])
    if lst is not None:
        subscribed = sum(
            1 for m in store.members[lst["id"]].values() if m["status"] == "subscribed"
        )
        recipients.update(list_name=lst["name"], list_is_active=True, recipient_count=subscribed)
    body["recipients"] = recipients
    if campaign["status"] in ("sending", "sent"):
        body["report_summary"] = summary(campaign)
    return body


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


def reported(store: Store) -> list[Record]:
    campaigns = (refresh(store, c) for c in store.campaigns.values())
    return [c for c in campaigns if c["status"] in REPORTED]


def missing_for_send(store: Store, campaign: Record) -> list[str]:
    missing = [f"settings.{k}" for k in READY_SETTINGS if not campaign["settings"].get(k)]
    if campaign["recipients"].get("list_id") not in store.lists:
        missing.append("recipients.list_id")
    return missing
