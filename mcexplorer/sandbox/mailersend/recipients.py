"""Recipients, and the suppression lists that stop mail to them: the blocklist (addresses and
patterns), hard bounces, spam complaints, unsubscribes and the on-hold list."""

from __future__ import annotations

from mcexplorer.sandbox.mailersend import records
from mcexplorer.sandbox.mailersend.call import Call, Handler, find, paged, remove, rows_for
from mcexplorer.sandbox.mailersend.errors import Check
from mcexplorer.sandbox.mailersend.state import Record
from mcexplorer.sandbox.routing import Reply

KINDS = ("blocklist", "hard-bounces", "spam-complaints", "unsubscribes", "on-hold-list")
ADDABLE = KINDS[:4]


def list_recipients(call: Call) -> Reply:
    rows = rows_for(call, "recipients")
    return paged(call, [records.recipient_listed(r) for r in rows])


def get_recipient(call: Call) -> Reply:
    recipient = find(call, "recipients", call.params["recipient_id"])
    view = records.recipient_with_domain(call.account, recipient)
    emails = [
        {
            "id": e["id"],
            "subject": e["subject"],
            "status": e["status"],
            "created_at": e["created_at"],
        }
        for m in call.account.table("messages").values()
        for e in m["emails"]
        if e["to"] == recipient["email"]
    ]
    return Reply(200, {"data": {**view, "emails": emails}})


def delete_recipient(call: Call) -> Reply:
    return remove(call, "recipients", "recipient_id")


# -- suppression lists ---------------------------------------------------------------------


def _kind(call: Call) -> str:
    return call.template.rsplit("/", 1)[-1]


def _entry_view(call: Call, kind: str, entry: Record) -> Record:
    account = call.account
    domain = account.table("domains").get(entry["domain_id"])
    if kind == "blocklist":
        return {
            "id": entry["id"],
            "type": entry["type"],
            "pattern": entry["pattern"],
            "domain": records.domain_brief(domain) if domain else None,
            "created_at": entry["created_at"],
            "updated_at": entry["created_at"],
        }
    recipient = account.table("recipients").get(entry["recipient_id"])
    nested = None
    if recipient is not None:
        nested = records.recipient_with_domain(account, recipient)
    view: Record = {"id": entry["id"]}
    if kind in ("hard-bounces", "unsubscribes"):
        view["reason"] = entry.get("reason")
    if kind == "unsubscribes":
        view["readable_reason"] = entry.get("reason")
    if kind == "on-hold-list":
        view["on_hold_until"] = entry.get("on_hold_until")
        view["updated_at"] = entry["created_at"]
    return {**view, "created_at": entry["created_at"], "recipient": nested}


def list_suppressions(call: Call) -> Reply:
    kind = _kind(call)
    entries = list(call.account.table(kind).values())
    if call.query.get("domain_id"):
        entries = [e for e in entries if e["domain_id"] == call.query["domain_id"]]
    return paged(call, [_entry_view(call, kind, e) for e in entries])


def _recipient_id(call: Call, email: str, domain_id: str) -> str:
    table = call.account.table("recipients")
    for recipient in table.values():
        if recipient["email"] == email.lower() and recipient["domain_id"] == domain_id:
            return str(recipient["id"])
    recipient = records.new_recipient(call.account, email, domain_id, call.now_iso)
    table[recipient["id"]] = recipient
    return str(recipient["id"])


def add_suppressions(call: Call) -> Reply:
    kind = _kind(call)
    check = Check(call.body)
    domain_id = check.value("domain_id")
    known = isinstance(domain_id, str) and domain_id in call.account.table("domains")
    if kind == "blocklist":
        if check.required("domain_id") and not known:
            check.add("domain_id", "selected_invalid")
    elif not known:
        check.add("domain_id", "required_ref")  # the API's text for a domain it cannot find
    addresses = check.array("recipients", required=kind != "blocklist")
    patterns = check.array("patterns") if kind == "blocklist" else []
    if kind == "blocklist" and not addresses and not patterns and not check.has("recipients"):
        check.add("recipients", "required")
    for i, address in enumerate(addresses):
        if not isinstance(address, str) or "@" not in address:
            check.add(f"recipients.{i}", "email")
    check.done()
    table = call.account.table(kind)
    added = []
    for value, entry_type in [(a, "exact") for a in addresses] + [(p, "pattern") for p in patterns]:
        entry: Record = {
            "id": call.account.new_id(),
            "domain_id": domain_id,
            "created_at": call.now_iso,
        }
        if kind == "blocklist":
            entry.update(type=entry_type, pattern=value)
        else:
            entry["recipient_id"] = _recipient_id(call, value, str(domain_id))
            entry["reason"] = "Added through the API." if kind != "spam-complaints" else None
        table[entry["id"]] = entry
        added.append(_entry_view(call, kind, entry))
    return Reply(201, {"data": added})


def delete_suppressions(call: Call) -> Reply:
    kind = _kind(call)
    table = call.account.table(kind)
    check = Check(call.body)
    domain_id = check.value("domain_id")
    if domain_id is not None and domain_id not in call.account.table("domains"):
        check.add("domain_id", "selected_invalid")
    ids = check.array("ids")
    for i, entry_id in enumerate(ids):
        if entry_id not in table:
            check.add(f"ids.{i}", "selected_invalid")
    wipe = check.value("all") is True
    if not ids and not wipe:
        check.add("ids", "required")
    check.done()
    doomed = list(table) if wipe else list(ids)
    for entry_id in doomed:
        if domain_id is None or table[entry_id]["domain_id"] == domain_id:
            del table[entry_id]
    return Reply(204)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("GET", "/recipients"): list_recipients,
    ("GET", "/recipients/{recipient_id}"): get_recipient,
    ("DELETE", "/recipients/{recipient_id}"): delete_recipient,
    **{("GET", f"/suppressions/{kind}"): list_suppressions for kind in KINDS},
    **{("POST", f"/suppressions/{kind}"): add_suppressions for kind in ADDABLE},
    **{("DELETE", f"/suppressions/{kind}"): delete_suppressions for kind in KINDS},
}
