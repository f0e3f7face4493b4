"""Where SMS events and replies go: SMS webhooks and inbound SMS routes, each tied to one of
the account's numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcexplorer.sandbox.mailersend.call import Call, Handler, find, paged, remove, rows_for
from mcexplorer.sandbox.mailersend.errors import Check
from mcexplorer.sandbox.mailersend.limits import sandbox_data
from mcexplorer.sandbox.mailersend.sms import known_number
from mcexplorer.sandbox.mailersend.state import Record
from mcexplorer.sandbox.routing import Reply

NAME_MAX = 191
URL_MAX = 255
COMPARERS = (
    "equal",
    "not-equal",
    "contains",
    "not-contains",
    "starts-with",
    "ends-with",
    "not-starts-with",
    "not-ends-with",
)


# -- SMS webhooks ---------------------------------------------------------------------------


def _check_webhook(call: Call, *, creating: bool) -> Check:
    check = Check(call.body)
    check.url("url", required=creating, max_len=URL_MAX)
    check.string("name", required=creating, max_len=NAME_MAX)
    if creating or "events" in check.body:
        check.array("events", required=True, min_items=1)
        check.each_in("events", sandbox_data()["vocabulary"]["sms_webhook_events"])
    check.boolean("enabled")
    if creating:
        known_number(call, check, key="required_ref")
    check.done()
    return check


def list_webhooks(call: Call) -> Reply:
    check = Check(call.query)
    number_id = known_number(call, check, key="required_ref")
    check.done()
    hooks = call.account.table("sms_webhooks").values()
    return paged(call, [h for h in hooks if h["sms_number_id"] == number_id])


def create_webhook(call: Call) -> Reply:
    body = _check_webhook(call, creating=True).body
    hook = {
        "id": call.account.new_key(),
        "url": body["url"],
        "name": body["name"],
        "events": list(body["events"]),
        "enabled": body.get("enabled", True),
        "sms_number_id": body["sms_number_id"],
        "signing_secret": call.account.new_secret(),
        "created_at": call.now_iso,
        "updated_at": call.now_iso,
    }
    call.account.table("sms_webhooks")[hook["id"]] = hook
    return Reply(201, {"data": hook})


def get_webhook(call: Call) -> Reply:
    return Reply(200, {"data": find(call, "sms_webhooks", call.params["sms_webhook_id"])})


def update_webhook(call: Call) -> Reply:
    hook = find(call, "sms_webhooks", call.params["sms_webhook_id"])
    body = _check_webhook(call, creating=False).body
    hook.update({k: body[k] for k in ("url", "name", "events", "enabled") if k in body})
    hook["updated_at"] = call.now_iso
    return Reply(200, {"data": hook})


def delete_webhook(call: Call) -> Reply:
    return remove(call, "sms_webhooks", "sms_webhook_id")


# -- inbound SMS routes ------------------------------------------------------------------------


def _check_inbound(call: Call, *, creating: bool) -> Check:
    check = Check(call.body)
    if creating or "sms_number_id" in check.body:
        known_number(call, check, key="required_ref")
    check.string("name", required=creating, max_len=NAME_MAX)
    check.url("forward_url", required=creating, max_len=URL_MAX)
    rule = check.value("filter")
    if rule is not None and (not isinstance(rule, dict) or rule.get("comparer") not in COMPARERS):
        check.add("filter.comparer", "selected_invalid")
    check.boolean("enabled")
    check.done()
    return check


def _inbound_view(call: Call, route: Record) -> Record:
    number = call.account.table("sms_numbers").get(route["sms_number_id"])
    view = {k: v for k, v in route.items() if k != "sms_number_id"}
    return {**view, "sms_number": dict(number) if number else None}


def _inbound_fields(body: Mapping[str, Any]) -> Record:
    keys = ("name", "forward_url", "enabled", "sms_number_id")
    fields: Record = {k: body[k] for k in keys if k in body}
    if "filter" in body:
        fields["filter"] = {
            "comparer": body["filter"]["comparer"],
            "value": body["filter"].get("value"),
        }
    return fields


def list_inbounds(call: Call) -> Reply:
    routes = rows_for(call, "sms_inbounds", "sms_number_id")
    enabled = call.query.get("enabled")
    if enabled:
        routes = [r for r in routes if r["enabled"] is (enabled.lower() in ("1", "true"))]
    return paged(call, [_inbound_view(call, r) for r in routes])


def create_inbound(call: Call) -> Reply:
    body = _check_inbound(call, creating=True).body
    route = {
        "id": call.account.new_key(),
        "name": body["name"],
        "filter": None,
        "forward_url": body["forward_url"],
        "enabled": True,
        "secret": call.account.new_secret(),
        "created_at": call.now_iso,
        **_inbound_fields(body),
    }
    call.account.table("sms_inbounds")[route["id"]] = route
    return Reply(201, {"data": _inbound_view(call, route)})


def get_inbound(call: Call) -> Reply:
    route = find(call, "sms_inbounds", call.params["sms_inbound_id"])
    return Reply(200, {"data": _inbound_view(call, route)})


def update_inbound(call: Call) -> Reply:
    route = find(call, "sms_inbounds", call.params["sms_inbound_id"])
    route.update(_inbound_fields(_check_inbound(call, creating=False).body))
    return Reply(200, {"data": _inbound_view(call, route)})


def delete_inbound(call: Call) -> Reply:
    return remove(call, "sms_inbounds", "sms_inbound_id")


HANDLERS: dict[tuple[str, str], Handler] = {
    ("GET", "/sms-webhooks"): list_webhooks,
    ("POST", "/sms-webhooks"): create_webhook,
    ("GET", "/sms-webhooks/{sms_webhook_id}"): get_webhook,
    ("PUT", "/sms-webhooks/{sms_webhook_id}"): update_webhook,
    ("DELETE", "/sms-webhooks/{sms_webhook_id}"): delete_webhook,
    ("GET", "/sms-inbounds"): list_inbounds,
    ("POST", "/sms-inbounds"): create_inbound,
    ("GET", "/sms-inbounds/{sms_inbound_id}"): get_inbound,
    ("PUT", "/sms-inbounds/{sms_inbound_id}"): update_inbound,
    ("DELETE", "/sms-inbounds/{sms_inbound_id}"): delete_inbound,
}
