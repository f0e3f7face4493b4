"""Sending domains: the list, adding and deleting, settings, DNS records and their check, a
domain's recipients, and its SMTP relay users."""

from __future__ import annotations

import re

from mcexplorer.sandbox.mailersend import records
from mcexplorer.sandbox.mailersend.call import Call, Handler, find, paged, remove
from mcexplorer.sandbox.mailersend.errors import Check, not_found, text
from mcexplorer.sandbox.mailersend.state import Record
from mcexplorer.sandbox.routing import Reply

DOMAIN_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
SETTING_FLAGS = (
    "send_paused",
    "track_clicks",
    "track_opens",
    "track_unsubscribe",
    "track_content",
    "custom_tracking_enabled",
    "precedence_bulk",
    "ignore_duplicated_recipients",
)
SETTING_TEXTS = ("track_unsubscribe_html", "track_unsubscribe_plain", "custom_tracking_subdomain")
SUBDOMAINS = ("return_path_subdomain", "custom_tracking_subdomain", "inbound_routing_subdomain")
SMTP_SERVER = ("smtp.mailersend.net", 587)


def list_domains(call: Call) -> Reply:
    domains = list(call.account.table("domains").values())
    wanted = call.query.get("verified")
    if wanted is not None and wanted != "":
        flag = wanted.lower() in ("1", "true")
        domains = [d for d in domains if d["is_verified"] is flag]
    return paged(call, [records.domain_listed(d) for d in domains])


def add_domain(call: Call) -> Reply:
    check = Check(call.body)
    name = check.value("name")
    if check.required("name"):
        if not isinstance(name, str) or not DOMAIN_RE.match(name.lower()):
            check.add("name", "selected_invalid")
        elif call.account.domain_named(name) is not None:
            check.add("name", "taken")
    for field in SUBDOMAINS:
        value = check.value(field)
        if value is not None and not (isinstance(value, str) and value.isalnum()):
            check.add(field, "selected_invalid")
    check.done()
    domain = records.new_domain(
        call.account, str(name), verified=False, paused=False, now_iso=call.now_iso
    )
    for field in SUBDOMAINS:
        if check.value(field):
            domain["domain_settings"][field] = check.value(field)
    call.account.table("domains")[domain["id"]] = domain
    return Reply(201, {"data": records.domain_created(domain)})


def get_domain(call: Call) -> Reply:
    domain = find(call, "domains", call.params["domain_id"])
    return Reply(200, {"data": records.domain_single(domain)})


def delete_domain(call: Call) -> Reply:
    return remove(call, "domains", "domain_id")


def update_settings(call: Call) -> Reply:
    domain = find(call, "domains", call.params["domain_id"])
    check = Check(call.body)
    for field in SETTING_FLAGS:
        check.boolean(field)
    for field in SETTING_TEXTS:
        check.string(field)
    subdomain = check.value("custom_tracking_subdomain")
    if isinstance(subdomain, str) and not subdomain.isalnum():
        check.add("custom_tracking_subdomain", "selected_invalid")
    check.done()
    settings = domain["domain_settings"]
    for field in (*SETTING_FLAGS, *SETTING_TEXTS):
        if field in check.body:
            settings[field] = check.body[field]
    domain["updated_at"] = call.now_iso
    return Reply(200, {"data": records.domain_listed(domain)})


def dns_records(call: Call) -> Reply:
    domain = find(call, "domains", call.params["domain_id"])
    return Reply(200, {"data": records.dns_records(domain)})


def verify_domain(call: Call) -> Reply:
    domain = find(call, "domains", call.params["domain_id"])
    ok = domain["is_verified"]
    checks = {"dkim": ok, "spf": ok, "mx": ok, "tracking": False, "cname": False, "rp_cname": ok}
    message = text("domain_verified" if ok else "domain_unverified")
    return Reply(200, {"message": message, "data": checks})


def domain_recipients(call: Call) -> Reply:
    domain = find(call, "domains", call.params["domain_id"])
    rows = [r for r in call.account.table("recipients").values() if r["domain_id"] == domain["id"]]
    return paged(call, [records.recipient_listed(r) for r in rows])


# -- SMTP users ------------------------------------------------------------------------------


def _smtp_view(user: Record, *, with_password: bool = False) -> Record:
    view = {k: v for k, v in user.items() if k != "password"}
    if with_password:
        view["password"] = user["password"]
    return view


def _smtp_user(call: Call) -> Record:
    domain = find(call, "domains", call.params["domain_id"])
    user = find(call, "smtp_users", call.params["smtp_user_id"])
    if user["domain_id"] != domain["id"]:
        raise not_found()  # a user of another domain is unknown here
    return user


def _check_smtp(call: Call, *, creating: bool) -> Check:
    check = Check(call.body)
    check.string("name", required=creating or "name" in check.body, max_len=50)
    check.boolean("enabled")
    check.done()
    return check


def list_smtp_users(call: Call) -> Reply:
    domain = find(call, "domains", call.params["domain_id"])
    users = call.account.table("smtp_users").values()
    return paged(call, [_smtp_view(u) for u in users if u["domain_id"] == domain["id"]])


def create_smtp_user(call: Call) -> Reply:
    domain = find(call, "domains", call.params["domain_id"])
    check = _check_smtp(call, creating=True)
    account = call.account
    user = {
        "id": account.new_key(),
        "name": check.value("name"),
        "username": f"MS_{account.new_secret(6)}@{domain['name']}",
        "password": account.new_secret(36),
        "enabled": bool(check.body.get("enabled", True)),
        "accessed_at": None,
        "server": SMTP_SERVER[0],
        "port": SMTP_SERVER[1],
        "domain_id": domain["id"],
    }
    account.table("smtp_users")[user["id"]] = user
    return Reply(201, {"data": _smtp_view(user, with_password=True)})


def get_smtp_user(call: Call) -> Reply:
    return Reply(200, {"data": _smtp_view(_smtp_user(call))})


def update_smtp_user(call: Call) -> Reply:
    user = _smtp_user(call)
    check = _check_smtp(call, creating=True)
    user["name"] = check.value("name")
    if "enabled" in check.body:
        user["enabled"] = check.body["enabled"]
    return Reply(200, {"data": _smtp_view(user)})


def delete_smtp_user(call: Call) -> Reply:
    user = _smtp_user(call)
    del call.account.table("smtp_users")[user["id"]]
    return Reply(204)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("GET", "/domains"): list_domains,
    ("POST", "/domains"): add_domain,
    ("GET", "/domains/{domain_id}"): get_domain,
    ("DELETE", "/domains/{domain_id}"): delete_domain,
    ("PUT", "/domains/{domain_id}/settings"): update_settings,
    ("GET", "/domains/{domain_id}/dns-records"): dns_records,
    ("GET", "/domains/{domain_id}/verify"): verify_domain,
    ("GET", "/domains/{domain_id}/recipients"): domain_recipients,
    ("GET", "/domains/{domain_id}/smtp-users"): list_smtp_users,
    ("POST", "/domains/{domain_id}/smtp-users"): create_smtp_user,
    ("GET", "/domains/{domain_id}/smtp-users/{smtp_user_id}"): get_smtp_user,
    ("PUT", "/domains/{domain_id}/smtp-users/{smtp_user_id}"): update_smtp_user,
    ("DELETE", "/domains/{domain_id}/smtp-users/{smtp_user_id}"): delete_smtp_user,
}
