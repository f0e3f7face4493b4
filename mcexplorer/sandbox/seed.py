"""The generated demo account described by data/seed.json, identical for the same seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from mcexplorer.sandbox.model.records import (
    make_automation,
    make_campaign,
    make_category,
    make_list,
    make_member,
    make_merge_field,
    make_segment,
    make_template,
    seed_params,
    set_automation_status,
)
from mcexplorer.sandbox.store import Store

ISO = "%Y-%m-%dT%H:%M:%S+00:00"


def build_store(seed: int, dc: str) -> Store:
    """A fresh demo account."""
    rng = random.Random(seed)
    store = Store(seed=seed, dc=dc, account={}, api_keys={}, oauth_tokens={}, rng=rng)
    populate(store)
    return store


def populate(store: Store) -> None:
    params = seed_params()
    rng = store.rng
    base = datetime.fromisoformat(params["base_time"])
    stamp = (base - timedelta(days=400)).strftime(ISO)

    store.api_keys = {store.hex_id(32): "owner", store.hex_id(32): "viewer"}
    store.api_keys[store.hex_id(32)] = "disabled"  # a deactivated user: 403 User Disabled
    store.oauth_tokens = {store.hex_id(32): "owner"}
    store.account = {
        "account_id": store.hex_id(25),
        "login_id": str(rng.randint(10_000_000, 99_999_999)),
        **{k: v for k, v in params["account"].items() if k not in ("contact", "industry_stats")},
        "contact": dict(params["account"]["contact"]),
        "avatar_url": "",
        "role": "owner",
        "member_since": stamp,
        "first_payment": stamp,
        "pro_enabled": False,
        "last_login": base.strftime(ISO),
        "total_subscribers": 0,
        "industry_stats": dict(params["account"]["industry_stats"]),
    }
    for index, spec in enumerate(params["lists"]):
        _seed_list(store, params, spec, base - timedelta(days=300 - 40 * index))
    for name in params["templates"]:
        html = f"<html><body><h1>{name}</h1><p>*|MC:BODY|*</p></body></html>"
        make_template(store, {"name": name, "html": html}, stamp)
    seed_automations(store, params["automations"], base.strftime(ISO))


def _seed_list(store: Store, params: dict[str, Any], spec: dict[str, Any], when: datetime) -> None:
    rng = store.rng
    account = store.account
    record = make_list(
        store,
        {
            "name": spec["name"],
            "contact": {
                "company": account["contact"]["company"],
                "address1": account["contact"]["addr1"],
                "address2": account["contact"]["addr2"],
                "state": account["contact"]["state"],
                "city": account["contact"]["city"],
                "zip": account["contact"]["zip"],
                "country": account["contact"]["country"],
            },
            "permission_reminder": "You signed up on our demo site.",
            "campaign_defaults": {
                "from_name": account["account_name"],
                "from_email": account["email"],
                "subject": "",
                "language": "en",
            },
            "email_type_option": False,
            "marketing_permissions": spec.get("gdpr", False),
        },
        when.strftime(ISO),
    )
    list_id = record["id"]
    for field in params["merge_fields"]:
        make_merge_field(store, list_id, field)
    statuses = list(params["status_weights"])
    weights = list(params["status_weights"].values())
    firsts, lasts, domains = params["first_names"], params["last_names"], params["domains"]
    members = []
    for n in range(spec["members"]):
        first, last = rng.choice(firsts), rng.choice(lasts)
        email = f"{first}.{last}.{n}@{rng.choice(domains)}".lower()
        joined = (when + timedelta(minutes=rng.randint(0, 300 * 24 * 60))).strftime(ISO)
        tags = rng.sample(params["tags"], rng.choice((0, 0, 1, 1, 2)))
        merges = {"FNAME": first, "LNAME": last, "PHONE": "", "BIRTHDAY": ""}
        if rng.random() < 0.3:
            merges["BIRTHDAY"] = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}"
        status = rng.choices(statuses, weights)[0]
        member = make_member(store, list_id, email, status, joined, merge_fields=merges, tags=tags)
        member["member_rating"] = rng.randint(1, 5)
        if status in ("unsubscribed", "cleaned"):  # the contact's own doing, or a bounce
            store.compliance.add((list_id, member["id"]))
        members.append(member)
    for member in rng.sample(members, 3):
        key = (list_id, member["id"])
        note_id = store.int_id()
        note = rng.choice(params["notes"])
        store.notes[key] = {
            note_id: {"id": note_id, "created_at": member["last_changed"], "note": note}
        }
    for name in params["segment_names"]:
        chosen = rng.sample(members, min(25, len(members)))
        make_segment(store, list_id, name, [m["id"] for m in chosen], when.strftime(ISO))
    for category in params["interest_categories"] if spec.get("interests", True) else ():
        make_category(store, list_id, category["title"], category["type"], category["interests"])
    _seed_campaigns(store, params, record, when)


def _seed_campaigns(
    store: Store, params: dict[str, Any], lst: dict[str, Any], when: datetime
) -> None:
    rng = store.rng
    words = params["campaign_words"]
    for n in range(params["campaigns_per_list"]):
        subject = f"{rng.choice(words).title()} {rng.choice(words)} #{n + 1}"
        created = when + timedelta(days=20 + 30 * n)
        campaign = make_campaign(
            store,
            {
                "type": "regular",
                "recipients": {"list_id": lst["id"]},
                "settings": {
                    "subject_line": subject,
                    "title": subject,
                    "from_name": lst["campaign_defaults"]["from_name"],
                    "reply_to": lst["campaign_defaults"]["from_email"],
                },
            },
            created.strftime(ISO),
        )
        store.contents[campaign["id"]] = {
            "html": f"<p>{subject}</p>",
            "plain_text": subject,
        }
        if rng.random() < params["sent_fraction"]:
            sent = sum(1 for m in store.members[lst["id"]].values() if m["status"] == "subscribed")
            campaign.update(
                status="sent",
                emails_sent=sent,
                send_time=(created + timedelta(days=1)).strftime(ISO),
            )


def seed_automations(store: Store, specs: list[dict[str, Any]], created: str) -> None:
    list_id = next(iter(store.lists))
    for spec in specs:
        fields = {
            "recipients": {"list_id": list_id},
            "settings": {"title": spec["title"], "from_name": store.account["account_name"]},
            "trigger_settings": {
                "workflow_type": spec["workflow_type"],
                "workflow_title": spec["title"],
            },
        }
        record = make_automation(store, fields, created, spec["emails"])
        set_automation_status(store, record, "sending")
        record["start_time"] = created
