"""Walk a collection with offset/count until total_items is reached."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import COUNT_MAX, ApiRequest


def _page_items(data: dict[str, Any]) -> list[Any] | None:
    """The collection's list: the first list-valued member other than _links."""
    return next((v for k, v in data.items() if k != "_links" and isinstance(v, list)), None)


async def paginate(
    engine: Engine, req: ApiRequest, page_size: int = COUNT_MAX
) -> AsyncIterator[Outcome]:
    """Yield one Outcome per page; stops after an error page, an empty page or the last one."""
    if not 1 <= page_size <= COUNT_MAX:
        raise ValueError(f"page size must be between 1 and {COUNT_MAX}, got {page_size}")
    offset = int(req.query.get("offset", "0"))
    while True:
        page = replace(req, query={**req.query, "count": str(page_size), "offset": str(offset)})
        outcome = await engine.send(page)
        yield outcome
        data = outcome.json()
        if not outcome.ok or not isinstance(data, dict):
            return
        total, items = data.get("total_items"), _page_items(data)
        offset += page_size
        if not isinstance(total, int) or not items or offset >= total:
            return
