"""SMS: sending from the account's numbers, the messages and their activity, the numbers,
and the people texted."""

from __future__ import annotations

import re

from mcexplorer.sandbox.mailersend.call import Call, Handler, find, paged, remove, rows_for
from mcexplorer.sandbox.mailersend.errors import Check
from mcexplorer.sandbox.mailersend.state import Record
from mcexplorer.sandbox.routing import Reply

E164_RE = re.compile(r"^\+[1-9]\d{7,14}$")
TEXT_MAX = 2048
TO_MAX = 50
RECIPIENT_STATES = ("active", "opt_out")


def valid_number(number: object) -> bool:
    """E.164, and for the North American plan (+1) exactly ten digits after the 1."""
    if not isinstance(number, str) or not E164_RE.match(number):
        return False
    return not number.startswith("+1") or len(number) == 12


def north_american(number: object) -> bool:
    """SMS goes only to numbers in the US and Canada."""
    return valid_number(number) and str(number).startswith("+1")


def _sending_number(call: Call, number: object) -> Record | None:
    for record in call.account.table("sms_numbers").values():
        if record["telephone_number"] == number and not record["paused"]:
            return record
    return None


def known_number(call: Call, check: Check, *, key: str) -> str | None:
    """The `sms_number_id` of the query or body when it names one of the account's numbers;
    otherwise notes the error `key` and gives None."""
    number_id = check.value("sms_number_id")
    if isinstance(number_id, str) and number_id in call.account.table("sms_numbers"):
        return number_id
    check.add("sms_number_id", key)
    return None


def send_sms(call: Call) -> Reply:
    check = Check(call.body)
    sender = None
    if check.required("from"):
        sender = _sending_number(call, check.value("from"))
        if sender is None:
            check.add("from", "phone")
    numbers = check.array("to", required=True, min_items=1)
    if len(numbers) > TO_MAX:
        check.add("to", "max_items", max=TO_MAX)
    elif numbers and sender is None and not check.has("to"):
        check.add("to", "number_quota")  # a number that is not the account's has no quota
    for i, number in enumerate(numbers):
        if not north_american(number):
            check.add(f"to.{i}", "phone")
    check.string("text", required=True, max_len=TEXT_MAX)
    check.done()
    assert sender is not None
    message = _store(call, sender, [str(n) for n in numbers], str(check.body["text"]))
    return Reply(202, None, {"x-sms-message-id": message["id"]})


def _store(call: Call, sender: Record, numbers: list[str], body: str) -> Record:
    account = call.account
    parts, activity = [], []
    for number in numbers:
        part = {
            "id": account.new_id(),
            "from": sender["telephone_number"],
            "to": number,
            "text": body,
            "status": "sent",
            "segment_count": max(1, -(-len(body) // 160)),
            "error_type": None,
            "error_description": None,
        }
        parts.append(part)
        recipients = account.table("sms_recipients")
        if not any(r["number"] == number for r in recipients.values()):
            recipient = {"id": account.new_key(), "number": number, "status": "active"}
            recipients[recipient["id"]] = {**recipient, "created_at": call.now_iso}
    message = {
        "id": account.new_id(),
        "from": sender["telephone_number"],
        "to": numbers,
        "text": body,
        "paused": False,
        "created_at": call.now_iso,
        "sms": parts,
        "sms_number_id": sender["id"],
    }
    for part in parts:
        activity.append(
            {
                "from": part["from"],
                "to": part["to"],
                "created_at": call.now_iso,
                "content": body,
                "status": "sent",
                "sms_message_id": message["id"],
            }
        )
    message["sms_activity"] = activity
    account.table("sms_messages")[message["id"]] = message
    return message


def _message_view(message: Record) -> Record:
    return {k: v for k, v in message.items() if k != "sms_number_id"}


def list_messages(call: Call) -> Reply:
    messages = call.account.table("sms_messages").values()
    return paged(call, [_message_view(m) for m in messages])


def get_message(call: Call) -> Reply:
    message = find(call, "sms_messages", call.params["sms_message_id"])
    return Reply(200, {"data": _message_view(message)})


def list_activity(call: Call) -> Reply:
    check = Check(call.query)
    number_id = None
    if "sms_number_id" in call.query:
        number_id = known_number(call, check, key="selected_invalid")
    check.done()
    wanted = call.values("status")
    rows = [
        event
        for message in call.account.table("sms_messages").values()
        if number_id is None or message["sms_number_id"] == number_id
        for event in message["sms_activity"]
        if not wanted or event["status"] in wanted
    ]
    return paged(call, rows)


# -- numbers and recipients --------------------------------------------------------------------


def list_numbers(call: Call) -> Reply:
    numbers = list(call.account.table("sms_numbers").values())
    paused = call.query.get("paused")
    if paused:
        numbers = [n for n in numbers if n["paused"] is (paused.lower() in ("1", "true"))]
    return paged(call, numbers)


def get_number(call: Call) -> Reply:
    return Reply(200, {"data": find(call, "sms_numbers", call.params["sms_number_id"])})


def update_number(call: Call) -> Reply:
    number = find(call, "sms_numbers", call.params["sms_number_id"])
    check = Check(call.body)
    check.boolean("paused")
    check.done()
    if "paused" in check.body:
        number["paused"] = check.body["paused"]
    return Reply(200, {"data": number})


def delete_number(call: Call) -> Reply:
    return remove(call, "sms_numbers", "sms_number_id")


def list_recipients(call: Call) -> Reply:
    check = Check(call.query)
    number_id = None
    if "sms_number_id" in call.query:
        number_id = known_number(call, check, key="selected_invalid")
    check.one_of("status", RECIPIENT_STATES, required=False)
    check.done()
    rows = rows_for(call, "sms_recipients", "status")
    if number_id is not None:
        texted = {
            to
            for m in call.account.table("sms_messages").values()
            if m["sms_number_id"] == number_id
            for to in m["to"]
        }
        rows = [r for r in rows if r["number"] in texted]
    return paged(call, rows)


def get_recipient(call: Call) -> Reply:
    recipient = find(call, "sms_recipients", call.params["sms_recipient_id"])
    sms = [
        {k: part[k] for k in ("id", "from", "to", "text", "status", "segment_count")}
        for message in call.account.table("sms_messages").values()
        for part in message["sms"]
        if part["to"] == recipient["number"]
    ]
    return Reply(200, {"data": {**recipient, "sms": sms}})


def update_recipient(call: Call) -> Reply:
    recipient = find(call, "sms_recipients", call.params["sms_recipient_id"])
    check = Check(call.body)
    check.one_of("status", RECIPIENT_STATES, required=True)
    check.done()
    recipient["status"] = check.body["status"]
    return Reply(200, {"data": recipient})


HANDLERS: dict[tuple[str, str], Handler] = {
    ("POST", "/sms"): send_sms,
    ("GET", "/sms-messages"): list_messages,
    ("GET", "/sms-messages/{sms_message_id}"): get_message,
    ("GET", "/sms-activity"): list_activity,
    ("GET", "/sms-numbers"): list_numbers,
    ("GET", "/sms-numbers/{sms_number_id}"): get_number,
    ("PUT", "/sms-numbers/{sms_number_id}"): update_number,
    ("DELETE", "/sms-numbers/{sms_number_id}"): delete_number,
    ("GET", "/sms-recipients"): list_recipients,
    ("GET", "/sms-recipients/{sms_recipient_id}"): get_recipient,
    ("PUT", "/sms-recipients/{sms_recipient_id}"): update_recipient,
}
