"""Audience members: the rules every way of writing one follows (POST, PUT, PATCH, batch
subscribe, batches), as recorded real traffic shows them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from mcexplorer.sandbox.errors import ApiError, invalid, named
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.model.records import make_member, seed_params, subscriber_hash
from mcexplorer.sandbox.store import Record, Store

EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[A-Za-z0-9-]{2,}$")
# Names that can never receive mail (RFC 2606 and 6761): the API calls such addresses fake.
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_SUFFIXES = (".test", ".example", ".invalid", ".localhost", ".local")
# Archiving is refused for contacts in these states (405, with the methods still allowed).
NOT_ARCHIVABLE = ("archived", "pending", "cleaned")
ALLOWED_ON_UNARCHIVABLE = "GET, PUT"
UPDATABLE = ("email_type", "language", "vip", "location", "ip_signup", "ip_opt", "timestamp_signup")


def member_key(segment: str) -> str:
    """The path segment as a subscriber hash: an email address is hashed."""
    return subscriber_hash(segment) if "@" in segment else segment.lower()


def members_of(store: Store, list_id: str) -> dict[str, Record]:
    return store.members[lookup(store.lists, list_id, "audience")["id"]]


def find_member(store: Store, list_id: str, segment: str) -> Record:
    return lookup(members_of(store, list_id), member_key(segment), "member")


def check_address(email: str) -> None:
    if not EMAIL.match(email):
        raise invalid(detail=f"'{email}' is not an email address.")
    domain = email.rsplit("@", 1)[1].lower()
    if domain in RESERVED_DOMAINS or domain.endswith(RESERVED_SUFFIXES):
        raise invalid(detail=f"{email} cannot receive mail; use a real address.")


def known_merge_fields(
    store: Store, list_id: str, values: dict[str, Any], *, complete: bool
) -> dict[str, Any]:
    """The values for tags the audience defines (others are ignored, as the API does),
    after the number and (when complete) required checks."""
    defined = {f["tag"]: f for f in store.merge_fields[list_id].values()}
    errors = []
    for tag, spec in defined.items():
        value = values.get(tag)
        if spec["type"] == "number" and value not in (None, "") and not _is_number(value):
            errors.append({"field": tag, "message": "Please enter a number"})
        if complete and spec["required"] and value in (None, ""):
            errors.append({"field": tag, "message": "Please enter a value"})
    if errors:
        raise invalid(errors, "Some merge fields were not accepted; see errors.")
    return {tag: value for tag, value in values.items() if tag in defined}


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, bool)


def _check_signup_rate(store: Store, email: str) -> None:
    """The anti-abuse rule: an address that joined many audiences lately is turned away."""
    rule = seed_params()["anti_abuse"]
    now = store.wall()
    since = now - timedelta(hours=rule["hours"])
    recent = [t for t in store.signups.get(email.lower(), []) if t > since]
    if len(recent) >= rule["signups"]:
        raise invalid(detail=f"{email} joined too many audiences in a short time; try later.")
    store.signups[email.lower()] = [*recent, now]


def create(store: Store, list_id: str, email: str, status: str, fields: Record) -> Record:
    check_address(email)
    if (list_id, subscriber_hash(email)) in store.forgotten:
        raise named("ForgottenEmailNotSubscribed")
    merges = known_merge_fields(store, list_id, fields.get("merge_fields") or {}, complete=True)
    _check_signup_rate(store, email)
    tags = [str(t) for t in fields.get("tags") or []]
    member = make_member(
        store, list_id, email, status, store.now_iso(), merge_fields=merges, tags=tags
    )
    update(store, member, {k: v for k, v in fields.items() if k not in ("status", "merge_fields")})
    return member


def update(store: Store, member: Record, fields: Record) -> None:
    """PATCH semantics (and PUT on an existing contact): only the fields given change."""
    list_id = member["list_id"]
    if isinstance(fields.get("merge_fields"), dict):
        merges = known_merge_fields(store, list_id, fields["merge_fields"], complete=False)
        member["merge_fields"] = {**member["merge_fields"], **merges}
        names = member["merge_fields"]
        member["full_name"] = f"{names.get('FNAME', '')} {names.get('LNAME', '')}".strip()
    if isinstance(fields.get("interests"), dict) and fields["interests"]:
        known = member.get("interests", {})
        unknown = [i for i in fields["interests"] if i not in known]
        if unknown:
            raise invalid(detail=f"Invalid interest ID: '{unknown[0]}'.")
        member["interests"] = {**known, **fields["interests"]}
    for key in UPDATABLE:
        if key in fields:
            member[key] = fields[key]
    _set_status(store, member, fields.get("status"))
    new_email = fields.get("email_address")
    if isinstance(new_email, str) and new_email.lower() != member["email_address"].lower():
        _rename(store, member, new_email)
    member["last_changed"] = store.now_iso()


def _set_status(store: Store, member: Record, status: str | None) -> None:
    if status is None or status == member["status"]:
        return
    if status == "subscribed" and (member["list_id"], member["id"]) in store.compliance:
        raise named("MemberInComplianceState")
    member["status"] = status
    if status == "subscribed":
        member["timestamp_opt"] = store.now_iso()


def _rename(store: Store, member: Record, new_email: str) -> None:
    """A new address gives the contact a new id; an address already on the list is refused."""
    check_address(new_email)
    members = store.members[member["list_id"]]
    new_hash = subscriber_hash(new_email)
    if new_hash in members:
        raise named("MemberExists", f"{new_email} is already on this audience.")
    del members[member["id"]]
    if (member["list_id"], member["id"]) in store.compliance:
        store.compliance.add((member["list_id"], new_hash))
    member.update(id=new_hash, email_address=new_email)
    members[new_hash] = member


def add(store: Store, list_id: str, body: Record) -> Record:
    """POST: a new contact; an existing one is Member Exists (an archived one comes back)."""
    members = members_of(store, list_id)
    email = str(body["email_address"])
    existing = members.get(subscriber_hash(email))
    if existing is not None and existing["status"] != "archived":
        raise named("MemberExists", f"{email} is already on this audience; PUT updates it.")
    if existing is not None:
        del members[existing["id"]]
    return create(store, list_id, email, body["status"], body)


def upsert(store: Store, list_id: str, segment: str, body: Record) -> Record:
    """PUT: update the contact at the path (renaming it when the body names another
    address), or create it from the body's address; status_if_new or status for a new one."""
    members = members_of(store, list_id)
    existing = members.get(member_key(segment))
    if existing is not None and existing["status"] != "archived":
        update(store, existing, body)
        return existing
    email = body.get("email_address") or (segment if "@" in segment else None)
    if not isinstance(email, str):
        raise invalid([{"field": "email_address", "message": "A new contact needs an address."}])
    taken = members.get(subscriber_hash(email))
    if taken is not None and taken is not existing:
        raise named("MemberExists", f"{email} is already on this audience.")
    status = body.get("status_if_new") or body.get("status")
    if status is None:
        raise invalid(
            [{"field": "status_if_new", "message": "Required for a contact not yet here."}]
        )
    if existing is not None:
        del members[existing["id"]]
    return create(store, list_id, email, str(status), body)


def archive(store: Store, member: Record) -> None:
    if member["status"] in NOT_ARCHIVABLE:
        raise ApiError(
            405,
            "Method Not Allowed",
            f"A contact whose status is '{member['status']}' cannot be archived.",
            headers={"Allow": ALLOWED_ON_UNARCHIVABLE},
        )
    member["status"] = "archived"
    member["last_changed"] = store.now_iso()


def forget(store: Store, member: Record) -> None:
    """Permanent deletion: gone, and the address may not be added back by the API."""
    list_id, member_hash = member["list_id"], member["id"]
    del store.members[list_id][member_hash]
    store.notes.pop((list_id, member_hash), None)
    for segment_id in store.segments[list_id]:
        store.segment_members[segment_id].discard(member_hash)
    store.forgotten.add((list_id, member_hash))


def subscribe_many(store: Store, list_id: str, body: Record) -> Record:
    """POST /lists/{id}: each entry created or updated, errors reported per address.
    The members come back as stored, without `_links`, as the API sends them."""
    members = members_of(store, list_id)
    update_existing = bool(body.get("update_existing", False))
    created: list[Record] = []
    updated: list[Record] = []
    errors: list[Record] = []
    for entry in body["members"]:
        email = str(entry.get("email_address", ""))
        existing = members.get(subscriber_hash(email))
        try:
            if existing is not None and not update_existing:
                raise named("MemberExists", f"{email} is already on this audience.")
            if existing is not None:
                update(store, existing, entry)
                updated.append(existing)
            else:
                status = str(entry.get("status_if_new") or entry.get("status") or "subscribed")
                created.append(create(store, list_id, email, status, entry))
        except ApiError as exc:
            code = "ERROR_CONTACT_EXISTS" if exc.title == "Member Exists" else "ERROR_GENERIC"
            errors.append(
                {
                    "email_address": email,
                    "error": exc.detail,
                    "error_code": code,
                    "field": "",
                    "field_message": "",
                }
            )
    return {
        "new_members": created,
        "updated_members": updated,
        "errors": errors,
        "total_created": len(created),
        "total_updated": len(updated),
        "error_count": len(errors),
    }
