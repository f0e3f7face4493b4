"""How the API shows its objects. Each builder makes the stored record; the views pick the
fields one answer shows (a domain looks different in a list, in its own answer, just after
it is created, and nested inside a webhook or a token). Key sets follow the recorded answers
of api.mailersend.com (see tests/conformance/mailersend)."""

from __future__ import annotations

from typing import Any

from mcexplorer.sandbox.mailersend.state import Account, Record

UNSUBSCRIBE_HTML = '<p>Click here to <a href="{{unsubscribe}}">unsubscribe</a></p>'
UNSUBSCRIBE_TEXT = "Click here to unsubscribe: {{unsubscribe}}"
SCREENSHOTS = "https://storage.googleapis.com/mailersend-screenshots/screenshots/template_{}.png"


# -- domains ----------------------------------------------------------------------------


def domain_settings(*, send_paused: bool = False) -> Record:
    return {
        "send_paused": send_paused,
        "track_clicks": True,
        "track_opens": True,
        "track_opens_pixel_on_top": False,
        "track_unsubscribe": False,
        "track_unsubscribe_html": UNSUBSCRIBE_HTML,
        "track_unsubscribe_html_enabled": False,
        "track_unsubscribe_plain": UNSUBSCRIBE_TEXT,
        "track_unsubscribe_plain_enabled": False,
        "track_content": False,
        "custom_tracking_enabled": False,
        "custom_tracking_subdomain": "email",
        "return_path_subdomain": "mta",
        "inbound_routing_enabled": False,
        "inbound_routing_subdomain": "inbound",
        "precedence_bulk": False,
        "ignore_duplicated_recipients": False,
        "show_dmarc": False,
    }


def new_domain(
    account: Account, name: str, *, verified: bool, paused: bool, now_iso: str
) -> Record:
    return {
        "id": account.new_key(),
        "name": name.lower(),
        "dkim": verified,
        "spf": verified,
        "mx": verified,
        "tracking": False,
        "is_verified": verified,
        "is_cname_verified": verified,
        "is_dns_active": verified,
        "is_cname_active": False,
        "is_tracking_allowed": False,
        "domain_stats": {"total": 0, "queued": 0, "sent": 0, "rejected": 0, "delivered": 0},
        "domain_settings": domain_settings(send_paused=paused),
        "created_at": now_iso,
        "updated_at": now_iso,
    }


def domain_brief(domain: Record) -> Record:
    """The short form nested in tokens, recipients, identities and users."""
    return {k: domain[k] for k in ("id", "name", "created_at", "updated_at")}


def _domain_core(domain: Record) -> Record:
    keys = [
        "id",
        "name",
        "dkim",
        "spf",
        "tracking",
        "is_verified",
        "is_cname_verified",
        "is_dns_active",
        "is_cname_active",
        "is_tracking_allowed",
    ]
    return {k: domain[k] for k in keys}


def _queued(domain: Record) -> Record:
    queued = domain["domain_stats"]["queued"]
    return {"has_not_queued_messages": False, "not_queued_messages_count": queued}


def domain_listed(domain: Record) -> Record:
    """A domain in `GET /domains` and after a settings change."""
    return {
        **_domain_core(domain),
        "domain_stats": dict(domain["domain_stats"]),
        **_queued(domain),
        "domain_settings": dict(domain["domain_settings"]),
        "created_at": domain["created_at"],
        "updated_at": domain["updated_at"],
        "totals": [],
    }


def domain_single(domain: Record) -> Record:
    """`GET /domains/{id}`: the listed form with totals per kind of outcome."""
    stats = domain["domain_stats"]
    totals = {"sent": stats["sent"], "delivered": stats["delivered"]}
    return {**domain_listed(domain), "totals": {**totals, "hard_bounced": 0, "soft_bounced": 0}}


def domain_nested(domain: Record) -> Record:
    """A domain inside a webhook."""
    return {
        **_domain_core(domain),
        **_queued(domain),
        "domain_settings": dict(domain["domain_settings"]),
        "created_at": domain["created_at"],
        "updated_at": domain["updated_at"],
        "totals": [],
    }


def domain_created(domain: Record) -> Record:
    """`POST /domains`, and the domain inside a newly created token."""
    checked = domain["is_verified"] or None  # a new domain's records are not checked yet
    return {
        "id": domain["id"],
        "name": domain["name"],
        "dkim": domain["dkim"] if checked else None,
        "spf": domain["spf"] if checked else None,
        "mx": domain["mx"] if checked else None,
        "tracking": domain["tracking"] if checked else None,
        "is_verified": domain["is_verified"],
        "is_dns_active": domain["is_dns_active"],
        "is_trial_domain": False,
        "domain_settings": dict(domain["domain_settings"]),
        "can": {"manage": True},
        "totals": [],
        "is_dkim_txt": False if checked else None,
        "show_dkim_info": False,
        "is_being_verified": not domain["is_verified"],
    }


def dns_records(domain: Record) -> Record:
    name, settings = domain["name"], domain["domain_settings"]
    return {
        "id": domain["id"],
        "spf": {
            "hostname": name,
            "type": "TXT",
            "value": "v=spf1 include:_spf.mailersend.net ~all",
        },
        "dkim": {
            "hostname": f"mlsend2._domainkey.{name}",
            "type": "CNAME",
            "value": "mlsend2._domainkey.mailersend.net",
        },
        "return_path": {
            "hostname": f"{settings['return_path_subdomain']}.{name}",
            "type": "CNAME",
            "value": "mailersend.net",
        },
        "custom_tracking": {
            "hostname": f"{settings['custom_tracking_subdomain']}.{name}",
            "type": "CNAME",
            "value": "links.mailersend.net",
        },
        "inbound_routing": {
            "hostname": f"{settings['inbound_routing_subdomain']}.{name}",
            "type": "MX",
            "value": "inbound.mailersend.net",
            "priority": "10",
        },
    }


# -- templates, recipients, messages ------------------------------------------------------


def new_template(account: Account, raw: dict[str, Any], now_iso: str) -> Record:
    template_id = account.new_key()
    return {
        "id": template_id,
        "name": raw["name"],
        "description": raw.get("description"),
        "type": raw.get("type", "dd"),
        "image_path": SCREENSHOTS.format(template_id),
        "variables": {"variables": [], "personalization": {"account_name": ""}},
        "created_at": now_iso,
        "category": None,
        "categories": [],
        "domain_id": raw.get("domain_id"),
    }


def template_listed(template: Record) -> Record:
    return {k: v for k, v in template.items() if k != "domain_id"}


def template_single(account: Account, template: Record) -> Record:
    domain = account.table("domains").get(template["domain_id"] or "")
    sent = sum(
        1 for m in account.table("messages").values() if m.get("template_id") == template["id"]
    )
    return {
        **template_listed(template),
        "domain": domain_brief(domain) if domain else None,
        "template_stats": {
            "total": sent,
            "queued": 0,
            "sent": sent,
            "rejected": 0,
            "delivered": sent,
            "last_email_sent_at": None,
        },
    }


def template_brief(template: Record) -> Record:
    """A template as a user's access list shows it."""
    keys = ("id", "name", "description", "type", "created_at")
    return {k: template[k] for k in keys}


def new_recipient(account: Account, email: str, domain_id: str, now_iso: str) -> Record:
    return {
        "id": account.new_id(),
        "email": email.lower(),
        "created_at": now_iso,
        "updated_at": now_iso,
        "deleted_at": "",
        "domain_id": domain_id,
    }


def recipient_listed(recipient: Record) -> Record:
    return {k: v for k, v in recipient.items() if k != "domain_id"}


def recipient_with_domain(account: Account, recipient: Record) -> Record:
    domain = account.table("domains").get(recipient["domain_id"])
    return {**recipient_listed(recipient), "domain": domain_brief(domain) if domain else None}


def message_listed(message: Record) -> Record:
    return {k: message[k] for k in ("id", "created_at", "updated_at")}


def message_single(account: Account, message: Record) -> Record:
    domain = account.table("domains").get(message["domain_id"])
    return {
        "id": message["id"],
        "emails": [dict(e) for e in message["emails"]],
        "domain": domain_brief(domain) if domain else None,
        "created_at": message["created_at"],
        "updated_at": message["updated_at"],
    }


def schedule_listed(message: Record) -> Record:
    return {
        "message_id": message["id"],
        "subject": message["subject"],
        "send_at": message["send_at"],
        "status": message["schedule_status"],
        "status_message": None,
        "created_at": message["created_at"],
    }


def schedule_single(account: Account, message: Record) -> Record:
    domain = account.table("domains").get(message["domain_id"])
    return {
        **schedule_listed(message),
        "domain": domain_brief(domain) if domain else None,
        "message": message_listed(message),
    }


# -- people ------------------------------------------------------------------------------


def user_view(account: Account, user: Record) -> Record:
    domains = account.table("domains")
    templates = account.table("templates")
    return {
        "id": user["id"],
        "avatar": None,
        "email": user["email"],
        "last_name": user["last_name"],
        "name": user["name"],
        "2fa": False,
        "created_at": user["created_at"],
        "updated_at": user["updated_at"],
        "role": user["role"],
        "permissions": list(user["permissions"]),
        "domains": [domain_brief(domains[d]) for d in user["domains"] if d in domains],
        "templates": [template_brief(templates[t]) for t in user["templates"] if t in templates],
    }


def invite_view(invite: Record) -> Record:
    return {
        "id": invite["id"],
        "email": invite["email"],
        "data": {"domains": list(invite["domains"]), "templates": list(invite["templates"])},
        "role": invite["role"],
        "permissions": list(invite["permissions"]),
        "requires_periodic_password_change": invite["requires_periodic_password_change"],
        "created_at": invite["created_at"],
        "updated_at": invite["updated_at"],
    }
