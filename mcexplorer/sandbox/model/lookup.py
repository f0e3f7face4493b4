"""The one way a handler finds a stored record by the id in its path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from mcexplorer.sandbox.errors import not_found

T = TypeVar("T")


def lookup(table: Mapping[Any, T], key: str, what: str) -> T:
    """The record under `key` (numeric tables are keyed by int), or 404 naming `what`."""
    record = table.get(key)
    if record is None and key.isdigit():
        record = table.get(int(key))
    if record is None:
        raise not_found(f"There is no {what} '{key}' in this account.")
    return record
