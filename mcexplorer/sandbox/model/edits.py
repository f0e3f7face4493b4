"""The one way an update body is applied to a stored record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Record = dict[str, Any]


def apply_editable(
    record: Record,
    body: Record,
    editable: Iterable[str] = (),
    *,
    merged: Iterable[str] = (),
) -> None:
    """Copy the `editable` fields the body has; merge the `merged` objects key by key
    (a PATCH of `settings` keeps the settings it does not name)."""
    for key in editable:
        if key in body:
            record[key] = body[key]
    for key in merged:
        if isinstance(body.get(key), dict):
            record[key] = {**(record.get(key) or {}), **body[key]}
