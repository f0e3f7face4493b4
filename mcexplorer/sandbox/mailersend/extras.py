"""DMARC monitoring of the account's domains, and WhatsApp sending. The demo account has no
WhatsApp business number, so a WhatsApp send fails validation and its lists are empty."""

from __future__ import annotations

from mcexplorer.sandbox.mailersend import records
from mcexplorer.sandbox.mailersend.call import Call, Handler, find, paged, remove
from mcexplorer.sandbox.mailersend.errors import Check
from mcexplorer.sandbox.mailersend.sms import valid_number
from mcexplorer.sandbox.mailersend.state import Record
from mcexplorer.sandbox.routing import Reply

WHATSAPP_TO_MAX = 10


def _monitor_view(call: Call, monitor: Record) -> Record:
    domain = call.account.table("domains").get(monitor["domain_id"])
    view = {k: v for k, v in monitor.items() if k not in ("domain_id", "favorites")}
    return {**view, "domain": records.domain_brief(domain) if domain else None}


def list_monitors(call: Call) -> Reply:
    monitors = call.account.table("dmarc_monitors").values()
    return paged(call, [_monitor_view(call, m) for m in monitors])


def create_monitor(call: Call) -> Reply:
    check = Check(call.body)
    domain_id = check.value("domain_id")
    monitors = call.account.table("dmarc_monitors")
    if check.required("domain_id"):
        if domain_id not in call.account.table("domains"):
            check.add("domain_id", "selected_invalid")
        elif any(m["domain_id"] == domain_id for m in monitors.values()):
            check.add("domain_id", "taken")
    check.done()
    monitor = {
        "id": call.account.new_key(),
        "domain_id": domain_id,
        "wanted_dmarc_record": None,
        "favorites": [],
        "created_at": call.now_iso,
        "updated_at": call.now_iso,
    }
    monitors[monitor["id"]] = monitor
    return Reply(201, {"data": _monitor_view(call, monitor)})


def update_monitor(call: Call) -> Reply:
    monitor = find(call, "dmarc_monitors", call.params["monitor_id"])
    check = Check(call.body)
    check.string("wanted_dmarc_record", required=True)
    check.done()
    monitor.update(wanted_dmarc_record=check.body["wanted_dmarc_record"], updated_at=call.now_iso)
    return Reply(200, {"data": _monitor_view(call, monitor)})


def delete_monitor(call: Call) -> Reply:
    return remove(call, "dmarc_monitors", "monitor_id")


def monitor_report(call: Call) -> Reply:
    """No mail server has sent the sandbox a DMARC report, so every report is empty."""
    find(call, "dmarc_monitors", call.params["monitor_id"])
    return paged(call, [])


def report_sources(call: Call) -> Reply:
    find(call, "dmarc_monitors", call.params["monitor_id"])
    return Reply(200, {"data": []})


def favorite_ip(call: Call) -> Reply:
    monitor = find(call, "dmarc_monitors", call.params["monitor_id"])
    ip = call.params["ip"]
    if call.method == "DELETE":
        monitor["favorites"] = [f for f in monitor["favorites"] if f != ip]
        return Reply(204)
    if ip not in monitor["favorites"]:
        monitor["favorites"].append(ip)
    return Reply(200, {"data": {"ip": ip, "favorite": True}})


def send_whatsapp(call: Call) -> Reply:
    check = Check(call.body)
    if check.required("from"):
        check.add("from", "selected_invalid")  # the account has no WhatsApp number
    numbers = check.array("to", required=True, min_items=1)
    if len(numbers) > WHATSAPP_TO_MAX:
        check.add("to", "max_items", max=WHATSAPP_TO_MAX)
    for i, number in enumerate(numbers):
        if not valid_number(number):
            check.add(f"to.{i}", "phone")
    if check.required("template_id"):
        check.add("template_id", "selected_invalid")
    check.fail()


HANDLERS: dict[tuple[str, str], Handler] = {
    ("GET", "/dmarc-monitoring"): list_monitors,
    ("POST", "/dmarc-monitoring"): create_monitor,
    ("PUT", "/dmarc-monitoring/{monitor_id}"): update_monitor,
    ("DELETE", "/dmarc-monitoring/{monitor_id}"): delete_monitor,
    ("GET", "/dmarc-monitoring/{monitor_id}/report"): monitor_report,
    ("GET", "/dmarc-monitoring/{monitor_id}/report/{ip}"): monitor_report,
    ("GET", "/dmarc-monitoring/{monitor_id}/report-sources"): report_sources,
    ("PUT", "/dmarc-monitoring/{monitor_id}/favorite/{ip}"): favorite_ip,
    ("DELETE", "/dmarc-monitoring/{monitor_id}/favorite/{ip}"): favorite_ip,
    ("POST", "/whatsapp/send"): send_whatsapp,
}
