"""Answers for the MailerSend operations the sandbox keeps state for, plus a generic answer
for the rest of the catalog (empty lists, 404 for unknown items, echoes for writes).

Error texts are the sandbox's own; the shapes (`{message, errors: {field: [..]}}`, the
`#MS…` codes) follow MailerSend's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mcexplorer.sandbox.mailersend.state import Account
from mcexplorer.sandbox.routing import Reply

EMAIL_RE = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$")
PAGE_LIMITS = (10, 100)
DEFAULT_PAGE_LIMIT = 25


class MsError(Exception):
    def __init__(
        self, status: int, message: str, errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        return {"message": self.message, **({"errors": self.errors} if self.errors else {})}


def invalid(errors: dict[str, list[str]]) -> MsError:
    """A 422; like Laravel, the message is the first error when there is only one."""
    if len(errors) == 1:
        (messages,) = errors.values()
        if len(messages) == 1:
            return MsError(422, messages[0], errors)
    return MsError(422, "The given data was invalid.", errors)


def not_found() -> MsError:
    return MsError(404, "The requested resource could not be found.")


@dataclass
class Call:
    account: Account
    method: str
    template: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    now_iso: str  # wall time, "2026-01-01T12:00:00.000000Z"
    base_url: str  # ".../v1"


Handler = Callable[[Call], Reply]


# -- email -------------------------------------------------------------------


def _email_errors(account: Account, body: Any, prefix: str = "") -> dict[str, list[str]]:
    if not isinstance(body, dict):
        return {prefix.rstrip(".") or "body": ["The request body must be a JSON object."]}
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(prefix + name, []).append(message)

    templated = bool(body.get("template_id"))
    sender = body.get("from")
    address = sender.get("email") if isinstance(sender, dict) else None
    if not address and not templated:
        add("from.email", "The from.email field is required.")
    elif address:
        match = EMAIL_RE.match(str(address))
        if not match:
            add("from.email", "The from.email must be a valid email address.")
        elif account.verified_domain(match.group(1)) is None:
            add("from.email", "The from.email domain is not verified for this account. #MS42207")
    recipients = body.get("to")
    if not isinstance(recipients, list) or not recipients:
        add("to", "The to field must list at least one recipient.")
    else:
        for i, item in enumerate(recipients):
            email = item.get("email") if isinstance(item, dict) else None
            if not email or not EMAIL_RE.match(str(email)):
                add(f"to.{i}.email", f"The to.{i}.email must be a valid email address.")
    if not body.get("subject") and not templated:
        add("subject", "The subject field is required unless a template_id is given.")
    if not any(body.get(k) for k in ("text", "html", "template_id")):
        add("text", "Give text, html or a template_id.")
    return errors


def _store_message(call: Call, body: dict[str, Any]) -> str:
    account = call.account
    message_id = account.new_id()
    account.messages[message_id] = {
        "id": message_id,
        "created_at": call.now_iso,
        "updated_at": call.now_iso,
        "emails": [
            {
                "id": account.new_id(),
                "from": body.get("from", {}).get("email"),
                "subject": body.get("subject"),
                "status": "queued",
                "to": recipient.get("email"),
            }
            for recipient in body.get("to", [])
        ],
    }
    return message_id


def send_email(call: Call) -> Reply:
    errors = _email_errors(call.account, call.body)
    if errors:
        raise invalid(errors)
    message_id = _store_message(call, call.body)
    return Reply(202, None, {"x-message-id": message_id})


def send_bulk(call: Call) -> Reply:
    if not isinstance(call.body, list) or not call.body:
        raise invalid({"body": ["Send a JSON array of email objects."]})
    account = call.account
    bulk_id = account.new_id()
    sent: list[str] = []
    failed: dict[str, dict[str, list[str]]] = {}
    for i, email in enumerate(call.body):
        # Like the real service, a bulk request is checked item by item after acceptance.
        errors = _email_errors(account, email)
        if errors:
            failed[f"message.{i}"] = errors
        else:
            sent.append(_store_message(call, email))
    account.bulk[bulk_id] = {
        "id": bulk_id,
        "state": "completed",
        "total_recipients_count": sum(
            len(e.get("to") or []) for e in call.body if isinstance(e, dict)
        ),
        "suppressed_recipients_count": 0,
        "validation_errors_count": len(failed),
        "validation_errors": failed or None,
        "messages_id": sent,
        "created_at": call.now_iso,
        "updated_at": call.now_iso,
    }
    return Reply(
        202, {"message": "The bulk email was accepted for processing.", "bulk_email_id": bulk_id}
    )


def bulk_status(call: Call) -> Reply:
    record = call.account.bulk.get(call.params["bulk_email_id"])
    if record is None:
        raise not_found()
    return Reply(200, {"data": record})


# -- lists and items ------------------------------------------------------------


def _page_args(query: dict[str, str]) -> tuple[int, int]:
    errors: dict[str, list[str]] = {}
    values: dict[str, int] = {}
    for name, default, low, high in (
        ("page", 1, 1, None),
        ("limit", DEFAULT_PAGE_LIMIT, *PAGE_LIMITS),
    ):
        text = query.get(name, str(default))
        try:
            values[name] = int(text)
        except ValueError:
            errors[name] = [f"The {name} must be an integer."]
            continue
        if values[name] < low or (high is not None and values[name] > high):
            bounds = f"between {low} and {high}" if high else f"at least {low}"
            errors[name] = [f"The {name} must be {bounds}."]
    if errors:
        raise invalid(errors)
    return values["page"], values["limit"]


def paged(call: Call, items: list[dict[str, Any]]) -> Reply:
    page, limit = _page_args(call.query)
    last = max(1, -(-len(items) // limit))
    chunk = items[(page - 1) * limit : page * limit]
    path = call.base_url + call.template

    def link(n: int | None) -> str | None:
        return f"{path}?page={n}" if n is not None else None

    return Reply(
        200,
        {
            "data": chunk,
            "links": {
                "first": link(1),
                "last": link(last),
                "prev": link(page - 1 if page > 1 else None),
                "next": link(page + 1 if page < last else None),
            },
            "meta": {
                "current_page": page,
                "from": (page - 1) * limit + 1 if chunk else None,
                "last_page": last,
                "path": path,
                "per_page": limit,
                "to": (page - 1) * limit + len(chunk) if chunk else None,
                "total": len(items),
            },
        },
    )


def list_domains(call: Call) -> Reply:
    domains = list(call.account.domains.values())
    wanted = call.query.get("verified")
    if wanted is not None:
        flag = wanted.lower() in ("1", "true")
        domains = [d for d in domains if d["is_verified"] is flag]
    return paged(call, domains)


def get_domain(call: Call) -> Reply:
    domain = call.account.domains.get(call.params["domain_id"])
    if domain is None:
        raise not_found()
    return Reply(200, {"data": domain})


def list_messages(call: Call) -> Reply:
    return paged(call, list(call.account.messages.values()))


def get_message(call: Call) -> Reply:
    message = call.account.messages.get(call.params["message_id"])
    if message is None:
        raise not_found()
    return Reply(200, {"data": message})


def generic(call: Call, success: int) -> Reply:
    """Operations without state here: lists are empty, items unknown, writes echoed."""
    last = call.template.rstrip("/").rsplit("/", 1)[-1]
    if call.method == "GET":
        if last.startswith("{"):
            raise not_found()
        return paged(call, [])
    if call.method == "DELETE":
        return Reply(success)
    record = dict(call.body) if isinstance(call.body, dict) else {}
    record.setdefault("id", call.params.get(last[1:-1]) if last.startswith("{") else None)
    record["id"] = record["id"] or call.account.new_id()
    record.setdefault("created_at", call.now_iso)
    return Reply(success, {"data": record})


HANDLERS: dict[tuple[str, str], Handler] = {
    ("POST", "/email"): send_email,
    ("POST", "/bulk-email"): send_bulk,
    ("GET", "/bulk-email/{bulk_email_id}"): bulk_status,
    ("GET", "/domains"): list_domains,
    ("GET", "/domains/{domain_id}"): get_domain,
    ("GET", "/messages"): list_messages,
    ("GET", "/messages/{message_id}"): get_message,
}
