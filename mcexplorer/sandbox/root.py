"""The API root's body: the account's details and a link to every top-level resource.

Kept out of `resources/` (which loads every handler) so that the TUI's sandbox child can
build it from a fresh store before the HTTP server has loaded.
"""

from __future__ import annotations

from typing import Any

from mcexplorer.sandbox.links import resource_links
from mcexplorer.sandbox.store import Store

API_PREFIX = "/3.0"  # every API path starts with it; the rest of the origin is the server's


def root_body(store: Store, base_url: str, role: str) -> dict[str, Any]:
    # industry_stats feed the reports; the root itself does not show them.
    account = {k: v for k, v in store.account.items() if k != "industry_stats"}
    account["role"] = role  # the key's user, as the real root reports it
    account["total_subscribers"] = sum(
        1
        for members in store.members.values()
        for m in members.values()
        if m["status"] == "subscribed"
    )
    account["_links"] = resource_links(base_url, "/", {}, item=True)
    return account
