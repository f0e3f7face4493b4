"""What a MailerSend handler receives, with the query read the way the API reads it, and the
two pagers its lists answer with."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from mcexplorer.sandbox.mailersend.errors import Check, not_found
from mcexplorer.sandbox.mailersend.limits import sandbox_data
from mcexplorer.sandbox.mailersend.state import Account
from mcexplorer.sandbox.routing import Reply

_BRACKETS = re.compile(r"\[\d*\]$")
DEFAULT_LIMIT = 25
LIMITS = (10, 100)


def iso_micro(epoch: float) -> str:
    """Timestamps as the API writes them: '2026-01-01T12:00:00.000000Z'."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Call:
    account: Account
    method: str
    template: str
    params: dict[str, str]
    query_pairs: list[tuple[str, str]]
    body: Any
    now: float  # wall time, epoch seconds
    base_url: str  # ".../v1"

    @property
    def now_iso(self) -> str:
        return iso_micro(self.now)

    @property
    def query(self) -> dict[str, str]:
        """Scalar query values; a repeated name keeps its last value."""
        return dict(self.query_pairs)

    def values(self, name: str) -> list[str] | None:
        """A list parameter given as `name[]=`, `name[0]=` or `name=`; None when absent."""
        found = [v for k, v in self.query_pairs if _BRACKETS.sub("", k) == name]
        return (
            found
            if found or any(_BRACKETS.sub("", k) == name for k, _ in self.query_pairs)
            else None
        )

    def body_dict(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}


Handler = Callable[[Call], Reply]


# -- paging -----------------------------------------------------------------------------


@cache
def _styles() -> dict[str, str]:
    styles: dict[str, str] = {}
    for style, templates in sandbox_data()["list_styles"].items():
        for template in templates:
            styles.setdefault(template, style)
    return styles


def _raw_per_page(template: str) -> bool:
    return template in sandbox_data()["list_styles"]["raw_per_page"]


def page_args(call: Call, *, max_limit: int = LIMITS[1]) -> tuple[int, int]:
    """`page` and `limit`, checked like the API checks them (422 when out of range)."""
    check = Check(call.query)
    values: dict[str, int] = {}
    for name, default, low, high in (
        ("page", 1, 1, None),
        ("limit", DEFAULT_LIMIT, LIMITS[0], max_limit),
    ):
        raw = call.query.get(name)
        if raw is None or raw == "":
            values[name] = default
            continue
        try:
            values[name] = int(raw)
        except ValueError:
            check.add(name, "integer")
            continue
        if values[name] < low:
            check.add(name, "min_number", min=low)
        elif high is not None and values[name] > high:
            check.add(name, "max_number", max=high)
    check.done()
    return values["page"], values["limit"]


def paged(call: Call, items: list[dict[str, Any]], *, max_limit: int = LIMITS[1]) -> Reply:
    """A page of `items` with the `links` and `meta` of the list's pager."""
    style = _styles().get(call.template, "simple")
    if style == "plain":
        return Reply(200, {"data": items})
    page, limit = page_args(call, max_limit=max_limit)
    last = max(1, -(-len(items) // limit))
    chunk = items[(page - 1) * limit : page * limit]
    path = call.base_url + _concrete(call)

    def link(n: int | None) -> str | None:
        return f"{path}?page={n}" if n is not None else None

    prev_page = page - 1 if page > 1 else None
    next_page = page + 1 if page < last else None
    per_page: int | str = limit
    if _raw_per_page(call.template) and "limit" in call.query:
        per_page = call.query["limit"]  # these lists echo the query's text
    meta: dict[str, Any] = {
        "current_page": page,
        "from": (page - 1) * limit + 1 if chunk else None,
        "path": path,
        "per_page": per_page,
        "to": (page - 1) * limit + len(chunk) if chunk else None,
    }
    links = {"first": link(1), "last": None, "prev": link(prev_page), "next": link(next_page)}
    if style == "length_aware":
        links["last"] = link(last)
        meta["last_page"] = last
        meta["total"] = len(items)
        meta["links"] = [
            {"url": link(prev_page), "label": "&laquo; Previous", "active": False},
            *({"url": link(n), "label": str(n), "active": n == page} for n in range(1, last + 1)),
            {"url": link(next_page), "label": "Next &raquo;", "active": False},
        ]
    return Reply(200, {"data": chunk, "links": links, "meta": dict(sorted(meta.items()))})


def _concrete(call: Call) -> str:
    path = call.template
    for name, value in call.params.items():
        path = path.replace("{" + name + "}", value)
    return path


def find(call: Call, kind: str, key: str) -> dict[str, Any]:
    """A record named by the path, or the bare 404 the API gives for an unknown id."""
    record = call.account.table(kind).get(key)
    if record is None:
        raise not_found()
    return record


def since(call: Call, iso: str) -> float:
    """Seconds from a stored timestamp to now."""
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return call.now - moment.timestamp()


def remove(call: Call, kind: str, param: str) -> Reply:
    """DELETE of the record the path names: 204, or the bare 404."""
    record = find(call, kind, call.params[param])
    del call.account.table(kind)[record["id"]]
    return Reply(204)


def rows_for(call: Call, kind: str, field: str = "domain_id") -> list[dict[str, Any]]:
    """A table's records, only those of the query's `field` (a domain) when it is given."""
    rows = list(call.account.table(kind).values())
    wanted = call.query.get(field)
    return [r for r in rows if r.get(field) == wanted] if wanted else rows
