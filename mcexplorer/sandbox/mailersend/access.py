"""Who may use the account: API tokens (a created token really works against the sandbox,
a deleted one stops working), users and their invitations, and the templates they share."""

from __future__ import annotations

from typing import Any

from mcexplorer.sandbox.mailersend import records
from mcexplorer.sandbox.mailersend.call import Call, Handler, find, paged, remove, rows_for
from mcexplorer.sandbox.mailersend.errors import Check, not_found_counted
from mcexplorer.sandbox.mailersend.limits import sandbox_data
from mcexplorer.sandbox.mailersend.state import Record, Token
from mcexplorer.sandbox.routing import Reply

NAME_MAX = 50
FULL_ROLES = ("Admin", "Manager")


def _vocabulary(name: str) -> list[str]:
    values: list[str] = sandbox_data()["vocabulary"][name]
    return values


# -- tokens ------------------------------------------------------------------------------


def _token_view(call: Call, token: Record) -> Record:
    domain = call.account.table("domains").get(token["domain_id"] or "")
    return {
        "id": token["id"],
        "name": token["name"],
        "status": token["status"],
        "created_at": token["created_at"],
        "scopes": list(token["scopes"]),
        "domain": records.domain_brief(domain) if domain else None,
    }


def list_tokens(call: Call) -> Reply:
    tokens = call.account.table("tokens").values()
    return paged(call, [_token_view(call, t) for t in tokens])


def create_token(call: Call) -> Reply:
    check = Check(call.body)
    check.string("name", required=True, max_len=NAME_MAX)
    domain_id = check.value("domain_id")
    if check.required("domain_id") and domain_id not in call.account.table("domains"):
        check.add("domain_id", "selected_invalid")
    if check.array("scopes", required=True, min_items=1):
        check.each_in("scopes", _vocabulary("token_scopes"))
    check.done()
    account = call.account
    scopes = list(check.body["scopes"])
    token = {
        "id": account.new_token_id(),
        "name": check.body["name"],
        "status": "unpause",
        "created_at": call.now_iso,
        "scopes": scopes,
        "domain_id": domain_id,
    }
    account.table("tokens")[token["id"]] = token
    secret = account.new_token_secret()
    read_only = all(s.endswith("_read") for s in scopes)
    account.tokens[secret] = Token(token["name"], "read" if read_only else "full", token["id"])
    full = {s for s in _vocabulary("token_scopes") if s.endswith("_full")}
    domain = account.table("domains")[domain_id]
    data = {
        "id": token["id"],
        "accessToken": secret,
        "name": token["name"],
        "created_at": token["created_at"],
        "scopes": scopes,
        "has_full": full <= set(scopes),
        "domain": records.domain_created(domain),
        "preview": secret[:12] + "…",
        "expires_at": None,
    }
    return Reply(200, {"data": data})


def get_token(call: Call) -> Reply:
    token = find(call, "tokens", call.params["token_id"])
    return Reply(200, {"data": _token_view(call, token)})


def rename_token(call: Call) -> Reply:
    token = find(call, "tokens", call.params["token_id"])
    check = Check(call.body)
    check.string("name", required=True, max_len=NAME_MAX)
    check.done()
    token["name"] = check.body["name"]
    return Reply(200, {"data": _token_view(call, token)})


def token_settings(call: Call) -> Reply:
    token = find(call, "tokens", call.params["token_id"])
    check = Check(call.body)
    check.one_of("status", ("pause", "unpause"), required=True)
    check.done()
    token["status"] = check.body["status"]
    return Reply(200, {"data": _token_view(call, token)})


def delete_token(call: Call) -> Reply:
    token = find(call, "tokens", call.params["token_id"])
    account = call.account
    del account.table("tokens")[token["id"]]
    for secret, info in list(account.tokens.items()):
        if info.record_id == token["id"]:
            del account.tokens[secret]  # requests with it are refused from now on
    return Reply(204)


# -- users and invites -------------------------------------------------------------------------


def _check_access(call: Call, *, inviting: bool) -> Check:
    check = Check(call.body)
    if inviting:
        check.string("email", required=True, max_len=191)
        email = check.value("email")
        if isinstance(email, str) and "@" not in email:
            check.add("email", "email")
    check.one_of("role", _vocabulary("roles"), required=True)
    check.each_in("permissions", _vocabulary("permissions"))
    permissions = check.value("permissions") or []
    # Roles that see every template need no permission for them; any other role does.
    limited = check.value("role") not in FULL_ROLES
    if limited and "templates" in check.body and "read-own-templates" not in permissions:
        check.add("templates", "templates_permission")
    check.each_in("templates", set(call.account.table("templates")))
    check.each_in("domains", set(call.account.table("domains")))
    check.boolean("requires_periodic_password_change")
    # Laravel lists errors in the order of its rules: role first, then templates.
    order = ["email", "role", "templates", "domains"]
    check.errors = dict(
        sorted(check.errors.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 9)
    )
    check.done()
    return check


def _access_fields(body: dict[str, Any]) -> Record:
    return {
        "role": body["role"],
        "permissions": list(body.get("permissions") or []),
        "templates": list(body.get("templates") or []),
        "domains": list(body.get("domains") or []),
    }


def _user(call: Call) -> Record:
    user = call.account.table("users").get(call.params["user_id"])
    if user is None:
        raise not_found_counted()  # users are looked up by the handler, not the route
    return user


def list_users(call: Call) -> Reply:
    users = call.account.table("users").values()
    return paged(call, [records.user_view(call.account, u) for u in users])


def get_user(call: Call) -> Reply:
    return Reply(200, {"data": records.user_view(call.account, _user(call))})


def invite_user(call: Call) -> Reply:
    check = _check_access(call, inviting=True)
    invite = {
        "id": call.account.new_key(),
        "email": check.body["email"],
        **_access_fields(call.body_dict()),
        "requires_periodic_password_change": bool(
            check.body.get("requires_periodic_password_change", False)
        ),
        "created_at": call.now_iso,
        "updated_at": call.now_iso,
    }
    call.account.table("invites")[invite["id"]] = invite
    return Reply(201, {"data": records.invite_view(invite)})


def update_user(call: Call) -> Reply:
    # The API checks the body before it looks the user up.
    _check_access(call, inviting=False)
    user = _user(call)
    user.update(_access_fields(call.body_dict()), updated_at=call.now_iso)
    return Reply(200, {"data": records.user_view(call.account, user)})


def delete_user(call: Call) -> Reply:
    user = _user(call)
    del call.account.table("users")[user["id"]]
    return Reply(204)


def list_invites(call: Call) -> Reply:
    invites = call.account.table("invites").values()
    return paged(call, [records.invite_view(i) for i in invites])


def get_invite(call: Call) -> Reply:
    return Reply(
        200, {"data": records.invite_view(find(call, "invites", call.params["invite_id"]))}
    )


def resend_invite(call: Call) -> Reply:
    invite = find(call, "invites", call.params["invite_id"])
    invite["updated_at"] = call.now_iso
    return Reply(200, {"data": records.invite_view(invite)})


def cancel_invite(call: Call) -> Reply:
    return remove(call, "invites", "invite_id")


# -- templates -----------------------------------------------------------------------------


def list_templates(call: Call) -> Reply:
    rows = rows_for(call, "templates")
    return paged(call, [records.template_listed(t) for t in rows])


def get_template(call: Call) -> Reply:
    template = find(call, "templates", call.params["template_id"])
    return Reply(200, {"data": records.template_single(call.account, template)})


def delete_template(call: Call) -> Reply:
    return remove(call, "templates", "template_id")


HANDLERS: dict[tuple[str, str], Handler] = {
    ("GET", "/token"): list_tokens,
    ("POST", "/token"): create_token,
    ("GET", "/token/{token_id}"): get_token,
    ("PUT", "/token/{token_id}"): rename_token,
    ("PUT", "/token/{token_id}/settings"): token_settings,
    ("DELETE", "/token/{token_id}"): delete_token,
    ("GET", "/users"): list_users,
    ("POST", "/users"): invite_user,
    ("GET", "/users/{user_id}"): get_user,
    ("PUT", "/users/{user_id}"): update_user,
    ("DELETE", "/users/{user_id}"): delete_user,
    ("GET", "/invites"): list_invites,
    ("GET", "/invites/{invite_id}"): get_invite,
    ("POST", "/invites/{invite_id}/resend"): resend_invite,
    ("DELETE", "/invites/{invite_id}"): cancel_invite,
    ("GET", "/templates"): list_templates,
    ("GET", "/templates/{template_id}"): get_template,
    ("DELETE", "/templates/{template_id}"): delete_template,
}
