"""Closing a screen once, however fast the keys come."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import Screen

T = TypeVar("T")


def dismiss_once(screen: Screen[T], result: T | None = None) -> None:
    """Dismiss `screen` only while it is the top one. Keys typed fast can reach a screen
    after its first Escape closed it; dismissing again would pop the screen below it (on
    the last screen: ScreenStackError) and answer its caller twice."""
    if screen.is_active:
        screen.dismiss(result)
