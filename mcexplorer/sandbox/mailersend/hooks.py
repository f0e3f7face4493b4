"""Where mail and events go: webhooks, inbound routes, and sender identities (single
addresses allowed to send without a verified domain)."""

from __future__ import annotations

from typing import Any

from mcexplorer.sandbox.mailersend import records
from mcexplorer.sandbox.mailersend.call import Call, Handler, find, paged, remove, rows_for
from mcexplorer.sandbox.mailersend.errors import Check, not_found_counted
from mcexplorer.sandbox.mailersend.limits import sandbox_data
from mcexplorer.sandbox.mailersend.state import Record
from mcexplorer.sandbox.routing import Reply

TEXT_MAX = 191
NOTE_MAX = 250
CATCH_TYPES = ("catch_all", "catch_recipient")
MATCH_TYPES = ("match_all", "match_sender", "match_domain", "match_header")
FORWARD_TYPES = ("email", "webhook")
INBOUND_MX = {"priority": 10, "target": "inbound.mailersend.net"}


def _known_domain(call: Call, check: Check) -> str | None:
    """The domain_id when it names a domain of the account. Otherwise the API answers that
    the field is required (code MS42209), even when one was given."""
    domain_id = check.value("domain_id")
    if isinstance(domain_id, str) and domain_id in call.account.table("domains"):
        return domain_id
    check.add("domain_id", "required_ref")
    return None


# -- webhooks ------------------------------------------------------------------------------


def _webhook_view(call: Call, hook: Record, *, fresh: bool = False) -> Record:
    domain = call.account.table("domains")[hook["domain_id"]]
    return {
        "id": hook["id"],
        "url": hook["url"],
        "events": list(hook["events"]),
        "name": hook["name"],
        "enabled": hook["enabled"],
        "editable": None if fresh else True,
        "secret": hook["secret"],
        "created_at": hook["created_at"],
        "updated_at": hook["updated_at"],
        "domain": records.domain_nested(domain),
    }


def _check_webhook(call: Call, *, hook: Record | None) -> Check:
    check = Check(call.body)
    creating = hook is None
    url = check.value("url")
    if check.url("url", required=creating, max_len=TEXT_MAX) and any(
        h["url"] == url and h is not hook for h in call.account.table("webhooks").values()
    ):
        check.add("url", "taken")
    check.string("name", required=creating, max_len=TEXT_MAX)
    if creating or "events" in check.body:
        check.array("events", required=True, min_items=1)
        check.each_in("events", sandbox_data()["vocabulary"]["webhook_events"])
    check.boolean("enabled")
    if creating:
        _known_domain(call, check)
    check.done()
    return check


def list_webhooks(call: Call) -> Reply:
    check = Check(call.query)
    domain_id = _known_domain(call, check)
    check.done()
    hooks = [h for h in call.account.table("webhooks").values() if h["domain_id"] == domain_id]
    return paged(call, [_webhook_view(call, h) for h in hooks])


def create_webhook(call: Call) -> Reply:
    check = _check_webhook(call, hook=None)
    body = check.body
    hook = {
        "id": call.account.new_key(),
        "url": body["url"],
        "events": list(body["events"]),
        "name": body["name"],
        "enabled": body.get("enabled", True),
        "secret": call.account.new_secret(),
        "created_at": call.now_iso,
        "updated_at": call.now_iso,
        "domain_id": body["domain_id"],
    }
    call.account.table("webhooks")[hook["id"]] = hook
    return Reply(201, {"data": _webhook_view(call, hook, fresh=True)})


def get_webhook(call: Call) -> Reply:
    hook = find(call, "webhooks", call.params["webhook_id"])
    return Reply(200, {"data": _webhook_view(call, hook)})


def update_webhook(call: Call) -> Reply:
    hook = find(call, "webhooks", call.params["webhook_id"])
    check = _check_webhook(call, hook=hook)
    for field in ("url", "name", "events", "enabled"):
        if field in check.body:
            hook[field] = check.body[field]
    hook["updated_at"] = call.now_iso
    return Reply(200, {"data": _webhook_view(call, hook)})


def delete_webhook(call: Call) -> Reply:
    return remove(call, "webhooks", "webhook_id")


# -- inbound routes --------------------------------------------------------------------------


def _check_filter(check: Check, field: str, allowed: tuple[str, ...]) -> None:
    if not check.required(field):
        return
    group = check.value(field)
    if not isinstance(group, dict) or group.get("type") not in allowed:
        check.add(f"{field}.type", "selected_invalid")


def _check_inbound(call: Call, *, creating: bool) -> Check:
    check = Check(call.body)
    if creating:
        _known_domain(call, check)
    check.string("name", required=True, max_len=TEXT_MAX)
    check.boolean("domain_enabled", required=True)
    if check.value("domain_enabled") is True:
        check.string("inbound_domain", required=True)
    priority = check.value("inbound_priority")
    if priority is not None and (not isinstance(priority, int) or not 0 <= priority <= 100):
        check.add("inbound_priority", "max_number", max=100)
    _check_filter(check, "catch_filter", CATCH_TYPES)
    _check_filter(check, "match_filter", MATCH_TYPES)
    for i, forward in enumerate(check.array("forwards", required=True, min_items=1)):
        if not isinstance(forward, dict) or forward.get("type") not in FORWARD_TYPES:
            check.add(f"forwards.{i}.type", "selected_invalid")
        elif not forward.get("value"):
            check.add(f"forwards.{i}.value", "required")
    check.done()
    return check


def _inbound_fields(call: Call, body: dict[str, Any]) -> Record:
    account = call.account
    forwards = [
        {
            "id": account.new_key(),
            "type": f["type"],
            "value": f["value"],
            "secret": account.new_secret() if f["type"] == "webhook" else None,
        }
        for f in body["forwards"]
    ]
    filters = [
        {"type": body["catch_filter"]["type"], "key": None, "comparer": None, "value": None},
        {"type": body["match_filter"]["type"], "key": None, "comparer": None, "value": None},
    ]
    return {
        "name": body["name"],
        "enabled": True,
        "inbound_domain": body.get("inbound_domain"),
        "priority": body.get("inbound_priority", 0),
        "filters": filters,
        "forwards": forwards,
    }


def _inbound_view(call: Call, route: Record) -> Record:
    domain = call.account.table("domains").get(route["domain_id"])
    return {
        "id": route["id"],
        "name": route["name"],
        "address": route["address"],
        "domain": records.domain_brief(domain) if domain else None,
        "dns_checked_at": None,
        "enabled": route["enabled"],
        "filters": [dict(f) for f in route["filters"]],
        "forwards": [dict(f) for f in route["forwards"]],
        "priority": route["priority"],
        "mxValues": dict(INBOUND_MX),
    }


def list_inbound(call: Call) -> Reply:
    routes = rows_for(call, "inbound")
    return paged(call, [_inbound_view(call, r) for r in routes])


def create_inbound(call: Call) -> Reply:
    check = _check_inbound(call, creating=True)
    route = {
        "id": call.account.new_key(),
        "domain_id": check.body["domain_id"],
        "address": f"{call.account.new_key()}@inbound.mailersend.net",
        **_inbound_fields(call, call.body_dict()),
    }
    call.account.table("inbound")[route["id"]] = route
    return Reply(201, {"data": _inbound_view(call, route)})


def get_inbound(call: Call) -> Reply:
    return Reply(
        200, {"data": _inbound_view(call, find(call, "inbound", call.params["inbound_id"]))}
    )


def update_inbound(call: Call) -> Reply:
    route = find(call, "inbound", call.params["inbound_id"])
    _check_inbound(call, creating=False)
    route.update(_inbound_fields(call, call.body_dict()))
    return Reply(200, {"data": _inbound_view(call, route)})


def delete_inbound(call: Call) -> Reply:
    return remove(call, "inbound", "inbound_id")


# -- sender identities ---------------------------------------------------------------------


def _identity_view(call: Call, identity: Record) -> Record:
    domain = call.account.table("domains").get(identity["domain_id"])
    view = {k: v for k, v in identity.items() if k not in ("domain_id", "created_at")}
    return {**view, "domain": records.domain_brief(domain) if domain else None}


def _check_identity(call: Call, *, identity: Record | None) -> Check:
    check = Check(call.body)
    creating = identity is None
    known = check.value("domain_id") in call.account.table("domains")
    if creating and check.required("domain_id") and not known:
        check.add("domain_id", "selected_invalid")
    check.string("name", required=creating, max_len=TEXT_MAX)
    if creating and check.required("email"):
        email = str(check.value("email"))
        if "@" not in email:
            check.add("email", "email")
        elif any(i["email"] == email for i in call.account.table("identities").values()):
            check.add("email", "taken")
    reply_to = check.value("reply_to_email")
    if reply_to is not None and "@" not in str(reply_to):
        check.add("reply_to_email", "email")
    check.string("reply_to_name", max_len=TEXT_MAX)
    check.boolean("add_note")
    check.string("personal_note", max_len=NOTE_MAX)
    check.done()
    return check


IDENTITY_FIELDS = ("name", "reply_to_email", "reply_to_name", "add_note", "personal_note")


def list_identities(call: Call) -> Reply:
    rows = rows_for(call, "identities")
    return paged(call, [_identity_view(call, i) for i in rows])


def create_identity(call: Call) -> Reply:
    check = _check_identity(call, identity=None)
    body = check.body
    identity = {
        "id": call.account.new_key(),
        "email": body["email"],
        "name": body["name"],
        "reply_to_email": body.get("reply_to_email"),
        "reply_to_name": body.get("reply_to_name"),
        "is_verified": False,
        "resends": 0,
        "add_note": bool(body.get("add_note", False)),
        "personal_note": body.get("personal_note"),
        "domain_id": body["domain_id"],
        "created_at": call.now_iso,
    }
    call.account.table("identities")[identity["id"]] = identity
    return Reply(201, {"data": _identity_view(call, identity)})


def _by_email(call: Call) -> Record:
    wanted = call.params["email"].lower()
    found = next(
        (i for i in call.account.table("identities").values() if i["email"].lower() == wanted),
        None,
    )
    if found is None:
        raise not_found_counted()  # looked up in the handler: counted, with quota headers
    return found


def _identity(call: Call) -> Record:
    if "email" in call.params:
        return _by_email(call)
    return find(call, "identities", call.params["identity_id"])


def get_identity(call: Call) -> Reply:
    return Reply(200, {"data": _identity_view(call, _identity(call))})


def update_identity(call: Call) -> Reply:
    identity = _identity(call)
    check = _check_identity(call, identity=identity)
    for field in IDENTITY_FIELDS:
        if field in check.body:
            identity[field] = check.body[field]
    return Reply(200, {"data": _identity_view(call, identity)})


def delete_identity(call: Call) -> Reply:
    identity = _identity(call)
    del call.account.table("identities")[identity["id"]]
    return Reply(204)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("GET", "/webhooks"): list_webhooks,
    ("POST", "/webhooks"): create_webhook,
    ("GET", "/webhooks/{webhook_id}"): get_webhook,
    ("PUT", "/webhooks/{webhook_id}"): update_webhook,
    ("DELETE", "/webhooks/{webhook_id}"): delete_webhook,
    ("GET", "/inbound"): list_inbound,
    ("POST", "/inbound"): create_inbound,
    ("GET", "/inbound/{inbound_id}"): get_inbound,
    ("PUT", "/inbound/{inbound_id}"): update_inbound,
    ("DELETE", "/inbound/{inbound_id}"): delete_inbound,
    ("GET", "/identities"): list_identities,
    ("POST", "/identities"): create_identity,
    **{
        (method, path): handler
        for path in ("/identities/{identity_id}", "/identities/email/{email}")
        for method, handler in (
            ("GET", get_identity),
            ("PUT", update_identity),
            ("DELETE", delete_identity),
        )
    },
}
