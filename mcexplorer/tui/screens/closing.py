"""Closing a screen once, however fast the keys come."""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import Screen

T = TypeVar("T")


class ClosesOnce(Screen[T]):
    """Every screen that closes (dialogs included) comes from here. Keys typed fast can
    reach a screen after its first Escape or Enter closed it; dismissing again would pop the
    screen below it (on the last screen: ScreenStackError) and answer its caller twice."""

    def dismiss(self, result: T | None = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete()
        return super().dismiss(result)
