"""search-members: exact address matches and a substring search over address and name."""

from __future__ import annotations

from mcexplorer.sandbox.errors import bad_request
from mcexplorer.sandbox.links import resource_links
from mcexplorer.sandbox.resources.common import route, with_links
from mcexplorer.sandbox.resources.members import ITEM
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

FULL_SEARCH_LIMIT = 10


@route("GET", "/search-members")
def search_members(ctx: Ctx) -> Reply:
    text = ctx.query.get("query", "").strip().lower()
    if not text:
        raise bad_request("The 'query' parameter is required.")
    list_id = ctx.query.get("list_id")
    exact: list[Record] = []
    partial: list[Record] = []
    for lid, members in ctx.store.members.items():
        if list_id and lid != list_id:
            continue
        for member in members.values():
            email = member["email_address"].lower()
            if email == text:
                exact.append(member)
            elif text in email or text in member["full_name"].lower():
                partial.append(member)

    def rows(found: list[Record]) -> list[Record]:
        return [
            with_links(ctx.base_url, ITEM, {"list_id": m["list_id"], "subscriber_hash": m["id"]}, m)
            for m in found[:FULL_SEARCH_LIMIT]
        ]

    body = {
        "exact_matches": {"members": rows(exact), "total_items": len(exact)},
        "full_search": {"members": rows(partial), "total_items": len(partial)},
        "_links": resource_links(ctx.base_url, ctx.template, {}, item=False),
    }
    return Reply(body=body)
