"""What a resource handler receives (Ctx) and returns (Reply)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcexplorer.sandbox.store import Store


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    # The catalog template the body describes when not the path called (a created item).
    template: str | None = None


@dataclass
class Ctx:
    store: Store
    method: str
    template: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    base_url: str
    # Runs another operation in-process (method, path, query, body); batches use it.
    execute: Callable[[str, str, dict[str, str], Any], Reply]
    role: str = "owner"  # the role of the key or token that made the call


Handler = Callable[[Ctx], Reply]
