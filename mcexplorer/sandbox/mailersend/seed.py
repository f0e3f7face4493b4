"""The demo account the MailerSend sandbox starts from (`seed` in the sandbox data file)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from mcexplorer.sandbox.mailersend import records
from mcexplorer.sandbox.mailersend.limits import sandbox_data
from mcexplorer.sandbox.mailersend.state import Account, Token


def build_account(seed: int, now: float) -> Account:
    """The demo account; scheduled messages are placed relative to `now`."""
    data = sandbox_data()["seed"]
    account = Account(seed=seed, name=data["account_name"], rng=random.Random(f"mailersend:{seed}"))
    created = data["created_at"]
    # The token secrets are drawn first, so a seed keeps its demo tokens as the data grows.
    secrets = [account.new_token_secret() for _ in data["tokens"]]
    domains = account.table("domains")
    for raw in data["domains"]:
        domain = records.new_domain(
            account,
            raw["name"],
            verified=raw["is_verified"],
            paused=raw["send_paused"],
            now_iso=created,
        )
        domains[domain["id"]] = domain
    home = next(iter(domains.values()))  # the first verified domain
    for secret, raw in zip(secrets, data["tokens"], strict=True):
        _add_token(account, secret, raw, home, created)
    for raw in data["templates"]:
        template = records.new_template(account, raw, created)
        account.table("templates")[template["id"]] = template
    _add_recipients(account, data["recipients"], created)
    for raw in data["messages"]:
        _add_message(account, raw, created, send_at=None)
    moment = datetime.fromtimestamp(now, UTC)
    for raw in data["scheduled"]:
        send_at = moment + timedelta(hours=raw["in_hours"])
        _add_message(account, raw, created, send_at=send_at.strftime("%Y-%m-%dT%H:%M:%S.000000Z"))
    for raw in data["identities"]:
        _add_identity(account, raw, created)
    for raw in data["users"]:
        user = {
            "id": account.new_key(),
            **{k: raw[k] for k in ("name", "last_name", "email", "role", "permissions")},
            "domains": [home["id"]],
            "templates": list(account.table("templates")),
            "created_at": created,
            "updated_at": created,
        }
        account.table("users")[user["id"]] = user
    for raw in data["invites"]:
        invite = {
            "id": account.new_key(),
            "email": raw["email"],
            "role": raw["role"],
            "permissions": [],
            "domains": [],
            "templates": [],
            "requires_periodic_password_change": False,
            "created_at": created,
            "updated_at": created,
        }
        account.table("invites")[invite["id"]] = invite
    for raw in data["sms_numbers"]:
        number = {"id": account.new_key(), **raw, "created_at": created}
        account.table("sms_numbers")[number["id"]] = number
    for raw in data["sms_recipients"]:
        recipient = {"id": account.new_key(), **raw, "created_at": created}
        account.table("sms_recipients")[recipient["id"]] = recipient
    return account


def _add_token(
    account: Account, secret: str, raw: dict[str, Any], domain: dict[str, Any], created: str
) -> None:
    record = {
        "id": account.new_token_id(),
        "name": raw["name"],
        "status": "unpause",
        "created_at": created,
        "scopes": list(sandbox_data()["vocabulary"]["token_scopes"]),
        "domain_id": domain["id"],
    }
    if raw["access"] == "read":
        record["scopes"] = [s for s in record["scopes"] if s.endswith("_read")]
    account.table("tokens")[record["id"]] = record
    account.tokens[secret] = Token(raw["name"], raw["access"], record["id"])


def _add_recipients(account: Account, raws: list[dict[str, Any]], created: str) -> None:
    for raw in raws:
        domain = account.domain_named(raw["domain"])
        assert domain is not None, raw
        recipient = records.new_recipient(account, raw["email"], domain["id"], created)
        account.table("recipients")[recipient["id"]] = recipient
        if "hard_bounce" in raw:
            entry = {
                "id": account.new_id(),
                "reason": raw["hard_bounce"],
                "created_at": created,
                "recipient_id": recipient["id"],
                "domain_id": domain["id"],
            }
            account.table("hard-bounces")[entry["id"]] = entry


def _add_message(
    account: Account, raw: dict[str, Any], created: str, *, send_at: str | None
) -> None:
    domain = account.domain_named(raw["domain"])
    assert domain is not None, raw
    message_id = account.new_id()
    message = {
        "id": message_id,
        "domain_id": domain["id"],
        "subject": raw["subject"],
        "template_id": None,
        "created_at": created,
        "updated_at": created,
        "send_at": send_at,
        "schedule_status": "scheduled" if send_at else None,
        "emails": [
            {
                "id": account.new_id(),
                "from": f"news@{domain['name']}",
                "subject": raw["subject"],
                "status": "scheduled" if send_at else "delivered",
                "to": raw["to"],
                "tags": [],
                "created_at": created,
                "updated_at": created,
            }
        ],
    }
    account.table("messages")[message_id] = message


def _add_identity(account: Account, raw: dict[str, Any], created: str) -> None:
    domain = account.domain_named(raw["domain"])
    assert domain is not None, raw
    identity = {
        "id": account.new_key(),
        "email": raw["email"],
        "name": raw["name"],
        "reply_to_email": None,
        "reply_to_name": None,
        "is_verified": True,
        "resends": 0,
        "add_note": False,
        "personal_note": None,
        "domain_id": domain["id"],
        "created_at": created,
    }
    account.table("identities")[identity["id"]] = identity
