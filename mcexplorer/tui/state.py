"""Browser-style back/forward over the responses the user visited (frogmouth's model)."""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_VISITS = 256


class Visits(Generic[T]):
    """Visited entries with a cursor; visiting after going back drops the forward ones."""

    def __init__(self, maxlen: int = MAX_VISITS) -> None:
        self._entries: deque[T] = deque(maxlen=maxlen)
        self._cursor = -1

    def visit(self, entry: T) -> None:
        while len(self._entries) > self._cursor + 1:
            self._entries.pop()
        self._entries.append(entry)
        self._cursor = len(self._entries) - 1

    @property
    def current(self) -> T | None:
        return self._entries[self._cursor] if self._cursor >= 0 else None

    @property
    def can_go_back(self) -> bool:
        return self._cursor > 0

    @property
    def can_go_forward(self) -> bool:
        return self._cursor < len(self._entries) - 1

    def back(self) -> T | None:
        if not self.can_go_back:
            return None
        self._cursor -= 1
        return self._entries[self._cursor]

    def forward(self) -> T | None:
        if not self.can_go_forward:
            return None
        self._cursor += 1
        return self._entries[self._cursor]

    def __len__(self) -> int:
        return len(self._entries)
