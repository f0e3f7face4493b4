"""Email verification: single addresses (at once or in the background) and uploaded lists,
which move from 'uploading' to 'created', then through 'verifying' to 'verified' as the
sandbox clock runs."""

from __future__ import annotations

import re
from collections import Counter

from mcexplorer.sandbox.mailersend.call import Call, Handler, find, iso_micro, paged, since
from mcexplorer.sandbox.mailersend.errors import Check, text
from mcexplorer.sandbox.mailersend.state import Record
from mcexplorer.sandbox.routing import Reply

SYNTAX_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
ROLE_NAMES = ("admin", "info", "sales", "support", "postmaster", "noreply", "no-reply")
UPLOAD_S = 2.0  # an uploaded list takes this long before it can be verified
VERIFY_S = 2.0  # and verifying it takes this long
RESULTS = [
    "valid",
    "catch_all",
    "mailbox_full",
    "role_based",
    "unknown",
    "syntax_error",
    "typo",
    "mailbox_not_found",
    "disposable",
    "mailbox_blocked",
    "failed",
]


def result_for(address: str) -> str:
    """The sandbox's verdict on an address: decided by its form alone."""
    if not SYNTAX_RE.match(address):
        return "syntax_error"
    if address.split("@", 1)[0].lower() in ROLE_NAMES:
        return "role_based"
    return "valid"


def _check_address(call: Call) -> str:
    check = Check(call.body)
    check.string("email", required=True, max_len=191)
    check.done()
    return str(check.body["email"])


def verify_email(call: Call) -> Reply:
    return Reply(200, {"status": result_for(_check_address(call))})


def verify_email_async(call: Call) -> Reply:
    address = _check_address(call)
    job = {"id": call.account.new_key(), "address": address, "created_at": call.now_iso}
    call.account.table("single_verifications")[job["id"]] = job
    return Reply(200, {"data": _job_view(call, job)})


def _job_view(call: Call, job: Record) -> Record:
    done = since(call, job["created_at"]) >= VERIFY_S
    return {
        "id": job["id"],
        "address": job["address"],
        "status": "completed" if done else "queued",
        "result": result_for(job["address"]) if done else None,
        "error": None,
    }


def async_status(call: Call) -> Reply:
    job = find(call, "single_verifications", call.params["email_verification_id"])
    return Reply(200, {"data": _job_view(call, job)})


# -- lists -------------------------------------------------------------------------------------


def _status(call: Call, lst: Record) -> str:
    if since(call, lst["created_at"]) < UPLOAD_S:
        return "uploading"
    if lst["verify_started"] is None:
        return "created"
    return "verified" if since(call, lst["verify_started"]) >= VERIFY_S else "verifying"


def _list_view(call: Call, lst: Record) -> Record:
    status = _status(call, lst)
    uploaded = status != "uploading"
    stats = Counter(result_for(a) for a in lst["emails"]) if status == "verified" else Counter()
    total = len(lst["emails"]) if uploaded else 0
    statistics = {name: stats.get(name, 0) for name in RESULTS}
    statistics["not_verified"] = total - sum(stats.values())
    ended = None
    if status == "verified":
        ended = iso_micro(call.now)
    return {
        "id": lst["id"],
        "name": lst["name"],
        "total": total,
        "verification_started": lst["verify_started"],
        "verification_ended": ended,
        "created_at": lst["created_at"],
        "updated_at": lst["created_at"],
        "status": {"name": status, "count": total if status == "verified" else 0},
        "source": "api",
        "statistics": statistics,
    }


def list_lists(call: Call) -> Reply:
    lists = call.account.table("verification_lists").values()
    return paged(call, [_list_view(call, lst) for lst in lists])


def create_list(call: Call) -> Reply:
    check = Check(call.body)
    check.string("name", required=True, max_len=60)
    emails = check.array("emails", required=True, min_items=1)
    for i, email in enumerate(emails):
        if not isinstance(email, str):
            check.add(f"emails.{i}", "string")
    check.done()
    lst = {
        "id": call.account.new_key(),
        "name": check.body["name"],
        "emails": list(emails),
        "created_at": call.now_iso,
        "verify_started": None,
    }
    call.account.table("verification_lists")[lst["id"]] = lst
    return Reply(201, {"data": _list_view(call, lst)})


def get_list(call: Call) -> Reply:
    lst = find(call, "verification_lists", call.params["email_verification_id"])
    return Reply(200, {"data": _list_view(call, lst)})


def verify_list(call: Call) -> Reply:
    lst = find(call, "verification_lists", call.params["email_verification_id"])
    if _status(call, lst) == "uploading":
        return Reply(202, {"message": text("list_uploading")})
    if lst["verify_started"] is None:
        lst["verify_started"] = call.now_iso
    return Reply(200, {"data": _list_view(call, lst)})


def list_results(call: Call) -> Reply:
    lst = find(call, "verification_lists", call.params["email_verification_id"])
    status = _status(call, lst)
    wanted = call.values("results")
    rows = []
    if status == "verified":
        rows = [{"address": a, "result": result_for(a)} for a in lst["emails"]]
        if wanted:
            rows = [r for r in rows if r["result"] in wanted]
    return paged(call, rows)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("POST", "/email-verification/verify"): verify_email,
    ("POST", "/email-verification/verify-async"): verify_email_async,
    ("GET", "/email-verification/verify-async/{email_verification_id}"): async_status,
    ("GET", "/email-verification"): list_lists,
    ("POST", "/email-verification"): create_list,
    ("GET", "/email-verification/{email_verification_id}"): get_list,
    ("GET", "/email-verification/{email_verification_id}/verify"): verify_list,
    ("GET", "/email-verification/{email_verification_id}/results"): list_results,
}
