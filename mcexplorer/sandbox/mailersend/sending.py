"""Sending email: single and bulk sends, the sent emails and messages, and the schedule of
messages waiting for their send_at time."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from mcexplorer.sandbox.mailersend import records
from mcexplorer.sandbox.mailersend.call import Call, Handler, find, paged, since
from mcexplorer.sandbox.mailersend.errors import Check, MsError, invalid, not_found_counted, text
from mcexplorer.sandbox.mailersend.state import Account, Record
from mcexplorer.sandbox.routing import Reply

EMAIL_RE = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$")
HTML_TYPE = "text/html; charset=UTF-8"  # what a 202 send answers with, body empty
BULK_SETTLE_S = 1.0  # a bulk job is queued this long before it completes
SUPPRESSIONS = ("hard-bounces", "blocklist", "unsubscribes", "spam-complaints")


def email_errors(account: Account, body: Any) -> dict[str, list[str]]:
    if not isinstance(body, dict):
        return {"body": ["The request body must be a JSON object."]}
    check = Check(body)
    templated = bool(body.get("template_id"))
    sender = body.get("from")
    address = sender.get("email") if isinstance(sender, dict) else None
    if not address and not templated:
        check.add("from.email", "required")
    elif address:
        match = EMAIL_RE.match(str(address))
        if not match:
            check.add("from.email", "email")
        elif account.verified_domain(match.group(1)) is None:
            check.add("from.email", "unverified_sender")
    recipients = body.get("to")
    if not isinstance(recipients, list) or not recipients:
        check.add("to", "min_items", min=1)
    else:
        for i, item in enumerate(recipients):
            email = item.get("email") if isinstance(item, dict) else None
            if not email or not EMAIL_RE.match(str(email)):
                check.add(f"to.{i}.email", "email")
    if not body.get("subject") and not templated:
        check.add("subject", "subject_needed")
    if not any(body.get(k) for k in ("text", "html", "template_id")):
        check.add("text", "content_needed")
    if templated and body["template_id"] not in account.table("templates"):
        check.add("template_id", "selected_invalid")
    return check.errors


def _sender_domain(account: Account, body: dict[str, Any]) -> Record:
    sender = body.get("from") or {}
    match = EMAIL_RE.match(str(sender.get("email", "")))
    domain = account.verified_domain(match.group(1)) if match else None
    # A templated send without a from address goes out from the first verified domain.
    return domain or next(d for d in account.table("domains").values() if d["is_verified"])


def _suppressed(account: Account, domain_id: str, email: str) -> list[str]:
    """Why an address may not receive mail from this domain (empty when it may)."""
    reasons = []
    for kind in SUPPRESSIONS:
        for entry in account.table(kind).values():
            if entry.get("domain_id") != domain_id:
                continue
            if kind == "blocklist":
                hit = entry["pattern"].lower() == email.lower()
            else:
                hit = (
                    account.table("recipients").get(entry["recipient_id"], {}).get("email") == email
                )
            if hit:
                reasons.append(kind.replace("-", "_").rstrip("s"))
    return reasons


def _recipient_for(call: Call, email: str, domain_id: str) -> None:
    table = call.account.table("recipients")
    if not any(r["email"] == email.lower() and r["domain_id"] == domain_id for r in table.values()):
        recipient = records.new_recipient(call.account, email, domain_id, call.now_iso)
        table[recipient["id"]] = recipient


def store_message(call: Call, body: dict[str, Any]) -> Record:
    """Record a send: the message, one email per recipient, the recipients, the stats."""
    account = call.account
    domain = _sender_domain(account, body)
    send_at = body.get("send_at")
    scheduled = isinstance(send_at, int) and send_at > call.now
    when = records_time(send_at) if isinstance(send_at, int) and scheduled else None
    message: Record = {
        "id": account.new_id(),
        "domain_id": domain["id"],
        "subject": body.get("subject") or "",
        "template_id": body.get("template_id"),
        "created_at": call.now_iso,
        "updated_at": call.now_iso,
        "send_at": when,
        "schedule_status": "scheduled" if scheduled else None,
        "emails": [],
    }
    for recipient in body.get("to") or []:
        email = str(recipient.get("email"))
        _recipient_for(call, email, domain["id"])
        message["emails"].append(
            {
                "id": account.new_id(),
                "from": (body.get("from") or {}).get("email"),
                "subject": message["subject"],
                "status": "scheduled" if scheduled else "queued",
                "to": email,
                "tags": list(body.get("tags") or []),
                "created_at": call.now_iso,
                "updated_at": call.now_iso,
            }
        )
        stats = domain["domain_stats"]
        stats["total"] += 1
        stats["sent"] += 0 if scheduled else 1
        stats["delivered"] += 0 if scheduled else 1
    account.table("messages")[message["id"]] = message
    return message


def records_time(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def send_email(call: Call) -> Reply:
    errors = email_errors(call.account, call.body)
    if errors:
        raise invalid(errors)
    body = call.body_dict()
    domain = _sender_domain(call.account, body)
    to = [str(r.get("email")) for r in body.get("to") or []]
    blocked = {email: _suppressed(call.account, domain["id"], email) for email in to}
    message = store_message(call, body)
    headers = {"x-message-id": message["id"]}
    if domain["domain_settings"]["send_paused"]:
        headers["x-send-paused"] = "true"
    if to and all(blocked.values()):
        warning = {
            "type": "ALL_SUPPRESSED",
            "warning": "None of the recipients will get this email: each one is suppressed.",
            "recipients": [{"email": e, "reasons": blocked[e]} for e in to],
        }
        body_out = {"message": "There are some warnings for your request.", "warnings": [warning]}
        return Reply(202, body_out, headers)
    return Reply(202, None, {**headers, "content-type": HTML_TYPE})


def send_bulk(call: Call) -> Reply:
    if not isinstance(call.body, list) or not call.body:
        raise invalid({"body": ["Send a JSON array of email objects."]})
    account = call.account
    bulk_id = account.new_id()
    sent: list[str] = []
    failed: dict[str, dict[str, list[str]]] = {}
    for i, email in enumerate(call.body):
        # Like the real service, a bulk request is checked item by item after acceptance.
        errors = email_errors(account, email)
        if errors:
            failed[f"message.{i}"] = errors
        else:
            sent.append(store_message(call, email)["id"])
    account.table("bulk")[bulk_id] = {
        "id": bulk_id,
        "total_recipients_count": sum(
            len(e.get("to") or []) for e in call.body if isinstance(e, dict)
        ),
        "suppressed_recipients_count": 0,
        "suppressed_recipients": None,
        "validation_errors_count": len(failed),
        "validation_errors": failed or None,
        "messages_id": sent,
        "created_at": call.now_iso,
        "updated_at": call.now_iso,
    }
    return Reply(202, {"message": text("bulk_accepted"), "bulk_email_id": bulk_id})


def bulk_status(call: Call) -> Reply:
    record = find(call, "bulk", call.params["bulk_email_id"])
    done = since(call, record["created_at"]) >= BULK_SETTLE_S
    view = {
        "id": record["id"],
        "state": "completed" if done else "queued",
        **{k: v for k, v in record.items() if k not in ("id", "messages_id")},
        "messages_id": record["messages_id"] if done else None,
    }
    if not done:
        view["validation_errors"] = None
        view["validation_errors_count"] = 0
    return Reply(200, {"data": view})


# -- sent emails and messages --------------------------------------------------------------


def _email_rows(account: Account) -> list[Record]:
    rows = []
    for message in account.table("messages").values():
        for email in message["emails"]:
            rows.append(
                {
                    "id": email["id"],
                    "from": email["from"],
                    "to": email["to"],
                    "subject": email["subject"],
                    "template_id": message["template_id"],
                    "domain_id": message["domain_id"],
                    "message_id": message["id"],
                    "status": email["status"],
                    "tags": email["tags"],
                    "interaction": [],
                    "suppression_reason": None,
                    "created_at": email["created_at"],
                    "updated_at": email["updated_at"],
                }
            )
    return rows


def list_emails(call: Call) -> Reply:
    check = Check(call.query)
    check.required("domain_id")
    check.required("date_from")
    check.required("date_to")
    domain_id = call.query.get("domain_id")
    if domain_id and domain_id not in call.account.table("domains"):
        check.add("domain_id", "selected_invalid")
    check.done()
    rows = [r for r in _email_rows(call.account) if r["domain_id"] == domain_id]
    return paged(call, rows, max_limit=1000)


def get_email(call: Call) -> Reply:
    wanted = call.params["email_id"]
    row = next((r for r in _email_rows(call.account) if r["id"] == wanted), None)
    if row is None:
        raise not_found_counted()
    return Reply(200, {"data": {**row, "text": None, "html": None, "headers": None}})


def list_messages(call: Call) -> Reply:
    messages = call.account.table("messages").values()
    return paged(call, [records.message_listed(m) for m in messages])


def get_message(call: Call) -> Reply:
    message = find(call, "messages", call.params["message_id"])
    return Reply(200, {"data": records.message_single(call.account, message)})


# -- scheduled messages ----------------------------------------------------------------------


def _scheduled(call: Call) -> list[Record]:
    return [m for m in call.account.table("messages").values() if m["schedule_status"]]


def list_schedules(call: Call) -> Reply:
    rows = _scheduled(call)
    if call.query.get("domain_id"):
        rows = [m for m in rows if m["domain_id"] == call.query["domain_id"]]
    if call.query.get("status"):
        rows = [m for m in rows if m["schedule_status"] == call.query["status"]]
    return paged(call, [records.schedule_listed(m) for m in rows])


def _schedule(call: Call) -> Record:
    message = call.account.table("messages").get(call.params["message_id"])
    if message is None or not message["schedule_status"]:
        raise not_found_counted()
    return message


def get_schedule(call: Call) -> Reply:
    return Reply(200, {"data": records.schedule_single(call.account, _schedule(call))})


def delete_schedule(call: Call) -> Reply:
    message = call.account.table("messages").get(call.params["message_id"])
    if message is None or message["schedule_status"] != "scheduled":
        # The API answers an unknown or already sent message with one 404 text.
        raise MsError(404, text("schedule_locked"))
    del call.account.table("messages")[message["id"]]
    return Reply(204)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("POST", "/email"): send_email,
    ("POST", "/bulk-email"): send_bulk,
    ("GET", "/bulk-email/{bulk_email_id}"): bulk_status,
    ("GET", "/emails"): list_emails,
    ("GET", "/email/{email_id}"): get_email,
    ("GET", "/messages"): list_messages,
    ("GET", "/messages/{message_id}"): get_message,
    ("GET", "/message-schedules"): list_schedules,
    ("GET", "/message-schedules/{message_id}"): get_schedule,
    ("DELETE", "/message-schedules/{message_id}"): delete_schedule,
}
